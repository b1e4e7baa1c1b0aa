"""The statistics page: counts of acts and victims by a dimension, over the events the reader may see and
the filters of the event list, drawn as a bar chart on the server (an inline SVG, no script) with the same
figures in a table below it, and downloadable as CSV."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse

from khronika.core import forms as core_forms
from khronika.core.errors import ValidationFailed
from khronika.core.projection import Projection
from khronika.directory.selectors import regions
from khronika.directory.views.common import render_varying, user_of, wants_partial
from khronika.monitoring import selectors
from khronika.monitoring.forms_acts import StatisticsForm
from khronika.monitoring.selectors import pages
from khronika.monitoring.selectors.statistics import StatTable

# The chart's geometry, in SVG user units (it scales to the width of the page).
LABEL_WIDTH = 260
BAR_SPACE = 400
NUMBER_SPACE = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LABEL_LENGTH = 36


def _form(request: HttpRequest) -> StatisticsForm:
    terms = pages.vocabulary_term_rows([*pages.EVENT_VOCABULARIES, "act-types"])
    return StatisticsForm(request.GET or None, regions=regions(), terms=terms)


def _counted(request: HttpRequest, form: StatisticsForm) -> tuple[StatTable, dict[str, str]]:
    """The table the valid filters give, and those filters: a filter ``statistics`` refuses (a date it
    cannot read) gets the error on its field and is left out, and the others still apply."""
    by = form.dimension()
    while True:
        filters = {name: value for name, value in form.filters().items() if value}
        try:
            return selectors.statistics(actor=user_of(request), by=by, filters=filters), filters
        except ValidationFailed as error:
            if not set(error.fields) & set(filters):
                raise
            core_forms.put_errors(form, error)


def bar_chart(table: StatTable) -> Projection:
    """Where each bar of the table's acts goes: horizontal bars under one another, the longest as wide as
    the chart, each with its label on the left and its number at its end."""
    most = max((row.acts for row in table.rows), default=0)
    bars = []
    for number, row in enumerate(table.rows):
        y = number * ROW_HEIGHT
        width = round(row.acts / most * BAR_SPACE) if most else 0
        label = row.label if len(row.label) <= LABEL_LENGTH else row.label[: LABEL_LENGTH - 1] + "…"
        bars.append(
            Projection(
                row=row,
                label=label,
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                width=max(width, 1),
                number_x=LABEL_WIDTH + max(width, 1) + 6,
            )
        )
    return Projection(
        bars=bars,
        width=LABEL_WIDTH + BAR_SPACE + NUMBER_SPACE,
        height=max(len(bars), 1) * ROW_HEIGHT,
        label_x=LABEL_WIDTH - 8,
        bar_x=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
    )


def statistics_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    table, filters = _counted(request, form)
    context = {
        "form": form,
        "table": table,
        "chart": bar_chart(table),
        "csv_query": urlencode({"by": table.by, **filters}),
    }
    partial = wants_partial(request)
    template = "monitoring/statistics/_results.html" if partial else "monitoring/statistics/page.html"
    return render_varying(request, template, context)


def statistics_csv(request: HttpRequest) -> HttpResponse:
    """The table of the page with the same choices, as a CSV file. A filter that is not valid is refused
    (the page shows it on its field): a download does not silently count something else."""
    form = _form(request)
    table, _filters = _counted(request, form)
    if form.errors:
        raise ValidationFailed(
            fields={name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    response = HttpResponse(table.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="khronika-statistics-{table.by}.csv"'
    return response

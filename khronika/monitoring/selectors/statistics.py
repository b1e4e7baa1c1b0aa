"""Statistics of acts: how many acts and how many victims, by type of act, region, month, project or
type of event, over the events the reader may see.

Approximate dates are counted honestly. An act without a date of its own takes its event's. A date known
to the day or the month counts in its month; a date known only to the year counts in that year under
"month unknown", never in January; an unknown date counts under "date unknown". Every figure of a table
sums to its totals, except by project, where an event counted in two projects counts in both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.core.dates import DatePrecision
from khronika.core.errors import ValidationFailed
from khronika.directory.models import Region
from khronika.monitoring.models import Act, Term
from khronika.monitoring.selectors.events import EVENT_FILTERS, event_list, term_filter_with_descendants

DIMENSIONS = {
    "act_type": gettext_lazy("type of act"),
    "act_category": gettext_lazy("category of act"),
    "region": gettext_lazy("region"),
    "month": gettext_lazy("month"),
    "year": gettext_lazy("year"),
    "project": gettext_lazy("monitoring project"),
    "event_type": gettext_lazy("type of event"),
}
STAT_FILTERS = (*EVENT_FILTERS, "act_type")
UNKNOWN = "unknown"


@dataclass
class StatRow:
    key: str
    label: str
    acts: int = 0
    victims: int = 0


@dataclass
class StatTable:
    by: str
    rows: list[StatRow] = field(default_factory=list)
    acts: int = 0
    victims: int = 0
    # By month: how many acts are dated only to a year, and how many not at all (also in ``rows``).
    year_only: int = 0
    undated: int = 0

    @property
    def dimension_label(self) -> str:
        return str(DIMENSIONS[self.by])

    def as_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "acts": self.acts,
            "victims": self.victims,
            "year_only": self.year_only,
            "undated": self.undated,
            "rows": [row.__dict__ for row in self.rows],
        }

    def as_csv(self) -> str:
        """The table as CSV (key, label, acts, victims), its totals as the last line."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.by, "label", "acts", "victims"])
        for row in self.rows:
            writer.writerow([row.key, row.label, row.acts, row.victims])
        writer.writerow(["total", _("total"), self.acts, self.victims])
        return out.getvalue()


def statistics(*, actor: Any, by: str, filters: dict[str, str] | None = None) -> StatTable:
    """The counts of the reader's visible acts by ``by`` (one of ``DIMENSIONS``), after ``filters`` (the
    event list's, and ``act_type`` with its sub-types)."""
    if by not in DIMENSIONS:
        raise ValidationFailed(
            fields={"by": [_("Count by one of: %(known)s.") % {"known": ", ".join(DIMENSIONS)}]}
        )
    acts = _acts(actor, filters or {})
    table = StatTable(by=by)
    totals = acts.aggregate(acts=Count("id"), victims=Sum("victim_count"))
    table.acts, table.victims = totals["acts"] or 0, totals["victims"] or 0
    if by in ("month", "year"):
        _by_date(acts, table)
    elif by == "project":
        _by_terms(acts, table, "event__project_links__project")
    elif by == "event_type":
        _by_terms(acts, table, "event__event_type")
    elif by == "act_type":
        _by_terms(acts, table, "act_type")
    elif by == "act_category":
        _by_category(acts, table)
    else:
        _by_region(acts, table)
    return table


def _acts(actor: Any, filters: dict[str, str]) -> QuerySet[Act]:
    unknown = sorted(set(filters) - set(STAT_FILTERS))
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown filter.")] for name in unknown})
    event_filters = {k: v for k, v in filters.items() if k in EVENT_FILTERS}
    events = event_list(actor=actor, filters=event_filters)
    acts = Act.objects.filter(deleted_at__isnull=True, event__in=events.values("pk"))
    if filters.get("act_type"):
        types = term_filter_with_descendants("act-types", filters["act_type"], "act_type")
        acts = acts.filter(act_type__in=types)
    return acts


def _counted(queryset: QuerySet[Any], *keys: str) -> list[dict[str, Any]]:
    return list(
        queryset.values(*keys).annotate(n=Count("id"), v=Sum("victim_count")).order_by(*keys)  # type: ignore[arg-type]
    )


def _add(table: StatTable, key: str, label: str, acts: int, victims: int) -> None:
    for row in table.rows:
        if row.key == key:
            row.acts += acts
            row.victims += victims
            return
    table.rows.append(StatRow(key=key, label=label, acts=acts, victims=victims))


def _by_terms(acts: QuerySet[Act], table: StatTable, path: str) -> None:
    counted = _counted(acts, path)
    terms = Term.objects.in_bulk([row[path] for row in counted if row[path] is not None])
    for row in counted:
        term = terms.get(row[path])
        key, label = (term.code, term.name) if term else (UNKNOWN, _("not given"))
        _add(table, key, label, row["n"], row["v"] or 0)
    table.rows.sort(key=lambda r: (r.key == UNKNOWN, -r.acts, r.label))


def _by_category(acts: QuerySet[Act], table: StatTable) -> None:
    counted = _counted(acts, "act_type")
    every = {t.pk: t for t in Term.objects.filter(vocabulary__code="act-types")}
    for row in counted:
        top = every[row["act_type"]]
        while top.parent_id is not None:
            top = every[top.parent_id]
        _add(table, top.code, top.name, row["n"], row["v"] or 0)
    table.rows.sort(key=lambda r: (-r.acts, r.label))


def _by_region(acts: QuerySet[Act], table: StatTable) -> None:
    counted = _counted(acts.annotate(where=Coalesce("region", "event__region")), "where")
    regions = Region.objects.in_bulk([row["where"] for row in counted if row["where"] is not None])
    for row in counted:
        region = regions.get(row["where"])
        key, label = (region.code, region.name_ru) if region else (UNKNOWN, _("region not given"))
        _add(table, key, label, row["n"], row["v"] or 0)
    table.rows.sort(key=lambda r: (r.key == UNKNOWN, -r.acts, r.label))


def _by_date(acts: QuerySet[Act], table: StatTable) -> None:
    """By month (or year): an act's own date, or else its event's, at the precision it is known to."""
    own = ~_unknown("started")
    dated = acts.annotate(
        day=Case(When(own, then=F("started_on")), default=F("event__started_on")),
        precision=Case(
            When(own, then=F("started_precision")),
            default=F("event__started_precision"),
            output_field=CharField(),
        ),
    ).annotate(month=TruncMonth("day"))
    for row in _counted(dated, "month", "precision"):
        month: dt.date | None = row["month"]
        precision = row["precision"]
        if month is None or precision == DatePrecision.UNKNOWN:
            table.undated += row["n"]
            _add(table, UNKNOWN, _("date unknown"), row["n"], row["v"] or 0)
        elif table.by == "year" or precision in (DatePrecision.YEAR, DatePrecision.ESTIMATE):
            if table.by == "month":
                table.year_only += row["n"]
                label = _("%(year)d, month unknown") % {"year": month.year}
            else:
                label = str(month.year)
            _add(table, str(month.year), label, row["n"], row["v"] or 0)
        else:
            _add(table, f"{month:%Y-%m}", f"{month:%Y-%m}", row["n"], row["v"] or 0)
    # Months in order, a year's "month unknown" after its months, the undated last.
    table.rows.sort(key=lambda r: (r.key == UNKNOWN, r.key[:4], len(r.key) == 4, r.key))


def _unknown(prefix: str) -> Q:
    return Q(**{f"{prefix}_on__isnull": True}) | Q(**{f"{prefix}_precision": DatePrecision.UNKNOWN})

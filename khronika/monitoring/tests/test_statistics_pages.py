"""The statistics page: counts by a dimension drawn as an SVG bar chart with the same figures in a table,
the event list's filters and the type of act, approximate dates said as such, and the CSV download.

The assertions compare the page with ``selectors.statistics`` and read element ids, never the words of
the interface."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from khronika.monitoring import selectors, services
from khronika.monitoring.views_statistics import BAR_SPACE
from khronika.testing.second_factor import verified_login

pytestmark = pytest.mark.django_db

PAGE = reverse("monitoring:statistics")
CSV = reverse("monitoring:statistics_csv")


def text(response):
    return response.content.decode()


def event(actor, **values):
    return services.event_create(actor=actor, values={"title": "Событие", "type": "rally", **values})


def act(actor, on, **values):
    return services.act_add(
        actor=actor, event_id=on.pk, values={"type": "administrative-detention", **values}
    )


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def client_a(client, monitor):
    verified_login(client, monitor)
    return client


@pytest.fixture
def network(monitor, make_user, org_b):
    """Acts of org A dated to a day, a month, a year and not at all; and an internal event of org B."""
    may = event(monitor, started="2012-05-06", region="RU-MOW", projects=["assemblies-and-detentions"])
    act(monitor, may, victim_count="30", victim_group="участники")
    act(monitor, may, type="beating-during-detention")
    act(monitor, event(monitor, started="2012-05", region="RU-SPE"), victim_count="5", victim_group="пикет")
    act(monitor, event(monitor, started="2012", region="RU-SPE"), started="2012-12-01")
    act(monitor, event(monitor, started="2012", region="RU-MOW"))
    act(monitor, event(monitor))
    other = make_user("monitor", org_b)
    act(other, event(other, started="2012-05-06", region="RU-MOW"), victim_count="100", victim_group="чужие")


def shown_rows(page):
    """The table's rows as the page shows them: (key, acts, victims)."""
    found = re.findall(
        r'<tr class="stat-row" id="row-([^"]+)"><th scope="row">[^<]*</th>'
        r'<td class="acts">(\d+)</td><td class="victims">(\d+)</td></tr>',
        page,
    )
    return [(key, int(acts), int(victims)) for key, acts, victims in found]


def rows(table):
    return [(row.key, row.acts, row.victims) for row in table.rows]


@pytest.mark.parametrize("by", list(selectors.DIMENSIONS))
def test_the_page_draws_one_bar_per_row_and_its_table_holds_the_selectors_figures(
    client_a, monitor, network, by
):
    response = client_a.get(PAGE, {"by": by})
    assert response.status_code == 200
    table = selectors.statistics(actor=monitor, by=by)
    page = text(response)
    assert 'id="statistics-chart"' in page and 'role="img"' in page and "<title" in page
    assert page.count('<g class="bar"') == len(table.rows) > 0
    assert shown_rows(page) == rows(table)
    total = page.split('id="row-total"')[1].split("</tr>")[0]
    assert (
        f'<td class="acts">{table.acts}</td>' in total
        and f'<td class="victims">{table.victims}</td>' in total
    )
    assert table.victims == 39  # B's internal acts are not counted for A


def test_the_bars_are_scaled_to_the_largest_row(client_a, network):
    page = text(client_a.get(PAGE, {"by": "region"}))
    bars = dict(
        (key, (int(width), int(acts)))
        for key, width, acts in re.findall(
            r'<g class="bar" id="bar-([^"]+)">.*?<rect [^>]*width="(\d+)"[^>]*data-acts="(\d+)"', page, re.S
        )
    )
    assert bars == {"RU-MOW": (BAR_SPACE, 3), "RU-SPE": (round(2 / 3 * BAR_SPACE), 2), "unknown": (133, 1)}


def test_by_month_the_page_says_how_many_acts_are_dated_only_to_a_year_or_not_at_all(
    client_a, monitor, network
):
    page = text(client_a.get(PAGE))  # months by default
    table = selectors.statistics(actor=monitor, by="month")
    assert shown_rows(page) == rows(table)
    assert 'id="year-only"' in page and 'id="undated"' in page
    assert str(table.year_only) in page.split('id="year-only"')[1].split("</p>")[0]
    assert 'id="year-only"' not in text(client_a.get(PAGE, {"by": "region"}))


@pytest.mark.parametrize(
    "filters",
    [
        {"region": "RU-SPE"},
        {"district": "central"},
        {"act_type": "beating-during-detention"},
        {"act_type": "deprivation-of-liberty"},  # a type finds its sub-types
        {"project": "assemblies-and-detentions"},
        {"since": "2012-06"},
        {"until": "2012-05"},
        {"type": "public-assembly", "region": "RU-MOW"},
    ],
)
def test_the_filters_apply_as_the_selector_applies_them(client_a, monitor, network, filters):
    response = client_a.get(PAGE, {"by": "region", **filters})
    assert response.status_code == 200 and not response.context["form"].errors
    table = selectors.statistics(actor=monitor, by="region", filters=filters)
    assert shown_rows(text(response)) == rows(table)
    link = text(response).split('id="statistics-csv" href="')[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith(CSV) and all(f"{name}={value}" in link for name, value in filters.items())


def test_a_bad_filter_is_a_field_error_with_200_and_the_others_still_apply(client_a, monitor, network):
    response = client_a.get(
        PAGE, {"by": "region", "since": "позавчера", "act_type": "concert", "region": "RU-SPE"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"since", "act_type"}
    assert text(response).count('class="field invalid"') == 2
    table = selectors.statistics(actor=monitor, by="region", filters={"region": "RU-SPE"})
    assert shown_rows(text(response)) == rows(table)


def test_a_dimension_not_offered_is_a_field_error_and_months_are_counted(client_a, monitor, network):
    response = client_a.get(PAGE, {"by": "weather"})
    assert response.status_code == 200 and list(response.context["form"].errors) == ["by"]
    assert shown_rows(text(response)) == rows(selectors.statistics(actor=monitor, by="month"))


def test_an_htmx_request_gets_only_the_results(client_a, monitor, network):
    partial = client_a.get(PAGE, {"by": "region"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "HX-Request" in partial["Vary"]
    assert "<html" not in text(partial) and 'id="statistics-chart"' in text(partial)
    assert shown_rows(text(partial)) == rows(selectors.statistics(actor=monitor, by="region"))
    assert 'id="statistics-csv"' in text(partial)


def test_nothing_counted_shows_the_empty_state_without_a_chart(client_a, network):
    page = text(client_a.get(PAGE, {"region": "RU-PER"}))
    assert 'id="no-statistics"' in page and 'id="statistics-chart"' not in page


def test_the_csv_download_holds_the_same_figures(client_a, monitor, network):
    response = client_a.get(CSV, {"by": "region", "act_type": "administrative-detention"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and ".csv" in response["Content-Disposition"]
    )
    table = selectors.statistics(actor=monitor, by="region", filters={"act_type": "administrative-detention"})
    assert response.content.decode() == table.as_csv()
    read = list(csv.reader(io.StringIO(response.content.decode())))
    assert [(key, int(acts), int(victims)) for key, _label, acts, victims in read[1:-1]] == rows(table)
    assert read[-1][2:] == [str(table.acts), str(table.victims)]


def test_a_csv_with_a_bad_filter_is_refused_rather_than_counted_otherwise(client_a, network):
    assert client_a.get(CSV, {"by": "region", "since": "позавчера"}).status_code == 422
    assert client_a.get(CSV, {"by": "weather"}).status_code == 422


def test_the_navigation_links_to_the_page(client_a):
    assert f'href="{PAGE}" aria-current="page"' in text(client_a.get(PAGE))


def test_a_viewer_reads_the_statistics(client, make_user, org_a, network):
    verified_login(client, make_user("viewer", org_a))
    assert client.get(PAGE).status_code == 200 and client.get(CSV).status_code == 200


@pytest.mark.parametrize("path", [PAGE, CSV])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path, {"by": "region"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))

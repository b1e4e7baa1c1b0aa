"""Statistics of acts: counts by dimension over what the reader may see; approximate dates honestly."""

from __future__ import annotations

import pytest

from khronika.core.errors import ValidationFailed
from khronika.monitoring import selectors, services


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


def event(actor, **values):
    return services.event_create(actor=actor, values={"title": "Событие", "type": "rally", **values})


def act(actor, on, **values):
    return services.act_add(
        actor=actor, event_id=on.pk, values={"type": "administrative-detention", **values}
    )


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


def rows(table):
    return [(row.key, row.acts, row.victims) for row in table.rows]


def test_by_month_a_year_only_date_is_not_put_in_january_and_the_undated_are_counted_apart(monitor, network):
    table = selectors.statistics(actor=monitor, by="month")
    assert rows(table) == [
        ("2012-05", 3, 36),
        ("2012-12", 1, 1),  # the act's own day, not its event's year
        ("2012", 1, 1),
        ("unknown", 1, 1),
    ]
    assert (table.acts, table.victims, table.year_only, table.undated) == (6, 39, 1, 1)


def test_by_year_region_and_type(monitor, network):
    assert rows(selectors.statistics(actor=monitor, by="year")) == [("2012", 5, 38), ("unknown", 1, 1)]
    assert rows(selectors.statistics(actor=monitor, by="region")) == [
        ("RU-MOW", 3, 32),
        ("RU-SPE", 2, 6),
        ("unknown", 1, 1),
    ]
    by_type = selectors.statistics(actor=monitor, by="act_type")
    assert rows(by_type) == [("administrative-detention", 5, 38), ("beating-during-detention", 1, 1)]
    by_category = selectors.statistics(actor=monitor, by="act_category")
    assert [(r.key, r.acts) for r in by_category.rows] == [
        ("deprivation-of-liberty", 5),
        ("physical-integrity", 1),
    ]


def test_by_project_and_filters(monitor, network):
    by_project = selectors.statistics(actor=monitor, by="project")
    assert rows(by_project) == [("assemblies-and-detentions", 2, 31), ("unknown", 4, 8)]
    filtered = selectors.statistics(actor=monitor, by="region", filters={"region": "RU-SPE"})
    assert rows(filtered) == [("RU-SPE", 2, 6)]
    subtype = selectors.statistics(actor=monitor, by="year", filters={"act_type": "physical-integrity"})
    assert (subtype.acts, subtype.victims) == (1, 1)


def test_another_groups_internal_acts_are_not_counted_until_shared(monitor, make_user, org_b, network):
    assert selectors.statistics(actor=monitor, by="year").victims == 39
    outsider_view = selectors.statistics(actor=make_user("monitor", org_b), by="year")
    assert outsider_view.victims == 100
    assert selectors.statistics(actor=None, by="year").acts == 0


@pytest.mark.parametrize(
    ("by", "filters", "field"),
    [("colour", {}, "by"), ("month", {"since": "May"}, "since"), ("month", {"shoe": "x"}, "shoe")],
)
def test_bad_requests_name_their_field(monitor, by, filters, field):
    with pytest.raises(ValidationFailed) as raised:
        selectors.statistics(actor=monitor, by=by, filters=filters)
    assert field in raised.value.fields


def test_an_acts_counts_follow_its_events_changes_unless_the_act_has_its_own(monitor):
    rally = event(monitor, started="2012-05-06", region="RU-MOW")
    plain = act(monitor, rally)
    own = act(monitor, rally, started="2013-01", region="RU-SPE")

    services.event_update(actor=monitor, event_id=rally.pk, values={"started": "2014", "region": "RU-TVE"})

    assert rows(selectors.statistics(actor=monitor, by="region")) == [("RU-SPE", 1, 1), ("RU-TVE", 1, 1)]
    assert rows(selectors.statistics(actor=monitor, by="month")) == [("2013-01", 1, 1), ("2014", 1, 1)]
    plain.refresh_from_db()
    own.refresh_from_db()
    assert (plain.version, own.version) == (2, 1)  # only the act that copies the event changed
    services.event_update(actor=monitor, event_id=rally.pk, values={"type": "march"})
    by_type = selectors.statistics(actor=monitor, by="event_type", filters={"type": "public-assembly"})
    assert rows(by_type) == [("march", 2, 2)]


def test_period_filters_count_an_approximate_date_in_its_whole_month_or_year(monitor):
    act(monitor, event(monitor, started="2012-05"))
    act(monitor, event(monitor, started="2012"))
    act(monitor, event(monitor, started="2012-04-30"))
    act(monitor, event(monitor))
    in_may = selectors.statistics(
        actor=monitor, by="month", filters={"since": "2012-05-31", "until": "2012-05-31"}
    )
    assert rows(in_may) == [("2012-05", 1, 1), ("2012", 1, 1)]


def test_the_shared_part_is_counted_again_after_any_change(monitor, make_user, org_b):
    other = make_user("monitor", org_b)
    shared = event(other, tier="network", started="2012-05-06")
    act(other, shared, victim_count="7", victim_group="группа")
    assert selectors.statistics(actor=monitor, by="year").victims == 7
    act(other, shared, victim_count="3", victim_group="ещё")
    assert selectors.statistics(actor=monitor, by="year").victims == 10
    act(monitor, event(monitor, started="2012"))
    assert selectors.statistics(actor=monitor, by="year").victims == 11
    assert selectors.statistics(actor=other, by="year").victims == 10

"""Events: writing them through the services, who may see and change them, and finding them by filters."""

from __future__ import annotations

import datetime as dt

import pytest

from khronika.accounts.policies import record_read_ceiling
from khronika.core.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.core.tiers import Tier
from khronika.monitoring import selectors, services
from khronika.monitoring.models import Event, EventRelation

RALLY = {
    "title": "Задержания на акции 6 мая",
    "description": "Более 400 задержанных на Болотной площади.",
    "started": "2012-05-06",
    "region": "RU-MOW",
    "place": "Болотная площадь",
    "latitude": "55.7424",
    "longitude": "37.6133",
    "type": "rally",
    "projects": ["assemblies-and-detentions"],
    "violation_status": "corroborated",
    "monitoring_status": "being-documented",
}


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def rally(monitor):
    return services.event_create(actor=monitor, values=RALLY)


def titles(events):
    return sorted(e.title for e in events)


# --- writing ------------------------------------------------------------------------------------------


def test_an_event_is_created_internal_to_its_group_with_its_terms_and_one_change(monitor, org_a):
    before = ChangeLogEntry.objects.count()
    event = services.event_create(actor=monitor, values=RALLY)
    assert (event.steward_id, event.tier, event.version) == (org_a.pk, "internal", 1)
    assert (event.started_on, event.started_precision) == (dt.date(2012, 5, 6), "day")
    assert event.event_type.code == "rally" and event.region.code == "RU-MOW"
    assert str(event.latitude) == "55.74240"
    entry = ChangeLogEntry.objects.get(entity="monitoring.event", entity_id=event.pk)
    assert ChangeLogEntry.objects.count() == before + 1
    assert entry.payload["projects"] == ["assemblies-and-detentions"]
    assert AuditEntry.objects.filter(entity="monitoring.event", entity_id=str(event.pk)).exists()


def test_terms_are_found_by_name_too_and_an_unknown_term_names_the_field(monitor):
    event = services.event_create(
        actor=monitor, values={"title": "Пикет", "type": "Одиночный пикет", "projects": ["Суды"]}
    )
    assert event.event_type.code == "single-person-picket"
    assert [link.project.code for link in event.project_links.all()] == ["courts"]
    with pytest.raises(ValidationFailed) as raised:
        services.event_create(actor=monitor, values={"title": "Пикет", "type": "concert"})
    assert set(raised.value.fields) == {"type"}
    assert "rally" in raised.value.fields["type"][0]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "x", "started": "2012-05-06", "ended": "2012-05-01"}, "ended"),
        ({"title": "x", "ended": "2012"}, "started"),
        ({"title": "x", "started": "6 мая"}, "started"),
        ({"title": "x", "latitude": "91", "longitude": "10"}, "latitude"),
        ({"title": "x", "latitude": "55.7"}, "longitude"),
        ({"title": "x", "region": "RU-XXX"}, "region"),
        ({"title": "x", "tier": "protected"}, "tier"),
        ({"title": "x", "projects": "courts"}, "projects"),
        ({"title": "x", "colour": "red"}, "colour"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(monitor, values, field):
    before = (Event.objects.count(), ChangeLogEntry.objects.count())
    with pytest.raises(ValidationFailed) as raised:
        services.event_create(actor=monitor, values=values)
    assert field in raised.value.fields
    assert (Event.objects.count(), ChangeLogEntry.objects.count()) == before


def test_an_approximate_end_may_reach_past_an_exact_start(monitor):
    event = services.event_create(
        actor=monitor, values={"title": "x", "started": "2012-05-06", "ended": "2012"}
    )
    assert event.latest_on == dt.date(2012, 12, 31)
    month = services.event_create(actor=monitor, values={"title": "y", "started": "2012-02"})
    assert month.latest_on == dt.date(2012, 2, 29)


def test_an_edit_checks_the_version_and_changes_only_what_it_names(monitor, rally):
    updated = services.event_update(
        actor=monitor,
        event_id=rally.pk,
        expected_version=1,
        values={"monitoring_status": "verified", "projects": ["assemblies-and-detentions", "courts"]},
    )
    assert updated.version == 2 and updated.monitoring_status.code == "verified"
    assert updated.title == RALLY["title"]
    assert sorted(link.project.code for link in updated.project_links.all()) == [
        "assemblies-and-detentions",
        "courts",
    ]
    with pytest.raises(Conflict):
        services.event_update(actor=monitor, event_id=rally.pk, expected_version=1, values={"place": "x"})
    unchanged = services.event_update(actor=monitor, event_id=rally.pk, values={"place": RALLY["place"]})
    assert unchanged.version == 2


# --- who may ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["monitor", "lawyer", "hotline_operator", "editor", "coordinator", "member"])
def test_every_member_but_a_viewer_records_events_of_their_group(make_user, org_a, role):
    assert services.event_create(actor=make_user(role, org_a), values={"title": "x"}).steward_id == org_a.pk


def test_a_viewer_and_an_anonymous_visitor_record_nothing(make_user, org_a):
    with pytest.raises(PermissionDenied):
        services.event_create(actor=make_user("viewer", org_a), values={"title": "x"})
    with pytest.raises(NotAuthenticated):
        services.event_create(actor=None, values={"title": "x"})


def test_another_group_cannot_see_change_or_relate_an_internal_event(make_user, org_b, rally):
    outsider = make_user("coordinator", org_b)
    with pytest.raises(NotFound):
        selectors.event_card(actor=outsider, event_id=rally.pk)
    with pytest.raises(NotFound):
        services.event_update(actor=outsider, event_id=rally.pk, values={"title": "y"})
    with pytest.raises(NotFound):
        services.event_delete(actor=outsider, event_id=rally.pk)
    theirs = services.event_create(actor=outsider, values={"title": "Их событие"})
    with pytest.raises(NotFound):
        services.event_relate(actor=outsider, event_id=theirs.pk, relation="follows", other_event_id=rally.pk)
    assert titles(selectors.event_list(actor=outsider)) == ["Их событие"]


def test_a_shared_event_is_read_by_the_network_but_written_only_by_its_group(
    make_user, org_b, monitor, rally
):
    services.event_update(actor=monitor, event_id=rally.pk, values={"tier": "network"})
    outsider = make_user("viewer", org_b)
    card = selectors.event_card(actor=outsider, event_id=rally.pk)
    assert card.title == RALLY["title"] and card.may_edit is False
    with pytest.raises(PermissionDenied):
        services.event_update(actor=make_user("coordinator", org_b), event_id=rally.pk, values={"title": "y"})
    assert titles(selectors.event_list(actor=None)) == []


def test_only_coordinators_monitors_and_administrators_publish(make_user, org_a, rally):
    with pytest.raises(PermissionDenied):
        services.event_update(actor=make_user("lawyer", org_a), event_id=rally.pk, values={"tier": "public"})
    with pytest.raises(PermissionDenied):
        services.event_create(actor=make_user("editor", org_a), values={"title": "x", "tier": "public"})
    services.event_update(actor=make_user("coordinator", org_a), event_id=rally.pk, values={"tier": "public"})
    assert titles(selectors.event_list(actor=None)) == [RALLY["title"]]
    assert selectors.event_card(actor=None, event_id=rally.pk).region_code == "RU-MOW"


def test_generic_code_reads_an_event_as_its_own_selectors_do(make_user, org_b, rally):
    outsider = make_user("coordinator", org_b)
    # The record policy gives the outsider network fields, and the event's internal row tier hides them.
    assert record_read_ceiling(outsider, rally) == Tier.NETWORK
    assert selectors.event_list(actor=outsider).filter(pk=rally.pk).exists() is False


def test_a_deleted_event_is_gone_for_everyone(monitor, rally):
    services.event_delete(actor=monitor, event_id=rally.pk, expected_version=1)
    with pytest.raises(NotFound):
        selectors.event_card(actor=monitor, event_id=rally.pk)
    assert titles(selectors.event_list(actor=monitor)) == []


# --- chains -------------------------------------------------------------------------------------------


def test_events_are_chained_once_and_unchained(monitor, rally):
    trial = services.event_create(
        actor=monitor, values={"title": "Суд над задержанными", "type": "court-hearing"}
    )
    link = services.event_relate(
        actor=monitor, event_id=rally.pk, relation="precedes", other_event_id=trial.pk
    )
    assert (link.source_id, link.target_id, link.relation.code) == (rally.pk, trial.pk, "precedes")
    with pytest.raises(Conflict):
        services.event_relate(actor=monitor, event_id=rally.pk, relation="precedes", other_event_id=trial.pk)
    with pytest.raises(ValidationFailed):
        services.event_relate(actor=monitor, event_id=rally.pk, relation="precedes", other_event_id=rally.pk)
    services.event_unrelate(actor=monitor, relation_id=link.pk)
    again = services.event_relate(
        actor=monitor, event_id=rally.pk, relation="precedes", other_event_id=trial.pk
    )
    assert EventRelation.objects.filter(deleted_at__isnull=True).get() == again


# --- finding ----------------------------------------------------------------------------------------------


def test_filters_narrow_the_list_and_a_type_includes_its_sub_types(monitor):
    services.event_create(actor=monitor, values={**RALLY, "title": "Митинг"})
    services.event_create(
        actor=monitor,
        values={
            "title": "Пикет в Перми",
            "type": "single-person-picket",
            "region": "RU-PER",
            "started": "2013-03",
        },
    )
    services.event_create(
        actor=monitor, values={"title": "Смерть в СИЗО", "type": "death-caused-by-the-state"}
    )
    assert titles(selectors.event_list(actor=monitor, filters={"type": "public-assembly"})) == [
        "Митинг",
        "Пикет в Перми",
    ]
    assert titles(selectors.event_list(actor=monitor, filters={"district": "volga"})) == ["Пикет в Перми"]
    assert titles(selectors.event_list(actor=monitor, filters={"project": "assemblies-and-detentions"})) == [
        "Митинг"
    ]
    assert titles(selectors.event_list(actor=monitor, filters={"monitoring_status": "being-documented"})) == [
        "Митинг"
    ]
    # A month-precision date is in every period that overlaps its month; an unknown date in none.
    assert titles(selectors.event_list(actor=monitor, filters={"since": "2013-03-31"})) == ["Пикет в Перми"]
    assert titles(selectors.event_list(actor=monitor, filters={"until": "2012"})) == ["Митинг"]
    assert titles(selectors.event_list(actor=monitor, filters={"since": "2012-05", "until": "2012-05"})) == [
        "Митинг"
    ]


def test_an_unknown_filter_or_value_is_an_error_naming_it(monitor):
    with pytest.raises(ValidationFailed) as raised:
        selectors.event_list(actor=monitor, filters={"colour": "red"})
    assert set(raised.value.fields) == {"colour"}
    with pytest.raises(ValidationFailed) as raised:
        selectors.event_list(actor=monitor, filters={"type": "concert"})
    assert set(raised.value.fields) == {"type"}
    with pytest.raises(ValidationFailed) as raised:
        selectors.event_list(actor=monitor, filters={"since": "May"})
    assert set(raised.value.fields) == {"since"}

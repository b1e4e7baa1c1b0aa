"""Acts: who they name and how, counts that stay right, their tier following the event's, and sealing."""

from __future__ import annotations

import datetime as dt

import pytest

from khronika.core import crypto
from khronika.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from khronika.core.models import ChangeLogEntry
from khronika.core.projection import SEALED
from khronika.monitoring import selectors, services
from khronika.monitoring.models import Act, Individual
from khronika.testing.keys import opening_for

RALLY = {"title": "Задержания на Триумфальной", "started": "2011-12-04", "region": "RU-MOW", "type": "rally"}


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def rally(monitor):
    return services.event_create(actor=monitor, values=RALLY)


def test_a_group_act_counts_its_victims_and_the_event_totals_them(monitor, rally):
    services.act_add(
        actor=monitor,
        event_id=rally.pk,
        values={"type": "administrative-detention", "victim_group": "участники схода", "victim_count": "198"},
    )
    services.act_add(actor=monitor, event_id=rally.pk, values={"type": "beating-during-detention"})
    card = selectors.event_card(actor=monitor, event_id=rally.pk)
    assert (card["acts"], card["victims"]) == (2, 199)
    group = Act.objects.get(act_type__code="administrative-detention")
    assert (group.victim_kind, group.victim_count, group.tier) == ("group", 198, "internal")


def test_a_named_victim_is_sealed_at_rest_and_opened_only_with_a_key(monitor, rally):
    act = services.act_add(
        actor=monitor,
        event_id=rally.pk,
        values={
            "type": "administrative-detention",
            "victim_name": "Канарейкина Анна",
            "victim_birth_year": "1990",
            "case_number": "5-1234/2011",
            "police_station": "ОВД Тверской",
        },
    )
    person = Individual.objects.get(pk=act.victim_id)
    assert crypto.is_sealed(Individual.objects.values_list("name", flat=True).get(pk=person.pk))
    assert crypto.is_sealed(Act.objects.values_list("case_number", flat=True).get(pk=act.pk))
    assert (act.victim_kind, act.victim_count, person.birth_year) == ("person", 1, 1990)

    closed = selectors.event_acts(actor=monitor, event_id=rally.pk)[0]
    assert closed["victim_name"] is SEALED and closed["case_number"] is SEALED
    opened = selectors.event_acts(actor=monitor, event_id=rally.pk, opening=opening_for(monitor))[0]
    assert (opened["victim_name"], opened["case_number"]) == ("Канарейкина Анна", "5-1234/2011")
    assert opened["police_station"] == "ОВД Тверской" and opened["opened"]


def test_an_individual_on_record_is_the_victim_of_a_second_act(monitor, rally):
    first = services.act_add(
        actor=monitor, event_id=rally.pk, values={"type": "administrative-detention", "victim_name": "Иванов"}
    )
    second = services.act_add(
        actor=monitor, event_id=rally.pk, values={"type": "torture", "victim": str(first.victim_id)}
    )
    assert second.victim_id == first.victim_id
    assert Individual.objects.count() == 1


def test_a_member_of_the_group_without_protected_reading_may_not_name_a_victim(make_user, org_a, rally):
    editor = make_user("editor", org_a)
    with pytest.raises(PermissionDenied):
        services.act_add(
            actor=editor, event_id=rally.pk, values={"type": "administrative-detention", "victim_name": "X"}
        )
    assert not Individual.objects.exists() and not Act.objects.exists()
    act = services.act_add(actor=editor, event_id=rally.pk, values={"type": "administrative-detention"})
    rows = selectors.event_acts(actor=editor, event_id=rally.pk)
    assert rows[0]["id"] == act.pk and "victim_name" not in rows[0] and "case_number" not in rows[0]


def test_another_groups_individual_cannot_be_named_by_id(make_user, org_b, monitor, rally):
    other = make_user("monitor", org_b)
    theirs = services.event_create(actor=other, values={"title": "Обыск", "type": "rally"})
    act = services.act_add(
        actor=other, event_id=theirs.pk, values={"type": "search", "victim_name": "Петров"}
    )
    with pytest.raises(ValidationFailed) as raised:
        services.act_add(
            actor=monitor, event_id=rally.pk, values={"type": "search", "victim": str(act.victim_id)}
        )
    assert set(raised.value.fields) == {"victim"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "type"),
        ({"type": "teleportation"}, "type"),
        ({"type": "torture", "victim_count": "0"}, "victim_count"),
        ({"type": "torture", "victim_count": "много"}, "victim_count"),
        ({"type": "torture", "victim_name": "Иванов", "victim_count": "3"}, "victim_group"),
        ({"type": "torture", "victim_birth_year": "1990"}, "victim_birth_year"),
        ({"type": "torture", "victim_name": "Иванов", "victim_birth_year": "90"}, "victim_birth_year"),
        ({"type": "torture", "started": "2012-05-06", "ended": "2012-04"}, "ended"),
        ({"type": "torture", "consequences": "death"}, "consequences"),
        ({"type": "torture", "consequences": ["levitation"]}, "consequences"),
        ({"type": "torture", "statements_signed": "perhaps"}, "statements_signed"),
        ({"type": "torture", "region": "RU-XXX"}, "region"),
        ({"type": "torture", "victim": "not-an-id"}, "victim"),
        ({"type": "torture", "colour": "red"}, "colour"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(monitor, rally, values, field):
    before = ChangeLogEntry.objects.count()
    with pytest.raises(ValidationFailed) as raised:
        services.act_add(actor=monitor, event_id=rally.pk, values=values)
    assert field in raised.value.fields
    assert ChangeLogEntry.objects.count() == before
    assert not Act.objects.exists() and not Individual.objects.exists()


def test_details_and_consequences_are_kept_and_an_edit_checks_the_version(monitor, rally):
    act = services.act_add(
        actor=monitor,
        event_id=rally.pk,
        values={
            "type": "death-in-custody",
            "started": "2012-05",
            "autopsy": "Вскрытие проведено, заключение не выдано",
            "death_certificate": "выдано 12.05.2012",
            "consequences": ["death", "Психологическая травма"],
            "end_status": "dead",
            "detention_place": "temporary-detention-facility",
        },
    )
    row = selectors.act_card(actor=monitor, act_id=act.pk)
    assert row["consequences"] == ["death", "psychological-trauma"]
    assert (row["end_status"], row["detention_place"], row["started"]) == (
        "dead",
        "temporary-detention-facility",
        "2012-05",
    )
    assert act.latest_on == dt.date(2012, 5, 31)

    services.act_update(actor=monitor, act_id=act.pk, values={"consequences": ["death"]}, expected_version=1)
    assert selectors.act_card(actor=monitor, act_id=act.pk)["consequences"] == ["death"]
    with pytest.raises(Conflict):
        services.act_update(actor=monitor, act_id=act.pk, values={"notes": "поздно"}, expected_version=1)
    unchanged = services.act_update(actor=monitor, act_id=act.pk, values={"consequences": ["death"]})
    assert unchanged.version == 2


def test_a_group_turns_into_a_named_person_only_when_its_count_is_cleared(monitor, rally):
    act = services.act_add(
        actor=monitor,
        event_id=rally.pk,
        values={"type": "search", "victim_count": "5", "victim_group": "семья"},
    )
    with pytest.raises(ValidationFailed):
        services.act_update(actor=monitor, act_id=act.pk, values={"victim_name": "Иванов"})
    act = services.act_update(
        actor=monitor,
        act_id=act.pk,
        values={"victim_name": "Иванов", "victim_group": "", "victim_count": "1"},
    )
    assert (act.victim_kind, act.victim_count, act.victim is not None) == ("person", 1, True)


def test_acts_take_the_events_tier_when_it_changes(monitor, rally, make_user, org_b):
    act = services.act_add(actor=monitor, event_id=rally.pk, values={"type": "search"})
    outsider = make_user("monitor", org_b)
    with pytest.raises(NotFound):
        selectors.event_acts(actor=outsider, event_id=rally.pk)

    services.event_update(actor=monitor, event_id=rally.pk, values={"tier": "network"})

    act.refresh_from_db()
    assert act.tier == "network"
    assert [row["id"] for row in selectors.event_acts(actor=outsider, event_id=rally.pk)] == [act.pk]
    with pytest.raises(PermissionDenied):
        services.act_update(actor=outsider, act_id=act.pk, values={"notes": "чужое"})


def test_a_deleted_act_leaves_the_totals(monitor, rally):
    act = services.act_add(actor=monitor, event_id=rally.pk, values={"type": "search", "victim_count": "4"})
    services.act_delete(actor=monitor, act_id=act.pk, expected_version=1)
    assert selectors.event_acts(actor=monitor, event_id=rally.pk) == []
    assert selectors.event_card(actor=monitor, event_id=rally.pk)["victims"] == 0
    with pytest.raises(NotFound):
        selectors.act_card(actor=monitor, act_id=act.pk)

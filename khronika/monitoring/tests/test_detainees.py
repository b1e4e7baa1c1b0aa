"""Bulk entry of a mass detention: a pasted list becomes one act per person, counts stay right, and names
already on record are suggested before they are written twice."""

from __future__ import annotations

import datetime as dt

import pytest

from khronika.core.errors import PermissionDenied, ValidationFailed
from khronika.core.models import AuditEntry
from khronika.monitoring import selectors, services
from khronika.monitoring.models import Act, Individual
from khronika.monitoring.services.detainees import detainees_add, detainees_parse, detainees_preview
from khronika.testing.keys import opening_for

PASTED = """Иванов Иван Сергеевич\tОВД Тверской\t14:30
Петрова Анна; ОВД Басманный

Sidorov Petr, ОВД Арбат, 15.05
"""


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def rally(monitor):
    event = services.event_create(
        actor=monitor, values={"title": "Сход", "type": "rally", "started": "2012-05-06"}
    )
    services.act_add(
        actor=monitor,
        event_id=event.pk,
        values={"type": "administrative-detention", "victim_group": "участники", "victim_count": "39"},
    )
    return event


def test_a_pasted_list_is_read_line_by_line_in_any_of_three_separators():
    lines = detainees_parse(PASTED)
    assert [(e.line, e.name, e.police_station, e.time) for e in lines] == [
        (1, "Иванов Иван Сергеевич", "ОВД Тверской", dt.time(14, 30)),
        (2, "Петрова Анна", "ОВД Басманный", None),
        (4, "Sidorov Petr", "ОВД Арбат", dt.time(15, 5)),
    ]
    assert not any(e.errors for e in lines)
    bad = detainees_parse("; ОВД\nИванов; ОВД; лишнее; 12:00\nПетров; 25:61\nиванов; ОВД")
    assert [bool(e.errors) for e in bad] == [True, True, True, False]
    assert bad[3].repeats == 2
    with pytest.raises(ValidationFailed):
        detainees_parse(" \n ")


def test_named_detainees_come_out_of_the_events_group_so_the_total_stays_right(monitor, rally):
    report = detainees_add(actor=monitor, event_id=rally.pk, text=PASTED)
    assert (report.added, report.group_before, report.group_after, report.victims) == (3, 39, 36, 39)
    named = Act.objects.filter(event=rally, victim_kind="person").order_by("police_station")
    assert [a.police_station for a in named] == ["ОВД Арбат", "ОВД Басманный", "ОВД Тверской"]
    first = Act.objects.get(police_station="ОВД Тверской")
    assert (first.started_on, first.started_time, first.detention_place.code) == (
        dt.date(2012, 5, 6),
        dt.time(14, 30),
        "police-station",
    )
    assert selectors.event_card(actor=monitor, event_id=rally.pk)["victims"] == 39


def test_more_names_than_the_group_held_remove_the_group_and_add_to_the_total(monitor):
    event = services.event_create(actor=monitor, values={"title": "Пикет", "type": "picket"})
    services.act_add(
        actor=monitor, event_id=event.pk, values={"type": "administrative-detention", "victim_count": "2"}
    )
    report = detainees_add(actor=monitor, event_id=event.pk, text=PASTED)
    assert (report.group_before, report.group_after, report.victims) == (2, 0, 3)
    assert not Act.objects.filter(event=event, victim_kind="group", deleted_at__isnull=True).exists()


def test_a_bad_line_writes_nothing_and_is_named(monitor, rally):
    with pytest.raises(ValidationFailed) as raised:
        detainees_add(actor=monitor, event_id=rally.pk, text="Иванов; ОВД\n; ОВД Арбат")
    assert set(raised.value.fields) == {"line 2"}
    assert Individual.objects.count() == 0
    assert Act.objects.get(event=rally).victim_count == 39


def test_names_on_record_are_suggested_in_any_script_and_a_match_reuses_the_individual(monitor, rally):
    detainees_add(actor=monitor, event_id=rally.pk, text="Сидоров Пётр; ОВД Арбат")
    known = Individual.objects.get()
    audited = AuditEntry.objects.count()

    preview = detainees_preview(
        actor=monitor, event_id=rally.pk, text=PASTED, opening=opening_for(monitor, purpose="verify")
    )
    assert [[c.individual for c in e.candidates] for e in preview] == [[], [], [known.pk]]
    assert preview[2].candidates[0].name == "Сидоров Пётр"
    assert AuditEntry.objects.count() > audited  # opening the names is audited
    assert all(not e.candidates for e in detainees_preview(actor=monitor, event_id=rally.pk, text=PASTED))

    detainees_add(actor=monitor, event_id=rally.pk, text=PASTED, matches={4: str(known.pk)})
    assert Individual.objects.count() == 3
    assert Act.objects.filter(victim=known).count() == 2
    with pytest.raises(ValidationFailed) as raised:
        detainees_add(actor=monitor, event_id=rally.pk, text=PASTED, matches={9: str(known.pk)})
    assert set(raised.value.fields) == {"line 9"}


def test_only_roles_that_read_names_enter_a_list_of_names(make_user, org_a, rally):
    with pytest.raises(PermissionDenied):
        detainees_add(actor=make_user("editor", org_a), event_id=rally.pk, text=PASTED)
    assert Individual.objects.count() == 0

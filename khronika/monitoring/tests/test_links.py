"""Perpetrators, sources and interventions: who did it, how we know, what was done about it."""

from __future__ import annotations

import pytest

from khronika.core import crypto
from khronika.core.errors import PermissionDenied, ValidationFailed
from khronika.core.projection import SEALED
from khronika.monitoring import selectors, services
from khronika.monitoring.models import Individual, Information, Involvement
from khronika.monitoring.services import links
from khronika.testing.factories import OrganisationFactory, PersonFactory
from khronika.testing.keys import opening_for


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def rally(monitor):
    return services.event_create(
        actor=monitor, values={"title": "Сход", "type": "rally", "started": "2012-05"}
    )


@pytest.fixture
def detention(monitor, rally):
    return services.act_add(
        actor=monitor, event_id=rally.pk, values={"type": "administrative-detention", "victim_count": "12"}
    )


def test_a_perpetrator_is_a_directory_record_or_a_description_and_follows_the_acts_tier(
    monitor, rally, detention, make_user, org_b
):
    judge = PersonFactory(name_ru="Судья Сыроежкин")
    court = OrganisationFactory(name_ru="Тверской районный суд")
    links.involvement_add(
        actor=monitor,
        act_id=detention.pk,
        values={
            "perpetrator_person": str(judge.pk),
            "degree": "ordered",
            "perpetrator_type": "courts-and-judges",
        },
    )
    links.involvement_add(
        actor=monitor,
        act_id=detention.pk,
        values={
            "perpetrator": "сотрудники ОМОН без знаков различия",
            "degree": "carried-out",
            "perpetrator_type": "omon",
        },
    )
    links.involvement_add(
        actor=monitor,
        act_id=detention.pk,
        values={"perpetrator_organisation": str(court.pk), "degree": "ordered"},
    )
    row = selectors.act_card(actor=monitor, act_id=detention.pk)
    assert sorted(i["degree"] for i in row["involvements"]) == ["carried-out", "ordered", "ordered"]
    assert any(i.get("perpetrator_person_name") == "Судья Сыроежкин" for i in row["involvements"])

    by_kind = selectors.statistics(actor=monitor, by="perpetrator_type")
    assert sorted((r.key, r.acts, r.victims) for r in by_kind.rows) == [
        ("courts-and-judges", 1, 12),
        ("omon", 1, 12),
        ("unknown", 1, 12),
    ]
    assert by_kind.rows[-1].key == "unknown"
    outsider = make_user("monitor", org_b)
    services.event_update(actor=monitor, event_id=rally.pk, values={"tier": "network"})
    assert {link.tier for link in Involvement.objects.all()} == {"network"}
    seen = selectors.act_card(actor=outsider, act_id=detention.pk)["involvements"]
    assert len(seen) == 3 and all("degree" in i for i in seen)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"degree": "ordered"}, "perpetrator"),
        ({"perpetrator": "ОМОН"}, "degree"),
        ({"perpetrator": "ОМОН", "degree": "blessed"}, "degree"),
        (
            {"perpetrator_person": "00000000-0000-0000-0000-000000000000", "degree": "ordered"},
            "perpetrator_person",
        ),
        ({"perpetrator": "ОМОН", "degree": "ordered", "mood": "bad"}, "mood"),
    ],
)
def test_a_bad_involvement_names_its_field(monitor, detention, values, field):
    with pytest.raises(ValidationFailed) as raised:
        links.involvement_add(actor=monitor, act_id=detention.pk, values=values)
    assert field in raised.value.fields
    assert not Involvement.objects.exists()


def test_a_source_carries_its_reliability_and_a_witness_name_is_sealed(monitor, rally, make_user, org_b):
    links.information_add(
        actor=monitor,
        event_id=rally.pk,
        values={
            "source_kind": "media",
            "title": "Репортаж о задержаниях",
            "url": "https://example.org/report",
            "reliability": "usually-reliable",
            "language": "ru",
            "dated": "2012-05-07",
        },
    )
    links.information_add(
        actor=monitor,
        event_id=rally.pk,
        values={"source_name": "Свидетельница Тайная", "connection": "eyewitness", "reliability": "high"},
    )
    witness = Individual.objects.get()
    assert crypto.is_sealed(Individual.objects.values_list("name", flat=True).get(pk=witness.pk))
    rows = selectors.event_information(actor=monitor, event_id=rally.pk)
    assert [(r["source_kind"], r["reliability"], r["dated"]) for r in rows] == [
        ("media", "usually-reliable", "2012-05-07"),
        ("person", "high", ""),
    ]
    assert rows[1]["source_name"] is SEALED
    opened = selectors.event_information(actor=monitor, event_id=rally.pk, opening=opening_for(monitor))
    assert opened[1]["source_name"] == "Свидетельница Тайная"

    services.event_update(actor=monitor, event_id=rally.pk, values={"tier": "network"})
    assert selectors.event_information(actor=make_user("monitor", org_b), event_id=rally.pk) == []
    with pytest.raises(PermissionDenied):
        links.information_add(
            actor=make_user("editor", rally.steward),
            event_id=rally.pk,
            values={"source_name": "Другой", "reliability": "high"},
        )
    with pytest.raises(ValidationFailed) as raised:
        links.information_add(actor=monitor, event_id=rally.pk, values={"source_kind": "rumour"})
    assert {"source_kind", "reliability"} <= set(raised.value.fields)
    assert Information.objects.count() == 2


def test_an_intervention_is_recorded_changed_and_kept_internal(monitor, rally, detention, make_user, org_b):
    record = links.intervention_add(
        actor=monitor,
        event_id=rally.pk,
        values={
            "act": str(detention.pk),
            "type": "complaint-to-prosecutor",
            "dated": "2012-05-10",
            "parties_requested": "Прокуратура г. Москвы",
            "status": "awaiting-response",
            "priority": "high",
        },
    )
    assert record.by_organisation_id == monitor.organisation_id
    links.intervention_update(
        actor=monitor,
        intervention_id=record.pk,
        values={"status": "completed", "response": "refused", "impact": "no-visible-impact"},
        expected_version=1,
    )
    rows = selectors.event_interventions(actor=monitor, event_id=rally.pk)
    assert [(r["intervention_type"], r["status"], r["response"]) for r in rows] == [
        ("complaint-to-prosecutor", "completed", "refused")
    ]
    services.event_update(actor=monitor, event_id=rally.pk, values={"tier": "network"})
    assert selectors.event_interventions(actor=make_user("monitor", org_b), event_id=rally.pk) == []
    other_event = services.event_create(actor=monitor, values={"title": "Другое", "type": "rally"})
    with pytest.raises(ValidationFailed) as raised:
        links.intervention_add(
            actor=monitor,
            event_id=other_event.pk,
            values={"act": str(detention.pk), "type": "appeal", "status": "planned"},
        )
    assert set(raised.value.fields) == {"act"}

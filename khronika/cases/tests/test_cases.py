"""The case desk: a call becomes a case, the case its event, the event a figure; and who may see any of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from khronika.cases import selectors, services
from khronika.cases.models import Case, Intake, Referral, RequestLimit
from khronika.core import crypto
from khronika.core.errors import Conflict, NotFound, PermissionDenied, TooManyRequests, ValidationFailed
from khronika.core.models import ChangeLogEntry
from khronika.core.projection import SEALED
from khronika.directory.models import Region
from khronika.monitoring import selectors as monitoring_selectors
from khronika.monitoring.models import Individual
from khronika.testing.factories import OrganisationFactory
from khronika.testing.keys import opening_for

CALL = {
    "channel": "phone",
    "caller_name": "Заявительница Скрытная",
    "contact": "+7 900 123 45 67",
    "summary": "Сына задержали у метро, держат в ОВД, адвоката не пускают.",
    "urgency": "urgent",
    "region": "RU-MOW",
}


@pytest.fixture
def operator(make_user, org_a):
    return make_user("hotline_operator", org_a)


@pytest.fixture
def lawyer(make_user, org_a):
    return make_user("lawyer", org_a)


def test_a_call_becomes_a_case_then_an_event_and_is_counted(operator, lawyer):
    """The whole flow, typed once: call → intake → case → event with its act → statistics."""
    intake = services.intake_create(actor=operator, values=CALL)
    assert crypto.is_sealed(Intake.objects.values_list("contact", flat=True).get(pk=intake.pk))
    assert crypto.is_sealed(Individual.objects.values_list("name", flat=True).get(pk=intake.caller_id))

    case = services.case_open(
        actor=lawyer,
        intake_id=intake.pk,
        values={"title": "Задержание у метро", "category": "protest-detentions"},
    )
    assert (case.number, case.client_id, case.region.code, case.lawyer_id) == (
        f"{timezone.localdate().year}-0001",
        intake.caller_id,
        "RU-MOW",
        lawyer.pk,
    )
    intake.refresh_from_db()
    assert (intake.status, intake.case_id) == ("case", case.pk)

    event, act = services.case_event_create(
        actor=lawyer,
        case_id=case.pk,
        event_values={"title": "Задержание у метро «Пушкинская»", "started": "2026-11-21", "type": "rally"},
        act_values={"type": "administrative-detention", "police_station": "ОВД Тверской"},
    )
    assert act.victim_id == intake.caller_id and event.region.code == "RU-MOW"
    assert [row["id"] for row in selectors.event_cases(actor=lawyer, event_id=event.pk)] == [case.pk]

    table = monitoring_selectors.statistics(actor=lawyer, by="month")
    assert [(row.key, row.acts, row.victims) for row in table.rows] == [("2026-11", 1, 1)]
    card = selectors.case_card(actor=lawyer, case_id=case.pk, opening=opening_for(lawyer, purpose="assist"))
    assert card["client_name"] == "Заявительница Скрытная" and card["event_title"] == event.title


def test_the_workflow_moves_forward_and_closing_needs_an_outcome(lawyer):
    case = services.case_open(actor=lawyer, values={"title": "Штраф за пикет"})
    with pytest.raises(ValidationFailed) as raised:
        services.case_update(actor=lawyer, case_id=case.pk, values={"status": "referred"})
    assert "status" in raised.value.fields
    services.case_update(actor=lawyer, case_id=case.pk, values={"status": "assessment"})
    with pytest.raises(ValidationFailed) as raised:
        services.case_update(actor=lawyer, case_id=case.pk, values={"status": "closed"})
    assert set(raised.value.fields) == {"outcome"}
    with pytest.raises(ValidationFailed) as raised:
        services.case_update(
            actor=lawyer, case_id=case.pk, values={"status": "closed", "outcome": "compensation"}
        )
    assert set(raised.value.fields) == {"compensation_amount"}
    closed = services.case_update(
        actor=lawyer,
        case_id=case.pk,
        values={
            "status": "closed",
            "outcome": "compensation",
            "compensation_amount": "25 000,50",
            "compensation_currency": "rub",
        },
    )
    assert (closed.closed_on, str(closed.compensation_amount), closed.compensation_currency) == (
        timezone.localdate(),
        "25000.50",
        "RUB",
    )
    reopened = services.case_update(actor=lawyer, case_id=case.pk, values={"status": "assessment"})
    assert (reopened.closed_on, reopened.outcome) == (None, "")


def test_tasks_remind_their_assignee_on_the_home_page(lawyer, operator):
    case = services.case_open(actor=lawyer, values={"title": "Жалоба"})
    today = timezone.localdate()
    late = services.task_add(
        actor=lawyer,
        case_id=case.pk,
        values={"title": "Подать жалобу", "due": str(today - dt.timedelta(days=1))},
    )
    services.task_add(
        actor=lawyer, case_id=case.pk, values={"title": "Позже", "due": str(today + dt.timedelta(days=60))}
    )
    services.task_add(
        actor=lawyer,
        case_id=case.pk,
        values={"title": "Оператору", "due": str(today), "assignee": operator.username},
    )
    mine = selectors.my_tasks(actor=lawyer)
    assert [(row["title"], row["overdue"]) for row in mine] == [("Подать жалобу", True)]
    assert [row["title"] for row in selectors.my_tasks(actor=operator)] == ["Подать жалобу", "Оператору"]
    services.task_update(actor=lawyer, task_id=late.pk, values={"done": True}, expected_version=1)
    assert selectors.my_tasks(actor=lawyer) == []
    with pytest.raises(ValidationFailed) as raised:
        services.task_add(
            actor=lawyer, case_id=case.pk, values={"title": "", "due": "завтра", "assignee": "nobody"}
        )
    assert set(raised.value.fields) == {"title", "due", "assignee"}


def test_the_timeline_shows_every_action_with_who_did_it(lawyer, operator):
    intake = services.intake_create(actor=operator, values=CALL)
    case = services.case_open(actor=lawyer, intake_id=intake.pk, values={"title": "Задержание"})
    services.case_note_add(actor=lawyer, case_id=case.pk, text="Позвонила в ОВД, адвоката пустили.")
    services.task_add(actor=lawyer, case_id=case.pk, values={"title": "Суд в понедельник"})
    timeline = selectors.case_timeline(actor=lawyer, case_id=case.pk)
    assert [(e.what, e.operation) for e in timeline] == [
        ("intake", "create"),
        ("case", "create"),
        ("intake", "update"),
        ("note", "create"),
        ("task", "create"),
    ]
    names = {lawyer.display_name or lawyer.username, operator.display_name or operator.username}
    assert {e.who for e in timeline} == names
    assert timeline[3].text == "Позвонила в ОВД, адвоката пустили."
    assert "+7 900" not in str(timeline)


def test_only_the_desks_case_roles_see_a_case_and_outsiders_are_told_it_does_not_exist(
    lawyer, make_user, org_a, org_b
):
    case = services.case_open(actor=lawyer, values={"title": "Дело"})
    colleague, outsider = make_user("monitor", org_a), make_user("lawyer", org_b)
    with pytest.raises(PermissionDenied):
        selectors.case_card(actor=colleague, case_id=case.pk)
    with pytest.raises(NotFound):
        selectors.case_card(actor=outsider, case_id=case.pk)
    with pytest.raises(NotFound):
        services.case_update(actor=outsider, case_id=case.pk, values={"title": "x"})
    assert (
        list(selectors.case_list(actor=colleague)) == [] and list(selectors.case_list(actor=outsider)) == []
    )
    with pytest.raises(PermissionDenied):
        services.intake_create(actor=make_user("editor", org_a), values=CALL)


def test_a_referral_shows_the_partner_only_what_was_shared(lawyer, make_user, org_a):
    partner = OrganisationFactory(name_ru="Адвокаты Твери")
    case = services.case_open(
        actor=lawyer, values={"title": "Дело о пикете", "summary": "Секретные подробности."}
    )
    services.case_update(actor=lawyer, case_id=case.pk, values={"status": "assessment"})
    referral = services.referral_create(
        actor=lawyer,
        case_id=case.pk,
        partner_id=partner.pk,
        reason="Нужен адвокат в Твери.",
        shared_summary="Штраф за одиночный пикет, апелляция до 5 декабря.",
    )
    assert Case.objects.get(pk=case.pk).status == "referred"
    with pytest.raises(Conflict):
        services.referral_create(
            actor=lawyer, case_id=case.pk, partner_id=partner.pk, reason="x", shared_summary="y"
        )

    partner_lawyer = make_user("lawyer", partner)
    received = selectors.referrals_received(actor=partner_lawyer)
    assert [(r["shared_summary"], r["may_answer"]) for r in received] == [
        ("Штраф за одиночный пикет, апелляция до 5 декабря.", True)
    ]
    assert "Секретные" not in str(received)
    with pytest.raises(NotFound):
        selectors.case_card(actor=partner_lawyer, case_id=case.pk)
    with pytest.raises(PermissionDenied):
        services.referral_answer(
            actor=make_user("editor", partner), referral_id=referral.pk, status="accepted"
        )
    services.referral_answer(
        actor=partner_lawyer, referral_id=referral.pk, status="accepted", answer="Берём."
    )
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    with pytest.raises(ValidationFailed) as raised:
        services.referral_create(
            actor=lawyer, case_id=case.pk, partner_id=org_a.pk, reason="", shared_summary=""
        )
    assert set(raised.value.fields) == {"partner", "reason", "shared_summary"}


def test_partners_are_suggested_by_category_and_region(lawyer, org_a):
    moscow, kamchatka = (Region.objects.get(code=code) for code in ("RU-MOW", "RU-KAM"))
    near = OrganisationFactory(
        name_ru="Московские защитники", home_region=moscow, areas=["protest-detentions"]
    )
    OrganisationFactory(name_ru="Далёкие экологи", home_region=kamchatka, areas=["environmental-rights"])
    case = services.case_open(
        actor=lawyer, values={"title": "Дело", "category": "protest-detentions", "region": "RU-MOW"}
    )
    suggested = selectors.referral_partners(actor=lawyer, case_id=case.pk)
    assert near.pk in [row["id"] for row in suggested] and org_a.pk not in [row["id"] for row in suggested]
    bare = services.case_open(actor=lawyer, values={"title": "Без категории"})
    with pytest.raises(ValidationFailed):
        selectors.referral_partners(actor=lawyer, case_id=bare.pk)


def test_a_request_from_the_public_site_becomes_a_sealed_intake_within_limits(lawyer, make_user, org_a):
    request = {
        "name": "Аноним",
        "contact": "signal: @help",
        "summary": "Обыск у соседей, боюсь.",
        "region": "RU-MOW",
    }
    with pytest.raises(NotFound):
        services.public_request_submit(organisation_id=org_a.pk, values=request, visitor="a")
    services.help_desk_set(actor=make_user("coordinator", org_a), values={"accepts_public_requests": True})
    intake = services.public_request_submit(organisation_id=org_a.pk, values=request, visitor="a")
    assert (intake.channel, intake.status, intake.steward_id) == ("web_form", "new", org_a.pk)
    assert crypto.is_sealed(Intake.objects.values_list("contact", flat=True).get(pk=intake.pk))
    row = selectors.intake_card(actor=lawyer, intake_id=intake.pk)
    assert row["contact"] is SEALED and row["caller_name"] is SEALED
    assert (
        selectors.intake_card(actor=lawyer, intake_id=intake.pk, opening=opening_for(lawyer))["contact"]
        == "signal: @help"
    )

    for _ in range(services.PUBLIC_LIMIT_PER_VISITOR - 1):
        services.public_request_submit(organisation_id=org_a.pk, values=request, visitor="a")
    before = Intake.objects.count()
    with pytest.raises(TooManyRequests):
        services.public_request_submit(organisation_id=org_a.pk, values=request, visitor="a")
    assert Intake.objects.count() == before
    services.public_request_submit(organisation_id=org_a.pk, values=request, visitor="b")
    assert RequestLimit.objects.filter(visitor="").get().count == services.PUBLIC_LIMIT_PER_VISITOR + 1
    with pytest.raises(ValidationFailed) as raised:
        services.public_request_submit(organisation_id=org_a.pk, values={"summary": " "}, visitor="c")
    assert set(raised.value.fields) == {"summary", "contact"}


def test_the_visitor_key_hides_the_address_and_changes_every_day():
    today = services.visitor_key("203.0.113.7", day=dt.date(2026, 11, 22))
    assert "203.0.113.7" not in today and len(today) == 64
    assert today == services.visitor_key("203.0.113.7", day=dt.date(2026, 11, 22))
    assert today != services.visitor_key("203.0.113.7", day=dt.date(2026, 11, 23))


def test_bad_intake_input_names_its_fields_and_writes_nothing(operator):
    before = ChangeLogEntry.objects.count()
    with pytest.raises(ValidationFailed) as raised:
        services.intake_create(
            actor=operator,
            values={"channel": "pigeon", "summary": "", "received_at": "вчера", "region": "XX"},
        )
    assert set(raised.value.fields) == {"channel", "summary", "received_at", "region"}
    assert ChangeLogEntry.objects.count() == before and not Individual.objects.exists()

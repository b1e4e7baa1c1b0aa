"""Staff pages of the case desk: the home page's reminders, the fast intake form, cases and their
workflow, tasks, notes and the timeline, referrals and the partner's answer, the event a case documents,
the desk's settings, and who sees what.

The assertions read data, statuses, addresses and element ids, never the words of the interface, so they
hold in every language (the suite runs in Russian)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from khronika.cases import services
from khronika.cases.models import Case, CaseNote, HelpDesk, Intake, Referral, Task
from khronika.core import crypto
from khronika.core.models import ChangeLogEntry
from khronika.directory.models import Region
from khronika.monitoring.models import Event
from khronika.testing.factories import OrganisationFactory
from khronika.testing.second_factor import verified_login

pytestmark = pytest.mark.django_db

HOME = reverse("home")
CALLER = "Заявительница Скрытная"
CONTACT = "+7 900 123 45 67"
CALL = {
    "channel": "phone",
    "urgency": "urgent",
    "summary": "Сына задержали у метро, держат в ОВД.",
    "caller_name": CALLER,
    "contact": CONTACT,
    "region": "RU-MOW",
    "language": "ru",
}


def url(name, **kwargs):
    return reverse(f"cases:{name}", kwargs=kwargs)


def text(response):
    return response.content.decode()


def log_count():
    return ChangeLogEntry.objects.count()


def invalid_fields(response):
    """The ids of the inputs the page marks as invalid."""
    return set(
        re.findall(r'class="field invalid">.*?\bid="([^"]+?)(?:_error|_helptext)?"', text(response), re.S)
    )


def section(response, element_id):
    """The HTML of the element with this id, up to the end of its section."""
    page = text(response)
    start = page.index(f'id="{element_id}"')
    return page[start : page.find("</section>", start)]


@pytest.fixture
def lawyer(make_user, org_a):
    return make_user("lawyer", org_a)


@pytest.fixture
def operator(make_user, org_a):
    return make_user("hotline_operator", org_a)


@pytest.fixture
def client_lawyer(client, lawyer):
    return verified_login(client, lawyer)


@pytest.fixture
def case(lawyer):
    return services.case_open(
        actor=lawyer, values={"title": "Штраф за пикет", "category": "protest-detentions", "region": "RU-MOW"}
    )


def case_url(name, case):
    return url(name, case_id=case.pk)


# --- The home page ----------------------------------------------------------------------------------------


def test_the_home_page_shows_a_lawyer_the_overdue_task_first_and_the_new_request(
    client_lawyer, lawyer, operator, case
):
    # Given a task without a day, an overdue one, and a request just taken
    undated = services.task_add(actor=lawyer, case_id=case.pk, values={"title": "Когда-нибудь"})
    late = services.task_add(
        actor=lawyer,
        case_id=case.pk,
        values={"title": "Подать жалобу", "due": str(timezone.localdate() - dt.timedelta(days=2))},
    )
    intake = services.intake_create(actor=operator, values=CALL)

    # When the lawyer opens the home page
    response = client_lawyer.get(HOME)

    # Then the overdue task comes first and is marked, the request is listed, the desk is in the navigation
    assert response.status_code == 200
    tasks = section(response, "my-tasks")
    assert tasks.index(f'id="task-{late.pk}"') < tasks.index(f'id="task-{undated.pk}"')
    assert f'<tr class="task overdue" id="task-{late.pk}"' in tasks
    assert f'href="{case_url("case_detail", case)}"' in tasks
    assert f'action="{url("task_done", task_id=late.pk)}"' in tasks
    assert f'id="intake-{intake.pk}"' in section(response, "new-intakes")
    assert 'id="nav-desk"' in text(response) and 'id="nav-cases"' in text(response)
    # Who asked and how to reach them are not on the home page.
    assert CALLER not in text(response) and CONTACT not in text(response)


def test_a_task_is_marked_done_from_the_home_page(client_lawyer, lawyer, case):
    task = services.task_add(actor=lawyer, case_id=case.pk, values={"title": "Позвонить"})

    response = client_lawyer.post(url("task_done", task_id=task.pk), {"version": "1", "back": "home"})

    assert response.status_code == 302 and response["Location"] == HOME
    assert Task.objects.get(pk=task.pk).done_at is not None
    assert f'id="task-{task.pk}"' not in text(client_lawyer.get(HOME))


@pytest.mark.parametrize("role", ["editor", "monitor", "member", "viewer"])
def test_the_home_page_of_other_roles_has_no_desk_sections(client, make_user, org_a, lawyer, case, role):
    services.task_add(actor=lawyer, case_id=case.pk, values={"title": "Позвонить"})
    verified_login(client, make_user(role, org_a))

    response = client.get(HOME)

    assert response.status_code == 200
    page = text(response)
    assert 'id="start-links"' in page and f'href="{reverse("monitoring:event_list")}"' in page
    for desk_part in ('id="my-tasks"', 'id="new-intakes"', 'id="nav-desk"', 'id="nav-cases"', case.title):
        assert desk_part not in page


def test_an_anonymous_visitor_is_sent_to_sign_in_from_home(client):
    response = client.get(HOME)

    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- Intakes -----------------------------------------------------------------------------------------------


def test_the_fast_form_takes_a_request_whose_contact_stays_sealed_until_opened(client, operator):
    verified_login(client, operator)
    form = client.get(url("intake_create"))
    assert form.status_code == 200
    page = text(form)
    # The first inputs are how it came, how urgent, what they need; the channel has the focus.
    order = [page.index(f'name="{name}"') for name in ("channel", "urgency", "summary", "caller_name")]
    assert order == sorted(order) and re.search(
        r'<select[^>]*\bautofocus\b[^>]*name="channel"|<select[^>]*name="channel"[^>]*\bautofocus', page
    )

    response = client.post(url("intake_create"), CALL)

    intake = Intake.objects.get()
    assert response.status_code == 302 and response["Location"] == url("intake_detail", intake_id=intake.pk)
    assert (intake.channel, intake.urgency, intake.status, intake.region.code) == (
        "phone",
        "urgent",
        "new",
        "RU-MOW",
    )
    assert crypto.is_sealed(Intake.objects.values_list("contact", flat=True).get())
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert CONTACT not in text(detail) and CALLER not in text(detail)
    assert 'class="open-sealed"' in text(detail) and 'id="open-purpose"' in text(detail)
    opened = client.get(response["Location"], {"purpose": "contact"})
    assert opened.status_code == 200
    assert CONTACT in section(opened, "intake-contact") and CALLER in section(opened, "intake-caller")


def test_bad_input_on_the_fast_form_keeps_what_was_typed_and_writes_nothing(client, operator):
    verified_login(client, operator)
    before = log_count()

    response = client.post(
        url("intake_create"), {**CALL, "summary": "", "region": "XX-NOPE", "channel": "fax"}
    )

    assert response.status_code == 422
    assert {"id_summary", "id_region", "id_channel"} <= invalid_fields(response)
    assert f'value="{CONTACT}"' in text(response) and f'value="{CALLER}"' in text(response)
    assert Intake.objects.count() == 0 and log_count() == before


def test_the_request_list_shows_new_ones_and_filters_by_status(client_lawyer, operator):
    new = services.intake_create(actor=operator, values=CALL)
    declined = services.intake_create(actor=operator, values={"channel": "email", "summary": "Спам"})
    services.intake_update(actor=operator, intake_id=declined.pk, values={"status": "declined"})

    listed = text(client_lawyer.get(url("intake_list")))
    everything = text(client_lawyer.get(url("intake_list"), {"status": ""}))
    only_declined = client_lawyer.get(
        url("intake_list"), {"status": "declined"}, headers={"HX-Request": "true"}
    )

    assert f'id="intake-{new.pk}"' in listed and f'id="intake-{declined.pk}"' not in listed
    assert f'id="intake-{new.pk}"' in everything and f'id="intake-{declined.pk}"' in everything
    assert f'id="intake-{declined.pk}"' in text(only_declined) and "<html" not in text(only_declined)


def test_the_request_list_costs_the_same_queries_for_many_requests(client_lawyer, operator):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client_lawyer.get(url("intake_list"), {"status": ""}).status_code == 200
        return len(captured.captured_queries)

    services.intake_create(actor=operator, values=CALL)
    few = queries()
    for number in range(10):
        services.intake_create(actor=operator, values={**CALL, "summary": f"Просьба {number}"})
    assert queries() == few


def test_a_request_is_declined_with_the_version_seen_and_a_stale_one_is_a_conflict(client_lawyer, operator):
    intake = services.intake_create(actor=operator, values=CALL)
    services.intake_update(actor=operator, intake_id=intake.pk, values={"urgency": "high"})  # now version 2

    stale = client_lawyer.post(
        url("intake_close", intake_id=intake.pk), {"version": "1", "status": "declined"}
    )
    assert stale.status_code == 409 and Intake.objects.get().status == "new"

    done = client_lawyer.post(
        url("intake_close", intake_id=intake.pk), {"version": "2", "status": "duplicate"}
    )
    assert done.status_code == 302 and Intake.objects.get().status == "duplicate"


def test_an_intake_is_corrected_and_a_new_contact_replaces_the_sealed_one(client_lawyer, lawyer, operator):
    intake = services.intake_create(actor=operator, values=CALL)
    form = client_lawyer.get(url("intake_edit", intake_id=intake.pk))
    assert form.status_code == 200 and CONTACT not in text(form) and CALLER not in text(form)

    response = client_lawyer.post(
        url("intake_edit", intake_id=intake.pk),
        {**CALL, "version": "1", "caller_name": "", "contact": "signal: @new", "urgency": "high"},
    )

    assert response.status_code == 302
    intake.refresh_from_db()
    assert (intake.urgency, intake.version) == ("high", 2)
    opened = client_lawyer.get(url("intake_detail", intake_id=intake.pk), {"purpose": "contact"})
    assert "signal: @new" in section(opened, "intake-contact") and CALLER in section(opened, "intake-caller")


# --- Cases -------------------------------------------------------------------------------------------------


def test_a_case_opened_from_a_request_carries_its_client(client_lawyer, lawyer, operator):
    intake = services.intake_create(actor=operator, values=CALL)
    form = client_lawyer.get(url("case_create"), {"intake": str(intake.pk)})
    assert form.status_code == 200
    assert f'name="intake" value="{intake.pk}"' in text(form) and CALL["summary"] in text(form)
    assert CALLER not in text(form)

    response = client_lawyer.post(
        url("case_create"),
        {
            "intake": str(intake.pk),
            "title": "Задержание у метро",
            "summary": CALL["summary"],
            "region": "RU-MOW",
            "category": "protest-detentions",
            "lawyer": lawyer.username,
        },
    )

    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case_url("case_detail", case)
    intake.refresh_from_db()
    assert (case.client_id, case.region.code, case.lawyer_id) == (intake.caller_id, "RU-MOW", lawyer.pk)
    assert (intake.status, intake.case_id) == ("case", case.pk)
    detail = client_lawyer.get(response["Location"])
    assert CALLER not in text(detail) and 'class="open-sealed"' in section(detail, "case-client")
    opened = client_lawyer.get(response["Location"], {"purpose": "assist"})
    assert CALLER in section(opened, "case-client")


def test_opening_a_case_needs_a_title_and_keeps_the_rest(client_lawyer):
    before = log_count()

    response = client_lawyer.post(
        url("case_create"), {"title": "", "summary": "Подробности", "client_name": "Иванов"}
    )

    assert response.status_code == 422 and "id_title" in invalid_fields(response)
    assert "Подробности" in text(response) and 'value="Иванов"' in text(response)
    assert Case.objects.count() == 0 and log_count() == before


def test_the_status_moves_only_where_it_may_and_closing_needs_an_outcome(client_lawyer, case):
    status = case_url("case_status", case)
    page = client_lawyer.get(case_url("case_detail", case))
    offered = re.findall(r'<option value="([a-z]+)"', section(page, "case-status-form").split("</select>")[0])
    assert sorted(offered) == ["assessment", "assistance", "closed"]

    refused = client_lawyer.post(status, {"version": "1", "status": "referred"})
    assert refused.status_code == 422 and "status-status" in invalid_fields(refused)
    assert Case.objects.get().status == "intake"

    moved = client_lawyer.post(status, {"version": "1", "status": "assessment"})
    assert moved.status_code == 302 and Case.objects.get().status == "assessment"

    unexplained = client_lawyer.post(status, {"version": "2", "status": "closed"})
    assert unexplained.status_code == 422 and "status-outcome" in invalid_fields(unexplained)
    assert Case.objects.get().status == "assessment"

    closed = client_lawyer.post(
        status,
        {
            "version": "2",
            "status": "closed",
            "outcome": "compensation",
            "compensation_amount": "25000",
            "compensation_currency": "rub",
        },
    )
    assert closed.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, str(case.compensation_amount), case.compensation_currency) == (
        "closed",
        "compensation",
        "25000.00",
        "RUB",
    )


def test_a_stale_edit_of_a_case_is_a_conflict_that_keeps_what_was_typed(client_lawyer, lawyer, case):
    form = client_lawyer.get(case_url("case_edit", case))
    assert form.status_code == 200 and 'name="version" value="1"' in text(form)
    services.case_update(
        actor=lawyer, case_id=case.pk, values={"summary": "Другой"}
    )  # someone else, meanwhile

    response = client_lawyer.post(
        case_url("case_edit", case),
        {"version": "1", "title": "Новое название", "category": "protest-detentions", "region": "RU-MOW"},
    )

    assert response.status_code == 409 and 'value="Новое название"' in text(response)
    assert Case.objects.get().title == "Штраф за пикет"
    saved = client_lawyer.post(
        case_url("case_edit", case),
        {"version": "2", "title": "Новое название", "category": "protest-detentions", "region": "RU-MOW"},
    )
    assert saved.status_code == 302 and Case.objects.get().title == "Новое название"


def test_the_case_list_filters_and_costs_the_same_queries_for_many_cases(
    client_lawyer, lawyer, make_user, org_a
):
    coordinator = make_user("coordinator", org_a)
    mine = services.case_open(actor=lawyer, values={"title": "Моё", "region": "RU-MOW"})
    theirs = services.case_open(actor=coordinator, values={"title": "Чужое", "region": "RU-PER"})

    def ids(response):
        return set(re.findall(r'<tr class="case[^"]*" id="case-([0-9a-f-]+)"', text(response)))

    assert ids(client_lawyer.get(url("case_list"))) == {str(mine.pk), str(theirs.pk)}
    assert ids(client_lawyer.get(url("case_list"), {"mine": "on"})) == {str(mine.pk)}
    assert ids(client_lawyer.get(url("case_list"), {"region": "RU-PER"})) == {str(theirs.pk)}
    assert ids(client_lawyer.get(url("case_list"), {"status": "closed"})) == set()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client_lawyer.get(url("case_list"), {"open": "on"}).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for number in range(10):
        services.case_open(actor=lawyer, values={"title": f"Дело {number}", "category": "protest-detentions"})
    assert queries() == few


def test_the_home_page_costs_the_same_queries_for_many_reminders(client_lawyer, lawyer, operator, case):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client_lawyer.get(HOME).status_code == 200
        return len(captured.captured_queries)

    services.task_add(actor=lawyer, case_id=case.pk, values={"title": "Одна"})
    services.intake_create(actor=operator, values=CALL)
    few = queries()
    for number in range(8):
        services.task_add(actor=lawyer, case_id=case.pk, values={"title": f"Задача {number}"})
        services.intake_create(actor=operator, values={**CALL, "summary": f"Просьба {number}"})
    assert queries() == few


# --- Tasks, notes, the timeline -----------------------------------------------------------------------------


def test_a_task_is_added_and_done_on_the_case_page(client_lawyer, lawyer, operator, case):
    due = str(timezone.localdate() + dt.timedelta(days=3))

    added = client_lawyer.post(
        case_url("task_add", case), {"title": "Подать жалобу", "due": due, "assignee": operator.username}
    )

    task = Task.objects.get()
    assert added.status_code == 302 and added["Location"] == case_url("case_detail", case) + "#tasks"
    assert (task.title, str(task.due_on), task.assignee_id) == ("Подать жалобу", due, operator.pk)
    done = client_lawyer.post(url("task_done", task_id=task.pk), {"version": "1", "case": str(case.pk)})
    assert done.status_code == 302 and done["Location"] == case_url("case_detail", case) + "#tasks"
    assert Task.objects.get().done_at is not None

    before = log_count()
    refused = client_lawyer.post(
        case_url("task_add", case), {"title": "", "due": "завтра", "assignee": "nobody"}
    )
    assert refused.status_code == 422
    assert {"task-title", "task-due", "task-assignee"} <= invalid_fields(refused)
    assert Task.objects.count() == 1 and log_count() == before


def test_a_note_appears_in_the_timeline_with_who_wrote_it(client_lawyer, lawyer, case):
    response = client_lawyer.post(case_url("note_add", case), {"text": "Позвонила в ОВД, адвоката пустили."})

    assert response.status_code == 302 and CaseNote.objects.get().text == "Позвонила в ОВД, адвоката пустили."
    timeline = section(client_lawyer.get(case_url("case_detail", case)), "timeline")
    assert "Позвонила в ОВД, адвоката пустили." in timeline
    assert timeline.count('class="timeline-entry') == 2  # the case opened, the note
    assert (lawyer.display_name or lawyer.username) in timeline
    assert client_lawyer.post(case_url("note_add", case), {"text": "  "}).status_code == 422
    assert CaseNote.objects.count() == 1


# --- Referrals ---------------------------------------------------------------------------------------------


def test_a_case_is_referred_to_a_suggested_partner_who_answers_and_sees_nothing_else(
    client, client_lawyer, make_user, case
):
    partner = OrganisationFactory(
        name_ru="Московские защитники",
        home_region=Region.objects.get(code="RU-MOW"),
        areas=["protest-detentions"],
    )
    services.case_update(
        actor=case.lawyer,
        case_id=case.pk,
        values={"summary": "Секретные подробности.", "status": "assessment"},
    )
    form = client_lawyer.get(case_url("referral_create", case))
    assert form.status_code == 200 and f'value="{partner.pk}"' in text(form)

    response = client_lawyer.post(
        case_url("referral_create", case),
        {
            "partner": str(partner.pk),
            "reason": "Рядом",
            "shared_summary": "Апелляция до 5 декабря.",
        },
    )

    referral = Referral.objects.get()
    assert response.status_code == 302 and (referral.partner_id, referral.status) == (partner.pk, "sent")
    assert Case.objects.get().status == "referred"
    assert f'id="referral-{referral.pk}"' in section(
        client_lawyer.get(case_url("case_detail", case)), "referrals"
    )

    # The partner's lawyer reads the referral, answers it, and finds nothing else of the case.
    partner_client = verified_login(client.__class__(), make_user("lawyer", partner))
    received = partner_client.get(url("referral_list"))
    assert received.status_code == 200 and "Апелляция до 5 декабря." in text(received)
    answered = partner_client.post(
        url("referral_answer", referral_id=referral.pk), {"status": "accepted", "answer": "Берём."}
    )
    assert answered.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.answer) == ("accepted", "Берём.")
    for path in (HOME, url("referral_list"), url("case_list"), url("intake_list")):
        page = partner_client.get(path)
        assert page.status_code == 200
        assert case.title not in text(page) and "Секретные подробности." not in text(page)
    for path in (
        case_url("case_detail", case),
        case_url("case_edit", case),
        case_url("referral_create", case),
    ):
        assert partner_client.get(path).status_code == 404


def test_a_case_without_category_or_region_is_referred_by_a_groups_id(client_lawyer, lawyer, org_b):
    bare = services.case_open(actor=lawyer, values={"title": "Без категории"})
    form = client_lawyer.get(case_url("referral_create", bare))
    assert form.status_code == 200 and 'id="no-suggestions"' in text(form)

    missing = client_lawyer.post(case_url("referral_create", bare), {"reason": "x", "shared_summary": "y"})
    assert missing.status_code == 422 and "id_partner" in invalid_fields(missing)
    response = client_lawyer.post(
        case_url("referral_create", bare), {"partner": str(org_b.pk), "reason": "x", "shared_summary": "y"}
    )
    assert response.status_code == 302 and Referral.objects.get().partner_id == org_b.pk


def test_only_the_partners_case_roles_answer_a_referral(client, lawyer, make_user, case):
    partner = OrganisationFactory()
    referral = services.referral_create(
        actor=lawyer, case_id=case.pk, partner_id=partner.pk, reason="Рядом", shared_summary="Штраф"
    )
    verified_login(client, make_user("editor", partner))

    page = client.get(url("referral_list"))
    refused = client.post(url("referral_answer", referral_id=referral.pk), {"status": "accepted"})

    assert page.status_code == 200 and f'id="answer-{referral.pk}"' not in text(page)
    assert refused.status_code == 403 and Referral.objects.get().status == "sent"


# --- The event a case documents ----------------------------------------------------------------------------


def test_the_event_recorded_from_a_case_is_linked_to_it(client_lawyer, case):
    response = client_lawyer.post(
        case_url("case_event_create", case),
        {
            "title": "Задержание у метро",
            "started": "2026-11-21",
            "event_type": "rally",
            "act_type": "administrative-detention",
        },
    )

    event = Event.objects.get()
    case.refresh_from_db()
    assert response.status_code == 302 and (case.event_id, case.act.event_id) == (event.pk, event.pk)
    assert event.region.code == "RU-MOW"
    detail = client_lawyer.get(case_url("case_detail", case))
    assert f'href="{reverse("monitoring:event_detail", kwargs={"event_id": event.pk})}"' in section(
        detail, "event"
    )


def test_a_case_is_linked_to_an_event_on_record_and_an_unknown_id_is_a_field_error(
    client_lawyer, lawyer, case
):
    from khronika.monitoring.services import event_create

    event = event_create(actor=lawyer, values={"title": "Суд"})
    before = log_count()

    unknown = client_lawyer.post(
        case_url("case_event_link", case), {"event": "00000000-0000-4000-8000-000000000000"}
    )
    assert unknown.status_code == 422 and "link-event" in invalid_fields(unknown) and log_count() == before

    response = client_lawyer.post(case_url("case_event_link", case), {"event": str(event.pk)})
    assert response.status_code == 302 and Case.objects.get().event_id == event.pk


def test_recording_an_event_without_an_act_type_writes_nothing(client_lawyer, case):
    before = log_count()

    response = client_lawyer.post(
        case_url("case_event_create", case), {"title": "Задержание", "started": "вчера"}
    )

    assert response.status_code == 422 and "event-act_type" in invalid_fields(response)
    assert Event.objects.count() == 0 and log_count() == before


# --- Who sees what -----------------------------------------------------------------------------------------


def test_another_groups_case_pages_are_not_found_and_a_colleague_of_another_role_is_refused(
    client, make_user, org_a, org_b, lawyer, operator, case
):
    intake = services.intake_create(actor=operator, values=CALL)
    task = services.task_add(actor=lawyer, case_id=case.pk, values={"title": "Позвонить"})
    reads = [
        case_url("case_detail", case),
        case_url("case_edit", case),
        case_url("referral_create", case),
        url("intake_detail", intake_id=intake.pk),
        url("intake_edit", intake_id=intake.pk),
        f"{url('case_create')}?intake={intake.pk}",
    ]
    writes = [
        (case_url("note_add", case), {"text": "Чужая заметка"}),
        (case_url("case_status", case), {"version": "1", "status": "assessment"}),
        (url("task_done", task_id=task.pk), {"version": "1"}),
        (url("intake_close", intake_id=intake.pk), {"version": "1", "status": "declined"}),
    ]
    for user, status in ((make_user("lawyer", org_b), 404), (make_user("monitor", org_a), 403)):
        reader = verified_login(client.__class__(), user)
        before = log_count()
        for path in reads:
            assert reader.get(path).status_code == status, (user.role, path)
        for path, data in writes:
            assert reader.post(path, data).status_code == status, (user.role, path)
        assert log_count() == before
        listed = text(reader.get(url("case_list"))) + text(reader.get(url("intake_list")))
        assert case.title not in listed and CALL["summary"] not in listed
    assert reader.get(url("case_create")).status_code == 403
    assert reader.get(url("intake_create")).status_code == 403


# --- The desk's settings -----------------------------------------------------------------------------------


def test_the_desks_keepers_open_the_public_request_form(client, make_user, org_a, lawyer):
    coordinator = make_user("coordinator", org_a)
    verified_login(client, coordinator)
    assert client.get(url("help_desk")).status_code == 200

    response = client.post(
        url("help_desk"), {"accepts_public_requests": "on", "public_note": "Отвечаем за сутки."}
    )

    assert response.status_code == 302
    desk = HelpDesk.objects.get(organisation=org_a)
    assert (desk.accepts_public_requests, desk.public_note) == (True, "Отвечаем за сутки.")
    form = client.get(url("help_desk"))
    assert "Отвечаем за сутки." in text(form) and re.search(
        r'name="accepts_public_requests"[^>]*checked', text(form)
    )
    assert verified_login(client.__class__(), lawyer).get(url("help_desk")).status_code == 403

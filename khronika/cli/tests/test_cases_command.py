"""``khronika intakes``, ``cases`` and ``tasks``: the desk from a terminal, names sealed."""

from __future__ import annotations

import json

from khronika.testing.factories import OrganisationFactory, UserFactory


def test_a_call_is_taken_opened_as_a_case_worked_on_and_its_event_recorded(run, db):
    group = OrganisationFactory(name_ru="Группа")
    UserFactory(username="lawyer", organisation=group, role="lawyer")
    UserFactory(username="editor", organisation=group, role="editor")
    call = {"channel": "phone", "summary": "Задержан", "caller_name": "Скрытов", "contact": "+7 900"}
    taken = run("--as", "lawyer", "intakes", "add", "--json-file", "-", "--json", stdin=json.dumps(call))
    assert taken.code == 0, taken.err
    intake_id = json.loads(taken.out)["id"]
    listed = run("--as", "lawyer", "intakes", "list", "--json")
    assert [row["id"] for row in json.loads(listed.out)] == [intake_id]

    opened = run(
        *("--as", "lawyer", "cases", "open", "--intake", intake_id, "--json-file", "-", "--json"),
        stdin=json.dumps({"title": "Задержание"}),
    )
    assert opened.code == 0, opened.err
    case_id = json.loads(opened.out)["id"]
    shown = json.loads(run("--as", "lawyer", "cases", "show", case_id, "--json").out)
    assert shown["client_name"] is None and shown["sealed"] == ["client_name"]
    assert "Скрытов" not in run("--as", "lawyer", "cases", "show", case_id).out

    moved = run(
        *("--as", "lawyer", "cases", "edit", case_id, "--version", "1", "--json-file", "-"),
        stdin=json.dumps({"status": "closed"}),
    )
    assert moved.code == 2 and "outcome" in moved.err and "Traceback" not in moved.err
    assert run("--as", "lawyer", "cases", "note", case_id, "--text", "Позвонили").code == 0
    assert run("--as", "lawyer", "cases", "task", case_id, "--title", "Суд", "--due", "2020-01-01").code == 0
    tasks = json.loads(run("--as", "lawyer", "tasks", "--json").out)
    assert [(t["title"], t["overdue"]) for t in tasks] == [("Суд", True)]
    timeline = run("--as", "lawyer", "cases", "timeline", case_id).out
    assert "Позвонили" in timeline

    recorded = run(
        *("--as", "lawyer", "cases", "event", case_id, "--json-file", "-", "--json"),
        stdin=json.dumps({"event": {"title": "Задержание", "type": "rally"}, "act": {"type": "search"}}),
    )
    assert recorded.code == 0, recorded.err
    assert (
        json.loads(run("--as", "lawyer", "cases", "list", "--json").out)[0]["event"]
        == json.loads(recorded.out)["event"]
    )
    refused = run("--as", "editor", "cases", "show", case_id)
    assert refused.code != 0 and "Traceback" not in refused.err


def test_a_request_is_declined_a_task_done_a_referral_answered_and_the_desk_opened(run, db):
    from khronika.cases import services

    group, partner = OrganisationFactory(name_ru="Группа"), OrganisationFactory(name_ru="Партнёры")
    lawyer = UserFactory(username="lawyer", organisation=group, role="lawyer")
    UserFactory(username="partner", organisation=partner, role="lawyer")
    UserFactory(username="coordinator", organisation=group, role="coordinator")
    intake = services.intake_create(actor=lawyer, values={"channel": "phone", "summary": "Спам"})
    declined = run(
        *("--as", "lawyer", "intakes", "edit", str(intake.pk), "--version", "1", "--json-file", "-"),
        stdin=json.dumps({"status": "declined"}),
    )
    assert declined.code == 0, declined.err
    case = services.case_open(actor=lawyer, values={"title": "Дело"})
    task = services.task_add(actor=lawyer, case_id=case.pk, values={"title": "Позвонить"})
    assert run("--as", "lawyer", "tasks", "--done", str(task.pk), "--version", "1").code == 0
    assert json.loads(run("--as", "lawyer", "tasks", "--json").out) == []
    referral = services.referral_create(
        actor=lawyer, case_id=case.pk, partner_id=partner.pk, reason="Рядом", shared_summary="Штраф"
    )
    received = json.loads(run("--as", "partner", "referrals", "list", "--json").out)
    assert [row["shared_summary"] for row in received] == ["Штраф"]
    answered = run("--as", "partner", "referrals", "answer", str(referral.pk), "--status", "accepted")
    assert answered.code == 0, answered.err
    assert run("--as", "coordinator", "desk", "--accept-requests").code == 0
    assert services.HelpDesk.objects.get().accepts_public_requests
    refused = run("--as", "lawyer", "desk", "--no-requests")
    assert refused.code == 3 and "Traceback" not in refused.err

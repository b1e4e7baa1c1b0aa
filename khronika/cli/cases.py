"""``khronika intakes``, ``khronika cases`` and ``khronika tasks``: the hotline and legal-aid desk.

khronika intakes add --json-file call.json --as operator     # a request for help, as it came
khronika cases open --intake ID --json-file case.json --as lawyer
khronika cases edit ID --json-file - --version 2 --as lawyer  # e.g. {"status": "assessment"}
khronika cases event ID --json-file event.json --as lawyer   # {"event": {...}, "act": {...}}
khronika tasks --as lawyer                                   # my tasks due within two weeks

Everything needs --as a case worker of the desk (administrator, coordinator, lawyer or hotline operator).
Who asked and how to reach them are sealed: the command line holds no key and shows them as sealed.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli import output
from khronika.cli.base import Command, Context, read_values, saved
from khronika.cli.monitoring import parse_filters

JSON_HELP = gettext_lazy("print JSON")
VERSION_HELP = gettext_lazy("the version you saw; a newer one is a conflict")


def register(commands: Any) -> None:
    _register_intakes(commands)
    _register_cases(commands)
    tasks = commands.add_parser(
        "tasks", help=gettext_lazy("your open tasks on the desk's cases, soonest first")
    )
    tasks.add_argument("--days", type=int, default=14, help=gettext_lazy("due within this many days"))
    tasks.add_argument("--done", default=None, metavar="TASK_ID", help=gettext_lazy("mark this task done"))
    tasks.add_argument("--version", type=int, default=None, help=VERSION_HELP)
    tasks.add_argument("--json", action="store_true", help=JSON_HELP)
    tasks.set_defaults(command=Command(tasks_command))
    referrals = commands.add_parser(
        "referrals", help=gettext_lazy("cases other groups referred to yours: list and answer them")
    )
    referral_actions = referrals.add_subparsers(dest="referrals_action", metavar="ACTION", required=True)
    received = referral_actions.add_parser("list", help=gettext_lazy("what other groups referred to yours"))
    received.add_argument("--json", action="store_true", help=JSON_HELP)
    received.set_defaults(command=Command(referrals_list))
    answer = referral_actions.add_parser("answer", help=gettext_lazy("accept, decline or close a referral"))
    answer.add_argument("id", metavar="ID")
    answer.add_argument("--status", required=True, help=gettext_lazy("accepted, declined or closed"))
    answer.add_argument("--answer", default="", help=gettext_lazy("a word for the group that referred it"))
    answer.add_argument("--json", action="store_true", help=JSON_HELP)
    answer.set_defaults(command=Command(referrals_answer))
    desk = commands.add_parser(
        "desk", help=gettext_lazy("your group's desk: whether the public site offers its request form")
    )
    opened = desk.add_mutually_exclusive_group()
    opened.add_argument("--accept-requests", action="store_true", help=gettext_lazy("offer the form"))
    opened.add_argument("--no-requests", action="store_true", help=gettext_lazy("stop offering it"))
    desk.add_argument("--note", default=None, help=gettext_lazy("what the form tells visitors"))
    desk.set_defaults(command=Command(desk_command))


def _register_intakes(commands: Any) -> None:
    intakes = commands.add_parser(
        "intakes",
        help=gettext_lazy("requests for help the desk took"),
        description=gettext_lazy(
            "Requests for help as they came: by phone, messenger, letter, visit or the site."
        ),
    )
    actions = intakes.add_subparsers(dest="intakes_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=gettext_lazy("the desk's requests, newest first"))
    listing.add_argument(
        "--status", default="new", help=gettext_lazy("new (default), case, declined, duplicate")
    )
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(command=Command(intakes_list))
    edit = actions.add_parser("edit", help=gettext_lazy("correct a request, or decline it"))
    edit.add_argument("id", metavar="ID")
    edit.add_argument(
        "--json-file",
        required=True,
        metavar="FILE",
        help=gettext_lazy('JSON: the fields to change, or {"status": "declined"} or "duplicate"'),
    )
    edit.add_argument("--version", type=int, default=None, help=VERSION_HELP)
    edit.add_argument("--json", action="store_true", help=JSON_HELP)
    edit.set_defaults(command=Command(intakes_edit))
    add = actions.add_parser("add", help=gettext_lazy("take a request"))
    add.add_argument(
        "--json-file",
        required=True,
        metavar="FILE",
        help=gettext_lazy(
            "JSON object of: channel, summary (required), caller_name or caller, contact, urgency, language, "
            "region, received_at; - reads standard input"
        ),
    )
    add.add_argument("--json", action="store_true", help=JSON_HELP)
    add.set_defaults(command=Command(intakes_add))


def _register_cases(commands: Any) -> None:
    cases = commands.add_parser(
        "cases",
        help=gettext_lazy("the desk's cases: list, show, open, edit, notes, tasks, referrals, events"),
        description=gettext_lazy(
            "A case moves intake → assessment → assistance → referred → closed; closing needs an outcome."
        ),
    )
    actions = cases.add_subparsers(dest="cases_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=gettext_lazy("the desk's cases, newest first"))
    listing.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=gettext_lazy("status, open=1, lawyer (a username, or me), category, region (repeatable)"),
    )
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(command=Command(cases_list))
    for name, helptext, handler in (
        ("show", gettext_lazy("one case with its tasks, notes and referrals"), cases_show),
        ("timeline", gettext_lazy("every action on a case, oldest first"), cases_timeline),
        ("partners", gettext_lazy("partner groups to refer a case to"), cases_partners),
    ):
        shown = actions.add_parser(name, help=helptext)
        shown.add_argument("id", metavar="ID")
        shown.add_argument("--json", action="store_true", help=JSON_HELP)
        shown.set_defaults(command=Command(handler))
    opened = actions.add_parser("open", help=gettext_lazy("open a case, from a request if one is named"))
    opened.add_argument(
        "--intake", default=None, metavar="ID", help=gettext_lazy("the request it comes from")
    )
    opened.add_argument(
        "--json-file",
        required=True,
        metavar="FILE",
        help=gettext_lazy("JSON: title, summary, category, client_name, region, lawyer"),
    )
    opened.add_argument("--json", action="store_true", help=JSON_HELP)
    opened.set_defaults(command=Command(cases_open))
    edit = actions.add_parser("edit", help=gettext_lazy("change a case or move it on"))
    edit.add_argument("id", metavar="ID")
    edit.add_argument(
        "--json-file", required=True, metavar="FILE", help=gettext_lazy("JSON: the fields to change")
    )
    edit.add_argument("--version", type=int, default=None, help=VERSION_HELP)
    edit.add_argument("--json", action="store_true", help=JSON_HELP)
    edit.set_defaults(command=Command(cases_edit))
    note = actions.add_parser("note", help=gettext_lazy("add a note to a case's timeline"))
    note.add_argument("id", metavar="ID")
    note.add_argument("--text", required=True)
    note.add_argument("--json", action="store_true", help=JSON_HELP)
    note.set_defaults(command=Command(cases_note))
    task = actions.add_parser("task", help=gettext_lazy("add a task to a case"))
    task.add_argument("id", metavar="ID")
    task.add_argument("--title", required=True)
    task.add_argument("--due", default=None, help=gettext_lazy("2026-11-30"))
    task.add_argument("--assignee", default=None, help=gettext_lazy("a case worker's username"))
    task.add_argument("--json", action="store_true", help=JSON_HELP)
    task.set_defaults(command=Command(cases_task))
    refer = actions.add_parser("refer", help=gettext_lazy("refer a case to a partner group"))
    refer.add_argument("id", metavar="ID")
    refer.add_argument("--partner", required=True, metavar="ORGANISATION_ID")
    refer.add_argument("--reason", required=True)
    refer.add_argument("--summary", required=True, help=gettext_lazy("all the partner reads of the case"))
    refer.add_argument("--json", action="store_true", help=JSON_HELP)
    refer.set_defaults(command=Command(cases_refer))
    event = actions.add_parser("event", help=gettext_lazy("record the event a case documents, and its act"))
    event.add_argument("id", metavar="ID")
    event.add_argument(
        "--json-file",
        required=True,
        metavar="FILE",
        help=gettext_lazy('JSON: {"event": {...}, "act": {...}}'),
    )
    event.add_argument("--json", action="store_true", help=JSON_HELP)
    event.set_defaults(command=Command(cases_event))


def _show(ctx: Context, args: argparse.Namespace, answer: Any) -> int:
    if args.json:
        ctx.echo(output.to_json(answer))
    elif isinstance(answer, dict):
        ctx.echo(output.key_values((k, v) for k, v in answer.items() if v not in (None, "", [])))
    return 0


def intakes_list(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import selectors

    intakes = list(selectors.intake_list(actor=ctx.writer(), status=args.status)[:500])
    rows = [
        [i.received_at.strftime("%Y-%m-%d %H:%M"), i.channel, i.urgency, i.status, str(i.pk)] for i in intakes
    ]
    if args.json:
        ctx.echo(
            output.to_json(
                [
                    dict(zip(("received_at", "channel", "urgency", "status", "id"), r, strict=True))
                    for r in rows
                ]
            )
        )
        return 0
    if rows:
        ctx.echo(output.table([_("received"), _("channel"), _("urgency"), _("status"), "id"], rows))
    ctx.echo(_("Requests: %(count)d.") % {"count": len(rows)})
    return 0


def intakes_add(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import services

    intake = services.intake_create(actor=ctx.writer(), values=read_values(args.json_file))
    return saved(ctx, args, intake, _("Took request %(id)s (version %(version)d)."))


def cases_list(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import selectors

    cases = selectors.case_list(actor=ctx.writer(), filters=parse_filters(args.filter))
    rows = selectors.case_rows(cases[:500])
    if args.json:
        ctx.echo(output.to_json(rows))
        return 0
    if rows:
        headers = [_("number"), _("title"), _("status"), _("lawyer"), _("opened"), "id"]
        ctx.echo(
            output.table(
                headers,
                [
                    [r["number"], r["title"], r["status"], r["lawyer"] or "", r["opened_on"], r["id"]]
                    for r in rows
                ],
            )
        )
    ctx.echo(_("Cases: %(count)d.") % {"count": cases.count()})
    return 0


def cases_show(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.api.cases import case_answer
    from khronika.cases import selectors

    return _show(ctx, args, case_answer(selectors.case_card(actor=ctx.writer(), case_id=args.id)))


def cases_timeline(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import selectors

    entries = selectors.case_timeline(actor=ctx.writer(), case_id=args.id)
    if args.json:
        ctx.echo(output.to_json([entry.__dict__ for entry in entries]))
        return 0
    for entry in entries:
        fields = ", ".join(entry.fields)
        ctx.echo(f"{entry.at:%Y-%m-%d %H:%M}  {entry.who or '-'}  {entry.what} {entry.operation}  {fields}")
        if entry.text:
            ctx.echo(f"    {entry.text}")
    return 0


def cases_partners(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import selectors

    rows = selectors.referral_partners(actor=ctx.writer(), case_id=args.id)
    answer = [{"id": r["id"], "name_ru": r["name_ru"], "proximity": r.get("proximity")} for r in rows]
    if args.json:
        ctx.echo(output.to_json(answer))
        return 0
    ctx.echo(
        output.table(
            [_("name"), _("proximity"), "id"], [[a["name_ru"], a["proximity"], a["id"]] for a in answer]
        )
    )
    return 0


def cases_open(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import services

    case = services.case_open(actor=ctx.writer(), values=read_values(args.json_file), intake_id=args.intake)
    if not args.json:
        ctx.echo(_("Opened case %(number)s.") % {"number": case.number})
    return saved(ctx, args, case, _("Case %(id)s (version %(version)d)."))


def cases_edit(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import services

    case = services.case_update(
        actor=ctx.writer(), case_id=args.id, values=read_values(args.json_file), expected_version=args.version
    )
    return saved(ctx, args, case, _("Saved case %(id)s (version %(version)d)."))


def cases_note(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import services

    note = services.case_note_add(actor=ctx.writer(), case_id=args.id, text=args.text)
    return saved(ctx, args, note, _("Added note %(id)s (version %(version)d)."))


def cases_task(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import services

    values = {"title": args.title, "due": args.due or "", "assignee": args.assignee or ""}
    task = services.task_add(actor=ctx.writer(), case_id=args.id, values=values)
    return saved(ctx, args, task, _("Added task %(id)s (version %(version)d)."))


def cases_refer(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import services

    referral = services.referral_create(
        actor=ctx.writer(),
        case_id=args.id,
        partner_id=args.partner,
        reason=args.reason,
        shared_summary=args.summary,
    )
    return saved(ctx, args, referral, _("Referred: %(id)s (version %(version)d)."))


def cases_event(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import services

    values = read_values(args.json_file)
    event, act = services.case_event_create(
        actor=ctx.writer(),
        case_id=args.id,
        event_values=values.get("event") or {},
        act_values=values.get("act") or {},
    )
    answer = {"event": str(event.pk), "act": str(act.pk)}
    if args.json:
        ctx.echo(output.to_json(answer))
    else:
        ctx.echo(_("Recorded event %(event)s with act %(act)s.") % answer)
    return 0


def intakes_edit(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import services

    intake = services.intake_update(
        actor=ctx.writer(),
        intake_id=args.id,
        values=read_values(args.json_file),
        expected_version=args.version,
    )
    return saved(ctx, args, intake, _("Saved request %(id)s (version %(version)d)."))


def referrals_list(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import selectors

    rows = selectors.referrals_received(actor=ctx.writer())
    if args.json:
        ctx.echo(output.to_json(rows))
        return 0
    for row in rows:
        ctx.echo(f"{row['sent_at']:%Y-%m-%d}  {row['status']}  {row['from_organisation']}  {row['id']}")
        ctx.echo(f"    {row['shared_summary']}")
    ctx.echo(_("Referrals: %(count)d.") % {"count": len(rows)})
    return 0


def referrals_answer(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import services

    referral = services.referral_answer(
        actor=ctx.writer(), referral_id=args.id, status=args.status, answer=args.answer
    )
    return saved(ctx, args, referral, _("Answered %(id)s (version %(version)d)."))


def desk_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases import services

    values: dict[str, Any] = {}
    if args.accept_requests or args.no_requests:
        values["accepts_public_requests"] = bool(args.accept_requests)
    if args.note is not None:
        values["public_note"] = args.note
    desk = services.help_desk_set(actor=ctx.writer(), values=values)
    state = _("takes requests on the public site") if desk.accepts_public_requests else _("takes no requests")
    ctx.echo(_("Your group's desk %(state)s.") % {"state": state})
    return 0


def tasks_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.api.cases import task_answer
    from khronika.cases import selectors, services

    if args.done:
        task = services.task_update(
            actor=ctx.writer(), task_id=args.done, values={"done": True}, expected_version=args.version
        )
        ctx.echo(_("Task %(id)s done (version %(version)d).") % {"id": task.id, "version": task.version})

    rows = [task_answer(row) for row in selectors.my_tasks(actor=ctx.writer(), days=args.days)]
    if args.json:
        ctx.echo(output.to_json(rows))
        return 0
    for row in rows:
        late = " " + _("(overdue)") if row["overdue"] else ""
        ctx.echo(f"{row['due_on'] or '-'}{late}  {row['case_number']}  {row['title']}")
    ctx.echo(_("Tasks: %(count)d.") % {"count": len(rows)})
    return 0

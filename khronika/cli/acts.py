"""``khronika acts``: the acts within an event (who suffered what, when, where, with what result).

khronika acts list EVENT_ID --as USER                     # the event's acts
khronika acts add EVENT_ID --json-file act.json --as USER  # record one
khronika acts edit ACT_ID --json-file - --version 2 --as USER
khronika acts delete ACT_ID --version 3 --as USER

A victim's name and a case number are sealed: the command line holds no key to open them and shows them
as sealed; a browser session opens them, each opening audited.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli import output
from khronika.cli.base import Command, Context, read_text, read_values, saved

ACT_COLUMNS = ("started", "type", "victim_kind", "victim_count", "victim_group", "police_station", "tier")


def register(commands: Any) -> None:
    acts = commands.add_parser(
        "acts",
        help=gettext_lazy("list, add, edit and delete the acts of an event"),
        description=gettext_lazy(
            "The violations within an event: against a named person (only roles that read protected "
            "values name one; the name is sealed) or a group with a count. Acts are seen with their event; "
            "writing needs --as a member of the organisation that documents it."
        ),
    )
    actions = acts.add_subparsers(dest="acts_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=gettext_lazy("the acts of one event"))
    listing.add_argument("event", metavar="EVENT_ID")
    listing.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    listing.set_defaults(command=Command(acts_list))
    input_help = gettext_lazy(
        "JSON object of: type, victim (an individual's id) or victim_name and victim_birth_year, or "
        "victim_group and victim_count; started, ended, region, place, method, consequences (a list), "
        "end_status, detention_place, police_station, legal_counsel, court, case_number, autopsy, "
        "death_certificate, medical_attention, statements_signed, property_loss, compensation, notes; "
        "- reads standard input"
    )
    add = actions.add_parser("add", help=gettext_lazy("record an act within an event"))
    add.add_argument("event", metavar="EVENT_ID")
    add.add_argument("--json-file", required=True, metavar="FILE", help=input_help)
    add.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    add.set_defaults(command=Command(acts_add))
    version_help = gettext_lazy("the version you saw; a newer one is a conflict")
    edit = actions.add_parser("edit", help=gettext_lazy("change an act"))
    edit.add_argument("id", metavar="ACT_ID")
    edit.add_argument("--json-file", required=True, metavar="FILE", help=input_help)
    edit.add_argument("--version", type=int, default=None, help=version_help)
    edit.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    edit.set_defaults(command=Command(acts_edit))
    bulk = actions.add_parser(
        "bulk",
        help=gettext_lazy("record a list of detainees, one act each"),
        description=gettext_lazy(
            "One detainee per line: name, then optionally police station and time (14:30), separated by "
            "tabs, semicolons or commas. Nothing is written unless every line reads. People named now leave "
            "the event's group of the same type of act, so its total stays right. The command line opens no "
            "names, so it cannot suggest people already on record: check in the browser first."
        ),
    )
    bulk.add_argument("event", metavar="EVENT_ID")
    bulk.add_argument(
        "--file", required=True, metavar="FILE", help=gettext_lazy("the list; - reads standard input")
    )
    bulk.add_argument(
        "--type", default="administrative-detention", help=gettext_lazy("the type of act of every line")
    )
    bulk.add_argument(
        "--dry-run", action="store_true", help=gettext_lazy("read the list only; write nothing")
    )
    bulk.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    bulk.set_defaults(command=Command(acts_bulk))
    delete = actions.add_parser("delete", help=gettext_lazy("delete an act"))
    delete.add_argument("id", metavar="ACT_ID")
    delete.add_argument("--version", type=int, default=None, help=version_help)
    delete.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    delete.set_defaults(command=Command(acts_delete))


def acts_list(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.api.monitoring import act_answer
    from khronika.monitoring import selectors

    rows = [act_answer(row) for row in selectors.event_acts(actor=ctx.actor(), event_id=args.event)]
    if args.json:
        ctx.echo(output.to_json(rows))
        return 0
    if rows:
        headers = [_("date"), _("type"), _("victim"), _("victims"), _("group"), _("police station")]
        headers.append(_("tier"))
        ctx.echo(output.table(headers, [[_cell(row.get(name)) for name in ACT_COLUMNS] for row in rows]))
    ctx.echo(
        _("Acts: %(acts)d, victims: %(victims)d.")
        % {"acts": len(rows), "victims": sum(row["victim_count"] for row in rows)}
    )
    return 0


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def acts_add(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring import services

    act = services.act_add(actor=ctx.writer(), event_id=args.event, values=read_values(args.json_file))
    return saved(ctx, args, act, _("Recorded act %(id)s (version %(version)d)."))


def acts_edit(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring import services

    act = services.act_update(
        actor=ctx.writer(), act_id=args.id, values=read_values(args.json_file), expected_version=args.version
    )
    return saved(ctx, args, act, _("Saved act %(id)s (version %(version)d)."))


def acts_delete(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring import services

    act = services.act_delete(actor=ctx.writer(), act_id=args.id, expected_version=args.version)
    return saved(ctx, args, act, _("Deleted act %(id)s (version %(version)d)."))


def acts_bulk(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring.services.detainees import detainees_add, detainees_preview

    text = read_text(args.file)
    if args.dry_run:
        lines = detainees_preview(actor=ctx.writer(), event_id=args.event, text=text)
        if args.json:
            ctx.echo(output.to_json([line.as_dict() for line in lines]))
            return 0
        for line in lines:
            problems = "; ".join(line.errors)
            ctx.echo(f"{line.line}: {line.police_station or '-'} {line.time or ''} {problems}".rstrip())
        ctx.echo(_("Lines: %(count)d. Dry run: nothing was written.") % {"count": len(lines)})
        return 0
    report = detainees_add(actor=ctx.writer(), event_id=args.event, text=text, act_type=args.type)
    if args.json:
        ctx.echo(output.to_json(report.as_dict()))
        return 0
    ctx.echo(
        _("Recorded %(added)d detainees; the event counts %(victims)d victims.")
        % {"added": report.added, "victims": report.victims}
    )
    if report.group_before is not None:
        ctx.echo(
            _("Its group of detainees went from %(before)d to %(after)d.")
            % {"before": report.group_before, "after": report.group_after}
        )
    return 0

"""``khronika involvements``, ``sources`` and ``interventions``: who did it, how it is known, what was done.

khronika involvements add ACT_ID --json-file - --as U   # {"perpetrator": "…", "degree": "carried-out"}
khronika sources add EVENT_ID --json-file - --as U      # {"source_kind": "media", "reliability": "high"}
khronika sources list EVENT_ID --as U
khronika interventions add EVENT_ID --json-file - --as U
khronika interventions list EVENT_ID --as U

A witness's name is sealed and shows as sealed here; sources and interventions are internal to the group
that documents the event.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli import output
from khronika.cli.base import Command, Context, read_values, saved

KINDS = {
    "involvements": (
        gettext_lazy("perpetrators of an act: who did, ordered or allowed it"),
        "ACT_ID",
        gettext_lazy(
            "JSON: perpetrator_person or perpetrator_organisation (ids) or perpetrator (a description), "
            "degree, perpetrator_type, latest_status, notes"
        ),
    ),
    "sources": (
        gettext_lazy("where what is known of an event comes from"),
        "EVENT_ID",
        gettext_lazy(
            "JSON: source_kind (person, organisation, document, media), source or source_name, "
            "source_organisation, title, url, source_type, connection, reliability, language, dated, act, "
            "notes"
        ),
    ),
    "interventions": (
        gettext_lazy("what was done about an event"),
        "EVENT_ID",
        gettext_lazy(
            "JSON: type, status, dated, parties_requested, response, impact, priority, by_organisation, act, "
            "notes"
        ),
    ),
}


def register(commands: Any) -> None:
    for kind, (helptext, target, input_help) in KINDS.items():
        parser = commands.add_parser(kind, help=helptext)
        actions = parser.add_subparsers(dest=f"{kind}_action", metavar="ACTION", required=True)
        add = actions.add_parser("add", help=gettext_lazy("record one"))
        add.add_argument("target", metavar=target)
        add.add_argument("--json-file", required=True, metavar="FILE", help=input_help)
        add.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
        add.set_defaults(command=Command(links_add), kind=kind)
        remove = actions.add_parser("remove", help=gettext_lazy("remove one"))
        remove.add_argument("id", metavar="ID")
        remove.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
        remove.set_defaults(command=Command(links_remove), kind=kind)
        if kind != "involvements":  # an act's perpetrators are listed with it: khronika acts list
            listing = actions.add_parser("list", help=gettext_lazy("those of an event"))
            listing.add_argument("target", metavar=target)
            listing.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
            listing.set_defaults(command=Command(links_list), kind=kind)


def links_add(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring.services import links

    values = read_values(args.json_file)
    record: Any
    if args.kind == "involvements":
        record = links.involvement_add(actor=ctx.writer(), act_id=args.target, values=values)
    elif args.kind == "sources":
        record = links.information_add(actor=ctx.writer(), event_id=args.target, values=values)
    else:
        record = links.intervention_add(actor=ctx.writer(), event_id=args.target, values=values)
    return saved(ctx, args, record, _("Recorded %(id)s (version %(version)d)."))


def links_remove(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring.services import links

    record: Any
    if args.kind == "involvements":
        record = links.involvement_delete(actor=ctx.writer(), involvement_id=args.id)
    elif args.kind == "sources":
        record = links.information_delete(actor=ctx.writer(), information_id=args.id)
    else:
        record = links.intervention_delete(actor=ctx.writer(), intervention_id=args.id)
    return saved(ctx, args, record, _("Removed %(id)s (version %(version)d)."))


def links_list(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.api.sources import information_answer, intervention_answer
    from khronika.monitoring import selectors

    if args.kind == "sources":
        rows = [
            information_answer(r)
            for r in selectors.event_information(actor=ctx.actor(), event_id=args.target)
        ]
        columns = ("source_kind", "source_title", "reliability", "dated", "id")
    else:
        rows = [
            intervention_answer(r)
            for r in selectors.event_interventions(actor=ctx.actor(), event_id=args.target)
        ]
        columns = ("type", "status", "dated", "parties_requested", "id")
    if args.json:
        ctx.echo(output.to_json(rows))
        return 0
    if rows:
        ctx.echo(
            output.table(
                list(columns), [["" if r.get(c) is None else r.get(c) for c in columns] for r in rows]
            )
        )
    ctx.echo(_("Found: %(count)d.") % {"count": len(rows)})
    return 0

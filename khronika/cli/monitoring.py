"""``khronika vocabularies``: the vocabularies of the monitoring model, as a node has them loaded.

khronika vocabularies                    # every vocabulary, with its edition and number of terms
khronika vocabularies act-types          # one vocabulary's terms, indented under their parents
khronika vocabularies act-types --json   # the same as JSON (as /api/v1/vocabularies/act-types)
"""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli import output
from khronika.cli.base import Command, Context, read_values, saved
from khronika.core.errors import ValidationFailed


def register(commands: Any) -> None:
    vocabularies = commands.add_parser(
        "vocabularies",
        help=gettext_lazy("list the monitoring vocabularies, or the terms of one"),
        description=gettext_lazy(
            "The vocabularies records of violations draw from (types of act, degrees of involvement, "
            "reliability of sources…), as loaded by `khronika init` from the files shipped with Khronika."
        ),
    )
    vocabularies.add_argument(
        "code", nargs="?", default="", metavar="CODE", help=gettext_lazy("a vocabulary")
    )
    vocabularies.add_argument(
        "--retired", action="store_true", help=gettext_lazy("also list terms no longer offered")
    )
    vocabularies.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    vocabularies.set_defaults(command=Command(vocabularies_command))
    projects = commands.add_parser(
        "projects",
        help=gettext_lazy("add a monitoring project of your group's making"),
        description=gettext_lazy(
            "A project is offered to every group like those Khronika ships, and its name is public. For "
            "coordinators, monitors and administrators. List them with `khronika vocabularies "
            "monitoring-projects`."
        ),
    )
    project_actions = projects.add_subparsers(dest="projects_action", metavar="ACTION", required=True)
    add_project = project_actions.add_parser("add", help=gettext_lazy("add a project"))
    add_project.add_argument("--name-ru", required=True)
    add_project.add_argument("--name-en", default="")
    add_project.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    add_project.set_defaults(command=Command(projects_add))
    _register_events(commands)


def _register_events(commands: Any) -> None:
    events = commands.add_parser(
        "events",
        help=gettext_lazy("list, show, add and edit monitored events"),
        description=gettext_lazy(
            "Events your organisation documents, and those shared with the network or published. An event "
            "is internal to its organisation until it is shared; only coordinators, monitors and "
            "administrators publish. Without --as, only published events are listed and shown; adding "
            "and editing need --as."
        ),
    )
    actions = events.add_subparsers(dest="events_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=gettext_lazy("list events, newest first"))
    listing.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=gettext_lazy(
            "region, district, type, project, monitoring_status, violation_status, since or until "
            "(repeatable), e.g. type=public-assembly or since=2012-05"
        ),
    )
    listing.add_argument("--limit", type=int, default=50, help=gettext_lazy("at most this many (1-500)"))
    listing.add_argument("--offset", type=int, default=0, help=gettext_lazy("skip this many first"))
    listing.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    listing.set_defaults(command=Command(events_list))
    show = actions.add_parser("show", help=gettext_lazy("show one event"))
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    show.set_defaults(command=Command(events_show))
    input_help = gettext_lazy(
        "JSON object of: title, description, started, ended (2012-05-06, 2012-05, 2012 or ~2012), region, "
        "place, latitude, longitude, type, projects (a list), violation_status, monitoring_status, tier; "
        "- reads standard input"
    )
    add = actions.add_parser("add", help=gettext_lazy("record an event of your organisation"))
    add.add_argument("--json-file", required=True, metavar="FILE", help=input_help)
    add.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    add.set_defaults(command=Command(events_add))
    edit = actions.add_parser("edit", help=gettext_lazy("change an event of your organisation"))
    edit.add_argument("id", metavar="ID")
    edit.add_argument("--json-file", required=True, metavar="FILE", help=input_help)
    edit.add_argument(
        "--version",
        type=int,
        default=None,
        help=gettext_lazy("the version you saw; a newer one is a conflict"),
    )
    edit.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    edit.set_defaults(command=Command(events_edit))


def projects_add(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring import services

    term = services.project_create(actor=ctx.writer(), name_ru=args.name_ru, name_en=args.name_en)
    if args.json:
        ctx.echo(output.to_json({"code": term.code, "name_ru": term.name_ru, "name_en": term.name_en}))
    else:
        ctx.echo(_("Added the project %(code)s.") % {"code": term.code})
    return 0


def vocabularies_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring import selectors

    if not args.code:
        found = selectors.vocabulary_summaries()
        if args.json:
            ctx.echo(output.to_json(found))
            return 0
        headers = [_("code"), _("name (Russian)"), _("name (English)"), _("edition"), _("terms")]
        rows = [(v["code"], v["name_ru"], v["name_en"], v["edition"], v["term_count"]) for v in found]
        ctx.echo(output.table(headers, rows))
        return 0
    if args.json:
        ctx.echo(output.to_json(selectors.vocabulary_listing(args.code, include_retired=args.retired)))
        return 0
    vocabulary = selectors.vocabulary(args.code)
    ctx.echo(f"{vocabulary.name} ({vocabulary.code}, {vocabulary.edition})")
    for row in selectors.vocabulary_terms(args.code, include_retired=args.retired):
        retired = " " + _("(retired)") if row.term.retired else ""
        ctx.echo(f"{'  ' * row.depth}{row.term.code}  {row.term.name}{retired}")
    return 0


EVENT_COLUMNS = ("started", "title", "region", "type", "monitoring_status", "tier")


def parse_filters(raw: list[str]) -> dict[str, str]:
    filters: dict[str, str] = {}
    for item in raw:
        name, sign, value = item.partition("=")
        if not sign or not name.strip():
            raise ValidationFailed(fields={"filter": [_("Write a filter as NAME=VALUE, e.g. type=rally.")]})
        filters[name.strip()] = value.strip()
    return filters


def events_list(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring import selectors

    if not 1 <= args.limit <= 500:
        raise ValidationFailed(fields={"limit": [_("Give a number from 1 to 500.")]})
    events = selectors.event_list(actor=ctx.actor(), filters=parse_filters(args.filter))
    rows = selectors.event_rows(events[max(args.offset, 0) : max(args.offset, 0) + args.limit])
    if args.json:
        answer = {"count": events.count(), "limit": args.limit, "offset": args.offset, "items": rows}
        ctx.echo(output.to_json(answer))
        return 0
    if rows:
        headers = [_("date"), _("title"), _("region"), _("type"), _("status"), _("who may see it")]
        ctx.echo(output.table(headers, [[row[name] or "" for name in EVENT_COLUMNS] for row in rows]))
    ctx.echo(_("Events: %(count)d.") % {"count": events.count()})
    return 0


def _event_json(card: Any) -> dict[str, Any]:
    from khronika.api.monitoring import event_answer

    return event_answer(card)


def events_show(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring import selectors

    card = selectors.event_card(actor=ctx.actor(), event_id=args.id)
    answer = _event_json(card)
    if args.json:
        ctx.echo(output.to_json(answer))
        return 0
    ctx.echo(
        output.key_values((name, value) for name, value in answer.items() if value not in (None, "", []))
    )
    return 0


def events_add(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring import services

    event = services.event_create(actor=ctx.writer(), values=read_values(args.json_file))
    return saved(ctx, args, event, _("Recorded event %(id)s (version %(version)d)."))


def events_edit(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring import services

    event = services.event_update(
        actor=ctx.writer(),
        event_id=args.id,
        values=read_values(args.json_file),
        expected_version=args.version,
    )
    return saved(ctx, args, event, _("Saved event %(id)s (version %(version)d)."))

"""`khronika directory …`: list, show, add and edit organisations of the network directory.

Reads without --as act as an anonymous visitor: they see only the organisations shown in the public
directory, and only their public fields. With --as, the user's permissions apply (network fields of every
organisation; internal and protected ones of their own). Writes need --as.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli import output
from khronika.cli.base import Command, Context, add_opening_arguments, read_values, saved
from khronika.cli.organisations import (
    organisation_card_json,
    organisation_row_json,
    organisation_table,
    organisation_text,
)
from khronika.core.errors import ValidationFailed

MAX_LIMIT = 500
READ_NOTE = gettext_lazy(
    "Without --as you read as an anonymous visitor: only organisations shown in the public directory, "
    "and only their public fields. With --as USERNAME you read with that user's permissions."
)


def register(commands: Any) -> None:
    directory = commands.add_parser(
        "directory", help=gettext_lazy("list, show, add and edit organisations"), description=READ_NOTE
    )
    actions = directory.add_subparsers(dest="directory_action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help=gettext_lazy("list organisations"), description=READ_NOTE)
    listing.add_argument("--q", default="", help=gettext_lazy("text in the Russian or English name"))
    listing.add_argument(
        "--region", default="", metavar="CODE", help=gettext_lazy("region covered, e.g. RU-TVE")
    )
    listing.add_argument(
        "--district", default="", metavar="CODE", help=gettext_lazy("federal district, e.g. central")
    )
    listing.add_argument(
        "--area",
        default="",
        metavar="CODE",
        help=gettext_lazy("area of work (its sub-areas included), e.g. prisoners-rights"),
    )
    listing.add_argument(
        "--kind", default="", metavar="CODE", help=gettext_lazy("kind, e.g. ngo or human_rights_group")
    )
    listing.add_argument("--status", default="", metavar="CODE", help=gettext_lazy("status, e.g. active"))
    listing.add_argument(
        "--limit", type=int, default=50, help=gettext_lazy("at most this many (default 50, at most 500)")
    )
    listing.add_argument("--offset", type=int, default=0, help=gettext_lazy("skip this many first"))
    listing.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    listing.set_defaults(command=Command(directory_list))

    show = actions.add_parser("show", help=gettext_lazy("show one organisation"), description=READ_NOTE)
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    add_opening_arguments(show)
    show.set_defaults(command=Command(directory_show))

    input_help = gettext_lazy("JSON object of field names and values; - reads standard input")
    add = actions.add_parser(
        "add",
        help=gettext_lazy("add an organisation (needs --as)"),
        description=gettext_lazy(
            "Add an organisation kept by your organisation. The input is a JSON object with any of: kind, "
            "name_ru, name_en, aliases, founded, status, home_region, regions, areas, description, "
            "website, is_public, internal_notes. Regions and areas are codes; founded is 2011, 2011-05 or "
            "~2011."
        ),
    )
    add.add_argument("--json-file", required=True, metavar="FILE", help=input_help)
    add.add_argument("--json", action="store_true", help=gettext_lazy("print the result as JSON"))
    add.set_defaults(command=Command(directory_add))

    edit = actions.add_parser(
        "edit",
        help=gettext_lazy("change an organisation (needs --as)"),
        description=gettext_lazy(
            "Change the fields given in the JSON object; others keep their values. With --version, refuse "
            "(exit 5) if someone changed the organisation since that version."
        ),
    )
    edit.add_argument("id", metavar="ID")
    edit.add_argument("--json-file", required=True, metavar="FILE", help=input_help)
    edit.add_argument(
        "--version",
        type=int,
        default=None,
        metavar="N",
        help=gettext_lazy("the version you last saw (see `directory show`)"),
    )
    edit.add_argument("--json", action="store_true", help=gettext_lazy("print the result as JSON"))
    edit.set_defaults(command=Command(directory_edit))

    bootstrap = actions.add_parser(
        "bootstrap",
        help=gettext_lazy("create the first organisation of an empty node (node operator, no --as)"),
        description=gettext_lazy(
            "Create the first organisation of an empty node, which keeps its own record; then create its "
            "first user with `khronika createuser`. Refused once the node has any organisation. The input "
            "is the same JSON object as for `directory add`."
        ),
    )
    bootstrap.add_argument("--json-file", required=True, metavar="FILE", help=input_help)
    bootstrap.add_argument("--json", action="store_true", help=gettext_lazy("print the result as JSON"))
    bootstrap.set_defaults(command=Command(directory_bootstrap))


def _filters(args: argparse.Namespace) -> Any:
    from khronika.directory.models import FederalDistrict, OrganisationKind, OrganisationStatus
    from khronika.directory.selectors import OrganisationFilters

    errors: dict[str, list[str]] = {}
    for name, choices in (
        ("kind", OrganisationKind),
        ("status", OrganisationStatus),
        ("district", FederalDistrict),
    ):
        value = getattr(args, name)
        if value and value not in choices.values:
            errors[name] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}]
    if not 0 < args.limit <= MAX_LIMIT:
        errors["limit"] = [_("Give a number from 1 to %(max)d.") % {"max": MAX_LIMIT}]
    if args.offset < 0:
        errors["offset"] = [_("Give a number of 0 or more.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return OrganisationFilters(
        q=args.q,
        region=args.region,
        district=args.district,
        area=args.area,
        kind=args.kind,
        status=args.status,
    )


def directory_list(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.directory import selectors

    filters = _filters(args)
    actor = ctx.actor()
    if actor is None:
        queryset = selectors.public_organisation_list(filters=filters)
    else:
        queryset = selectors.organisation_list(actor=actor, filters=filters)
    count = queryset.count()
    rows = selectors.organisation_rows(list(queryset[args.offset : args.offset + args.limit]), actor=actor)
    if args.json:
        ctx.echo(
            output.to_json(
                {
                    "count": count,
                    "limit": args.limit,
                    "offset": args.offset,
                    "items": [organisation_row_json(row) for row in rows],
                }
            )
        )
        return 0
    if rows:
        ctx.echo(organisation_table(rows))
    ctx.echo(
        _("%(shown)d of %(count)d organisations (from number %(first)d).")
        % {"shown": len(rows), "count": count, "first": args.offset + 1}
    )
    return 0


def directory_show(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.directory import selectors

    actor = ctx.actor()
    card = selectors.organisation_get(
        actor=actor, organisation_id=args.id, public_only=actor is None, opening=ctx.opening(args)
    )
    ctx.echo(output.to_json(organisation_card_json(card)) if args.json else organisation_text(card))
    return 0


def directory_add(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.directory.services import organisation_create

    actor = ctx.writer()
    values = read_values(args.json_file)
    organisation = organisation_create(actor=actor, values=values)
    return saved(ctx, args, organisation, _("Added organisation %(id)s (version %(version)d)."))


def directory_edit(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.directory.services import organisation_update

    actor = ctx.writer()
    values = read_values(args.json_file)
    organisation = organisation_update(
        actor=actor, organisation_id=args.id, values=values, expected_version=args.version
    )
    return saved(ctx, args, organisation, _("Saved organisation %(id)s (version %(version)d)."))


def directory_bootstrap(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.directory.services import organisation_bootstrap

    values = read_values(args.json_file)
    organisation = organisation_bootstrap(values=values)
    return saved(ctx, args, organisation, _("Added organisation %(id)s (version %(version)d)."))

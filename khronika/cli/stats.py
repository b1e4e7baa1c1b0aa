"""``khronika stats``: counts of acts and victims, as the statistics page and /api/v1/statistics give them.

khronika stats --by month --as USER                       # the events USER may see
khronika stats --by region --filter project=courts --csv  # published events only, as CSV
"""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli import output
from khronika.cli.base import Command, Context
from khronika.cli.monitoring import parse_filters


def register(commands: Any) -> None:
    stats = commands.add_parser(
        "stats",
        help=gettext_lazy("count acts and victims by type, region, month, project…"),
        description=gettext_lazy(
            "Counts of the acts of the events you may see (without --as, published events only). A date "
            "known only to the year counts in its year on its own line, never in January; an undated act "
            "on the line 'unknown'."
        ),
    )
    stats.add_argument(
        "--by",
        default="month",
        help=gettext_lazy(
            "act_type, act_category, region, month, year, project or event_type (default: month)"
        ),
    )
    stats.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=gettext_lazy(
            "region, district, type, project, monitoring_status, violation_status, since, until or "
            "act_type (repeatable)"
        ),
    )
    shape = stats.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    shape.add_argument("--csv", action="store_true", help=gettext_lazy("print CSV"))
    stats.set_defaults(command=Command(stats_command))


def stats_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring import selectors

    table = selectors.statistics(actor=ctx.actor(), by=args.by, filters=parse_filters(args.filter))
    if args.json:
        ctx.echo(output.to_json(table.as_dict()))
        return 0
    if args.csv:
        ctx.echo(table.as_csv().rstrip("\n"))
        return 0
    headers = [table.dimension_label, _("acts"), _("victims")]
    rows = [[row.label, row.acts, row.victims] for row in table.rows]
    rows.append([_("total"), table.acts, table.victims])
    ctx.echo(output.table(headers, rows))
    return 0

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
from khronika.cli.base import Command, Context


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

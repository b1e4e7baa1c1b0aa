"""``khronika search``: search the network from a terminal, and look after the search index.

    khronika --as USER search задержания Пермь --filter area=prisoners-rights [--json]
    khronika search reindex        # rebuild the index from the database, with a progress bar
    khronika search status         # what the index holds and how far it has read the change log

Without --as the search is the public site's: public records shown in the public directory only.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli import output
from khronika.cli.base import Command, Context
from khronika.core.errors import ValidationFailed

COMMANDS = ("reindex", "status")


def register(commands: Any) -> None:
    search = commands.add_parser(
        "search",
        help=gettext_lazy(
            "search records; `search reindex` rebuilds the index, `search status` describes it"
        ),
        description=gettext_lazy(
            "Search the records you may read: words in any of their forms, names in Cyrillic or any Latin "
            'spelling, "a phrase", prefix*, -excluded. Without --as, only what the public site shows. '
            "`khronika search reindex` rebuilds the search index from the database; `khronika search "
            "status` shows its size and its place in the change log. To search for the word reindex or "
            "status alone, give it with --query."
        ),
    )
    search.add_argument("words", nargs="*", metavar="WORD", help=gettext_lazy("what to search for"))
    search.add_argument("--query", default=None, help=gettext_lazy("the search text, instead of WORDs"))
    search.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=gettext_lazy("only records with this facet value, e.g. region=RU-PER (repeatable)"),
    )
    search.add_argument("--limit", type=int, default=20, help=gettext_lazy("at most this many (1-100)"))
    search.add_argument("--offset", type=int, default=0, help=gettext_lazy("skip this many first"))
    search.add_argument("--facets", action="store_true", help=gettext_lazy("also print the facet counts"))
    search.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    search.add_argument(
        "--no-progress", action="store_true", help=gettext_lazy("reindex without the progress bar")
    )
    search.set_defaults(command=Command(search_command))


def _filters(raw: list[str]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for item in raw:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValidationFailed(_("A filter is written NAME=VALUE, e.g. region=RU-PER."))
        filters.setdefault(name.strip(), []).append(value.strip())
    return filters


def search_command(args: argparse.Namespace, ctx: Context) -> int:
    if args.query is None and len(args.words) == 1 and args.words[0] in COMMANDS:
        return search_reindex(args, ctx) if args.words[0] == "reindex" else search_status(args, ctx)
    from khronika.search import selectors

    if not 1 <= args.limit <= selectors.MAX_PER_PAGE or args.offset < 0:
        raise ValidationFailed(_("--limit is 1 to 100 and --offset is not negative."))
    actor = ctx.actor()
    result = selectors.search_records(
        actor=actor,
        q=args.query if args.query is not None else " ".join(args.words),
        filters=_filters(args.filter),
        offset=args.offset,
        limit=args.limit,
        public=actor is None,
    )
    if args.json:
        from khronika.api.search import search_answer

        ctx.echo(output.to_json(search_answer(result)))
        return 0
    _print_result(result, ctx, facets=args.facets)
    return 0


def _print_result(result: Any, ctx: Context, *, facets: bool) -> None:
    if result.fuzzy:
        ctx.echo(_("Nothing matched exactly; these are close spellings."))
    for number, row in enumerate(result.rows, start=result.first_number):
        ctx.echo(f"{number}. [{row.kind_label}] {row.title}  {row.id}")
        snippet = "".join(f"[{text}]" if match else text for text, match in row.snippet)
        if snippet:
            ctx.echo(f"   {snippet}")
    ctx.echo(
        _("%(shown)d of %(count)d records (from number %(first)d).")
        % {"shown": len(result.rows), "count": result.total, "first": result.first_number}
    )
    if facets:
        for group in result.facets:
            ctx.echo(f"{group.label}: " + ", ".join(f"{v.label} ({v.value}) {v.count}" for v in group.values))


def search_reindex(args: argparse.Namespace, ctx: Context) -> int:
    from tqdm import tqdm

    from khronika.search.indexer import index_rebuild

    bars: dict[str, Any] = {}
    show = not args.no_progress and not args.json

    def progress(kind: str, done: int, total: int) -> None:
        if not show:
            return
        bar = bars.get(kind)
        if bar is None:
            bar = bars[kind] = tqdm(total=total, desc=kind, unit=" records", file=sys.stderr, leave=True)
        bar.update(done - bar.n)

    report = index_rebuild(progress=progress)
    for bar in bars.values():
        bar.close()
    if args.json:
        ctx.echo(output.to_json({"indexed": report.indexed}))
    else:
        ctx.echo(_("Search index rebuilt: %(count)d records indexed.") % {"count": report.indexed})
    return 0


def search_status(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.search.selectors import index_status

    status = index_status()
    if args.json:
        ctx.echo(output.to_json(status))
        return 0
    labels = {
        "backend": _("backend"),
        "documents": _("records indexed"),
        "size_bytes": _("size in bytes"),
        "cursor": _("change log read up to"),
        "change_log": _("change log ends at"),
        "behind": _("changes not yet indexed"),
    }
    ctx.echo(output.key_values((labels[k], v) for k, v in status.items()))
    return 0

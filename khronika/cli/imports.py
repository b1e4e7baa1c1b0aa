"""``khronika import``: records from other tools' files, row by row, each refusal with its reason.

khronika import ovdinfo-detentions PATH --as USER            # a folder of detentions*.csv, or one file
khronika import ovdinfo-detentions PATH --as USER --dry-run  # what would be imported; writes nothing

Exit status 0 when every row was imported (or already was), 8 when some rows were refused: the report
lists each by file and line.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli import output
from khronika.cli.base import Command, Context

ROWS_REFUSED = 8


def register(commands: Any) -> None:
    imports = commands.add_parser(
        "import",
        help=gettext_lazy("import records from other tools' files"),
        description=gettext_lazy(
            "Import records row by row. A row that cannot be read exactly is refused with its reason and "
            "the others go on; a second import of the same file adds nothing. Exit status 8: some rows "
            "were refused."
        ),
    )
    kinds = imports.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    ovdinfo = kinds.add_parser(
        "ovdinfo-detentions",
        help=gettext_lazy("OVD-Info's lists of detentions at protests (CSV)"),
        description=gettext_lazy(
            "Each row becomes an event of your organisation in the project 'assemblies and detentions', "
            "with one act: the detention of as many people as the row counts, at the police station it "
            "names. Needs --as a member of the organisation who may record events."
        ),
    )
    ovdinfo.add_argument(
        "path", metavar="PATH", help=gettext_lazy("a folder of detentions*.csv, or one file")
    )
    ovdinfo.add_argument(
        "--tier",
        default="internal",
        choices=["internal", "network", "public"],
        help=gettext_lazy("who may see the events (default: internal to your organisation)"),
    )
    ovdinfo.add_argument(
        "--region",
        default="RU-MOW",
        metavar="CODE",
        help=gettext_lazy("the region of rows in a file without a region column (default: RU-MOW)"),
    )
    ovdinfo.add_argument("--dry-run", action="store_true", help=gettext_lazy("report only; write nothing"))
    ovdinfo.add_argument("--json", action="store_true", help=gettext_lazy("print the report as JSON"))
    ovdinfo.set_defaults(command=Command(ovdinfo_command))


def ovdinfo_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring.services.ovdinfo import ovdinfo_detentions_import, ovdinfo_files

    report = ovdinfo_detentions_import(
        actor=ctx.writer(),
        paths=ovdinfo_files(Path(args.path)),
        tier=args.tier,
        default_region=args.region,
        dry_run=args.dry_run,
    )
    if args.json:
        ctx.echo(output.to_json({**report.as_dict(), "dry_run": args.dry_run}))
    else:
        for refusal in report.refused:
            ctx.echo(f"{refusal.file}:{refusal.line}: {refusal.reason}")
        summary = _(
            "Files: %(files)d. Rows: %(rows)d. Imported: %(imported)d events, %(detained)d detained. "
            "Already imported: %(already)d. Refused: %(refused)d."
        ) % {
            "files": report.files,
            "rows": report.rows,
            "imported": report.imported,
            "detained": report.detained,
            "already": report.already,
            "refused": len(report.refused),
        }
        ctx.echo(summary)
        if report.default_region_used:
            ctx.echo(
                _("%(count)d rows had no region column and were placed in %(region)s (--region).")
                % {"count": report.default_region_used, "region": args.region}
            )
        if args.dry_run:
            ctx.echo(_("Dry run: nothing was written."))
    return ROWS_REFUSED if report.refused else 0

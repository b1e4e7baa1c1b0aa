"""``khronika documents``: files attached to events and cases.

khronika documents add --event ID statement.pdf --title "Заявление" --as USER
khronika documents list --event ID --as USER
khronika documents get DOCUMENT_ID --out copy.pdf --as USER   # the stored copy, metadata stripped

A protected document opens only in a signed-in browser session (the command line holds no key).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli import output
from khronika.cli.base import Command, Context, saved
from khronika.core.errors import ValidationFailed


def register(commands: Any) -> None:
    documents = commands.add_parser(
        "documents",
        help=gettext_lazy("attach, list and fetch files of events and cases"),
        description=gettext_lazy(
            "Files are stored stripped of metadata (EXIF of photographs, a PDF's author…) and encrypted; the "
            "hash of the file as given is recorded."
        ),
    )
    actions = documents.add_subparsers(dest="documents_action", metavar="ACTION", required=True)
    for name, helptext, handler in (
        ("add", gettext_lazy("attach a file"), documents_add),
        ("list", gettext_lazy("the files of an event or a case"), documents_list),
    ):
        action = actions.add_parser(name, help=helptext)
        owner = action.add_mutually_exclusive_group(required=True)
        owner.add_argument("--event", metavar="ID")
        owner.add_argument("--case", metavar="ID")
        if name == "add":
            action.add_argument("file", metavar="FILE")
            action.add_argument("--title", required=True, help=gettext_lazy("a title that names nobody"))
            action.add_argument(
                "--tier",
                default="internal",
                help=gettext_lazy("public, network, internal (default) or protected"),
            )
        action.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
        action.set_defaults(command=Command(handler))
    get = actions.add_parser("get", help=gettext_lazy("write the stored copy of a file"))
    get.add_argument("id", metavar="DOCUMENT_ID")
    get.add_argument("--out", required=True, metavar="PATH", help=gettext_lazy("where to write it"))
    get.set_defaults(command=Command(documents_get))


def documents_add(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring.services.documents import document_add

    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError:
        raise ValidationFailed(fields={"file": [_("The file cannot be read.")]}) from None
    document = document_add(
        actor=ctx.writer(),
        title=args.title,
        tier=args.tier,
        file_name=path.name,
        content=content,
        event_id=args.event,
        case_id=args.case,
    )
    return saved(ctx, args, document, _("Attached document %(id)s (version %(version)d)."))


def documents_list(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.api.documents import document_answers
    from khronika.monitoring.selectors import documents

    if args.event:
        rows = document_answers(documents.event_documents(actor=ctx.actor(), event_id=args.event))
    else:
        rows = document_answers(documents.case_documents(actor=ctx.writer(), case_id=args.case))
    if args.json:
        ctx.echo(output.to_json(rows))
        return 0
    headers = [_("title"), _("type"), _("size"), "SHA-256", "id"]
    table = [
        [r.get("title") or _("(sealed)"), r["media_type"], r["size"], r["sha256"][:16], r["id"]] for r in rows
    ]
    ctx.echo(output.table(headers, table))
    return 0


def documents_get(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.monitoring.selectors.documents import document_content

    found = document_content(actor=ctx.actor(), document_id=args.id)
    try:
        Path(args.out).write_bytes(found.content)
    except OSError:
        raise ValidationFailed(fields={"out": [_("The file cannot be written there.")]}) from None
    ctx.echo(_("Wrote %(size)d bytes to %(path)s.") % {"size": len(found.content), "path": args.out})
    return 0

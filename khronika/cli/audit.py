"""``khronika audit verify``: check that the audit log is whole."""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli.base import Command, Context
from khronika.core.errors import ApplicationError


class AuditChainBroken(ApplicationError):
    code = "audit_chain_broken"
    status = 500
    exit_code = 7


def register(commands: Any) -> None:
    audit = commands.add_parser("audit", help=gettext_lazy("check the audit log"))
    actions = audit.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify_parser = actions.add_parser(
        "verify",
        help=gettext_lazy("check that no audit entry was changed, removed or inserted"),
        description=gettext_lazy(
            "Walk the hash chain of the audit log and print its head hash. Write the head hash down "
            "somewhere else: given later with --expect-head, it shows whether the log was rewritten since."
        ),
    )
    verify_parser.add_argument(
        "--expect-head", default="", metavar="HASH", help=gettext_lazy("a head hash noted earlier")
    )
    verify_parser.set_defaults(command=Command(verify))


def verify(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.core.audit import audit_verify

    report = audit_verify(expect_head=args.expect_head.strip().lower())
    if report.reason == "expected_head_missing":
        raise AuditChainBroken(
            _("The audit log no longer holds the head hash you gave: it was rewritten after that point.")
        )
    if not report.intact:
        raise AuditChainBroken(
            _("The audit log is broken at entry %(seq)d: %(what)s. Entries before it are intact.")
            % {
                "seq": report.broken_at,
                "what": _("its content was changed")
                if report.reason == "content"
                else _("the entry before it was removed or replaced"),
            }
        )
    ctx.echo(_("The audit log is intact: %(count)d entries.") % {"count": report.entries})
    ctx.echo(_("Head hash: %(head)s") % {"head": report.head})
    return 0

"""``khronika panic --group G``: lock every account of an organisation and end its sessions, now."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli.base import Command, Context
from khronika.core.errors import ValidationFailed


def register(commands: Any) -> None:
    panic = commands.add_parser(
        "panic",
        help=gettext_lazy("lock every account of an organisation and end its sessions at once"),
        description=gettext_lazy(
            "For a raid or a seized phone: disable every account of the organisation, end all their "
            "sessions and revoke their API tokens, at once. The node operator acts alone here; in the "
            "web interface two coordinators must agree. --lift re-enables the accounts the last "
            "lockdown locked."
        ),
    )
    panic.add_argument("--group", required=True, metavar="ID_OR_NAME", help=gettext_lazy("the organisation"))
    panic.add_argument("--reason", default="", help=gettext_lazy("why, for the record (no names)"))
    panic.add_argument("--lift", action="store_true", help=gettext_lazy("re-enable the locked accounts"))
    panic.add_argument("--yes", action="store_true", help=gettext_lazy("do not ask for confirmation"))
    panic.set_defaults(command=Command(panic_command))


def panic_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts.lockdown import lockdown_lift, organisation_lockdown
    from khronika.directory.selectors import organisation_find

    organisation = organisation_find(reference=args.group)
    name = organisation["name_ru"]
    if not args.yes:
        question = (
            _("Re-enable the accounts locked at %(name)s? [y/N] ")
            if args.lift
            else _("Lock every account of %(name)s and end their sessions now? [y/N] ")
        ) % {"name": name}
        print(question, end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer not in {"y", "yes", "д", "да"}:
            raise ValidationFailed(_("Nothing was done."))
    if args.lift:
        lockdown = lockdown_lift(actor=None, organisation_id=organisation["id"])
        ctx.echo(
            _("Re-enabled %(count)d accounts of %(name)s.")
            % {"count": len(lockdown.locked_users), "name": name}
        )
        return 0
    lockdown = organisation_lockdown(actor=None, organisation_id=organisation["id"], reason=args.reason)
    ctx.echo(
        _("Locked %(count)d accounts of %(name)s; their sessions are ended and their API tokens revoked.")
        % {"count": len(lockdown.locked_users), "name": name}
    )
    return 0

"""``khronika mfa reset``: remove a user's second factor, for a lost phone.

Without --as it acts as the node operator; with --as, as that user, who must be an administrator of the
user's organisation (as in ``accounts.services.user_second_factor_reset``).
"""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli.base import Command, Context
from khronika.core.errors import NotFound


def register(commands: Any) -> None:
    mfa = commands.add_parser("mfa", help=gettext_lazy("manage users' second factor (TOTP)"))
    actions = mfa.add_subparsers(dest="mfa_action", metavar="ACTION", required=True)
    reset = actions.add_parser(
        "reset",
        help=gettext_lazy("remove a user's authenticator and recovery codes (a lost phone)"),
        description=gettext_lazy(
            "Remove every second-factor device of a user: their authenticator app and their recovery "
            "codes. Their sessions stop counting as verified; at their next sign-in they set up a new "
            "authenticator (users of roles that read protected records must). Make sure first that the "
            "request comes from the user: whoever signs in next with their password sets up the new one."
        ),
    )
    reset.add_argument("--user", required=True, metavar="USERNAME", help=gettext_lazy("whose second factor"))
    reset.set_defaults(command=Command(reset_command))


def reset_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts.selectors import user_by_username
    from khronika.accounts.services import user_second_factor_reset

    actor = ctx.actor()
    try:
        user = user_by_username(args.user)
    except NotFound:
        raise NotFound(_("No user has the username given with --user.")) from None
    result = user_second_factor_reset(actor=actor, user_id=user.pk)
    if not result.authenticators and not result.recovery_codes:
        ctx.echo(_("%(username)s had no second factor; nothing was removed.") % {"username": result.username})
        return 0
    ctx.echo(
        _(
            "Removed the second factor of %(username)s (authenticator apps: %(authenticators)d, unused "
            "recovery codes: %(codes)d)."
        )
        % {
            "username": result.username,
            "authenticators": result.authenticators,
            "codes": result.recovery_codes,
        }
    )
    if result.mandatory:
        ctx.echo(_("Their role needs a second factor: they set up a new one at their next sign-in."))
    else:
        ctx.echo(_("They may set up a new one on their second-factor page."))
    return 0

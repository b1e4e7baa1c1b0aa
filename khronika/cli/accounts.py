"""Account commands: createuser, token create, token revoke.

Without --as they act as the node operator, who holds the node's files anyway; with --as, as that user,
under the same rules as in the web interface (an administrator manages users of their organisation).
"""

from __future__ import annotations

import argparse
import getpass
import sys
import uuid
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli.base import Command, Context
from khronika.core.errors import NotFound, ValidationFailed


def register(commands: Any) -> None:
    passwd = commands.add_parser(
        "passwd",
        help=gettext_lazy("set a new password for a user who forgot theirs"),
        description=gettext_lazy(
            "Set a new password for a user. Their key is replaced, as the old one opens only with the old "
            "password: protected records must be granted to them again. All their sessions end. The "
            "password is read from standard input (--password-stdin) or asked for twice."
        ),
    )
    passwd.add_argument("username")
    passwd.add_argument(
        "--password-stdin",
        action="store_true",
        help=gettext_lazy("read the password from the first line of standard input"),
    )
    passwd.set_defaults(command=Command(passwd_command))

    create = commands.add_parser(
        "createuser",
        help=gettext_lazy("create a user of an organisation"),
        description=gettext_lazy(
            "Create a user. The password is read from standard input (--password-stdin) or asked for "
            "twice; it is never a command-line argument, which other users of the machine could see."
        ),
    )
    create.add_argument("username")
    create.add_argument(
        "--organisation",
        required=True,
        metavar="ID_OR_NAME",
        help=gettext_lazy("the user's organisation: its id or its exact name"),
    )
    create.add_argument(
        "--role",
        required=True,
        help=gettext_lazy(
            "administrator, coordinator, editor, monitor, lawyer, hotline_operator, member or viewer"
        ),
    )
    create.add_argument("--display-name", default="", help=gettext_lazy("name shown to colleagues"))
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help=gettext_lazy("read the password from the first line of standard input"),
    )
    create.set_defaults(command=Command(createuser))

    token = commands.add_parser("token", help=gettext_lazy("create or revoke API tokens"))
    actions = token.add_subparsers(dest="token_action", metavar="ACTION", required=True)
    token_create = actions.add_parser(
        "create",
        help=gettext_lazy("create an API token for a user; it is printed once"),
        description=gettext_lazy(
            "Create a bearer token for the API. The token is printed once and never stored."
        ),
    )
    token_create.add_argument(
        "--user", required=True, metavar="USERNAME", help=gettext_lazy("whose token it is")
    )
    token_create.add_argument("--name", default="", help=gettext_lazy("what the token is for"))
    token_create.add_argument(
        "--expires-days",
        type=int,
        default=None,
        metavar="DAYS",
        help=gettext_lazy("days until the token expires (default: never)"),
    )
    token_create.set_defaults(command=Command(token_create_command))
    token_revoke = actions.add_parser("revoke", help=gettext_lazy("revoke an API token by its id"))
    token_revoke.add_argument("token_id", metavar="TOKEN_ID")
    token_revoke.set_defaults(command=Command(token_revoke_command))


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(_("Password: "))
    second = getpass.getpass(_("Password (again): "))
    if first != second:
        raise ValidationFailed(fields={"password": [_("The two passwords differ.")]})
    return first


def passwd_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts.selectors import user_by_username
    from khronika.accounts.services import user_password_reset

    user = user_by_username(args.username)
    user_password_reset(actor=ctx.actor(), user_id=user.pk, new_password=_password(args))
    ctx.echo(
        _("New password set for %(username)s; their sessions ended and they have a new key.")
        % {"username": user.username}
    )
    return 0


def createuser(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts.services import user_create
    from khronika.directory.selectors import organisation_find

    actor = ctx.actor()
    organisation = organisation_find(reference=args.organisation)
    password = _password(args)
    user = user_create(
        actor=actor,
        username=args.username,
        password=password,
        organisation_id=organisation["id"],
        role=args.role,
        display_name=args.display_name,
    )
    ctx.echo(
        _("Created user %(username)s (%(role)s) of %(organisation)s.")
        % {
            "username": user.username,
            "role": user.get_role_display(),
            "organisation": organisation["name_ru"],
        }
    )
    return 0


def token_create_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts.selectors import user_by_username
    from khronika.accounts.services import api_token_create

    actor = ctx.actor()
    try:
        user = user_by_username(args.user)
    except NotFound:
        raise NotFound(_("No user has the username given with --user.")) from None
    token, raw = api_token_create(actor=actor, user=user, name=args.name, expires_in_days=args.expires_days)
    ctx.echo(
        _("Token %(id)s for %(username)s, expires: %(expires)s.")
        % {
            "id": token.id,
            "username": user.username,
            "expires": token.expires_at.isoformat(timespec="seconds") if token.expires_at else _("never"),
        }
    )
    ctx.echo(raw)
    ctx.echo(_("This token is shown only once: store it now."))
    return 0


def token_revoke_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts.services import api_token_revoke

    try:
        token_id = uuid.UUID(args.token_id)
    except ValueError:
        raise ValidationFailed(
            fields={"token_id": [_("Give the token's id, as printed by `khronika token create`.")]}
        ) from None
    token = api_token_revoke(actor=ctx.actor(), token_id=token_id)
    ctx.echo(_("Revoked token %(id)s.") % {"id": token.id})
    return 0

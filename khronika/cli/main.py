"""The ``khronika`` command: parse, set up, run one command, and map its errors once.

Exit codes: 0 done; 1 internal error or a failed ``check``; 2 bad input, options or usage; 3 not signed in
(--as) or not allowed; 4 not found; 5 conflict (someone else changed the record); 6 the database is not
reachable or not set up; 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.utils import OperationalError, ProgrammingError
from django.utils.translation import gettext_lazy

from khronika import options
from khronika.cli import (
    accounts,
    acts,
    audit,
    cases,
    directory,
    documents,
    imports,
    keys,
    links,
    mfa,
    monitoring,
    node,
    output,
    panic,
    search,
    stats,
)
from khronika.cli.base import Command, Context, Parser, django_ready, log_exception, require_database
from khronika.core.errors import ApplicationError, NotFound


def gettext_noop(message: str) -> str:
    """Marks a message for translation without touching Django, which may not be configured yet."""
    return message


# Translated when printed, if Django is set up by then (these errors may come before it is).
BAD_CONFIGURATION = gettext_noop("the node options cannot be used: %(reason)s")
DATABASE_UNAVAILABLE = gettext_noop("the database is not reachable or not set up; run `khronika init`.")
INTERNAL_ERROR = gettext_noop("internal error (details in the node log)")

DESCRIPTION = gettext_lazy("Khronika, the network database of a human-rights movement: run and use a node.")
EPILOG = gettext_lazy(
    "Who acts: --as USERNAME (or the KHRONIKA_ACTOR variable) names the user whose permissions apply. "
    "Without it, reads act as an anonymous visitor and see only the public directory (organisations "
    "shown in it, and only their public fields); commands that change directory data refuse to run, "
    "except `directory bootstrap`, which creates the first organisation of an empty node. "
    "Account commands (createuser, token, mfa) without --as act as the node operator. "
    "The node home is KHRONIKA_HOME (default ./var). Exit codes: 0 done, 1 internal error or failed "
    "check, 2 bad input, 3 not signed in or not allowed, 4 not found, 5 changed meanwhile, "
    "6 database not set up, 7 audit log broken, 130 interrupted."
)
AS_HELP = gettext_lazy("act as this user (default: the KHRONIKA_ACTOR variable; none: anonymous reader)")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="khronika", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="USERNAME",
        default=os.environ.get("KHRONIKA_ACTOR") or None,
        help=AS_HELP,  # type: ignore[arg-type]  # lazy: Parser's formatter makes it text
    )
    commands = parser.add_subparsers(dest="command_name", metavar="COMMAND", required=True)
    for module in (
        node,
        accounts,
        directory,
        monitoring,
        acts,
        links,
        documents,
        stats,
        imports,
        cases,
        audit,
        mfa,
        panic,
        keys,
        search,
    ):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khronika.settings")
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    except ApplicationError as exc:
        output.error(exc.message, exc.fields)
        return exc.exit_code
    except options.OptionsError as exc:
        output.error(str(exc))
        return 2
    except ImproperlyConfigured as exc:
        log_exception("configuration error")
        output.error(_translated(BAD_CONFIGURATION) % {"reason": exc})
        return 2
    except (OperationalError, ProgrammingError):
        log_exception("database error")
        output.error(_translated(DATABASE_UNAVAILABLE))
        return 6
    except ObjectDoesNotExist:
        error = NotFound()
        output.error(error.message)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`khronika directory list | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception:
        log_exception("internal error")
        output.error(_translated(INTERNAL_ERROR))
        return 1


def _run(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has already printed
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    node_options = options.load()
    command: Command = args.command
    if command.prepare is not None:
        command.prepare(args, node_options)
    django_ready()
    if command.database:
        require_database()
    return command.handler(args, Context(options=node_options, actor_name=args.actor))


def _translated(message: str) -> str:
    """``message`` in the node's language when Django is set up; as written when the error came first."""
    from django.apps import apps

    if not apps.ready:
        return message
    from django.utils.translation import gettext

    return gettext(message)


if __name__ == "__main__":
    sys.exit(main())

"""What every command shares: the parser class, the command record, the acting user, and the two checks
that come before a command runs (Django configured, database ready).

Nothing here imports a model at module level: the parser is built before Django is set up, so help texts
are lazy translations and models are imported inside the functions that use them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.cli import output
from khronika.core.errors import ApplicationError, NotAuthenticated, ValidationFailed
from khronika.core.logs import SafeFormatter
from khronika.options import NodeOptions, home_dir

if TYPE_CHECKING:
    from khronika.accounts.models import User
    from khronika.accounts.sealing import Keyring, Opening

LOGGER_NAME = "khronika.cli"
LOG_FILE = "khronika.log"
logger = logging.getLogger(LOGGER_NAME)
_attached: list[logging.Handler] = []


class DatabaseNotReady(ApplicationError):
    code = "database_not_ready"
    status = 503
    exit_code = 6
    default_message = gettext_lazy("The database is not set up; run `khronika init`.")


class NodeNotInitialised(ApplicationError):
    code = "node_not_initialised"
    status = 503
    exit_code = 2
    default_message = gettext_lazy("This node home is not initialised; run `khronika init` first.")


def django_ready() -> None:
    """Configure settings and the app registry once; a process that did so already (a test run) keeps
    its set-up. This does not open a database connection."""
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()


class _Formatter(argparse.HelpFormatter):
    def _format_text(self, text: str) -> str:
        return super()._format_text(str(text))

    def _expand_help(self, action: argparse.Action) -> str:
        return str(super()._expand_help(action))


class Parser(argparse.ArgumentParser):
    """An argument parser whose help texts may be lazy translations: Django is set up before any text
    is formatted, so `khronika --help` speaks the node's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def format_usage(self) -> str:
        django_ready()
        return super().format_usage()

    def format_help(self) -> str:
        django_ready()
        return super().format_help()


Handler = Callable[[argparse.Namespace, "Context"], int]


@dataclass(frozen=True)
class Command:
    """A command's handler and what it needs before it runs.

    ``database``: the database must be reachable and migrated (else exit 6). ``prepare`` runs before
    Django is set up, for the one command (``init``) that must create the node home first.
    """

    handler: Handler
    database: bool = True
    prepare: Callable[[argparse.Namespace, NodeOptions], None] | None = None


@dataclass
class Context:
    options: NodeOptions
    actor_name: str | None

    @property
    def out(self) -> TextIO:
        return sys.stdout

    def echo(self, text: Any = "") -> None:
        print(text, file=sys.stdout)

    def actor(self) -> User | None:
        """The user named by --as, or None: an anonymous reader, or the node operator for account commands."""
        if not self.actor_name:
            return None
        from django.utils.translation import gettext as _

        from khronika.accounts import policies
        from khronika.accounts.selectors import user_by_username
        from khronika.core.errors import NotFound

        message = _("No active user has the username given with --as.")
        try:
            user = user_by_username(self.actor_name)
        except NotFound:
            raise NotAuthenticated(message) from None
        if policies.signed_in(user) is None:
            raise NotAuthenticated(message)
        return user

    def opening(self, args: argparse.Namespace) -> Opening | None:
        """Open sealed values for ``--purpose``: the --as user's password (from standard input with
        --password-stdin, or asked for) opens their key for this command only."""
        purpose = getattr(args, "purpose", None)
        if not purpose:
            return None
        from django.utils.translation import gettext as _

        from khronika.accounts import sealing

        sealing.require_purpose(purpose)
        keyring = self.keyring(args, missing=_("Say who opens the values with --as USERNAME."))
        return sealing.Opening(keyring=keyring, purpose=purpose)

    def keyring(self, args: argparse.Namespace, *, missing: str) -> Keyring:
        """The --as user's keyring for this command: their password (the first line of standard input
        with --password-stdin, or asked for) opens their key; ``missing`` is the error without --as. As
        at sign-in, what only a holder of a group key can do is done now."""
        from django.utils.translation import gettext as _

        from khronika.accounts import sealing

        user = self.actor()
        if user is None:
            raise NotAuthenticated(missing)
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            import getpass

            password = getpass.getpass(_("Password of %(username)s: ") % {"username": user.username})
        keyring = sealing.keyring_with_passphrase(user, password)
        sealing.complete_pending(keyring)
        return keyring

    def writer(self) -> User:
        """The acting user of a command that changes directory data; such commands need --as."""
        from django.utils.translation import gettext as _

        user = self.actor()
        if user is None:
            raise NotAuthenticated(_("This command changes data: say who you are with --as USERNAME."))
        return user


def sqlite_file(settings_dict: dict[str, Any]) -> Path | None:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def database_problem() -> str | None:
    """Why the database cannot be used yet, or None. A missing SQLite file is reported, not created."""
    from django.db import connection
    from django.db.utils import Error as DatabaseError
    from django.utils.translation import gettext as _

    if connection.vendor == "sqlite":
        path = sqlite_file(connection.settings_dict)
        if path is not None and not path.exists():
            return _("There is no database file in the node home yet.")
    try:
        connection.ensure_connection()
    except DatabaseError:
        return _("The database cannot be reached; check database_url in the node options.")
    if unapplied_migrations():
        return _("The database has migrations that are not applied.")
    return None


def unapplied_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def require_database() -> None:
    from django.utils.translation import gettext as _

    problem = database_problem()
    if problem is not None:
        raise DatabaseNotReady(_("%(problem)s Run `khronika init`.") % {"problem": problem})


class _PrivateFileHandler(logging.FileHandler):
    """The node log: created readable by the node's owner only, as tracebacks may name records."""

    def _open(self):  # type: ignore[no-untyped-def]
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(descriptor, "a", encoding=self.encoding or "utf-8", errors=self.errors)


def log_exception(message: str) -> None:
    """Log the exception being handled, with its traceback, to the node log only."""
    _attach_node_log(home_dir())
    logger.exception(message)


def _attach_node_log(home: Path) -> None:
    """Send the command line's log to ``khronika.log`` in the node home, never to the terminal (tracebacks
    stay out of sight of whoever watches the screen). Before `khronika init` made the home, there is no
    node log and nothing is written anywhere. Attached just before use, as Django's logging set-up resets
    the handlers of loggers below ``khronika``."""
    while _attached:
        handler = _attached.pop()
        logger.removeHandler(handler)
        handler.close()
    node_log: logging.Handler
    if home.is_dir():
        node_log = _PrivateFileHandler(home / LOG_FILE, delay=True, encoding="utf-8")
        node_log.setFormatter(SafeFormatter())
    else:
        node_log = logging.NullHandler()
    _attached.append(node_log)
    logger.addHandler(node_log)
    logger.propagate = False


def add_opening_arguments(parser: Any) -> None:
    """``--purpose`` and ``--password-stdin``, for commands that can open sealed values."""
    parser.add_argument(
        "--purpose",
        help=gettext_lazy(
            "open the sealed values for this reason (audited): contact, assist, safety, verify, referral "
            "or oversight; needs --as and that user's password"
        ),
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=gettext_lazy("read the password of the --as user from the first line of standard input"),
    )


def read_text(source: str, *, option: str = "--file") -> str:
    """The text of a file, or of standard input for ``-``, as UTF-8."""
    try:
        if source == "-":
            return sys.stdin.read()
        with open(source, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        raise ValidationFailed(
            _("The file given with %(option)s cannot be read as UTF-8 text.") % {"option": option}
        ) from None


def read_values(source: str) -> dict[str, Any]:
    """The JSON object of field values from a file or standard input; anything else is bad input."""
    raw = read_text(source, option="--json-file")
    try:
        values = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            _("The input is not valid JSON (line %(line)d, column %(column)d).")
            % {"line": exc.lineno, "column": exc.colno}
        ) from None
    if not isinstance(values, dict):
        raise ValidationFailed(_("The input must be a JSON object of field names and values."))
    return values


def saved(ctx: Context, args: argparse.Namespace, record: Any, message: str) -> int:
    """What a command that wrote a record prints: its id and version (the record the service returns holds
    every field; only these are shown), as JSON with --json."""
    if args.json:
        ctx.echo(output.to_json({"id": record.id, "version": record.version}))
    else:
        ctx.echo(message % {"id": record.id, "version": record.version})
    return 0

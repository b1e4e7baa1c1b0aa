"""`khronika check`: is this node configured and its database ready? Each check reads, none repairs, and
none creates a file (a missing SQLite database is reported, not made)."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from khronika import options
from khronika.cli.base import log_exception
from khronika.options import NodeOptions

MINIMUM_REGIONS = 85


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""


def node_checks(node: NodeOptions) -> list[CheckResult]:
    results = [
        CheckResult(
            _("options"),
            True,
            _("node %(node)s, home %(home)s") % {"node": node.node_id or "-", "home": node.home},
        ),
        _secret_key(node),
    ]
    database = _database()
    results.append(database)
    dependent: list[tuple[str, Callable[[], CheckResult | None]]] = [
        (_("migrations"), _migrations),
        (_("journal mode"), _journal_mode),
        (_("reference data"), _reference_data),
    ]
    for name, check in dependent:
        if not database.ok:
            results.append(CheckResult(name, False, _("needs the database")))
            continue
        result = check()
        if result is not None:
            results.append(result)
    results.append(_system_checks())
    return results


def _secret_key(node: NodeOptions) -> CheckResult:
    name = _("secret key")
    if os.environ.get("KHRONIKA_SECRET_KEY"):
        return CheckResult(name, True, _("from the KHRONIKA_SECRET_KEY variable"))
    path = node.home / options.SECRET_FILE
    if not path.is_file():
        return CheckResult(name, False, _("no secret key file; run `khronika init`"))
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode != 0o600:
        return CheckResult(
            name, False, _("the file's mode is %(mode)s; make it 0600") % {"mode": f"{mode:04o}"}
        )
    if not path.read_text(encoding="ascii").strip():
        return CheckResult(name, False, _("the secret key file is empty"))
    return CheckResult(name, True, _("present, mode 0600"))


def _database() -> CheckResult:
    from django.db import connection
    from django.db.utils import Error as DatabaseError

    from khronika.cli.base import sqlite_file

    name = _("database")
    if connection.vendor == "sqlite":
        path = sqlite_file(connection.settings_dict)
        if path is not None and not path.exists():
            return CheckResult(name, False, _("no database file yet; run `khronika init`"))
    try:
        connection.ensure_connection()
    except DatabaseError:
        return CheckResult(name, False, _("cannot connect; check database_url in the node options"))
    return CheckResult(name, True, _("%(vendor)s, reachable") % {"vendor": connection.vendor})


def _migrations() -> CheckResult:
    from khronika.cli.base import unapplied_migrations

    pending = unapplied_migrations()
    if pending:
        return CheckResult(
            _("migrations"), False, _("%(count)d not applied; run `khronika init`") % {"count": pending}
        )
    return CheckResult(_("migrations"), True, _("all applied"))


def _journal_mode() -> CheckResult | None:
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = str(cursor.fetchone()[0]).lower()
    return CheckResult(_("journal mode"), mode == "wal", mode)


def _reference_data() -> CheckResult:
    from khronika.directory import selectors

    regions = selectors.regions().count()
    areas = selectors.areas().count()
    detail = _("%(regions)d regions, %(areas)d areas of work") % {"regions": regions, "areas": areas}
    if regions < MINIMUM_REGIONS or areas == 0:
        return CheckResult(_("reference data"), False, detail + _("; run `khronika init`"))
    return CheckResult(_("reference data"), True, detail)


def _system_checks() -> CheckResult:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    name = _("Django system checks")
    try:
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    except SystemCheckError as exc:
        problems = [line.strip() for line in str(exc).splitlines() if ": (" in line]
        return CheckResult(name, False, problems[0] if problems else _("failed"))
    except Exception as exc:  # the checks import every URLconf and model: any failure there is a finding
        log_exception("system checks failed")
        return CheckResult(
            name, False, _("%(error)s (details in the node log)") % {"error": type(exc).__name__}
        )
    return CheckResult(name, True, _("no issues"))

"""Key commands: an organisation's recovery key and restoring access with it, the state of the group keys,
grants of single records, and ``wipe-local-keys`` for a node about to be seized.

``keys recovery-init``, ``keys recover``, ``keys status``, ``keys grants`` and ``wipe-local-keys`` are the
node operator's, who holds the node's files anyway: they act without --as, as ``panic`` does. ``keys
grant`` and ``keys revoke`` act as the --as user, whose password opens their key for that command only.
No command here prints key material or a protected value: fingerprints, counts and usernames only.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika import options
from khronika.cli import output
from khronika.cli.base import Command, Context
from khronika.core.errors import Conflict, NotFound, ValidationFailed

if TYPE_CHECKING:
    from django.db import models

    from khronika.accounts.models import User
    from khronika.accounts.sealing import Keyring
    from khronika.accounts.selectors import KeyState

# A recovery key file is a few hundred bytes; anything much larger is not one.
KEY_FILE_LIMIT = 64 * 1024
YES = frozenset({"y", "yes", "д", "да"})


def register(commands: Any) -> None:
    keys = commands.add_parser(
        "keys",
        help=gettext_lazy("recovery keys, group keys and grants of protected values"),
        description=gettext_lazy(
            "Manage the keys that open protected values: make an organisation's recovery key, restore "
            "access with it, see the state of the group keys, and grant or revoke one user's access to "
            "one record."
        ),
    )
    actions = keys.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    _register_recovery(actions)
    _register_status(actions)
    _register_grants(actions)
    _register_wipe(commands)


def _register_recovery(actions: Any) -> None:
    init = actions.add_parser(
        "recovery-init",
        help=gettext_lazy("make the organisation's recovery key and write it to a new file"),
        description=gettext_lazy(
            "Make the organisation's recovery key pair. The private half is written to FILE (created, "
            "never overwritten, readable by this system account only) and nowhere else; the node keeps "
            "only the public half. Best give a file on a removable drive, so that the key never touches "
            "this machine's disk."
        ),
    )
    init.add_argument("--group", required=True, metavar="ID_OR_NAME", help=gettext_lazy("the organisation"))
    init.add_argument("--out", required=True, metavar="FILE", help=gettext_lazy("the new file to write"))
    init.add_argument(
        "--replace",
        action="store_true",
        help=gettext_lazy("replace the existing recovery key: the old file stops working"),
    )
    init.set_defaults(command=Command(recovery_init_command))

    recover = actions.add_parser(
        "recover",
        help=gettext_lazy("give a member the group key again with the recovery key file"),
        description=gettext_lazy(
            "When every member who held the organisation's key lost it (a wiped node, forgotten "
            "passwords), give USERNAME the key again with the recovery key file. The user must read "
            "protected values in that organisation and have signed in once since (to have a key). "
            "It then lists who still waits for the key; `khronika keys status` shows it too."
        ),
    )
    recover.add_argument(
        "--group", required=True, metavar="ID_OR_NAME", help=gettext_lazy("the organisation")
    )
    recover.add_argument(
        "--key-file", required=True, metavar="FILE", help=gettext_lazy("the recovery key file")
    )
    recover.add_argument(
        "--user", required=True, metavar="USERNAME", help=gettext_lazy("who gets the key again")
    )
    recover.set_defaults(command=Command(recover_command))


def _register_status(actions: Any) -> None:
    status = actions.add_parser(
        "status",
        help=gettext_lazy("show the state of the organisations' keys"),
        description=gettext_lazy(
            "For each organisation with a group key or a recovery key: the group key's fingerprint, how "
            "many members hold it and who waits for it, whether it is due to be replaced, and the "
            "recovery key's fingerprint and whether it holds the group key. Shows no key and no value."
        ),
    )
    status.add_argument("--group", metavar="ID_OR_NAME", help=gettext_lazy("only this organisation"))
    status.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    status.set_defaults(command=Command(status_command))


def _register_grants(actions: Any) -> None:
    record_help = gettext_lazy("the record, as ENTITY:ID, for example directory.contactpoint:ID")
    acting_help = gettext_lazy("who acts (the same as --as before the command)")
    stdin_help = gettext_lazy("read the password of the acting user from the first line of standard input")
    grant = actions.add_parser(
        "grant",
        help=gettext_lazy("let one more user open the protected values of one record"),
        description=gettext_lazy(
            "Let USERNAME, of any organisation, open the protected values of one record. The acting user "
            "must be able to open them now: their password opens their key for this command only."
        ),
    )
    revoke = actions.add_parser(
        "revoke",
        help=gettext_lazy("take a user's access to one record back"),
        description=gettext_lazy(
            "Take USERNAME's access back. The values are sealed again under new keys, so a copy of the "
            "old key they may have kept opens nothing stored from now on."
        ),
    )
    for parser, handler in ((grant, grant_command), (revoke, revoke_command)):
        parser.add_argument("--as", dest="keys_actor", metavar="USERNAME", help=acting_help)
        parser.add_argument("--record", required=True, metavar="ENTITY:ID", help=record_help)
        parser.add_argument("--user", required=True, metavar="USERNAME", help=gettext_lazy("the grantee"))
        parser.add_argument("--password-stdin", action="store_true", help=stdin_help)
        parser.set_defaults(command=Command(handler))
    grant.add_argument(
        "--purpose",
        required=True,
        help=gettext_lazy("why (audited): contact, assist, safety, verify, referral or oversight"),
    )

    listing = actions.add_parser(
        "grants",
        help=gettext_lazy("list who holds a grant on one record"),
        description=gettext_lazy("List the live grants of one record: who, why, granted by whom and when."),
    )
    listing.add_argument("--record", required=True, metavar="ENTITY:ID", help=record_help)
    listing.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))
    listing.set_defaults(command=Command(grants_command))


def _register_wipe(commands: Any) -> None:
    wipe = commands.add_parser(
        "wipe-local-keys",
        help=gettext_lazy("destroy every key on this node before it is seized"),
        description=gettext_lazy(
            "For a node about to be seized: end every session, destroy every user's key, their shares of "
            "the group keys and their granted copies, and delete the node's secret key. Protected values "
            "stay sealed in the database; afterwards only an organisation's recovery key file opens "
            "them again (`khronika keys recover`)."
        ),
    )
    wipe.add_argument("--yes", action="store_true", help=gettext_lazy("do not ask for confirmation"))
    wipe.set_defaults(command=Command(wipe_command))


# --- Recovery ----------------------------------------------------------------------------------------------


def recovery_init_command(args: argparse.Namespace, ctx: Context) -> int:
    from django.db import transaction

    from khronika.accounts import sealing
    from khronika.accounts.models import RecoveryKey
    from khronika.directory.selectors import organisation_find

    organisation = organisation_find(reference=args.group)
    replacing = RecoveryKey.objects.filter(organisation_id=organisation["id"]).exists()
    path = Path(args.out)
    handle = _new_private_file(path)
    try:
        # The file is written and synced before the key is committed: a key the node keeps is never
        # without its file, and a failed command leaves neither.
        with handle, transaction.atomic():
            recovery = sealing.recovery_init(organisation_id=organisation["id"], replace=args.replace)
            handle.write(recovery.render(organisation["name_ru"]))
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    ctx.echo(
        _("Wrote the recovery key of %(name)s to %(path)s.")
        % {"name": organisation["name_ru"], "path": path.resolve()}
    )
    ctx.echo(_("Fingerprint: %(fingerprint)s") % {"fingerprint": recovery.fingerprint})
    if path.resolve().is_relative_to(ctx.options.home):
        ctx.echo(_("This file is in the node home, which a seizure takes along: move it away now."))
    if replacing:
        ctx.echo(_("The previous recovery key is replaced: its file opens nothing any more; destroy it."))
    if sealing.recovery_covers(organisation["id"]):
        ctx.echo(_("It opens every protected value the organisation keeps, now and from now on."))
    else:
        ctx.echo(
            _(
                "It will open the organisation's protected values once a member who holds the group key "
                "signs in; until then it opens nothing (`khronika keys status` shows when it does)."
            )
        )
    ctx.echo(_recovery_advice())
    return 0


def _recovery_advice() -> str:
    return "\n".join(
        [
            _("Store it now:"),
            _("- print it on paper, or copy it to two USB sticks kept apart, outside the office;"),
            _("- then delete it from this machine;"),
            _("- whoever holds it can open every protected value of the organisation: guard it as such;"),
            _("- the node keeps only its public half: if every copy is lost, it cannot be made again."),
        ]
    )


def _new_private_file(path: Path) -> TextIO:
    """``path`` created for writing, readable by this system account only; Conflict if it exists (a key
    file is never overwritten, nor written through a link someone left there)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise Conflict(
            _("The file given with --out exists already; a key file is never overwritten: name a new one.")
        ) from None
    except OSError:
        raise ValidationFailed(
            fields={"out": [_("This file cannot be created: check that its folder exists and is writable.")]}
        ) from None
    return os.fdopen(descriptor, "w", encoding="utf-8")


def _read_key_file(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(KEY_FILE_LIMIT + 1)
        if len(raw) > KEY_FILE_LIMIT:
            raise ValueError("too large")
        return raw.decode("utf-8")
    except (OSError, ValueError):
        raise ValidationFailed(
            fields={"key_file": [_("This file cannot be read, or is not a Khronika recovery key file.")]}
        ) from None


def recover_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts import sealing
    from khronika.accounts.selectors import key_state
    from khronika.directory.selectors import organisation_find

    organisation = organisation_find(reference=args.group)
    recovery = sealing.RecoveryFile.parse(_read_key_file(Path(args.key_file)))
    user = _user_named(args.user)
    sealing.recover(organisation_id=organisation["id"], recovery=recovery, user_id=user.pk)
    state = key_state(organisation["id"], organisation["name_ru"])
    ctx.echo(
        _("%(username)s holds the key of %(name)s again and can open its protected values now.")
        % {"username": user.username, "name": organisation["name_ru"]}
    )
    ctx.echo(
        _("Members who hold the key: %(holders)d; still waiting for it: %(waiting)s.")
        % {"holders": state.holders, "waiting": _waiting_text(state) or _("nobody")}
    )
    return 0


# --- Status ------------------------------------------------------------------------------------------------


def status_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts.selectors import key_state, organisations_with_keys
    from khronika.directory.selectors import organisation_find

    if args.group:
        organisation = organisation_find(reference=args.group)
        organisations = [(organisation["id"], organisation["name_ru"])]
    else:
        organisations = organisations_with_keys()
    states = [key_state(pk, name) for pk, name in organisations]
    if args.json:
        ctx.echo(output.to_json([dataclasses.asdict(state) for state in states]))
        return 0
    if not states:
        ctx.echo(_("No organisation has a group key or a recovery key yet."))
        return 0
    ctx.echo("\n\n".join(_state_text(state) for state in states))
    return 0


def _waiting_text(state: KeyState) -> str:
    return ", ".join(
        waiting.username
        if waiting.has_key
        else _("%(username)s (no key: signs in first)") % {"username": waiting.username}
        for waiting in state.waiting
    )


def _state_text(state: KeyState) -> str:
    group_lines: list[tuple[str, Any]]
    recovery_lines: list[tuple[str, Any]]
    if state.group_key is None:
        group_lines = [(_("group key"), _("none yet: made when a first protected value is stored"))]
    else:
        group_lines = [
            (_("group key"), state.group_key),
            (_("members who hold it"), state.holders),
            (_("waiting for it"), _waiting_text(state) or _("nobody")),
            (_("replacement due"), state.rotation_due),
        ]
    if state.recovery_key is None:
        recovery_lines = [(_("recovery key"), _("none: make one with `khronika keys recovery-init`"))]
    else:
        recovery_lines = [
            (_("recovery key"), state.recovery_key),
            (_("recovery key holds the group key"), state.recovery_covers),
        ]
    body = output.key_values([*group_lines, *recovery_lines])
    indented = "\n".join("  " + line for line in body.splitlines())
    return f"{state.organisation} ({state.organisation_id})\n{indented}"


# --- Grants ------------------------------------------------------------------------------------------------


def _record(reference: str) -> models.Model:
    """The live record named ``ENTITY:ID`` (``directory.contactpoint:<uuid>``), of a kind with sealed
    values."""
    from khronika.accounts import sealing
    from khronika.core.records import live_record

    label, separator, pk = (reference or "").partition(":")
    if not separator:
        raise ValidationFailed(fields={"record": [_("Name the record as ENTITY:ID.")]})
    model = sealing.grantable_model(label.strip())
    if model is None:
        kinds = ", ".join(sealing.grantable_labels())
        raise ValidationFailed(
            fields={
                "record": [
                    _("Only these kinds of record keep protected values: %(kinds)s.") % {"kinds": kinds}
                ]
            }
        )
    return live_record(model, pk.strip())


def _user_named(username: str) -> User:
    from khronika.accounts.selectors import user_by_username

    try:
        return user_by_username(username)
    except NotFound:
        raise NotFound(_("No user has the username given with --user.")) from None


def _acting_keyring(args: argparse.Namespace, ctx: Context) -> Keyring:
    """The acting user's keyring for this command: their password (from standard input with
    --password-stdin, or asked for) opens their key, as for ``--purpose`` on reading commands."""

    if args.keys_actor:
        ctx = dataclasses.replace(ctx, actor_name=args.keys_actor)
    return ctx.keyring(args, missing=_("Say who acts with --as USERNAME: their password opens their key."))


def grant_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts import sealing

    sealing.require_purpose(args.purpose)
    record = _record(args.record)
    grantee = _user_named(args.user)
    keyring = _acting_keyring(args, ctx)
    sealing.access_grant(
        actor=keyring.user, keyring=keyring, instance=record, user_id=grantee.pk, purpose=args.purpose
    )
    ctx.echo(
        _("%(username)s can now open the protected values of this record.") % {"username": grantee.username}
    )
    return 0


def revoke_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts import sealing

    record = _record(args.record)
    grantee = _user_named(args.user)
    keyring = _acting_keyring(args, ctx)
    sealing.access_revoke(actor=keyring.user, keyring=keyring, instance=record, user_id=grantee.pk)
    ctx.echo(
        _(
            "%(username)s can no longer open the protected values of this record: they are sealed again "
            "under new keys."
        )
        % {"username": grantee.username}
    )
    return 0


def grants_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts import sealing

    rows = [
        {
            "user": grant.user.username,
            "purpose": grant.purpose,
            "granted_by": grant.granted_by.username if grant.granted_by else None,
            "granted_at": grant.granted_at,
        }
        for grant in sealing.grants_of(_record(args.record))
    ]
    if args.json:
        ctx.echo(output.to_json(rows))
    elif not rows:
        ctx.echo(_("Nobody holds a grant on this record."))
    else:
        headers = [_("user"), _("purpose"), _("granted by"), _("granted at")]
        ctx.echo(output.table(headers, [list(row.values()) for row in rows]))
    return 0


# --- Wiping ------------------------------------------------------------------------------------------------


def wipe_command(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.accounts import sealing

    if not args.yes:
        print(
            _(
                "Destroy every user's key on this node, end every session and delete the node's secret "
                "key? Protected values can then be opened only with a recovery key file. [y/N] "
            ),
            end="",
            file=sys.stderr,
            flush=True,
        )
        if sys.stdin.readline().strip().lower() not in YES:
            raise ValidationFailed(_("Nothing was done."))
    report = sealing.wipe_key_material()
    ctx.echo(
        _(
            "Destroyed: user keys: %(user_keys)d; members' shares of group keys: %(group_shares)d; "
            "granted copies: %(grant_copies)d. Sessions ended: %(sessions)d."
        )
        % dataclasses.asdict(report)
    )
    for line in _destroy_secret_key(ctx.options.home):
        ctx.echo(line)
    ctx.echo(_purge_deleted_rows())
    ctx.echo(_wipe_next_steps())
    return 0


def _destroy_secret_key(home: Path) -> list[str]:
    """Overwrite the secret key file with random bytes, sync and delete it, so that cookies and links
    signed with it are worthless. Says what was done, and where else the key may live."""
    path = home / options.SECRET_FILE
    lines = []
    if path.exists():
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.write(os.urandom(max(size, 64)))
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
        _sync_folder(home)
        lines.append(
            _(
                "Overwrote and deleted the node's secret key file: cookies signed with it stop working "
                "when the server restarts with a new one."
            )
        )
    else:
        lines.append(_("There was no secret key file in the node home."))
    if os.environ.get("KHRONIKA_SECRET_KEY"):
        lines.append(
            _(
                "The secret key is also set by the KHRONIKA_SECRET_KEY variable, which wins over the file: "
                "change it where it is set, or cookies signed with it stay valid."
            )
        )
    return lines


def _sync_folder(folder: Path) -> None:
    """Make the deletion itself durable (POSIX only; elsewhere the file system decides)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _purge_deleted_rows() -> str:
    """Make the database forget the deleted rows as far as it can, and say how far that is."""
    from django.db import connection

    if connection.in_atomic_block:
        # Neither a checkpoint nor VACUUM runs inside a transaction; `khronika` never opens one around
        # a command, but a caller embedding it might.
        return _(
            "The database could not be cleaned up inside a transaction: deleted rows may survive on the "
            "disk until the space is reused."
        )
    if connection.vendor == "sqlite":
        # secure_delete (settings) overwrote the rows in the database file; the write-ahead log may still
        # hold copies of the pages until it is checkpointed and truncated.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = (cursor.fetchone() or (0,))[0]
        if busy:
            return _(
                "The database's write-ahead log could not be emptied while another process uses the "
                "database: stop `khronika serve` and run this command again."
            )
        return _("Deleted rows were overwritten in the database file and its write-ahead log was emptied.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in _key_tables():
                cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
        return _(
            "Vacuumed the key and session tables. Deleted rows may survive on the disk until PostgreSQL "
            "reuses the space."
        )
    return _("Deleted rows may survive on the disk until the database reuses the space.")


def _key_tables() -> list[str]:
    from django.contrib.sessions.models import Session

    from khronika.accounts.models import GroupKeyShare, UserKey, ValueKey

    return [model._meta.db_table for model in (UserKey, GroupKeyShare, ValueKey, Session)]


def _wipe_next_steps() -> str:
    return "\n".join(
        [
            _("Next:"),
            _("1. Run `khronika init` to make a new secret key, and restart `khronika serve` if it runs."),
            _("2. Users sign in again: each gets a new key, which opens nothing yet."),
            _(
                "3. A coordinator brings the organisation's recovery key file and restores access: "
                "`khronika keys recover --group ID_OR_NAME --key-file FILE --user USERNAME`."
            ),
        ]
    )

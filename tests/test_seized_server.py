"""The seized-server test: a copy of a real node home reveals no protected value to someone who holds no
member's password.

Given a node made by `khronika init`, B's records planted on it with canaries
(``khronika.testing.canaries``), and a protected reader of B who signed in through the real sign-in and
second-factor pages and opened B's page with a purpose (and saw the protected contact there: the run's
positive control); when the node's process stops without closing its database, as a server taken while
running does, and the whole node home is copied (the SQLite file with its ``-wal`` and ``-shm`` files as
they were left, the session store in it, the secret key, the options, and the node log if it wrote one);
then the seizer, with the copy and no password:

(a) finds no protected canary, no secret the node never stores (the raw API tokens, the recovery key's
    private half) and not the browser's half of the reader's keyring in any byte of any copied file;
(b) decodes every session with the copied secret key and finds no protected canary in them, but cannot
    open the server's half of the keyring without the browser's half, nor any passphrase-wrapped private
    key with a likely password;
(c) and yet, with the reader's real password, which the seizer lacks, the copy opens the protected
    contact: the values the search in (a) and (b) did not find are in the copy, sealed.

A second test removes the protected contact instead and looks for the destroyed copies of its key in the
copy: none may be left, in the database file (``secure_delete``) nor in its write-ahead log (emptied after
every destruction of keys).

The node runs with the suite's cheap password hashing and key derivation (conftest.py), so that the test is
quick; the guessed passwords in (b) cost the seizer as little, and still open nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import signing
from django.utils.module_loading import import_string

from khronika.accounts import keys
from khronika.core import crypto
from khronika.testing.canaries import Canaries
from khronika.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason=(
        "the seized node home is SQLite's files on disk; on PostgreSQL, tests/test_canaries.py searches "
        "every table of the database instead"
    ),
)

DATABASE = "khronika.sqlite3"
PURPOSE = "contact"
LIKELY_PASSWORDS = (
    "",
    "password",
    "123456",
    "khronika",
    "correct horse battery",
    "CORRECT HORSE BATTERY STAPLE",
)

# Runs as the node (KHRONIKA_HOME = the node home): plant B's records, then one of two things to do with
# them, print what the test needs as JSON, and stop dead.
NODE_AT_WORK = '''
"""Plant B's records on the node, then either sign B's administrator in through the real sign-in and
second-factor pages and open B's page with a purpose ("sign-in"), or have B's coordinator remove B's
protected contact ("remove"). Print what the test needs as JSON and stop without closing the database,
as a server taken while running would."""

import json
import os
import sys
import time

import django

django.setup()

from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from khronika.accounts.keys import SESSION_KEY_COOKIE
from khronika.accounts.models import ValueKey
from khronika.directory.models import ContactPoint, Region
from khronika.directory.services.links import contact_remove
from khronika.testing.canaries import Canaries, plant_steward_records
from khronika.testing.factories import TEST_PASSWORD, OrganisationFactory

ACTION, PURPOSE = sys.argv[1], sys.argv[2]


def plant():
    """Two organisations (regions come from `khronika init`), B's records planted with canaries."""
    org_a = OrganisationFactory(name_ru="Группа А", home_region=Region.objects.get(code="RU-TVE"))
    org_b = OrganisationFactory(name_ru="Группа Б", home_region=Region.objects.get(code="RU-PER"))
    canaries = Canaries()
    planted = plant_steward_records(
        steward=org_b, partner=org_a, canaries=canaries, area_codes=["places-of-detention"]
    )
    return canaries, planted


def current_code(user):
    """What the user's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return str(totp.token()).zfill(device.digits)


def sign_in(user):
    """The password on the sign-in page (which unlocks the keyring), then the code on the second step."""
    browser = Client(SERVER_NAME="localhost")
    password = {"username": user.username, "password": TEST_PASSWORD}
    signed_in = browser.post(reverse("accounts:login"), password)
    assert signed_in.status_code == 302, signed_in.status_code
    verified = browser.post(reverse("accounts:second_factor_verify"), {"code": current_code(user)})
    assert verified.status_code == 302, verified.status_code
    return browser


def sign_in_and_open(planted, contact):
    reader = planted.users["administrator"]
    browser = sign_in(reader)
    page = reverse("directory:organisation_detail", kwargs={"organisation_id": planted.steward.id})
    closed = browser.get(page).content.decode()
    opened = browser.get(f"{page}?purpose={PURPOSE}").content.decode()
    # The positive control of the run: sealed until the reader says why, then shown.
    assert planted.internal_notes in closed and planted.protected_contact not in closed
    assert planted.protected_contact in opened, "the reader could not open the protected contact"
    return {"reader": reader.username, "cookie_half": browser.cookies[SESSION_KEY_COOKIE].value}


def remove(planted, contact):
    """Crypto-shredding: removing the contact deletes every wrapped copy of its data keys."""
    copies = list(ValueKey.objects.filter(entity_id=contact.pk).values_list("wrapped", flat=True))
    assert copies
    contact_remove(actor=planted.users["coordinator"], contact_id=contact.pk)
    assert not ValueKey.objects.filter(entity_id=contact.pk).exists()
    return {"destroyed_key_copies": copies}


def main():
    canaries, planted = plant()
    contact = ContactPoint.objects.get(organisation=planted.steward, tier="protected")
    done = {"sign-in": sign_in_and_open, "remove": remove}[ACTION](planted, contact)
    printed = {
        "canaries": canaries.as_json(),
        "contact": str(contact.pk),
        "protected_contact": planted.protected_contact,
        "internal_notes": planted.internal_notes,
        **done,
    }
    print(json.dumps(printed))
    sys.stdout.flush()
    # No clean shutdown: the database connection stays open, so its -wal and -shm files stay as they are.
    os._exit(0)


# The suite's cheap costs (conftest.py); the sign-in page hashes and derives with them too.
with override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], KHRONIKA_ARGON2_COST=(1, 8192)
):
    main()
'''

# Runs on the copy (KHRONIKA_HOME = the seized home), with the password the seizer does not have.
OPEN_WITH_PASSWORD = '''
"""Open the protected contact on the copied node with the reader's password; print the opened values."""

import json
import sys

import django

django.setup()

from khronika.accounts.models import User
from khronika.accounts.sealing import keyring_with_passphrase, open_record
from khronika.directory.models import ContactPoint

username, contact_id, purpose = sys.argv[1:4]
keyring = keyring_with_passphrase(User.objects.get(username=username), sys.stdin.readline().rstrip("\\n"))
print(json.dumps(open_record(ContactPoint.objects.get(pk=contact_id), keyring=keyring, purpose=purpose)))
'''


def _environment(home: Path) -> dict[str, str]:
    """The node's own environment: its home, its own SQLite file and secret key, whatever the test run
    uses."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"KHRONIKA_ACTOR", "KHRONIKA_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"KHRONIKA_HOME": str(home), "KHRONIKA_DATABASE_URL": "", "KHRONIKA_LANGUAGE": "en"})
    return env


def _python(home: Path, *argv: str, stdin: str = "", settings_module: bool = True) -> str:
    """Run Python with ``argv`` for the node at ``home``; its standard output. Fails the test, with the
    standard error, when it fails."""
    env = _environment(home)
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = "khronika.settings"
    done = subprocess.run(  # noqa: S603 (our own program, our own arguments)
        [sys.executable, *argv],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Traceback" not in done.stderr, done.stderr[-4000:]
    return done.stdout


def seize(tmp_path: Path, action: str) -> tuple[Path, dict[str, Any]]:
    """A node home set up by `khronika init` and put to work (``NODE_AT_WORK``), then copied whole, as it
    was left: the copy, and what the node printed."""
    home, copy = tmp_path / "node", tmp_path / "seized"
    _python(home, "-m", "khronika.cli.main", "init", settings_module=False)
    script = tmp_path / "node_at_work.py"
    script.write_text(NODE_AT_WORK, encoding="utf-8")
    printed = json.loads(_python(home, str(script), action, PURPOSE).strip().splitlines()[-1])
    shutil.copytree(home, copy)
    files = {path.name: path for path in copy.iterdir()}
    assert {DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", "secret_key"} <= set(files), sorted(files)
    if action != "remove":  # destroying keys empties the write-ahead log (accounts/sealing.py)
        assert files[f"{DATABASE}-wal"].stat().st_size > 0, "the write-ahead log was checkpointed away"
    return copy, printed


# --- What the seizer does ---------------------------------------------------------------------------------


def _forms(secret: str) -> list[tuple[bytes, bool]]:
    """How a secret may sit in a file: its text in UTF-8 (searched in any letter case), and the raw bytes
    of a key written in base64 (searched as they are)."""
    forms = [(secret.encode("utf-8"), True)]
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            raw = decode(secret.encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            continue
        if len(raw) == crypto.KEY_BYTES:
            forms.append((raw, False))
    return forms


def _found_in_files(home: Path, secrets_: dict[str, str]) -> list[str]:
    """``secrets_`` (value → what it is) found in the bytes of the files under ``home``."""
    found = []
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        data = path.read_bytes()
        lowered = data.lower()
        for value, what in secrets_.items():
            for form, any_case in _forms(value):
                if (form.lower() in lowered) if any_case else (form in data):
                    found.append(f"{what} in {path.name}")
    return found


def _rows(home: Path, query: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows of the copied database, read as they are: read-only, the write-ahead log left in place."""
    database = sqlite3.connect(f"file:{home / DATABASE}?mode=ro", uri=True)
    try:
        return database.execute(query, params).fetchall()
    finally:
        database.close()


def _sessions(home: Path) -> list[dict[str, Any]]:
    """Every session in the copied store, decoded with the copied secret key, as the node would."""
    secret_key = (home / "secret_key").read_text(encoding="ascii").strip()
    salt = import_module(settings.SESSION_ENGINE).SessionStore().key_salt
    serializer = import_string(settings.SESSION_SERIALIZER)
    return [
        signing.loads(data, key=secret_key, salt=salt, serializer=serializer)
        for (data,) in _rows(home, "SELECT session_data FROM django_session")
    ]


def _assert_the_keyring_halves_open_only_together(copy: Path, printed: dict[str, Any]) -> None:
    """The server's half of the reader's keyring, from the decoded sessions, opens with no key but the
    browser's half; with that half (which the seizer lacks) it gives the reader's private key."""
    sessions = _sessions(copy)
    halves = [s[keys.SESSION_WRAPPED_KEY] for s in sessions if keys.SESSION_WRAPPED_KEY in s]
    assert halves, "no session holds the reader's keyring"
    for server_half in halves:
        for _attempt in range(5):
            guessed = base64.urlsafe_b64encode(secrets.token_bytes(crypto.KEY_BYTES)).decode("ascii")
            with pytest.raises(crypto.CryptoError):
                crypto.session_unwrap(guessed, server_half)
    query = (
        "SELECT k.public_key FROM accounts_userkey k JOIN accounts_user u ON u.id = k.user_id "
        "WHERE u.username = ?"
    )
    [(reader_public_key,)] = _rows(copy, query, printed["reader"])
    private = crypto.session_unwrap(printed["cookie_half"], halves[-1])
    assert base64.b64encode(crypto.public_of(private)).decode("ascii") == reader_public_key


def _assert_no_likely_password_opens_a_key(copy: Path) -> None:
    query = (
        "SELECT u.username, k.private_key_wrapped FROM accounts_userkey k "
        "JOIN accounts_user u ON u.id = k.user_id"
    )
    wrapped_keys = _rows(copy, query)
    assert wrapped_keys
    for username, wrapped in wrapped_keys:
        for guess in (*LIKELY_PASSWORDS, username):
            with pytest.raises(crypto.CryptoError):
                crypto.passphrase_unwrap(wrapped, guess)


def _opened_with_the_password(copy: Path, printed: dict[str, Any]) -> dict[str, str]:
    """The protected contact's values as the copy opens them with the reader's real password."""
    script = copy.parent / "open_with_password.py"
    script.write_text(OPEN_WITH_PASSWORD, encoding="utf-8")
    argv = (str(script), printed["reader"], printed["contact"], PURPOSE)
    opened: dict[str, str] = json.loads(_python(copy, *argv, stdin=f"{TEST_PASSWORD}\n").splitlines()[-1])
    return opened


# --- The tests --------------------------------------------------------------------------------------------


def test_a_copy_of_the_node_home_opens_no_protected_value_without_a_password(tmp_path):
    copy, printed = seize(tmp_path, "sign-in")
    canaries = Canaries.from_json(printed["canaries"])
    never_on_the_server = {c.value: c.source for c in canaries if c.kept_out_of_the_database}
    never_on_the_server[printed["cookie_half"]] = "the browser's half of the keyring"

    # (a) No protected value, no never-stored secret, no browser half in any byte of any file; the
    # search does read what is stored in clear (B's internal notes) in the same files.
    assert _found_in_files(copy, never_on_the_server) == []
    assert _found_in_files(copy, {printed["internal_notes"]: "B's internal notes"})
    # (b) The sessions decode with the copied secret key and hold none of them either; the keyring in
    # them does not open without the browser's half, nor a wrapped private key with a likely password.
    decoded = json.dumps(_sessions(copy))
    assert [what for value, what in never_on_the_server.items() if value in decoded] == []
    _assert_the_keyring_halves_open_only_together(copy, printed)
    _assert_no_likely_password_opens_a_key(copy)
    # (c) With the reader's real password the copy opens the protected contact: it is there, sealed.
    assert _opened_with_the_password(copy, printed)["value"] == printed["protected_contact"]


# Deleting the wrapped copies of a data key (crypto-shredding) must leave none in the files: secure_delete
# overwrites them in the database file, and the write-ahead log, which would keep them until its frames are
# overwritten, is emptied once the deletion commits.
def test_a_removed_value_leaves_no_copy_of_its_key_in_a_copy_of_the_node_home(tmp_path):
    copy, printed = seize(tmp_path, "remove")

    destroyed = {copy_: "a destroyed copy of a data key" for copy_ in printed["destroyed_key_copies"]}
    found = _found_in_files(copy, destroyed)
    assert not found, f"crypto-shredding left copies of the destroyed keys: {found}"

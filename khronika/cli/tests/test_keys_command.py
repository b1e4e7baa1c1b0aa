"""`khronika keys …` and `khronika wipe-local-keys`: the recovery key, restoring access with it, the state
of the keys, grants of one record, and wiping a node's keys before a seizure."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.utils import translation

from khronika.accounts import keys, sealing
from khronika.accounts.models import Grant, GroupKey, GroupKeyShare, RecoveryKey, UserKey, ValueKey
from khronika.cli.tests.conftest import Result
from khronika.core import crypto
from khronika.core.models import AuditEntry
from khronika.directory.models import ContactPoint
from khronika.testing.factories import TEST_PASSWORD, ContactPointFactory
from khronika.testing.keys import members_sign_in

pytestmark = pytest.mark.django_db

SECRET_CONTACT = "CANARY-shelter@example.org"
KHRONIKA = Path(sys.executable).parent / "khronika"


@pytest.fixture(autouse=True)
def _in_english():
    """The advice these commands print is checked in English, whatever the node's default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def holder(make_user, org_a):
    """The one member of group A who holds its key."""
    return make_user("coordinator", org_a)


@pytest.fixture
def contact(holder, org_a):
    """A protected contact of group A, sealed under its group key."""
    return ContactPointFactory(
        organisation=org_a, tier="protected", value=SECRET_CONTACT, label="CANARY-label"
    )


def recovery_file(run, organisation, folder: Path, name: str = "recovery.txt", *args: str) -> Path:
    path = folder / name
    result = run("keys", "recovery-init", "--group", str(organisation.id), "--out", str(path), *args)
    assert result.code == 0, result.err
    return path


def opened(record, user) -> dict[str, str]:
    keyring = sealing.keyring_with_passphrase(user, TEST_PASSWORD)
    return sealing.open_record(ContactPoint.objects.get(pk=record.pk), keyring=keyring, purpose="verify")


def recover(run, organisation, key_file: Path, user):
    return run(
        "keys",
        "recover",
        "--group",
        str(organisation.id),
        "--key-file",
        str(key_file),
        "--user",
        user.username,
    )


def record_of(contact) -> str:
    return f"directory.contactpoint:{contact.pk}"


# --- recovery-init ----------------------------------------------------------------------------------------


def test_recovery_init_writes_the_private_half_to_a_new_file_readable_by_its_owner_only(
    run, org_a, contact, tmp_path
):
    path = tmp_path / "recovery.txt"

    result = run("keys", "recovery-init", "--group", str(org_a.id), "--out", str(path))

    assert result.code == 0, result.err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    written = sealing.RecoveryFile.parse(path.read_text(encoding="utf-8"))
    stored = RecoveryKey.objects.get(organisation=org_a)
    assert written.organisation_id == org_a.id
    assert base64.b64encode(crypto.public_of(written.private)).decode() == stored.public_key
    assert stored.fingerprint in result.out
    assert base64.b64encode(written.private).decode() not in result.out + result.err
    assert "USB" in result.out
    assert "node home" in result.out  # tmp_path is this test's node home


def test_recovery_init_for_an_unknown_organisation_writes_no_file(run, tmp_path):
    path = tmp_path / "recovery.txt"

    result = run("keys", "recovery-init", "--group", "No such group", "--out", str(path))

    assert result.code == 4
    assert not path.exists()


def test_recovery_init_refuses_to_overwrite_a_file_or_to_replace_a_key_unasked(run, org_a, contact, tmp_path):
    path = recovery_file(run, org_a, tmp_path)
    before = path.read_bytes()
    fingerprint = RecoveryKey.objects.get(organisation=org_a).fingerprint

    same_file = run("keys", "recovery-init", "--group", str(org_a.id), "--out", str(path), "--replace")
    other_file = run("keys", "recovery-init", "--group", str(org_a.id), "--out", str(tmp_path / "other.txt"))

    assert same_file.code == 5
    assert "--out" in same_file.err
    assert path.read_bytes() == before
    assert other_file.code == 5
    assert not (tmp_path / "other.txt").exists()
    assert RecoveryKey.objects.get(organisation=org_a).fingerprint == fingerprint


def test_a_new_recovery_key_covers_the_group_key_once_a_holder_signs_in(run, org_a, contact, tmp_path):
    result = run("keys", "recovery-init", "--group", str(org_a.id), "--out", str(tmp_path / "r.txt"))

    assert result.code == 0
    assert "signs in" in result.out
    assert not sealing.recovery_covers(org_a.id)
    members_sign_in(org_a.id)
    assert sealing.recovery_covers(org_a.id)


def test_a_recovery_key_made_before_the_group_key_covers_it_at_once(run, org_a, holder, tmp_path):
    result = run("keys", "recovery-init", "--group", str(org_a.id), "--out", str(tmp_path / "r.txt"))

    assert result.code == 0
    assert "now and from now on" in result.out
    ContactPointFactory(organisation=org_a, tier="protected", value=SECRET_CONTACT)
    assert sealing.recovery_covers(org_a.id)


def test_replacing_the_recovery_key_makes_the_old_file_useless(run, org_a, holder, contact, tmp_path):
    old = recovery_file(run, org_a, tmp_path, "old.txt")
    members_sign_in(org_a.id)

    result = run(
        "keys", "recovery-init", "--group", str(org_a.id), "--out", str(tmp_path / "new.txt"), "--replace"
    )
    members_sign_in(org_a.id)
    keys.user_key_replace(user=holder, passphrase=TEST_PASSWORD)

    assert result.code == 0
    assert "previous recovery key" in result.out
    assert recover(run, org_a, old, holder).code == 2
    assert opened(contact, holder) == {}
    assert recover(run, org_a, tmp_path / "new.txt", holder).code == 0
    assert opened(contact, holder)["value"] == SECRET_CONTACT


# --- recover ----------------------------------------------------------------------------------------------


def test_recover_gives_a_new_member_the_key_after_the_node_was_wiped(
    run, org_a, holder, contact, make_user, tmp_path
):
    key_file = recovery_file(run, org_a, tmp_path)
    members_sign_in(org_a.id)
    assert run("wipe-local-keys", "--yes").code == 0
    newcomer = make_user("lawyer", org_a)
    assert opened(contact, newcomer) == {}

    result = recover(run, org_a, key_file, newcomer)

    assert result.code == 0, result.err
    assert newcomer.username in result.out
    assert opened(contact, newcomer) == {"value": SECRET_CONTACT, "label": "CANARY-label"}
    assert SECRET_CONTACT not in result.out
    # the member who held the key before the wipe signs in again (a new key) and gets the group key from
    # a member who holds it now
    keys.user_key_unlock(user=holder, passphrase=TEST_PASSWORD)
    members_sign_in(org_a.id)
    assert opened(contact, holder)["value"] == SECRET_CONTACT
    assert (
        AuditEntry.objects.filter(action="accounts.recovery_key.recover", entity_id=newcomer.pk).count() == 1
    )


def test_recover_gives_the_key_back_to_a_holder_whose_key_was_replaced(run, org_a, holder, contact, tmp_path):
    key_file = recovery_file(run, org_a, tmp_path)
    members_sign_in(org_a.id)
    keys.user_key_replace(user=holder, passphrase=TEST_PASSWORD)  # a forgotten password
    assert opened(contact, holder) == {}

    assert recover(run, org_a, key_file, holder).code == 0
    assert opened(contact, holder)["value"] == SECRET_CONTACT


def test_a_wrong_or_foreign_recovery_file_is_refused_and_changes_nothing(
    run, org_a, org_b, holder, contact, tmp_path
):
    recovery_file(run, org_a, tmp_path, "own.txt")
    members_sign_in(org_a.id)
    foreign = recovery_file(run, org_b, tmp_path, "foreign.txt")
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("kind = khronika-recovery-key-v1\nprivate_key = not base64\n", encoding="utf-8")
    keys.user_key_replace(user=holder, passphrase=TEST_PASSWORD)
    shares_before = list(GroupKeyShare.objects.order_by("pk").values_list("pk", "wrapped_private"))

    results = [recover(run, org_a, path, holder) for path in (foreign, garbage, tmp_path / "missing.txt")]

    assert [result.code for result in results] == [2, 2, 2]
    assert all("key_file" in result.err for result in results)
    assert list(GroupKeyShare.objects.order_by("pk").values_list("pk", "wrapped_private")) == shares_before
    assert not AuditEntry.objects.filter(action="accounts.recovery_key.recover").exists()
    assert opened(contact, holder) == {}


def test_recover_before_a_holder_shared_the_group_key_with_the_recovery_key_says_so(
    run, org_a, holder, contact, tmp_path
):
    key_file = recovery_file(run, org_a, tmp_path)  # made after the group key; nobody signed in since

    result = recover(run, org_a, key_file, holder)

    assert result.code == 3
    assert "signed in" in result.err


def test_recover_for_an_unknown_user_is_not_found(run, org_a, contact, tmp_path):
    key_file = recovery_file(run, org_a, tmp_path)

    result = run("keys", "recover", "--group", str(org_a.id), "--key-file", str(key_file), "--user", "nobody")

    assert result.code == 4


# --- status -----------------------------------------------------------------------------------------------


def test_status_shows_fingerprints_holders_and_waiting_members_but_no_key_or_value(
    run, org_a, holder, contact, make_user, tmp_path
):
    key_file = recovery_file(run, org_a, tmp_path)
    waiting = make_user("lawyer", org_a)  # joins after the group key was made: their share is pending
    group_key = GroupKey.objects.get(organisation=org_a)
    recovery = sealing.RecoveryFile.parse(key_file.read_text(encoding="utf-8"))

    as_text = run("keys", "status")
    as_json = run("keys", "status", "--json")

    assert as_text.code == as_json.code == 0
    [state] = json.loads(as_json.out)
    assert state["organisation_id"] == str(org_a.id)
    assert state["group_key"] == sealing.fingerprint(base64.b64decode(group_key.public_key))
    assert state["holders"] == 1
    assert state["waiting"] == [{"username": waiting.username, "has_key": True}]
    assert state["rotation_due"] is False
    assert state["recovery_key"] == recovery.fingerprint
    assert state["recovery_covers"] is False
    assert state["group_key"] in as_text.out
    assert waiting.username in as_text.out
    material = [
        SECRET_CONTACT,
        "CANARY",
        ContactPoint.objects.get(pk=contact.pk).value,
        group_key.public_key,
        base64.b64encode(recovery.private).decode(),
        *RecoveryKey.objects.values_list("public_key", flat=True),
        *GroupKeyShare.objects.exclude(wrapped_private="").values_list("wrapped_private", flat=True),
        *UserKey.objects.values_list("public_key", flat=True),
        *UserKey.objects.values_list("private_key_wrapped", flat=True),
        *ValueKey.objects.values_list("wrapped", flat=True),
    ]
    for secret in material:
        assert secret not in as_text.out
        assert secret not in as_json.out


def test_status_of_an_organisation_without_keys_says_so(run, org_b):
    result = run("keys", "status", "--group", str(org_b.id), "--json")

    assert result.code == 0
    [state] = json.loads(result.out)
    assert state["group_key"] is None
    assert state["recovery_key"] is None


# --- grant, revoke, grants --------------------------------------------------------------------------------


def test_a_grant_lets_a_user_of_another_group_open_one_record_and_revoking_reseals_it(
    run, org_a, org_b, holder, contact, make_user
):
    outsider = make_user("lawyer", org_b)
    members_sign_in(org_a.id)
    assert opened(contact, outsider) == {}

    granted = run(
        *("--as", holder.username, "keys", "grant", "--record", record_of(contact)),
        *("--user", outsider.username, "--purpose", "referral", "--password-stdin"),
        stdin=TEST_PASSWORD + "\n",
    )
    listed = run("keys", "grants", "--record", record_of(contact), "--json")

    assert granted.code == 0, granted.err
    assert opened(contact, outsider)["value"] == SECRET_CONTACT
    assert [(g["user"], g["purpose"], g["granted_by"]) for g in json.loads(listed.out)] == [
        (outsider.username, "referral", holder.username)
    ]
    sealed_before = ContactPoint.objects.get(pk=contact.pk).value
    kept_copy = ValueKey.objects.get(entity_id=contact.pk, field="value", user=outsider).wrapped
    outsider_private = sealing.keyring_with_passphrase(outsider, TEST_PASSWORD).private

    revoked = run(
        *("keys", "revoke", "--as", holder.username, "--record", record_of(contact)),
        *("--user", outsider.username, "--password-stdin"),
        stdin=TEST_PASSWORD + "\n",
    )

    assert revoked.code == 0, revoked.err
    sealed_after = ContactPoint.objects.get(pk=contact.pk).value
    assert sealed_after != sealed_before
    assert opened(contact, outsider) == {}
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(crypto.unwrap_key(kept_copy, outsider_private), sealed_after)
    assert opened(contact, holder)["value"] == SECRET_CONTACT
    assert "Nobody" in run("keys", "grants", "--record", record_of(contact)).out
    assert SECRET_CONTACT not in granted.out + revoked.out + listed.out


@pytest.mark.parametrize(
    ("record", "purpose", "password", "code"),
    [
        ("CONTACT", "referral", "wrong password", 3),
        ("CONTACT", "curiosity", TEST_PASSWORD, 2),
        ("directory.organisation:ID", "referral", TEST_PASSWORD, 2),
        ("no.such:ID", "referral", TEST_PASSWORD, 2),
        ("CONTACT-without-id", "referral", TEST_PASSWORD, 2),
        ("directory.contactpoint:00000000-0000-0000-0000-000000000000", "referral", TEST_PASSWORD, 4),
    ],
)
def test_a_grant_that_cannot_be_made_exits_with_its_code_and_changes_nothing(
    run, org_b, holder, contact, make_user, record, purpose, password, code
):
    outsider = make_user("lawyer", org_b)
    record = {"CONTACT": record_of(contact), "CONTACT-without-id": "directory.contactpoint"}.get(
        record, record.replace("ID", str(contact.pk))
    )

    result = run(
        *("--as", holder.username, "keys", "grant", "--record", record, "--user", outsider.username),
        *("--purpose", purpose, "--password-stdin"),
        stdin=password + "\n",
    )

    assert result.code == code
    assert not Grant.objects.exists()
    assert password not in result.err


def test_a_member_who_cannot_open_the_record_may_not_grant_it(run, org_a, org_b, contact, make_user):
    editor = make_user("editor", org_a)
    outsider = make_user("lawyer", org_b)

    result = run(
        *(
            "--as",
            editor.username,
            "keys",
            "grant",
            "--record",
            record_of(contact),
            "--user",
            outsider.username,
        ),
        *("--purpose", "referral", "--password-stdin"),
        stdin=TEST_PASSWORD + "\n",
    )

    assert result.code == 3
    assert not Grant.objects.exists()


# --- wipe-local-keys ----------------------------------------------------------------------------------------


@pytest.fixture
def secret_file(tmp_path, monkeypatch):
    """The node's secret key file, in this test's own node home (conftest points KHRONIKA_HOME here)."""
    monkeypatch.delenv("KHRONIKA_SECRET_KEY", raising=False)
    path = tmp_path / "secret_key"
    path.write_text("CANARY-secret-key-" + "x" * 40, encoding="ascii")
    return path


def test_wipe_without_yes_asks_and_a_no_does_nothing(run, holder, contact, secret_file, client):
    client.force_login(holder)
    before = secret_file.read_bytes()

    result = run("wipe-local-keys", stdin="no\n")

    assert result.code == 2
    assert UserKey.objects.filter(user=holder).exists()
    assert Session.objects.count() == 1
    assert secret_file.read_bytes() == before
    assert opened(contact, holder)["value"] == SECRET_CONTACT


def test_wipe_destroys_user_keys_sessions_and_the_secret_key_file(
    run, org_a, org_b, holder, contact, make_user, secret_file, client, tmp_path
):
    recovery_file(run, org_a, tmp_path)
    members_sign_in(org_a.id)
    outsider = make_user("lawyer", org_b)
    run(
        *(
            "--as",
            holder.username,
            "keys",
            "grant",
            "--record",
            record_of(contact),
            "--user",
            outsider.username,
        ),
        *("--purpose", "referral", "--password-stdin"),
        stdin=TEST_PASSWORD + "\n",
    )
    client.force_login(holder)

    result = run("wipe-local-keys", "--yes")

    assert result.code == 0, result.err
    assert not UserKey.objects.exists()
    assert not Session.objects.exists()
    assert not GroupKeyShare.objects.filter(user__isnull=False).exclude(wrapped_private="").exists()
    assert not ValueKey.objects.filter(user__isnull=False).exists()
    assert GroupKeyShare.objects.filter(recovery_key__isnull=False).exclude(wrapped_private="").exists()
    assert not secret_file.exists()
    assert "khronika init" in result.out
    assert "khronika keys recover" in result.out
    assert "KHRONIKA_SECRET_KEY" not in result.out
    assert ContactPoint.objects.get(pk=contact.pk).value.startswith(crypto.PREFIX)
    with pytest.raises(sealing.KeysMissing):
        sealing.keyring_with_passphrase(holder, TEST_PASSWORD)


def test_wipe_says_a_secret_key_from_the_environment_must_be_changed_where_it_is_set(
    run, holder, secret_file, monkeypatch
):
    monkeypatch.setenv("KHRONIKA_SECRET_KEY", "CANARY-from-the-environment-" + "y" * 30)

    result = run("wipe-local-keys", "--yes")

    assert result.code == 0
    assert not secret_file.exists()
    assert "KHRONIKA_SECRET_KEY" in result.out
    assert "CANARY" not in result.out


def test_on_a_real_node_wiping_leaves_no_trace_of_the_keys_in_the_database_files(tmp_path):
    """The program on a node home of its own (WAL mode and secure_delete, as in production): after the wipe
    neither the database file nor its write-ahead log holds the bytes of a destroyed key."""
    home = tmp_path / "node"
    group = json.dumps({"kind": "ngo", "name_ru": "Группа для проверки", "home_region": "RU-TVE"})
    assert khronika(home, "init").code == 0
    assert khronika(home, "directory", "bootstrap", "--json-file", "-", stdin=group).code == 0
    made = khronika(
        *(home, "createuser", "anna", "--organisation", "Группа для проверки", "--role", "coordinator"),
        "--password-stdin",
        stdin="a long enough passphrase for anna\n",
    )
    assert made.code == 0, made.err
    database = home / "khronika.sqlite3"
    with sqlite3.connect(database) as connection:
        [wrapped] = connection.execute("SELECT private_key_wrapped FROM accounts_userkey").fetchone()
    connection.close()
    files = (database, home / "khronika.sqlite3-wal")
    assert any(wrapped.encode("ascii") in path.read_bytes() for path in files if path.exists())

    result = khronika(home, "wipe-local-keys", "--yes")

    assert result.code == 0, result.err
    assert not (home / "secret_key").exists()
    assert "write-ahead log was emptied" in result.out
    for path in files:
        if path.exists():
            assert wrapped.encode("ascii") not in path.read_bytes()
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM accounts_userkey").fetchone() == (0,)
    connection.close()


def khronika(home: Path, *argv: str, stdin: str | None = None) -> Result:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"KHRONIKA_ACTOR", "KHRONIKA_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"KHRONIKA_HOME": str(home), "KHRONIKA_DATABASE_URL": "", "KHRONIKA_LANGUAGE": "en"})
    done = subprocess.run(  # noqa: S603 (our own program, our own arguments)
        [str(KHRONIKA), *argv], env=env, input=stdin, capture_output=True, text=True, timeout=300, check=False
    )
    assert "Traceback" not in done.stderr
    return Result(done.returncode, done.stdout, done.stderr)

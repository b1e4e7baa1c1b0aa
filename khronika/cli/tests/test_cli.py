"""The `khronika` command line, run in-process on the test database (``main([...])``), and as a program
on a node home of its own for the commands that set a node up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from khronika.accounts.models import ApiToken, User
from khronika.accounts.services import api_token_authenticate, api_token_create
from khronika.cli.tests.conftest import Result
from khronika.core.models import ChangeLogEntry
from khronika.directory.models import Organisation
from khronika.testing.factories import TEST_PASSWORD, ContactPointFactory, OrganisationFactory
from khronika.testing.keys import members_sign_in

KHRONIKA = Path(sys.executable).parent / "khronika"


def _writes() -> tuple[int, int]:
    return ChangeLogEntry.objects.count(), Organisation.objects.count()


# --- Reading ----------------------------------------------------------------------------------------------


def test_help_documents_that_reads_without_as_see_only_the_public_directory(run):
    with translation.override("en"):
        result = run("directory", "list", "--help")

    assert result.code == 0
    assert "--as" in result.out
    assert "public" in result.out


@pytest.mark.django_db
def test_anonymous_list_shows_only_public_organisations_and_their_public_fields(run):
    shown = OrganisationFactory(is_public=True, name_ru="Открытая группа", internal_notes="CANARY-list-notes")
    hidden = OrganisationFactory(is_public=False, name_ru="Закрытая группа")

    as_json = run("directory", "list", "--json")
    as_text = run("directory", "list")

    assert as_json.code == 0
    items = json.loads(as_json.out)["items"]
    assert [item["id"] for item in items] == [str(shown.id)]
    assert "version" not in items[0]
    assert "CANARY" not in as_json.out
    assert as_text.code == 0
    assert shown.name_ru in as_text.out
    assert hidden.name_ru not in as_text.out


@pytest.mark.django_db
def test_anonymous_show_of_an_organisation_outside_the_public_directory_is_not_found(run):
    hidden = OrganisationFactory(is_public=False)

    result = run("directory", "show", str(hidden.id))

    assert result.code == 4
    assert result.out == ""
    assert hidden.name_ru not in result.err


@pytest.mark.django_db
def test_anonymous_show_of_a_public_organisation_holds_no_network_or_internal_values(run):
    org = OrganisationFactory(is_public=True, internal_notes="CANARY-public-notes")
    ContactPointFactory(organisation=org, tier="public", value="office@example.org")
    ContactPointFactory(organisation=org, tier="network", value="CANARY-network@example.org")

    result = run("directory", "show", str(org.id), "--json")

    assert result.code == 0
    card = json.loads(result.out)
    assert [c["value"] for c in card["contacts"]] == ["office@example.org"]
    assert "internal_notes" not in card
    assert "CANARY" not in result.out + result.err


@pytest.fixture
def planted(org_a, org_b):
    """Both groups carry internal notes and contacts of every tier, each value a findable canary."""
    for org, letter in ((org_a, "a"), (org_b, "b")):
        org.internal_notes = f"CANARY-{letter}-notes"
        org.save(update_fields=["internal_notes"])
        for tier in ("network", "internal", "protected"):
            ContactPointFactory(organisation=org, tier=tier, value=f"CANARY-{letter}-{tier}@example.org")
    return org_a, org_b


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", [(), ("--json",)])
def test_a_member_of_group_a_reads_only_network_values_of_group_b(run, planted, make_user, fmt):
    org_a, org_b = planted
    lawyer = make_user(role="lawyer", organisation=org_a)

    result = run("--as", lawyer.username, "directory", "show", str(org_b.id), *fmt)

    assert result.code == 0
    seen = result.out + result.err
    assert "CANARY-b-network@example.org" in seen
    assert "CANARY-b-notes" not in seen
    assert "CANARY-b-internal" not in seen
    assert "CANARY-b-protected" not in seen


@pytest.mark.django_db
def test_a_member_of_group_a_reads_the_internal_and_protected_values_of_group_a(run, planted, make_user):
    org_a, _org_b = planted
    lawyer = make_user(role="lawyer", organisation=org_a)

    members_sign_in(org_a.id)

    closed = run("--as", lawyer.username, "directory", "show", str(org_a.id), "--json")
    result = run(
        *("--as", lawyer.username, "directory", "show", str(org_a.id), "--json"),
        *("--purpose", "contact", "--password-stdin"),
        stdin=TEST_PASSWORD + "\n",
    )
    wrong = run(
        *("--as", lawyer.username, "directory", "show", str(org_a.id)),
        *("--purpose", "contact", "--password-stdin"),
        stdin="not the password\n",
    )

    assert closed.code == 0
    assert [c["sealed"] for c in json.loads(closed.out)["contacts"] if c["tier"] == "protected"] == [
        ["value"]
    ]
    assert "CANARY-a-protected" not in closed.out
    assert result.code == 0
    card = json.loads(result.out)
    assert card["internal_notes"] == "CANARY-a-notes"
    assert {c["value"] for c in card["contacts"]} == {
        f"CANARY-a-{tier}@example.org" for tier in ("network", "internal", "protected")
    }
    assert wrong.code == 3 and "CANARY-a-protected" not in wrong.out + wrong.err


@pytest.mark.django_db
def test_the_khronika_actor_variable_names_the_reader(run, planted, make_user, monkeypatch):
    org_a, _org_b = planted
    monkeypatch.setenv("KHRONIKA_ACTOR", make_user(role="member", organisation=org_a).username)

    result = run("directory", "show", str(org_a.id), "--json")

    assert result.code == 0
    assert json.loads(result.out)["internal_notes"] == "CANARY-a-notes"


@pytest.mark.django_db
def test_reading_as_an_unknown_user_is_refused(run, org_a):
    result = run("--as", "nobody-by-this-name", "directory", "list")

    assert result.code == 3
    assert result.out == ""
    assert "nobody-by-this-name" not in result.err


# --- Writing ----------------------------------------------------------------------------------------------

NEW_GROUP = json.dumps({"kind": "ngo", "name_ru": "Новая группа", "home_region": "RU-TVE", "founded": "2011"})


@pytest.mark.django_db
def test_add_without_as_asks_for_it_and_writes_nothing(run):
    before = _writes()

    result = run("directory", "add", "--json-file", "-", stdin=NEW_GROUP)

    assert result.code == 3
    assert "--as" in result.err
    assert _writes() == before


@pytest.mark.django_db
def test_a_viewer_may_not_add_and_nothing_is_written(run, org_a, make_user):
    viewer = make_user(role="viewer", organisation=org_a)
    before = _writes()

    result = run("--as", viewer.username, "directory", "add", "--json-file", "-", stdin=NEW_GROUP)

    assert result.code == 3
    assert _writes() == before


@pytest.mark.django_db
def test_bad_json_is_one_line_on_stderr_and_writes_nothing(run, org_a, make_user):
    editor = make_user(role="editor", organisation=org_a)
    before = _writes()

    result = run(
        "--as", editor.username, "directory", "add", "--json-file", "-", stdin='{"name_ru": "Без конца'
    )

    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert result.err.startswith("khronika: ")
    assert _writes() == before


@pytest.mark.django_db
def test_a_json_value_that_is_not_an_object_is_refused(run, org_a, make_user):
    editor = make_user(role="editor", organisation=org_a)
    before = _writes()

    result = run("--as", editor.username, "directory", "add", "--json-file", "-", stdin='["name_ru"]')

    assert result.code == 2
    assert _writes() == before


@pytest.mark.django_db
def test_an_unknown_field_is_refused_by_name_and_writes_nothing(run, org_a, make_user):
    editor = make_user(role="editor", organisation=org_a)
    before = _writes()
    values = json.dumps({"name_ru": "Группа", "kind": "ngo", "colour": "red"})

    result = run("--as", editor.username, "directory", "add", "--json-file", "-", stdin=values)

    assert result.code == 2
    assert "  colour: " in result.err
    assert _writes() == before


@pytest.mark.django_db
def test_add_from_a_file_writes_the_organisation_and_exactly_one_change(run, org_a, make_user, tmp_path):
    editor = make_user(role="editor", organisation=org_a)
    source = tmp_path / "group.json"
    source.write_text(NEW_GROUP, encoding="utf-8")
    before = ChangeLogEntry.objects.count()

    result = run("--as", editor.username, "directory", "add", "--json-file", str(source), "--json")

    assert result.code == 0
    written = json.loads(result.out)
    org = Organisation.objects.get(pk=written["id"])
    assert (org.name_ru, org.home_region.code, org.steward_id, written["version"]) == (
        "Новая группа",
        "RU-TVE",
        org_a.id,
        1,
    )
    assert ChangeLogEntry.objects.count() == before + 1


@pytest.mark.django_db
def test_edit_writes_the_change_and_exactly_one_change_log_entry(run, org_a, make_user):
    editor = make_user(role="editor", organisation=org_a)
    before = ChangeLogEntry.objects.count()

    result = run(
        "--as",
        editor.username,
        "directory",
        "edit",
        str(org_a.id),
        "--version",
        str(org_a.version),
        "--json-file",
        "-",
        stdin=json.dumps({"description": "Новое описание"}),
    )

    assert result.code == 0
    org_a.refresh_from_db()
    assert (org_a.description, org_a.version) == ("Новое описание", 2)
    assert ChangeLogEntry.objects.count() == before + 1


@pytest.mark.django_db
def test_edit_with_a_stale_version_is_a_conflict_and_changes_nothing(run, org_a, make_user):
    editor = make_user(role="editor", organisation=org_a)
    run(
        "--as",
        editor.username,
        "directory",
        "edit",
        str(org_a.id),
        "--json-file",
        "-",
        stdin=json.dumps({"description": "Первая правка"}),
    )
    before = _writes()

    result = run(
        "--as",
        editor.username,
        "directory",
        "edit",
        str(org_a.id),
        "--version",
        "1",
        "--json-file",
        "-",
        stdin=json.dumps({"description": "Вторая правка"}),
    )

    assert result.code == 5
    org_a.refresh_from_db()
    assert org_a.description == "Первая правка"
    assert _writes() == before


@pytest.mark.django_db
def test_bootstrap_creates_the_first_organisation_only_on_an_empty_node(run):
    first = run("directory", "bootstrap", "--json-file", "-", "--json", stdin=NEW_GROUP)
    second = run("directory", "bootstrap", "--json-file", "-", stdin=NEW_GROUP)

    assert first.code == 0
    org = Organisation.objects.get(pk=json.loads(first.out)["id"])
    assert (org.name_ru, org.steward_id) == ("Новая группа", None)
    assert second.code == 5
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_an_unexpected_failure_is_one_line_on_stderr_and_a_traceback_in_the_node_log(
    run, org_a, monkeypatch, tmp_path
):
    from khronika.directory import selectors

    def broken(**kwargs):
        raise RuntimeError("CANARY-failure-detail")

    monkeypatch.setattr(selectors, "organisation_get", broken)

    result = run("directory", "show", str(org_a.id))

    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1
    assert "CANARY" not in result.err
    log = (tmp_path / "khronika.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "in broken" in log and "RuntimeError" in log
    assert "CANARY-failure-detail" not in log  # a message may quote a protected value: withheld
    assert oct((tmp_path / "khronika.log").stat().st_mode & 0o777) == oct(0o600)


def test_unusable_node_options_are_one_line_and_exit_2(run, tmp_path):
    (tmp_path / "khronika.toml").write_text('language = "fr"\n', encoding="utf-8")

    result = run("directory", "list")

    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert "language" in result.err


# --- Accounts ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_createuser_reads_the_password_from_stdin(run, org_a):
    result = run(
        "createuser",
        "anna",
        "--organisation",
        str(org_a.id),
        "--role",
        "lawyer",
        "--password-stdin",
        stdin="a passphrase long enough\n",
    )

    assert result.code == 0
    user = User.objects.get(username="anna")
    assert (user.organisation_id, user.role) == (org_a.id, "lawyer")
    assert user.check_password("a passphrase long enough")


@pytest.mark.django_db
def test_createuser_finds_the_organisation_by_its_exact_name(run, org_a):
    result = run(
        "createuser",
        "boris",
        "--organisation",
        org_a.name_ru,
        "--role",
        "member",
        "--password-stdin",
        stdin="a passphrase long enough\n",
    )

    assert result.code == 0
    assert User.objects.get(username="boris").organisation_id == org_a.id


@pytest.mark.django_db
def test_createuser_refuses_a_short_password_and_creates_nobody(run, org_a):
    result = run(
        "createuser",
        "anna",
        "--organisation",
        str(org_a.id),
        "--role",
        "member",
        "--password-stdin",
        stdin="short\n",
    )

    assert result.code == 2
    assert "  password: " in result.err
    assert not User.objects.filter(username="anna").exists()


@pytest.mark.django_db
def test_createuser_asks_twice_and_refuses_different_passwords(run, org_a, monkeypatch):
    answers = iter(["a passphrase long enough", "another passphrase entirely"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    result = run("createuser", "anna", "--organisation", str(org_a.id), "--role", "member")

    assert result.code == 2
    assert not User.objects.filter(username="anna").exists()


@pytest.mark.django_db
def test_token_create_prints_a_token_the_api_accepts(run, make_user):
    user = make_user(role="editor")

    result = run("token", "create", "--user", user.username, "--name", "scripts", "--expires-days", "30")

    assert result.code == 0
    raw = [line for line in result.out.splitlines() if line.startswith("kh_")]
    assert len(raw) == 1
    assert api_token_authenticate(raw[0]) == user


@pytest.mark.django_db
def test_token_revoke_makes_the_token_useless(run, make_user):
    user = make_user(role="editor")
    token, raw = api_token_create(actor=None, user=user)

    result = run("token", "revoke", str(token.id))

    assert result.code == 0
    assert api_token_authenticate(raw) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("token_id", "code"), [("00000000-0000-0000-0000-000000000000", 4), ("not-an-id", 2)]
)
def test_token_revoke_of_an_unknown_or_malformed_id_is_refused(run, token_id, code):
    result = run("token", "revoke", token_id)

    assert result.code == code


@pytest.mark.django_db
def test_token_create_for_an_unknown_user_is_not_found(run):
    before = ApiToken.objects.count()

    result = run("token", "create", "--user", "nobody-by-this-name")

    assert result.code == 4
    assert ApiToken.objects.count() == before


@pytest.mark.django_db
def test_createuser_takes_no_password_argument(run, org_a):
    result = run(
        "createuser", "anna", "--organisation", str(org_a.id), "--role", "member", "--password", TEST_PASSWORD
    )

    assert result.code == 2
    assert not User.objects.filter(username="anna").exists()


# --- Setting a node up (the program itself, on a node home of its own) ------------------------------------


def _khronika(home: Path, *argv: str) -> Result:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"KHRONIKA_ACTOR", "KHRONIKA_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    # The node's own SQLite file in its home, whatever database the test run uses.
    env.update({"KHRONIKA_HOME": str(home), "KHRONIKA_DATABASE_URL": "", "KHRONIKA_LANGUAGE": "en"})
    done = subprocess.run(  # noqa: S603 (our own program, our own arguments)
        [str(KHRONIKA), *argv], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert "Traceback" not in done.stderr
    return Result(done.returncode, done.stdout, done.stderr)


def test_check_fails_before_init_and_passes_after_it(tmp_path):
    home = tmp_path / "node"

    before = _khronika(home, "check")
    home_made_by_check = home.exists()
    first = _khronika(home, "init")
    again = _khronika(home, "init")
    after = _khronika(home, "check")

    assert before.code == 1
    assert "FAIL" in before.out
    assert not home_made_by_check
    assert first.code == 0
    assert (home / "secret_key").stat().st_mode & 0o777 == 0o600
    assert again.code == 0
    assert after.code == 0, after.out
    assert "FAIL" not in after.out
    assert len(after.out.splitlines()) >= 6


def test_commands_that_need_the_database_say_to_run_init_before_it(tmp_path):
    home = tmp_path / "node"

    listing = _khronika(home, "directory", "list")
    serving = _khronika(home, "serve", "--port", "0")

    assert listing.code == 6
    assert "khronika init" in listing.err
    assert len(listing.err.strip().splitlines()) == 1
    assert serving.code == 2
    assert "khronika init" in serving.err
    assert not home.exists()


@pytest.mark.django_db
def test_demo_data_loads_once_and_then_prints_its_sign_ins_again(run):
    demo = pytest.importorskip("khronika.directory.demo")

    first = run("demo-data", "--seed", "7", "--organisations", "12")
    organisations = Organisation.objects.count()
    again = run("demo-data", "--seed", "7", "--organisations", "12")

    assert (first.code, again.code) == (0, 0)
    sign_ins = demo.demo_sign_ins(7)
    assert sign_ins
    for sign_in in sign_ins:
        assert User.objects.filter(username=sign_in.username).exists()
        assert sign_in.username in first.out and sign_in.password in first.out
        assert sign_in.username in again.out and sign_in.password in again.out
    assert Organisation.objects.count() == organisations


def test_every_commands_help_shows_in_a_fresh_process_before_django_is_ready(tmp_path):
    """Building the parser must import no model: `khronika --help` runs before Django is set up."""
    import os
    import subprocess
    import sys

    env = os.environ | {"KHRONIKA_HOME": str(tmp_path), "KHRONIKA_DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = "from khronika.cli.main import main; raise SystemExit(main(['--help']))"
    answer = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)  # noqa: S603
    assert answer.returncode == 0, answer.stderr
    assert "stats" in answer.stdout and "import" in answer.stdout

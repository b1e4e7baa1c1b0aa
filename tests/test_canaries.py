"""The canary test (issue 3): no protected value reaches anything it must not, and no internal value of an
organisation reaches another organisation's users or the public.

Given two organisations A and B with users of every role, and a unique canary string planted in every
internal and protected text field of the records B keeps; when A's users of every role and an anonymous
visitor go through the staff pages, the JSON API, the command line and the public site, and a coordinator of
A edits B's public fields; then no protected canary is in any response (headers included), CLI output, log
record (as the node's log formatter writes it), node log file, change-log payload or audit entry, and no
internal canary of B is in any of them except the change log, which carries B's internal values for sync
by design.

Which fields get a canary is written down in ``khronika/testing/canaries.py``, and the first test fails when
a model gains an internal or protected field none of its lists names:

- ``PLANTED``: organisation internal notes, person notes, relationship notes, contact value and label (rows
  of the internal and protected tiers), practice note title, summary, outcome, lessons (internal rows) and
  who to ask (every row), user username, display name and email, API token name, lockdown reason, the names
  of second-factor devices, and what a sign-in lockout record keeps of the attempt;
- ``ADOPTED`` (generated, so the stored value itself is searched for): password hashes, API tokens (raw,
  prefix and hash), users' key pairs, TOTP secrets, recovery codes;
- ``NOT_TEXT`` (skipped: ids, foreign keys, dates, numbers, flags, choices, JSON), among them
  ``accounts.user``: last_login, organisation, role, is_active; ``accounts.lockdown``: its people, times
  and locked_users; ``directory.practicenote``: area, region, happened_on, happened_precision; the
  bookkeeping columns of API tokens, keys, sessions, second-factor devices and sign-in lockouts;
- ``LEFT_OUT`` (skipped, with the reason there): user pseudonym (the audit log names actors by it) and
  language code, auth groups (unused), sessions (written by Django), axes' access logs (switched off), and
  the text columns of the change log and the audit log, which are searched as outputs.

Left out on purpose: the database files themselves (the SQLite file and its WAL, PostgreSQL's tables).
Protected values are not sealed yet (README, "Security model"), so a grep of the database would find every
one of them; that check comes with sealing. There is no search index or export yet to search either.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse

from khronika.accounts.models import Role
from khronika.accounts.policies import PROTECTED_READERS
from khronika.accounts.second_factor import MANDATORY_ROLES, has_device
from khronika.accounts.services import api_token_create
from khronika.cli.main import main as khronika
from khronika.core.logs import SafeFormatter
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.core.tiers import Tier, field_tier
from khronika.directory.models import AreaOfWork, Organisation, OrganisationArea
from khronika.testing.canaries import (
    PLANTED,
    Canaries,
    Planted,
    Received,
    describe,
    leaks_in,
    plant_steward_records,
    unaccounted_fields,
)
from khronika.testing.second_factor import verified_login

AREA = "places-of-detention"  # a sub-area: filters by its parent find it too
PARENT_AREA = "prisoners-rights"
REGION_B = "RU-PER"
DISTRICT_B = "volga"


class World:
    """A and B, A's users of every role, and B's planted records."""

    def __init__(self, org_a: Organisation, org_b: Organisation, make_user: Any) -> None:
        for org in (org_a, org_b):
            OrganisationArea.objects.create(organisation=org, area=AreaOfWork.objects.get(code=AREA))
        self.org_a = org_a
        self.canaries = Canaries()
        self.planted: Planted = plant_steward_records(
            steward=org_b, partner=org_a, canaries=self.canaries, area_codes=[AREA]
        )
        self.org_b = self.planted.steward
        self.users_a = {role.value: make_user(role.value, org_a) for role in Role}


@pytest.fixture
def world(org_a, org_b, make_user) -> World:  # type: ignore[no-untyped-def]
    return World(org_a, org_b, make_user)


def signed_in(user: Any) -> Client:
    client = Client()
    if user.role in MANDATORY_ROLES or has_device(user):
        return verified_login(client, user)
    client.force_login(user)
    return client


# --- What the test reads at the end: logs, the change log, the audit log ---------------------------------


@contextmanager
def every_log_record(caplog: pytest.LogCaptureFixture, received: Received) -> Iterator[None]:
    """caplog at DEBUG on every logger, also on those that do not pass records up to the root; and what
    was added meanwhile to the ``*.log`` files of the node home. Both go into ``received`` at the end."""
    home = Path(settings.HOME)
    sizes = {path: path.stat().st_size for path in home.rglob("*.log")}
    caplog.set_level(logging.DEBUG)
    attached = []
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        caplog.set_level(logging.DEBUG, logger=name)
        # khronika.cli stops passing records up once it logs to the node log file.
        if (not logger.propagate or name.startswith("khronika")) and caplog.handler not in logger.handlers:
            logger.addHandler(caplog.handler)
            attached.append(logger)
    try:
        yield
    finally:
        for logger in attached:
            logger.removeHandler(caplog.handler)
    formatter = SafeFormatter()
    # A record reaches caplog's handler once for each logger on its way up that has it.
    for record in {id(record): record for record in caplog.records}.values():
        received.add(f"log record {record.name} {record.levelname}", formatter.format(record))
    for path in home.rglob("*.log"):
        with path.open("rb") as handle:
            handle.seek(sizes.get(path, 0))
            received.add(f"node log file {path.name}", handle.read())


def change_log() -> Received:
    received = Received()
    for entry in ChangeLogEntry.objects.order_by("seq"):
        name = f"change log #{entry.seq} {entry.entity} v{entry.version}"
        received.add(name, json.dumps([entry.changed_fields, entry.payload], ensure_ascii=False))
    return received


def audit_log(received: Received) -> None:
    for entry in AuditEntry.objects.order_by("seq"):
        values = {f.attname: str(getattr(entry, f.attname)) for f in AuditEntry._meta.concrete_fields}
        received.add(f"audit entry #{entry.seq} {entry.action}", json.dumps(values, ensure_ascii=False))


def assert_no_protected_value(world: World, received: Received) -> None:
    """No protected canary in what was received, the audit log or the change log."""
    audit_log(received)
    leaks = leaks_in([*received, *change_log()], world.canaries, tiers={Tier.PROTECTED})
    assert not leaks, describe(leaks)


def assert_nothing_leaked(world: World, received: Received) -> None:
    """No protected canary anywhere, change log included; no internal one anywhere but the change log."""
    assert_no_protected_value(world, received)
    leaks = leaks_in(received, world.canaries, tiers={Tier.INTERNAL})
    assert not leaks, describe(leaks)


# --- The staff pages -------------------------------------------------------------------------------------


def _get(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def staff_pages(world: World) -> list[tuple[str, dict[str, str]]]:
    """Every page a user reads B on, as ``(path with query, headers)``."""
    b, kept, a = world.org_b.id, world.planted.kept.id, world.org_a.id
    person, colleague = (p.id for p in world.planted.persons)
    listing = reverse("directory:organisation_list")
    filters: list[dict[str, str]] = [
        {},
        {"q": "Группа"},
        {"region": REGION_B},
        {"district": DISTRICT_B},
        {"area": PARENT_AREA},
        {"kind": "human_rights_group"},
        {"status": "active"},
        {
            "q": "Б",
            "region": REGION_B,
            "district": DISTRICT_B,
            "area": AREA,
            "kind": "court",
            "status": "active",
        },
        {"page": "2"},
    ]
    pages = [(_get(listing, **f), {}) for f in filters]
    pages.append((_get(listing, region=REGION_B), {"HX-Request": "true"}))
    for name, kwargs in [
        *(("directory:organisation_detail", {"organisation_id": org}) for org in (b, kept, a)),
        *(("directory:organisation_history", {"organisation_id": org}) for org in (b, kept)),
        ("directory:organisation_edit", {"organisation_id": b}),
        ("directory:organisation_contact_add", {"organisation_id": b}),
        (
            "directory:practice_note_edit",
            {"organisation_id": b, "note_id": world.planted.notes["internal"].id},
        ),
        *(("directory:person_detail", {"person_id": p}) for p in (person, colleague)),
        ("directory:person_edit", {"person_id": person}),
        ("directory:coverage_gaps", {}),
        ("accounts:account", {}),
    ]:
        pages.append((reverse(name, kwargs=kwargs), {}))
    pages += [
        (_get(reverse("directory:person_list")), {}),
        (_get(reverse("directory:person_list"), q="Иванова"), {}),
        (_get(reverse("directory:networking_near"), area=PARENT_AREA, region=REGION_B), {}),
        (_get(reverse("directory:coverage_gaps"), district=DISTRICT_B), {}),
        (_get(reverse("directory:organisation_suggest"), field="target", target_query="Группа"), {}),
    ]
    return pages


def lockdown_pages(world: World, caplog: pytest.LogCaptureFixture) -> Received:
    """The emergency lockdown page as every role of A, while B's coordinator's request waits there."""
    received = Received()
    with every_log_record(caplog, received):
        for role, user in world.users_a.items():
            response = signed_in(user).get(reverse("accounts:lockdown"))
            assert response.status_code in (200, 403), (role, response.status_code)
            received.response(f"lockdown page as {role} of A", response)
    return received


def test_every_internal_and_protected_field_is_planted_or_listed_as_left_out():
    assert unaccounted_fields() == []


@pytest.mark.django_db
def test_staff_pages_show_users_of_another_organisation_no_internal_or_protected_value(world, caplog):
    received = Received()
    detail_of_b = reverse("directory:organisation_detail", kwargs={"organisation_id": world.org_b.id})
    with every_log_record(caplog, received):
        for role, user in world.users_a.items():
            client = signed_in(user)
            for path, headers in staff_pages(world):
                response = client.get(path, headers=headers)
                assert response.status_code in (200, 403, 404), (role, path, response.status_code)
                received.response(f"staff page {path} as {role} of A", response)
                if path == detail_of_b:
                    # What would show a leak is there to be seen: the page showed B's network values.
                    assert response.status_code == 200, role
                    for value in world.planted.seen_by_network:
                        assert value in response.content.decode(), (role, value)

    assert_nothing_leaked(world, received)


@pytest.mark.django_db
def test_the_lockdown_page_shows_users_of_another_organisation_no_protected_value(world, caplog):
    assert_no_protected_value(world, lockdown_pages(world, caplog))


@pytest.mark.django_db
def test_the_lockdown_page_shows_users_of_another_organisation_no_internal_value(world, caplog):
    assert_nothing_leaked(world, lockdown_pages(world, caplog))


@pytest.mark.django_db
def test_the_steward_sees_its_own_canaries_so_the_planting_took(world, caplog):
    received = Received()
    page = reverse("directory:organisation_detail", kwargs={"organisation_id": world.org_b.id})
    with every_log_record(caplog, received):
        for role, user in world.planted.users.items():
            response = signed_in(user).get(page)
            assert response.status_code == 200, role
            body = response.content.decode()
            assert world.planted.internal_notes in body, role
            if role in PROTECTED_READERS:
                assert world.planted.protected_contact in body, role
            else:
                # B's users without a protected-reading role see B's internal values, never protected ones.
                leaks = leaks_in([(f"B's page as {role} of B", body)], world.canaries, tiers={Tier.PROTECTED})
                assert not leaks, describe(leaks)

    # Logs written while B read its own page hold nothing either.
    assert_nothing_leaked(world, received)


@pytest.mark.django_db
def test_every_planted_canary_is_stored_in_the_field_and_at_the_tier_it_names(world):
    planted = world.canaries.planted()
    assert {c.source for c in planted} == {
        f"{label}.{name}" for label, names in PLANTED.items() for name in names
    }
    for canary in planted:
        label, name = canary.source.rsplit(".", 1)
        model = apps.get_model(label)
        row = model._default_manager.filter(**{f"{name}__contains": canary.value}).first()
        assert row is not None, canary
        assert field_tier(row, name) == canary.tier, canary


# --- The JSON API ----------------------------------------------------------------------------------------


def api_reads(world: World) -> list[str]:
    b, kept, a = world.org_b.id, world.planted.kept.id, world.org_a.id
    person, colleague = (p.id for p in world.planted.persons)
    everything = {"q": "Б", "region": REGION_B, "district": DISTRICT_B, "area": AREA, "kind": "court"}
    return [
        *(
            _get("/api/v1/organisations", **f)
            for f in (
                {},
                {"q": "Группа"},
                {"region": REGION_B},
                {"district": DISTRICT_B},
                {"area": PARENT_AREA},
                {"kind": "human_rights_group"},
                {"status": "active"},
                everything,
            )
        ),
        *(f"/api/v1/organisations/{org}" for org in (b, kept, a)),
        f"/api/v1/organisations/{b}/similar",
        *(f"/api/v1/organisations/{org}/history" for org in (b, kept)),
        "/api/v1/persons",
        _get("/api/v1/persons", q="Иванова"),
        *(f"/api/v1/persons/{p}" for p in (person, colleague)),
        _get("/api/v1/networking/near", area=PARENT_AREA, region=REGION_B),
        "/api/v1/networking/gaps",
        _get("/api/v1/networking/gaps", district=DISTRICT_B),
        "/api/v1/me",
    ]


@pytest.mark.django_db
def test_the_api_answers_users_of_another_organisation_no_internal_or_protected_value(world, caplog):
    received = Received()
    with every_log_record(caplog, received):
        callers = {
            f"{role} of A": api_token_create(actor=None, user=user)[1] for role, user in world.users_a.items()
        }
        callers["no token"] = ""
        for caller, token in callers.items():
            client = Client(headers={"Authorization": f"Bearer {token}"} if token else {})
            for path in api_reads(world):
                response = client.get(path)
                assert response.status_code in (200, 401, 403, 404), (caller, path, response.status_code)
                received.response(f"API GET {path} as {caller}", response)
                if token and path == f"/api/v1/organisations/{world.org_b.id}":
                    for value in world.planted.seen_by_network:
                        assert value in response.content.decode(), (caller, value)

    assert_nothing_leaked(world, received)


# --- The command line ------------------------------------------------------------------------------------


@pytest.fixture
def run(capsys, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """``run(*argv)``: `khronika …` in-process (as khronika/cli/tests do), on a node home of its own."""
    monkeypatch.setenv("KHRONIKA_HOME", str(tmp_path))
    monkeypatch.delenv("KHRONIKA_ACTOR", raising=False)

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = khronika(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


@pytest.mark.django_db
def test_the_command_line_prints_users_of_another_organisation_no_internal_or_protected_value(
    world, caplog, run, tmp_path
):
    received = Received()
    b, kept, a = (str(org.id) for org in (world.org_b, world.planted.kept, world.org_a))
    commands = [
        ("directory", "list", "--json"),
        ("directory", "list", "--json", "--region", REGION_B, "--area", PARENT_AREA),
        *(("directory", "show", org, "--json") for org in (b, kept, a)),
        ("directory", "show", b),
    ]
    with every_log_record(caplog, received):
        for who in [*(f"{role} of A" for role in world.users_a), "anonymous"]:
            actor = () if who == "anonymous" else ("--as", world.users_a[who.split(" ")[0]].username)
            for command in commands:
                code, out, err = run(*actor, *command)
                assert code in (0, 4), (who, command, code, err)
                assert "Traceback" not in out + err, (who, command)
                received.add(f"khronika {' '.join(command)} as {who} (exit {code})", f"{out}\n{err}")
                if code == 0 and actor and command[2:] == (b, "--json"):
                    for value in world.planted.seen_by_network:
                        assert value in out, (who, value)
    for path in tmp_path.rglob("*.log"):
        received.add(f"command line's node log {path.name}", path.read_bytes())

    assert_nothing_leaked(world, received)


# --- The public site -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_public_site_shows_an_anonymous_visitor_no_internal_or_protected_value(world, caplog):
    received = Received()
    client = Client()
    listing = reverse("public:organisation_list")
    pages = [
        *(
            _get(listing, **f)
            for f in (
                {},
                {"q": "Группа"},
                {"region": REGION_B},
                {"district": DISTRICT_B},
                {"area": PARENT_AREA},
                {"kind": "human_rights_group"},
                {"status": "active"},
                {"lang": "en"},
            )
        ),
        *(
            reverse("public:organisation_detail", kwargs={"organisation_id": org.id})
            for org in (world.org_b, world.planted.kept, world.org_a)
        ),
    ]
    with every_log_record(caplog, received):
        for path in pages:
            response = client.get(path)
            assert response.status_code in (200, 404), (path, response.status_code)
            received.response(f"public page {path}", response)
        detail = client.get(reverse("public:organisation_detail", kwargs={"organisation_id": world.org_b.id}))
        assert detail.status_code == 200
        for value in world.planted.seen_by_public:
            assert value in detail.content.decode(), value

    assert_nothing_leaked(world, received)


# --- Editing: the change log and the audit log get entries -----------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_of_another_organisation_editing_public_fields_leaks_nothing(world, caplog):
    received = Received()
    b = world.org_b
    coordinator, editor = world.users_a["coordinator"], world.users_a["editor"]
    edit = reverse("directory:organisation_edit", kwargs={"organisation_id": b.id})
    form = {
        "version": str(b.version),
        "kind": b.kind,
        "name_ru": b.name_ru,
        "name_en": b.name_en,
        "status": b.status,
        "home_region": REGION_B,
        "regions": [REGION_B],
        "areas": [AREA],
        "description": "Новое описание работы.",
        "is_public": "on",
    }
    with every_log_record(caplog, received):
        staff = signed_in(coordinator)
        received.response("edit form of B as coordinator of A", staff.get(edit))
        saved = staff.post(edit, form)
        assert saved.status_code == 302, saved.content.decode()[:2000]
        received.response("saved edit of B as coordinator of A", saved)
        refused = signed_in(editor).post(edit, {**form, "description": "Нельзя."})
        assert refused.status_code == 403
        received.response("refused edit of B as editor of A", refused)
        for name in ("directory:organisation_detail", "directory:organisation_history"):
            page = staff.get(reverse(name, kwargs={"organisation_id": b.id}))
            received.response(f"{name} of B after the edit", page)

        api = Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=coordinator)[1]}"})
        for path, body, status in [
            (
                f"/api/v1/organisations/{b.id}",
                {"name_en": "Group B, renamed", "website": "https://b.example.org"},
                200,
            ),
            (f"/api/v1/organisations/{b.id}", {"internal_notes": "Не наше дело."}, 403),
            (f"/api/v1/persons/{world.planted.persons[0].id}", {"name_en": "Anna I."}, 200),
        ]:
            response = api.patch(path, json.dumps(body), content_type="application/json")
            assert response.status_code == status, (path, body, response.content.decode()[:2000])
            received.response(f"API PATCH {path} {sorted(body)} as coordinator of A", response)
        received.response("API history of B", api.get(f"/api/v1/organisations/{b.id}/history"))

    changes = ChangeLogEntry.objects.filter(entity="directory.organisation", entity_id=b.id)
    changed = {name for entry in changes for name in entry.changed_fields}
    assert {"description", "name_en"} <= changed
    assert (
        AuditEntry.objects.filter(actor=coordinator.pseudonym, entity="directory.organisation").count() == 2
    )
    assert_nothing_leaked(world, received)

"""The canary test (issue 3): no protected value reaches anything it must not, and no internal value of an
organisation reaches another organisation's users or the public.

Given two organisations A and B with users of every role, and a unique canary string planted in every
internal and protected text field of the records B keeps; when A's users of every role and an anonymous
visitor go through the staff pages, the JSON API, the command line and the public site (asking to open
sealed values with a purpose too), B's protected readers open B's values with a purpose, and a coordinator
of A edits B's public fields; then no protected canary is in any response (headers included), CLI output,
log record (as the node's log formatter writes it), node log file, change-log payload or audit entry, and
no internal canary of B is in any of them except the change log, which carries B's internal values for
sync by design. Nor is any protected canary anywhere in the database after those workflows: protected
values are sealed (accounts/sealing.py), so every text column of every table, read raw, holds only their
ciphertext. The seized-server test (tests/test_seized_server.py) searches the files of a real node home.

Which fields get a canary is written down in ``khronika/testing/canaries.py``, and the first test fails when
a model gains an internal or protected field none of its lists names, or a protected field that is
neither sealed nor known to be stored in clear:

- ``PLANTED``: organisation internal notes, person notes, relationship notes, contact value and label (rows
  of the internal and protected tiers), practice note title, summary, outcome, lessons (internal rows) and
  who to ask (every row), user username, display name and email, API token name, lockdown reason, the names
  of second-factor devices, and what a sign-in lockout record keeps of the attempt;
- ``ADOPTED`` (generated, so the stored value itself is searched for): password hashes, API tokens (raw,
  prefix and hash), users' key pairs, TOTP secrets, recovery codes, and what sealing makes: B's group key,
  its shares, B's recovery key (its private half too, which is never stored) and the wrapped data keys;
- ``NOT_TEXT`` (skipped: ids, foreign keys, dates, numbers, flags, choices, JSON), among them
  ``accounts.user``: last_login, organisation, role, is_active; ``accounts.lockdown``: its people, times
  and locked_users; ``directory.practicenote``: area, region, happened_on, happened_precision; the
  bookkeeping columns of API tokens, keys, grants, sessions, second-factor devices and sign-in lockouts;
- ``LEFT_OUT`` (skipped, with the reason there): user pseudonym (the audit log names actors by it) and
  language code, auth groups (unused), sessions (written by Django), axes' access logs (switched off), the
  model and field names sealing keeps beside wrapped keys and grants, the recovery key's fingerprint (made
  to be printed), and the text columns of the change log and the audit log, which are searched as outputs.

Protected canaries the database may hold, by design or as a known limit: adopted key material and
secrets (wrapped keys, token hashes, TOTP secrets, which django-otp stores in clear) and, in
``STORED_IN_CLEAR``, what django-axes keeps of a failed sign-in until its lockout expires.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from khronika.accounts import keys
from khronika.accounts.models import Role
from khronika.accounts.policies import PROTECTED_READERS
from khronika.accounts.sealing import sealed_field_names
from khronika.accounts.second_factor import MANDATORY_ROLES, has_device
from khronika.accounts.services import api_token_create
from khronika.cli.main import main as khronika
from khronika.core import crypto
from khronika.core.logs import SafeFormatter
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.core.tiers import Tier, field_tier
from khronika.directory.models import AreaOfWork, ContactPoint, Organisation, OrganisationArea
from khronika.testing.canaries import (
    PLANTED,
    Canaries,
    Planted,
    Received,
    describe,
    leaks_in,
    plant_steward_records,
    stored_leaks,
    unaccounted_fields,
)
from khronika.testing.factories import TEST_PASSWORD
from khronika.testing.keys import opened
from khronika.testing.second_factor import verified_login

AREA = "places-of-detention"  # a sub-area: filters by its parent find it too
PARENT_AREA = "prisoners-rights"
REGION_B = "RU-PER"
DISTRICT_B = "volga"
PURPOSE = "verify"  # why readers ask to open sealed values here
# Searches for every planted value ("canary" is a word of each) and for B's records by facet.
SEARCHES = (
    {"q": "CANARY"},
    {"q": "canary protected"},
    {"q": "canary internal"},
    {"q": "Группа", "region": REGION_B},
    {"q": "", "area": PARENT_AREA},
)


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
    """A client signed in as ``user``; past the second factor and with the keyring unlocked when the user
    has one or must have one."""
    client = Client()
    if user.role in MANDATORY_ROLES or has_device(user):
        return verified_login(client, user)
    client.force_login(user)
    return client


# --- What the test reads at the end: logs, the change log, the audit log, the database ------------------


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


def _as_text(value: Any) -> str:
    """A column's value as the text it holds: strings as they are, bytes decoded, JSON (if the driver
    parsed it) dumped; ids, numbers and dates hold no text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return ""


def _session_data(encoded: str) -> str:
    """A session's data as Django keeps it is signed but only base64-encoded: decoded, so that the search
    sees what it holds."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    return json.dumps(store.decode(encoded), ensure_ascii=False)


def database_contents() -> Received:
    """Every row of every table of the database, read raw with a cursor (tables of models and tables
    without one alike): one output per row with its text values, and each session's data decoded."""
    received = Received()
    tables = connection.introspection.table_names()
    model_tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    assert model_tables <= set(tables), sorted(model_tables - set(tables))
    with connection.cursor() as cursor:
        for table in sorted(tables):
            # S608: the table names come from the database's own catalogue, quoted.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for number, row in enumerate(cursor.fetchall(), 1):
                values = dict(zip(columns, row, strict=True))
                texts = [f"{column}={text}" for column, value in values.items() if (text := _as_text(value))]
                received.add(f"database {table} row {number}", "\n".join(texts))
                if table == "django_session":
                    received.add(f"decoded session {number}", _session_data(values["session_data"]))
    return received


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


def _detail_of(organisation: Any) -> str:
    return reverse("directory:organisation_detail", kwargs={"organisation_id": organisation.id})


def desk_pages(world: World) -> list[tuple[str, dict[str, str]]]:
    """The case desk's pages: A's own desk (home, lists, referrals to A, the desk's settings), and B's
    request, the case it became and the forms on it, which are not A's to see (B refers its case to the
    court it keeps, not to A), asking to open their sealed values too; and B's public request form."""
    from khronika.cases.models import Case, Intake

    case = Case.objects.get(steward=world.org_b).pk
    intake = Intake.objects.get(steward=world.org_b).pk
    cases, intakes = reverse("cases:case_list"), reverse("cases:intake_list")
    pages = [
        (reverse("home"), {}),
        (_get(intakes, status=""), {}),
        (_get(intakes, status="case"), {"HX-Request": "true"}),
        (cases, {}),
        (_get(cases, open="on", region=REGION_B, category=AREA), {}),
        (_get(cases, mine="on"), {"HX-Request": "true"}),
        (reverse("cases:referral_list"), {}),
        (reverse("cases:help_desk"), {}),
        (_get(reverse("cases:case_create"), intake=str(intake)), {}),
        (reverse("public:organisation_request", kwargs={"organisation_id": world.org_b.id}), {}),
    ]
    for name in ("cases:case_detail", "cases:case_edit", "cases:referral_create"):
        pages.append((reverse(name, kwargs={"case_id": case}), {}))
    for name in ("cases:intake_detail", "cases:intake_edit"):
        pages.append((reverse(name, kwargs={"intake_id": intake}), {}))
    pages += [
        (_get(reverse("cases:case_detail", kwargs={"case_id": case}), purpose=PURPOSE), {}),
        (_get(reverse("cases:intake_detail", kwargs={"intake_id": intake}), purpose=PURPOSE), {}),
    ]
    return pages


def staff_pages(world: World) -> list[tuple[str, dict[str, str]]]:
    """Every page a user reads B on, as ``(path with query, headers)``; the detail pages of B and its
    person also asking to open sealed values."""
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
        *(
            (name, {"event_id": world.planted.event.id})
            for name in (
                "monitoring:event_detail",
                "monitoring:event_edit",
                "monitoring:event_delete",
                "monitoring:event_relate",
            )
        ),
    ]:
        pages.append((reverse(name, kwargs=kwargs), {}))
    pages += [
        (_get(_detail_of(world.org_b), purpose=PURPOSE), {}),
        (_get(reverse("directory:person_detail", kwargs={"person_id": person}), purpose=PURPOSE), {}),
        (_get(reverse("directory:person_list")), {}),
        (_get(reverse("directory:person_list"), q="Иванова"), {}),
        (_get(reverse("directory:networking_near"), area=PARENT_AREA, region=REGION_B), {}),
        (_get(reverse("directory:coverage_gaps"), district=DISTRICT_B), {}),
        (_get(reverse("directory:organisation_suggest"), field="target", target_query="Группа"), {}),
        (_get(reverse("monitoring:event_list")), {}),
        (_get(reverse("monitoring:event_list"), type="rally", since="2012", until="2012-05"), {}),
        (_get(reverse("monitoring:event_list"), type="public-assembly"), {"HX-Request": "true"}),
        *((_get(reverse("search:results"), **query), {}) for query in SEARCHES),
        (_get(reverse("search:results"), q="CANARY"), {"HX-Request": "true"}),
        (_get(reverse("search:suggest"), q="CANARY"), {}),
        *((_get(reverse("public:search"), **query), {}) for query in SEARCHES),
        *desk_pages(world),
    ]
    return pages + act_pages(world)


def act_pages(world: World) -> list[tuple[str, dict[str, str]]]:
    """The pages of what B's internal event holds (its acts with their perpetrators, sources,
    interventions, the bulk entry of detainees), asking to open sealed values too; and the statistics,
    which count B's internal acts for B alone."""
    from khronika.monitoring.models import Act, Intervention
    from khronika.monitoring.selectors import DIMENSIONS

    event = world.planted.event.id
    intervention = Intervention.objects.get(event_id=event).pk
    statistics = reverse("monitoring:statistics")
    pages = [
        (reverse(name, kwargs={"event_id": event}), {})
        for name in (
            "monitoring:act_create",
            "monitoring:information_add",
            "monitoring:intervention_add",
            "monitoring:detainees",
        )
    ]
    for act in Act.objects.filter(event_id=event).values_list("pk", flat=True):
        for name in ("monitoring:act_edit", "monitoring:act_delete", "monitoring:involvement_add"):
            pages.append((reverse(name, kwargs={"act_id": act}), {}))
        pages.append((_get(reverse("monitoring:act_edit", kwargs={"act_id": act}), purpose=PURPOSE), {}))
    return [
        *pages,
        (reverse("monitoring:intervention_edit", kwargs={"intervention_id": intervention}), {}),
        (_get(reverse("monitoring:event_detail", kwargs={"event_id": event}), purpose=PURPOSE), {}),
        *((_get(statistics, by=by), {}) for by in DIMENSIONS),
        (_get(statistics, by="region", region=REGION_B, act_type="administrative-detention"), {}),
        (_get(reverse("monitoring:statistics_csv"), by="perpetrator_type"), {}),
    ]


def a_reads_the_staff_pages(world: World, received: Received) -> None:
    """Every role of A on every staff page; B's page shows them B's network values, so a leak beside
    them would be seen."""
    detail_of_b = _detail_of(world.org_b)
    for role, user in world.users_a.items():
        client = signed_in(user)
        for path, headers in staff_pages(world):
            response = client.get(path, headers=headers)
            assert response.status_code in (200, 403, 404), (role, path, response.status_code)
            received.response(f"staff page {path} as {role} of A", response)
            if path == detail_of_b:
                assert response.status_code == 200, role
                for value in world.planted.seen_by_network:
                    assert value in response.content.decode(), (role, value)


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
    with every_log_record(caplog, received):
        a_reads_the_staff_pages(world, received)

    assert_nothing_leaked(world, received)


@pytest.mark.django_db
def test_the_lockdown_page_shows_users_of_another_organisation_no_protected_value(world, caplog):
    assert_no_protected_value(world, lockdown_pages(world, caplog))


@pytest.mark.django_db
def test_the_lockdown_page_shows_users_of_another_organisation_no_internal_value(world, caplog):
    assert_nothing_leaked(world, lockdown_pages(world, caplog))


# --- B reads its own records: the planting took ----------------------------------------------------------


def the_steward_reads_its_own_records(world: World, run: Any) -> dict[str, dict[str, str]]:
    """Every role of B reads B's page, then asks to open its sealed values with a purpose: on the page,
    through the API in the same browser session, and on the command line with the user's password.
    Returns what each read showed, by role."""
    b = world.org_b.id
    page = _detail_of(world.org_b)
    shown: dict[str, dict[str, str]] = {}
    for role, user in world.planted.users.items():
        client = signed_in(user)
        responses = {
            "page": client.get(page),
            "page opened": client.get(_get(page, purpose=PURPOSE)),
            "API opened": client.get(_get(f"/api/v1/organisations/{b}", purpose=PURPOSE)),
        }
        for what, response in responses.items():
            assert response.status_code == 200, (role, what, response.status_code)
        command = ("directory", "show", str(b), "--json", "--purpose", PURPOSE, "--password-stdin")
        code, out, err = run("--as", user.username, *command, stdin=f"{TEST_PASSWORD}\n")
        assert code == 0, (role, code, err)
        shown[role] = {what: response.content.decode() for what, response in responses.items()}
        shown[role]["command line opened"] = out
    return shown


@pytest.mark.django_db
def test_the_steward_sees_its_own_canaries_so_the_planting_took(world, caplog, run):
    received = Received()
    with every_log_record(caplog, received):
        shown = the_steward_reads_its_own_records(world, run)

    for role, reads in shown.items():
        for what, text in reads.items():
            assert world.planted.internal_notes in text, (role, what)
        if role in PROTECTED_READERS:
            # Sealed values stay closed until the reader says why they open them.
            assert world.planted.protected_contact not in reads["page"], role
            for what in ("page opened", "API opened", "command line opened"):
                assert world.planted.protected_contact in reads[what], (role, what)
        else:
            # B's users without a protected-reading role see B's internal values, never protected ones.
            of_role = [(f"{what} as {role} of B", text) for what, text in reads.items()]
            leaks = leaks_in(of_role, world.canaries, tiers={Tier.PROTECTED})
            assert not leaks, describe(leaks)
    # Logs written while B read and opened its own records hold nothing either.
    assert_nothing_leaked(world, received)


def _opened_by(model: type[Any], name: str, reader: Any) -> dict[str, Any]:
    """The sealed values of ``model.name`` that ``reader``'s key opens, mapped to their rows."""
    rows = model._default_manager.filter(**{f"{name}__startswith": crypto.PREFIX})
    return {opened(row, reader, purpose=PURPOSE).get(name, ""): row for row in rows}


@pytest.mark.django_db
def test_the_search_index_holds_no_protected_value(world):
    """Every planted canary searched as a phrase in an index read with every organisation's internal
    scope: no protected one is there; the internal ones of indexed fields are, so the search looks in the
    right place."""
    from khronika.search.engine import backend
    from khronika.search.indexer import index_rebuild
    from khronika.search.query import Scope, SearchRequest, parse

    assert index_rebuild().indexed > 0
    everyone = Scope(
        public_only=False, internal_stewards=frozenset(Organisation.objects.values_list("id", flat=True))
    )

    def hits(value: str) -> int:
        return (
            backend()
            .search(SearchRequest(query=parse(f'"{value}"'), scope=everyone, with_facets=False))
            .total
        )

    planted = [c for c in world.canaries.planted()]
    assert [c.value for c in planted if c.tier is Tier.PROTECTED and hits(c.value)] == []
    assert hits(world.planted.internal_notes) == 1


@pytest.mark.django_db
def test_every_planted_canary_is_stored_in_the_field_and_at_the_tier_it_names(world):
    planted = world.canaries.planted()
    assert {c.source for c in planted} == {
        f"{label}.{name}" for label, names in PLANTED.items() for name in names
    }
    reader = world.planted.users[Role.COORDINATOR]
    openings: dict[str, dict[str, Any]] = {}
    for canary in planted:
        label, name = canary.source.rsplit(".", 1)
        model = apps.get_model(label)
        in_clear = model._default_manager.filter(**{f"{name}__contains": canary.value}).first()
        if canary.tier is Tier.PROTECTED and name in sealed_field_names(model):
            # Sealed: the column holds ciphertext, and B's protected reader opens the canary from it.
            assert in_clear is None, f"{canary} is stored in clear"
            if canary.source not in openings:
                openings[canary.source] = _opened_by(model, name, reader)
            row = next((r for v, r in openings[canary.source].items() if canary.value in v), None)
            assert row is not None, f"{canary}: no sealed value of B opens to it"
            assert crypto.is_sealed(getattr(row, name)), canary
        else:
            row = in_clear
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
        _get(f"/api/v1/organisations/{b}", purpose=PURPOSE),
        f"/api/v1/organisations/{b}/similar",
        *(f"/api/v1/organisations/{org}/history" for org in (b, kept)),
        "/api/v1/persons",
        _get("/api/v1/persons", q="Иванова"),
        *(f"/api/v1/persons/{p}" for p in (person, colleague)),
        _get(f"/api/v1/persons/{person}", purpose=PURPOSE),
        _get("/api/v1/networking/near", area=PARENT_AREA, region=REGION_B),
        "/api/v1/networking/gaps",
        _get("/api/v1/networking/gaps", district=DISTRICT_B),
        "/api/v1/me",
        *(_get("/api/v1/search", **query) for query in SEARCHES),
        "/api/v1/events",
        _get("/api/v1/events", type="rally", since="2012"),
        f"/api/v1/events/{world.planted.event.id}",
        *(
            f"/api/v1/events/{world.planted.event.id}/{part}"
            for part in ("acts", "information", "interventions", "cases", "documents")
        ),
        _get(f"/api/v1/events/{world.planted.event.id}/acts", purpose=PURPOSE),
        _get("/api/v1/statistics", by="region"),
        *(f"/api/v1/{listing}" for listing in ("intakes", "cases", "tasks/mine", "referrals/received")),
    ]


def a_reads_the_api(world: World, received: Received) -> None:
    """Every role of A with a token of their own, and a caller without one, on every read; then every
    role of A asking to open B's sealed values in a signed-in browser session, which carries a keyring."""
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
    for role, user in world.users_a.items():
        session = signed_in(user)
        for path in (
            f"/api/v1/organisations/{world.org_b.id}",
            f"/api/v1/persons/{world.planted.persons[0].id}",
        ):
            response = session.get(_get(path, purpose=PURPOSE))
            assert response.status_code in (200, 403, 404), (role, path, response.status_code)
            received.response(f"API GET {path}?purpose= in the session of {role} of A", response)


@pytest.mark.django_db
def test_the_api_answers_users_of_another_organisation_no_internal_or_protected_value(world, caplog):
    received = Received()
    with every_log_record(caplog, received):
        a_reads_the_api(world, received)

    assert_nothing_leaked(world, received)


# --- The command line ------------------------------------------------------------------------------------


@pytest.fixture
def run(capsys, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """``run(*argv, stdin="")``: `khronika …` in-process (as khronika/cli/tests do), on a node home of its
    own, with ``stdin`` as its standard input."""
    monkeypatch.setenv("KHRONIKA_HOME", str(tmp_path))
    monkeypatch.delenv("KHRONIKA_ACTOR", raising=False)

    def invoke(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = khronika(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def a_runs_the_command_line(world: World, received: Received, run: Any) -> None:
    """Every role of A and an anonymous caller list and show B, A and B's court; A's users also ask to
    open B's sealed values with their password."""
    b, kept, a = (str(org.id) for org in (world.org_b, world.planted.kept, world.org_a))
    commands = [
        ("directory", "list", "--json"),
        ("directory", "list", "--json", "--region", REGION_B, "--area", PARENT_AREA),
        *(("directory", "show", org, "--json") for org in (b, kept, a)),
        ("directory", "show", b),
        ("search", "CANARY", "--json", "--facets"),
        ("search", "canary", "internal", "--facets"),
        ("search", "--filter", f"region={REGION_B}", "--json"),
    ]
    opening = ("directory", "show", b, "--json", "--purpose", PURPOSE, "--password-stdin")
    for who in [*(f"{role} of A" for role in world.users_a), "anonymous"]:
        actor = () if who == "anonymous" else ("--as", world.users_a[who.split(" ")[0]].username)
        for command in [*commands, *([opening] if actor else [])]:
            code, out, err = run(*actor, *command, stdin=f"{TEST_PASSWORD}\n")
            assert code in (0, 4), (who, command, code, err)
            assert "Traceback" not in out + err, (who, command)
            received.add(f"khronika {' '.join(command)} as {who} (exit {code})", f"{out}\n{err}")
            if code == 0 and actor and command[2:] == (b, "--json"):
                for value in world.planted.seen_by_network:
                    assert value in out, (who, value)


@pytest.mark.django_db
def test_the_command_line_prints_users_of_another_organisation_no_internal_or_protected_value(
    world, caplog, run, tmp_path
):
    received = Received()
    with every_log_record(caplog, received):
        a_runs_the_command_line(world, received, run)
    for path in tmp_path.rglob("*.log"):
        received.add(f"command line's node log {path.name}", path.read_bytes())

    assert_nothing_leaked(world, received)


# --- The public site -------------------------------------------------------------------------------------


def anonymous_reads_the_public_site(world: World, received: Received) -> None:
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
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        received.response(f"public page {path}", response)
    detail = client.get(reverse("public:organisation_detail", kwargs={"organisation_id": world.org_b.id}))
    assert detail.status_code == 200
    for value in world.planted.seen_by_public:
        assert value in detail.content.decode(), value


@pytest.mark.django_db
def test_the_public_site_shows_an_anonymous_visitor_no_internal_or_protected_value(world, caplog):
    received = Received()
    with every_log_record(caplog, received):
        anonymous_reads_the_public_site(world, received)

    assert_nothing_leaked(world, received)


# --- Editing: the change log and the audit log get entries -----------------------------------------------


def a_coordinator_of_a_edits_b(world: World, received: Received) -> None:
    """A's coordinator edits B's public fields on the staff pages and through the API (and is refused
    B's internal notes); A's editor is refused."""
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


@pytest.mark.django_db
def test_a_coordinator_of_another_organisation_editing_public_fields_leaks_nothing(world, caplog):
    received = Received()
    with every_log_record(caplog, received):
        a_coordinator_of_a_edits_b(world, received)

    b, coordinator = world.org_b, world.users_a["coordinator"]
    changes = ChangeLogEntry.objects.filter(entity="directory.organisation", entity_id=b.id)
    changed = {name for entry in changes for name in entry.changed_fields}
    assert {"description", "name_en"} <= changed
    assert (
        AuditEntry.objects.filter(actor=coordinator.pseudonym, entity="directory.organisation").count() == 2
    )
    assert_nothing_leaked(world, received)


# --- The database itself ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_holds_no_protected_value_after_every_workflow(world, run):
    # What the workflows answered is searched by the tests above; here, what they left in the database.
    answered = Received()
    a_reads_the_staff_pages(world, answered)
    a_reads_the_api(world, answered)
    a_runs_the_command_line(world, answered, run)
    anonymous_reads_the_public_site(world, answered)
    shown = the_steward_reads_its_own_records(world, run)
    a_coordinator_of_a_edits_b(world, answered)
    assert world.planted.protected_contact in shown[Role.COORDINATOR]["page opened"]

    stored = database_contents()

    leaks = stored_leaks(stored, world.canaries)
    assert not leaks, describe(leaks)
    # What would show a protected value there is there to be seen: the internal values (stored in clear
    # by design), the ciphertext of the protected contact, and the keyring halves in the decoded sessions.
    everything = "\n".join(text for _name, text in stored)
    assert world.planted.internal_notes in everything
    sealed = ContactPoint.objects.get(organisation=world.org_b, tier=Tier.PROTECTED.label).value
    assert crypto.is_sealed(sealed) and sealed in everything
    sessions = [text for name, text in stored if name.startswith("decoded session")]
    assert any(f'"{keys.SESSION_WRAPPED_KEY}"' in text for text in sessions), sessions

"""HTTP and sign-in hardening: the Content-Security-Policy on every page, the sign-in lockout (username +
address, not fooled by a forged X-Forwarded-For, the same for unknown usernames), and sessions (a new key
at sign-in, the absolute limit, sign out on every device, a disabled user signed out)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
import uuid

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from khronika import options
from khronika.accounts import services
from khronika.accounts.forms import SIGN_IN_FAILED
from khronika.accounts.middleware import SESSION_SIGNED_IN_AT, client_ip_address
from khronika.accounts.models import Lockdown, User
from khronika.core.errors import NotFound, PermissionDenied
from khronika.core.models import AuditEntry
from khronika.directory.models import Designation, Position, Relationship
from khronika.monitoring.services import event_create, event_relate
from khronika.testing.factories import (
    TEST_PASSWORD,
    ContactPointFactory,
    PersonFactory,
    PracticeNoteFactory,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LANGUAGE = reverse("accounts:language")
DIRECTORY = reverse("directory:organisation_list")
ACCOUNT = reverse("accounts:account")
SESSIONS_END = reverse("accounts:sessions_end")
WRONG = "not the password at all"
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


# --- Content-Security-Policy ---------------------------------------------------------------------------


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    parsed = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_first_party_only(response, where: str) -> dict[str, list[str]]:
    policy = directives(response)
    assert policy, f"{where}: no Content-Security-Policy"
    assert policy["default-src"] == ["'none'"], where
    sources = {source for values in policy.values() for source in values}
    # Only the page's own origin or nothing: no host, scheme, wildcard, nonce, hash or unsafe-* keyword.
    assert sources <= {"'self'", "'none'"}, (where, sources)
    return policy


def page_routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from page_routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if not route.startswith(("api/", "static/")):
                yield route


ROUTES = sorted(set(page_routes()))


@pytest.fixture
def directory(org_a, org_b, make_user):
    """Every kind of record a staff page names, kept by org_a, and an editor of org_a."""
    person = PersonFactory(steward=org_a)
    ids = {
        "organisation_id": org_a.id,
        "person_id": person.id,
        "contact_id": ContactPointFactory(organisation=org_a).id,
        "note_id": PracticeNoteFactory(organisation=org_a).id,
        "designation_id": Designation.objects.create(
            organisation=org_a, kind="foreign_agent", listed_on=dt.date(2022, 4, 8), version=1
        ).id,
        "position_id": Position.objects.create(
            person=person, organisation=org_a, title="юрист", version=1
        ).id,
        "relationship_id": Relationship.objects.create(
            source=org_a, target=org_b, kind="partner", version=1
        ).id,
        "lockdown_id": Lockdown.objects.create(
            organisation=org_b, expires_at=timezone.now() + dt.timedelta(hours=1), version=1
        ).id,
        "entity": "directory.contactpoint",
        "entity_id": ContactPointFactory(organisation=org_a, tier="protected").id,
        "user_id": make_user("lawyer", org_b).id,
    }
    monitor = make_user("monitor", org_a)
    event, other = (event_create(actor=monitor, values={"title": title}) for title in ("Пикет", "Суд"))
    ids["event_id"] = event.id
    ids["relation_id"] = event_relate(
        actor=monitor, event_id=event.id, relation="precedes", other_event_id=other.id
    ).id
    from khronika.monitoring.services import act_add, links

    ids["act_id"] = act_add(actor=monitor, event_id=event.id, values={"type": "torture"}).id
    from khronika.monitoring.services.documents import document_add

    ids["document_id"] = document_add(
        actor=monitor, event_id=event.id, title="Протокол", file_name="p.txt", content=b"protocol"
    ).id
    ids["involvement_id"] = links.involvement_add(
        actor=monitor, act_id=ids["act_id"], values={"perpetrator": "ОМОН", "degree": "ordered"}
    ).id
    ids["information_id"] = links.information_add(
        actor=monitor, event_id=event.id, values={"source_kind": "media", "reliability": "high"}
    ).id
    ids["intervention_id"] = links.intervention_add(
        actor=monitor, event_id=event.id, values={"type": "appeal", "status": "planned"}
    ).id
    ids["code"] = "event-types"
    from khronika.cases import services as desk

    desk_lawyer = make_user("lawyer", org_a)
    case = desk.case_open(actor=desk_lawyer, values={"title": "Дело"})
    ids["case_id"] = case.id
    intake = desk.intake_create(actor=desk_lawyer, values={"channel": "phone", "summary": "Помощь"})
    ids["intake_id"] = intake.id
    ids["task_id"] = desk.task_add(actor=desk_lawyer, case_id=case.id, values={"title": "Позвонить"}).id
    ids["referral_id"] = desk.referral_create(
        actor=desk_lawyer, case_id=case.id, partner_id=org_b.id, reason="Рядом", shared_summary="Штраф"
    ).id
    return {"ids": ids, "editor": make_user("editor", org_a)}


def concrete(route: str, ids: dict[str, uuid.UUID]) -> str:
    def value(match: re.Match[str]) -> str:
        return str(ids[match.group(1)])

    return "/" + re.sub(r"<(?:uuid|str|slug):(\w+)>", value, route)


def test_the_routes_of_the_staff_and_public_pages_were_found():
    assert {"directory/organisations/<uuid:organisation_id>/edit/", "accounts/me/", "public/"} <= set(ROUTES)


@pytest.mark.parametrize("route", ROUTES)
def test_every_page_sends_a_policy_with_no_other_origin_and_nothing_unsafe(client, directory, route):
    url = concrete(route, directory["ids"])
    anonymous = client.get(url)
    client.force_login(directory["editor"])
    signed_in = client.get(url)

    assert anonymous.status_code < 500 and signed_in.status_code < 500
    assert_first_party_only(anonymous, f"anonymous {url}")
    staff = assert_first_party_only(signed_in, f"signed-in {url}")
    if not route.startswith("public/"):
        assert staff["script-src"] == ["'self'"] and staff["connect-src"] == ["'self'"]
        assert staff["frame-ancestors"] == ["'none'"] and staff["base-uri"] == ["'none'"]


def test_the_public_site_narrows_the_policy_to_no_script_and_no_connection(client, org_a):
    org_a.is_public = True
    org_a.save(update_fields=["is_public"])
    for url in ("/public/", f"/public/organisations/{org_a.id}/", f"/public/organisations/{uuid.uuid4()}/"):
        response = client.get(url)
        policy = assert_first_party_only(response, url)
        assert "script-src" not in policy and "connect-src" not in policy, url
        assert policy["style-src"] == ["'self'"] and policy["form-action"] == ["'self'"]


# --- The sign-in lockout -------------------------------------------------------------------------------


def sign_in(client: Client, username: str, password: str, *, headers=None):
    headers = {"Accept-Language": "en", **(headers or {})}
    return client.post(LOGIN, {"username": username, "password": password}, headers=headers)


def without_csrf(response) -> str:
    return CSRF_VALUE.sub("", response.content.decode())


LIMIT = settings.AXES_FAILURE_LIMIT


def test_the_lockout_follows_the_node_options():
    assert LIMIT == settings.NODE.login_failure_limit == 5
    assert dt.timedelta(minutes=settings.NODE.login_lockout_minutes) == settings.AXES_COOLOFF_TIME


def test_wrong_passwords_lock_the_username_from_that_address_even_for_the_right_password(client, make_user):
    make_user("editor", username="anna")

    before = [sign_in(client, "anna", WRONG) for _ in range(LIMIT - 1)]
    locking = sign_in(client, "anna", WRONG)
    right = sign_in(client, "anna", TEST_PASSWORD)

    assert all(r.status_code == 200 and str(SIGN_IN_FAILED) in r.content.decode() for r in before)
    assert locking.status_code == right.status_code == 429
    assert "too many failed sign-ins" in right.content.decode()
    assert client.get(DIRECTORY).status_code == 302  # not signed in


def test_a_forged_x_forwarded_for_or_a_new_user_agent_does_not_escape_the_lockout(client, make_user):
    make_user("editor", username="anna")

    for attempt in range(LIMIT):
        forged = {"X-Forwarded-For": f"203.0.113.{attempt}", "User-Agent": f"browser {attempt}"}
        sign_in(client, "anna", WRONG, headers=forged)
    right = sign_in(client, "anna", TEST_PASSWORD, headers={"X-Forwarded-For": "198.51.100.99"})

    assert right.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_the_lockout_holds_one_username_at_one_address_only(client, make_user):
    make_user("editor", username="anna")
    make_user("editor", username="boris")
    for _ in range(LIMIT):
        sign_in(client, "anna", WRONG)

    elsewhere = sign_in(Client(REMOTE_ADDR="198.51.100.7"), "anna", TEST_PASSWORD)
    other_user = sign_in(client, "boris", TEST_PASSWORD)

    assert elsewhere.status_code == 302 and elsewhere["Location"] == DIRECTORY
    assert other_user.status_code == 302


def test_an_unknown_username_gets_the_same_answers_as_a_known_one(client, make_user):
    make_user("editor", username="anna")

    known = [sign_in(client, "anna", WRONG) for _ in range(LIMIT + 1)]
    unknown = [sign_in(client, "nobody-here", WRONG) for _ in range(LIMIT + 1)]

    assert (
        [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * (LIMIT - 1) + [429] * 2
    )
    assert without_csrf(known[-1]) == without_csrf(unknown[-1])
    assert "nobody-here" not in unknown[-1].content.decode()


def test_the_lockout_page_is_translated(client):
    for _ in range(LIMIT):
        locked = sign_in(client, "anna", WRONG, headers={"Accept-Language": "ru"})

    assert locked.status_code == 429
    text = locked.content.decode()
    assert '<html lang="ru">' in text and "Слишком много неудачных попыток входа" in text


def test_the_lockout_keeps_no_sign_in_log_and_nothing_typed_but_the_username(client, make_user):
    make_user("editor", username="anna")
    assert sign_in(client, "anna", TEST_PASSWORD).status_code == 302
    client.logout()

    client.post(
        f"{LOGIN}?next=/directory/%3Fq%3DCANARY-SEARCH",
        {"username": "anna", "password": "CANARY-PW", "next": "/directory/?q=CANARY-SEARCH"},
    )

    assert AccessLog.objects.count() == 0  # successful sign-ins are not logged
    attempt = AccessAttempt.objects.get()
    stored = attempt.get_data + attempt.post_data
    assert attempt.username == "anna" and attempt.failures_since_start == 1
    assert "CANARY" not in stored and "anna" not in stored


def test_start_up_cleanup_removes_expired_lockouts_and_sessions_and_keeps_live_ones(client, make_user):
    make_user("editor", username="anna")
    sign_in(client, "anna", WRONG)
    sign_in(client, "boris", WRONG)
    expired = timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    AccessAttempt.objects.filter(username="anna").update(attempt_time=expired)
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    live_session = Client()
    live_session.force_login(User.objects.get(username="anna"))

    services.sign_in_records_expire()

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["boris"]
    assert not Session.objects.filter(session_key="x" * 32).exists()
    assert live_session.get(DIRECTORY).status_code == 200


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("login_failure_limit", 0),
        ("login_lockout_minutes", 0),
        ("session_absolute_hours", 0),
        ("trusted_proxy_count", -1),
    ],
)
def test_a_security_option_that_would_switch_its_protection_off_is_refused(tmp_path, name, value):
    (tmp_path / options.OPTIONS_FILE).write_text(f"{name} = {value}\n")
    with pytest.raises(options.OptionsError, match=f"option {name}: expected a whole number of at least"):
        options.load(tmp_path)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.66, 203.0.113.5", "203.0.113.5"),  # the client wrote the first entry itself
        (2, "198.51.100.66, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "", "10.0.0.1"),  # fewer hops than proxies: the farthest known address
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_the_client_address_trusts_only_the_proxies_the_node_declares(settings, proxies, forwarded, expected):
    settings.NODE = dataclasses.replace(settings.NODE, trusted_proxy_count=proxies)
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip_address(request) == expected


# --- Sessions ------------------------------------------------------------------------------------------


def test_signing_in_gives_the_session_a_new_key(client, make_user):
    make_user("editor", username="anna")
    client.post(LANGUAGE, {"language": "en", "next": LOGIN})
    before = client.session.session_key
    assert before and Session.objects.filter(session_key=before).exists()

    assert sign_in(client, "anna", TEST_PASSWORD).status_code == 302

    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def age_session(client: Client, *, seconds: int) -> None:
    session = client.session
    session[SESSION_SIGNED_IN_AT] = int(time.time()) - seconds
    session.save()


def test_a_session_ends_at_the_absolute_limit_however_active(client, make_user):
    make_user("editor", username="anna")
    sign_in(client, "anna", TEST_PASSWORD)
    age_session(client, seconds=settings.SESSION_ABSOLUTE_AGE - 60)
    assert client.get(DIRECTORY).status_code == 200

    age_session(client, seconds=settings.SESSION_ABSOLUTE_AGE + 1)
    response = client.get(DIRECTORY)

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get(ACCOUNT).status_code == 302
    assert settings.SESSION_ABSOLUTE_AGE == settings.NODE.session_absolute_hours * 3600 == 12 * 3600


def test_an_htmx_request_past_the_limit_sends_the_whole_page_to_sign_in(client, make_user):
    client.force_login(make_user("editor"))
    age_session(client, seconds=settings.SESSION_ABSOLUTE_AGE + 1)

    response = client.get(DIRECTORY, headers={"HX-Request": "true"})

    assert response.status_code == 204 and response["HX-Redirect"].startswith(LOGIN)


def test_a_session_without_a_sign_in_time_starts_its_clock_at_its_first_request(client, make_user):
    client.force_login(make_user("editor"))
    assert SESSION_SIGNED_IN_AT not in client.session

    client.get(DIRECTORY)

    assert abs(client.session[SESSION_SIGNED_IN_AT] - time.time()) < 60


def test_the_account_page_shows_who_you_are_and_offers_to_sign_out_everywhere(client, make_user, org_a):
    client.force_login(make_user("editor", org_a, username="anna", display_name="Anna Ivanova"))

    page = client.get(ACCOUNT, headers={"Accept-Language": "en"}).content.decode()

    assert "Anna Ivanova" in page and "anna" in page and "Group A" in page and "editor" in page
    assert f'action="{SESSIONS_END}"' in page and "Sign out on every device" in page
    assert f'href="{ACCOUNT}"' in page  # the header links to it


def test_signing_out_everywhere_ends_every_session_of_the_user_and_no_one_elses(make_user):
    anna, boris = make_user("editor", username="anna"), make_user("editor", username="boris")
    laptop, phone, colleague = Client(), Client(), Client()
    laptop.force_login(anna)
    phone.force_login(anna)
    colleague.force_login(boris)

    response = laptop.post(SESSIONS_END)

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert laptop.get(DIRECTORY).status_code == 302
    assert phone.get(DIRECTORY).status_code == 302
    assert colleague.get(DIRECTORY).status_code == 200
    entry = AuditEntry.objects.get(action="accounts.user.sessions_end")
    assert entry.actor == anna.pseudonym and entry.entity_id == anna.pk


def test_signing_out_everywhere_takes_a_post(client, make_user):
    client.force_login(make_user("editor"))
    assert client.get(SESSIONS_END).status_code == 405
    assert client.get(DIRECTORY).status_code == 200


def test_an_administrator_ends_the_sessions_of_users_of_their_organisation_only(make_user, org_a, org_b):
    admin_a, member_a, member_b = (
        make_user("administrator", org_a),
        make_user("member", org_a),
        make_user("member", org_b),
    )
    device = Client()
    device.force_login(member_a)

    ended = services.user_sessions_end(actor=admin_a, user_id=member_a.pk)

    assert ended == 1 and device.get(DIRECTORY).status_code == 302
    with pytest.raises(PermissionDenied):
        services.user_sessions_end(actor=admin_a, user_id=member_b.pk)
    with pytest.raises(PermissionDenied):
        services.user_sessions_end(actor=member_b, user_id=admin_a.pk)
    with pytest.raises(NotFound):
        services.user_sessions_end(actor=admin_a, user_id=uuid.uuid4())


def test_a_disabled_user_is_sent_to_sign_in_at_their_next_request(client, make_user):
    user = make_user("editor")
    client.force_login(user)
    assert client.get(DIRECTORY).status_code == 200

    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(DIRECTORY)

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_ending_the_sessions_of_a_malformed_user_id_is_not_found_and_audits_nothing(make_user):
    with pytest.raises(NotFound):
        services.user_sessions_end(actor=make_user("editor"), user_id="not-a-uuid")
    assert not AuditEntry.objects.filter(action="accounts.user.sessions_end").exists()


@pytest.mark.django_db
def test_a_deleted_users_session_ends_at_their_next_request(client, make_user, org_a):
    from django.utils import timezone

    user = make_user("editor", org_a)
    client.force_login(user)
    assert client.get("/directory/").status_code == 200
    type(user).objects.filter(pk=user.pk).update(deleted_at=timezone.now())
    response = client.get("/directory/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

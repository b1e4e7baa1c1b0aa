"""The second factor: enrolment, the code after the password, recovery codes, throttling, the gate in front
of staff pages and the API, the user's own settings, and the operator's reset."""

import datetime as dt
import io
import json
import re
import sys
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from khronika.accounts import services
from khronika.accounts.second_factor import TooManyAttempts, secret_text
from khronika.accounts.services import api_token_create, user_second_factor_reset
from khronika.cli.main import main
from khronika.core.errors import NotFound, PermissionDenied, ValidationFailed
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.testing.factories import TEST_PASSWORD
from khronika.testing.second_factor import confirmed_authenticator

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
DIRECTORY = reverse("directory:organisation_list")
VERIFY = reverse("accounts:second_factor_verify")
ENROL = reverse("accounts:second_factor_enrol")
OVERVIEW = reverse("accounts:second_factor")
REGENERATE = reverse("accounts:second_factor_recovery_codes")
REMOVE = reverse("accounts:second_factor_remove")
ENGLISH = {"Accept-Language": "en"}


def text(response):
    return response.content.decode()


def code_of(device):
    """The next code the device accepts, computed from its key as an authenticator app would: the current
    time step, or a later one if a code of this step was used already (a code works once)."""
    device.refresh_from_db()
    now_step = int(time.time() - device.t0) // device.step
    step = max(now_step, device.last_t + 1)
    shifted_t0 = device.t0 - (step - now_step) * device.step
    return f"{totp(device.bin_key, step=device.step, t0=shifted_t0, digits=device.digits):06d}"


def wrong_code(device):
    right = code_of(device)
    return "000000" if right != "000000" else "111111"


def recovery_codes_of(page):
    return re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", text(page))


def wait_out_throttling(device):
    """Let the wait that earlier wrong codes imposed pass."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(days=1)
    )


@pytest.fixture
def coordinator(make_user, org_a):
    return make_user("coordinator", org_a, username="coordinator")


@pytest.fixture
def signed_in(client):
    """A client past the password only (no second factor yet), in English."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def enrol(client, user):
    """Enrol through the pages; returns the device and the recovery codes shown."""
    client.get(ENROL, headers=ENGLISH)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post(ENROL, {"code": code_of(device)}, headers=ENGLISH)
    assert page.status_code == 200, text(page)
    return TOTPDevice.objects.get(pk=device.pk), recovery_codes_of(page)


# --- The gate ------------------------------------------------------------------------------------------


def test_a_mandatory_role_cannot_reach_the_directory_or_the_api_before_enrolling(signed_in, coordinator):
    client = signed_in(coordinator)

    page = client.get(DIRECTORY)
    htmx = client.get(
        DIRECTORY, headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/directory/"}
    )
    api = client.get("/api/v1/organisations", headers=ENGLISH)

    assert page.status_code == 302 and page["Location"] == f"{ENROL}?next=%2Fdirectory%2F"
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == f"{ENROL}?next=%2Fdirectory%2F"
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "second_factor_required"
    assert client.get(VERIFY).status_code == 302  # no device to verify: on to enrolment
    assert client.get(OVERVIEW).status_code == 302
    assert client.get(reverse("public:organisation_list")).status_code == 200  # what anyone may read
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_a_bearer_token_is_a_credential_of_its_own_and_is_not_held_back(coordinator):
    _token, raw = api_token_create(actor=None, user=coordinator)

    response = Client().get("/api/v1/organisations", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200


def test_an_optional_role_without_a_device_goes_on_but_with_one_must_verify(signed_in, make_user, org_a):
    editor = make_user("editor", org_a)
    client = signed_in(editor)
    assert client.get(DIRECTORY).status_code == 200

    confirmed_authenticator(editor)

    response = client.get(DIRECTORY)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


# --- Enrolment -----------------------------------------------------------------------------------------


def test_enrolment_shows_the_key_as_inline_svg_and_text_then_ten_recovery_codes_once(signed_in, coordinator):
    client = signed_in(coordinator)

    page = client.get(ENROL, headers=ENGLISH)

    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed
    body = text(page)
    assert "<svg" in body and "<img" not in body
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", body))  # no inline script
    assert secret_text(device) in body and re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret_text(device))
    assert "no-store" in page["Cache-Control"]
    reloaded = client.get(ENROL, headers=ENGLISH)
    assert secret_text(device) in text(reloaded)  # a reload keeps the key that may have been scanned
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1

    done = client.post(ENROL, {"code": code_of(device), "next": "/directory/?q=x"}, headers=ENGLISH)

    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    codes = recovery_codes_of(done)
    assert len(codes) == len(set(codes)) == 10
    assert "offline" in text(done) and 'href="/directory/?q=x"' in text(done)
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=coordinator).count() == 10
    assert client.get(DIRECTORY).status_code == 200  # the session is verified
    assert client.get(ENROL)["Location"] == OVERVIEW  # shown once: no way back to the codes
    assert AuditEntry.objects.filter(
        action="accounts.user.second_factor_enrol", entity_id=coordinator.pk
    ).exists()


def test_a_wrong_first_code_is_refused_and_nothing_changes(signed_in, coordinator):
    client = signed_in(coordinator)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=coordinator)
    audits = AuditEntry.objects.count()

    refused = client.post(ENROL, {"code": wrong_code(device)}, headers=ENGLISH)
    not_digits = client.post(ENROL, {"code": "abcdefgh"}, headers=ENGLISH)

    assert refused.status_code == 422 and "This code is not right" in text(refused)
    assert secret_text(device) in text(refused)  # the same key, to try again
    assert not_digits.status_code == 422 and "6-digit code" in text(not_digits)
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    assert AuditEntry.objects.count() == audits
    assert client.get(DIRECTORY).status_code == 302


# --- Signing in -----------------------------------------------------------------------------------------


def test_after_the_password_a_user_with_an_authenticator_types_a_code(client, coordinator):
    device = confirmed_authenticator(coordinator)

    to_directory = client.post(
        LOGIN, {"username": "coordinator", "password": TEST_PASSWORD, "next": DIRECTORY}
    )
    to_code = client.get(to_directory["Location"])

    assert to_code.status_code == 302 and to_code["Location"] == f"{VERIFY}?next=%2Fdirectory%2F"
    form = client.get(to_code["Location"], headers=ENGLISH)
    assert form.status_code == 200 and 'name="code"' in text(form)

    wrong = client.post(VERIFY, {"code": wrong_code(device), "next": DIRECTORY}, headers=ENGLISH)
    assert wrong.status_code == 422 and "This code is not right" in text(wrong)
    assert client.get(DIRECTORY).status_code == 302

    wait_out_throttling(device)
    session_before = client.session.session_key
    done = client.post(VERIFY, {"code": code_of(device), "next": DIRECTORY})

    assert done.status_code == 302 and done["Location"] == DIRECTORY
    assert client.session.session_key != session_before  # a new session key once verified
    assert client.get(DIRECTORY).status_code == 200
    assert client.get("/api/v1/organisations").status_code == 200


def test_a_recovery_code_works_once_only(client, coordinator):
    client.force_login(coordinator)
    _device, codes = enrol(client, coordinator)
    first_code = codes[0]

    second = Client()
    second.force_login(coordinator)
    used = second.post(VERIFY, {"code": first_code.upper().replace("-", " ")})
    assert used.status_code == 302 and second.get(DIRECTORY).status_code == 200
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9
    assert AuditEntry.objects.filter(action="accounts.user.second_factor_recovery_code_use").count() == 1

    third = Client()
    third.force_login(coordinator)
    again = third.post(VERIFY, {"code": first_code}, headers=ENGLISH)
    assert again.status_code == 422 and "used already" in text(again)
    assert third.get(DIRECTORY).status_code == 302
    with pytest.raises(ValidationFailed):
        wait_out_throttling(StaticDevice.objects.get(user=coordinator))
        services.second_factor_verify(actor=coordinator, code=first_code)


def test_repeated_wrong_codes_make_the_user_wait_even_for_the_right_one(client, coordinator):
    device = confirmed_authenticator(coordinator)

    with pytest.raises(ValidationFailed):
        services.second_factor_verify(actor=coordinator, code=wrong_code(device))
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # counted, although the service refused
    with translation.override("en"), pytest.raises(TooManyAttempts) as throttled:
        services.second_factor_verify(actor=coordinator, code=code_of(device))
    assert "Wait 2 seconds" in throttled.value.message  # OTP_TOTP_THROTTLE_FACTOR 2: 2 s after one

    for _attempt in range(3):
        wait_out_throttling(device)
        with pytest.raises(ValidationFailed):
            services.second_factor_verify(actor=coordinator, code=wrong_code(device))
    device.refresh_from_db()
    assert device.throttling_failure_count == 4
    client.force_login(coordinator)
    page = client.post(VERIFY, {"code": code_of(device)}, headers=ENGLISH)
    assert page.status_code == 429 and "Too many wrong codes" in text(page)
    assert client.get(DIRECTORY).status_code == 302

    wait_out_throttling(device)
    assert services.second_factor_verify(actor=coordinator, code=code_of(device)) == device
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


# --- The user's own settings ------------------------------------------------------------------------------


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(client, coordinator):
    client.force_login(coordinator)
    device, old_codes = enrol(client, coordinator)
    overview = client.get(OVERVIEW, headers=ENGLISH)
    assert overview.status_code == 200 and "Recovery codes left" in text(overview)
    assert "Remove the second factor" not in text(overview)  # a coordinator must keep it

    refused = client.post(REGENERATE, {"regenerate-code": wrong_code(device)}, headers=ENGLISH)
    assert refused.status_code == 422 and "This code is not right" in text(refused)
    assert StaticToken.objects.filter(device__user=coordinator, token=old_codes[0].replace("-", "")).exists()

    wait_out_throttling(device)
    page = client.post(REGENERATE, {"regenerate-code": code_of(device)}, headers=ENGLISH)

    new_codes = recovery_codes_of(page)
    assert page.status_code == 200 and len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    stored = set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in new_codes}


def test_an_optional_role_may_remove_its_second_factor_and_a_mandatory_one_may_not(client, make_user, org_a):
    editor = make_user("editor", org_a)
    client.force_login(editor)
    device, _codes = enrol(client, editor)

    assert client.post(REMOVE, {"remove-code": "123"}, headers=ENGLISH).status_code == 422
    assert TOTPDevice.objects.filter(user=editor).exists()
    wait_out_throttling(device)
    removed = client.post(REMOVE, {"remove-code": code_of(device)})

    assert removed.status_code == 302 and removed["Location"] == OVERVIEW
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    assert client.get(DIRECTORY).status_code == 200

    lawyer = make_user("lawyer", org_a)
    lawyers_device = confirmed_authenticator(lawyer)
    with pytest.raises(PermissionDenied):
        services.second_factor_remove(actor=lawyer, code=code_of(lawyers_device))
    assert TOTPDevice.objects.filter(user=lawyer).exists()


# --- The operator's reset -----------------------------------------------------------------------------------


def test_the_reset_removes_every_device_and_the_verified_session_must_enrol_again(
    client, coordinator, verified_login, make_user, org_b
):
    client.force_login(coordinator)
    enrol(client, coordinator)
    assert client.get(DIRECTORY).status_code == 200

    result = user_second_factor_reset(actor=None, user_id=coordinator.pk)

    assert (result.authenticators, result.recovery_codes, result.mandatory) == (1, 10, True)
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    assert client.get(DIRECTORY)["Location"].startswith(ENROL)
    entry = AuditEntry.objects.get(action="accounts.user.second_factor_reset")
    assert entry.entity_id == coordinator.pk and entry.actor == "system"

    admin_elsewhere = make_user("administrator", org_b)
    with pytest.raises(PermissionDenied):
        user_second_factor_reset(actor=admin_elsewhere, user_id=coordinator.pk)
    with pytest.raises(NotFound):
        user_second_factor_reset(actor=None, user_id="not-an-id")


@pytest.fixture
def run(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("KHRONIKA_HOME", str(tmp_path))
    monkeypatch.delenv("KHRONIKA_ACTOR", raising=False)

    def invoke(*argv):
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code = main(list(argv))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        return code, captured.out, captured.err

    return invoke


def test_the_reset_command_says_what_it_removed(run, coordinator):
    confirmed_authenticator(coordinator)

    with translation.override("en"):
        code, out, _err = run("mfa", "reset", "--user", "coordinator")
        again_code, again_out, _again_err = run("mfa", "reset", "--user", "coordinator")
        unknown_code, _out, unknown_err = run("mfa", "reset", "--user", "nobody")

    assert (
        code == 0 and "second factor of coordinator (authenticator apps: 1, unused recovery codes: 0)" in out
    )
    assert "set up a new one at their next sign-in" in out
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert again_code == 0 and "nothing was removed" in again_out
    assert unknown_code == 4 and unknown_err.startswith("khronika: ")
    assert AuditEntry.objects.filter(action="accounts.user.second_factor_reset").count() == 2


# --- Secrets stay secret ------------------------------------------------------------------------------------


def test_the_secret_and_the_codes_never_reach_the_audit_the_change_log_or_the_node_log(
    client, coordinator, caplog, run
):
    caplog.set_level("DEBUG")
    client.force_login(coordinator)
    device, codes = enrol(client, coordinator)
    wrong = client.post(REGENERATE, {"regenerate-code": wrong_code(device)})  # throttled next: logged
    throttled = client.post(REGENERATE, {"regenerate-code": code_of(device)})
    assert (wrong.status_code, throttled.status_code) == (422, 429)
    used = Client()
    used.force_login(coordinator)
    used.post(VERIFY, {"code": codes[0]})
    run("mfa", "reset", "--user", "coordinator")

    secrets = [device.key, secret_text(device).replace(" ", ""), *[c.replace("-", "") for c in codes]]
    audit = json.dumps(list(AuditEntry.objects.values()), default=str)
    changes = json.dumps(list(ChangeLogEntry.objects.values()), default=str)
    node_log = settings.HOME / "khronika.log"
    logs = caplog.text + (node_log.read_text() if node_log.exists() else "")
    assert "throttled" in logs  # the log was written, and holds no secret
    for secret in secrets:
        for where in (audit, changes, logs):
            assert secret not in where and secret.upper() not in where

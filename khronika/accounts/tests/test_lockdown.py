"""Panic: every account of a group locked, sessions ended, tokens revoked; two coordinators in the web
interface, the node operator alone at the command line; lifting re-enables exactly those accounts."""

import datetime as dt

import pytest
from django.utils import timezone

from khronika.accounts import lockdown
from khronika.accounts.models import Lockdown, User
from khronika.accounts.services import api_token_create
from khronika.core.errors import Conflict, PermissionDenied
from khronika.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_b(make_user, org_b, client):
    members = [make_user(role, org_b) for role in ("administrator", "editor", "member")]
    disabled_before = make_user("viewer", org_b, is_active=False)
    client.force_login(members[1])
    _token, raw = api_token_create(actor=None, user=members[1])
    return {"members": members, "disabled_before": disabled_before, "raw_token": raw}


def active(users):
    return [User.objects.get(pk=u.pk).is_active for u in users]


def test_in_the_web_interface_one_coordinator_asks_and_another_confirms(
    client, make_user, org_a, org_b, group_b
):
    first, second = make_user("coordinator", org_a), make_user("coordinator", org_a)
    asked = lockdown.lockdown_request(actor=first, organisation_id=org_b.id, reason="raid")
    assert active(group_b["members"]) == [True, True, True]
    with pytest.raises(PermissionDenied):
        lockdown.lockdown_confirm(actor=first, lockdown_id=asked.id)
    with pytest.raises(Conflict):
        lockdown.lockdown_request(actor=second, organisation_id=org_b.id)

    lockdown.lockdown_confirm(actor=second, lockdown_id=asked.id)

    assert active(group_b["members"]) == [False, False, False]
    with pytest.raises(Conflict):
        lockdown.lockdown_confirm(actor=second, lockdown_id=asked.id)


def test_only_coordinators_of_the_network_and_the_groups_own_administrators_may_ask(make_user, org_a, org_b):
    with pytest.raises(PermissionDenied):
        lockdown.lockdown_request(actor=make_user("editor", org_b), organisation_id=org_b.id)
    with pytest.raises(PermissionDenied):
        lockdown.lockdown_request(actor=make_user("administrator", org_a), organisation_id=org_b.id)
    assert lockdown.lockdown_request(actor=make_user("administrator", org_b), organisation_id=org_b.id)


def test_an_expired_request_cannot_be_confirmed(make_user, org_a, org_b, group_b):
    asked = lockdown.lockdown_request(actor=make_user("coordinator", org_a), organisation_id=org_b.id)
    Lockdown.objects.filter(pk=asked.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(Conflict):
        lockdown.lockdown_confirm(actor=make_user("coordinator", org_a), lockdown_id=asked.id)
    assert active(group_b["members"]) == [True, True, True]


def test_the_pages_take_two_coordinators(client, make_user, org_a, org_b, group_b):
    from khronika.testing.second_factor import verified_login

    first, second = make_user("coordinator", org_a), make_user("coordinator", org_a)
    verified_login(client, first)
    assert client.get("/accounts/lockdown/").status_code == 200
    client.post("/accounts/lockdown/", {"organisation": str(org_b.id), "reason": "raid"})
    waiting = Lockdown.objects.get(organisation=org_b)
    assert client.post(f"/accounts/lockdown/{waiting.id}/confirm/").status_code == 403
    assert active(group_b["members"]) == [True, True, True]

    verified_login(client, second)
    assert client.post(f"/accounts/lockdown/{waiting.id}/confirm/").status_code == 302
    assert active(group_b["members"]) == [False, False, False]
    assert TEST_PASSWORD  # the members' passwords are untouched; only their accounts are disabled


def test_members_do_not_reach_the_lockdown_page(client, make_user, org_a):
    client.force_login(make_user("member", org_a))
    assert client.get("/accounts/lockdown/").status_code == 403


def test_a_coordinator_who_locks_their_own_group_is_signed_out_cleanly(client, make_user, org_a):
    from khronika.testing.second_factor import verified_login

    first, second = make_user("coordinator", org_a), make_user("administrator", org_a)
    asked = lockdown.lockdown_request(actor=first, organisation_id=org_a.id)
    verified_login(client, second)
    response = client.post(f"/accounts/lockdown/{asked.id}/confirm/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert active([first, second]) == [False, False]

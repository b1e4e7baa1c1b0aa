"""`khronika panic`: the node operator locks a group at once, and lifts exactly what was locked."""

import pytest
from django.contrib.sessions.models import Session

from khronika.accounts.models import User
from khronika.accounts.services import api_token_authenticate, api_token_create

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


def test_the_operator_locks_a_group_at_once_and_lifts_exactly_what_was_locked(
    run, org_a, org_b, group_b, make_user, client
):
    outsider = make_user("editor", org_a)
    assert Session.objects.count() == 1

    result = run("panic", "--group", str(org_b.id), "--yes", "--reason", "office searched")

    assert result.code == 0
    assert active(group_b["members"]) == [False, False, False]
    assert User.objects.get(pk=outsider.pk).is_active
    assert Session.objects.count() == 0
    assert api_token_authenticate(group_b["raw_token"]) is None
    assert client.get("/directory/").status_code == 302

    assert run("panic", "--group", str(org_b.id), "--lift", "--yes").code == 0
    assert active(group_b["members"]) == [True, True, True]
    assert not User.objects.get(pk=group_b["disabled_before"].pk).is_active  # was disabled already


def test_without_yes_the_operator_is_asked_and_a_no_does_nothing(run, org_b, group_b):
    result = run("panic", "--group", str(org_b.id), stdin="n\n")
    assert result.code == 2
    assert active(group_b["members"]) == [True, True, True]

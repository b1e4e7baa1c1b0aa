"""`khronika passwd`: a forgotten password is reset by the operator; the user gets a new key."""

import pytest
from django.contrib.sessions.models import Session

from khronika.accounts import keys
from khronika.accounts.models import User, UserKey

pytestmark = pytest.mark.django_db


def test_the_operator_sets_a_new_password_and_the_user_gets_a_new_key(run, make_user, org_a, client):
    user = make_user("editor", org_a, key=False)
    keys.user_key_create(user=user, passphrase="the forgotten password")
    old_public = UserKey.objects.get(user=user).public_key
    client.force_login(user)

    result = run("passwd", user.username, "--password-stdin", stdin="a new long password\n")

    assert result.code == 0
    assert User.objects.get(pk=user.pk).check_password("a new long password")
    assert UserKey.objects.get(user=user).public_key != old_public
    keys.user_key_unlock(user=user, passphrase="a new long password")
    assert Session.objects.count() == 0


def test_a_too_short_password_changes_nothing(run, make_user, org_a):
    user = make_user("editor", org_a)
    result = run("passwd", user.username, "--password-stdin", stdin="short\n")
    assert result.code == 2
    assert not User.objects.get(pk=user.pk).check_password("short")


def test_an_administrator_of_another_group_may_not_reset(run, make_user, org_a, org_b):
    user = make_user("editor", org_a)
    admin_b = make_user("administrator", org_b)
    result = run(
        "--as", admin_b.username, "passwd", user.username, "--password-stdin", stdin="a new long password\n"
    )
    assert result.code == 3

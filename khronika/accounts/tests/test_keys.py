"""Users' key pairs: made with a passphrase, opened only with it, split between cookie and session."""

import pytest

from khronika.accounts import keys
from khronika.accounts.models import UserKey
from khronika.core import crypto
from khronika.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cheap_argon2(settings):
    settings.KHRONIKA_ARGON2_COST = (1, 8192)


def test_a_new_key_opens_with_the_passphrase_and_is_stored_only_wrapped(make_user, org_a):
    user = make_user("lawyer", org_a, key=False)
    key = keys.user_key_create(user=user, passphrase="correct horse battery staple")
    halves = keys.user_key_unlock(user=user, passphrase="correct horse battery staple")
    private = keys.private_key_from_halves(
        cookie_value=halves.cookie_value, session_value=halves.session_value
    )

    data_key = crypto.new_data_key()
    assert crypto.unwrap_key(crypto.wrap_key(data_key, keys.public_key_of(user)), private) == data_key
    assert private.hex() not in key.private_key_wrapped
    assert AuditEntry.objects.filter(action="accounts.user_key.create", entity_id=user.pk).count() == 1


def test_a_wrong_passphrase_does_not_unlock(make_user, org_a):
    user = make_user("lawyer", org_a, key=False)
    keys.user_key_create(user=user, passphrase="right one here")
    with pytest.raises(keys.KeyUnavailable):
        keys.user_key_unlock(user=user, passphrase="wrong one here")


def test_the_server_half_alone_opens_nothing(make_user, org_a):
    user = make_user("lawyer", org_a, key=False)
    halves = keys.user_key_unlock(user=user, passphrase="first sign-in makes the key")
    with pytest.raises(keys.KeyUnavailable):
        keys.private_key_from_halves(cookie_value=None, session_value=halves.session_value)
    forged_cookie, _ = crypto.session_wrap(crypto.new_key_pair().private)
    with pytest.raises(keys.KeyUnavailable):
        keys.private_key_from_halves(cookie_value=forged_cookie, session_value=halves.session_value)


def test_a_passphrase_change_keeps_the_key_pair(make_user, org_a):
    user = make_user("lawyer", org_a, key=False)
    keys.user_key_create(user=user, passphrase="old passphrase")
    public_before = UserKey.objects.get(user=user).public_key
    keys.user_key_rewrap(user=user, old_passphrase="old passphrase", new_passphrase="new passphrase")
    assert UserKey.objects.get(user=user).public_key == public_before
    keys.user_key_unlock(user=user, passphrase="new passphrase")
    with pytest.raises(keys.KeyUnavailable):
        keys.user_key_unlock(user=user, passphrase="old passphrase")

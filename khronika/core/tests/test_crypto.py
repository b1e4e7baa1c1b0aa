"""The sealing scheme: each piece opens only with its own key, and altered data never opens."""

import base64

import pytest

from khronika.core import crypto

FAST = crypto.Argon2Cost(opslimit=1, memlimit=8192)  # tests need no protection from brute force


def test_a_value_opens_with_its_data_key_only():
    key, other = crypto.new_data_key(), crypto.new_data_key()
    sealed = crypto.seal(key, "Иванова Анна, +7 900 000-00-01")
    assert crypto.is_sealed(sealed) and "Иванова" not in sealed
    assert crypto.unseal(key, sealed) == "Иванова Анна, +7 900 000-00-01"
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(other, sealed)


def test_two_seals_of_the_same_value_differ():
    key = crypto.new_data_key()
    assert crypto.seal(key, "same") != crypto.seal(key, "same")


def test_an_altered_value_does_not_open():
    key = crypto.new_data_key()
    sealed = crypto.seal(key, "text")
    # Flip one bit of the ciphertext itself: the last base64 characters may be padding or unused bits.
    raw = bytearray(base64.urlsafe_b64decode(sealed[len(crypto.PREFIX) :]))
    raw[-1] ^= 0x01
    flipped = crypto.PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode("ascii")
    assert flipped != sealed
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(key, flipped)
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(key, "plain text")


def test_a_wrapped_data_key_opens_for_its_recipient_only():
    alice, bob = crypto.new_key_pair(), crypto.new_key_pair()
    key = crypto.new_data_key()
    wrapped = crypto.wrap_key(key, alice.public)
    assert crypto.unwrap_key(wrapped, alice.private) == key
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap_key(wrapped, bob.private)


def test_a_private_key_opens_with_the_passphrase_only():
    pair = crypto.new_key_pair()
    wrapped = crypto.passphrase_wrap(pair.private, "correct horse battery staple", FAST)
    assert pair.private.hex() not in wrapped
    assert crypto.passphrase_unwrap(wrapped, "correct horse battery staple") == pair.private
    with pytest.raises(crypto.CryptoError, match="wrong passphrase"):
        crypto.passphrase_unwrap(wrapped, "correct horse battery stapler")


def test_the_cost_travels_with_the_wrap_so_old_wraps_stay_readable():
    pair = crypto.new_key_pair()
    cheap = crypto.passphrase_wrap(pair.private, "pass", FAST)
    assert crypto.PassphraseWrap.decode(cheap).cost == FAST
    assert crypto.passphrase_unwrap(cheap, "pass") == pair.private


def test_the_session_halves_open_the_private_key_only_together():
    pair = crypto.new_key_pair()
    cookie_key, server_half = crypto.session_wrap(pair.private)
    assert crypto.session_unwrap(cookie_key, server_half) == pair.private
    other_cookie, _ = crypto.session_wrap(pair.private)
    with pytest.raises(crypto.CryptoError):
        crypto.session_unwrap(other_cookie, server_half)
    with pytest.raises(crypto.CryptoError):
        crypto.session_unwrap("not base64 at all!", server_half)


def test_a_chain_user_to_group_to_value_opens_end_to_end():
    user, group = crypto.new_key_pair(), crypto.new_key_pair()
    group_private_for_user = crypto.wrap_key(group.private, user.public)
    data_key = crypto.new_data_key()
    sealed = crypto.seal(data_key, "witness: CANARY")
    wrapped_for_group = crypto.wrap_key(data_key, group.public)

    group_private = crypto.unwrap_key(group_private_for_user, user.private)
    assert crypto.unseal(crypto.unwrap_key(wrapped_for_group, group_private), sealed) == "witness: CANARY"

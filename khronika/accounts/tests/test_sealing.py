"""Sealed protected values: stored only as ciphertext, opened only with a member's key and a purpose,
granted and revoked, destroyed on deletion, and kept openable as members come, go and lose their keys."""

import pytest

from khronika.accounts import keys, sealing
from khronika.accounts.models import Grant, GroupKey, GroupKeyShare, ValueKey
from khronika.core import crypto
from khronika.core.changes import save_record
from khronika.core.errors import PermissionDenied, ValidationFailed
from khronika.core.models import AuditEntry, ChangeOperation
from khronika.directory import selectors
from khronika.directory.models import ContactPoint
from khronika.testing.factories import TEST_PASSWORD, ContactPointFactory, PracticeNoteFactory
from khronika.testing.keys import keyring_for, members_sign_in, opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user, org_a):
    return make_user("coordinator", org_a)


@pytest.fixture
def secret(coordinator, org_a):
    return ContactPointFactory(organisation=org_a, tier="protected", value="+7 900 000 11 22", label="дочь")


def copies(instance, **filters):
    return ValueKey.objects.filter(entity=instance._meta.label_lower, entity_id=instance.pk, **filters)


def test_a_protected_value_is_stored_only_as_ciphertext_with_a_key_copy_for_the_group(secret, org_a):
    stored = ContactPoint.objects.values("value", "label").get(pk=secret.pk)

    assert all(crypto.is_sealed(text) for text in stored.values())
    assert "000 11 22" not in str(stored) and "дочь" not in str(stored)
    group_key = GroupKey.objects.get(organisation=org_a)
    assert sorted(copies(secret, group_key=group_key).values_list("field", flat=True)) == ["label", "value"]


def test_a_network_value_stays_plain_and_has_no_key(org_a):
    plain = ContactPointFactory(organisation=org_a, tier="network", value="office@example.org")

    assert ContactPoint.objects.get(pk=plain.pk).value == "office@example.org"
    assert not copies(plain).exists()


def test_a_member_who_reads_protected_values_opens_them_and_each_opening_is_audited(secret, coordinator):
    keyring = keyring_for(coordinator)

    values = sealing.open_record(secret, keyring=keyring, purpose="contact")

    assert values == {"value": "+7 900 000 11 22", "label": "дочь"}
    entry = AuditEntry.objects.get(action="directory.contactpoint.open")
    assert (entry.actor, entry.purpose, entry.fields) == (
        coordinator.pseudonym,
        "contact",
        ["label", "value"],
    )
    # (a distinctive part of the value: a short one may turn up in the entry's hex hashes by chance)
    assert "000 11 22" not in str(entry.__dict__) and "дочь" not in str(entry.__dict__)


def test_opening_needs_a_purpose_from_the_list(secret, coordinator):
    with pytest.raises(ValidationFailed) as caught:
        sealing.open_record(secret, keyring=keyring_for(coordinator), purpose="curious")

    assert "purpose" in caught.value.fields
    assert not AuditEntry.objects.filter(action__endswith=".open").exists()


def test_the_key_of_another_organisation_opens_nothing_even_past_the_policies(secret, make_user, org_b):
    outsider = make_user("coordinator", org_b)
    ContactPointFactory(organisation=org_b, tier="protected", value="b")  # B has a group key of its own

    assert sealing.open_record(secret, keyring=keyring_for(outsider), purpose="verify") == {}


def test_an_editor_without_the_group_key_opens_nothing(secret, make_user, org_a):
    editor = make_user("editor", org_a)

    assert sealing.open_record(secret, keyring=keyring_for(editor), purpose="verify") == {}


def test_lowering_the_tier_of_a_sealed_value_needs_the_value_again(secret):
    secret.tier = "network"
    with pytest.raises(sealing.SealedValueError):
        secret.save()

    secret.value, secret.label = "+7 900 000 11 22", ""
    secret.save()
    assert ContactPoint.objects.get(pk=secret.pk).value == "+7 900 000 11 22"
    assert not copies(secret).exists()


def test_deleting_a_record_destroys_its_value_and_every_copy_of_its_key(secret, coordinator):
    # given a copy of the stored row, as an old backup would hold
    backup = ContactPoint.objects.values("value").get(pk=secret.pk)["value"]
    keyring = keyring_for(coordinator)

    save_record(secret, actor=coordinator, operation=ChangeOperation.DELETE)

    assert ContactPoint.objects.get(pk=secret.pk).value == ""
    assert not copies(secret).exists()
    # the old ciphertext now opens with no key the node holds
    assert keyring.data_key(ValueKey.objects.filter(entity_id=secret.pk)) is None
    assert crypto.is_sealed(backup)


def test_clearing_a_value_destroys_its_key(make_user, org_a, coordinator):
    note = PracticeNoteFactory(organisation=org_a, who_to_ask="Сидорова")
    assert copies(note, field="who_to_ask").exists()

    note.who_to_ask = ""
    note.save()

    assert not copies(note).exists()


def test_a_new_member_opens_values_once_a_member_who_holds_the_group_key_has_signed_in(
    secret, make_user, org_a, coordinator
):
    lawyer = make_user("lawyer", org_a)
    share = GroupKeyShare.objects.get(user=lawyer)
    assert share.wrapped_private == ""  # the server alone cannot make it
    assert (
        sealing.open_record(
            secret, keyring=sealing.keyring_with_passphrase(lawyer, TEST_PASSWORD), purpose="verify"
        )
        == {}
    )

    keys.user_key_unlock(user=coordinator, passphrase=TEST_PASSWORD)  # the coordinator signs in

    assert opened(secret, lawyer)["value"] == "+7 900 000 11 22"


def test_a_member_who_leaves_the_role_loses_the_share_and_the_group_gets_a_new_key(
    secret, make_user, org_a, coordinator
):
    monitor = make_user("monitor", org_a)
    members_sign_in(org_a.id)
    old_group_private = keyring_for(monitor).group_private(GroupKey.objects.get(organisation=org_a).pk)
    old_public = GroupKey.objects.get(organisation=org_a).public_key
    old_data_key = keyring_for(monitor).data_key(copies(secret, field="value"))

    monitor.role = "member"
    monitor.save()

    group_key = GroupKey.objects.get(organisation=org_a)
    assert group_key.rotation_due and not GroupKeyShare.objects.filter(user=monitor).exists()
    keys.user_key_unlock(user=coordinator, passphrase=TEST_PASSWORD)  # a holder comes online
    group_key.refresh_from_db()
    assert not group_key.rotation_due and group_key.public_key != old_public
    # the group key the monitor may have kept opens no copy stored now
    for copy in copies(secret, group_key=group_key):
        with pytest.raises(crypto.CryptoError):
            crypto.unwrap_key(copy.wrapped, old_group_private)
    # nor does a data key it opened before: the values were sealed again under new keys
    secret.refresh_from_db()
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(old_data_key, secret.value)
    assert opened(secret, coordinator)["value"] == "+7 900 000 11 22"


def test_a_grant_lets_one_user_of_another_organisation_open_one_record_and_revoking_reseals_it(
    secret, coordinator, make_user, org_a, org_b
):
    partner = make_user("lawyer", org_b)
    sealing.access_grant(
        actor=coordinator,
        keyring=keyring_for(coordinator),
        instance=secret,
        user_id=partner.pk,
        purpose="referral",
    )

    card = selectors.organisation_get(
        actor=partner,
        organisation_id=org_a.id,
        opening=sealing.Opening(keyring=keyring_for(partner), purpose="referral"),
    )
    assert [c["value"] for c in card.contacts if c["tier"] == "protected"] == ["+7 900 000 11 22"]
    kept_copy = copies(secret, user=partner, field="value").get().wrapped
    before = ContactPoint.objects.get(pk=secret.pk).value

    sealing.access_revoke(
        actor=coordinator, keyring=keyring_for(coordinator), instance=secret, user_id=partner.pk
    )

    secret.refresh_from_db()
    assert secret.value != before and crypto.is_sealed(secret.value)
    stale_key = crypto.unwrap_key(kept_copy, keyring_for(partner).private)
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(stale_key, secret.value)
    assert sealing.open_record(secret, keyring=keyring_for(partner), purpose="referral") == {}
    assert opened(secret, coordinator)["value"] == "+7 900 000 11 22"
    assert not selectors.organisation_get(actor=partner, organisation_id=org_a.id).contacts
    assert Grant.objects.get(user=partner).revoked_by == coordinator
    actions = list(
        AuditEntry.objects.filter(action__startswith="accounts.access").values_list("action", flat=True)
    )
    assert actions == ["accounts.access.grant", "accounts.access.revoke"]


def test_only_a_member_who_can_open_the_record_grants_it(secret, make_user, org_a, org_b):
    editor = make_user("editor", org_a)
    partner = make_user("lawyer", org_b)

    with pytest.raises(PermissionDenied):
        sealing.access_grant(
            actor=editor, keyring=keyring_for(editor), instance=secret, user_id=partner.pk, purpose="referral"
        )
    assert not Grant.objects.exists()


def test_a_value_is_not_sealed_for_an_organisation_where_nobody_can_open_it(org_a):
    with pytest.raises(sealing.NobodyHoldsTheKey):
        ContactPoint(organisation=org_a, kind="phone", value="+7", tier="protected", version=1).save()
    assert not ContactPoint.objects.exists()


def test_the_recovery_key_restores_access_after_every_member_lost_their_key(
    secret, coordinator, make_user, org_a
):
    recovery = sealing.recovery_init(organisation_id=org_a.id)
    keys.user_key_unlock(user=coordinator, passphrase=TEST_PASSWORD)  # shares the group key with it
    assert sealing.recovery_covers(org_a.id)
    # every member's key is gone (a password reset gives a new one)
    keys.user_key_replace(user=coordinator, passphrase="a new long passphrase")
    assert (
        sealing.open_record(
            secret,
            keyring=sealing.keyring_with_passphrase(coordinator, "a new long passphrase"),
            purpose="verify",
        )
        == {}
    )

    sealing.recover(organisation_id=org_a.id, recovery=recovery, user_id=coordinator.pk)

    keyring = sealing.keyring_with_passphrase(coordinator, "a new long passphrase")
    assert sealing.open_record(secret, keyring=keyring, purpose="verify")["value"] == "+7 900 000 11 22"


def test_a_recovery_key_made_before_the_group_key_covers_it_at_once(make_user, org_a):
    sealing.recovery_init(organisation_id=org_a.id)
    make_user("coordinator", org_a)
    ContactPointFactory(organisation=org_a, tier="protected", value="x")

    assert sealing.recovery_covers(org_a.id)


def test_a_recovery_file_of_another_organisation_is_refused(secret, org_a, org_b, make_user):
    make_user("coordinator", org_b)
    foreign = sealing.recovery_init(organisation_id=org_b.id)
    sealing.recovery_init(organisation_id=org_a.id)

    with pytest.raises(ValidationFailed):
        sealing.recover(organisation_id=org_a.id, recovery=foreign, user_id=make_user("lawyer", org_a).pk)


def test_a_changed_password_keeps_access(secret, coordinator):
    keys.user_key_rewrap(user=coordinator, old_passphrase=TEST_PASSWORD, new_passphrase="another long one")

    keyring = sealing.keyring_with_passphrase(coordinator, "another long one")
    assert sealing.open_record(secret, keyring=keyring, purpose="verify")["value"] == "+7 900 000 11 22"


def test_a_users_email_is_sealed_for_them_and_their_organisations_group(make_user, org_a):
    user = make_user("editor", org_a, email="anna@example.org")

    assert crypto.is_sealed(type(user).objects.get(pk=user.pk).email)
    assert opened(user, user) == {"email": "anna@example.org"}


def test_values_written_around_save_are_sealed_by_seal_unsealed(coordinator, org_a):
    ContactPoint.objects.bulk_create(
        [ContactPoint(organisation=org_a, kind="phone", value="+7 111", tier="protected", version=1)]
    )

    assert sealing.seal_unsealed(sealing.sealed_models()) == sealing.SealReport(sealed=1, refused=0)
    assert crypto.is_sealed(ContactPoint.objects.get().value)
    assert opened(ContactPoint.objects.get(), coordinator)["value"] == "+7 111"


def test_a_grantee_whose_key_is_replaced_loses_the_grant_and_can_be_granted_again(
    secret, coordinator, make_user, org_b
):
    partner = make_user("lawyer", org_b)
    grant = dict(instance=secret, user_id=partner.pk, purpose="referral")
    sealing.access_grant(actor=coordinator, keyring=keyring_for(coordinator), **grant)

    keys.user_key_replace(user=partner, passphrase="a forgotten one, replaced")

    assert Grant.objects.get(user=partner).revoked_at is not None
    sealing.access_grant(actor=coordinator, keyring=keyring_for(coordinator), **grant)
    keyring = sealing.keyring_with_passphrase(partner, "a forgotten one, replaced")
    assert sealing.open_record(secret, keyring=keyring, purpose="referral")["value"] == "+7 900 000 11 22"


def test_saving_the_tier_without_the_sealed_fields_is_refused(org_a, coordinator):
    contact = ContactPointFactory(organisation=org_a, tier="network", value="+7 222")

    contact.tier = "protected"
    with pytest.raises(sealing.SealedValueError):
        contact.save(update_fields=["tier"])

    assert ContactPoint.objects.get(pk=contact.pk).tier == "network"

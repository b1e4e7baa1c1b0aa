"""The one save path: row, change-log entry and audit entry commit together; versions guard edits."""

import pytest

from khronika.core.changes import save_record
from khronika.core.errors import Conflict, ValidationFailed
from khronika.core.models import AuditEntry, ChangeLogEntry, ChangeOperation
from khronika.directory.models import ContactPoint
from khronika.testing.factories import OrganisationFactory, UserFactory, ensure_key_holder

pytestmark = pytest.mark.django_db


def test_a_create_writes_one_change_log_row_and_one_audit_row_naming_fields_not_values():
    actor = UserFactory()
    org = OrganisationFactory()
    ensure_key_holder(org.id)
    contact = ContactPoint(organisation=org, kind="phone", value="+7 900 CANARY-PROT", tier="protected")

    save_record(contact, actor=actor, operation=ChangeOperation.CREATE, changed_fields=["value", "kind"])

    entries = ChangeLogEntry.objects.filter(entity_id=contact.pk)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.version == 1 and entry.operation == "create"
    assert "CANARY-PROT" not in str(entry.payload)
    assert entry.payload["kind"] == "phone"
    audit = AuditEntry.objects.get(entity_id=contact.pk)
    assert audit.actor == actor.pseudonym
    assert audit.fields == ["kind", "value"]
    assert "CANARY-PROT" not in str(audit.__dict__)
    assert actor.username not in str(audit.__dict__)


def test_internal_values_are_in_the_change_log_payload_for_sync_but_protected_ones_are_not():
    org = OrganisationFactory(internal_notes="CANARY-INTERNAL")
    save_record(org, actor=None, operation=ChangeOperation.UPDATE, changed_fields=["internal_notes"])
    payload = ChangeLogEntry.objects.get(entity_id=org.pk).payload
    assert payload["internal_notes"] == "CANARY-INTERNAL"


def test_each_update_bumps_the_version_and_a_stale_version_is_refused():
    org = OrganisationFactory()
    save_record(org, actor=None, operation=ChangeOperation.UPDATE, expected_version=1)
    assert org.version == 2

    org.name_ru = "Другое имя"
    with pytest.raises(Conflict):
        save_record(org, actor=None, operation=ChangeOperation.UPDATE, expected_version=1)
    assert ChangeLogEntry.objects.filter(entity_id=org.pk).count() == 1


def test_an_invalid_record_is_not_saved_and_leaves_no_log():
    org = OrganisationFactory.build(kind="not-a-kind", name_ru="")
    logs, audits = ChangeLogEntry.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        save_record(org, actor=None, operation=ChangeOperation.CREATE)
    assert set(caught.value.fields) >= {"kind", "name_ru"}
    assert (ChangeLogEntry.objects.count(), AuditEntry.objects.count()) == (logs, audits)


def test_delete_leaves_a_tombstone_not_a_gap():
    org = OrganisationFactory()
    save_record(org, actor=None, operation=ChangeOperation.DELETE)
    org.refresh_from_db()
    assert org.deleted_at is not None
    assert ChangeLogEntry.objects.get(entity_id=org.pk).operation == "delete"

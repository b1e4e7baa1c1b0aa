"""The audit log is a hash chain: a changed, removed or inserted entry is found, and updates are refused."""

import pytest
from django.db import DatabaseError, connection, transaction

from khronika.core.audit import GENESIS, audit_append, audit_verify, entry_digest
from khronika.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def append(n):
    return [
        audit_append(
            actor=f"actor{i}",
            action="directory.organisation.update",
            entity="directory.organisation",
            entity_id=None,
            fields=["name_ru"],
            purpose="",
        )
        for i in range(n)
    ]


def test_each_entry_links_to_the_one_before_and_an_untouched_chain_verifies():
    first, second, third = append(3)[-3:]
    assert second.previous_hash == first.entry_hash and third.previous_hash == second.entry_hash
    report = audit_verify()
    assert report.intact and report.head == third.entry_hash
    assert report.entries == AuditEntry.objects.count()
    assert AuditEntry.objects.order_by("seq").first().previous_hash == GENESIS


def test_the_database_refuses_to_change_an_entry():
    entry = append(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(actor="someone-else")
    entry.refresh_from_db()
    assert entry.actor == "actor0"


def _tamper(sql, params):
    """Change the table behind the application's back, as someone holding the database file could."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS core_auditentry_append_only"
            + (" ON core_auditentry" if connection.vendor == "postgresql" else "")
        )
        cursor.execute(sql, params)


def test_a_changed_entry_is_found():
    entries = append(4)
    _tamper(
        "UPDATE core_auditentry SET action = %s WHERE seq = %s",
        ["directory.organisation.delete", entries[1].seq],
    )
    report = audit_verify()
    assert not report.intact and (report.broken_at, report.reason) == (entries[1].seq, "content")


def test_a_removed_entry_is_found():
    entries = append(4)
    _tamper("DELETE FROM core_auditentry WHERE seq = %s", [entries[2].seq])
    report = audit_verify()
    assert (report.broken_at, report.reason) == (entries[3].seq, "link")


def test_a_rewritten_chain_is_found_against_a_head_noted_earlier():
    entries = append(3)
    noted = audit_verify().head
    # Someone rewrites the last entry and recomputes its hash so that the chain is consistent again.
    last = entries[-1]
    last.actor = "forged"
    forged_hash = entry_digest(last)
    _tamper(
        "UPDATE core_auditentry SET actor = %s, entry_hash = %s WHERE seq = %s",
        ["forged", forged_hash, last.seq],
    )
    assert audit_verify().intact  # consistent on its own…
    report = audit_verify(expect_head=noted)
    assert not report.intact and report.reason == "expected_head_missing"  # …but the noted head is gone

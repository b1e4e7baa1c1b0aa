"""`khronika audit verify`: an intact log prints its head; a broken or rewritten one exits 7."""

import pytest
from django.db import connection

from khronika.core.audit import audit_append, audit_verify

pytestmark = pytest.mark.django_db


def append():
    return audit_append(
        actor="a1",
        action="directory.organisation.create",
        entity="directory.organisation",
        entity_id=None,
        fields=["name_ru"],
        purpose="",
    )


def test_an_intact_log_prints_its_entries_and_head(run):
    append()
    result = run("audit", "verify")
    assert result.code == 0
    assert audit_verify().head in result.out


def test_a_changed_entry_exits_7_naming_where_the_log_breaks(run):
    entry = append()
    append()
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS core_auditentry_append_only"
            + (" ON core_auditentry" if connection.vendor == "postgresql" else "")
        )
        cursor.execute("UPDATE core_auditentry SET actor = 'x' WHERE seq = %s", [entry.seq])
    result = run("audit", "verify")
    assert result.code == 7
    assert str(entry.seq) in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_a_head_that_is_no_longer_in_the_log_exits_7(run):
    append()
    result = run("audit", "verify", "--expect-head", "f" * 64)
    assert result.code == 7

"""Chain the audit log: every entry gets the hash of the one before it and its own, existing entries
included, and the database refuses any later change of an entry."""

import hashlib
import json

from django.db import migrations, models

GENESIS = "0" * 64


def _digest(entry, previous_hash):
    # The same content, in the same order, as khronika.core.audit.entry_digest.
    content = [
        entry.at.isoformat(),
        entry.actor,
        entry.action,
        entry.entity,
        str(entry.entity_id) if entry.entity_id else "",
        list(entry.fields),
        entry.purpose,
        previous_hash,
    ]
    return hashlib.sha256(
        json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    ).hexdigest()


def chain_existing(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    previous = GENESIS
    for entry in AuditEntry.objects.order_by("seq").iterator():
        entry.previous_hash = previous
        entry.entry_hash = _digest(entry, previous)
        entry.save(update_fields=["previous_hash", "entry_hash"])
        previous = entry.entry_hash


SQLITE_TRIGGER = """
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE ON core_auditentry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
POSTGRES_TRIGGER = """
CREATE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE ON core_auditentry
FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""


def refuse_updates(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGER)


def allow_updates(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_append_only" + (
        " ON core_auditentry" if vendor == "postgresql" else ""
    ))
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS core_auditentry_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(refuse_updates, allow_updates),
    ]

"""The tables of the PostgreSQL search backend (``search.backends.postgres_backend``).

Only a PostgreSQL database gets them: a SQLite node searches its tantivy index and has nothing to keep
here. There are no models because the columns are PostgreSQL types (tsvector, text[]).

The extensions are wanted, not required for migrating: a node that keeps the tantivy backend on a
PostgreSQL database, run by a role that may not create extensions, must still migrate. Without pg_trgm
the vocabulary has no trigram index (the backend then refuses to start and says why); without rum the
text columns get GIN indexes, which answer the same queries.
"""

from django.db import DatabaseError, migrations, transaction

TABLES = [
    """
    CREATE TABLE search_document (
        key text PRIMARY KEY,
        steward text NOT NULL DEFAULT '',
        tier smallint NOT NULL,
        listed boolean NOT NULL,
        text_pub tsvector NOT NULL DEFAULT '',
        text_open tsvector NOT NULL DEFAULT '',
        text_int tsvector NOT NULL DEFAULT '',
        keys_pub tsvector NOT NULL DEFAULT '',
        keys_open tsvector NOT NULL DEFAULT '',
        keys_int tsvector NOT NULL DEFAULT '',
        names_pub text[] NOT NULL DEFAULT '{}',
        names_open text[] NOT NULL DEFAULT '{}',
        names_int text[] NOT NULL DEFAULT '{}',
        facets text[] NOT NULL DEFAULT '{}',
        day integer
    )
    """,
    "CREATE TABLE search_term (term text PRIMARY KEY)",
    """
    CREATE TABLE search_cursor (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        seq bigint NOT NULL,
        stamp text NOT NULL
    )
    """,
]
TEXT_COLUMNS = ["text_pub", "text_open", "text_int"]
KEY_COLUMNS = ["keys_pub", "keys_open", "keys_int"]


def _extension(schema_editor, name):
    """Create the extension if the server has it and we may; say whether it is there."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = %s", [name])
        if cursor.fetchone() is None:
            return False
    try:
        # A savepoint: a refused CREATE EXTENSION must not abort the migration's transaction.
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
    except DatabaseError:
        return False
    return True


def create_search_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    trigrams = _extension(schema_editor, "pg_trgm")
    rum = _extension(schema_editor, "rum")
    for statement in TABLES:
        schema_editor.execute(statement)
    for column in TEXT_COLUMNS:
        method = f"rum ({column} rum_tsvector_ops)" if rum else f"gin ({column})"
        schema_editor.execute(f"CREATE INDEX search_document_{column} ON search_document USING {method}")
    for column in [*KEY_COLUMNS, "facets"]:
        schema_editor.execute(
            f"CREATE INDEX search_document_{column} ON search_document USING gin ({column})"
        )
    if trigrams:
        schema_editor.execute(
            "CREATE INDEX search_term_trigrams ON search_term USING gin (term gin_trgm_ops)"
        )


def drop_search_tables(apps, schema_editor):
    # The extensions stay: they belong to the database, and something else may use them by now.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_document, search_term, search_cursor")


class Migration(migrations.Migration):
    initial = True

    operations = [migrations.RunPython(create_search_tables, drop_search_tables)]

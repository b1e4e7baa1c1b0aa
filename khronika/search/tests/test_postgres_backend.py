"""What the PostgreSQL backend must get right beyond the shared contract: the cursor travels with the
documents, any character in a term is only ever a character, near matches come from the vocabulary, one
writer at a time, a rebuild puts whole new tables in place, and the migration takes its tables away."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DataError, connection

from khronika.search.backends.base import Cursor, IndexBusy
from khronika.search.backends.postgres_backend import WRITER_LOCK, PostgresBackend, tsvector_text
from khronika.search.fields import IndexedFields
from khronika.search.query import Query, Scope, SearchRequest, Word

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL search backend needs the PostgreSQL database"
)

OWN_GROUP = uuid.uuid4()
OTHER_GROUP = uuid.uuid4()
MEMBER = Scope(public_only=False, internal_stewards=frozenset({OWN_GROUP}))
OUTSIDER = Scope(public_only=False, internal_stewards=frozenset({OTHER_GROUP}))
PUBLIC = Scope(public_only=True)


@pytest.fixture
def backend(db):  # type: ignore[no-untyped-def]
    engine = PostgresBackend()
    engine.clear()
    return engine


def document(
    text: str = "", *, keys: str = "", internal: str = "", names: tuple[str, ...] = (), listed: bool = False
) -> IndexedFields:
    return IndexedFields(
        key=f"organisation:{uuid.uuid4()}",
        kind="organisation",
        steward=str(OWN_GROUP),
        tier=0 if listed else 1,
        listed=listed,
        text_pub=text if listed else "",
        text_open=text,
        text_int=internal,
        keys_pub=keys if listed else "",
        keys_open=keys,
        keys_int="",
        names_pub=list(names) if listed else [],
        names_open=list(names),
        names_int=["Внутреннее имя"] if internal else [],
        facets=["type=organisation"],
    )


def word(*terms: str, keys: tuple[str, ...] = (), prefix: bool = False) -> Word:
    return Word(surface=terms[0], terms=frozenset(terms), keys=frozenset(keys), prefix=prefix)


def ask(
    backend: PostgresBackend,
    *words: Word,
    scope: Scope = MEMBER,
    fuzzy: bool = False,
    phrases: tuple[tuple[str, ...], ...] = (),
) -> list[str]:
    query = Query(text="…", words=words, phrases=phrases)
    found = backend.search(SearchRequest(query=query, scope=scope, fuzzy=fuzzy))
    assert found.total == len(found.hits)
    return [f"{hit.kind}:{hit.id}" for hit in found.hits]


# --- terms as tsvector values -------------------------------------------------------------------------


def stored(terms: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsvector::text", [tsvector_text(terms)])
        return str(cursor.fetchone()[0])


def test_terms_become_lexemes_with_their_positions_quoted(db):
    assert stored("суд иск суд") == "'иск':2 'суд':1,3"
    assert stored("o'brien back\\slash") == "'back\\\\slash':2 'o''brien':1"
    assert stored("") == ""
    long_text = " ".join(["суд"] * 17000)
    assert stored(long_text).count(",") == 255  # tsvector keeps 256 positions of a term


def test_a_term_with_an_apostrophe_stays_one_word_of_a_phrase(backend):
    irish = document("o'brien said nothing")
    backend.write(upserts=[irish], removals=[], cursor=None)
    assert ask(backend, phrases=(("o'brien", "said"),)) == [irish.key]
    assert ask(backend, phrases=(("said", "o'brien"),)) == []
    assert ask(backend, word("brien")) == []


METACHARACTERS = ["o'brien", "a&b", "x|y", "!z", "k:v", "s*t", "(p", "back\\slash", "q)", "a:*", "<->"]


def test_tsquery_metacharacters_in_words_are_only_characters(backend):
    odd = document(" ".join(METACHARACTERS))
    plain = document("o brien a b x y z k v s t p back slash q")
    backend.write(upserts=[odd, plain], removals=[], cursor=None)
    for value in METACHARACTERS:
        assert ask(backend, word(value)) == [odd.key], value
    assert ask(backend, word("back\\", prefix=True)) == [odd.key]
    assert ask(backend, word("a:", prefix=True)) == [odd.key]
    for attempt in ["a' | 'b", "x' & !'nothing", "'", "\\", "o'brien':*", "z') | ('a"]:
        assert ask(backend, word(attempt)) == [], attempt
        assert ask(backend, word(attempt), fuzzy=True) == [], attempt


def test_a_term_too_long_for_a_lexeme_is_left_out_not_fatal(backend):
    giant = "ж" * 2000  # 4000 bytes: more than a tsvector lexeme holds
    record = document(f"суд {giant} иск", keys=giant)
    backend.write(upserts=[record], removals=[], cursor=None)
    assert ask(backend, word("иск")) == [record.key]
    assert ask(backend, word(giant)) == []
    assert ask(backend, word(giant, keys=(giant,)), fuzzy=True) == []


# --- near matches -------------------------------------------------------------------------------------


def test_a_one_typo_word_finds_the_term_only_when_typos_are_allowed(backend):
    record = document("задержа правозащитн суд", keys="wevqenko")
    backend.write(upserts=[record], removals=[], cursor=None)
    assert ask(backend, word("задрежа")) == []
    assert ask(backend, word("задрежа"), fuzzy=True) == [record.key]  # a transposition is one edit
    assert ask(backend, word("задежа"), fuzzy=True) == [record.key]
    assert ask(backend, word("shevchneko", keys=("wevqneko",)), fuzzy=True) == [record.key]
    assert ask(backend, word("правазащитм"), fuzzy=True) == [record.key]  # two edits in a long word


def test_near_matches_keep_the_distance_and_length_limits(backend):
    record = document("задержа суд")
    backend.write(upserts=[record], removals=[], cursor=None)
    assert ask(backend, word("зедрежа"), fuzzy=True) == []  # two edits in a word of seven letters
    assert ask(backend, word("сут"), fuzzy=True) == [record.key]  # three letters: one edit
    assert ask(backend, word("су"), fuzzy=True) == []  # two letters: no typos
    assert ask(backend, word("задрежа", prefix=True), fuzzy=True) == []  # a prefix is not a near match


def test_near_matches_do_not_reach_another_groups_internal_words(backend):
    record = document("группа", internal="секретнослово")
    backend.write(upserts=[record], removals=[], cursor=None)
    assert ask(backend, word("секретнаслово"), fuzzy=True, scope=OUTSIDER) == []
    assert ask(backend, word("секретнаслово"), fuzzy=True, scope=MEMBER) == [record.key]


# --- reading what the scope allows --------------------------------------------------------------------


def test_names_are_those_the_scope_may_read_and_name_keys_rank_first(backend):
    in_text = document("мемориал", listed=True, names=("Другая группа",))
    in_name = document("мемориал", keys="memorial", internal="заметка", names=("Мемориал",), listed=True)
    backend.write(upserts=[in_text, in_name], removals=[], cursor=None)
    query = Query(text="мемориал", words=(word("мемориал", keys=("memorial",)),))
    member = backend.search(SearchRequest(query=query, scope=MEMBER))
    assert [f"organisation:{hit.id}" for hit in member.hits] == [in_name.key, in_text.key]
    assert member.hits[0].score > member.hits[1].score
    assert member.hits[0].names == ("Мемориал", "Внутреннее имя")
    assert backend.search(SearchRequest(query=query, scope=OUTSIDER)).hits[0].names == ("Мемориал",)
    assert backend.search(SearchRequest(query=query, scope=PUBLIC)).hits[0].names == ("Мемориал",)
    assert member.facets == {"type": {"organisation": 2}}


ODD_NAMES = ('Центр "Право", {Пермь}', "back\\slash, NULL", "line\nbreak\ttab", "")


def test_names_come_back_as_written_by_either_way_of_writing(backend):
    written = document("суд", names=ODD_NAMES)
    backend.write(upserts=[written], removals=[], cursor=None)
    query = Query(text="суд", words=(word("суд"),))
    assert backend.search(SearchRequest(query=query, scope=OUTSIDER)).hits[0].names == ODD_NAMES
    backend.replace_all(iter([written]), cursor=Cursor(seq=1, stamp="s"))
    assert backend.search(SearchRequest(query=query, scope=OUTSIDER)).hits[0].names == ODD_NAMES


# --- writing ------------------------------------------------------------------------------------------


def test_the_cursor_is_written_in_the_same_transaction_as_the_documents(backend):
    kept = document("старое")
    backend.write(upserts=[kept], removals=[], cursor=Cursor(seq=1, stamp="first"))
    with pytest.raises(DataError):
        # bigint cannot hold the cursor: the removal and the upsert before it must go back too.
        backend.write(upserts=[document("новое")], removals=[kept.key], cursor=Cursor(seq=2**63, stamp="x"))
    assert backend.cursor() == Cursor(seq=1, stamp="first")
    assert ask(backend, word("старое")) == [kept.key]
    assert ask(backend, word("новое")) == []
    assert backend.document_count() == 1


def test_the_last_version_of_a_key_in_one_write_wins(backend):
    first = document("первое")
    second = IndexedFields(**{**document("второе").__dict__, "key": first.key})
    backend.write(upserts=[first, second], removals=[], cursor=None)
    assert ask(backend, word("второе")) == [first.key]
    assert ask(backend, word("первое")) == []


def test_clear_forgets_the_documents_the_vocabulary_and_the_cursor(backend):
    backend.write(upserts=[document("задержа")], removals=[], cursor=Cursor(seq=3, stamp="s"))
    backend.clear()
    assert backend.cursor() is None
    assert backend.document_count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_term")
        assert cursor.fetchone()[0] == 0


def test_a_second_writer_is_told_the_index_is_busy(db):
    # Not the ``backend`` fixture: its clear() would hold the lock until the test's transaction ends.
    backend = PostgresBackend()
    database = connection.settings_dict
    with psycopg.connect(
        dbname=database["NAME"],
        host=database["HOST"],
        port=database["PORT"] or None,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [WRITER_LOCK])
        with pytest.raises(IndexBusy):
            backend.write(upserts=[document("задержа")], removals=[], cursor=Cursor(seq=1, stamp="s"))
        with pytest.raises(IndexBusy):
            backend.clear()
        other.execute("SELECT pg_advisory_unlock(%s)", [WRITER_LOCK])
    backend.write(upserts=[document("задержа")], removals=[], cursor=Cursor(seq=1, stamp="s"))
    assert backend.cursor() == Cursor(seq=1, stamp="s")


def test_the_migration_reverse_drops_the_tables(backend):
    tables = {"search_document", "search_term", "search_cursor"}
    call_command("migrate", "search", "zero", verbosity=0)
    assert not tables & set(connection.introspection.table_names())
    with pytest.raises(ImproperlyConfigured, match="khronika init"):
        PostgresBackend().document_count()
    call_command("migrate", "search", verbosity=0)
    assert tables <= set(connection.introspection.table_names())


# --- rebuilding ---------------------------------------------------------------------------------------


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('search_document', 'search_term')"
        )
        return {name for (name,) in cursor.fetchall()}


def test_replace_all_puts_new_tables_in_place_of_the_old_with_the_same_indexes(backend):
    old = document("старое")
    backend.write(upserts=[old], removals=[], cursor=Cursor(seq=1, stamp="first"))
    indexes = index_names()
    first, second, renewed = document("первое"), document("второе"), document("задержа")
    renewed = IndexedFields(**{**renewed.__dict__, "key": first.key})
    backend.replace_all(iter([first, second, renewed]), cursor=Cursor(seq=9, stamp="rebuilt"), batch=2)
    assert backend.cursor() == Cursor(seq=9, stamp="rebuilt")
    assert backend.document_count() == 2
    assert ask(backend, word("старое")) == []
    assert ask(backend, word("второе")) == [second.key]
    assert ask(backend, word("первое")) == []  # the later version of the same key won
    assert ask(backend, word("задрежа"), fuzzy=True) == [first.key]  # the vocabulary was rebuilt
    assert index_names() == indexes
    backend.write(upserts=[old], removals=[], cursor=None)  # the primary key still arbitrates upserts
    backend.write(upserts=[old], removals=[], cursor=None)
    assert backend.document_count() == 3


def test_a_failed_rebuild_leaves_the_old_index(backend):
    old = document("старое")
    backend.write(upserts=[old], removals=[], cursor=Cursor(seq=1, stamp="first"))

    def documents():  # type: ignore[no-untyped-def]
        yield document("новое")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        backend.replace_all(documents(), cursor=Cursor(seq=2, stamp="second"), batch=1)
    assert ask(backend, word("старое")) == [old.key]
    assert backend.cursor() == Cursor(seq=1, stamp="first")
    assert "search_document_next" not in connection.introspection.table_names()

"""The monitoring vocabularies: the shipped files, loading them, reading them through every interface."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from khronika.core.errors import NotFound, ValidationFailed
from khronika.core.models import ChangeLogEntry
from khronika.monitoring import selectors
from khronika.monitoring.models import Term, Vocabulary
from khronika.monitoring.vocabularies import (
    VocabularyFileInvalid,
    read_vocabulary,
    vocabularies_load,
    vocabulary_files,
)

# Every list of the monitoring model the issue names has a vocabulary.
EXPECTED = {
    "event-types",
    "monitoring-projects",
    "violation-statuses",
    "monitoring-statuses",
    "act-types",
    "act-methods",
    "act-consequences",
    "victim-end-statuses",
    "detention-places",
    "involvement-degrees",
    "perpetrator-types",
    "perpetrator-statuses",
    "source-types",
    "source-connections",
    "reliability",
    "intervention-types",
    "intervention-statuses",
    "intervention-priorities",
    "intervention-responses",
    "intervention-impacts",
    "event-relations",
    "source-languages",
}


def write(directory: Path, file_code: str, terms: list[dict], **extra) -> Path:
    path = directory / f"{file_code}.json"
    data = {"code": file_code, "name_ru": "Тестовый", "name_en": "Test", "edition": "1", "terms": terms}
    data |= extra
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def term(code: str, parent: str | None = None) -> dict:
    return {"code": code, "parent": parent, "name_ru": f"Термин {code}", "name_en": f"Term {code}"}


# --- the shipped files ----------------------------------------------------------------------------------


def test_every_list_of_the_monitoring_model_has_a_well_formed_vocabulary():
    files = {path.stem: read_vocabulary(path) for path in vocabulary_files()}
    assert set(files) >= EXPECTED
    for data in files.values():
        assert data["terms"]
        for row in data["terms"]:
            assert row["name_ru"] != row["name_en"] or row["name_ru"].isascii()


def test_the_built_in_monitoring_projects_are_the_four_of_the_movement(db):
    codes = [row.term.code for row in selectors.vocabulary_terms("monitoring-projects")]
    assert len(codes) == 4


def test_the_suite_database_holds_every_shipped_vocabulary(db):
    for path in vocabulary_files():
        data = read_vocabulary(path)
        assert [row.term.code for row in selectors.vocabulary_terms(data["code"])] == [
            t["code"] for t in data["terms"]
        ]


def test_loading_again_changes_nothing(db):
    entries = ChangeLogEntry.objects.count()
    assert vocabularies_load() == type(vocabularies_load())()
    assert ChangeLogEntry.objects.count() == entries


# --- loading --------------------------------------------------------------------------------------------


def test_a_term_that_leaves_its_file_is_retired_not_deleted_and_comes_back(db, tmp_path):
    first = write(tmp_path, "test-vocabulary", [term("a"), term("a-1", "a"), term("b")])
    report = vocabularies_load([first])
    assert (report.vocabularies, report.terms, report.retired) == (1, 3, 0)
    assert ChangeLogEntry.objects.filter(entity="monitoring.term").count() >= 3

    vocabularies_load([write(tmp_path, "test-vocabulary", [term("a"), term("b")])])
    retired = Term.objects.get(vocabulary__code="test-vocabulary", code="a-1")
    assert retired.retired is True
    assert [r.term.code for r in selectors.vocabulary_terms("test-vocabulary")] == ["a", "b"]
    with_retired = selectors.vocabulary_terms("test-vocabulary", include_retired=True)
    # A retired term keeps its place under its parent.
    assert [(r.term.code, r.depth, r.term.retired) for r in with_retired] == [
        ("a", 0, False),
        ("a-1", 1, True),
        ("b", 0, False),
    ]

    report = vocabularies_load([write(tmp_path, "test-vocabulary", [term("a"), term("a-1", "a"), term("b")])])
    assert report.retired == 0
    assert Term.objects.get(pk=retired.pk).retired is False


def test_a_renamed_term_keeps_its_row(db, tmp_path):
    vocabularies_load([write(tmp_path, "test-vocabulary", [term("a")])])
    before = Term.objects.get(vocabulary__code="test-vocabulary", code="a")
    renamed = {**term("a"), "name_en": "A better name"}
    report = vocabularies_load([write(tmp_path, "test-vocabulary", [renamed], edition="2")])
    after = Term.objects.get(pk=before.pk)
    assert (report.vocabularies, report.terms) == (1, 1)
    assert (after.name_en, after.version) == ("A better name", before.version + 1)
    assert Vocabulary.objects.get(code="test-vocabulary").edition == "2"


@pytest.mark.parametrize(
    ("terms", "extra", "problem"),
    [
        ([term("a"), term("a")], {}, "term 'a' appears twice"),
        ([term("a-1", "a"), term("a")], {}, "parent 'a' must come before it"),
        ([term("Bad Code")], {}, "'Bad Code' is not lower-case"),
        ([{**term("a"), "name_ru": " "}], {}, "term 'a': 'name_ru' is missing"),
        ([term("a"), term("b", "a"), term("c", "b"), term("d", "c")], {}, "more than 3 levels"),
        ([term("a")], {"code": "other"}, "must be the file's name"),
        ([], {}, "'terms' is missing or empty"),
        ([term("a")], {"edition": ""}, "'edition' is missing"),
    ],
)
def test_a_malformed_file_is_refused_whole_naming_the_file_and_the_term(db, tmp_path, terms, extra, problem):
    good = write(tmp_path, "good-vocabulary", [term("x")])
    bad = write(tmp_path, "test-vocabulary", terms, **extra)
    with pytest.raises(VocabularyFileInvalid, match=r"test-vocabulary\.json") as raised:
        vocabularies_load([good, bad])
    assert problem in str(raised.value)
    assert not Vocabulary.objects.filter(code__in=["good-vocabulary", "test-vocabulary"]).exists()


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(VocabularyFileInvalid, match=r"broken\.json: not readable JSON"):
        read_vocabulary(path)


# --- reading --------------------------------------------------------------------------------------------


def test_a_term_is_found_by_its_code_or_either_name_in_any_case(db, tmp_path):
    vocabularies_load([write(tmp_path, "test-vocabulary", [term("beating")])])
    for value in ("beating", " Термин BEATING ", "term beating"):
        assert selectors.term_resolve("test-vocabulary", value).code == "beating"


def test_an_unknown_term_is_an_error_listing_the_terms_and_never_invented(db, tmp_path):
    vocabularies_load([write(tmp_path, "test-vocabulary", [term("beating"), term("threats")])])
    with pytest.raises(ValidationFailed) as raised:
        selectors.term_resolve("test-vocabulary", "electric shock")
    message = raised.value.message
    assert "electric shock" in message and "test-vocabulary" in message and "beating, threats" in message
    assert list(raised.value.fields) == ["test-vocabulary"]
    assert Term.objects.filter(vocabulary__code="test-vocabulary").count() == 2


def test_an_unknown_vocabulary_names_the_known_ones(db):
    with pytest.raises(NotFound) as raised:
        selectors.vocabulary("no-such")
    assert "no-such" in raised.value.message and "act-types" in raised.value.message


# --- interfaces -----------------------------------------------------------------------------------------


def test_the_api_lists_vocabularies_and_terms_to_anyone(db):
    client = Client()
    listing = client.get("/api/v1/vocabularies")
    assert listing.status_code == 200
    by_code = {v["code"]: v for v in listing.json()}
    assert set(by_code) >= EXPECTED
    detail = client.get("/api/v1/vocabularies/act-types")
    assert detail.status_code == 200
    body = detail.json()
    assert body["term_count"] == len(body["terms"]) == by_code["act-types"]["term_count"]
    children = [t for t in body["terms"] if t["parent"]]
    assert children and all(t["depth"] >= 1 for t in children)
    missing = client.get("/api/v1/vocabularies/no-such")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_a_group_adds_a_monitoring_project_that_loading_the_files_keeps(make_user, org_a):
    from khronika.core.errors import Conflict, PermissionDenied
    from khronika.monitoring import services
    from khronika.monitoring.vocabularies import vocabularies_load

    coordinator = make_user("coordinator", org_a)
    project = services.project_create(actor=coordinator, name_ru="Дело о репостах", name_en="Repost cases")
    assert (project.added_by_id, project.vocabulary.code) == (org_a.pk, "monitoring-projects")
    event = services.event_create(
        actor=make_user("monitor", org_a), values={"title": "Суд", "projects": ["Дело о репостах"]}
    )
    assert [link.project.code for link in event.project_links.all()] == [project.code]
    vocabularies_load()
    project.refresh_from_db()
    assert project.retired is False
    with pytest.raises(Conflict):
        services.project_create(actor=coordinator, name_ru="дело о репостах")
    with pytest.raises(PermissionDenied):
        services.project_create(actor=make_user("editor", org_a), name_ru="Другое дело")

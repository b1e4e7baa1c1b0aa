"""``khronika vocabularies``: the monitoring vocabularies from a terminal."""

from __future__ import annotations

import json


def test_the_cli_lists_vocabularies_and_shows_one(run, db):
    listing = run("vocabularies")
    assert listing.code == 0 and "act-types" in listing.out
    shown = run("vocabularies", "perpetrator-types")
    assert shown.code == 0
    assert any(line.startswith("  ") for line in shown.out.splitlines()[1:])
    as_json = json.loads(run("vocabularies", "reliability", "--json").out)
    assert as_json["code"] == "reliability" and as_json["terms"]
    unknown = run("vocabularies", "no-such")
    assert unknown.code == 4 and "act-types" in unknown.err


def test_a_coordinator_adds_a_project_and_an_editor_may_not(run, db):
    import json

    from khronika.testing.factories import OrganisationFactory, UserFactory

    group = OrganisationFactory(name_ru="Группа")
    UserFactory(username="coordinator", organisation=group, role="coordinator")
    UserFactory(username="editor", organisation=group, role="editor")
    added = run("--as", "coordinator", "projects", "add", "--name-ru", "Дело о репостах", "--json")
    assert added.code == 0, added.err
    code = json.loads(added.out)["code"]
    assert code in run("vocabularies", "monitoring-projects").out
    refused = run("--as", "editor", "projects", "add", "--name-ru", "Другое")
    assert refused.code == 3 and "Traceback" not in refused.err

"""``khronika events``: recording and reading monitored events from a terminal."""

from __future__ import annotations

import json

from khronika.testing.factories import OrganisationFactory, UserFactory


def test_an_event_is_recorded_listed_shown_and_edited(run, db):
    group = OrganisationFactory(name_ru="Группа")
    UserFactory(username="monitor", organisation=group, role="monitor")
    event = {"title": "Задержания у суда", "started": "2013-02", "region": "RU-PER", "type": "rally"}

    added = run("--as", "monitor", "events", "add", "--json-file", "-", "--json", stdin=json.dumps(event))
    assert added.code == 0, added.err
    event_id = json.loads(added.out)["id"]
    listed = json.loads(
        run("--as", "monitor", "events", "list", "--filter", "type=public-assembly", "--json").out
    )
    assert [row["title"] for row in listed["items"]] == ["Задержания у суда"]
    shown = run("--as", "monitor", "events", "show", event_id)
    assert shown.code == 0 and "2013-02" in shown.out and "RU-PER" in shown.out
    edited = run(
        *("--as", "monitor", "events", "edit", event_id, "--version", "1", "--json-file", "-", "--json"),
        stdin=json.dumps({"monitoring_status": "verified"}),
    )
    assert edited.code == 0 and json.loads(edited.out)["version"] == 2
    stale = run(
        "--as",
        "monitor",
        "events",
        "edit",
        event_id,
        "--version",
        "1",
        "--json-file",
        "-",
        stdin=json.dumps({"place": "x"}),
    )
    assert stale.code == 5


def test_an_internal_event_is_not_shown_to_others_and_bad_input_is_one_line(run, db):
    group, other = OrganisationFactory(name_ru="Группа"), OrganisationFactory(name_ru="Другая")
    UserFactory(username="monitor", organisation=group, role="monitor")
    UserFactory(username="outsider", organisation=other, role="coordinator")
    added = run("--as", "monitor", "events", "add", "--json-file", "-", "--json", stdin='{"title": "Обыск"}')
    event_id = json.loads(added.out)["id"]

    assert run("--as", "outsider", "events", "show", event_id).code == 4
    assert json.loads(run("events", "list", "--json").out)["count"] == 0
    bad = run(
        "--as", "monitor", "events", "add", "--json-file", "-", stdin='{"title": "x", "type": "concert"}'
    )
    assert bad.code == 2 and "type" in bad.err and len(bad.err.strip().splitlines()) <= 3
    assert run("--as", "monitor", "events", "list", "--filter", "colour").code == 2

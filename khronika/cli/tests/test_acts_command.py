"""``khronika acts``: recording the acts of an event from a terminal, names sealed."""

from __future__ import annotations

import json

from khronika.monitoring import services
from khronika.testing.factories import OrganisationFactory, UserFactory


def test_acts_are_added_listed_edited_and_deleted_and_a_name_shows_sealed(run, db):
    group = OrganisationFactory(name_ru="Группа")
    monitor = UserFactory(username="monitor", organisation=group, role="monitor")
    event = services.event_create(actor=monitor, values={"title": "Сход", "type": "rally"})
    group_act = {"type": "administrative-detention", "victim_group": "участники", "victim_count": 39}
    added = run(
        *("--as", "monitor", "acts", "add", str(event.pk), "--json-file", "-", "--json"),
        stdin=json.dumps(group_act),
    )
    assert added.code == 0, added.err
    act_id = json.loads(added.out)["id"]
    named = run(
        *("--as", "monitor", "acts", "add", str(event.pk), "--json-file", "-"),
        stdin=json.dumps({"type": "torture", "victim_name": "Тайнова Мария"}),
    )
    assert named.code == 0, named.err

    listed = run("--as", "monitor", "acts", "list", str(event.pk), "--json")
    rows = json.loads(listed.out)
    assert sorted(row["victim_count"] for row in rows) == [1, 39]
    assert "Тайнова" not in listed.out and any(row.get("sealed") == ["victim_name"] for row in rows)
    assert "40" in run("--as", "monitor", "acts", "list", str(event.pk)).out

    edited = run(
        *("--as", "monitor", "acts", "edit", act_id, "--version", "1", "--json-file", "-"),
        stdin=json.dumps({"victim_count": "0"}),
    )
    assert edited.code != 0 and "victim_count" in edited.err and "Traceback" not in edited.err
    deleted = run("--as", "monitor", "acts", "delete", act_id, "--version", "1", "--json")
    assert deleted.code == 0 and json.loads(deleted.out)["version"] == 2
    assert len(json.loads(run("--as", "monitor", "acts", "list", str(event.pk), "--json").out)) == 1


def test_another_groups_internal_event_has_no_acts_to_list(run, db):
    group, other = OrganisationFactory(name_ru="Группа"), OrganisationFactory(name_ru="Другая")
    monitor = UserFactory(username="monitor", organisation=group, role="monitor")
    UserFactory(username="outsider", organisation=other, role="coordinator")
    event = services.event_create(actor=monitor, values={"title": "Обыск", "type": "rally"})
    answer = run("--as", "outsider", "acts", "list", str(event.pk))
    assert answer.code != 0 and "Traceback" not in answer.err


def test_stats_print_a_table_json_and_csv_that_agree(run, db):
    group = OrganisationFactory(name_ru="Группа")
    monitor = UserFactory(username="monitor", organisation=group, role="monitor")
    event = services.event_create(
        actor=monitor, values={"title": "Сход", "type": "rally", "started": "2012-05-06", "region": "RU-MOW"}
    )
    services.act_add(
        actor=monitor,
        event_id=event.pk,
        values={"type": "administrative-detention", "victim_group": "участники", "victim_count": "39"},
    )
    as_json = json.loads(run("--as", "monitor", "stats", "--by", "region", "--json").out)
    assert [(r["key"], r["victims"]) for r in as_json["rows"]] == [("RU-MOW", 39)]
    as_csv = run("--as", "monitor", "stats", "--by", "month", "--csv").out.splitlines()
    assert as_csv[1].startswith("2012-05,2012-05,1,39") and as_csv[-1].endswith(",1,39")
    published_only = json.loads(run("stats", "--json").out)
    assert published_only["acts"] == 0
    bad = run("--as", "monitor", "stats", "--filter", "since=May")
    assert bad.code != 0 and "since" in bad.err and "Traceback" not in bad.err


def test_a_list_of_detainees_is_checked_then_recorded_and_the_group_shrinks(run, db):
    group = OrganisationFactory(name_ru="Группа")
    monitor = UserFactory(username="monitor", organisation=group, role="monitor")
    event = services.event_create(actor=monitor, values={"title": "Сход", "type": "rally"})
    services.act_add(
        actor=monitor, event_id=event.pk, values={"type": "administrative-detention", "victim_count": "10"}
    )
    text = "Иванов Иван; ОВД Тверской; 14:30\nПетрова Анна; ОВД Басманный\n"
    dry = run("--as", "monitor", "acts", "bulk", str(event.pk), "--file", "-", "--dry-run", stdin=text)
    assert dry.code == 0 and "Иванов" not in dry.out
    done = run("--as", "monitor", "acts", "bulk", str(event.pk), "--file", "-", "--json", stdin=text)
    report = json.loads(done.out)
    assert (report["added"], report["group_before"], report["group_after"], report["victims"]) == (
        2,
        10,
        8,
        10,
    )
    bad = run("--as", "monitor", "acts", "bulk", str(event.pk), "--file", "-", stdin="; ОВД\n")
    assert bad.code == 2 and "line 1" in bad.err and "Traceback" not in bad.err

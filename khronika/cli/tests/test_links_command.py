"""``khronika involvements``, ``sources`` and ``interventions`` from a terminal."""

from __future__ import annotations

import json

from khronika.monitoring import services
from khronika.testing.factories import OrganisationFactory, UserFactory


def test_a_perpetrator_a_source_and_an_intervention_are_recorded_listed_and_removed(run, db):
    group = OrganisationFactory(name_ru="Группа")
    monitor = UserFactory(username="monitor", organisation=group, role="monitor")
    event = services.event_create(actor=monitor, values={"title": "Сход", "type": "rally"})
    act = services.act_add(actor=monitor, event_id=event.pk, values={"type": "administrative-detention"})

    involved = run(
        *("--as", "monitor", "involvements", "add", str(act.pk), "--json-file", "-", "--json"),
        stdin=json.dumps({"perpetrator": "ОМОН", "degree": "carried-out"}),
    )
    assert involved.code == 0, involved.err
    acts = json.loads(run("--as", "monitor", "acts", "list", str(event.pk), "--json").out)
    assert [i["perpetrator"] for i in acts[0]["involvements"]] == ["ОМОН"]
    source = run(
        *("--as", "monitor", "sources", "add", str(event.pk), "--json-file", "-", "--json"),
        stdin=json.dumps({"source_kind": "media", "title": "Репортаж", "reliability": "high"}),
    )
    assert source.code == 0, source.err
    listed = json.loads(run("--as", "monitor", "sources", "list", str(event.pk), "--json").out)
    assert [(s["source_title"], s["reliability"]) for s in listed] == [("Репортаж", "high")]
    helped = run(
        *("--as", "monitor", "interventions", "add", str(event.pk), "--json-file", "-"),
        stdin=json.dumps({"type": "appeal", "status": "planned"}),
    )
    assert helped.code == 0, helped.err
    assert "appeal" in run("--as", "monitor", "interventions", "list", str(event.pk)).out
    removed = run("--as", "monitor", "sources", "remove", json.loads(source.out)["id"], "--json")
    assert (
        removed.code == 0
        and json.loads(run("--as", "monitor", "sources", "list", str(event.pk), "--json").out) == []
    )
    bad = run(
        *("--as", "monitor", "interventions", "add", str(event.pk), "--json-file", "-"),
        stdin=json.dumps({"type": "prayer"}),
    )
    assert bad.code == 2 and "type" in bad.err and "status" in bad.err and "Traceback" not in bad.err

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

"""``khronika import ovdinfo-detentions``: the report a person reads, and the exit status a script reads."""

from __future__ import annotations

import json

from khronika.monitoring.tests.test_ovdinfo_import import lists, monitor  # noqa: F401 (fixtures)


def test_the_command_reports_refusals_by_line_and_exits_8(run, lists, monitor):  # noqa: F811
    answer = run("--as", monitor.username, "import", "ovdinfo-detentions", str(lists))
    assert answer.code == 8, answer.err
    assert "detentions_2013.csv:5:" in answer.out and "204" in answer.out
    as_json = json.loads(
        run("--as", monitor.username, "import", "ovdinfo-detentions", str(lists), "--json").out
    )
    assert (as_json["imported"], as_json["already_imported"]) == (0, 3)
    missing = run("--as", monitor.username, "import", "ovdinfo-detentions", str(lists / "nope"))
    assert missing.code == 2 and "Traceback" not in missing.err

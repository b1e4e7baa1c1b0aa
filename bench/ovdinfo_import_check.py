"""Check the OVD-Info import against the real lists: every row imported with its region, date and count,
or refused with a reason.

    .venv/bin/python bench/ovdinfo_import_check.py [--data ../shared/data]

1. A throw-away node (``khronika init`` in a temporary folder, SQLite) gets one organisation and a monitor.
2. ``khronika import ovdinfo-detentions DATA/ovdinfo-detentions-2011-2013 --as monitor --json`` runs as a
   user would run it, and is run a second time, which must add nothing.
3. The CSV files are read again here, independently of the importer, and every row is compared with the
   event stored under its reference: the date, the region (the 2011-2012 list is Moscow's), the type of
   act and the number detained.

It prints how many rows were imported and why any were refused, and exits 1 on any mismatch. The lists
hold real names in free text: the node is deleted at the end, and nothing is printed from the rows but
their file, line, date, region and count.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
FOLDER = "ovdinfo-detentions-2011-2013"
# The region column's values, as the 2013 list writes them, and the codes they must land in.
EXPECTED_REGIONS = {
    "Москва": "RU-MOW",
    "Санкт-Петербург": "RU-SPE",
    "Нижний Новгород": "RU-NIZ",
    "Воронеж": "RU-VOR",
}


def node_environment(home: Path) -> dict[str, str]:
    return os.environ | {
        "KHRONIKA_HOME": str(home),
        "KHRONIKA_DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "khronika.settings",
    }


def khronika(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [str(BIN / "khronika"), *args], env=node_environment(home), capture_output=True, text=True
    )


def prepare(home: Path) -> None:
    done = khronika(home, "init")
    if done.returncode != 0:
        raise SystemExit(f"khronika init failed: {done.stderr}")
    os.environ.update(node_environment(home))
    import django

    django.setup()
    from khronika.accounts.services import user_create
    from khronika.directory.services import organisation_bootstrap

    group = organisation_bootstrap(values={"name_ru": "Проверка импорта", "kind": "ngo"})
    user_create(
        actor=None,
        username="monitor",
        password=os.urandom(12).hex(),
        organisation_id=group.pk,
        role="monitor",
    )


def expected_rows(folder: Path) -> dict[str, tuple[str, int, dt.date | None, str | None, str]]:
    """Reference → (file, line, date, region code, count text), read straight from the CSV files."""
    rows = {}
    for path in sorted(folder.glob("detentions*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                try:
                    day, month, year = (int(p) for p in row["date"].strip().split("."))
                    date: dt.date | None = dt.date(year, month, day)
                except ValueError:
                    date = None
                region = EXPECTED_REGIONS.get(row["region"].strip()) if "region" in row else "RU-MOW"
                reference = f"ovdinfo:{path.stem}:{row['Id'].strip()}"
                rows[reference] = (
                    path.name,
                    reader.line_num,
                    date,
                    region,
                    row["number_of_detentions"].strip(),
                )
    return rows


def compare(expected: dict[str, tuple[str, int, dt.date | None, str | None, str]]) -> list[str]:
    from khronika.monitoring.models import Act, Event

    events = {e.reference: e for e in Event.objects.select_related("region").filter(deleted_at__isnull=True)}
    acts = Counter()
    for act in Act.objects.filter(deleted_at__isnull=True).select_related("event", "act_type"):
        acts[act.event.reference] += act.victim_count
        if act.act_type.code != "administrative-detention":
            return [f"{act.event.reference}: act type {act.act_type.code}"]
    problems = []
    for reference, (file, line, date, region, count) in expected.items():
        event = events.get(reference)
        if event is None:
            continue  # refused: the import's report says why
        where = f"{file}:{line}"
        if event.started_on != date or event.started_precision != "day":
            problems.append(f"{where}: date {event.started_on} ({event.started_precision}), expected {date}")
        if (event.region.code if event.region else None) != region:
            problems.append(
                f"{where}: region {event.region.code if event.region else None}, expected {region}"
            )
        if str(acts[reference]) != count:
            problems.append(f"{where}: {acts[reference]} detained, expected {count}")
    unexpected = set(events) - set(expected)
    problems += [f"{reference}: an event no row asks for" for reference in sorted(unexpected)]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="the shared data folder")
    args = parser.parse_args()
    folder = Path(args.data) / FOLDER
    if not folder.is_dir():
        raise SystemExit(f"no folder {folder}")
    with tempfile.TemporaryDirectory(prefix="khronika-ovdinfo-") as work:
        home = Path(work) / "node"
        prepare(home)
        first = khronika(home, "--as", "monitor", "import", "ovdinfo-detentions", str(folder), "--json")
        if first.returncode not in (0, 8):
            raise SystemExit(f"the import failed ({first.returncode}): {first.stderr}")
        report = json.loads(first.stdout)
        second = json.loads(
            khronika(home, "--as", "monitor", "import", "ovdinfo-detentions", str(folder), "--json").stdout
        )
        expected = expected_rows(folder)
        problems = compare(expected)
        from khronika.monitoring.selectors import statistics

        by_region = statistics(actor=None, by="region")  # nothing published: must count nothing
        print(f"files: {report['files']}, rows: {report['rows']} (CSV rows read here: {len(expected)})")
        print(f"imported: {report['imported']} events, {report['detained']} detained")
        csv_total = sum(int(c) for *_rest, c in expected.values() if c.isdigit())
        print(f"detained according to the CSV files (rows with a number): {csv_total}")
        print(f"refused: {len(report['refused'])}")
        for refusal in report["refused"]:
            print(f"  {refusal['file']}:{refusal['line']}: {refusal['reason']}")
        print(f"placed in the default region (no region column): {report['default_region_used']}")
        print(f"second import: {second['imported']} imported, {second['already_imported']} already there")
        print(f"counted for an anonymous reader (nothing published): {by_region.acts} acts")
        regions = Counter(region for _f, _l, _d, region, _c in expected.values())
        print(
            "rows by region in the CSV files: " + ", ".join(f"{k}: {v}" for k, v in sorted(regions.items()))
        )
        if second["imported"] or by_region.acts:
            problems.append("the second import added events, or unpublished events were counted publicly")
        print(f"mismatches: {len(problems)}")
        for problem in problems:
            print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

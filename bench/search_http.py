"""Search over HTTP at realistic size: Khronika's ``/api/v1/search`` against Datasette on the same records.

    .venv/bin/python bench/search_http.py --docs 1000000 [--queries 200] [--work-dir DIR] [--seed 1968]

What it does, in a work directory that is kept for re-runs (``--work-dir``; a fresh temporary one
otherwise):

1. A throw-away node (``khronika init`` in ``DIR/node``, SQLite) is filled with ``--docs`` organisations
   of the synthetic corpus (``bench/search_corpus.py``: names, descriptions of Zipf-distributed Russian
   words with now and then English, rare place names, one to three regions, one to four areas of work,
   kind and status), inserted in bulk. The index is then built by ``khronika search reindex``, the
   command a node runs, and its time printed.
2. The same organisations are copied into one table of ``DIR/records.db`` (their public columns, home
   region and district, areas as a JSON array) with a SQLite FTS5 index made by ``sqlite-utils
   enable-fts``: how one publishes such a table with Datasette. Datasette and sqlite-utils are installed
   in ``DIR/datasette-venv``, the benchmark's own environment, never in Khronika's.
3. Both are served: ``khronika serve`` (waitress) and ``datasette serve --immutable``, with Datasette's time
   limits raised to two minutes so that its facets are counted rather than given up, and its facet
   suggestions off (they would cost it more).
4. The same query strings go to both, one request at a time over a kept-alive connection, as a signed-in
   member (an API token) to ours: ``GET /api/v1/search?q=…&limit=10``, which always counts the total and
   the facets (record type, kind, status, region, district, area, year); and
   ``GET /records/organisations.json?_search=…&_size=10`` with ``_facet`` for kind, status, region and
   district and ``_facet_array`` for areas. Classes: a common word in one of its forms, a rare word, two
   words. p50/p99 per class and side are printed with the ratio of the medians, and the mean number of
   matches each side reports: Datasette finds only the form typed (FTS5 knows no Russian morphology),
   so its counts are lower for common words.

Target: ours at least 10 times faster than Datasette at p50, with facets.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_corpus import SyntheticCorpus  # noqa: E402
from khronika.core.tiers import Tier  # noqa: E402

BIN = Path(sys.executable).parent
CLASSES = ("common", "rare", "two")
LABELS = {"common": "common word", "rare": "rare word", "two": "two words"}
WARMUP = 10
TARGET_RATIO = 10.0
OURS_PORT, DATASETTE_PORT = 8731, 8732
DATASETTE_FACETS = [("_facet", "kind"), ("_facet", "status"), ("_facet", "region"), ("_facet", "district")]
DATASETTE_FACETS += [("_facet_array", "areas")]
BATCH = 5000
FTS_COLUMNS = ("name_ru", "name_en", "description", "--fts5")
DATASETTE_SETTINGS = {
    "sql_time_limit_ms": "120000",
    "facet_time_limit_ms": "120000",
    "suggest_facets": "off",
    "default_page_size": "10",
}


# --- the node -----------------------------------------------------------------------------------------


def node_environment(home: Path) -> dict[str, str]:
    return os.environ | {
        "KHRONIKA_HOME": str(home),
        "KHRONIKA_DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "khronika.settings",
        "KHRONIKA_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    }


def setup_django(home: Path) -> None:
    os.environ.update(node_environment(home))
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files come from the package
    django.setup()


def fill(corpus: SyntheticCorpus) -> None:
    """The corpus's organisations as rows, inserted in bulk (this measures searching, not writing)."""
    from django.db import transaction
    from django.utils import timezone

    from khronika.directory.models import (
        AreaOfWork,
        Organisation,
        OrganisationArea,
        OrganisationRegion,
        Region,
    )

    regions = {r.code: r for r in Region.objects.all()}
    areas = {a.code: a for a in AreaOfWork.objects.all()}
    parents = {a.parent_id for a in areas.values() if a.parent_id}
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        for first in range(0, corpus.size, BATCH):
            orgs, area_links, region_links = [], [], []
            for index in range(first, min(corpus.size, first + BATCH)):
                doc = corpus.organisation(index).document
                names = doc.names.get(Tier.PUBLIC, [])
                texts = doc.texts.get(Tier.PUBLIC, [])
                places = [regions[c] for c in doc.facets.get("region", []) if c in regions]
                org = Organisation(
                    id=doc.id,
                    kind=doc.facets["kind"][0],
                    status=doc.facets["status"][0],
                    name_ru=doc.title,
                    name_en=names[1] if len(names) > 1 else "",
                    description=texts[0] if texts else "",
                    website=next((t for t in texts if t.startswith("https://")), ""),
                    internal_notes=" ".join(doc.texts.get(Tier.INTERNAL, [])),
                    home_region=places[0] if places else None,
                    is_public=doc.listed,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                orgs.append(org)
                chosen = [areas[c] for c in doc.facets.get("area", []) if c in areas]
                area_links += [
                    OrganisationArea(organisation=org, area=a) for a in chosen if a.pk not in parents
                ]
                region_links += [OrganisationRegion(organisation=org, region=r) for r in places[1:]]
            Organisation.objects.bulk_create(orgs)
            OrganisationArea.objects.bulk_create(area_links)
            OrganisationRegion.objects.bulk_create(region_links)
            done = min(corpus.size, first + BATCH)
            if done % 100_000 == 0 or done == corpus.size:
                rate = done / (time.perf_counter() - started)
                print(f"  filled {done:,} organisations, {rate:,.0f}/s", file=sys.stderr, flush=True)


def member_token() -> str:
    """An API token of a viewer of one of the organisations: a signed-in member of the network."""
    from khronika.accounts.models import User
    from khronika.accounts.services import api_token_create
    from khronika.directory.models import Organisation

    user = User.objects.filter(username="bench-viewer").first()
    if user is None:
        user = User(
            username="bench-viewer",
            organisation=Organisation.objects.order_by("id").first(),
            role="viewer",
            version=1,
        )
        user.set_password(uuid.uuid4().hex)
        user.save()
    _token, raw = api_token_create(actor=None, user=user, name=f"bench {uuid.uuid4().hex[:6]}")
    return raw


# --- Datasette ----------------------------------------------------------------------------------------


def datasette_venv(work_dir: Path) -> Path:
    venv = work_dir / "datasette-venv"
    if not (venv / "bin" / "datasette").exists():
        print("installing Datasette and sqlite-utils into the benchmark's own environment …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)  # noqa: S603
        pip = [str(venv / "bin" / "pip"), "install", "--quiet"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)  # noqa: S603
        subprocess.run([*pip, "datasette", "sqlite-utils"], check=True)  # noqa: S603
    return venv


def copy_for_datasette(node_database: Path, target: Path, venv: Path) -> None:
    """One table of the organisations' public columns, as one would publish it, with an FTS5 index."""
    from khronika.directory.models import AreaOfWork, Organisation, OrganisationArea, Region

    target.unlink(missing_ok=True)
    db = sqlite3.connect(target)
    db.execute("ATTACH DATABASE ? AS node", (f"file:{node_database}?mode=ro",))
    organisation, region = Organisation._meta.db_table, Region._meta.db_table
    link, area = OrganisationArea._meta.db_table, AreaOfWork._meta.db_table
    db.executescript(
        f"""
        CREATE TABLE organisations (
            id TEXT PRIMARY KEY, name_ru TEXT, name_en TEXT, description TEXT, website TEXT, kind TEXT,
            status TEXT, region TEXT, district TEXT, areas TEXT
        );
        INSERT INTO organisations
        SELECT o.id, o.name_ru, o.name_en, o.description, o.website, o.kind, o.status, r.code,
               r.federal_district,
               (SELECT json_group_array(a.code) FROM node.{link} AS l
                JOIN node.{area} AS a ON a.id = l.area_id WHERE l.organisation_id = o.id)
        FROM node.{organisation} AS o LEFT JOIN node.{region} AS r ON r.id = o.home_region_id
        WHERE o.deleted_at IS NULL;
        """  # noqa: S608  # table names from the models
    )
    db.commit()
    db.execute("DETACH DATABASE node")
    for column in ("kind", "status", "region", "district"):
        db.execute(f"CREATE INDEX organisations_{column} ON organisations ({column})")
    db.commit()
    db.close()
    subprocess.run(  # noqa: S603
        [str(venv / "bin" / "sqlite-utils"), "enable-fts", str(target), "organisations", *FTS_COLUMNS],
        check=True,
    )
    subprocess.run([str(venv / "bin" / "sqlite-utils"), "optimize", str(target)], check=True)  # noqa: S603


# --- serving and asking ---------------------------------------------------------------------------------


def wait_for(port: int, process: subprocess.Popen[bytes], name: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} stopped before serving (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{name} did not serve on port {port} within {timeout:.0f} s")


class Client:
    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.headers = headers
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def get(self, path: str) -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit(f"GET {path} on port {self.port}: HTTP {response.status}: {body[:300]!r}")
        return elapsed, json.loads(body)


def ours_path(q: str) -> str:
    return "/api/v1/search?" + urllib.parse.urlencode({"q": q, "limit": 10})


def datasette_path(q: str) -> str:
    query = urllib.parse.urlencode([("_search", q), ("_size", "10"), *DATASETTE_FACETS])
    return "/records/organisations.json?" + query


def datasette_total(answer: dict[str, Any]) -> int:
    for key in ("filtered_table_rows_count", "count"):
        if isinstance(answer.get(key), int):
            return int(answer[key])
    return -1


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def measure(ours: Client, datasette: Client, queries: dict[str, list[str]]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name in CLASSES:
        texts = queries[name]
        for q in texts[:WARMUP]:
            ours.get(ours_path(q))
            datasette.get(datasette_path(q))
        samples: dict[str, list[float]] = {"ours": [], "datasette": []}
        totals: dict[str, list[int]] = {"ours": [], "datasette": []}
        timed_out = 0
        for q in texts[WARMUP:]:
            elapsed, answer = ours.get(ours_path(q))
            samples["ours"].append(elapsed)
            totals["ours"].append(int(answer["count"]))
            assert answer["facets"], f"no facets for {q!r}"
            elapsed, answer = datasette.get(datasette_path(q))
            samples["datasette"].append(elapsed)
            totals["datasette"].append(datasette_total(answer))
            timed_out += bool(answer.get("facets_timed_out"))
        results[name] = {
            side: {
                "p50": percentiles(samples[side])[0],
                "p99": percentiles(samples[side])[1],
                "n": len(samples[side]),
                "mean_total": statistics.fmean(totals[side]) if totals[side] else 0.0,
                "samples": samples[side],
            }
            for side in samples
        } | {"datasette_facets_timed_out": timed_out}
        print(f"  {LABELS[name]}: done", file=sys.stderr, flush=True)
    return results


# --- the run ----------------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace, work_dir: Path) -> tuple[Path, dict[str, Any]]:
    """The filled, indexed node and the Datasette copy (kept from an earlier run of the same size)."""
    home = work_dir / "node"
    stamp = work_dir / f"ready-{args.docs}-{args.seed}.json"
    if stamp.exists():
        setup_django(home)
        return home, json.loads(stamp.read_text())
    subprocess.run([str(BIN / "khronika"), "init"], env=node_environment(home), check=True)  # noqa: S603
    setup_django(home)
    from django.conf import settings

    from khronika.core.maintenance import database_optimize

    corpus = SyntheticCorpus(size=args.docs, seed=args.seed)
    figures: dict[str, Any] = {}
    started = time.perf_counter()
    fill(corpus)
    database_optimize()
    figures["fill_s"] = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [str(BIN / "khronika"), "search", "reindex"], env=node_environment(home), check=True
    )
    figures["reindex_s"] = time.perf_counter() - started
    venv = datasette_venv(work_dir)
    started = time.perf_counter()
    copy_for_datasette(Path(settings.DATABASES["default"]["NAME"]), work_dir / "records.db", venv)
    figures["datasette_copy_s"] = time.perf_counter() - started
    stamp.write_text(json.dumps(figures))
    return home, figures


def serve(home: Path, work_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    venv = datasette_venv(work_dir)
    ours = subprocess.Popen(  # noqa: S603
        [str(BIN / "khronika"), "serve", "--port", str(OURS_PORT)],
        env=node_environment(home),
        stdout=subprocess.DEVNULL,
    )
    yield ours
    datasette = subprocess.Popen(  # noqa: S603
        [
            str(venv / "bin" / "datasette"),
            *("serve", "--immutable", str(work_dir / "records.db")),
            *("--host", "127.0.0.1", "--port", str(DATASETTE_PORT)),
            *(item for name, value in DATASETTE_SETTINGS.items() for item in ("--setting", name, value)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield datasette


def report(args: argparse.Namespace, figures: dict[str, Any], results: dict[str, Any]) -> str:
    lines = [
        f"{args.docs:,} organisations; {args.queries} queries per class after {WARMUP} unmeasured; "
        f"load average {os.getloadavg()[0]:.1f}",
        f"node filled in {figures['fill_s']:.0f} s; `khronika search reindex` {figures['reindex_s']:.0f} s "
        f"({args.docs / figures['reindex_s']:,.0f} records/s); Datasette copy with FTS5 "
        f"{figures['datasette_copy_s']:.0f} s",
        "",
        f"{'ms, with facets':<16}{'ours p50 / p99':>20}{'Datasette p50 / p99':>26}{'ratio p50':>12}"
        f"{'target':>10}{'matches: ours / Datasette':>30}",
    ]
    for name in CLASSES:
        ours, theirs = results[name]["ours"], results[name]["datasette"]
        ratio = theirs["p50"] / ours["p50"] if ours["p50"] else float("inf")
        mark = "✓" if ratio >= TARGET_RATIO else "✗"
        lines.append(
            f"{LABELS[name]:<16}{ours['p50']:>10.1f} / {ours['p99']:<8.1f}"
            f"{theirs['p50']:>14.1f} / {theirs['p99']:<9.1f}{ratio:>10.1f}×"
            f"{f'≥ {TARGET_RATIO:.0f}× {mark}':>11}"
            f"{ours['mean_total']:>17,.0f} / {theirs['mean_total']:<12,.0f}"
        )
        if results[name]["datasette_facets_timed_out"]:
            lines.append(
                f"  Datasette gave up some facets on {results[name]['datasette_facets_timed_out']} queries"
            )
    pooled = {
        side: percentiles([ms for name in CLASSES for ms in results[name][side]["samples"]])
        for side in ("ours", "datasette")
    }
    ratio = pooled["datasette"][0] / pooled["ours"][0]
    mark = "✓" if ratio >= TARGET_RATIO else "✗"
    lines.append(
        f"{'all classes':<16}{pooled['ours'][0]:>10.1f} / {pooled['ours'][1]:<8.1f}"
        f"{pooled['datasette'][0]:>14.1f} / {pooled['datasette'][1]:<9.1f}{ratio:>10.1f}×"
        f"{f'≥ {TARGET_RATIO:.0f}× {mark}':>11}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1968)
    parser.add_argument("--work-dir", default=None, help="kept afterwards, with the node and the copy")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args()
    work_dir = Path(args.work_dir or tempfile.mkdtemp(prefix="khronika-search-http-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    home, figures = prepare(args, work_dir)
    corpus = SyntheticCorpus(size=args.docs, seed=args.seed)
    wanted = args.queries + WARMUP
    queries = corpus.organisation_queries(count=wanted, classes=CLASSES)
    random.Random(args.seed).shuffle(queries["common"])
    token = member_token()
    processes = []
    try:
        for process, port, name in zip(
            serve(home, work_dir), (OURS_PORT, DATASETTE_PORT), ("khronika serve", "datasette"), strict=True
        ):
            processes.append(process)
            wait_for(port, process, name)
        ours = Client(OURS_PORT, {"Authorization": f"Bearer {token}", "Host": "127.0.0.1"})
        datasette = Client(DATASETTE_PORT, {"Host": "127.0.0.1"})
        results = measure(ours, datasette, queries)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    print(report(args, figures, results))
    if args.json:
        Path(args.json).write_text(json.dumps({"figures": figures, "results": results}, indent=2))


if __name__ == "__main__":
    main()

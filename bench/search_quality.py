"""How well search understands Russian words and names, measured on public gold sets.

    .venv/bin/python bench/search_quality.py --data ../shared/data [--limit N] [--reference]

Prints:
1. stem agreement of our analyser with Snowball's Russian test vocabulary (``snowball-russian``: word →
   expected stem); target 100% apart from the stop words the analyser drops on purpose;
2. recall@1 for the names of the ACF list (``acf-war-enablers``, real names: read here only, never
   shipped) queried in every transliteration scheme of ``translit-iuliia`` (28 schemes), written exactly
   and with one typo; targets ≥ 0.985 and ≥ 0.97. The names are indexed as person records in a
   throw-away tantivy index and queried through ``search.engine.find`` — the same analysis, name keys,
   typo fallback and re-ranking as every interface. ``--reference`` uses the in-memory reference
   searcher of ``bench/quality/names.py`` instead (no index), to tell the key scheme from the engine.

A query counts as found when the first result is the queried name (identical namesakes count).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def engine_searcher(names: list[str]) -> Callable[[str], list[str]]:
    """Index ``names`` as person records and search them as a signed-in member would."""
    os.environ["KHRONIKA_HOME"] = tempfile.mkdtemp(prefix="khronika-quality-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khronika.settings")
    import django

    django.setup()
    from khronika.core.tiers import Tier
    from khronika.search.backends.base import Cursor
    from khronika.search.engine import backend, find
    from khronika.search.fields import index_fields
    from khronika.search.query import Scope, SearchRequest, parse
    from khronika.search.registry import Document

    by_id: dict[uuid.UUID, str] = {}

    def documents():  # type: ignore[no-untyped-def]
        for number, name in enumerate(names):
            record_id = uuid.UUID(int=number + 1)
            by_id[record_id] = name
            document = Document(kind="person", id=record_id, title=name, tier=Tier.NETWORK)
            document.add_name(Tier.NETWORK, name)
            yield index_fields(document)

    started = time.perf_counter()
    backend().replace_all(documents(), cursor=Cursor(seq=0, stamp=""))
    print(f"indexed {len(names):,} names in {time.perf_counter() - started:.1f} s", flush=True)
    member = Scope(public_only=False)

    def search(query: str) -> list[str]:
        request = SearchRequest(query=parse(query), scope=member, limit=10, with_facets=False)
        return [by_id[hit.id] for hit in find(request, catch_up=False).hits]

    return search


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="the shared data folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N names of the list")
    parser.add_argument("--reference", action="store_true", help="the in-memory reference searcher")
    args = parser.parse_args(argv)
    if not (args.data / "snowball-russian").is_dir():
        parser.error(f"{args.data} holds no snowball-russian folder; give the shared data folder with --data")

    from bench.quality import names as name_quality
    from bench.quality import stems

    print("== Stems: our analyser against Snowball's Russian vocabulary")
    stems.print_report(stems.stem_agreement(args.data))

    print("\n== Names: recall@1 in every transliteration scheme, exact and with one typo")
    listed = name_quality.load_names(args.data / "acf-war-enablers")[: args.limit]
    search = None if args.reference else engine_searcher(listed)
    started = time.perf_counter()
    report = name_quality.evaluate(args.data, search, limit=args.limit)
    name_quality.print_report(report)
    print(
        f"searcher: {'reference (in memory)' if args.reference else 'search engine (tantivy)'}; "
        f"{time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()

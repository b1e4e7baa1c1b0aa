"""Monitoring speed at realistic size: statistics, the event list with filters, and bulk entry.

    .venv/bin/python bench/monitoring.py --acts 1000000 [--database-url postgres://…] [--requests 50]

Builds a throw-away node (SQLite in a temporary home unless --database-url is given) and fills it, rows
inserted in bulk (this measures reads, not the write path), with ``--acts`` acts in events of ten acts on
average, documented by 40 groups. Dates have every precision (most to the day, some to the month or the
year, a few unknown), a tenth of the events are published, a third shared with the network, and the rest
internal to their group; a tenth of the acts count a group of 2 to 400 people.

Prints p50/p99 in milliseconds, as a member of one group reads them (their own events and the shared and
published ones) and as an anonymous reader, for:

- ``selectors.statistics`` by each dimension, unfiltered and filtered by region and period, with the shared
  part cached (as between two writes) and cold (as after any write: the cache emptied before each call);
- the event list with filters (first page of 50 and the count), as the API answers it.

Then the bulk-entry rate: lists of 200 detainees entered through ``detainees_add`` (each name sealed, each
act written with its change-log entry), in detainees per second. Target: <= 100 ms p50 at 1M acts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GROUPS = 40
BATCH = 10_000
PRECISIONS = ["day"] * 80 + ["month"] * 10 + ["year"] * 6 + ["estimate"] * 1 + ["unknown"] * 3
TIERS = ["public"] * 10 + ["network"] * 30 + ["internal"] * 60


def setup_node(database_url: str | None) -> None:
    home = tempfile.mkdtemp(prefix="khronika-bench-monitoring-")
    os.environ["KHRONIKA_HOME"] = home
    os.environ["KHRONIKA_DATABASE_URL"] = database_url or ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "khronika.settings"
    from khronika import options

    options.init_home(Path(home))
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from khronika.directory.reference import reference_load
    from khronika.monitoring.vocabularies import vocabularies_load

    reference_load()
    vocabularies_load()


def fill(acts_wanted: int, rng: random.Random) -> Any:
    """Groups, a monitor of each, events and their acts, inserted in bulk. Returns one monitor."""
    from django.db import transaction
    from django.utils import timezone

    from khronika.accounts.models import User
    from khronika.core.dates import latest_day
    from khronika.directory.models import Organisation, Region
    from khronika.monitoring.models import Act, Event, EventProject, Term

    now = timezone.now()
    regions = list(Region.objects.filter(kind="federal_subject"))
    weights = [40 if r.code in ("RU-MOW", "RU-SPE") else 1 for r in regions]
    terms = {
        code: list(Term.objects.filter(vocabulary__code=code, retired=False))
        for code in ("event-types", "act-types", "monitoring-projects")
    }
    act_types = [t for t in terms["act-types"] if t.parent_id is not None]
    groups = [
        Organisation(name_ru=f"Группа мониторинга {i}", kind="ngo", version=1, created_at=now, updated_at=now)
        for i in range(GROUPS)
    ]
    Organisation.objects.bulk_create(groups)
    monitors = []
    for group in groups:
        user = User(username=f"monitor-{group.pk.hex[:8]}", organisation=group, role="monitor")
        user.set_unusable_password()
        monitors.append(user)
    User.objects.bulk_create(monitors)
    written = 0
    start_day = dt.date(2011, 1, 1).toordinal()
    with transaction.atomic():
        while written < acts_wanted:
            events, acts, links = [], [], []
            while len(acts) < BATCH and written + len(acts) < acts_wanted:
                precision = rng.choice(PRECISIONS)
                day = dt.date.fromordinal(start_day + rng.randrange(5000))
                if precision == "month":
                    day = day.replace(day=1)
                elif precision in ("year", "estimate"):
                    day = day.replace(month=1, day=1)
                elif precision == "unknown":
                    day = None
                event = Event(
                    id=uuid.UUID(int=rng.getrandbits(128)),
                    steward=rng.choice(groups),
                    title=f"Задержания на акции № {written + len(acts)}",
                    started_on=day,
                    started_precision=precision,
                    latest_on=latest_day(day, precision),
                    region=rng.choices(regions, weights)[0],
                    event_type=rng.choice(terms["event-types"]),
                    tier=rng.choice(TIERS),
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                events.append(event)
                links.append(EventProject(event=event, project=rng.choice(terms["monitoring-projects"])))
                for _ in range(rng.randint(1, 19)):
                    group = rng.random() < 0.1
                    acts.append(
                        Act(
                            id=uuid.UUID(int=rng.getrandbits(128)),
                            event=event,
                            tier=event.tier,
                            steward_id=event.steward_id,
                            event_type_id=event.event_type_id,
                            counted_on=event.started_on,
                            counted_precision=event.started_precision,
                            counted_region_id=event.region_id,
                            victim_kind="group" if group else "person",
                            victim_count=rng.randint(2, 400) if group else 1,
                            act_type=rng.choice(act_types),
                            version=1,
                            created_at=now,
                            updated_at=now,
                        )
                    )
            Event.objects.bulk_create(events, batch_size=2000)
            EventProject.objects.bulk_create(links, batch_size=2000)
            Act.objects.bulk_create(acts, batch_size=2000)
            written += len(acts)
            print(f"\r  {written:,} acts", end="", flush=True)
    print()
    from khronika.core.maintenance import database_optimize

    database_optimize()
    return monitors[0]


def measure(label: str, call: Callable[[], Any], requests: int) -> None:
    call()  # warm
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"  {label:<58} p50 {statistics.median(times):8.1f}   p99 {p99:8.1f}")


def reads(monitor: Any, requests: int) -> None:
    for who, actor in (("member", monitor), ("anonymous", None)):
        reads_as(who, actor, requests)


def reads_as(who: str, actor: Any, requests: int) -> None:
    from django.core.cache import cache

    from khronika.monitoring import selectors

    period = {"since": "2013-01", "until": "2014-12"}
    print(f"statistics, as {who}, the shared part cached (ms):")
    for by in selectors.DIMENSIONS:
        measure(f"by {by}", lambda by=by: selectors.statistics(actor=actor, by=by), requests)
    print(f"statistics, as {who}, cold: the cache emptied before each call, as after any write (ms):")
    for by in selectors.DIMENSIONS:

        def cold(by: str = by) -> Any:
            cache.clear()
            return selectors.statistics(actor=actor, by=by)

        measure(f"by {by}", cold, max(5, requests // 3))
    measure(
        "by month, region RU-SPE, 2013-2014",
        lambda: selectors.statistics(actor=actor, by="month", filters={"region": "RU-SPE", **period}),
        requests,
    )
    measure(
        "by act_type, project courts",
        lambda: selectors.statistics(actor=actor, by="act_type", filters={"project": "courts"}),
        requests,
    )
    print(f"event list, as {who}: first page of 50 and the count (ms):")
    for label, filters in (
        ("no filter", {}),
        ("region RU-MOW", {"region": "RU-MOW"}),
        ("type public-assembly (with sub-types), 2013-2014", {"type": "public-assembly", **period}),
        ("district volga, project courts", {"district": "volga", "project": "courts"}),
    ):
        measure(label, lambda filters=filters: _page(actor, filters), requests)


def _page(actor: Any, filters: dict[str, str]) -> Any:
    from khronika.monitoring import selectors

    events = selectors.event_list(actor=actor, filters=filters)
    return selectors.event_rows(events[:50]), events.count()


def bulk_rate(monitor: Any, rng: random.Random, lists: int) -> None:
    from khronika.accounts.keys import user_key_create
    from khronika.monitoring import services
    from khronika.monitoring.services.detainees import detainees_add

    user_key_create(user=monitor, passphrase="bench passphrase long enough")
    event = services.event_create(actor=monitor, values={"title": "Массовые задержания", "type": "rally"})
    names = ["Иванов", "Петров", "Сидорова", "Кузнецов", "Смирнова", "Попов", "Васильева", "Соколов"]
    stations = ["ОВД Тверской", "ОВД Басманный", "ОВД Арбат", "ОВД Китай-город"]
    total, started = 0, time.perf_counter()
    for _ in range(lists):
        lines = []
        for _ in range(200):
            name = f"{rng.choice(names)} {rng.choice(names)[:-2]}"
            lines.append(f"{name}; {rng.choice(stations)}; {rng.randint(10, 23)}:{rng.randint(10, 59)}")
        text = "\n".join(lines)
        total += detainees_add(actor=monitor, event_id=event.pk, text=text).added
    seconds = time.perf_counter() - started
    print(f"bulk entry: {total} detainees in {seconds:.1f} s, {total / seconds:,.0f} detainees/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--bulk-lists", type=int, default=5, help="lists of 200 detainees to enter")
    parser.add_argument("--seed", type=int, default=1968)
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL of a database the benchmark may empty; default: SQLite in a temporary home",
    )
    args = parser.parse_args()
    setup_node(args.database_url)
    from django.db import connection

    rng = random.Random(args.seed)
    print(f"Khronika monitoring benchmark on {connection.vendor}: {args.acts:,} acts")
    started = time.perf_counter()
    monitor = fill(args.acts, rng)
    print(f"filled in {time.perf_counter() - started:.0f} s")
    reads(monitor, args.requests)
    bulk_rate(monitor, rng, args.bulk_lists)


if __name__ == "__main__":
    main()

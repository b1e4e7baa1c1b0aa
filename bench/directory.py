"""Directory read speed at realistic size.

    .venv/bin/python bench/directory.py --orgs 10000 100000 [--database-url postgres://…] [--requests 200]

For each size, builds a throw-away node (SQLite in a temporary home unless --database-url is given),
fills it with N organisations (rows inserted in bulk: this measures reads, not the write path), and
prints p50/p99 in milliseconds for: the API list with filters, the networking query ("who works on X in
or near Y") through the API, and the staff list page with filters (rendered HTML). Requests go through
Django's full stack in-process (middleware, auth, templates), without a network hop.
Target: staff list page <= 50 ms p50 at 100k organisations.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_node(database_url: str | None) -> None:
    home = tempfile.mkdtemp(prefix="khronika-bench-")
    os.environ["KHRONIKA_HOME"] = home
    os.environ["KHRONIKA_DATABASE_URL"] = database_url or ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "khronika.settings"
    os.environ.setdefault("KHRONIKA_ALLOWED_HOSTS", "testserver,127.0.0.1")
    from khronika import options

    options.init_home(Path(home))
    import warnings

    import django

    # The throw-away node serves static files from the package, not from a collected directory.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()


def reset_database() -> None:
    """Migrate, then empty every table: each size starts from the reference data alone."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from khronika.directory.reference import reference_load

    reference_load()


def fill(n: int, rng: random.Random):
    from django.db import transaction
    from django.utils import timezone

    from khronika.accounts.models import User
    from khronika.directory.models import (
        AreaOfWork,
        Organisation,
        OrganisationArea,
        OrganisationKind,
        OrganisationRegion,
        OrganisationStatus,
        Region,
    )

    regions = list(Region.objects.all())
    areas = list(AreaOfWork.objects.all())
    kinds = OrganisationKind.values
    statuses = [OrganisationStatus.ACTIVE] * 7 + [
        OrganisationStatus.DORMANT,
        OrganisationStatus.CLOSED,
        OrganisationStatus.LIQUIDATED,
    ]
    words = [
        "Рассвет",
        "Мемориал",
        "Право",
        "Щит",
        "Голос",
        "Надежда",
        "Защита",
        "Свобода",
        "Гражданин",
        "Альянс",
        "Вектор",
        "Открытость",
        "Солидарность",
        "Память",
        "Совесть",
    ]
    now = timezone.now()
    batch = 5000
    with transaction.atomic():
        for start in range(0, n, batch):
            orgs, area_links, region_links = [], [], []
            for i in range(start, min(n, start + batch)):
                home = rng.choice(regions)
                org = Organisation(
                    id=uuid.UUID(int=rng.getrandbits(128)),
                    kind=rng.choice(kinds),
                    name_ru=f"Группа «{rng.choice(words)}» № {i}",
                    name_en=f"Group {i}",
                    status=rng.choice(statuses),
                    home_region=home,
                    description="Описание работы группы.",
                    is_public=rng.random() < 0.3,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                orgs.append(org)
                for area in rng.sample(areas, rng.randint(1, 4)):
                    area_links.append(OrganisationArea(organisation=org, area=area))
                covered = {home, *rng.sample(regions, rng.randint(0, 2))}
                for covered_region in covered:
                    region_links.append(OrganisationRegion(organisation=org, region=covered_region))
            Organisation.objects.bulk_create(orgs)
            OrganisationArea.objects.bulk_create(area_links)
            OrganisationRegion.objects.bulk_create(region_links)
    centre = Organisation.objects.order_by("id").first()
    user = User(username=f"bench-{uuid.uuid4().hex[:6]}", organisation=centre, role="viewer", version=1)
    user.set_password(uuid.uuid4().hex)
    user.save()
    return user


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def measure(label: str, make_request, requests: int) -> None:
    for _ in range(5):
        make_request()
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = make_request()
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code}: {response.content[:300]!r}")
    p50, p99 = percentiles(samples)
    print(f"  {label:<44} p50 {p50:8.2f} ms   p99 {p99:8.2f} ms")


def run(n: int, requests: int, seed: int) -> None:
    from django.test import Client

    from khronika.accounts.services import api_token_create
    from khronika.directory.models import AreaOfWork, Region

    rng = random.Random(seed)
    reset_database()
    started = time.perf_counter()
    user = fill(n, rng)
    from khronika.core.maintenance import database_optimize

    database_optimize()  # as a node does when it starts serving
    print(f"{n} organisations ({time.perf_counter() - started:.1f} s to fill and analyse)")
    _token, raw = api_token_create(actor=None, user=user, name="bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    staff = Client()
    staff.force_login(user)
    region_codes = list(Region.objects.filter(kind="federal_subject").values_list("code", flat=True))
    area_codes = list(AreaOfWork.objects.values_list("code", flat=True))
    top_areas = list(AreaOfWork.objects.filter(parent__isnull=True).values_list("code", flat=True))
    districts = ["central", "volga", "siberian", "southern"]

    def api_list():
        params = {
            "region": rng.choice(region_codes),
            "area": rng.choice(top_areas),
            "status": "active",
            "limit": 25,
        }
        if rng.random() < 0.5:
            params = {
                "district": rng.choice(districts),
                "kind": "human_rights_group",
                "limit": 25,
                "offset": rng.choice([0, 25, 100]),
            }
        return api.get("/api/v1/organisations", params)

    def near():
        return api.get(
            "/api/v1/networking/near",
            {"area": rng.choice(area_codes), "region": rng.choice(region_codes), "limit": 20},
        )

    def staff_page():
        params = {"region": rng.choice(region_codes), "status": "active"}
        if rng.random() < 0.5:
            params = {
                "district": rng.choice(districts),
                "area": rng.choice(top_areas),
                "page": rng.choice([1, 2]),
            }
        return staff.get("/directory/", params)

    def staff_first_page():
        return staff.get("/directory/")

    measure("API list with filters", api_list, requests)
    measure("networking: who works on X near Y (API)", near, requests)
    measure("staff list page with filters (HTML)", staff_page, requests)
    measure("staff list page, no filter (HTML)", staff_first_page, requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1968)
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL of a database the benchmark may empty; default: SQLite in a temporary home",
    )
    args = parser.parse_args()
    setup_node(args.database_url)
    from django.db import connection

    print(f"Khronika directory benchmark on {connection.vendor}, {args.requests} requests per figure")
    for n in args.orgs:
        run(n, args.requests, args.seed)


if __name__ == "__main__":
    main()

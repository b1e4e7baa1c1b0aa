"""The demo network's monitoring: made-up events, acts, perpetrators, sources and interventions, written
through the services by the demo centre's monitor, so that a new node shows every part of the work.

Every event's description ends with the demo mark; every name is made up and says so.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from django.utils import timezone

from khronika.accounts.models import User
from khronika.directory.demo.words import DEMO_MARK
from khronika.monitoring import services
from khronika.monitoring.services import links
from khronika.monitoring.services.detainees import detainees_add

REGIONS = ("RU-MOW", "RU-SPE", "RU-PER", "RU-TVE", "RU-NIZ", "RU-SVE", "RU-KDA", "RU-NVS", "RU-BA", "RU-KYA")
PLACES = ("у памятника", "на центральной площади", "у здания суда", "у метро", "у администрации")
STATIONS = ("ОВД «Центральный»", "ОВД «Северный»", "ОП № 5", "ОП № 12", "ОВД «Речной»")
EVENT_KINDS = (
    ("rally", "Задержания на митинге"),
    ("single-person-picket", "Задержание одиночного пикетчика"),
    ("march", "Задержания на шествии"),
    ("searches-and-raids", "Обыски у активистов"),
    ("court-hearing", "Арест по итогам суда"),
    ("death-in-custody", "Смерть в изоляторе"),
)
ACT_OF_KIND = {
    "rally": "administrative-detention",
    "single-person-picket": "administrative-detention",
    "march": "administrative-detention",
    "searches-and-raids": "search",
    "court-hearing": "administrative-arrest",
    "death-in-custody": "death-in-custody",
}
# Made-up people: every name says it is invented.
NAMES = ("Вымышленный Пётр", "Придуманная Анна", "Условный Илья", "Выдуманная Ольга", "Образцов Демид")
EVENTS = 36


def demo_monitoring_create(*, seed: int, monitor: User, lawyer: User) -> dict[str, int]:
    """Events of the demo centre: a third shared with the network, a few published, the rest internal;
    each with acts (mostly groups with their counts), and some with perpetrators, sources and help given.
    Returns the counts."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, reproducible from its seed)
    counts: Counter[str] = Counter()
    today = timezone.localdate()
    for number in range(EVENTS):
        kind, title = EVENT_KINDS[number % len(EVENT_KINDS)]
        region = REGIONS[number % len(REGIONS)]
        day = today - dt.timedelta(days=rng.randrange(20, 900))
        started = _approximate(day, rng)
        tier = "public" if number % 9 == 0 else "network" if number % 3 == 0 else "internal"
        event = services.event_create(
            actor=monitor,
            values={
                "title": f"{title}, {rng.choice(PLACES)}",
                "description": f"Сведения собраны волонтёрами мониторинга.\n{DEMO_MARK}",
                "started": started,
                "region": region,
                "place": rng.choice(PLACES),
                "type": kind,
                "projects": ["assemblies-and-detentions"] if kind in ACT_OF_KIND and number % 6 < 3 else [],
                "monitoring_status": rng.choice(["being-documented", "verified"]),
                "tier": tier,
            },
        )
        counts["events"] += 1
        counts[f"events_{tier}"] += 1
        act = services.act_add(
            actor=monitor,
            event_id=event.pk,
            values=_first_act(kind, rng),
        )
        counts["acts"] += 1
        if number % 4 == 0:
            links.involvement_add(
                actor=monitor,
                act_id=act.pk,
                values={
                    "perpetrator": "сотрудники полиции без знаков различия (вымышленная запись)",
                    "degree": "carried-out",
                    "perpetrator_type": "police",
                },
            )
            counts["involvements"] += 1
        if number % 3 == 0:
            links.information_add(
                actor=monitor,
                event_id=event.pk,
                values={
                    "source_kind": "media",
                    "title": "Сообщение местного издания (вымышленное)",
                    "url": f"https://news.example.org/{number}",
                    "reliability": rng.choice(["high", "usually-reliable", "fairly-reliable"]),
                    "language": "ru",
                    "dated": day.isoformat(),
                },
            )
            counts["sources"] += 1
        if number % 5 == 0:
            links.intervention_add(
                actor=lawyer,
                event_id=event.pk,
                values={
                    "type": "complaint-to-prosecutor",
                    "status": rng.choice(["planned", "awaiting-response", "completed"]),
                    "priority": "high",
                    "parties_requested": "Прокуратура региона (вымышленная запись)",
                    "dated": (day + dt.timedelta(days=3)).isoformat(),
                },
            )
            counts["interventions"] += 1
        if number == 0:
            # A mass detention whose detainees were then named one by one, as volunteers learn them.
            listed = "\n".join(f"{name}; {rng.choice(STATIONS)}; 1{n}:30" for n, name in enumerate(NAMES))
            counts["acts"] += detainees_add(actor=monitor, event_id=event.pk, text=listed).added
    return dict(counts)


def _approximate(day: dt.date, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.8:
        return day.isoformat()
    if roll < 0.93:
        return day.strftime("%Y-%m")
    return str(day.year)


def _first_act(kind: str, rng: random.Random) -> dict[str, Any]:
    values: dict[str, Any] = {"type": ACT_OF_KIND[kind]}
    if kind in ("rally", "march"):
        values |= {"victim_group": "участники акции", "victim_count": rng.randint(3, 120)}
        values |= {"detention_place": "police-station", "police_station": rng.choice(STATIONS)}
        values["end_status"] = "released-with-protocol"
        values["consequences"] = ["fine-imposed"]
    elif kind == "death-in-custody":
        values |= {
            "end_status": "dead",
            "consequences": ["death"],
            "detention_place": "temporary-detention-facility",
        }
        values["autopsy"] = "Заключение не выдано родственникам (вымышленная запись)"
    elif kind == "searches-and-raids":
        values |= {"victim_group": "активисты и их родственники", "victim_count": rng.randint(2, 9)}
        values["consequences"] = ["financial-loss"]
    return values

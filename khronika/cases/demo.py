"""The demo network's case desk: made-up calls, cases at every step, tasks (some overdue), notes, a
referral to a regional group, and the request form open on the public site. Written through the services
by the demo centre's hotline operator and lawyer; every name is made up and says so."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone

from khronika.accounts.models import User
from khronika.cases import services
from khronika.directory.demo.records import DemoNetwork
from khronika.directory.demo.words import DEMO_MARK
from khronika.directory.models import Organisation
from khronika.monitoring.models import Event

# The demo centre's users who document and take calls (directory/demo/words.py, ROLE_LOGINS).
DESK_LOGINS = ("monitor", "lawyer", "hotline", "coordinator")
CALLS = (
    (
        "phone",
        "urgent",
        "Сына задержали у метро, в ОВД не пускают адвоката.",
        "Звонящая Вымышленная",
        "RU-MOW",
    ),
    ("messenger", "high", "Пришла повестка в Центр «Э», что делать?", "Придуманный Заявитель", "RU-PER"),
    ("email", "normal", "Штраф за одиночный пикет, хочу обжаловать.", "Условная Отправительница", "RU-TVE"),
    ("visit", "normal", "Уволили после репоста, прошу консультацию.", "Образцова Посетительница", "RU-SPE"),
    ("web_form", "urgent", "Обыск у соседей, забрали телефоны.", "", "RU-NIZ"),
)


def demo_node_create(*, seed: int, organisations: int) -> DemoNetwork:
    """The whole demo on an empty node, in one transaction: the network (directory), then the centre's
    monitoring and its case desk. Raises Conflict when the demo is loaded already."""
    from khronika.directory.demo import demo_network_create
    from khronika.monitoring.demo import demo_monitoring_create

    with transaction.atomic():
        network = demo_network_create(seed=seed, organisations=organisations)
        users = {u.username: u for u in User.objects.filter(username__in=DESK_LOGINS)}
        counts = dict(network.counts)
        counts |= demo_monitoring_create(seed=seed, monitor=users["monitor"], lawyer=users["lawyer"])
        counts |= demo_cases_create(
            operator=users["hotline"], lawyer=users["lawyer"], coordinator=users["coordinator"]
        )
    network.counts = counts
    return network


def demo_cases_create(*, operator: User, lawyer: User, coordinator: User) -> dict[str, int]:
    """Returns the counts."""
    counts: Counter[str] = Counter()
    services.help_desk_set(
        actor=coordinator,
        values={"accepts_public_requests": True, "public_note": f"Отвечаем в течение суток.\n{DEMO_MARK}"},
    )
    intakes = []
    for channel, urgency, summary, name, region in CALLS:
        values = {"channel": channel, "urgency": urgency, "summary": summary, "region": region}
        if name:
            values |= {
                "caller_name": f"{name} (вымышленное имя)",
                "contact": "+7 900 000-00-00 (вымышленный)",
            }
        intakes.append(services.intake_create(actor=operator, values=values))
        counts["intakes"] += 1
    today = timezone.localdate()
    detention = services.case_open(
        actor=lawyer,
        intake_id=intakes[0].pk,
        values={"title": "Задержание у метро, недопуск адвоката", "category": "protest-detentions"},
    )
    services.case_update(actor=lawyer, case_id=detention.pk, values={"status": "assistance"})
    services.task_add(
        actor=lawyer,
        case_id=detention.pk,
        values={"title": "Подать жалобу на недопуск защитника", "due": str(today - dt.timedelta(days=1))},
    )
    services.task_add(
        actor=lawyer,
        case_id=detention.pk,
        values={"title": "Суд по протоколу", "due": str(today + dt.timedelta(days=3))},
    )
    services.case_note_add(
        actor=lawyer, case_id=detention.pk, text="Дозвонились в ОВД, адвоката пустили через 4 часа."
    )
    event = Event.objects.filter(steward_id=lawyer.organisation_id, event_type__code="rally").first()
    if event is not None:
        services.case_event_link(actor=lawyer, case_id=detention.pk, event_id=event.pk)
    fine = services.case_open(
        actor=lawyer,
        intake_id=intakes[2].pk,
        values={
            "title": "Обжалование штрафа за пикет",
            "category": "freedom-of-assembly",
            "region": "RU-TVE",
        },
    )
    services.case_update(actor=lawyer, case_id=fine.pk, values={"status": "assessment"})
    partner = (
        Organisation.objects.filter(deleted_at__isnull=True, regions__code="RU-TVE", status="active")
        .exclude(pk=lawyer.organisation_id)
        .first()
    )
    if partner is not None:
        services.referral_create(
            actor=lawyer,
            case_id=fine.pk,
            partner_id=partner.pk,
            reason="Партнёры работают в Твери и ведут такие дела.",
            shared_summary="Штраф за одиночный пикет; апелляцию подать в течение 10 дней (вымышленное дело).",
        )
        counts["referrals"] += 1
    closed = services.case_open(
        actor=lawyer,
        intake_id=intakes[3].pk,
        values={"title": "Увольнение за публикацию", "category": "labour-rights"},
    )
    services.case_update(actor=lawyer, case_id=closed.pk, values={"status": "assessment"})
    services.case_update(
        actor=lawyer,
        case_id=closed.pk,
        values={
            "status": "closed",
            "outcome": "compensation",
            "compensation_amount": "45000",
            "compensation_currency": "RUB",
        },
    )
    counts["cases"] = 3
    counts["tasks"] = 2
    return dict(counts)

"""The demo network: a clearly fictional but realistic directory to try Khronika on.

``demo_plan`` is pure: from a seed and the reference data it plans every record (organisations, users,
persons, relationships, practice notes) without touching the database, so the same seed always plans the
same network. ``demo_network_create`` then builds the plan through the services, acting as the people of
the network would: the node operator starts the coordinating centre, its coordinator adds the directory,
the regional groups with users of their own keep their own records.

Every organisation's description ends with ``DEMO_MARK``; every e-mail address and website is under
example.org, every phone number under +7 900 000-…; the names come from word lists.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from khronika.accounts.models import Role, User
from khronika.accounts.services import user_create
from khronika.core.errors import Conflict, ValidationFailed
from khronika.directory import services
from khronika.directory.models import AreaOfWork, Organisation, OrganisationKind, Region, RegionKind

# One password for every demo user, printed with the sign-ins: the demo is for trying Khronika, never for
# real records.
DEMO_PASSWORD = "khronika-demo-1968"  # noqa: S105
DEFAULT_SEED = 1968
DEFAULT_ORGANISATIONS = 320
MINIMUM_ORGANISATIONS = 10
CENTRE_NAME_RU = "Демонстрационная Хельсинкская группа"
CENTRE_NAME_EN = "Demo Helsinki Group"
CENTRE_REGION = "RU-MOW"
USER_GROUP_REGIONS = ("RU-TVE", "RU-PER")
DEMO_MARK = (
    "Вымышленная запись демонстрационной сети «Хроники». A fictional record of the Khronika demo network."
)
CENTRE = "centre"

# --- Word lists -------------------------------------------------------------------------------------------
# fmt: off

QUOTED = (
    ("Рассвет", "Rassvet"), ("Маяк", "Mayak"), ("Перекрёсток", "Perekryostok"), ("Опора", "Opora"),
    ("Открытая дверь", "Otkrytaya Dver"), ("Гражданский щит", "Grazhdansky Shchit"), ("Мост", "Most"),
    ("Северный ветер", "Severny Veter"), ("Право и совесть", "Pravo i Sovest"), ("Исток", "Istok"),
    ("Родник", "Rodnik"), ("Компас", "Kompas"), ("Ориентир", "Orientir"), ("Гавань", "Gavan"),
    ("Берег", "Bereg"), ("Светоч", "Svetoch"), ("Причал", "Prichal"), ("Пульс", "Puls"), ("Ключ", "Klyuch"),
    ("Журавль", "Zhuravl"), ("Вереск", "Veresk"), ("Зелёная лампа", "Zelyonaya Lampa"), ("Полынь", "Polyn"),
    ("Камертон", "Kamerton"), ("Ледокол", "Ledokol"), ("Семафор", "Semafor"), ("Парус", "Parus"),
    ("Горизонт", "Gorizont"), ("Кедр", "Kedr"), ("Подорожник", "Podorozhnik"), ("Перо", "Pero"),
    ("Сосновый бор", "Sosnovy Bor"), ("Тёплый дом", "Tyoply Dom"), ("Новая тропа", "Novaya Tropa"),
    ("Зарница", "Zarnitsa"), ("Равенство", "Ravenstvo"), ("Свеча", "Svecha"), ("Плечо", "Plecho"),
    ("Узел", "Uzel"),
)
# (Russian pattern, English pattern, areas the pattern suggests); {q} a quoted word, {city}, {region}, {n}.
NAME_PATTERNS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    OrganisationKind.HUMAN_RIGHTS_GROUP: (
        ("Правозащитный центр «{q}» ({city})", "Human Rights Centre “{q}” ({city})",
         ("legal-aid", "hotline")),
        ("Правозащитная группа «{q}» ({city})", "Human Rights Group “{q}” ({city})",
         ("protest-detentions", "police-abuse")),
        ("Комитет солдатских матерей, г. {city}", "Soldiers' Mothers Committee, {city}",
         ("conscripts-military", "hazing", "alternative-civilian-service")),
        ("Общество защиты прав заключённых «{q}» ({city})", "Prisoners' Rights Society “{q}” ({city})",
         ("places-of-detention", "political-prisoners")),
        ("Группа мониторинга мест несвободы «{q}» ({city})", "Detention Monitoring Group “{q}” ({city})",
         ("places-of-detention", "torture-prevention", "public-monitoring-commissions")),
        ("Центр правовой помощи «{q}» ({city})", "Legal Aid Centre “{q}” ({city})",
         ("legal-aid", "strategic-litigation")),
    ),
    OrganisationKind.NGO: (
        ("Фонд «{q}» ({city})", "{q} Foundation ({city})", ("social-rights", "childrens-rights")),
        ("Ассоциация «{q}» ({city})", "{q} Association ({city})", ("disability-rights", "health-rights")),
        ("Кризисный центр для женщин «{q}» ({city})", "Women's Crisis Centre “{q}” ({city})",
         ("womens-rights", "domestic-violence")),
        ("Экологический союз «{q}» ({city})", "Environmental Union “{q}” ({city})",
         ("environmental-rights",)),
        ("Центр помощи мигрантам «{q}» ({city})", "Migrant Aid Centre “{q}” ({city})",
         ("refugees-migrants", "labour-rights")),
        ("Просветительское общество «{q}» ({city})", "Educational Society “{q}” ({city})",
         ("human-rights-education", "historical-memory")),
    ),
    OrganisationKind.COMMISSION: (
        ("Общественная наблюдательная комиссия — {region}", "Public Monitoring Commission — {region}",
         ("public-monitoring-commissions", "places-of-detention")),
        ("Уполномоченный по правам человека — {region}", "Human Rights Commissioner — {region}",
         ("social-rights",)),
        ("Уполномоченный по правам ребёнка — {region}", "Children's Rights Commissioner — {region}",
         ("childrens-rights",)),
    ),
    OrganisationKind.STATE_BODY: (
        ("Управление Министерства юстиции — {region}", "Ministry of Justice Department — {region}",
         ("freedom-of-association",)),
        ("Управление ФСИН — {region}", "Penitentiary Service Department — {region}",
         ("places-of-detention",)),
        ("Прокуратура — {region}", "Prosecutor's Office — {region}", ("police-abuse", "torture-prevention")),
        ("Военный комиссариат — {region}", "Military Commissariat — {region}", ("conscripts-military",)),
        ("Управление МВД, г. {city}", "Police Department, {city}", ("police-abuse", "protest-detentions")),
    ),
    OrganisationKind.COURT: (
        ("Районный суд № {n}, г. {city}", "District Court No. {n}, {city}", ("fair-trial",)),
        ("Региональный суд — {region}", "Regional Court — {region}", ("fair-trial",)),
        ("Гарнизонный военный суд, г. {city}", "Garrison Military Court, {city}", ("fair-trial",)),
    ),
    OrganisationKind.MEDIA: (
        ("Газета «{q}» ({city})", "{q} Newspaper ({city})", ("freedom-of-speech",)),
        ("Интернет-издание «{q}» ({city})", "{q} Online ({city})",
         ("freedom-of-speech", "journalists-safety")),
        ("Радио «{q}» ({city})", "Radio {q} ({city})", ("freedom-of-speech",)),
    ),
    OrganisationKind.INTERNATIONAL: (
        ("Международная сеть «{q}»", "{q} International Network",
         ("persecution-abroad", "political-prisoners")),
        ("Европейский фонд «{q}»", "European {q} Foundation",
         ("human-rights-education", "freedom-of-association")),
        ("Центр поддержки гражданского общества «{q}»", "Civil Society Support Centre “{q}”",
         ("freedom-of-association", "persecution-abroad")),
    ),
    OrganisationKind.INITIATIVE: (
        ("Инициативная группа «{q}» ({city})", "Initiative Group “{q}” ({city})",
         ("housing-rights", "environmental-rights")),
        ("Волонтёрское движение «{q}» ({city})", "Volunteer Movement “{q}” ({city})",
         ("election-observation", "elections")),
        ("Группа поддержки политзаключённых «{q}» ({city})",
         "Political Prisoners Support Group “{q}” ({city})", ("political-prisoners", "court-monitoring")),
    ),
}
KIND_WEIGHTS: dict[str, int] = {
    OrganisationKind.HUMAN_RIGHTS_GROUP: 34, OrganisationKind.NGO: 18, OrganisationKind.COMMISSION: 8,
    OrganisationKind.STATE_BODY: 10, OrganisationKind.COURT: 8, OrganisationKind.MEDIA: 7,
    OrganisationKind.INTERNATIONAL: 5, OrganisationKind.INITIATIVE: 10,
}
CIVIC_KINDS = (OrganisationKind.HUMAN_RIGHTS_GROUP, OrganisationKind.NGO, OrganisationKind.INITIATIVE)
OFFICIAL_KINDS = (OrganisationKind.STATE_BODY, OrganisationKind.COURT, OrganisationKind.COMMISSION)
# The share of each kind shown in the public directory (0.3 for the kinds not named): about a third in all.
PUBLIC_SHARE: dict[str, float] = {
    OrganisationKind.INITIATIVE: 0.15, OrganisationKind.STATE_BODY: 0.5, OrganisationKind.COURT: 0.5,
    OrganisationKind.COMMISSION: 0.5, OrganisationKind.MEDIA: 0.4, OrganisationKind.INTERNATIONAL: 0.4,
}
KIND_SENTENCES: dict[str, str] = {
    OrganisationKind.HUMAN_RIGHTS_GROUP: "Правозащитная группа: принимает обращения, ведёт мониторинг.",
    OrganisationKind.NGO: "Некоммерческая организация: помощь людям и защита их прав.",
    OrganisationKind.COMMISSION: "Правозащитный институт при органах власти.",
    OrganisationKind.STATE_BODY: "Государственный орган, к которому обращаются группы сети.",
    OrganisationKind.COURT: "Суд, заседания которого наблюдают группы сети.",
    OrganisationKind.MEDIA: "Независимое издание, пишет о правах человека.",
    OrganisationKind.INTERNATIONAL: "Международная организация, партнёр сети.",
    OrganisationKind.INITIATIVE: "Неформальная инициатива жителей.",
}
# Weights of the regions that get more than their one organisation.
BIG_REGIONS = {
    "RU-MOW": 10, "RU-SPE": 6, "RU-SVE": 3, "RU-NVS": 3, "RU-TA": 2, "RU-PER": 2, "RU-KDA": 2, "RU-NIZ": 2,
    "RU-SAM": 2, "RU-BA": 2, "RU-ROS": 2, "RU-KYA": 2, "RU-IRK": 2,
}
INTERNAL_NOTES = (
    "Связь через координатора сети; встречи раз в квартал.",
    "Просили не упоминать сотрудников в публичных материалах.",
    "Нужна помощь юриста по административным делам.",
    "Отчёт за прошлый год получен, замечаний нет.",
    "Контакты могли устареть: уточнить у соседних групп.",
)
STREETS = ("Центральная", "Садовая", "Лесная", "Школьная", "Набережная", "Полевая", "Заречная", "Луговая")
MALE = (
    ("Андрей", "Andrey", "Андреевич"), ("Павел", "Pavel", "Павлович"), ("Сергей", "Sergey", "Сергеевич"),
    ("Николай", "Nikolay", "Николаевич"), ("Михаил", "Mikhail", "Михайлович"), ("Олег", "Oleg", "Олегович"),
    ("Григорий", "Grigory", "Григорьевич"), ("Тимур", "Timur", "Тимурович"),
    ("Виктор", "Viktor", "Викторович"), ("Роман", "Roman", "Романович"),
)
FEMALE = (
    ("Анна", "Anna"), ("Мария", "Maria"), ("Елена", "Elena"), ("Ольга", "Olga"), ("Наталья", "Natalya"),
    ("Ирина", "Irina"), ("Вера", "Vera"), ("Людмила", "Lyudmila"), ("Дарья", "Darya"), ("Зоя", "Zoya"),
)
SURNAMES = (
    ("Соколов", "Sokolov"), ("Лебедев", "Lebedev"), ("Воронцов", "Vorontsov"), ("Кузнецов", "Kuznetsov"),
    ("Белов", "Belov"), ("Орлов", "Orlov"), ("Крылов", "Krylov"), ("Зимин", "Zimin"), ("Ветров", "Vetrov"),
    ("Марков", "Markov"), ("Рябинин", "Ryabinin"), ("Гусев", "Gusev"), ("Сафонов", "Safonov"),
    ("Тихонов", "Tikhonov"), ("Ершов", "Yershov"), ("Полозов", "Polozov"), ("Ладыгин", "Ladygin"),
)
TITLES: dict[str, tuple[str, ...]] = {
    OrganisationKind.MEDIA: ("главный редактор", "корреспондент"),
    OrganisationKind.COMMISSION: ("член комиссии", "руководитель аппарата"),
    OrganisationKind.INTERNATIONAL: ("программный директор", "координатор по России"),
}
CIVIC_TITLES = ("руководитель", "юрист", "координатор", "член правления", "волонтёр", "пресс-секретарь")
# (title, what was done, outcome with {n} and {m}, lessons, areas the practice belongs to)
NOTE_TEMPLATES = (
    ("Горячая линия в дни массовых задержаний",
     "Организовали дежурство юристов и телефон горячей линии; принимали обращения трое суток.",
     "Обратились: {n}; дел прекращено: {m}.",
     "Дежурства планировать заранее; держать шаблоны ходатайств под рукой.",
     ("hotline", "protest-detentions", "freedom-of-assembly", "legal-aid")),
    ("Жалобы на условия содержания в СИЗО",
     "Собрали свидетельства бывших заключённых и направили жалобы в прокуратуру и ОНК.",
     "Представлений прокуратуры: {m}; в камерах сделали ремонт.",
     "Жалобы действеннее, когда их подают одновременно несколько человек.",
     ("places-of-detention", "prisoners-rights", "public-monitoring-commissions", "torture-prevention")),
    ("Школа наблюдателей",
     "Провели обучение наблюдателей перед выборами.",
     "Обучено наблюдателей: {n}; составлено актов о нарушениях: {m}.",
     "Нужны короткие памятки и связь с юристами в день голосования.",
     ("election-observation", "elections")),
    ("Мониторинг судебных заседаний",
     "Организовали наблюдение за заседаниями по делам участников акций и журналистов.",
     "Опубликовано отчётов о заседаниях: {m}.",
     "Заранее согласовать с адвокатом, что можно публиковать.",
     ("court-monitoring", "fair-trial", "political-prisoners", "journalists-safety", "freedom-of-speech")),
    ("Консультации призывников",
     "Вели приём призывников и их родителей, помогали с заявлениями на АГС.",
     "Консультаций: {n}; заявлений на АГС удовлетворено: {m}.",
     "Заявление на АГС подавать не позднее чем за полгода до призыва.",
     ("conscripts-military", "alternative-civilian-service", "hazing")),
    ("Помощь пострадавшим от домашнего насилия",
     "Сопровождали обращения в полицию и в суд, искали убежище.",
     "Получили защиту или жильё: {m}.",
     "Сразу фиксировать побои в травмпункте и сохранять переписку.",
     ("domestic-violence", "womens-rights")),
    ("Запросы о судьбе задержанных",
     "Рассылали запросы в отделы полиции и ИВС, искали задержанных.",
     "Найдено задержанных: {n}; допущены защитники: {m}.",
     "Звонить в дежурные части с первых часов и записывать ответы.",
     ("police-abuse", "protest-detentions", "torture-prevention", "deaths-caused-by-state")),
    ("Архив устной истории",
     "Записали воспоминания бывших политзаключённых и их родственников.",
     "Интервью: {n}; опубликовано с согласия рассказчиков: {m}.",
     "Согласие на публикацию брать письменно, отдельно для каждого фрагмента.",
     ("historical-memory", "human-rights-education")),
    ("Жалоба в Конституционный суд",
     "Подготовили жалобу на норму закона, применённую в деле участника группы.",
     "Жалоба принята к рассмотрению; похожих дел приостановлено: {m}.",
     "Стратегическое дело требует года работы и одного ведущего юриста.",
     ("strategic-litigation", "legal-aid", "freedom-of-conscience", "freedom-of-association", "lgbt-rights",
      "internet-freedom", "national-discrimination", "indigenous-peoples")),
    ("Помощь вынужденным переселенцам",
     "Помогали с документами, жильём и работой семьям переселенцев.",
     "Семей с восстановленными документами: {n}; нашли жильё: {m}.",
     "Держать список доброжелательных работодателей.",
     ("refugees-migrants", "housing-rights", "labour-rights", "persecution-abroad")),
    ("Проверка доступности учреждений",
     "Вместе с людьми с инвалидностью проверили поликлиники, школы и суды.",
     "Проверено учреждений: {n}; устранено нарушений: {m}.",
     "Фотографировать нарушения и сразу отправлять обращения в прокуратуру.",
     ("disability-rights", "health-rights", "social-rights", "childrens-rights")),
    ("Общественная экологическая экспертиза",
     "Заказали независимую экспертизу проекта свалки и собрали подписи жителей.",
     "Подписей: {n}; проект отозван после публичных слушаний.",
     "Экспертизу заказывать до слушаний, а не после.",
     ("environmental-rights",)),
)
ROLE_LOGINS = {role: str(role.value) for role in Role} | {
    Role.ADMINISTRATOR: "admin", Role.HOTLINE_OPERATOR: "hotline",
}

# fmt: on


# --- The plan ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    username: str
    password: str
    role: str
    organisation: str


@dataclass
class DemoNetwork:
    sign_ins: list[SignIn]
    counts: dict[str, int]
    seconds: float = 0.0


@dataclass(frozen=True)
class PlanRegion:
    code: str
    kind: str
    name_ru: str
    name_en: str
    capital_ru: str = ""
    capital_en: str = ""
    federal_district: str = ""


@dataclass(frozen=True)
class PlanArea:
    code: str
    name_ru: str


@dataclass(frozen=True)
class PlannedContact:
    kind: str
    value: str
    tier: str
    label: str = ""


@dataclass(frozen=True)
class PlannedDesignation:
    kind: str
    listed_on: str
    removed_on: str | None
    legal_basis: str
    register_entry: str


@dataclass(frozen=True)
class PlannedOrganisation:
    key: str
    values: dict[str, Any]
    keeps_itself: bool = False
    contacts: tuple[PlannedContact, ...] = ()
    designations: tuple[PlannedDesignation, ...] = ()


@dataclass(frozen=True)
class PlannedUser:
    username: str
    role: str
    display_name: str
    organisation: str


@dataclass(frozen=True)
class PlannedPosition:
    organisation: str
    title: str
    started: str
    ended: str = ""


@dataclass(frozen=True)
class PlannedPerson:
    steward: str
    values: dict[str, Any]
    positions: tuple[PlannedPosition, ...]
    contacts: tuple[PlannedContact, ...] = ()


@dataclass(frozen=True)
class PlannedRelationship:
    source: str
    target: str
    kind: str
    started: str
    ended: str = ""
    note: str = ""


@dataclass(frozen=True)
class PlannedNote:
    organisation: str
    values: dict[str, Any]


@dataclass(frozen=True)
class DemoPlan:
    organisations: tuple[PlannedOrganisation, ...]
    users: tuple[PlannedUser, ...]
    persons: tuple[PlannedPerson, ...]
    relationships: tuple[PlannedRelationship, ...]
    notes: tuple[PlannedNote, ...]

    def sign_ins(self) -> list[SignIn]:
        names = {org.key: org.values["name_ru"] for org in self.organisations}
        return [SignIn(u.username, DEMO_PASSWORD, u.role, names[u.organisation]) for u in self.users]


def demo_plan(
    *, seed: int, organisations: int, regions: Sequence[PlanRegion], areas: Sequence[PlanArea]
) -> DemoPlan:
    """Every record of the demo network, planned from ``seed`` alone: equal seeds, equal plans.

    The users come first and draw a fixed amount of chance, so the sign-ins of a seed do not depend on
    the number of organisations."""
    if organisations < MINIMUM_ORGANISATIONS:
        raise ValidationFailed(fields={"organisations": [f"Give at least {MINIMUM_ORGANISATIONS}."]})
    if not any(r.kind == RegionKind.FEDERAL_SUBJECT for r in regions) or not areas:
        raise ValidationFailed("Load the reference data (regions and areas of work) first.")
    planner = _Planner(random.Random(seed), regions, areas)
    planner.add_centre()
    planner.add_user_groups()
    planner.add_organisations(organisations - len(planner.organisations))
    planner.add_persons()
    planner.add_relationships()
    planner.add_notes()
    return planner.plan()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Planner:
    def __init__(self, rng: random.Random, regions: Sequence[PlanRegion], areas: Sequence[PlanArea]) -> None:
        self.rng = rng
        self.regions = {r.code: r for r in sorted(regions, key=lambda r: r.code)}
        self.subjects = [r for r in self.regions.values() if r.kind == RegionKind.FEDERAL_SUBJECT]
        self.countries = [r for r in self.regions.values() if r.kind == RegionKind.COUNTRY]
        self.areas = {a.code: a for a in sorted(areas, key=lambda a: a.code)}
        self.organisations: list[PlannedOrganisation] = []
        self.users: list[PlannedUser] = []
        self.persons: list[PlannedPerson] = []
        self.relationships: list[PlannedRelationship] = []
        self.notes: list[PlannedNote] = []
        self.admins: dict[str, str] = {}
        self.people_of: dict[str, list[str]] = {}
        self.names: set[str] = set()
        self.slugs: set[str] = set()
        self.phones = 0

    def plan(self) -> DemoPlan:
        return DemoPlan(
            tuple(self.organisations),
            tuple(self.users),
            tuple(self.persons),
            tuple(self.relationships),
            tuple(self.notes),
        )

    # chance and small values

    def date(self, first_year: int, last_year: int, *, exact: bool = False, known: bool = False) -> str:
        """An approximate date as the services read it: a day, a month, a year, ~year or unknown (empty);
        ``exact`` gives a day, ``known`` anything but unknown."""
        year = self.rng.randint(first_year, last_year)
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        weights = (1, 0, 0, 0, 0) if exact else (25, 20, 35, 10, 0 if known else 10)
        precision = self.rng.choices(("day", "month", "year", "estimate", "unknown"), weights)[0]
        return {
            "day": f"{year}-{month:02d}-{day:02d}",
            "month": f"{year}-{month:02d}",
            "year": str(year),
            "estimate": f"~{year}",
            "unknown": "",
        }[precision]

    def phone(self) -> str:
        self.phones += 1
        return f"+7 900 {self.phones // 10000:03d}-{self.phones // 100 % 100:02d}-{self.phones % 100:02d}"

    def person_name(self) -> tuple[str, str]:
        """A fictional "Surname Name Patronymic" and its English "Name Surname", never given twice."""
        for attempt in range(1000):  # noqa: B007 - named in the fallback below
            surname_ru, surname_en = self.rng.choice(SURNAMES)
            father = self.rng.choice(MALE)[2]
            if self.rng.random() < 0.5:
                first_ru, first_en, _patronymic = self.rng.choice(MALE)
                patronymic = father
            else:
                (first_ru, first_en), patronymic = self.rng.choice(FEMALE), father[:-2] + "на"
                surname_ru, surname_en = surname_ru + "а", surname_en + "a"
            name_ru = f"{surname_ru} {first_ru} {patronymic}"
            if name_ru not in self.names:
                break
        else:
            name_ru = f"{name_ru} ({attempt})"
        self.names.add(name_ru)
        return name_ru, f"{first_en} {surname_en}"

    def home(self, count: int) -> list[PlanRegion]:
        """Every federal subject once (in a random order), then more in the big ones."""
        homes = self.rng.sample(self.subjects, len(self.subjects))[:count]
        weights = [BIG_REGIONS.get(r.code, 1) for r in self.subjects]
        return homes + self.rng.choices(self.subjects, weights, k=count - len(homes))

    # organisations

    def organisation(
        self,
        kind: str,
        region: PlanRegion,
        *,
        pattern: int | None = None,
        keeps_itself: bool = False,
        key: str = "",
    ) -> PlannedOrganisation:
        kind, name_ru, name_en, hints, slug = self.name(kind, region, pattern)
        while slug in self.slugs:
            slug = f"{slug}-{len(self.slugs)}"
        self.slugs.add(slug)
        areas = self.areas_for(kind, hints)
        org = PlannedOrganisation(
            key=key or f"org-{len(self.organisations):03d}",
            values=self.organisation_values(kind, region, name_ru, name_en, slug, areas),
            keeps_itself=keeps_itself,
            contacts=self.organisation_contacts(kind, slug, region),
            designations=self.designations(kind),
        )
        self.organisations.append(org)
        return org

    def name(
        self, kind: str, region: PlanRegion, pattern: int | None
    ) -> tuple[str, str, str, tuple[str, ...], str]:
        """A name not given yet: (kind, Russian, English, areas the name suggests, a slug for addresses).

        When the kind's names are used up in this region (a third prosecutor's office in Moscow, say) the
        organisation becomes an informal initiative, whose names are many."""
        patterns = NAME_PATTERNS[kind]
        city_ru, city_en = region.capital_ru or region.name_ru, region.capital_en or region.name_en
        for attempt in range(60):
            index = pattern if pattern is not None and attempt < 20 else self.rng.randrange(len(patterns))
            name_ru, name_en, hints = patterns[index]
            (quoted_ru, quoted_en), n = self.rng.choice(QUOTED), self.rng.randint(1, 9)
            russian = name_ru.format(q=quoted_ru, city=city_ru, region=region.name_ru, n=n)
            if russian not in self.names:
                self.names.add(russian)
                english = name_en.format(q=quoted_en, city=city_en, region=region.name_en, n=n)
                word = quoted_en if "{q}" in name_ru else kind
                return kind, russian, english, hints, _slug(f"{word}-{city_en}")
        return self.name(OrganisationKind.INITIATIVE, region, None)

    def areas_for(self, kind: str, hints: Sequence[str]) -> list[str]:
        """The pattern's areas; groups add one or two of their own."""
        chosen = [code for code in hints if code in self.areas]
        if kind in (*CIVIC_KINDS, OrganisationKind.INTERNATIONAL) or not chosen:
            count = self.rng.randint(0, 1) if chosen else self.rng.randint(1, 2)
            extra = self.rng.sample(sorted(self.areas), k=min(len(self.areas), count))
            chosen += [code for code in extra if code not in chosen]
        return chosen

    def organisation_values(
        self, kind: str, region: PlanRegion, name_ru: str, name_en: str, slug: str, areas: list[str]
    ) -> dict[str, Any]:
        official = kind in OFFICIAL_KINDS
        status = (
            "active"
            if official
            else self.rng.choices(("active", "dormant", "closed", "liquidated"), (76, 11, 8, 5))[0]
        )
        covered = [region.code]
        if kind == OrganisationKind.INTERNATIONAL:
            covered += [r.code for r in self.rng.sample(self.subjects, k=min(4, len(self.subjects)))]
        elif kind in CIVIC_KINDS and self.rng.random() < 0.25:
            same_district = [r for r in self.subjects if r.federal_district == region.federal_district]
            covered += [r.code for r in self.rng.sample(same_district, k=min(2, len(same_district)))]
        area_names = ", ".join(self.areas[code].name_ru.lower() for code in areas)
        internal = self.rng.choice(INTERNAL_NOTES) if kind in CIVIC_KINDS and self.rng.random() < 0.4 else ""
        return {
            "kind": str(kind),
            "name_ru": name_ru,
            "name_en": name_en,
            "founded": self.date(1988 if kind in CIVIC_KINDS else 1991, 2023),
            "status": status,
            "home_region": region.code,
            "regions": list(dict.fromkeys(covered)),
            "areas": areas,
            "description": f"{KIND_SENTENCES[kind]} Направления работы: {area_names}.\n{DEMO_MARK}",
            "website": f"https://{slug}.example.org" if self.rng.random() < 0.5 else "",
            "is_public": self.rng.random() < PUBLIC_SHARE.get(kind, 0.3),
            "internal_notes": internal,
        }

    def organisation_contacts(self, kind: str, slug: str, region: PlanRegion) -> tuple[PlannedContact, ...]:
        city = region.capital_ru or region.name_ru
        address = f"г. {city}, ул. {self.rng.choice(STREETS)}, д. {self.rng.randint(1, 60)}"
        if kind in OFFICIAL_KINDS:
            return (
                PlannedContact("address", address, "public", "приёмная"),
                PlannedContact("phone", self.phone(), "public", "приёмная"),
            )
        contacts = [
            PlannedContact("email", f"info@{slug}.example.org", "public", "общий адрес"),
            PlannedContact("phone", self.phone(), "network", "для партнёров"),
        ]
        if self.rng.random() < 0.5:
            contacts.append(
                PlannedContact("email", f"coordination@{slug}.example.org", "internal", "для координации")
            )
        if self.rng.random() < 0.35:
            contacts.append(
                PlannedContact(
                    "messenger", f"@{slug.replace('-', '_')}_safe", "protected", "экстренная связь"
                )
            )
        if self.rng.random() < 0.2:
            contacts.append(PlannedContact("address", address, "protected", "офис"))
        return tuple(contacts)

    def designations(self, kind: str) -> tuple[PlannedDesignation, ...]:
        if kind in OFFICIAL_KINDS:
            return ()
        if kind == OrganisationKind.INTERNATIONAL and self.rng.random() < 0.3:
            listed = self.date(2015, 2024, exact=True)
            return (
                PlannedDesignation(
                    "undesirable",
                    listed,
                    None,
                    "Федеральный закон от 23.05.2015 № 129-ФЗ",
                    f"Демо-перечень, запись № {self.rng.randint(1, 999)}",
                ),
            )
        if self.rng.random() < 0.12:
            listed = self.date(2013, 2024, exact=True)
            basis = (
                "Федеральный закон от 14.07.2022 № 255-ФЗ"
                if listed >= "2022-12-01"
                else "Федеральный закон от 20.07.2012 № 121-ФЗ"
            )
            removed = self.date(int(listed[:4]) + 1, 2025, exact=True) if self.rng.random() < 0.1 else None
            return (
                PlannedDesignation(
                    "foreign_agent",
                    listed,
                    removed,
                    basis,
                    f"Демо-реестр, запись № {self.rng.randint(1, 999)}",
                ),
            )
        return ()

    def add_centre(self) -> None:
        region = self.regions.get(CENTRE_REGION) or self.subjects[0]
        org = self.organisation(
            OrganisationKind.HUMAN_RIGHTS_GROUP, region, pattern=0, keeps_itself=True, key=CENTRE
        )
        values = org.values | {
            "name_ru": CENTRE_NAME_RU,
            "name_en": CENTRE_NAME_EN,
            "founded": "1989-12",
            "status": "active",
            "is_public": True,
            "areas": sorted(self.areas)[:8],
            "website": "https://centre.example.org",
            "description": "Координационный центр сети: справочник, бюллетень, связь между группами.\n"
            + DEMO_MARK,
        }
        contacts = (
            PlannedContact("email", "info@centre.example.org", "public", "общий адрес"),
            PlannedContact("phone", self.phone(), "network", "горячая линия для групп"),
            PlannedContact("email", "coordination@centre.example.org", "internal", "координаторы"),
            PlannedContact("phone", self.phone(), "protected", "дежурный юрист"),
        )
        self.organisations[-1] = PlannedOrganisation(CENTRE, values, True, contacts, ())
        self.add_users(CENTRE, "")

    def add_user_groups(self) -> None:
        codes = [c for c in USER_GROUP_REGIONS if c in self.regions]
        codes += [r.code for r in self.subjects if r.code not in codes and r.code != CENTRE_REGION]
        for code in codes[:2]:
            region = self.regions[code]
            org = self.organisation(OrganisationKind.HUMAN_RIGHTS_GROUP, region, pattern=1, keeps_itself=True)
            self.organisations[-1] = PlannedOrganisation(
                org.key,
                org.values | {"status": "active", "is_public": True},
                True,
                org.contacts,
                org.designations,
            )
            self.add_users(org.key, "." + _slug(region.capital_en or region.name_en or code).replace("-", ""))

    def add_users(self, organisation: str, suffix: str) -> None:
        for role in Role:
            username = ROLE_LOGINS[role] + suffix
            self.users.append(PlannedUser(username, role.value, self.person_name()[0], organisation))
        self.admins[organisation] = ROLE_LOGINS[Role.ADMINISTRATOR] + suffix

    def add_organisations(self, count: int) -> None:
        kinds = self.rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()), k=count)
        for kind, region in zip(kinds, self.home(count), strict=True):
            if kind == OrganisationKind.INTERNATIONAL and self.countries and self.rng.random() < 0.7:
                region = self.rng.choice(self.countries)
            self.organisation(kind, region)

    # people, links and practice

    def steward_of(self, organisation: str) -> str:
        """The organisation whose users keep a person of ``organisation``: the organisation itself if it
        keeps its own records, else the centre."""
        return organisation if organisation in self.admins else CENTRE

    def add_persons(self) -> None:
        with_people = [
            o
            for o in self.organisations
            if o.values["kind"] not in (OrganisationKind.STATE_BODY, OrganisationKind.COURT)
        ]
        civic = [o.key for o in with_people if o.values["kind"] in CIVIC_KINDS]
        for org in with_people:
            count = 6 if org.key == CENTRE else 4 if org.keeps_itself else self.rng.randint(0, 3)
            for _ in range(count):
                self.add_person(org, civic)

    def add_person(self, org: PlannedOrganisation, civic: list[str]) -> None:
        name_ru, name_en = self.person_name()
        titles = TITLES.get(org.values["kind"], CIVIC_TITLES)
        positions = [PlannedPosition(org.key, self.rng.choice(titles), self.date(2000, 2024))]
        if self.rng.random() < 0.3:
            earlier = self.rng.choice(civic)
            if earlier != org.key:
                positions.append(
                    PlannedPosition(
                        earlier,
                        self.rng.choice(CIVIC_TITLES),
                        self.date(1995, 2005, known=True),
                        self.date(2006, 2012, known=True),
                    )
                )
        contacts = []
        login = _slug(name_en).replace("-", ".")
        if self.rng.random() < 0.5:
            contacts.append(PlannedContact("email", f"{login}.{len(self.persons)}@example.org", "network"))
        if self.rng.random() < 0.4:
            contacts.append(PlannedContact("phone", self.phone(), "protected", "личный"))
        notes = "Предпочитает связь через защищённый мессенджер." if self.rng.random() < 0.2 else ""
        self.persons.append(
            PlannedPerson(
                self.steward_of(org.key),
                {"name_ru": name_ru, "name_en": name_en, "notes": notes},
                tuple(positions),
                tuple(contacts),
            )
        )
        self.people_of.setdefault(org.key, []).append(name_ru)

    def add_relationships(self) -> None:
        civic = [o for o in self.organisations if o.values["kind"] in CIVIC_KINDS and o.key != CENTRE]
        partners = [
            o
            for o in self.organisations
            if o.values["kind"] in (*CIVIC_KINDS, OrganisationKind.MEDIA, OrganisationKind.INTERNATIONAL)
        ]
        seen: set[tuple[str, str, str]] = set()

        def link(
            source: PlannedOrganisation, target: PlannedOrganisation, kind: str, first_year: int
        ) -> None:
            if source.key == target.key or (source.key, target.key, kind) in seen:
                return
            seen.add((source.key, target.key, kind))
            note = "Договорённость о совместном мониторинге." if self.rng.random() < 0.2 else ""
            ended = (
                self.date(2020, 2024, known=True) if kind == "partner" and self.rng.random() < 0.15 else ""
            )
            self.relationships.append(
                PlannedRelationship(source.key, target.key, kind, self.date(first_year, 2019), ended, note)
            )

        centre = self.organisations[0]
        for org in civic:
            if self.rng.random() < 0.6:
                link(org, centre, "member_of_network", 2000)
            if self.rng.random() < 0.25:
                link(org, self.rng.choice(partners), "partner", 2005)
            if org.values["kind"] == OrganisationKind.HUMAN_RIGHTS_GROUP and self.rng.random() < 0.08:
                link(org, self.rng.choice(civic), "branch_of", 1995)
            if org.values["status"] in ("closed", "liquidated") and self.rng.random() < 0.5:
                successors = [
                    o
                    for o in civic
                    if o.values["status"] == "active" and o.values["home_region"] == org.values["home_region"]
                ]
                if successors:
                    link(self.rng.choice(successors), org, "successor_of", 2010)

    def add_notes(self) -> None:
        for org in self.organisations:
            if org.values["kind"] not in CIVIC_KINDS:
                continue
            for _ in range(4 if org.key == CENTRE else self.rng.choices((0, 1, 2, 3), (45, 30, 15, 10))[0]):
                self.add_note(org)

    def add_note(self, org: PlannedOrganisation) -> None:
        fitting = [t for t in NOTE_TEMPLATES if set(t[4]) & set(org.values["areas"])]
        title, summary, outcome, lessons, areas = self.rng.choice(fitting or NOTE_TEMPLATES)
        area = self.rng.choice([code for code in areas if code in org.values["areas"]] or org.values["areas"])
        region = self.regions[org.values["home_region"]]
        people = self.people_of.get(org.key, [])
        who = ""
        if self.rng.random() < 0.4:
            who = f"{self.rng.choice(people)}, через координатора группы" if people else "Координатор группы"
        n = self.rng.randint(5, 300)
        numbers = {"n": n, "m": self.rng.randint(1, min(n, 40))}
        values = {
            "area": area,
            "region": region.code,
            "title": f"{title} — {region.capital_ru or region.name_ru}",
            "summary": summary,
            "outcome": outcome.format(**numbers),
            "lessons": lessons,
            "who_to_ask": who,
            "happened": self.date(2012, 2025),
            "tier": self.rng.choices(("public", "network", "internal"), (35, 45, 20))[0],
        }
        self.notes.append(PlannedNote(org.key, values))


# --- Building the plan through the services ----------------------------------------------------------------


def reference_for_plan() -> dict[str, Any]:
    regions = [
        PlanRegion(r.code, r.kind, r.name_ru, r.name_en, r.capital_ru, r.capital_en, r.federal_district)
        for r in Region.objects.filter(deleted_at__isnull=True).order_by("code")
    ]
    areas = [
        PlanArea(a.code, a.name_ru)
        for a in AreaOfWork.objects.filter(deleted_at__isnull=True).order_by("code")
    ]
    return {"regions": regions, "areas": areas}


def demo_network_loaded() -> bool:
    return Organisation.objects.filter(name_ru=CENTRE_NAME_RU, deleted_at__isnull=True).exists()


def demo_sign_ins(seed: int = DEFAULT_SEED) -> list[SignIn]:
    """The sign-ins of the demo network built from ``seed``, without building anything."""
    return demo_plan(seed=seed, organisations=MINIMUM_ORGANISATIONS, **reference_for_plan()).sign_ins()


def demo_network_create(
    *, seed: int = DEFAULT_SEED, organisations: int = DEFAULT_ORGANISATIONS
) -> DemoNetwork:
    """Build the demo network on an empty node, in one transaction: all of it or nothing."""
    started = time.perf_counter()
    if demo_network_loaded():
        raise Conflict("The demo network is already loaded on this node; its sign-ins can be shown again.")
    plan = demo_plan(seed=seed, organisations=organisations, **reference_for_plan())
    with transaction.atomic():
        counts = _Builder(plan).build()
    return DemoNetwork(
        sign_ins=plan.sign_ins(), counts=counts, seconds=round(time.perf_counter() - started, 2)
    )


def demo_report(network: DemoNetwork) -> str:
    """The sign-ins and counts as text for a terminal."""
    width = max(len(s.username) for s in network.sign_ins)
    lines = [
        f"Demo network built in {network.seconds:.1f} s.",
        f"Password of every demo user: {DEMO_PASSWORD}",
        "",
    ]
    lines += [f"  {s.username:<{width}}  {s.role:<16}  {s.organisation}" for s in network.sign_ins]
    lines += ["", *(f"  {name}: {count}" for name, count in sorted(network.counts.items()))]
    return "\n".join(lines)


@dataclass
class _Builder:
    plan: DemoPlan
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    admins: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.admins = {u.organisation: u.username for u in self.plan.users if u.role == Role.ADMINISTRATOR}

    def writer(self, organisation_key: str) -> User:
        """Who edits this organisation's records: the administrator of a regional group that keeps its
        own record, else the centre's coordinator (for the centre's own records too)."""
        admin = self.admins.get(organisation_key) if organisation_key != CENTRE else None
        return self.users[admin] if admin else self.users[ROLE_LOGINS[Role.COORDINATOR]]

    def build(self) -> dict[str, int]:
        centre, *others = self.plan.organisations
        self.organisations[CENTRE] = services.organisation_bootstrap(values=centre.values)
        self.create_users(CENTRE)
        coordinator = self.users[ROLE_LOGINS[Role.COORDINATOR]]
        for planned in others:
            org = services.organisation_create(actor=coordinator, values=planned.values)
            if planned.keeps_itself:
                org = services.organisation_hand_over(actor=coordinator, organisation_id=org.id)
            self.organisations[planned.key] = org
            self.create_users(planned.key)
        for planned in self.plan.organisations:
            self.add_contacts_and_designations(planned)
        self.add_persons()
        for rel in self.plan.relationships:
            services.relationship_add(
                actor=self.writer(rel.source),
                source_id=self.organisations[rel.source].id,
                target_id=self.organisations[rel.target].id,
                kind=rel.kind,
                started=rel.started,
                ended=rel.ended,
                note=rel.note,
            )
        for note in self.plan.notes:
            services.practice_note_create(
                actor=self.writer(note.organisation),
                organisation_id=self.organisations[note.organisation].id,
                values=note.values,
            )
        return self.totals()

    def create_users(self, organisation_key: str) -> None:
        """The organisation's planned users (the centre's and two regional groups' have some), created by
        the node operator."""
        for planned in (u for u in self.plan.users if u.organisation == organisation_key):
            self.users[planned.username] = user_create(
                actor=None,
                username=planned.username,
                password=DEMO_PASSWORD,
                role=planned.role,
                organisation_id=self.organisations[organisation_key].id,
                display_name=planned.display_name,
            )

    def add_contacts_and_designations(self, planned: PlannedOrganisation) -> None:
        actor, org = self.writer(planned.key), self.organisations[planned.key]
        for contact in planned.contacts:
            services.contact_add(
                actor=actor,
                organisation_id=org.id,
                kind=contact.kind,
                value=contact.value,
                tier=contact.tier,
                label=contact.label,
            )
            self.counts[f"contacts_{contact.tier}"] += 1
        for designation in planned.designations:
            services.designation_add(
                actor=actor,
                organisation_id=org.id,
                kind=designation.kind,
                listed_on=designation.listed_on,
                removed_on=designation.removed_on,
                legal_basis=designation.legal_basis,
                register_entry=designation.register_entry,
            )

    def add_persons(self) -> None:
        for planned in self.plan.persons:
            actor = self.writer(planned.steward)
            person = services.person_create(actor=actor, values=planned.values)
            for position in planned.positions:
                services.position_add(
                    actor=actor,
                    person_id=person.id,
                    organisation_id=self.organisations[position.organisation].id,
                    title=position.title,
                    started=position.started,
                    ended=position.ended,
                )
            for contact in planned.contacts:
                services.contact_add(
                    actor=actor,
                    person_id=person.id,
                    kind=contact.kind,
                    value=contact.value,
                    tier=contact.tier,
                    label=contact.label,
                )
                self.counts[f"contacts_{contact.tier}"] += 1

    def totals(self) -> dict[str, int]:
        plan = self.plan
        homes = {o.values["home_region"] for o in plan.organisations}
        return dict(self.counts) | {
            "organisations": len(plan.organisations),
            "regions": len(homes),
            "users": len(plan.users),
            "persons": len(plan.persons),
            "positions": sum(len(p.positions) for p in plan.persons),
            "relationships": len(plan.relationships),
            "practice_notes": len(plan.notes),
            "designations": sum(len(o.designations) for o in plan.organisations),
            "contacts": sum(v for k, v in self.counts.items() if k.startswith("contacts_")),
        }

"""Settings and word lists of the demo network: every name in it is made from these."""

from __future__ import annotations

from khronika.accounts.models import Role
from khronika.directory.models import OrganisationKind

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

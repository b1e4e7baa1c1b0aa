"""A synthetic, seeded corpus for the search benchmarks, and the queries to ask of it.

Records are organisation-like, person-like and practice-note-like ``Document`` values, shaped as the
directory's ``search.py`` shapes them (names, texts and facets at the tiers their fields declare), made
only from the word lists of this module: human-rights words in several grammatical forms, some English,
Russian full names put together from short lists of surnames, given names and patronymics, regions by ISO
code and federal district, areas of work, kinds, statuses, years, a few hundred stewards, and about 5%
of records listed for the public. Nothing in it is real data about real people.

Record ``i`` depends only on (seed, size, i), so the queries are drawn from records — a rare word, a
phrase, a person's name — and each of them matches something at any size::

    corpus = SyntheticCorpus(size=20_000, seed=1968)
    documents = corpus.documents()          # Iterator[Document], in order
    queries = corpus.queries(count=300)     # {"common": [...], "rare": [...], ...}

``write_corpus`` keeps a generated corpus in one file and ``read_corpus`` reads it back, much faster than
it is generated, so several benchmark processes index the very same documents.
"""

from __future__ import annotations

import itertools
import marshal
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from khronika.core.tiers import Tier
from khronika.search.registry import Document

# Raised whenever the generator changes, so that a corpus file from an older generator is made again.
CORPUS_VERSION = 2
QUERY_CLASSES = ("common", "rare", "two", "phrase", "prefix", "name")
STEWARDS = 300
RARE_DOCUMENTS = 20  # about this many records hold each rare word, whatever the corpus size


def _words(text: str) -> list[str]:
    return text.split()


def _lines(text: str) -> list[list[str]]:
    return [line.split() for line in text.strip().splitlines()]


def _table(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


# The forms of each word, most frequent word first (the text draws words by a Zipf law over this order).
RUSSIAN_LEMMAS = _lines("""
задержание задержания задержанию задержанием задержании задержаний задержаниям
права прав правам правами правах право
суд суда суду судом суде суды судов судам
дело дела делу делом деле дел делам
человек человека человеку человеком человеке
помощь помощи помощью
свобода свободы свободе свободу свободой
адвокат адвоката адвокату адвокатом адвокате адвокаты адвокатов адвокатам
арест ареста аресту арестом аресте аресты арестов
жалоба жалобы жалобе жалобу жалобой жалоб жалобами
полиция полиции полицию полицией
задержать задержал задержала задержали задержан задержана задержаны задержанных
уголовный уголовного уголовному уголовное уголовной уголовных
административный административного административное административной административных
статья статьи статье статью статьей статей
штраф штрафа штрафу штрафом штрафы штрафов
приговор приговора приговору приговором приговоре приговоры
обыск обыска обыску обыском обыске обыски обысков
митинг митинга митингу митингом митинге митинги митингов
пикет пикета пикету пикетом пикете пикеты пикетов
протест протеста протесту протестом протесте протесты протестов
заключённый заключенного заключенному заключённые заключенных
колония колонии колонию колонией колоний
следователь следователя следователю следователи следователей
прокуратура прокуратуры прокуратуре прокуратуру
нарушение нарушения нарушению нарушением нарушений нарушениям
преследование преследования преследованию преследованием преследований
пытка пытки пытке пытку пыткой пыток пытками
журналист журналиста журналисту журналисты журналистов
правозащитник правозащитника правозащитнику правозащитники правозащитников
организация организации организацию организацией организаций
консультация консультации консультацию консультаций
решение решения решению решением решений
закон закона закону законом законе законы законов
кодекс кодекса кодексу кодексом кодексе
апелляция апелляции апелляцию апелляцией
собрание собрания собранию собранием собраний
выборы выборов выборам выборах
наблюдатель наблюдателя наблюдателю наблюдатели наблюдателей
мониторинг мониторинга мониторингу мониторингом
экстремизм экстремизма экстремизму экстремизмом
иноагент иноагента иноагенты иноагентов
сотрудник сотрудника сотруднику сотрудники сотрудников
доклад доклада докладу докладом докладе доклады
обращение обращения обращению обращением обращений
компенсация компенсации компенсацию компенсацией
политзаключённый политзаключенного политзаключённые политзаключенных
изолятор изолятора изоляторе изоляторов
тюрьма тюрьмы тюрьме тюрьму тюрем
насилие насилия насилию насилием
дискриминация дискриминации дискриминацию дискриминацией
цензура цензуры цензуре цензуру
блокировка блокировки блокировку блокировок
публикация публикации публикацию публикаций
беженец беженца беженцы беженцев беженцам
мигрант мигранта мигранты мигрантов мигрантам
женщина женщины женщине женщину женщин
ребёнок ребенка ребенку дети детей детям
призыв призыва призыву призывник призывники призывников
служба службы службе службу службой
верующий верующего верующие верующих
экология экологии экологический экологической экологических
инвалидность инвалидности
жильё жилья жилью жильем
работник работника работники работников
увольнение увольнения увольнению увольнений
здоровье здоровья здоровью медицинский медицинской медицинскую
голодовка голодовки голодовку голодовкой
этап этапа этапе этапом
передача передачи передачу передач
свидание свидания свиданию свиданий
кассация кассации кассацию
конституция конституции конституцию
волонтёр волонтера волонтеры волонтеров волонтерам
экспертиза экспертизы экспертизе экспертизой
""")
ENGLISH_LEMMAS = _lines("""
rights right
detention detained detain detaining
court courts
lawyer lawyers
arrest arrests arrested arresting
freedom freedoms
prisoner prisoners
report reports reported reporting
assembly assemblies
torture tortured torturing
monitoring monitor monitors monitored
complaint complaints
appeal appeals appealed
journalist journalists
election elections
refugee refugees
sentence sentenced sentences
police
investigator investigators
prosecutor prosecutors
legal
support supported supporting
volunteer volunteers volunteering
censorship censored
discrimination discriminated
violence violent
compensation
decision decisions
""")
STOP_WORDS = _words("в на и по о с к за от для при что не")
ENGLISH_STOP_WORDS = _words("the of in and to for on")

# Adjective endings by type and gender: nominative, genitive, dative, instrumental, prepositional.
_ENDINGS = {
    (kind, gender): endings
    for kind, gender, *endings in _lines("""
hard m ый ого ому ым ом
hard n ое ого ому ым ом
hard f ая ой ой ой ой
velar m ий ого ому им ом
velar n ое ого ому им ом
velar f ая ой ой ой ой
""")
}
# Gender and the same five cases of the nouns the adjectives go with.
NOUNS = {
    forms[0]: (gender, forms)
    for gender, *forms in _lines("""
n задержание задержания задержанию задержанием задержании
n преследование преследования преследованию преследованием преследовании
n давление давления давлению давлением давлении
n обращение обращения обращению обращением обращении
n дело дела делу делом деле
n собрание собрания собранию собранием собрании
m арест ареста аресту арестом аресте
m обыск обыска обыску обыском обыске
m процесс процесса процессу процессом процессе
m приговор приговора приговору приговором приговоре
m пикет пикета пикету пикетом пикете
m протест протеста протесту протестом протесте
f помощь помощи помощи помощью помощи
f акция акции акции акцией акции
f защита защиты защите защитой защите
f экспертиза экспертизы экспертизе экспертизой экспертизе
f консультация консультации консультации консультацией консультации
n лечение лечения лечению лечением лечении
""")
}
# (adjective stem, ending type, the nouns it goes with)
COLLOCATIONS = [
    ("незаконн", "hard", _words("задержание преследование арест обыск давление приговор")),
    ("административн", "hard", _words("задержание преследование арест процесс дело")),
    ("уголовн", "hard", _words("преследование процесс приговор дело")),
    ("массов", "hard", _words("задержание арест обыск акция протест")),
    ("судебн", "hard", _words("процесс приговор защита экспертиза")),
    ("политическ", "velar", _words("преследование давление процесс арест")),
    ("юридическ", "velar", _words("помощь защита консультация экспертиза")),
    ("психологическ", "velar", _words("помощь давление консультация экспертиза")),
    ("мирн", "hard", _words("акция пикет протест собрание")),
    ("одиночн", "hard", _words("пикет протест акция")),
    ("повторн", "hard", _words("арест задержание обыск обращение")),
    ("жесток", "hard", _words("обращение задержание давление")),
    ("несанкционированн", "hard", _words("акция пикет протест собрание")),
    ("принудительн", "hard", _words("лечение экспертиза")),
    ("психиатрическ", "velar", _words("помощь экспертиза лечение")),
    ("медицинск", "velar", _words("помощь экспертиза лечение")),
    ("бесплатн", "hard", _words("помощь консультация защита")),
]
_OBJECTS = "журналиста активиста адвоката правозащитника наблюдателя студентов верующих мигрантов"
GENITIVE_PHRASES = [
    (_words("свобода свободы свободе свободой свободе"), _words("слова собраний совести вероисповедания")),
    (_words("права прав правам правами правах"), _words("человека заключенных задержанных")),
    (_words("защита защиты защите защитой защите"), _words("прав свидетелей")),
    (_words("нарушение нарушения нарушению нарушением нарушении"), _words("прав закона")),
    (_words("задержание задержания задержанию задержанием задержании"), _words(_OBJECTS)),
    (_words("преследование преследования преследованию преследованием преследовании"), _words(_OBJECTS)),
    (_words("арест ареста аресту арестом аресте"), _words(_OBJECTS)),
    (_words("обыск обыска обыску обыском обыске"), _words(_OBJECTS)),
]
ENGLISH_PHRASES = [
    "human rights",
    "political prisoners",
    "legal aid",
    "freedom of assembly",
    "freedom of expression",
    "foreign agent",
    "hunger strike",
    "domestic violence",
    "fair trial",
    "conscientious objectors",
]
ARTICLES = _words("20.2 212.1 280.3 207.3 282.2 205.2 19.3 20.3.3 318 275")

SURNAMES = _words("""
Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев
Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев
Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв
Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков
Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов
Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев
Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков
Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов
Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров
Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев
Бирюков Горбунов Анисимов Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров Симонов
Харитонов Князев Цветков Левин Воронов Аксёнов Мальцев Логинов Горшков Савин Краснов Майоров Демидов
Елисеев Рыбаков Сафонов Плотников Хохлов Фадеев Молчанов Игнатов Литвинов Ершов Ушаков Рябов Мухин
Калашников Лобанов Корнилов Евдокимов Бородин Платонов Некрасов Балашов Бобров Жданов Блинов Коротков
Муравьёв Дроздов Лавров Зуев Петухов Ларин Никулин Серов Зотов Устинов Фокин Самойлов Сахаров Шишкин
Черкасов Чистяков Носов Авдеев Воронцов Зверев Нечаев Седов Фирсов Панин Головин Терехов Шестаков Агеев
Гордеев Пахомов Зимин Костин Широков Ларионов Сазонов Суворов Любимов Львов Копылов Лукин Токарев
Покровский Никольский Маркин Березин Зубков Трифонов Круглов Третьяков Рожков Лаптев Зорин Уткин
Столяров Свиридов Кулаков Поздняков Панфилов Суханов Рыжов Старостин Субботин Шубин Щукин Лосев Лапин
Исаков Коровин Розанов Козырев Русаков Синицын Черных Шевченко Бондаренко Ткаченко Кравченко Коваленко
Мороз Ким Цой Алиев Магомедов Гасанов Абдуллаев Юсупов Ибрагимов Сафин Галиев Шарипов Толстой Белозерский
""")
MALE_NAMES = _lines("""
Александр Александрович Александровна
Алексей Алексеевич Алексеевна
Андрей Андреевич Андреевна
Антон Антонович Антоновна
Артём Артёмович Артёмовна
Борис Борисович Борисовна
Вадим Вадимович Вадимовна
Валерий Валерьевич Валерьевна
Василий Васильевич Васильевна
Виктор Викторович Викторовна
Виталий Витальевич Витальевна
Владимир Владимирович Владимировна
Вячеслав Вячеславович Вячеславовна
Геннадий Геннадьевич Геннадьевна
Георгий Георгиевич Георгиевна
Григорий Григорьевич Григорьевна
Денис Денисович Денисовна
Дмитрий Дмитриевич Дмитриевна
Евгений Евгеньевич Евгеньевна
Егор Егорович Егоровна
Иван Иванович Ивановна
Игорь Игоревич Игоревна
Илья Ильич Ильинична
Кирилл Кириллович Кирилловна
Константин Константинович Константиновна
Лев Львович Львовна
Леонид Леонидович Леонидовна
Максим Максимович Максимовна
Михаил Михайлович Михайловна
Никита Никитич Никитична
Николай Николаевич Николаевна
Олег Олегович Олеговна
Павел Павлович Павловна
Пётр Петрович Петровна
Роман Романович Романовна
Руслан Русланович Руслановна
Сергей Сергеевич Сергеевна
Степан Степанович Степановна
Тимур Тимурович Тимуровна
Фёдор Фёдорович Фёдоровна
Юрий Юрьевич Юрьевна
Ярослав Ярославович Ярославовна
""")
FEMALE_NAMES = _words("""
Анна Мария Елена Ольга Наталья Татьяна Ирина Екатерина Светлана Юлия Анастасия Дарья Марина Людмила
Галина Надежда Валентина Евгения Ксения Алина Полина Вера Любовь Софья Александра Виктория Оксана Алёна
Кристина Елизавета Зоя Лариса Нина Тамара Яна Вероника Маргарита Диана Жанна Лидия
""")
ORGANISATION_FORMS = _table("""
Правозащитный центр | Human Rights Centre
Общественная организация | Public Organisation
Фонд | Foundation
Инициативная группа | Initiative Group
Ассоциация | Association
Комитет | Committee
Движение | Movement
Проект | Project
Коллегия адвокатов | Bar Association
Союз | Union
""")
ORGANISATION_WORDS = _words("""
Рассвет Вектор Маяк Опора Перспектива Ориентир Родник Созвездие Горизонт Мост Компас Ковчег Берег Причал
Исток Основа Равновесие Диалог Участие Доверие Соседи Круг Ладонь Оберег Светоч Зеркало Гавань Тропа
Перекрёсток Лестница Сфера Пульс Эхо Правда Стержень Ключ Порог Путь Якорь Крылья
""")
POSITION_TITLES = _words("юрист координатор адвокат директор волонтёр журналист психолог аналитик")
# ISO code, federal district, name, English name, capital, English capital
REGIONS = _table("""
RU-MOW | central | Москва | Moscow | Москва | Moscow
RU-SPE | northwestern | Санкт-Петербург | Saint Petersburg | Санкт-Петербург | Saint Petersburg
RU-MOS | central | Московская область | Moscow Oblast | Красногорск | Krasnogorsk
RU-LEN | northwestern | Ленинградская область | Leningrad Oblast | Гатчина | Gatchina
RU-PER | volga | Пермский край | Perm Krai | Пермь | Perm
RU-SVE | ural | Свердловская область | Sverdlovsk Oblast | Екатеринбург | Yekaterinburg
RU-NVS | siberian | Новосибирская область | Novosibirsk Oblast | Новосибирск | Novosibirsk
RU-KDA | southern | Краснодарский край | Krasnodar Krai | Краснодар | Krasnodar
RU-ROS | southern | Ростовская область | Rostov Oblast | Ростов-на-Дону | Rostov-on-Don
RU-VGG | southern | Волгоградская область | Volgograd Oblast | Волгоград | Volgograd
RU-TA | volga | Республика Татарстан | Tatarstan | Казань | Kazan
RU-BA | volga | Республика Башкортостан | Bashkortostan | Уфа | Ufa
RU-NIZ | volga | Нижегородская область | Nizhny Novgorod Oblast | Нижний Новгород | Nizhny Novgorod
RU-SAM | volga | Самарская область | Samara Oblast | Самара | Samara
RU-SAR | volga | Саратовская область | Saratov Oblast | Саратов | Saratov
RU-CE | north_caucasian | Чеченская Республика | Chechnya | Грозный | Grozny
RU-DA | north_caucasian | Республика Дагестан | Dagestan | Махачкала | Makhachkala
RU-IN | north_caucasian | Республика Ингушетия | Ingushetia | Магас | Magas
RU-STA | north_caucasian | Ставропольский край | Stavropol Krai | Ставрополь | Stavropol
RU-KR | northwestern | Республика Карелия | Karelia | Петрозаводск | Petrozavodsk
RU-KO | northwestern | Республика Коми | Komi | Сыктывкар | Syktyvkar
RU-ARK | northwestern | Архангельская область | Arkhangelsk Oblast | Архангельск | Arkhangelsk
RU-MUR | northwestern | Мурманская область | Murmansk Oblast | Мурманск | Murmansk
RU-KGD | northwestern | Калининградская область | Kaliningrad Oblast | Калининград | Kaliningrad
RU-CHE | ural | Челябинская область | Chelyabinsk Oblast | Челябинск | Chelyabinsk
RU-TYU | ural | Тюменская область | Tyumen Oblast | Тюмень | Tyumen
RU-OMS | siberian | Омская область | Omsk Oblast | Омск | Omsk
RU-TOM | siberian | Томская область | Tomsk Oblast | Томск | Tomsk
RU-KYA | siberian | Красноярский край | Krasnoyarsk Krai | Красноярск | Krasnoyarsk
RU-IRK | siberian | Иркутская область | Irkutsk Oblast | Иркутск | Irkutsk
RU-BU | far_eastern | Республика Бурятия | Buryatia | Улан-Удэ | Ulan-Ude
RU-PRI | far_eastern | Приморский край | Primorsky Krai | Владивосток | Vladivostok
RU-KHA | far_eastern | Хабаровский край | Khabarovsk Krai | Хабаровск | Khabarovsk
RU-SA | far_eastern | Республика Саха (Якутия) | Sakha (Yakutia) | Якутск | Yakutsk
RU-VOR | central | Воронежская область | Voronezh Oblast | Воронеж | Voronezh
RU-YAR | central | Ярославская область | Yaroslavl Oblast | Ярославль | Yaroslavl
""")
# code, parent ("-" for none), name, English name
AREAS = _table("""
freedoms | - | Гражданские свободы | Civil liberties
assembly | freedoms | Свобода собраний | Freedom of assembly
expression | freedoms | Свобода слова | Freedom of expression
religion | freedoms | Свобода совести | Freedom of conscience
elections | freedoms | Избирательные права | Electoral rights
internet | freedoms | Свобода интернета | Internet freedom
justice | - | Правосудие | Justice
fair_trial | justice | Право на справедливый суд | Fair trial
legal_aid | justice | Юридическая помощь | Legal aid
political_prisoners | justice | Политзаключённые | Political prisoners
torture | justice | Противодействие пыткам | Torture prevention
detention | - | Места лишения свободы | Places of detention
prisons | detention | Тюрьмы и колонии | Prisons and penal colonies
police | detention | Полиция | Police
psychiatry | detention | Психиатрия | Psychiatric care
social | - | Социальные права | Social rights
labour | social | Трудовые права | Labour rights
housing | social | Жилищные права | Housing rights
health | social | Право на здоровье | Right to health
environment | social | Экология | Environment
groups | - | Уязвимые группы | Vulnerable groups
women | groups | Права женщин | Women's rights
children | groups | Права детей | Children's rights
migrants | groups | Мигранты и беженцы | Migrants and refugees
disability | groups | Права людей с инвалидностью | Disability rights
objectors | groups | Альтернативная служба | Conscientious objection
""")
KINDS = [("human_rights_group", 35), ("ngo", 25), ("initiative", 15), ("media", 8), ("commission", 5)]
KINDS += [("international", 4), ("state_body", 4), ("court", 4)]
STATUSES = [("active", 70), ("dormant", 15), ("closed", 10), ("liquidated", 5)]
SYLLABLES = _words("ба бе бо ва ве во га го да де до жа за зо ка ке ко ку ла ле ли ло лу ма ме ми мо на не")
SYLLABLES += _words("ни но ра ре ри ро ру са се со та те то ту ха че ша шу")
PLACE_ENDINGS = _words("ово ево ино ск овка ное ец ань ицы")

# Two ways of writing Russian names in Latin letters: an English-like one and the passport one.
_TRANSLIT_EN = {
    **dict(zip("абвгдезиклмнопрстуфыэ", "abvgdeziklmnoprstufye", strict=True)),
    "ё": "yo", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ь": "", "ю": "yu", "я": "ya",
}  # fmt: skip
_TRANSLIT_PASSPORT = {**_TRANSLIT_EN, "ё": "e", "й": "i", "ю": "iu", "я": "ia", "ъ": "ie"}


def transliterate(text: str, *, passport: bool = False) -> str:
    table = _TRANSLIT_PASSPORT if passport else _TRANSLIT_EN
    out = []
    for char in text:
        latin = table.get(char.lower(), char)
        out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


def feminine(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий", "ой")):
        return surname[:-2] + "ая"
    return surname  # Черных, Шевченко, Ким: the same for women


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _zipf_vocabulary(lemmas: list[list[str]], stop_words: list[str]) -> tuple[list[str], list[float]]:
    """Every form with its cumulative weight: lemma r weighs 1/(r+1), shared by its forms; stop words
    take a fifth of all tokens."""
    forms: list[str] = []
    weights: list[float] = []
    for rank, lemma in enumerate(lemmas):
        forms += lemma
        weights += [1.0 / (rank + 1) / len(lemma)] * len(lemma)
    stop_share = sum(weights) / 4 / len(stop_words)
    return forms + stop_words, _cumulative(weights + [stop_share] * len(stop_words))


_RUSSIAN = _zipf_vocabulary(RUSSIAN_LEMMAS, STOP_WORDS)
_ENGLISH = _zipf_vocabulary(ENGLISH_LEMMAS, ENGLISH_STOP_WORDS)


def _collocations() -> list[str]:
    phrases = []
    for stem, kind, nouns in COLLOCATIONS:
        for noun in nouns:
            gender, forms = NOUNS[noun]
            endings = _ENDINGS[kind, gender]
            phrases += [f"{stem}{ending} {form}" for ending, form in zip(endings, forms, strict=True)]
    phrases += [f"{head} {tail}" for heads, tails in GENITIVE_PHRASES for head in heads for tail in tails]
    return list(dict.fromkeys(phrases))


PHRASES = _collocations()


@dataclass
class Record:
    """One generated record and what the queries may take from it."""

    document: Document
    open_words: list[str] = field(default_factory=list)  # words of its texts a member reads
    rare: str | None = None  # its rare word, when a member reads it
    phrases: list[str] = field(default_factory=list)
    person: tuple[str, str, str] | None = None  # surname, given name, patronymic


class SyntheticCorpus:
    """``size`` records; record ``i`` depends only on the seed, the size and ``i``."""

    def __init__(self, *, size: int, seed: int) -> None:
        self.size = size
        self.seed = seed
        self._rng = random.Random()

    @cached_property
    def stewards(self) -> list[uuid.UUID]:
        rng = random.Random(self.seed ^ 0x5EED)
        return [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(STEWARDS)]

    @cached_property
    def _steward_weights(self) -> list[float]:
        # A few large organisations keep many records, most keep a few.
        return _cumulative([1.0 / (rank + 1) ** 0.8 for rank in range(STEWARDS)])

    @cached_property
    def rare_words(self) -> list[str]:
        rng = random.Random(self.seed ^ 0x7A8E)
        count = max(100, self.size // (2 * RARE_DOCUMENTS))
        return [
            ("".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))) + rng.choice(PLACE_ENDINGS)).capitalize()
            for _ in range(count)
        ]

    def documents(self) -> Iterator[Document]:
        for index in range(self.size):
            yield self.record(index).document

    def record(self, index: int) -> Record:
        rng = self._rng
        rng.seed(self.seed * 1_000_003 + index)
        draw = rng.random()
        if draw < 0.20:
            return _Organisation(self, rng).build()
        if draw < 0.65:
            return _Person(self, rng).build()
        return _Note(self, rng).build()

    def organisation(self, index: int) -> Record:
        """Record ``index`` of a corpus of organisations alone (what ``bench/search_http.py`` serves)."""
        rng = self._rng
        rng.seed(self.seed * 1_000_003 + index)
        return _Organisation(self, rng).build()

    def organisation_queries(self, *, count: int, classes: tuple[str, ...]) -> dict[str, list[str]]:
        """Queries of ``classes`` drawn from the organisations of ``organisation``."""
        rng = random.Random(self.seed ^ 0x4E7)
        found = {}
        for name in classes:
            if name == "common":
                found[name] = _common_queries(count)
            else:
                found[name] = self._drawn(rng, count, _PICKS[name], self.organisation)
        return found

    def steward(self, rng: random.Random) -> uuid.UUID:
        return rng.choices(self.stewards, cum_weights=self._steward_weights)[0]

    def queries(self, *, count: int) -> dict[str, list[str]]:
        """``count`` different query strings per class of ``QUERY_CLASSES`` (fewer only if the corpus is
        too small to hold that many)."""
        rng = random.Random(self.seed ^ 0x9E5)
        found = {"common": _common_queries(count)}
        for name, pick in _PICKS.items():
            found[name] = self._drawn(rng, count, pick)
        return found

    def _drawn(
        self, rng: random.Random, count: int, pick: _Pick, draw: Callable[[int], Record] | None = None
    ) -> list[str]:
        """Distinct queries taken from records drawn at random (by ``draw``, default ``record``)."""
        found: dict[str, None] = {}
        fruitless = 0
        draw = draw or self.record
        while len(found) < count and fruitless < 2000:  # a small corpus may hold fewer
            query = pick(draw(rng.randrange(self.size)), rng)
            fruitless = 0 if query and query not in found else fruitless + 1
            if query:
                found[query] = None
        return list(found)


# --- records ----------------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, corpus: SyntheticCorpus, rng: random.Random) -> None:
        self.corpus = corpus
        self.rng = rng
        self.record: Record

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def text(self, low: int, high: int, *, visible: bool) -> str:
        """Words drawn by frequency, now and then a collocation, an article of a code or English."""
        rng = self.rng
        forms, weights = _RUSSIAN
        words = rng.choices(forms, cum_weights=weights, k=rng.randint(low, high))
        for _ in range(len(words) // 25 + (rng.random() < 0.5)):
            phrase = rng.choice(PHRASES)
            words.insert(rng.randrange(len(words) + 1), phrase)
            if visible:
                self.record.phrases.append(phrase)
        if rng.random() < 0.15:
            words.append(f"по ст. {rng.choice(ARTICLES)}")
        if rng.random() < 0.1:
            forms, weights = _ENGLISH
            words += rng.choices(forms, cum_weights=weights, k=rng.randint(6, 20))
            words.append(rng.choice(ENGLISH_PHRASES))
        if visible:
            self.record.open_words += words
        return " ".join(words) + "."

    def rare_word(self, visible: bool) -> str:
        word = self.rng.choice(self.corpus.rare_words)
        if visible:
            self.record.rare = word
        return f"в селе {word}"

    def places(self, doc: Document, tier: Tier, count: int) -> None:
        for code, district, name, name_en, capital, capital_en in self.rng.sample(REGIONS, count):
            doc.add_facet("region", code)
            doc.add_facet("district", district)
            doc.add_text(tier, name, name_en, capital, capital_en)

    def areas(self, doc: Document, tier: Tier, count: int) -> None:
        chosen = self.rng.sample(AREAS, count)
        for _code, _parent, name, name_en in chosen:
            doc.add_text(tier, name, name_en)
        doc.add_facet("area", *[code for area in chosen for code in area[:2] if code != "-"])

    def organisation_name(self) -> tuple[str, str]:
        form, form_en = self.rng.choice(ORGANISATION_FORMS)
        word = self.rng.choice(ORGANISATION_WORDS)
        return f"{form} «{word}»", f"{form_en} {transliterate(word)}"

    def weighted(self, choices: list[tuple[str, int]]) -> str:
        return self.rng.choices([value for value, _ in choices], weights=[w for _, w in choices])[0]


class _Organisation(_Builder):
    def build(self) -> Record:
        rng = self.rng
        name, name_en = self.organisation_name()
        if rng.random() < 0.3:
            capital = rng.choice(REGIONS)[4]
            name, name_en = f"{name} ({capital})", f"{name_en} ({transliterate(capital)})"
        doc = Document(kind="organisation", id=self.uuid(), title=name, tier=Tier.PUBLIC)
        doc.steward = self.corpus.steward(rng)
        doc.listed = rng.random() < 0.15
        self.record = Record(document=doc)
        doc.add_name(Tier.PUBLIC, name, name_en if rng.random() < 0.7 else None)
        description = self.text(15, 60, visible=True)
        if rng.random() < 0.5:
            description += " " + self.rare_word(visible=True)
        doc.add_text(Tier.PUBLIC, description)
        if rng.random() < 0.5:
            doc.add_text(Tier.PUBLIC, f"https://{transliterate(name_en.split()[-1]).lower()}.example.org")
        if rng.random() < 0.25:
            doc.add_text(Tier.INTERNAL, self.text(5, 25, visible=False))
        doc.add_facet("kind", self.weighted(KINDS))
        doc.add_facet("status", self.weighted(STATUSES))
        self.places(doc, Tier.PUBLIC, rng.randint(1, 3))
        self.areas(doc, Tier.PUBLIC, rng.randint(1, 4))
        return self.record


class _Person(_Builder):
    def build(self) -> Record:
        rng = self.rng
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.5:
            surname, given = feminine(surname), rng.choice(FEMALE_NAMES)
            patronymic = rng.choice(MALE_NAMES)[2]
        else:
            given, patronymic = rng.choice(MALE_NAMES)[:2]
        name = f"{surname} {given} {patronymic}"
        doc = Document(kind="person", id=self.uuid(), title=name, tier=Tier.NETWORK)
        doc.steward = self.corpus.steward(rng)
        self.record = Record(document=doc, person=(surname, given, patronymic))
        doc.add_name(Tier.NETWORK, name)
        if rng.random() < 0.6:
            doc.add_name(Tier.NETWORK, f"{transliterate(given)} {transliterate(surname)}")
        if rng.random() < 0.5:
            notes = self.text(5, 25, visible=True)
            doc.add_text(
                Tier.NETWORK, notes + (" " + self.rare_word(visible=True) if rng.random() < 0.4 else "")
            )
        if rng.random() < 0.3:
            doc.add_text(Tier.INTERNAL, self.text(5, 20, visible=False))
        for _ in range(rng.choice((0, 1, 1, 2))):
            organisation, organisation_en = self.organisation_name()
            doc.add_text(Tier.NETWORK, rng.choice(POSITION_TITLES), organisation, organisation_en)
        return self.record


class _Note(_Builder):
    TIERS = [(Tier.NETWORK, 55), (Tier.INTERNAL, 30), (Tier.PUBLIC, 15)]

    def build(self) -> Record:
        rng = self.rng
        tier = rng.choices([t for t, _ in self.TIERS], weights=[w for _, w in self.TIERS])[0]
        visible = tier <= Tier.NETWORK
        day = date.fromordinal(date(2008, 1, 1).toordinal() + rng.randrange(18 * 365))
        doc = Document(kind="practice_note", id=self.uuid(), title="", tier=tier, day=day)
        doc.steward, doc.listed = self.corpus.steward(rng), rng.random() < 0.4
        self.record = Record(document=doc)
        doc.title = self.text(3, 8, visible=visible)
        summary = self.text(30, 120, visible=visible)
        if rng.random() < 0.5:
            summary += " " + self.rare_word(visible=visible)
        if rng.random() < 0.2:
            lawyer = rng.choice(SURNAMES)
            summary += f" Адвокат {lawyer} {rng.choice(MALE_NAMES)[0][0]}. {rng.choice(MALE_NAMES)[0][0]}."
        doc.add_text(tier, doc.title, summary)
        for share in (0.6, 0.4):  # outcome, lessons
            if rng.random() < share:
                doc.add_text(tier, self.text(10, 40, visible=visible))
        doc.add_text(tier, *self.organisation_name())
        if rng.random() < 0.8:
            self.places(doc, tier, 1)
        self.areas(doc, tier, 1)
        return self.record


# --- queries ---------------------------------------------------------------------------------------------

_Pick = Callable[[Record, random.Random], str | None]


def _common_queries(count: int) -> list[str]:
    """Forms of the most frequent words, as typed and capitalised: about twenty word families only, since
    a common word is one of few."""
    forms = [form for lemma in RUSSIAN_LEMMAS[:20] for form in lemma]
    spellings = forms + [form.capitalize() for form in forms] + [form.upper() for form in forms]
    return list(dict.fromkeys(spellings))[:count]


def _rare_query(record: Record, rng: random.Random) -> str | None:
    if record.rare is None:
        return None
    return record.rare if rng.random() < 0.5 else record.rare.lower()


def _content_words(record: Record) -> list[str]:
    words = [w for item in record.open_words for w in item.split() if w.isalpha() and len(w) > 2]
    return [w for w in words if w not in STOP_WORDS and w not in ENGLISH_STOP_WORDS]


def _two_words_query(record: Record, rng: random.Random) -> str | None:
    words = sorted(set(_content_words(record)))
    return " ".join(rng.sample(words, 2)) if len(words) >= 2 else None


def _phrase_query(record: Record, rng: random.Random) -> str | None:
    return f'"{rng.choice(record.phrases)}"' if record.phrases else None


def _prefix_query(record: Record, rng: random.Random) -> str | None:
    words = [w for w in _content_words(record) if len(w) >= 6]
    if record.person is not None:
        words = [part for part in record.person if len(part) >= 6]
    if not words:
        return None
    word = rng.choice(words)
    return word[: rng.randint(4, min(7, len(word) - 2))].lower() + "*"


def _name_query(record: Record, rng: random.Random) -> str | None:
    """A person's name in Latin letters, as someone abroad would type it: surname and given name in
    either order, sometimes with the patronymic."""
    if record.person is None:
        return None
    passport = rng.random() < 0.4
    surname, given, patronymic = (transliterate(part, passport=passport) for part in record.person)
    shapes = [f"{surname} {given}", f"{given} {surname}", f"{surname} {given} {patronymic}"]
    return rng.choices(shapes, weights=[4, 4, 2])[0]


_PICKS: dict[str, _Pick] = {
    "rare": _rare_query,
    "two": _two_words_query,
    "phrase": _phrase_query,
    "prefix": _prefix_query,
    "name": _name_query,
}


# --- one file for many readers ------------------------------------------------------------------------------


def _as_tuple(doc: Document) -> tuple[Any, ...]:
    return (
        doc.kind,
        doc.id.bytes,
        doc.title,
        doc.steward.bytes if doc.steward else None,
        int(doc.tier),
        doc.listed,
        {int(tier): values for tier, values in doc.texts.items()},
        {int(tier): values for tier, values in doc.names.items()},
        doc.facets,
        doc.day.toordinal() if doc.day else None,
    )


def _from_tuple(row: tuple[Any, ...]) -> Document:
    kind, id_bytes, title, steward, tier, listed, texts, names, facets, day = row
    return Document(
        kind=kind,
        id=uuid.UUID(bytes=id_bytes),
        title=title,
        steward=uuid.UUID(bytes=steward) if steward else None,
        tier=Tier(tier),
        listed=listed,
        texts={Tier(t): values for t, values in texts.items()},
        names={Tier(t): values for t, values in names.items()},
        facets=facets,
        day=date.fromordinal(day) if day else None,
    )


def write_corpus(corpus: SyntheticCorpus, path: Path) -> None:
    """Write every document of ``corpus`` to ``path``, in order."""
    with path.open("wb") as out:
        marshal.dump((CORPUS_VERSION, corpus.size, corpus.seed), out)
        for document in corpus.documents():
            marshal.dump(_as_tuple(document), out)


def read_corpus(path: Path) -> Iterator[Document]:
    """The documents ``write_corpus`` wrote, in order."""
    with path.open("rb") as source:
        marshal.load(source)  # noqa: S302  # a file this module wrote
        while True:
            try:
                row = marshal.load(source)  # noqa: S302
            except EOFError:
                return
            yield _from_tuple(row)


def corpus_header(path: Path) -> tuple[int, int] | None:
    """(size, seed) of a corpus file; None if an older generator wrote it."""
    with path.open("rb") as source:
        header = marshal.load(source)  # noqa: S302
    if not isinstance(header, tuple) or len(header) != 3 or header[0] != CORPUS_VERSION:
        return None
    return int(header[1]), int(header[2])

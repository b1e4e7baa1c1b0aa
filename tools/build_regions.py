"""Build ``khronika/directory/data/regions.json``: Russia's federal subjects and the neighbouring countries.

Run from the repository root::

    python tools/build_regions.py [--data ../shared/data] [--output khronika/directory/data/regions.json]

Relative paths are taken from the repository root. The federal subjects come from HFLabs' reference
lists (``ru-regions-cities/region.csv`` and ``city.csv``, CC BY-SA 4.0, see NOTICE); English names,
the neighbouring countries and the land borders (``region_neighbours.py``) are written by hand here.
The output is sorted by code and byte-for-byte the same on every run.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from region_neighbours import NEIGHBOURS

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = "ru-regions-cities"
DEFAULT_OUTPUT = "khronika/directory/data/regions.json"
MICRODEGREE = Decimal("0.000001")

# Baikonur is in region.csv because Russia leases and administers the town, but it is Kazakhstan's
# territory and not a federal subject; regions near it are covered by KZ.
EXCLUDED_CODES = {"KZ-BAY"}

FEDERAL_DISTRICTS = {
    "Центральный": "central",
    "Северо-Западный": "northwestern",
    "Южный": "southern",
    "Северо-Кавказский": "north_caucasian",
    "Приволжский": "volga",
    "Уральский": "ural",
    "Сибирский": "siberian",
    "Дальневосточный": "far_eastern",
}

# Republics whose name is an adjective put the word after it: "Удмуртская Республика".
ADJECTIVAL_REPUBLIC_ENDING = "ская"

# Regional centres that city.csv does not mark with capital_marker=2, keyed by the region's first two
# KLADR digits. Leningrad Oblast: Gatchina, named its administrative centre by the oblast's law of 2021
# (the government still sits in St Petersburg). Moscow Oblast: its charter names no centre; the
# government sits in Krasnogorsk. Crimea: Simferopol, marked 0 in the source by mistake.
CAPITAL_OVERRIDES = {"47": "Гатчина", "50": "Красногорск", "91": "Симферополь"}

# English names of each federal subject and of its capital, by ISO 3166-2 code.
ENGLISH = {
    "RU-AD": ("Republic of Adygea", "Maykop"),
    "RU-AL": ("Altai Republic", "Gorno-Altaysk"),
    "RU-ALT": ("Altai Krai", "Barnaul"),
    "RU-AMU": ("Amur Oblast", "Blagoveshchensk"),
    "RU-ARK": ("Arkhangelsk Oblast", "Arkhangelsk"),
    "RU-AST": ("Astrakhan Oblast", "Astrakhan"),
    "RU-BA": ("Republic of Bashkortostan", "Ufa"),
    "RU-BEL": ("Belgorod Oblast", "Belgorod"),
    "RU-BRY": ("Bryansk Oblast", "Bryansk"),
    "RU-BU": ("Republic of Buryatia", "Ulan-Ude"),
    "RU-CE": ("Chechen Republic", "Grozny"),
    "RU-CHE": ("Chelyabinsk Oblast", "Chelyabinsk"),
    "RU-CHU": ("Chukotka Autonomous Okrug", "Anadyr"),
    "RU-CU": ("Chuvash Republic", "Cheboksary"),
    "RU-DA": ("Republic of Dagestan", "Makhachkala"),
    "RU-IN": ("Republic of Ingushetia", "Magas"),
    "RU-IRK": ("Irkutsk Oblast", "Irkutsk"),
    "RU-IVA": ("Ivanovo Oblast", "Ivanovo"),
    "RU-KAM": ("Kamchatka Krai", "Petropavlovsk-Kamchatsky"),
    "RU-KB": ("Kabardino-Balkar Republic", "Nalchik"),
    "RU-KC": ("Karachay-Cherkess Republic", "Cherkessk"),
    "RU-KDA": ("Krasnodar Krai", "Krasnodar"),
    "RU-KEM": ("Kemerovo Oblast – Kuzbass", "Kemerovo"),
    "RU-KGD": ("Kaliningrad Oblast", "Kaliningrad"),
    "RU-KGN": ("Kurgan Oblast", "Kurgan"),
    "RU-KHA": ("Khabarovsk Krai", "Khabarovsk"),
    "RU-KHM": ("Khanty-Mansi Autonomous Okrug – Yugra", "Khanty-Mansiysk"),
    "RU-KIR": ("Kirov Oblast", "Kirov"),
    "RU-KK": ("Republic of Khakassia", "Abakan"),
    "RU-KL": ("Republic of Kalmykia", "Elista"),
    "RU-KLU": ("Kaluga Oblast", "Kaluga"),
    "RU-KO": ("Komi Republic", "Syktyvkar"),
    "RU-KOS": ("Kostroma Oblast", "Kostroma"),
    "RU-KR": ("Republic of Karelia", "Petrozavodsk"),
    "RU-KRS": ("Kursk Oblast", "Kursk"),
    "RU-KYA": ("Krasnoyarsk Krai", "Krasnoyarsk"),
    "RU-LEN": ("Leningrad Oblast", "Gatchina"),
    "RU-LIP": ("Lipetsk Oblast", "Lipetsk"),
    "RU-MAG": ("Magadan Oblast", "Magadan"),
    "RU-ME": ("Mari El Republic", "Yoshkar-Ola"),
    "RU-MO": ("Republic of Mordovia", "Saransk"),
    "RU-MOS": ("Moscow Oblast", "Krasnogorsk"),
    "RU-MOW": ("Moscow", "Moscow"),
    "RU-MUR": ("Murmansk Oblast", "Murmansk"),
    "RU-NEN": ("Nenets Autonomous Okrug", "Naryan-Mar"),
    "RU-NGR": ("Novgorod Oblast", "Veliky Novgorod"),
    "RU-NIZ": ("Nizhny Novgorod Oblast", "Nizhny Novgorod"),
    "RU-NVS": ("Novosibirsk Oblast", "Novosibirsk"),
    "RU-OMS": ("Omsk Oblast", "Omsk"),
    "RU-ORE": ("Orenburg Oblast", "Orenburg"),
    "RU-ORL": ("Oryol Oblast", "Oryol"),
    "RU-PER": ("Perm Krai", "Perm"),
    "RU-PNZ": ("Penza Oblast", "Penza"),
    "RU-PRI": ("Primorsky Krai", "Vladivostok"),
    "RU-PSK": ("Pskov Oblast", "Pskov"),
    "RU-ROS": ("Rostov Oblast", "Rostov-on-Don"),
    "RU-RYA": ("Ryazan Oblast", "Ryazan"),
    "RU-SA": ("Sakha (Yakutia) Republic", "Yakutsk"),
    "RU-SAK": ("Sakhalin Oblast", "Yuzhno-Sakhalinsk"),
    "RU-SAM": ("Samara Oblast", "Samara"),
    "RU-SAR": ("Saratov Oblast", "Saratov"),
    "RU-SE": ("Republic of North Ossetia–Alania", "Vladikavkaz"),
    "RU-SMO": ("Smolensk Oblast", "Smolensk"),
    "RU-SPE": ("Saint Petersburg", "Saint Petersburg"),
    "RU-STA": ("Stavropol Krai", "Stavropol"),
    "RU-SVE": ("Sverdlovsk Oblast", "Yekaterinburg"),
    "RU-TA": ("Republic of Tatarstan", "Kazan"),
    "RU-TAM": ("Tambov Oblast", "Tambov"),
    "RU-TOM": ("Tomsk Oblast", "Tomsk"),
    "RU-TUL": ("Tula Oblast", "Tula"),
    "RU-TVE": ("Tver Oblast", "Tver"),
    "RU-TY": ("Tuva Republic", "Kyzyl"),
    "RU-TYU": ("Tyumen Oblast", "Tyumen"),
    "RU-UD": ("Udmurt Republic", "Izhevsk"),
    "RU-ULY": ("Ulyanovsk Oblast", "Ulyanovsk"),
    "RU-VGG": ("Volgograd Oblast", "Volgograd"),
    "RU-VLA": ("Vladimir Oblast", "Vladimir"),
    "RU-VLG": ("Vologda Oblast", "Vologda"),
    "RU-VOR": ("Voronezh Oblast", "Voronezh"),
    "RU-YAN": ("Yamalo-Nenets Autonomous Okrug", "Salekhard"),
    "RU-YAR": ("Yaroslavl Oblast", "Yaroslavl"),
    "RU-YEV": ("Jewish Autonomous Oblast", "Birobidzhan"),
    "RU-ZAB": ("Zabaykalsky Krai", "Chita"),
    # Annexed by Russia in 2014; ISO 3166-2 (and the source data) keep Ukraine's codes.
    "UA-40": ("Sevastopol", "Sevastopol"),
    "UA-43": ("Republic of Crimea", "Simferopol"),
}

# Neighbouring countries (ISO 3166-1 alpha-2): Russian and English name, capital, its coordinates
# (city centre, four decimals).
COUNTRIES = {
    "AM": ("Армения", "Armenia", "Ереван", "Yerevan", "40.1792", "44.4991"),
    "AZ": ("Азербайджан", "Azerbaijan", "Баку", "Baku", "40.4093", "49.8671"),
    "BY": ("Беларусь", "Belarus", "Минск", "Minsk", "53.9023", "27.5619"),
    "CN": ("Китай", "China", "Пекин", "Beijing", "39.9042", "116.4074"),
    "EE": ("Эстония", "Estonia", "Таллин", "Tallinn", "59.4370", "24.7536"),
    "FI": ("Финляндия", "Finland", "Хельсинки", "Helsinki", "60.1699", "24.9384"),
    "GE": ("Грузия", "Georgia", "Тбилиси", "Tbilisi", "41.7151", "44.8271"),
    "KG": ("Киргизия", "Kyrgyzstan", "Бишкек", "Bishkek", "42.8746", "74.5698"),
    "KP": ("КНДР", "North Korea", "Пхеньян", "Pyongyang", "39.0392", "125.7625"),
    "KZ": ("Казахстан", "Kazakhstan", "Астана", "Astana", "51.1282", "71.4304"),
    "LT": ("Литва", "Lithuania", "Вильнюс", "Vilnius", "54.6872", "25.2797"),
    "LV": ("Латвия", "Latvia", "Рига", "Riga", "56.9496", "24.1052"),
    "MD": ("Молдова", "Moldova", "Кишинёв", "Chișinău", "47.0105", "28.8638"),
    "MN": ("Монголия", "Mongolia", "Улан-Батор", "Ulaanbaatar", "47.8864", "106.9057"),
    "NO": ("Норвегия", "Norway", "Осло", "Oslo", "59.9139", "10.7522"),
    "PL": ("Польша", "Poland", "Варшава", "Warsaw", "52.2297", "21.0122"),
    "TJ": ("Таджикистан", "Tajikistan", "Душанбе", "Dushanbe", "38.5598", "68.7870"),
    "TM": ("Туркменистан", "Turkmenistan", "Ашхабад", "Ashgabat", "37.9601", "58.3261"),
    "UA": ("Украина", "Ukraine", "Киев", "Kyiv", "50.4501", "30.5234"),
    "UZ": ("Узбекистан", "Uzbekistan", "Ташкент", "Tashkent", "41.2995", "69.2401"),
}


class DataError(Exception):
    """The source data or the hand-written tables are not what this script expects."""


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise DataError(f"{path} not found (pass --data with the folder that holds {SOURCE_DIR}/)")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def coordinate(value: str) -> str:
    """Six decimals always: the database keeps six, so a shorter string would differ on every load."""
    return str(Decimal(value).quantize(MICRODEGREE, rounding=ROUND_HALF_EVEN))


def name_with_type(name: str, kind: str) -> str:
    """The subject's name as written in prose: "Тверская область", "Республика Адыгея", "Москва"."""
    if kind == "Респ":
        full = f"{name} Республика" if name.endswith(ADJECTIVAL_REPUBLIC_ENDING) else f"Республика {name}"
    elif kind == "обл":
        full = name if "область" in name else f"{name} область"
    elif kind == "АО":
        full = name.replace("Автономный округ", "автономный округ")
        full = full if "автономный округ" in full else f"{name} автономный округ"
    else:
        templates = {"край": "{} край", "Аобл": "{} автономная область", "г": "{}", "Чувашия": "{} — Чувашия"}
        if kind not in templates:
            raise DataError(f"unknown region type {kind!r} for {name!r}")
        full = templates[kind].format(name)
    return full.replace(" - ", " — ").replace("/Якутия/", "(Якутия)")


def capitals_by_prefix(cities: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """The regional centre of each region, keyed by the region's first two KLADR digits."""
    capitals: dict[str, dict[str, str]] = {}
    for city in cities:
        prefix = city["kladr_id"][:2]
        is_federal_city = city["fias_level"] == "1" and city["region_type"] == "г"
        is_marked = city["capital_marker"] == "2" and prefix not in CAPITAL_OVERRIDES
        is_override = CAPITAL_OVERRIDES.get(prefix) == city["city"]
        if not (is_federal_city or is_marked or is_override):
            continue
        if prefix in capitals:
            raise DataError(f"two regional centres for KLADR region {prefix}")
        capitals[prefix] = {**city, "capital_ru": city["city"] or city["region"]}
    return capitals


def federal_subject(region: dict[str, str], capitals: dict[str, dict[str, str]]) -> dict[str, object]:
    code = region["iso_code"]
    if code not in ENGLISH:
        raise DataError(f"no English name for {code} ({region['name_with_type']}): add it to ENGLISH")
    if region["federal_district"] not in FEDERAL_DISTRICTS:
        raise DataError(f"unknown federal district {region['federal_district']!r} for {code}")
    if len(region["okato"]) != 11 or not region["okato"].isdigit():
        raise DataError(f"OKATO code of {code} is not 11 digits: {region['okato']!r}")
    capital = capitals.get(region["kladr_id"][:2])
    if capital is None:
        raise DataError(f"no regional centre for {code} in city.csv: add it to CAPITAL_OVERRIDES")
    name_en, capital_en = ENGLISH[code]
    return {
        "code": code,
        "okato": region["okato"],
        "kind": "federal_subject",
        "name_ru": name_with_type(region["name"], region["type"]),
        "name_en": name_en,
        "federal_district": FEDERAL_DISTRICTS[region["federal_district"]],
        "capital_ru": capital["capital_ru"],
        "capital_en": capital_en,
        "capital_lat": coordinate(capital["geo_lat"]),
        "capital_lon": coordinate(capital["geo_lon"]),
    }


def country(code: str) -> dict[str, object]:
    name_ru, name_en, capital_ru, capital_en, lat, lon = COUNTRIES[code]
    return {
        "code": code,
        "okato": "",
        "kind": "country",
        "name_ru": name_ru,
        "name_en": name_en,
        "federal_district": "",
        "capital_ru": capital_ru,
        "capital_en": capital_en,
        "capital_lat": coordinate(lat),
        "capital_lon": coordinate(lon),
    }


def checked_neighbours(codes: set[str]) -> dict[str, list[str]]:
    """The adjacency table, refused unless it covers exactly ``codes`` and every border is listed twice."""
    problems = [f"{code} is not in the adjacency table" for code in sorted(codes - NEIGHBOURS.keys())]
    problems += [
        f"{code} in the adjacency table is not a known region" for code in sorted(NEIGHBOURS.keys() - codes)
    ]
    for code, others in sorted(NEIGHBOURS.items()):
        for other in others:
            if other == code:
                problems.append(f"{code} lists itself as a neighbour")
            elif other not in NEIGHBOURS:
                problems.append(f"{code} lists an unknown neighbour {other}")
            elif code not in NEIGHBOURS[other]:
                problems.append(f"{code} lists {other}, but {other} does not list {code}")
        if len(set(others)) != len(others):
            problems.append(f"{code} lists a neighbour twice")
    if problems:
        raise DataError(
            "the adjacency table in tools/region_neighbours.py is wrong:\n  " + "\n  ".join(problems)
        )
    return {code: sorted(others) for code, others in NEIGHBOURS.items()}


def build(data_dir: Path) -> list[dict[str, object]]:
    regions = read_csv(data_dir / SOURCE_DIR / "region.csv")
    capitals = capitals_by_prefix(read_csv(data_dir / SOURCE_DIR / "city.csv"))
    rows = [federal_subject(r, capitals) for r in regions if r["iso_code"] not in EXCLUDED_CODES]
    rows += [country(code) for code in COUNTRIES]
    codes = [str(row["code"]) for row in rows]
    if len(set(codes)) != len(codes):
        raise DataError("a region code appears twice")
    if missing := sorted(ENGLISH.keys() - set(codes)):
        raise DataError(f"ENGLISH names regions that are not in region.csv: {', '.join(missing)}")
    neighbours = checked_neighbours(set(codes))
    for row in rows:
        row["neighbours"] = neighbours[str(row["code"])]
    return sorted(rows, key=lambda row: str(row["code"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="folder holding ru-regions-cities/")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="the JSON file to write")
    args = parser.parse_args(argv)
    try:
        rows = build(REPO_ROOT / args.data)
    except DataError as error:
        print(f"build_regions: {error}", file=sys.stderr)
        return 1
    output = REPO_ROOT / args.output
    output.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    subjects = sum(row["kind"] == "federal_subject" for row in rows)
    print(f"wrote {args.output}: {subjects} federal subjects, {len(rows) - subjects} countries")
    return 0


if __name__ == "__main__":
    sys.exit(main())

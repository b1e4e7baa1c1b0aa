"""The shipped regions, as loaded into the database by ``reference_load`` (conftest loads them once)."""

import re
from decimal import Decimal

import pytest

from khronika.core.models import ChangeLogEntry
from khronika.directory.models import FederalDistrict, Region, RegionKind, RegionNeighbour
from khronika.directory.reference import reference_load

pytestmark = pytest.mark.django_db

# Russia's extent, with Crimea and Sevastopol: Kaliningrad to Chukotka (east of 180° is not needed for
# any capital), the Caucasus to the Arctic coast.
RUSSIA_LAT = (Decimal("41"), Decimal("82"))
RUSSIA_LON = (Decimal("19"), Decimal("180"))
NEIGHBOURING_COUNTRIES = {
    "BY",
    "UA",
    "KZ",
    "GE",
    "AZ",
    "AM",
    "MD",
    "EE",
    "LV",
    "LT",
    "FI",
    "NO",
    "PL",
    "MN",
    "CN",
    "UZ",
    "KG",
    "TJ",
    "TM",
}


def subjects():
    return Region.objects.filter(kind=RegionKind.FEDERAL_SUBJECT)


def _inside_russia(lat, lon):
    return (
        lat is not None
        and lon is not None
        and RUSSIA_LAT[0] < lat < RUSSIA_LAT[1]
        and (RUSSIA_LON[0] < lon < RUSSIA_LON[1])
    )


def neighbour_codes(code):
    return set(Region.objects.get(code=code).neighbours.values_list("code", flat=True))


def test_every_federal_subject_is_present_and_baikonur_is_not():
    codes = set(subjects().values_list("code", flat=True))

    assert len(codes) >= 85
    assert {"RU-MOW", "RU-SPE", "UA-40", "UA-43", "RU-TVE", "RU-PER", "RU-MOS", "RU-CHU"} <= codes
    assert not Region.objects.filter(code="KZ-BAY").exists()


def test_every_federal_subject_has_codes_names_district_and_capital_inside_russia():
    problems = []
    for region in subjects():
        # Crimea and Sevastopol keep the codes ISO 3166-2 gives them: UA-43 and UA-40.
        if not re.fullmatch(r"RU-[A-Z]{2,3}|UA-4[03]", region.code):
            problems.append(f"{region.code}: ISO code")
        if not re.fullmatch(r"\d{11}", region.okato):
            problems.append(f"{region.code}: OKATO code")
        if region.federal_district not in FederalDistrict.values:
            problems.append(f"{region.code}: federal district")
        if not all((region.name_ru, region.name_en, region.capital_ru, region.capital_en)):
            problems.append(f"{region.code}: names")
        if not _inside_russia(region.capital_lat, region.capital_lon):
            problems.append(f"{region.code}: capital coordinates")

    assert problems == []


def test_okato_codes_and_names_are_unique():
    rows = list(subjects().values_list("okato", "name_ru", "name_en"))

    for column in range(3):
        values = [row[column] for row in rows]
        assert len(set(values)) == len(values)


def test_neighbours_are_symmetric_and_never_the_region_itself():
    pairs = set(RegionNeighbour.objects.values_list("from_region__code", "to_region__code"))

    assert len(pairs) > 400
    assert {(b, a) for a, b in pairs} == pairs
    assert all(a != b for a, b in pairs)


def test_every_federal_subject_but_sakhalin_has_a_land_neighbour():
    lonely = set(subjects().filter(neighbours__isnull=True).values_list("code", flat=True))

    assert lonely == {"RU-SAK"}


def test_known_geography():
    assert "RU-MOS" in neighbour_codes("RU-TVE")
    assert "RU-MOW" not in neighbour_codes("RU-TVE")
    assert neighbour_codes("RU-MOW") == {"RU-MOS", "RU-KLU"}
    assert neighbour_codes("RU-KGD") == {"LT", "PL"}
    assert neighbour_codes("RU-SPE") == {"RU-LEN"}
    assert {"RU-PSK", "RU-SMO", "RU-BRY"} == neighbour_codes("BY")
    assert Region.objects.get(code="RU-MOW").federal_district == FederalDistrict.CENTRAL
    assert Region.objects.get(code="RU-PER").federal_district == FederalDistrict.VOLGA
    assert Region.objects.get(code="RU-TVE").name_ru == "Тверская область"
    assert Region.objects.get(code="RU-AD").name_en == "Republic of Adygea"


def test_neighbouring_countries_are_present_with_capitals():
    countries = Region.objects.filter(kind=RegionKind.COUNTRY)
    codes = set(countries.values_list("code", flat=True))

    assert codes >= NEIGHBOURING_COUNTRIES
    for country in countries:
        assert re.fullmatch(r"[A-Z]{2}", country.code)
        assert (country.okato, country.federal_district) == ("", "")
        assert country.name_ru and country.name_en and country.capital_ru and country.capital_en
        assert country.capital_lat is not None and country.capital_lon is not None


def test_loading_the_reference_data_again_changes_nothing():
    log_before = ChangeLogEntry.objects.count()
    pairs_before = RegionNeighbour.objects.count()

    counts = reference_load()

    assert counts == {"regions": 0, "neighbours": 0, "areas": 0}
    assert ChangeLogEntry.objects.count() == log_before
    assert RegionNeighbour.objects.count() == pairs_before

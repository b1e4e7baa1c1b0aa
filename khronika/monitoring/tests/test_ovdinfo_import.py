"""Importing OVD-Info's lists of detentions: events with the right region, date and count; refusals with
reasons; nothing twice. The fixtures are written here, in the lists' own format (the real files are
checked by bench/ovdinfo_import_check.py)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from khronika.core.errors import PermissionDenied, ValidationFailed
from khronika.monitoring import selectors
from khronika.monitoring.models import Act, Event
from khronika.monitoring.services.ovdinfo import ovdinfo_detentions_import, ovdinfo_files
from khronika.testing.factories import OrganisationFactory, UserFactory

COLUMNS_2012 = [
    *("Id", "date", "agreement", "agreement_eng", "event_type", "event_type_eng", "subject"),
    *("subject_eng", "organizer", "organizer_eng", "description", "description_eng", "place"),
    *("number_of_detentions", "links"),
]
COLUMNS_2013 = [*COLUMNS_2012[:2], "region", *COLUMNS_2012[2:12], "ovd", *COLUMNS_2012[12:]]


def row_2013(id_, date, region, kind, description, ovd, count, place="площадь"):
    values = dict.fromkeys(COLUMNS_2013, "")
    values.update(Id=id_, date=date, region=region, event_type=kind, description=description, ovd=ovd)
    values.update(place=place, number_of_detentions=count, subject="политзеки", links="http://example.org/1")
    return values


ROWS_2013 = [
    row_2013("1", "12.01.2013", "Москва", "акция", "Акция против хорды", "ОВД Тверское", "5", "Тверская, 14"),
    row_2013("2", "14.01.2013", "Воронеж", "одиночный пикет", 'Пикет "за свободу"', "", "1"),
    row_2013("3", "31.02.2013", "Москва", "митинг", "Митинг", "", "3"),
    row_2013("4", "15.01.2013", "Москва", "митинг", "Митинг", "", "??"),
    row_2013("5", "16.01.2013", "Москва", "концерт", "Концерт", "", "2"),
    row_2013("6", "17.01.2013", "Тмутаракань", "митинг", "Митинг", "", "2"),
]
ROWS_2012 = [
    {
        **dict.fromkeys(COLUMNS_2012, ""),
        "Id": "1",
        "date": "04.12.2011",
        "event_type": "митинг",
        "description": 'Сход "Народ против"',
        "place": "триумфальная, площадь революции",
        "number_of_detentions": "198",
    }
]


def write_list(path, columns, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def lists(tmp_path):
    write_list(tmp_path / "detentions_2013.csv", COLUMNS_2013, ROWS_2013)
    write_list(tmp_path / "detentions_2011-12_2012.csv", COLUMNS_2012, ROWS_2012)
    return tmp_path


@pytest.fixture
def monitor(db):
    return UserFactory(role="monitor", organisation=OrganisationFactory(name_ru="ОВД-Инфо"))


def test_rows_become_events_with_region_date_and_count_and_bad_rows_are_refused_with_reasons(lists, monitor):
    report = ovdinfo_detentions_import(actor=monitor, paths=ovdinfo_files(lists))

    assert (report.files, report.rows, report.imported, report.detained) == (2, 7, 3, 204)
    assert [(r.file, r.line) for r in report.refused] == [("detentions_2013.csv", n) for n in (4, 5, 6, 7)]
    reasons = " ".join(r.reason for r in report.refused)
    assert "31.02.2013" in reasons and "??" in reasons and "концерт" in reasons and "Тмутаракань" in reasons
    voronezh = Event.objects.get(reference="ovdinfo:detentions_2013:2")
    assert (voronezh.region.code, voronezh.started_on, voronezh.started_precision) == (
        "RU-VOR",
        dt.date(2013, 1, 14),
        "day",
    )
    assert (voronezh.event_type.code, voronezh.tier, voronezh.title) == (
        "single-person-picket",
        "internal",
        'Пикет "за свободу"',
    )
    moscow_2011 = Event.objects.get(reference="ovdinfo:detentions_2011-12_2012:1")
    assert moscow_2011.region.code == "RU-MOW" and report.default_region_used == 1
    act = Act.objects.get(event__reference="ovdinfo:detentions_2013:1")
    assert (act.victim_kind, act.victim_count, act.police_station, act.act_type.code) == (
        "group",
        5,
        "ОВД Тверское",
        "administrative-detention",
    )
    assert selectors.statistics(actor=monitor, by="region").victims == 204


def test_a_second_import_adds_nothing_and_a_dry_run_writes_nothing(lists, monitor):
    dry = ovdinfo_detentions_import(actor=monitor, paths=ovdinfo_files(lists), dry_run=True)
    assert dry.imported == 3 and not Event.objects.exists()
    ovdinfo_detentions_import(actor=monitor, paths=ovdinfo_files(lists))
    again = ovdinfo_detentions_import(actor=monitor, paths=ovdinfo_files(lists))
    assert (again.imported, again.already, len(again.refused)) == (0, 3, 4)
    assert Event.objects.count() == 3 and Act.objects.count() == 3


def test_a_file_of_another_shape_is_refused_whole_before_anything_is_written(tmp_path, monitor, lists):
    other = tmp_path / "detentions_other.csv"
    other.write_text("name,phone\nИванов,1\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as raised:
        ovdinfo_detentions_import(actor=monitor, paths=ovdinfo_files(tmp_path))
    assert "number_of_detentions" in raised.value.fields["path"][0]
    assert not Event.objects.exists()
    with pytest.raises(ValidationFailed):
        ovdinfo_files(tmp_path / "missing")


def test_a_viewer_may_not_import_and_a_role_that_may_not_publish_may_not_import_public(lists, db):
    group = OrganisationFactory(name_ru="Группа")
    with pytest.raises(PermissionDenied):
        ovdinfo_detentions_import(
            actor=UserFactory(role="viewer", organisation=group), paths=ovdinfo_files(lists)
        )
    with pytest.raises(PermissionDenied):
        ovdinfo_detentions_import(
            actor=UserFactory(role="editor", organisation=group), paths=ovdinfo_files(lists), tier="public"
        )
    assert not Event.objects.exists()

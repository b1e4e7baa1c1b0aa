"""Import of OVD-Info's lists of detentions at protests (CSV, one row per event).

Each row becomes an event of the importing user's group, counted in the project "assemblies and
detentions", with one act: the administrative detention of a group of as many people as the row counts,
at the police station it names. Rows are imported one by one: a row that cannot be read exactly (a date,
a count, a type of event or a region the importer does not know) is refused with its reason and the rest
go on; nothing is guessed. A second import of the same file finds its events by their reference
(``ovdinfo:<file>:<Id>``) and adds nothing.

The 2011-2012 list has no region column: its events are in Moscow (OVD-Info's description of the list),
so a file without that column takes ``default_region``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from khronika.accounts.models import User
from khronika.core.errors import ApplicationError, ValidationFailed
from khronika.directory.models import Region
from khronika.monitoring import policies
from khronika.monitoring.models import Event
from khronika.monitoring.services.acts import act_add
from khronika.monitoring.services.events import event_create

REQUIRED = ("Id", "date", "event_type", "description", "place", "number_of_detentions")
# OVD-Info's types of event, as its lists write them, and the term of event-types each is counted as. A
# value not listed refuses its row: the importer never invents a term.
EVENT_TYPES = {
    "митинг": "rally",
    "пикет": "picket",
    "одиночный пикет": "single-person-picket",
    "шествие": "march",
    "марш": "march",
    "акция": "public-assembly",
    "оккупай": "spontaneous-gathering",
    "прогулка": "spontaneous-gathering",
    "прогулка\\оккупай": "spontaneous-gathering",
    "агитация": "other",
    "активист": "other",
    "эколагерь": "other",
    "другое": "other",
}
PROJECT = "assemblies-and-detentions"
ACT_TYPE = "administrative-detention"
TITLE_LENGTH = 300


@dataclass
class Refusal:
    file: str
    line: int
    reason: str


@dataclass
class ImportReport:
    files: int = 0
    rows: int = 0
    imported: int = 0
    detained: int = 0
    already: int = 0
    refused: list[Refusal] = field(default_factory=list)
    default_region_used: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "rows": self.rows,
            "imported": self.imported,
            "detained": self.detained,
            "already_imported": self.already,
            "default_region_used": self.default_region_used,
            "refused": [r.__dict__ for r in self.refused],
        }


def ovdinfo_files(path: Path) -> list[Path]:
    """The CSV files of a folder (every ``detentions*.csv``), or the one file named."""
    if path.is_dir():
        found = sorted(path.glob("detentions*.csv"))
        if not found:
            raise ValidationFailed(
                fields={"path": [_("No detentions*.csv file in %(path)s.") % {"path": path.name}]}
            )
        return found
    if not path.is_file():
        raise ValidationFailed(fields={"path": [_("No such file or folder: %(path)s.") % {"path": path}]})
    return [path]


def ovdinfo_detentions_import(
    *,
    actor: User,
    paths: Iterable[Path],
    tier: str = "internal",
    default_region: str = "RU-MOW",
    dry_run: bool = False,
) -> ImportReport:
    """Import every row of the files; a dry run reports what would happen and writes nothing."""
    user = policies.require_event_writer(actor, steward_id=getattr(actor, "organisation_id", None))
    policies.require_tier_allowed(user, tier)
    files = [(p, _read(p)) for p in paths]  # every file is read and checked before anything is written
    regions = _RegionFinder()
    fallback = regions.by_code(default_region)
    report = ImportReport(files=len(files))
    with transaction.atomic():
        for path, rows in files:
            for line, row in rows:
                report.rows += 1
                try:
                    with transaction.atomic():
                        _import_row(user, path, line, row, tier, regions, fallback, report)
                except ApplicationError as exc:
                    report.refused.append(Refusal(path.name, line, _reason(exc)))
        if dry_run:
            transaction.set_rollback(True)
    return report


def _read(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
            if missing:
                message = _("%(file)s is not an OVD-Info list of detentions: it lacks %(columns)s.") % {
                    "file": path.name,
                    "columns": ", ".join(missing),
                }
                raise ValidationFailed(fields={"path": [message]})
            # Line numbers as a spreadsheet shows them: the header is line 1.
            return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error):
        raise ValidationFailed(
            fields={"path": [_("%(file)s cannot be read as UTF-8 CSV.") % {"file": path.name}]}
        ) from None


def _import_row(
    user: User,
    path: Path,
    line: int,
    row: dict[str, str],
    tier: str,
    regions: _RegionFinder,
    fallback: Region | None,
    report: ImportReport,
) -> None:
    reference = f"ovdinfo:{path.stem}:{row['Id']}"
    if Event.objects.filter(
        steward_id=user.organisation_id, reference=reference, deleted_at__isnull=True
    ).exists():
        report.already += 1
        return
    day = _date(row["date"])
    count = _count(row["number_of_detentions"])
    kind = EVENT_TYPES.get(row["event_type"].lower())
    if kind is None:
        raise ValidationFailed(_("Unknown type of event: %(value)s.") % {"value": row["event_type"] or "—"})
    if "region" in row:
        region = regions.by_name(row["region"])
        if region is None:
            raise ValidationFailed(_("Unknown region: %(value)s.") % {"value": row["region"] or "—"})
    else:
        region = fallback
        report.default_region_used += 1
    event = event_create(
        actor=user,
        values={
            "title": _title(row),
            "description": _description(row),
            "started": day.isoformat(),
            "region": region.code if region else "",
            "place": row["place"][:300],
            "type": kind,
            "projects": [PROJECT],
            "tier": tier,
            "reference": reference,
        },
    )
    station = row.get("ovd", "")[:300]
    act_add(
        actor=user,
        event_id=event.pk,
        values={
            "type": ACT_TYPE,
            "victim_count": count,
            "victim_group": _("detained at the event") if count > 1 else "",
            "started": day.isoformat(),
            "police_station": station,
            "detention_place": "police-station" if station else "",
        },
    )
    report.imported += 1
    report.detained += count


def _date(text: str) -> dt.date:
    try:
        day, month, year = (int(part) for part in text.split("."))
        return dt.date(year, month, day)
    except ValueError:  # not three numbers, or no such day
        raise ValidationFailed(_("Unreadable date: %(value)s.") % {"value": text or "—"}) from None


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValidationFailed(_("Unreadable number of detentions: %(value)s.") % {"value": text or "—"})
    return int(text)


def _title(row: dict[str, str]) -> str:
    title = row["description"] or row.get("subject", "") or row["event_type"]
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"


def _description(row: dict[str, str]) -> str:
    """The row's other facts, labelled as OVD-Info's columns are, one per line."""
    parts = [
        ("Тема", row.get("subject", "")),
        ("Организатор", row.get("organizer", "")),
        ("Согласование", row.get("agreement", "")),
        ("In English", row.get("description_eng", "")),
        ("Источники", row.get("links", "")),
    ]
    lines = [f"{label}: {value}" for label, value in parts if value]
    if len(row["description"]) > TITLE_LENGTH:
        lines.insert(0, row["description"])
    return "\n".join(lines)


def _reason(exc: ApplicationError) -> str:
    if isinstance(exc, ValidationFailed) and exc.fields:
        return "; ".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in exc.fields.items())
    return str(exc.message)


class _RegionFinder:
    """A region by its code, its Russian or English name, or its capital's name ("Воронеж" is in
    Воронежская область), read once."""

    def __init__(self) -> None:
        self._names: dict[str, Region] = {}
        for region in Region.objects.filter(Q(deleted_at__isnull=True)):
            for name in (region.code, region.name_ru, region.name_en, region.capital_ru, region.capital_en):
                if name:
                    self._names.setdefault(name.casefold(), region)

    def by_name(self, name: str) -> Region | None:
        return self._names.get(name.strip().casefold()) if name.strip() else None

    def by_code(self, code: str) -> Region | None:
        if not code:
            return None
        region = self._names.get(code.casefold())
        if region is None or region.code != code:
            raise ValidationFailed(
                fields={"region": [_("No region with the code %(code)s.") % {"code": code}]}
            )
        return region

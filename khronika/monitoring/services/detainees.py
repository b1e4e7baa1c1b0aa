"""Bulk entry of a mass detention: a pasted list of detainees becomes one act per person within one event.

One detainee per line: the name, then, optionally, the police station and the time, separated by tabs (as
a spreadsheet copies them), semicolons or commas: ``Иванов Иван; ОВД Тверской; 14:30``. A line that
cannot be read is named with its reason, and nothing is written until every line reads.

Counts stay right. When the event already counts its detainees as a group ("39 detained", as an import
leaves it), the people named now are among those 39: the group's count goes down by as many, and the
group's act is deleted once everyone in it is named. More names than the group held add to the total.

A name already on record is suggested before it is written twice (``detainees_preview``): the reader's
key opens the names of the group's individuals, each opening audited, and each pasted name is compared
with them in any script and word order. A line may then name the individual it is (``matches``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khronika.accounts.models import User
from khronika.accounts.sealing import Opening, open_records
from khronika.core.changes import save_changes, save_record, snapshot
from khronika.core.errors import ValidationFailed
from khronika.core.models import ChangeOperation
from khronika.core.records import live_record
from khronika.monitoring import policies
from khronika.monitoring.models import Act, Event, Individual, VictimKind
from khronika.monitoring.services.acts import TIME_OF_DAY, act_add
from khronika.search.names import name_similarity

MAX_LINES = 5000
SUGGEST_FROM = 85.0  # name similarity (0..100) from which an individual on record is suggested
MAX_CANDIDATES = 3


@dataclass
class Candidate:
    individual: uuid.UUID
    name: str
    score: float


@dataclass
class DetaineeLine:
    line: int
    name: str
    police_station: str = ""
    time: dt.time | None = None
    errors: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    repeats: int | None = None  # the earlier line with the same name in this list

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "name": self.name,
            "police_station": self.police_station,
            "time": self.time.strftime("%H:%M") if self.time else "",
            "errors": self.errors,
            "repeats": self.repeats,
            "candidates": [c.__dict__ for c in self.candidates],
        }


@dataclass
class BulkReport:
    added: int
    group_before: int | None
    group_after: int | None
    victims: int
    acts: list[Act]

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "group_before": self.group_before,
            "group_after": self.group_after,
            "victims": self.victims,
            "acts": [str(act.pk) for act in self.acts],
        }


def detainees_parse(text: str) -> list[DetaineeLine]:
    """The pasted list, one detainee per non-empty line, each with what could not be read in it."""
    lines: list[DetaineeLine] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        separator = "\t" if "\t" in raw else ";" if ";" in raw else ","
        parts = [part.strip() for part in raw.split(separator)]
        entry = DetaineeLine(line=number, name=" ".join(parts[0].split()))
        rest = [part for part in parts[1:] if part]
        if rest and TIME_OF_DAY.match(rest[-1]):
            entry.time = _time(rest.pop(), entry)
        if len(rest) > 1:
            entry.errors.append(_("Give at most a name, a police station and a time."))
        entry.police_station = rest[0] if rest else ""
        if not entry.name:
            entry.errors.append(_("The line has no name."))
        elif len(entry.name) > 300 or len(entry.police_station) > 300:
            entry.errors.append(_("A name or a police station is longer than 300 characters."))
        key = entry.name.casefold()
        if key and key in seen:
            entry.repeats = seen[key]
        seen.setdefault(key, number)
        lines.append(entry)
    if not lines:
        raise ValidationFailed(fields={"text": [_("Paste one detainee per line.")]})
    if len(lines) > MAX_LINES:
        raise ValidationFailed(
            fields={"text": [_("Paste at most %(max)d detainees at a time.") % {"max": MAX_LINES}]}
        )
    return lines


def _time(text: str, entry: DetaineeLine) -> dt.time | None:
    match = TIME_OF_DAY.match(text)
    assert match is not None
    try:
        return dt.time(int(match.group(1)), int(match.group(2)))
    except ValueError:
        entry.errors.append(_("%(value)s is not a time of day.") % {"value": text})
        return None


def detainees_preview(
    *, actor: Any, event_id: Any, text: str, opening: Opening | None = None
) -> list[DetaineeLine]:
    """The parsed list with, for each name, the individuals on the group's record it may be. Without a
    keyring that opens names (an API token, the command line) there are no suggestions."""
    event = live_record(Event, event_id)
    user = _require_bulk_writer(actor, event)
    lines = detainees_parse(text)
    known = _known_names(user, event, opening)
    for entry in lines:
        scored = sorted(
            ((name_similarity(entry.name, name), pk, name) for pk, name in known.items() if entry.name),
            reverse=True,
        )
        entry.candidates = [
            Candidate(individual=pk, name=name, score=round(score, 1))
            for score, pk, name in scored[:MAX_CANDIDATES]
            if score >= SUGGEST_FROM
        ]
    return lines


def _known_names(user: User, event: Event, opening: Opening | None) -> dict[uuid.UUID, str]:
    if opening is None or opening.keyring is None:
        return {}
    people = list(Individual.objects.filter(steward_id=event.steward_id, deleted_at__isnull=True))
    opened = open_records(people, keyring=opening.keyring, purpose=opening.purpose) if people else {}
    return {pk: values["name"] for pk, values in opened.items() if values.get("name")}


def _require_bulk_writer(actor: Any, event: Event) -> User:
    policies.require_event_read(actor, event)
    user = policies.require_event_writer(actor, steward_id=event.steward_id)
    policies.require_namer(user, event.steward_id)
    return user


@transaction.atomic
def detainees_add(
    *,
    actor: User,
    event_id: Any,
    text: str,
    act_type: str = "administrative-detention",
    matches: Mapping[int, Any] | None = None,
) -> BulkReport:
    """One act of ``act_type`` per line, for a new individual or the one ``matches`` names for that line;
    nothing is written unless every line reads."""
    event = live_record(Event, event_id, for_update=True)
    user = _require_bulk_writer(actor, event)
    lines = detainees_parse(text)
    matches = {int(line): value for line, value in (matches or {}).items() if value}
    errors = {f"line {entry.line}": entry.errors for entry in lines if entry.errors}
    unknown = sorted(set(matches) - {entry.line for entry in lines})
    errors |= {f"line {line}": [_("No detainee on this line.")] for line in unknown}
    if errors:
        raise ValidationFailed(fields=errors)
    day = event.started_on if event.started_precision == "day" else None
    acts = []
    for entry in lines:
        values: dict[str, Any] = {"type": act_type, "police_station": entry.police_station}
        if entry.line in matches:
            values["victim"] = str(matches[entry.line])
        else:
            values["victim_name"] = entry.name
        if entry.police_station:
            values["detention_place"] = "police-station"
        if day is not None:
            values["started"] = day.isoformat()
        if entry.time is not None:
            values["time"] = entry.time
        try:
            act = act_add(actor=user, event_id=event.pk, values=values)
        except ValidationFailed as exc:
            raise ValidationFailed(
                fields={f"line {entry.line}": [str(m) for ms in (exc.fields or {}).values() for m in ms]}
            ) from None
        acts.append(act)
    before, after = _named_from_group(user, event, acts)
    victims = sum(
        Act.objects.filter(event=event, deleted_at__isnull=True).values_list("victim_count", flat=True)
    )
    return BulkReport(added=len(acts), group_before=before, group_after=after, victims=victims, acts=acts)


def _named_from_group(user: User, event: Event, acts: list[Act]) -> tuple[int | None, int | None]:
    """Take the people just named out of the event's group of the same type of act, if it has one."""
    if not acts:
        return None, None
    group = (
        Act.objects.filter(
            event=event,
            deleted_at__isnull=True,
            victim_kind=VictimKind.GROUP,
            act_type_id=acts[0].act_type_id,
        )
        .order_by("-victim_count")
        .first()
    )
    if group is None:
        return None, None
    before = group.victim_count
    left = before - len(acts)
    if left <= 0:
        save_record(group, actor=user, operation=ChangeOperation.DELETE)
        return before, 0
    stored = snapshot(group)
    group.victim_count = left
    save_changes(group, actor=user, before=stored)
    return before, left

"""What the desk's pages share: whether the reader works the desk, how sealed values are marked for the
"open them" bar, and the timeline as a page shows it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from khronika.accounts.keys import request_opening
from khronika.accounts.models import User
from khronika.accounts.sealing import Opening
from khronika.cases import policies
from khronika.cases.models import Case, CaseNote, Intake, Referral, Task
from khronika.cases.selectors import TimelineEntry
from khronika.core.errors import NotFound
from khronika.core.projection import SEALED, Projection
from khronika.directory.views.common import user_of

WHAT = {
    "case": (_("case"), Case),
    "task": (_("task"), Task),
    "note": (_("note"), CaseNote),
    "referral": (_("referral"), Referral),
    "intake": (_("request"), Intake),
}
OPERATIONS = {"create": _("created"), "update": _("changed"), "delete": _("deleted")}
# Inputs the services take that are not fields of their model.
INPUT_LABELS = {
    "caller_name": _("who asks"),
    "client_name": _("client"),
    "due": _("due"),
    "done": _("done"),
    "partner": _("partner"),
}


def opening_of(request: HttpRequest) -> Opening | None:
    """What the page was asked to open (``?purpose=``), for the signed-in reader."""
    return request_opening(request, actor=user_of(request))


def mark_sealing(card: Projection, names: Iterable[str], opening: Opening | None) -> Projection:
    """Tell the "open them" bar (``sealed_tags.open_sealed``) how many of the card's protected values are
    sealed, and whether it shows some opened."""
    present = [name for name in names if card.get(name) not in (None, "")]
    card["sealed"] = sum(1 for name in present if card[name] is SEALED)
    opened = opening is not None and opening.keyring is not None
    card["opened"] = opened and card["sealed"] == 0 and bool(present)
    return card


def as_id(value: Any) -> uuid.UUID:
    """An id from an address or a form; one that cannot be an id names no record."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound() from None


def _field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return str(INPUT_LABELS.get(name, name))


def timeline_rows(entries: Iterable[TimelineEntry]) -> list[dict[str, Any]]:
    """The timeline's entries with the names of what changed in the reader's language."""
    rows = []
    for entry in entries:
        label, model = WHAT.get(entry.what, (entry.what, Case))
        rows.append(
            {
                "at": entry.at,
                "what": entry.what,
                "what_label": label,
                "operation": OPERATIONS.get(entry.operation, entry.operation),
                "fields": [_field_label(model, name) for name in entry.fields],
                "who": entry.who,
                "text": entry.text,
            }
        )
    return rows


def overdue_first(tasks: list[Projection]) -> list[Projection]:
    """Overdue tasks first (a database may put tasks without a day before them), each group in the order
    the selector gave."""
    return sorted(tasks, key=lambda task: not task["overdue"])


def desk_user(request: HttpRequest) -> User:
    """The signed-in user, refused unless they work a desk (to open its forms)."""
    return policies.require_desk_worker(user_of(request))

"""Rendering for the terminal: JSON, aligned tables, key: value lines, and the one-line error."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import sys
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.functional import Promise


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal | Promise):
        return str(value)
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)


def text(value: Any) -> str:
    """A value as one would read it in a table: dates ISO, lists comma-separated, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        from django.utils.translation import gettext as _

        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(text(v) for v in value)
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Columns padded to their widest cell; line breaks inside a cell become spaces."""
    cells = [[text(h) for h in headers]] + [[text(c).replace("\n", " ") for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    return "\n".join(lines)


def key_values(pairs: Iterable[tuple[str, Any]]) -> str:
    """``label: value`` lines, the values aligned; further lines of a value are indented under it."""
    pairs = [(text(label), text(value)) for label, value in pairs]
    width = max((len(label) for label, _value in pairs), default=0) + 2
    lines = []
    for label, value in pairs:
        first, *rest = value.splitlines() or [""]
        lines.append(f"{label + ':':<{width}}{first}".rstrip())
        lines.extend(" " * width + line for line in rest)
    return "\n".join(lines)


def error(message: str, fields: dict[str, list[str]] | None = None) -> None:
    """``khronika: <message>`` on stderr, then one indented line per field message."""
    print(f"khronika: {_one_line(message)}", file=sys.stderr)
    for name, messages in (fields or {}).items():
        for field_message in messages:
            print(f"  {name}: {_one_line(field_message)}", file=sys.stderr)


def _one_line(message: Any) -> str:
    return " ".join(str(message).split())

"""Approximate dates: a value with a precision, never a fake exact date (DESIGN.md section 4).

A month-precision date is stored as the first of its month and shown as the month; a year-precision date
as 1 January and shown as the year; an unknown date stores no value at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from khronika.core.errors import ValidationFailed


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    ESTIMATE = "estimate", _("estimate (about a year)")
    UNKNOWN = "unknown", _("unknown")


_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), DatePrecision.DAY),
    (re.compile(r"^(\d{4})-(\d{2})$"), DatePrecision.MONTH),
    (re.compile(r"^(\d{4})$"), DatePrecision.YEAR),
    (re.compile(r"^~\s*(\d{4})$"), DatePrecision.ESTIMATE),
)


def parse_approximate(text: str, *, field: str) -> tuple[dt.date | None, DatePrecision]:
    """Read ``2011-12-10``, ``2011-12``, ``2011``, ``~2011`` or an empty value."""
    text = (text or "").strip()
    if not text:
        return None, DatePrecision.UNKNOWN
    for pattern, precision in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = [int(p) for p in match.groups()] + [1, 1]
        try:
            return dt.date(parts[0], parts[1], parts[2]), precision
        except ValueError:
            break
    raise ValidationFailed(
        fields={field: [str(_("Write a date as 2011-12-10, 2011-12, 2011 or ~2011 (about 2011)."))]}
    )


def format_approximate(value: dt.date | None, precision: str) -> str:
    if value is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.MONTH:
        return value.strftime("%Y-%m")
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.ESTIMATE:
        return f"~{value.year}"
    return value.isoformat()


def latest_day(value: dt.date | None, precision: str) -> dt.date | None:
    """The last day an approximate date may mean: the month's last day for a month, the year's last for a
    year or an estimate; the day itself for a day."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    if precision in (DatePrecision.YEAR, DatePrecision.ESTIMATE):
        return value.replace(month=12, day=31)
    return value

"""Template helpers of the case desk: whether to show the desk's links, and names of reference data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from khronika.cases.models import ReferralStatus
from khronika.cases.pages import works_the_desk as _works_the_desk

register = template.Library()


@register.filter
def works_the_desk(user: Any) -> bool:
    """Whether the navigation offers the desk (its case workers only; the pages check again)."""
    return _works_the_desk(user)


@register.filter
def named(code: Any, names: Mapping[str, str] | None) -> str:
    """A region's or an area's name by its code, from the names a page read (``pages.reference_names``)."""
    if not code:
        return ""
    return (names or {}).get(str(code), str(code))


@register.filter
def referral_status(code: Any) -> str:
    """A referral's status in the reader's language."""
    return str(dict(ReferralStatus.choices).get(str(code), code))

"""Template filters of the directory pages: names in the active language, approximate dates, tiers."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from khronika.core.dates import format_approximate
from khronika.core.tiers import Tier

register = template.Library()

TIER_LABELS = {
    Tier.PUBLIC: _("public"),
    Tier.NETWORK: _("network"),
    Tier.INTERNAL: _("internal"),
    Tier.PROTECTED: _("protected"),
}
PROXIMITY_LABELS = {
    "same_region": _("same region"),
    "neighbour": _("neighbouring region"),
    "same_district": _("same federal district"),
}


def _value(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def local_name(obj: Any) -> str:
    """The English name when the interface is in English and there is one; the Russian name otherwise."""
    if obj is None:
        return ""
    english = _value(obj, "name_en")
    if english and (translation.get_language() or "").startswith("en"):
        return str(english)
    return str(_value(obj, "name_ru") or english or "")


def _tier(value: Any) -> Tier | None:
    if value is None or value == "":
        return None
    if isinstance(value, Tier):
        return value
    if isinstance(value, int):
        return Tier(value)
    return Tier[str(value).upper()]


register.filter("local_name", local_name)


@register.filter
def approx_date(value: Any, precision: str) -> str:
    """A date shown with its precision: ``2011``, ``2011-05``, ``~2011`` or the full day."""
    return format_approximate(value, precision or "day")


@register.filter
def tier_label(value: Any) -> str:
    tier = _tier(value)
    return str(TIER_LABELS[tier]) if tier is not None else ""


@register.filter
def covers(ceiling: Any, tier: Any) -> bool:
    """Whether a write ceiling reaches a tier: ``card.write_ceiling|covers:contact.tier``."""
    ceiling_tier, wanted = _tier(ceiling), _tier(tier)
    return ceiling_tier is not None and wanted is not None and ceiling_tier >= wanted


@register.filter
def proximity_label(value: str) -> str:
    return str(PROXIMITY_LABELS.get(value, value))


@register.filter
def field_label(name: str, entity: str) -> str:
    """The translated label of a model field named in the change log (``directory.organisation``), or the
    name itself when the field has no label of its own."""
    try:
        field = apps.get_model(entity)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name
    label = getattr(field, "_verbose_name", None)
    return str(label) if label else name

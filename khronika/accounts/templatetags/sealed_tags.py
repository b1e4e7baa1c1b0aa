"""Showing sealed values: a closed value as a lock, and the form that opens a page's values."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from khronika.accounts.models import AccessPurpose

register = template.Library()


@register.filter
def unsealed(value: Any) -> Any:
    """The value, or a lock sign where it is still sealed."""
    if getattr(value, "sealed", False):
        return format_html('<span class="sealed" title="{}">🔒 {}</span>', _("Sealed"), _("sealed"))
    return value


@register.inclusion_tag("accounts/_open_sealed.html", takes_context=True)
def open_sealed(context: Any, card: Any) -> dict[str, Any]:
    """The bar above a record with sealed values: why to open them, or that they are open."""
    request = context.get("request")
    chosen = request.GET.get("purpose", "") if request is not None else ""
    return {
        "card": card,
        "purposes": AccessPurpose.choices,
        "chosen": chosen,
        "chosen_label": dict(AccessPurpose.choices).get(chosen, ""),
        "path": request.path if request is not None else "",
    }

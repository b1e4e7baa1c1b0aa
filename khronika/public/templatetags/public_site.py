"""Template helpers of the public site: links that keep the language, names in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language

from khronika.core.dates import format_approximate

register = template.Library()


def _language() -> str:
    return get_language() or ""


@register.simple_tag
def public_url(name: str, *args: Any) -> str:
    """The address of a public page in the current language."""
    query = QueryDict(mutable=True)
    query["lang"] = _language()
    return f"{reverse(name, args=args)}?{query.urlencode()}"


@register.filter
def in_language(url: str) -> str:
    """A public address (perhaps with a #fragment) in the current language."""
    path, hash_mark, fragment = url.partition("#")
    query = QueryDict(mutable=True)
    query["lang"] = _language()
    return f"{path}?{query.urlencode()}{hash_mark}{fragment}"


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """This page's query string with ``changes`` applied, always carrying the language.

    The page's own parameters come from the view's ``query`` (its valid filters), never straight from the
    address, so a link never repeats a value the page refused."""
    query = QueryDict(mutable=True)
    for name, value in (context.get("query") or {}).items():
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = value
    query["lang"] = _language()
    for name, value in changes.items():
        if value in (None, ""):
            query.pop(name, None)
        else:
            query[name] = str(value)
    return f"?{query.urlencode()}"


def _value(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


@register.filter
def localized(obj: Any, field: str = "name") -> str:
    """``obj.<field>_en`` for English readers when it is filled in, else ``obj.<field>_ru``."""
    if obj is None:
        return ""
    russian, english = _value(obj, f"{field}_ru") or "", _value(obj, f"{field}_en") or ""
    if _language().startswith("en") and english:
        return str(english)
    return str(russian or english)


@register.simple_tag
def approximate(value: Any, precision: str) -> str:
    return format_approximate(value, precision)

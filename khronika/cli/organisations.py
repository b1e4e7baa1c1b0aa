"""How an organisation looks on the command line.

JSON is the API's organisation JSON, made by the API's own renderers (``khronika.api.render``), so a
script gets the same keys from either. Text is made from that JSON. Both render a selector's projection
and nothing else: a key the reader may not see is absent, never empty.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from khronika.cli import output
from khronika.core.projection import Projection


def organisation_row_json(row: Projection) -> dict[str, Any]:
    from khronika.api import render

    return render.organisation_row(row)


def organisation_card_json(card: Projection) -> dict[str, Any]:
    from khronika.api import render

    return render.organisation_card(card)


def _name(values: dict[str, Any]) -> str:
    from django.utils.translation import get_language

    if (get_language() or "").startswith("en") and values.get("name_en"):
        return str(values["name_en"])
    return str(values.get("name_ru") or "")


def organisation_table(rows: list[Projection]) -> str:
    headers = [_("id"), _("name"), _("kind"), _("status"), _("region"), _("areas of work")]
    lines = []
    for row in rows:
        data = organisation_row_json(row)
        lines.append(
            (
                data["id"],
                _name(data),
                row.get("kind_label"),
                row.get("status_label"),
                data.get("home_region"),
                data.get("areas"),
            )
        )
    return output.table(headers, lines)


def _labels() -> list[tuple[str, str]]:
    return [
        ("id", _("id")),
        ("kind", _("kind")),
        ("name_ru", _("name (Russian)")),
        ("name_en", _("name (English)")),
        ("aliases", _("other names")),
        ("founded", _("founded")),
        ("status", _("status")),
        ("home_region", _("home region")),
        ("regions", _("regions covered")),
        ("areas", _("areas of work")),
        ("description", _("description of work")),
        ("website", _("website")),
        ("is_public", _("shown in the public directory")),
        ("internal_notes", _("internal notes")),
        ("steward", _("kept by")),
        ("version", _("version")),
        ("updated_at", _("updated")),
        ("read_tier", _("you read up to")),
        ("write_tier", _("you may change up to")),
    ]


def organisation_text(card: Projection) -> str:
    """An organisation card as ``label: value`` lines, then its contacts, designations, links, people and
    practice notes, each only as far as the reader may see them."""
    data = organisation_card_json(card)
    shown = dict(data)
    shown["kind"] = card.get("kind_label")
    shown["status"] = card.get("status_label")
    if shown.get("steward"):
        shown["steward"] = f"{shown['steward']['name_ru']} ({shown['steward']['id']})"
    elif "steward" in shown:
        shown["steward"] = _("itself")
    if "write_tier" in shown and shown["write_tier"] is None:
        shown["write_tier"] = _("nothing")
    lines = [output.key_values((label, shown[key]) for key, label in _labels() if key in shown)]
    lines += _section(
        _("contacts"),
        [
            f"{c.get('kind')} [{c.get('tier')}] "
            + (_("(sealed)") if "value" in c.get("sealed", []) else str(c.get("value")))
            + (f" ({c['label']})" if c.get("label") else "")
            for c in data.get("contacts", [])
        ],
    )
    lines += _section(
        _("designations"),
        [
            f"{d.get('kind')} {output.text(d.get('listed_on'))}"
            + (f" – {output.text(d['removed_on'])}" if d.get("removed_on") else "")
            for d in data.get("designations", [])
        ],
    )
    lines += _section(
        _("relationships"),
        [
            f"{'→' if r['direction'] == 'outgoing' else '←'} {r['kind']} "
            f"{r['other']['name_ru']} ({r['other']['id']})"
            for r in data.get("relationships") or []
        ],
    )
    lines += _section(
        _("people"),
        [f"{p['person']['name_ru']}: {p['title']}" for p in data.get("people") or [] if p.get("person")],
    )
    lines += _section(
        _("practice notes"),
        [
            f"[{n.get('tier')}] {n.get('happened') or '—'} {n.get('title')} ({n.get('area')})"
            for n in data.get("practice_notes", [])
        ],
    )
    return "\n".join(lines)


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return ["", f"{title}:"] + [f"  {item}" for item in items]

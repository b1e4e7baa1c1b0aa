"""A document turned into the fields every backend indexes: analysed terms and name keys, one set per
tier a reader may be given.

- ``*_pub``: what public search reads (public words of a public record);
- ``*_open``: what every member reads (public and network words);
- ``*_int``: internal words, read only by members of the record's steward.

Both backends store exactly these strings, so a query matches the same records on either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from khronika.core.tiers import Tier
from khronika.search import analysis, names
from khronika.search.registry import Document

TYPE_FACET = "type"
YEAR_FACET = "year"


@dataclass(frozen=True)
class IndexedFields:
    key: str
    kind: str
    steward: str
    tier: int
    listed: bool
    text_pub: str
    text_open: str
    text_int: str
    keys_pub: str
    keys_open: str
    keys_int: str
    names_pub: list[str] = field(default_factory=list)
    names_open: list[str] = field(default_factory=list)
    names_int: list[str] = field(default_factory=list)
    facets: list[str] = field(default_factory=list)
    day: int | None = None


def document_key(kind: str, record_id: object) -> str:
    return f"{kind}:{record_id}"


def facet_term(name: str, value: str) -> str:
    return f"{name}={value}"


def _terms(values: list[str]) -> str:
    # One pass over the joined values: the same terms, a fraction of the calls. A line break between
    # values keeps a number at the end of one from running into the next.
    return " ".join(analysis.terms("\n".join(values))) if values else ""


def _keys(values: list[str]) -> str:
    keys: list[str] = []
    for value in values:
        for part in names.name_parts(value):
            keys.extend(sorted(names.name_keys(part)))
    return " ".join(keys)


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def index_fields(doc: Document) -> IndexedFields:
    def at(source: dict[Tier, list[str]], tier: Tier) -> list[str]:
        return source.get(tier, [])

    public_names, network_names = at(doc.names, Tier.PUBLIC), at(doc.names, Tier.NETWORK)
    internal_names = at(doc.names, Tier.INTERNAL)
    facets = [facet_term(TYPE_FACET, doc.kind)]
    facets += [facet_term(name, value) for name, values in doc.facets.items() for value in values]
    if doc.day is not None:
        facets.append(facet_term(YEAR_FACET, str(doc.day.year)))
    listed = doc.listed and doc.tier == Tier.PUBLIC
    # Each tier is analysed once; the member view is the public words followed by the network ones.
    # Names are words too: "Мемориал" is found by its stem as well as by its name key.
    public_terms = _terms(at(doc.texts, Tier.PUBLIC) + public_names)
    public_keys = _keys(public_names)
    return IndexedFields(
        key=document_key(doc.kind, doc.id),
        kind=doc.kind,
        steward=str(doc.steward) if doc.steward else "",
        tier=int(doc.tier),
        listed=listed,
        text_pub=public_terms if listed else "",
        text_open=_joined(public_terms, _terms(at(doc.texts, Tier.NETWORK) + network_names)),
        text_int=_terms(at(doc.texts, Tier.INTERNAL) + internal_names),
        keys_pub=public_keys if listed else "",
        keys_open=_joined(public_keys, _keys(network_names)),
        keys_int=_keys(internal_names),
        names_pub=public_names if listed else [],
        names_open=public_names + network_names,
        names_int=internal_names,
        facets=facets,
        day=doc.day.toordinal() if doc.day else None,
    )

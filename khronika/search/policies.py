"""Which records and tiers a search may touch: the directory's own read rules, asked once per search.

``accounts.policies.read_ceiling`` decides every record's tier by its steward; a search cannot ask it for
each of a million documents, so the scope lists the stewards whose internal words the searcher may read.
A test checks that the scope and ``read_ceiling`` agree for every kind of reader.
"""

from __future__ import annotations

from typing import Any

from khronika.accounts import policies
from khronika.core.tiers import Tier
from khronika.search.query import Scope


def search_scope(actor: Any) -> Scope:
    """Anonymous visitors search public, listed records; members search every network record and the
    internal words of the records their own organisation keeps."""
    user = policies.signed_in(actor)
    if user is None:
        return Scope(public_only=True)
    own = user.organisation_id
    if own is not None and policies.read_ceiling(user, steward_id=own) >= Tier.INTERNAL:
        return Scope(public_only=False, internal_stewards=frozenset({own}))
    return Scope(public_only=False)


def public_scope() -> Scope:
    """The public site's search, whoever is signed in: what the public site shows, nothing more."""
    return Scope(public_only=True)

"""The index follows the change log: scopes agree with the read policy, and the cursor never skips an
entry that a slower transaction has not committed yet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from khronika.accounts import policies
from khronika.accounts.models import Role
from khronika.core.models import ChangeLogEntry
from khronika.core.tiers import Tier
from khronika.search.backends.base import Cursor
from khronika.search.indexer import GAP_PATIENCE, _next_cursor
from khronika.search.policies import search_scope
from khronika.search.registry import Document, ProtectedValueRefused


def entry(seq: int, age: dt.timedelta = dt.timedelta(0)) -> ChangeLogEntry:
    return ChangeLogEntry(seq=seq, recorded_at=timezone.now() - age)


def test_the_cursor_stops_before_a_fresh_gap():
    reached = _next_cursor(Cursor(seq=10, stamp=""), [entry(11), entry(13), entry(14)])
    assert reached.seq == 11


def test_the_cursor_passes_a_gap_once_it_is_old_enough_to_be_final():
    old = GAP_PATIENCE + dt.timedelta(seconds=5)
    reached = _next_cursor(Cursor(seq=10, stamp=""), [entry(11, old), entry(13, old), entry(14)])
    assert reached.seq == 14


def test_the_cursor_stays_when_the_first_entry_is_after_a_fresh_gap():
    assert _next_cursor(Cursor(seq=10, stamp="s"), [entry(12)]) == Cursor(seq=10, stamp="s")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_search_scope_agrees_with_the_read_policy(make_user, org_a, org_b, role):
    user = make_user(role, org_a)
    scope = search_scope(user)
    for org in (org_a, org_b):
        reads_internal = policies.read_ceiling(user, steward_id=org.id) >= Tier.INTERNAL
        assert (org.id in scope.internal_stewards) is reads_internal
    assert scope.public_only is False
    assert search_scope(None).public_only is True


@pytest.mark.django_db
def test_a_disabled_user_searches_as_the_public(make_user, org_a):
    user = make_user("coordinator", org_a, is_active=False)
    assert search_scope(user).public_only is True


def test_a_document_refuses_protected_values():
    import uuid

    doc = Document(kind="x", id=uuid.uuid4(), title="t")
    with pytest.raises(ProtectedValueRefused):
        doc.add_text(Tier.PROTECTED, "secret")
    with pytest.raises(ProtectedValueRefused):
        Document(kind="x", id=uuid.uuid4(), title="t", tier=Tier.PROTECTED)
    doc.add_text(Tier.PUBLIC, "words")
    assert doc.texts == {Tier.PUBLIC: ["words"]}

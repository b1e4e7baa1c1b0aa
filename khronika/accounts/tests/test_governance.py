"""Every model says which policy governs it, and the generic answer matches the directory's own."""

import pytest
from django.apps import apps

from khronika.accounts.policies import record_read_ceiling, record_write_ceiling
from khronika.core.tiers import Tier
from khronika.directory import policies as directory_policies
from khronika.testing.factories import ContactPointFactory, PersonFactory, PracticeNoteFactory


def test_every_model_has_a_governing_policy():
    from khronika.accounts.policies import model_policy

    ungoverned = [
        m._meta.label for m in apps.get_models(include_auto_created=True) if model_policy(m) is None
    ]
    assert ungoverned == []


@pytest.mark.django_db
def test_the_generic_ceiling_is_the_one_the_directory_applies(make_user, org_a, org_b):
    lawyer_a, editor_b = make_user("lawyer", org_a), make_user("editor", org_b)
    contact = ContactPointFactory(organisation=org_a, tier="protected")
    note = PracticeNoteFactory(organisation=org_b)
    person = PersonFactory(steward=org_a)

    assert record_read_ceiling(lawyer_a, org_a) == directory_policies.organisation_read_ceiling(
        lawyer_a, org_a
    )
    assert record_read_ceiling(lawyer_a, contact) is Tier.PROTECTED
    assert record_read_ceiling(editor_b, contact) is Tier.NETWORK
    assert record_read_ceiling(None, contact) is Tier.PUBLIC
    assert record_read_ceiling(editor_b, note) is Tier.INTERNAL
    assert record_read_ceiling(editor_b, person) is Tier.NETWORK
    assert record_write_ceiling(editor_b, person) is None
    assert record_read_ceiling(lawyer_a, lawyer_a) is None  # users are read through their own selectors

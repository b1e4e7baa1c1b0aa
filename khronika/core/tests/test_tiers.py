"""Every concrete field of every installed model declares its tier (DESIGN.md section 2)."""

from django.apps import apps

from khronika.core.tiers import Tier, field_tier, undeclared_fields
from khronika.directory.models import ContactPoint


def test_every_field_of_every_model_declares_a_tier():
    missing = {
        model._meta.label: undeclared_fields(model)
        for model in apps.get_models(include_auto_created=True)
        if undeclared_fields(model)
    }
    assert missing == {}


def test_a_row_tier_raises_a_fields_tier_but_never_lowers_it():
    contact = ContactPoint(kind="phone", value="+7 900", tier="protected")
    assert field_tier(contact, "value") is Tier.PROTECTED
    contact.tier = "public"
    assert field_tier(contact, "value") is Tier.PUBLIC
    assert field_tier(contact, "organisation") is Tier.PUBLIC

"""The filter form of the public directory: a GET form, so it carries no CSRF token and sets no cookie."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from khronika.core.models import localised_name
from khronika.directory import selectors
from khronika.directory.models import FederalDistrict, OrganisationKind, OrganisationStatus, RegionKind
from khronika.directory.selectors import OrganisationFilters

# The message names no value: what a visitor typed never comes back in an error.
_INVALID_CHOICE = {"invalid_choice": _("Choose one of the listed options.")}


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("any")), *choices]


def region_choices() -> list[tuple[str, Any]]:
    """Federal subjects first, then neighbouring countries, each sorted by name in the current language."""
    rows = list(selectors.regions())
    ordered = sorted(rows, key=lambda r: (r.kind != RegionKind.FEDERAL_SUBJECT, localised_name(r)))
    return [(region.code, localised_name(region)) for region in ordered]


def area_choices() -> list[tuple[str, str]]:
    """Areas of work in vocabulary order, each sub-area under its parent."""
    rows = list(selectors.areas())
    children: dict[Any, list[Any]] = {}
    for area in rows:
        children.setdefault(area.parent_id, []).append(area)
    choices: list[tuple[str, str]] = []

    def walk(parent_id: Any, depth: int) -> None:
        for area in children.get(parent_id, []):
            choices.append((area.code, "— " * depth + localised_name(area)))
            walk(area.id, depth + 1)

    walk(None, 0)
    return choices


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=200)
    region = forms.ChoiceField(label=_("Region"), required=False, error_messages=_INVALID_CHOICE)
    district = forms.ChoiceField(
        label=_("Federal district"),
        required=False,
        choices=_any(FederalDistrict.choices),
        error_messages=_INVALID_CHOICE,
    )
    area = forms.ChoiceField(label=_("Area of work"), required=False, error_messages=_INVALID_CHOICE)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=_any(OrganisationKind.choices),
        error_messages=_INVALID_CHOICE,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_any(OrganisationStatus.choices),
        error_messages=_INVALID_CHOICE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = _any(region_choices())
        cast(forms.ChoiceField, self.fields["area"]).choices = _any(area_choices())

    def valid_values(self) -> dict[str, str]:
        """The filled-in values of the fields that are valid; an invalid field is left out."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filters(self) -> OrganisationFilters:
        return OrganisationFilters(**self.valid_values())


# A field no person sees (the page hides it) and a program filling in every input does: a request that
# fills it is answered as if it were taken, and nothing is stored.
TRAP_FIELD = "website"


class RequestForm(forms.Form):
    """A request for help from the public site, in the names ``cases.services.public_request_submit``
    takes. Its messages name no value, so nothing typed comes back in an error."""

    summary = forms.CharField(
        label=_("What happened, and what help do you need?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Say what happened and what help you need.")},
    )
    contact = forms.CharField(
        label=_("How can the group reach you safely?"),
        max_length=300,
        help_text=_("A phone number, a messenger, an email: whatever is safe for you."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Say how the group can reach you safely.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=300,
        help_text=_("Optional: write how the group should address you."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    region = forms.ChoiceField(label=_("Region"), required=False, error_messages=_INVALID_CHOICE)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("not given")), *region_choices()]
        for field in self.fields.values():
            field.error_messages["max_length"] = _("This is too long.")

    def trap_filled(self) -> bool:
        """Whether the hidden field was filled in: a program, not a person, sent the form."""
        return bool(self.data.get(TRAP_FIELD, "").strip())

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ("summary", "contact", "name", "region")}

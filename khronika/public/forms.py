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

"""Forms of the staff directory pages.

They turn what a person typed into the values the directory services take (codes for regions and areas,
approximate-date text, ids), and leave out the fields the person may not write. The services validate
again; their ``ValidationFailed.fields`` are put back on these forms by the views.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khronika.core.dates import format_approximate
from khronika.core.projection import Projection
from khronika.core.tiers import Tier, TierChoices, declared_tier
from khronika.core.widgets import speed_up_selects
from khronika.directory.models import (
    AreaOfWork,
    ContactKind,
    DesignationKind,
    FederalDistrict,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Person,
    PracticeNote,
    Region,
    RegionKind,
    Relationship,
    RelationshipKind,
)
from khronika.directory.selectors import OrganisationFilters
from khronika.directory.templatetags.directory_tags import local_name

ANY = ("", _("any"))
NONE = ("", _("none"))
APPROXIMATE_DATE_HELP = _(
    "For example 2011-12-10, 2011-12, 2011 or ~2011 (about 2011). Leave empty if unknown."
)
ISO_DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
CHOOSE_OFFERED = _("Choose one of the offered values.")


class Form(forms.Form):
    """A form whose messages never repeat what was typed (Django's "not one of the available choices"
    quotes the value)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        speed_up_selects(self)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = CHOOSE_OFFERED


# --- Choices from reference data -------------------------------------------------------------------------


def region_choices(regions: Iterable[Region]) -> list[Any]:
    """Federal subjects, then neighbouring countries, each sorted by their name in the active language."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for region in regions:
        groups[region.kind].append((region.code, local_name(region)))
    labels = {
        RegionKind.FEDERAL_SUBJECT: _("Regions of Russia"),
        RegionKind.COUNTRY: _("Neighbouring countries"),
    }
    return [
        (labels[kind], sorted(groups[kind], key=lambda choice: choice[1]))
        for kind in (RegionKind.FEDERAL_SUBJECT, RegionKind.COUNTRY)
        if groups[kind]
    ]


def area_choices(areas: Iterable[AreaOfWork]) -> list[tuple[str, str]]:
    """Areas of work in the order of the vocabulary, each sub-area indented under its parent."""
    children: dict[Any, list[AreaOfWork]] = defaultdict(list)
    for area in areas:
        children[area.parent_id].append(area)
    choices: list[tuple[str, str]] = []
    stack: list[tuple[AreaOfWork, int]] = [
        (a, 0) for a in sorted(children[None], key=_position, reverse=True)
    ]
    while stack:
        area, depth = stack.pop()
        choices.append((area.code, "\u2003" * depth + local_name(area)))
        stack.extend((child, depth + 1) for child in sorted(children[area.id], key=_position, reverse=True))
    return choices


def _position(area: AreaOfWork) -> tuple[int, str]:
    return (area.position, area.name_en)


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _drop_fields_above(form: forms.Form, model: type, ceiling: Tier, tier_field: dict[str, str]) -> None:
    """Leave out every input whose model field is of a tier above what the user may write."""
    for name in list(form.fields):
        if name == "version":
            continue
        tier = declared_tier(model, tier_field.get(name, name))
        if tier is None or tier > ceiling:
            del form.fields[name]


def _changed_values(form: forms.Form, *, skip: Iterable[str] = ("version",)) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name not in skip}


def _approximate(value: Any, precision: str) -> str:
    return format_approximate(value, precision or "unknown")


# --- Filters ---------------------------------------------------------------------------------------------


class OrganisationFilterForm(Form):
    q = forms.CharField(
        label=_("Name"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    district = forms.ChoiceField(
        label=_("Federal district"), required=False, choices=[ANY, *FederalDistrict.choices]
    )
    area = forms.ChoiceField(label=_("Area of work"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[ANY, *OrganisationKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[ANY, *OrganisationStatus.choices])

    def __init__(self, *args: Any, regions: Iterable[Region], areas: Iterable[AreaOfWork], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "region").choices = [ANY, *region_choices(regions)]
        _choices(self, "area").choices = [ANY, *area_choices(areas)]

    def filters(self) -> OrganisationFilters:
        """The filters to apply: the valid ones; a value that is not valid is shown as an error, ignored."""
        if not self.is_bound:
            return OrganisationFilters()
        self.is_valid()
        values = {name: self.cleaned_data.get(name) or "" for name in self.fields}
        return OrganisationFilters(**values)


class PersonFilterForm(Form):
    q = forms.CharField(
        label=_("Name"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )


class NearForm(Form):
    area = forms.ChoiceField(label=_("Area of work"))
    region = forms.ChoiceField(label=_("Region"))

    def __init__(self, *args: Any, regions: Iterable[Region], areas: Iterable[AreaOfWork], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "region").choices = [("", _("choose a region")), *region_choices(regions)]
        _choices(self, "area").choices = [("", _("choose an area of work")), *area_choices(areas)]


class GapsForm(Form):
    district = forms.ChoiceField(
        label=_("Federal district"), required=False, choices=[("", _("all")), *FederalDistrict.choices]
    )


# --- Organisations ---------------------------------------------------------------------------------------


class OrganisationForm(Form):
    """Create an organisation. Inputs whose field is above ``ceiling`` are left out."""

    tier_field = {"founded": "founded_on"}

    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        help_text=_("One name a line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    founded = forms.CharField(
        label=_("Founded"), required=False, max_length=20, help_text=APPROXIMATE_DATE_HELP
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=OrganisationStatus.choices, initial=OrganisationStatus.ACTIVE
    )
    home_region = forms.ChoiceField(label=_("Home region"), required=False)
    regions = forms.MultipleChoiceField(
        label=_("Regions covered"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "columns"}),
        help_text=_("The home region is always among them."),
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas of work"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "columns"}),
    )
    description = forms.CharField(
        label=_("Description of work"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    is_public = forms.BooleanField(label=_("Shown in the public directory"), required=False)
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        help_text=_("Seen only by your organisation."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, ceiling: Tier, regions: Iterable[Region], areas: Iterable[AreaOfWork], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        regions = list(regions)
        _choices(self, "home_region").choices = [NONE, *region_choices(regions)]
        _choices(self, "regions").choices = region_choices(regions)
        _choices(self, "areas").choices = area_choices(areas)
        _drop_fields_above(self, Organisation, ceiling, self.tier_field)

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class OrganisationEditForm(OrganisationForm):
    """Edit an organisation: carries the version the editor saw, and sends only the changed fields."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @staticmethod
    def initial_from(card: Projection) -> dict[str, Any]:
        return {
            "version": card.version,
            "kind": card.kind,
            "name_ru": card.name_ru,
            "name_en": card.name_en,
            "aliases": "\n".join(card.aliases or []),
            "founded": _approximate(card.founded_on, card.founded_precision),
            "status": card.status,
            "home_region": card.home_region.code if card.home_region else "",
            "regions": [region.code for region in card.regions or []],
            "areas": [area.code for area in card.areas or []],
            "description": card.description,
            "website": card.website,
            "is_public": card.is_public,
            "internal_notes": card.internal_notes or "",
        }

    def values(self) -> dict[str, Any]:
        return _changed_values(self)


# --- Persons ---------------------------------------------------------------------------------------------


class PersonForm(Form):
    name_ru = forms.CharField(label=pgettext_lazy("person", "Name (Russian)"), max_length=300)
    name_en = forms.CharField(label=pgettext_lazy("person", "Name (English)"), max_length=300, required=False)
    aliases = forms.CharField(
        label=pgettext_lazy("person", "Other names"),
        required=False,
        help_text=_("One name a line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        help_text=_("Seen only by your organisation."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, ceiling: Tier, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _drop_fields_above(self, Person, ceiling, {})

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @staticmethod
    def initial_from(card: Projection) -> dict[str, Any]:
        return {
            "version": card.version,
            "name_ru": card.name_ru,
            "name_en": card.name_en,
            "aliases": "\n".join(card.aliases or []),
            "notes": card.notes or "",
        }

    def values(self) -> dict[str, Any]:
        return _changed_values(self)


# --- Things added to an organisation or a person ---------------------------------------------------------


class ContactForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    value = forms.CharField(label=_("Contact"), max_length=500)
    label = forms.CharField(
        label=_("Label"), max_length=200, required=False, help_text=_("For example: office, hotline, chair.")
    )
    tier = forms.ChoiceField(label=_("Who may see it"))

    def __init__(self, *args: Any, ceiling: Tier, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "tier").choices = [
            (v, label) for v, label in TierChoices.choices if Tier[v.upper()] <= ceiling
        ]
        self.fields["tier"].initial = TierChoices.NETWORK


class DesignationForm(Form):
    kind = forms.ChoiceField(label=_("Designation"), choices=DesignationKind.choices)
    listed_on = forms.DateField(
        label=_("Listed on"),
        input_formats=ISO_DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    removed_on = forms.DateField(
        label=_("Removed on"),
        required=False,
        input_formats=ISO_DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500, required=False)
    register_entry = forms.CharField(label=_("Register entry"), max_length=200, required=False)


class OrganisationPickerMixin:
    """One organisation chosen with a text input: a name to search for, or a pasted id.

    The input is ``<picker>_query``; the suggestions (``directory/_suggestions.html``) are radio buttons
    named ``<picker>``. With htmx they appear while typing; without, the form comes back with them.
    """

    picker = "organisation"
    picker_label = _("Organisation")
    data: Any
    cleaned_data: dict[str, Any]
    is_bound: bool
    errors: Any

    @property
    def picker_query(self) -> str:
        return str(self.data.get(f"{self.picker}_query", "") or "").strip()

    @property
    def picker_choice(self) -> str:
        return str(self.data.get(self.picker, "") or "").strip()

    def clean_picker(self) -> None:
        chosen = self.picker_choice or self.picker_query
        if not chosen:
            self.add_error(f"{self.picker}_query", _("Choose the organisation."))  # type: ignore[attr-defined]
            return
        try:
            self.cleaned_data[f"{self.picker}_id"] = uuid.UUID(chosen)
        except ValueError:
            self.add_error(  # type: ignore[attr-defined]
                f"{self.picker}_query", _("Choose the organisation from the suggestions, or paste its id.")
            )


def _picker_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=200,
        help_text=_("Type part of the name and choose from the suggestions, or paste the organisation's id."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class RelationshipForm(OrganisationPickerMixin, Form):
    picker = "target"
    picker_label = _("Other organisation")

    kind = forms.ChoiceField(label=_("This organisation is"), choices=RelationshipKind.choices)
    target_query = _picker_field(_("Other organisation"))
    started = forms.CharField(label=_("From"), required=False, max_length=20, help_text=APPROXIMATE_DATE_HELP)
    ended = forms.CharField(label=_("Until"), required=False, max_length=20, help_text=APPROXIMATE_DATE_HELP)
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by your organisation."),
    )

    def __init__(self, *args: Any, ceiling: Tier, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _drop_fields_above(
            self,
            Relationship,
            ceiling,
            {"target_query": "target", "started": "started_on", "ended": "ended_on"},
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.clean_picker()
        return self.cleaned_data


class PositionForm(OrganisationPickerMixin, Form):
    picker = "organisation"

    organisation_query = _picker_field(_("Organisation"))
    title = forms.CharField(label=_("Position"), max_length=200)
    started = forms.CharField(label=_("From"), required=False, max_length=20, help_text=APPROXIMATE_DATE_HELP)
    ended = forms.CharField(label=_("Until"), required=False, max_length=20, help_text=APPROXIMATE_DATE_HELP)

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.clean_picker()
        return self.cleaned_data


class PracticeNoteForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    area = forms.ChoiceField(label=_("Area of work"))
    region = forms.ChoiceField(label=_("Region"), required=False)
    happened = forms.CharField(
        label=_("When"), required=False, max_length=20, help_text=APPROXIMATE_DATE_HELP
    )
    summary = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 5}))
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lessons = forms.CharField(label=_("Lessons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    who_to_ask = forms.CharField(
        label=_("Who to ask"),
        required=False,
        max_length=300,
        help_text=_("A person's name: protected, seen only by named roles."),
    )
    tier = forms.ChoiceField(
        label=_("Who may see it"), choices=TierChoices.choices[:3], initial=TierChoices.NETWORK
    )

    def __init__(
        self, *args: Any, ceiling: Tier, regions: Iterable[Region], areas: Iterable[AreaOfWork], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        _choices(self, "area").choices = [("", _("choose an area of work")), *area_choices(areas)]
        _choices(self, "region").choices = [NONE, *region_choices(regions)]
        # ``ceiling`` is what the reader may read: the note's own fields take the tier chosen for it, and
        # only the name of whom to ask (protected) may be above the reader.
        _drop_fields_above(self, PracticeNote, ceiling, {"happened": "happened_on"})


# --- Correcting what was recorded ------------------------------------------------------------------------


class DesignationEditForm(DesignationForm):
    """Correct a designation, or give the day the organisation was taken off the register."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @staticmethod
    def initial_from(designation: Projection) -> dict[str, Any]:
        return {
            "version": designation.version,
            "kind": designation.kind,
            "listed_on": designation.listed_on,
            "removed_on": designation.removed_on,
            "legal_basis": designation.legal_basis,
            "register_entry": designation.register_entry,
        }

    def values(self) -> dict[str, Any]:
        return _changed_values(self)


class PositionEditForm(Form):
    """Correct a position's title and dates; the organisation stays (remove the position and add
    another to change it)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    title = forms.CharField(label=_("Position"), max_length=200)
    started = forms.CharField(label=_("From"), required=False, max_length=20, help_text=APPROXIMATE_DATE_HELP)
    ended = forms.CharField(label=_("Until"), required=False, max_length=20, help_text=APPROXIMATE_DATE_HELP)

    @staticmethod
    def initial_from(position: Any) -> dict[str, Any]:
        return {
            "version": position.version,
            "title": position.title,
            "started": _approximate(position.started_on, position.started_precision),
            "ended": _approximate(position.ended_on, position.ended_precision),
        }

    def values(self) -> dict[str, Any]:
        return _changed_values(self)


class PracticeNoteEditForm(PracticeNoteForm):
    """Edit a practice note: carries the version the writer saw, and sends only the changed fields.

    A sealed "who to ask" is never put into the form: the field starts empty, an empty field keeps the
    sealed name, a typed one replaces it, and "remove" clears it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.who_to_ask_sealed = bool(getattr(self.initial.get("who_to_ask_sealed"), "sealed", False))
        if "who_to_ask" in self.fields and self.who_to_ask_sealed:
            self.fields["who_to_ask"].help_text = _(
                "Sealed. Leave it empty to keep the name recorded; type a name to replace it."
            )
            self.fields["remove_who_to_ask"] = forms.BooleanField(
                label=_("Remove whom to ask"), required=False
            )

    @staticmethod
    def initial_from(note: Projection) -> dict[str, Any]:
        initial = {
            "version": note.version,
            "title": note.title,
            "area": note.area.code if note.area else "",
            "region": note.region.code if note.region else "",
            "happened": _approximate(note.happened_on, note.happened_precision),
            "summary": note.summary,
            "outcome": note.outcome,
            "lessons": note.lessons,
            "tier": note.tier,
        }
        if "who_to_ask" in note:
            if getattr(note.who_to_ask, "sealed", False):
                initial["who_to_ask_sealed"] = note.who_to_ask
            else:
                initial["who_to_ask"] = note.who_to_ask
        return initial

    def values(self) -> dict[str, Any]:
        values = _changed_values(self, skip=("version", "remove_who_to_ask"))
        if self.who_to_ask_sealed and "who_to_ask" in self.fields:
            if self.cleaned_data.get("remove_who_to_ask"):
                values["who_to_ask"] = ""
            elif not values.get("who_to_ask"):
                values.pop("who_to_ask", None)
        return values

"""Forms of the monitoring staff pages.

They turn what a person typed into the values the event services and ``event_list`` take: codes of
terms and regions, approximate-date text, ids. They do not decide who may do what: the services validate
again and refuse what the reader's role may not do (publishing, for one), and the views put those
refusals back on these forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.core.projection import Projection
from khronika.core.tiers import TierChoices
from khronika.directory.forms import ANY, APPROXIMATE_DATE_HELP, NONE, Form, region_choices
from khronika.directory.models import FederalDistrict, Region
from khronika.monitoring.selectors.reference import TermRow

# Each term field of the forms and the vocabulary its choices come from.
TERM_FIELDS = {
    "type": "event-types",
    "violation_status": "violation-statuses",
    "monitoring_status": "monitoring-statuses",
}
PROJECTS = "monitoring-projects"


def term_choices(rows: Iterable[TermRow], *, keep: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Terms in the order of their vocabulary, each sub-term indented under its parent. Retired terms are
    left out, unless ``keep`` names them: a record that uses one keeps it when it is edited."""
    kept = set(keep)
    choices = []
    for row in rows:
        if row.term.retired and row.term.code not in kept:
            continue
        name = row.term.name
        if row.term.retired:
            name = _("%(term)s (retired)") % {"term": name}
        choices.append((row.term.code, "\u2003" * row.depth + name))
    return choices


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class TextField(forms.CharField):
    """Text of several lines, its line breaks kept as the database keeps them: a browser sends ``\\r\\n``,
    which would otherwise count as a change of a text nobody touched."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n")


def _date_field(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=20, help_text=APPROXIMATE_DATE_HELP)


# --- The event list's filters ---------------------------------------------------------------------------


class EventFilterForm(Form):
    """The filters of ``selectors.event_list`` (``EVENT_FILTERS``), by the same names."""

    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    district = forms.ChoiceField(
        label=gettext_lazy("Federal district"), required=False, choices=[ANY, *FederalDistrict.choices]
    )
    type = forms.ChoiceField(label=gettext_lazy("Type of event"), required=False)
    project = forms.ChoiceField(label=gettext_lazy("Monitoring project"), required=False)
    monitoring_status = forms.ChoiceField(label=gettext_lazy("Monitoring status"), required=False)
    violation_status = forms.ChoiceField(label=gettext_lazy("Violation status"), required=False)
    since = _date_field(gettext_lazy("From"))
    until = _date_field(gettext_lazy("Until"))

    def __init__(
        self,
        *args: Any,
        regions: Iterable[Region],
        terms: Mapping[str, Iterable[TermRow]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "region").choices = [ANY, *region_choices(regions)]
        _choices(self, "project").choices = [ANY, *term_choices(terms[PROJECTS])]
        for name, vocabulary in TERM_FIELDS.items():
            _choices(self, name).choices = [ANY, *term_choices(terms[vocabulary])]

    def filters(self) -> dict[str, str]:
        """The filters to apply: the valid ones. A value that is not valid (here, or as ``event_list``
        found when the view put its error on the field) is shown as an error and ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields if name not in self.errors}


# --- Events ------------------------------------------------------------------------------------------------


class EventForm(Form):
    """Record an event; the inputs are named as ``services.EVENT_FIELDS``."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    description = TextField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    started = _date_field(gettext_lazy("Date"))
    ended = forms.CharField(
        label=gettext_lazy("Until"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("For an event that lasted: when it ended, as the date above."),
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    place = forms.CharField(
        label=gettext_lazy("Place"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("A town, an address, a court, a place of detention."),
    )
    latitude = forms.CharField(
        label=gettext_lazy("Latitude"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("For example 55.7424."),
    )
    longitude = forms.CharField(
        label=gettext_lazy("Longitude"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("For example 37.6133."),
    )
    type = forms.ChoiceField(label=gettext_lazy("Type of event"), required=False)
    projects = forms.MultipleChoiceField(
        label=gettext_lazy("Monitoring projects"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "columns"}),
    )
    violation_status = forms.ChoiceField(label=gettext_lazy("Violation status"), required=False)
    monitoring_status = forms.ChoiceField(label=gettext_lazy("Monitoring status"), required=False)
    tier = forms.ChoiceField(
        label=gettext_lazy("Who may see it"),
        choices=TierChoices.choices[:3],
        initial=TierChoices.INTERNAL,
        help_text=gettext_lazy(
            "An event stays internal to your organisation until you share it with the network or publish "
            "it. Coordinators, monitors and administrators publish."
        ),
    )

    def __init__(
        self,
        *args: Any,
        regions: Iterable[Region],
        terms: Mapping[str, Iterable[TermRow]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The terms the event already has stay offered when they were retired since.
        used = [str(self.initial.get(name) or "") for name in TERM_FIELDS]
        used += [str(code) for code in self.initial.get("projects") or []]
        _choices(self, "region").choices = [NONE, *region_choices(regions)]
        _choices(self, "projects").choices = term_choices(terms[PROJECTS], keep=used)
        for name, vocabulary in TERM_FIELDS.items():
            _choices(self, name).choices = [NONE, *term_choices(terms[vocabulary], keep=used)]

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class EventEditForm(EventForm):
    """Edit an event: carries the version the editor saw, and sends only the fields they changed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @staticmethod
    def initial_from(card: Projection) -> dict[str, Any]:
        """The form's values from ``selectors.event_card``."""
        return {
            "version": card.version,
            "title": card.title,
            "description": card.description,
            "started": card.started,
            "ended": card.ended,
            "region": card.region_code or "",
            "place": card.place,
            "latitude": "" if card.latitude is None else str(card.latitude),
            "longitude": "" if card.longitude is None else str(card.longitude),
            "type": card.event_type or "",
            "projects": list(card.projects or []),
            "violation_status": card.violation_status or "",
            "monitoring_status": card.monitoring_status or "",
            "tier": card.tier,
        }

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "version"}


class VersionForm(Form):
    """What a deletion sends: the version the person saw when they confirmed it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class EventRelationForm(Form):
    """Chain the event to another one; the inputs are named as ``services.event_relate`` names its
    arguments' errors."""

    relation = forms.ChoiceField(label=gettext_lazy("This event"))
    other_event = forms.UUIDField(
        label=gettext_lazy("Other event"),
        help_text=gettext_lazy("Paste the other event's id: the last part of the address of its page."),
    )

    def __init__(self, *args: Any, relations: Iterable[TermRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "relation").choices = [("", _("choose")), *term_choices(relations)]

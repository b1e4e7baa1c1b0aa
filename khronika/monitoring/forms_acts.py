"""Forms of the pages that record what an event holds: its acts, who was involved in them, its sources,
the interventions about it, a pasted list of detainees, and the statistics' choices.

The inputs are named as the services name their values (``services.ACT_FIELDS``, ``links.INVOLVEMENT``…),
so that a service's refusal of a value lands on the input that sent it. The forms do not decide who may
do what: a role that may not name a victim gets no name inputs, and the service refuses a name all the
same if one is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.core.projection import Projection
from khronika.directory.forms import ANY, NONE, Form, region_choices
from khronika.directory.models import Region
from khronika.monitoring.forms import (
    EventFilterForm,
    TextField,
    _choices,
    _date_field,
    term_choices,
)
from khronika.monitoring.models import SourceKind
from khronika.monitoring.selectors.reference import TermRow
from khronika.monitoring.selectors.statistics import DIMENSIONS
from khronika.monitoring.services.acts import NAMING_FIELDS

# The vocabularies the forms of this module draw their choices from.
ACT_VOCABULARIES = ("act-types", "act-methods", "act-consequences", "victim-end-statuses", "detention-places")
LINK_VOCABULARIES = (
    "involvement-degrees",
    "perpetrator-types",
    "perpetrator-statuses",
    "source-types",
    "source-connections",
    "reliability",
    "source-languages",
    "intervention-types",
    "intervention-responses",
    "intervention-impacts",
    "intervention-statuses",
    "intervention-priorities",
)
DEFAULT_DETENTION = "administrative-detention"
YES_NO = [("", gettext_lazy("not known")), ("yes", gettext_lazy("yes")), ("no", gettext_lazy("no"))]


def _text(label: Any, *, max_length: int = 300, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text)


def _notes() -> TextField:
    return TextField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


def _set_terms(form: forms.Form, terms: Mapping[str, Iterable[TermRow]], fields: Mapping[str, str]) -> None:
    """Offer each term field its vocabulary; a term the record already uses stays offered once retired.
    A required field starts with "choose", an optional one with "none"."""
    used = {str(value) for value in form.initial.values() if isinstance(value, str)}
    used |= {str(code) for value in form.initial.values() if isinstance(value, list) for code in value}
    for name, vocabulary in fields.items():
        if name not in form.fields:
            continue
        field = _choices(form, name)
        offered = term_choices(terms[vocabulary], keep=used)
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = offered
        else:
            field.choices = [("", _("choose")) if field.required else NONE, *offered]


def _changed_values(form: forms.Form, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    skipped = {"version", *skip}
    return {name: form.cleaned_data[name] for name in form.changed_data if name not in skipped}


def _given_values(form: forms.Form) -> dict[str, Any]:
    """What a new record is made of: the inputs that were filled in (an empty one means "not known")."""
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "", [])}


def _as_text_ids(values: Mapping[str, Any]) -> dict[str, Any]:
    """Ids (``UUIDField``'s values) as the text the services take."""
    return {name: str(value) if hasattr(value, "hex") else value for name, value in values.items()}


# --- Acts -------------------------------------------------------------------------------------------------

ACT_TERM_FIELDS = {
    "type": "act-types",
    "method": "act-methods",
    "consequences": "act-consequences",
    "end_status": "victim-end-statuses",
    "detention_place": "detention-places",
}
# The groups of inputs an act form shows, each under its legend.
ACT_GROUPS = (
    (
        gettext_lazy("Victim"),
        ("victim_name", "victim_birth_year", "victim", "victim_group", "victim_count"),
    ),
    (
        gettext_lazy("What, when and where"),
        ("type", "started", "time", "ended", "region", "place", "method", "consequences", "end_status"),
    ),
    (
        gettext_lazy("Arrest and detention"),
        ("detention_place", "police_station", "legal_counsel", "court", "case_number"),
    ),
    (gettext_lazy("Killing"), ("autopsy", "death_certificate")),
    (gettext_lazy("Torture and ill-treatment"), ("medical_attention", "statements_signed")),
    (gettext_lazy("Property"), ("property_loss", "compensation")),
    (gettext_lazy("Notes"), ("notes",)),
)


class ActForm(Form):
    """Record an act within an event; the inputs are named as ``services.ACT_FIELDS``. The inputs that
    name a victim (``services.acts.NAMING_FIELDS``) are there only for a role that may name one."""

    victim_name = forms.CharField(
        label=gettext_lazy("Name of the victim"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Sealed as soon as it is saved: only your group's protected readers open it."),
    )
    victim_birth_year = forms.IntegerField(
        label=gettext_lazy("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    victim = forms.UUIDField(
        label=gettext_lazy("Or an individual already on record"),
        required=False,
        help_text=gettext_lazy("The id of an individual your group has recorded before."),
    )
    victim_group = _text(
        gettext_lazy("Or a group"),
        help_text=gettext_lazy("Who the group was, in words that name nobody: “participants of the rally”."),
    )
    victim_count = forms.IntegerField(
        label=gettext_lazy("Number of victims"), required=False, min_value=1, initial=1
    )
    type = forms.ChoiceField(label=gettext_lazy("Type of act"))
    started = _date_field(gettext_lazy("Date"))
    time = forms.CharField(
        label=gettext_lazy("Time"), required=False, max_length=5, help_text=gettext_lazy("For example 14:30.")
    )
    ended = _date_field(gettext_lazy("Until"))
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    place = _text(gettext_lazy("Place"))
    method = forms.ChoiceField(label=gettext_lazy("Method"), required=False)
    consequences = forms.MultipleChoiceField(
        label=gettext_lazy("Consequences"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "columns"}),
    )
    end_status = forms.ChoiceField(label=gettext_lazy("Victim's status at the end"), required=False)
    detention_place = forms.ChoiceField(label=gettext_lazy("Place of detention"), required=False)
    police_station = _text(gettext_lazy("Police station"))
    legal_counsel = _text(gettext_lazy("Legal counsel"))
    court = _text(gettext_lazy("Court"))
    case_number = forms.CharField(
        label=gettext_lazy("Case number"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Sealed: a case number finds the defendant's name in the court's records."),
    )
    autopsy = _text(gettext_lazy("Autopsy"), max_length=500)
    death_certificate = _text(gettext_lazy("Death certificate"), max_length=500)
    medical_attention = _text(gettext_lazy("Medical attention"), max_length=500)
    statements_signed = forms.ChoiceField(
        label=gettext_lazy("Statements signed under pressure"), required=False, choices=YES_NO
    )
    property_loss = _text(gettext_lazy("Property lost"), max_length=500)
    compensation = _text(gettext_lazy("Compensation"), max_length=500)
    notes = _notes()

    def __init__(
        self,
        *args: Any,
        may_name: bool,
        regions: Iterable[Region],
        terms: Mapping[str, Iterable[TermRow]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.may_name = may_name
        if not may_name:
            for name in NAMING_FIELDS:
                del self.fields[name]
        _choices(self, "region").choices = [NONE, *region_choices(regions)]
        _set_terms(self, terms, ACT_TERM_FIELDS)

    def groups(self) -> Iterator[tuple[Any, list[forms.BoundField]]]:
        """The visible inputs under their legends, leaving out a group none of whose inputs is here."""
        for legend, names in ACT_GROUPS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield legend, fields

    def naming_values(self) -> dict[str, Any]:
        """Names a role that may not name sent anyway: passed on, so that the service refuses them."""
        if self.may_name or not self.is_bound:
            return {}
        return {name: self.data[name] for name in NAMING_FIELDS if self.data.get(name)}

    def values(self) -> dict[str, Any]:
        values = _given_values(self)
        if "victim" in values:
            values["victim"] = str(values["victim"])
        return {**values, **self.naming_values()}


class ActEditForm(ActForm):
    """Edit an act: carries the version the editor saw, and sends only what they changed. A sealed value
    the editor has not opened shows empty and is kept unless something is typed in its place."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, sealed: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The act's own sealed values (its case number); the victim's name is the individual's, and a name
        # typed here names someone new.
        self.sealed = set(sealed) & set(self.fields) & set(self.initial)
        for name in self.sealed:
            self.fields[name].help_text = _(
                "Sealed. Leave it empty to keep the value; open the protected values to change or clear it."
            )

    @staticmethod
    def initial_from(card: Projection) -> dict[str, Any]:
        """The form's values from ``selectors.act_card``; a value still sealed starts empty."""
        time = card.started_time
        signed = card.statements_signed
        initial = {
            "version": card.version,
            "victim": str(card.victim_id) if card.victim_id else "",
            "victim_group": card.victim_group or "",
            "victim_count": card.victim_count,
            "type": card.act_type or "",
            "started": card.started,
            "time": time.strftime("%H:%M") if time else "",
            "ended": card.ended,
            "region": card.region_code or "",
            "method": card.method or "",
            "consequences": list(card.consequences or []),
            "end_status": card.end_status or "",
            "detention_place": card.detention_place or "",
            "statements_signed": "" if signed is None else "yes" if signed else "no",
            "case_number": "" if getattr(card.case_number, "sealed", False) else card.case_number or "",
        }
        for name in ("place", "police_station", "legal_counsel", "court", "autopsy", "death_certificate"):
            initial[name] = card.get(name) or ""
        for name in ("medical_attention", "property_loss", "compensation", "notes"):
            initial[name] = card.get(name) or ""
        return initial

    def values(self) -> dict[str, Any]:
        values = _changed_values(self)
        for name in self.sealed:
            if not values.get(name):
                values.pop(name, None)  # not opened and not typed over: kept as it is
        if values.get("victim"):
            values["victim"] = str(values["victim"])
        return {**values, **self.naming_values()}


# --- Perpetrators, sources, interventions ------------------------------------------------------------------


class InvolvementForm(Form):
    """Who was involved in an act; the inputs are named as ``links.INVOLVEMENT``."""

    perpetrator = _text(
        gettext_lazy("Perpetrator"),
        help_text=gettext_lazy(
            "Describe who it was when nobody is identified: “OMON officers without insignia”."
        ),
    )
    perpetrator_person = forms.UUIDField(
        label=gettext_lazy("Or a person from the directory"),
        required=False,
        help_text=gettext_lazy("Paste the person's id: the last part of the address of their page."),
    )
    perpetrator_organisation = forms.UUIDField(
        label=gettext_lazy("Or an organisation from the directory"),
        required=False,
        help_text=gettext_lazy("Paste the organisation's id: the last part of the address of its page."),
    )
    degree = forms.ChoiceField(label=gettext_lazy("Degree of involvement"))
    perpetrator_type = forms.ChoiceField(label=gettext_lazy("Type of perpetrator"), required=False)
    latest_status = forms.ChoiceField(label=gettext_lazy("Latest known status"), required=False)
    notes = _notes()

    TERMS = {
        "degree": "involvement-degrees",
        "perpetrator_type": "perpetrator-types",
        "latest_status": "perpetrator-statuses",
    }

    def __init__(self, *args: Any, terms: Mapping[str, Iterable[TermRow]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_terms(self, terms, self.TERMS)

    def values(self) -> dict[str, Any]:
        return _as_text_ids(_given_values(self))


def act_choices(acts: Iterable[Projection]) -> list[tuple[str, str]]:
    """The acts of the event, for a source or an intervention that is about one of them."""
    choices = [("", _("the event as a whole"))]
    for number, act in enumerate(acts, start=1):
        label = _("Act %(number)d: %(type)s") % {"number": number, "type": act.act_type_name}
        if act.started:
            label += f", {act.started}"
        choices.append((str(act.id), label))
    return choices


class InformationForm(Form):
    """A source of an event; the inputs are named as ``links.INFORMATION``. A person who gave evidence is
    named (sealed) only by a role that may name."""

    source_kind = forms.ChoiceField(label=gettext_lazy("The source is"), choices=[NONE, *SourceKind.choices])
    source_name = forms.CharField(
        label=gettext_lazy("Name of the person"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Sealed as soon as it is saved."),
    )
    source_organisation = forms.UUIDField(
        label=gettext_lazy("Organisation from the directory"),
        required=False,
        help_text=gettext_lazy("Paste the organisation's id: the last part of the address of its page."),
    )
    title = _text(gettext_lazy("Title or description"), max_length=500)
    url = forms.URLField(label=gettext_lazy("Link"), required=False, max_length=1000, assume_scheme="https")
    source_type = forms.ChoiceField(label=gettext_lazy("Type of source"), required=False)
    connection = forms.ChoiceField(label=gettext_lazy("Connection to the event"), required=False)
    reliability = forms.ChoiceField(label=gettext_lazy("Reliability"))
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    dated = _date_field(gettext_lazy("Date of the material"))
    act = forms.ChoiceField(label=gettext_lazy("About"), required=False)
    notes = _notes()

    TERMS = {
        "source_type": "source-types",
        "connection": "source-connections",
        "reliability": "reliability",
        "language": "source-languages",
    }

    def __init__(
        self,
        *args: Any,
        may_name: bool,
        acts: Iterable[Projection],
        terms: Mapping[str, Iterable[TermRow]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.may_name = may_name
        if not may_name:
            del self.fields["source_name"]
        _choices(self, "act").choices = act_choices(acts)
        _set_terms(self, terms, self.TERMS)

    def values(self) -> dict[str, Any]:
        values = _as_text_ids(_given_values(self))
        if not self.may_name and self.is_bound and self.data.get("source_name"):
            values["source_name"] = self.data["source_name"]  # the service refuses it
        return values


class InterventionForm(Form):
    """What was done about an event; the inputs are named as ``links.INTERVENTION``."""

    type = forms.ChoiceField(label=gettext_lazy("Type of intervention"))
    status = forms.ChoiceField(label=gettext_lazy("Status"))
    dated = _date_field(gettext_lazy("Date"))
    by_organisation = forms.UUIDField(
        label=gettext_lazy("Done by another organisation"),
        required=False,
        help_text=gettext_lazy(
            "Leave empty when your group did it; otherwise paste the organisation's id from its page."
        ),
    )
    parties_requested = _text(gettext_lazy("Addressed to"), max_length=500)
    response = forms.ChoiceField(label=gettext_lazy("Response"), required=False)
    impact = forms.ChoiceField(label=gettext_lazy("Impact"), required=False)
    priority = forms.ChoiceField(label=gettext_lazy("Priority"), required=False)
    act = forms.ChoiceField(label=gettext_lazy("About"), required=False)
    notes = _notes()

    TERMS = {
        "type": "intervention-types",
        "status": "intervention-statuses",
        "response": "intervention-responses",
        "impact": "intervention-impacts",
        "priority": "intervention-priorities",
    }

    def __init__(
        self, *args: Any, acts: Iterable[Projection], terms: Mapping[str, Iterable[TermRow]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "act").choices = act_choices(acts)
        _set_terms(self, terms, self.TERMS)

    def values(self) -> dict[str, Any]:
        return _as_text_ids(_given_values(self))


class InterventionEditForm(InterventionForm):
    """Edit an intervention: carries the version the editor saw, and sends only what they changed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Someone did it: the organisation can be changed, not left out.
        self.fields["by_organisation"].required = True
        self.fields["by_organisation"].label = _("Done by")
        self.fields["by_organisation"].help_text = _("The id of the organisation, from its page.")

    @staticmethod
    def initial_from(row: Projection) -> dict[str, Any]:
        """The form's values from a row of ``selectors.event_interventions``."""
        return {
            "version": row.version,
            "type": row.intervention_type or "",
            "status": row.status or "",
            "dated": row.dated,
            "by_organisation": str(row.by_organisation_id),
            "parties_requested": row.parties_requested or "",
            "response": row.response or "",
            "impact": row.impact or "",
            "priority": row.priority or "",
            "act": str(row.act_id) if row.act_id else "",
            "notes": row.notes or "",
        }

    def values(self) -> dict[str, Any]:
        return {
            name: "" if value is None else value
            for name, value in _as_text_ids(_changed_values(self)).items()
        }


# --- Bulk entry of detainees ------------------------------------------------------------------------------

MATCH = re.compile(r"^match-(\d+)$")


class DetaineesForm(Form):
    """A pasted list of detainees, the type of act each becomes, and, after a check, for each line the
    individual on record it is (``match-<line>``: empty for a new person)."""

    text = TextField(
        label=gettext_lazy("Detainees, one per line"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "Name; police station; time — separated by tabs (as a spreadsheet copies them), semicolons or "
            "commas. Only the name is needed."
        ),
    )
    act_type = forms.ChoiceField(label=gettext_lazy("Type of act"), initial=DEFAULT_DETENTION)

    def __init__(self, *args: Any, act_types: Iterable[TermRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "act_type").choices = term_choices(act_types)

    def matches(self) -> dict[int, str]:
        """The individual chosen for each line; a choice that is not an id is left out (a new person)."""
        chosen: dict[int, str] = {}
        for key, value in (self.data or {}).items():
            found = MATCH.match(key)
            if found and isinstance(value, str) and re.fullmatch(r"[0-9a-fA-F-]{32,36}", value):
                chosen[int(found.group(1))] = value
        return chosen


# --- Statistics --------------------------------------------------------------------------------------------


class StatisticsForm(EventFilterForm):
    """What to count by, and the event list's filters with the type of act (``STAT_FILTERS``)."""

    by = forms.ChoiceField(
        label=gettext_lazy("Count by"), required=False, choices=list(DIMENSIONS.items()), initial="month"
    )
    act_type = forms.ChoiceField(label=gettext_lazy("Type of act"), required=False)
    field_order = ["by"]

    def __init__(self, *args: Any, terms: Mapping[str, Iterable[TermRow]], **kwargs: Any) -> None:
        super().__init__(*args, terms=terms, **kwargs)
        _choices(self, "act_type").choices = [ANY, *term_choices(terms["act-types"])]

    def dimension(self) -> str:
        """What to count by: the chosen dimension, or months when none (or one not offered) is chosen."""
        if not self.is_bound or (not self.is_valid() and "by" in self.errors):
            return "month"
        return str(self.cleaned_data.get("by") or "month")

    def filters(self) -> dict[str, str]:
        return {name: value for name, value in super().filters().items() if name != "by"}

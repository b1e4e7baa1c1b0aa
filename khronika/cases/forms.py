"""Forms of the case desk's staff pages.

They turn what a person typed into the values the desk's services take, by the services' own names
(``services.INTAKE_FIELDS``, ``CASE_FIELDS``, ``TASK_FIELDS``): regions and areas by code, users by
username, dates as text. They do not decide who may do what: the services check again, and the views put
their refusals back on these forms. An edit form sends only what the person changed.

Who asked and how to reach them are protected: their inputs are never filled in from the record (an edit
form offers to replace them), and browsers are asked not to remember what was typed in them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khronika.cases.models import CaseOutcome, CaseStatus, Channel, IntakeStatus, ReferralStatus, Urgency
from khronika.core.projection import Projection
from khronika.directory.forms import ANY, APPROXIMATE_DATE_HELP, NONE, Form, area_choices, region_choices
from khronika.directory.models import AreaOfWork, Region
from khronika.monitoring.forms import TextField, term_choices
from khronika.monitoring.selectors.reference import TermRow

# Inputs of protected values: the browser keeps no list of what was typed in them.
PRIVATE_INPUT = {"autocomplete": "off", "spellcheck": "false"}
KEEP_HELP = _("Leave empty to keep the one on record; what you type replaces it.")
GROUP_ID_HELP = _("Paste the group's id: the last part of the address of its page in the directory.")


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def local_minute(value: Any) -> str:
    """A time as a ``datetime-local`` input shows it: the node's local time, to the minute."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _filled(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value not in ("", None)}


def _changed(form: forms.Form, *, skip: Iterable[str] = ("version",)) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name not in set(skip)}


class PartForm(Form):
    """A form among several on one page (the case's): its inputs' ids carry ``part`` so that they stay
    unique on the page; their names stay the services' names."""

    part = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.part}-%s")
        super().__init__(*args, **kwargs)


class VersionForm(Form):
    """What a button that changes a record sends: the version the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


# --- Lists --------------------------------------------------------------------------------------------------


class IntakeFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("every status")), *IntakeStatus.choices]
    )

    def chosen_status(self) -> str:
        """The status to list: new ones unless the person chose another (or every status)."""
        if not self.is_bound or not self.is_valid():
            return IntakeStatus.NEW
        return str(self.cleaned_data["status"])


class CaseFilterForm(Form):
    """The filters of ``selectors.case_list`` (``CASE_FILTERS``); "mine" is ``lawyer=me``."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[ANY, *CaseStatus.choices])
    open = forms.BooleanField(label=_("Open cases only"), required=False)
    mine = forms.BooleanField(label=_("Mine"), required=False)
    category = forms.ChoiceField(label=_("Category of rights"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(
        self, *args: Any, regions: Iterable[Region], areas: Iterable[AreaOfWork], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category").choices = [ANY, *area_choices(areas)]
        _choices(self, "region").choices = [ANY, *region_choices(regions)]

    def filters(self) -> dict[str, str]:
        """The valid filters, by the selector's names; an invalid one is shown as an error and ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return {
            "status": data.get("status") or "",
            "open": "1" if data.get("open") else "",
            "lawyer": "me" if data.get("mine") else "",
            "category": data.get("category") or "",
            "region": data.get("region") or "",
        }


# --- Intakes ------------------------------------------------------------------------------------------------


class IntakeForm(Form):
    """Take a request during a call: how it came, how urgent, what the person needs first; the rest may
    wait. Named as ``services.INTAKE_FIELDS``."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=Urgency.choices, initial=Urgency.NORMAL
    )
    summary = TextField(label=_("What they need"), widget=forms.Textarea(attrs={"rows": 4}))
    caller_name = forms.CharField(
        label=_("Who asks"),
        required=False,
        max_length=300,
        help_text=_("Sealed at once: only your desk's case workers can open it."),
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
    )
    contact = forms.CharField(
        label=_("How to reach them safely"),
        required=False,
        max_length=300,
        help_text=_("Sealed at once."),
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
    )
    language = forms.CharField(label=_("Language they speak"), required=False, max_length=10, initial="ru")
    region = forms.ChoiceField(label=_("Region"), required=False)
    received_at = forms.CharField(
        label=_("Received at"),
        required=False,
        max_length=20,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Now, unless you change it."),
    )

    def __init__(self, *args: Any, regions: Iterable[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].widget.attrs["autofocus"] = True
        _choices(self, "region").choices = [NONE, *region_choices(regions)]
        if not self.initial.get("received_at"):
            self.fields["received_at"].initial = local_minute(timezone.now())

    def values(self) -> dict[str, Any]:
        return _filled({name: value for name, value in self.cleaned_data.items() if name != "version"})


class IntakeEditForm(IntakeForm):
    """Correct an intake: sends only what changed; a new name or contact replaces the sealed one."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["channel"].widget.attrs["autofocus"]
        self.fields["urgency"].required = True
        for name in ("caller_name", "contact"):
            self.fields[name].help_text = KEEP_HELP

    @staticmethod
    def initial_from(card: Projection) -> dict[str, Any]:
        """The form's values from ``selectors.intake_card`` (never its sealed values)."""
        return {
            "version": card.version,
            "channel": card.channel,
            "urgency": card.urgency,
            "summary": card.summary,
            "language": card.language,
            "region": card.region_code or "",
            "received_at": local_minute(card.received_at),
        }

    def values(self) -> dict[str, Any]:
        changed = _changed(self)
        for name in ("caller_name", "contact", "received_at"):
            if not changed.get(name):
                changed.pop(name, None)
        return changed


class IntakeCloseForm(VersionForm):
    """Decline an intake or mark it a duplicate of another."""

    status = forms.ChoiceField(
        choices=[(IntakeStatus.DECLINED, _("declined")), (IntakeStatus.DUPLICATE, _("duplicate"))]
    )


# --- Cases --------------------------------------------------------------------------------------------------


class CaseForm(Form):
    """Open a case; named as ``services.CASE_FIELDS``. From an intake, its summary and region are filled
    in and its caller becomes the client; only what the person changed is sent."""

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("A title that names nobody: the client is a field of its own."),
    )
    summary = TextField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("Category of rights"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    client_name = forms.CharField(
        label=_("Client"),
        required=False,
        max_length=300,
        help_text=_("Sealed at once: only your desk's case workers can open it."),
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
    )
    lawyer = forms.ChoiceField(label=_("Lawyer"), required=False)
    intake = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        regions: Iterable[Region],
        areas: Iterable[AreaOfWork],
        workers: Iterable[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category").choices = [NONE, *area_choices(areas)]
        _choices(self, "region").choices = [NONE, *region_choices(regions)]
        _choices(self, "lawyer").choices = [NONE, *workers]

    def values(self) -> dict[str, Any]:
        values = _changed(self, skip=("version", "intake"))
        if not values.get("client_name"):
            values.pop("client_name", None)
        return values


class CaseEditForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["intake"]
        self.fields["client_name"].help_text = KEEP_HELP

    @staticmethod
    def initial_from(card: Projection) -> dict[str, Any]:
        """The form's values from ``selectors.case_card`` (never the client's sealed name)."""
        return {
            "version": card.version,
            "title": card.title,
            "summary": card.summary,
            "category": card.category_code or "",
            "region": card.region_code or "",
            "lawyer": card.lawyer_username or "",
        }


class CaseStatusForm(PartForm, VersionForm):
    """Move a case on: only to where it may go from where it is; closing says how it ended."""

    part = "status"

    status = forms.ChoiceField(label=_("Move to"))
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[NONE, *CaseOutcome.choices], help_text=_("When closing.")
    )
    compensation_amount = forms.CharField(label=_("Amount"), required=False, max_length=20)
    compensation_currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, help_text=_("For example RUB or EUR.")
    )

    def __init__(self, *args: Any, transitions: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(CaseStatus.choices)
        _choices(self, "status").choices = [("", _("choose")), *((s, labels[s]) for s in transitions)]

    def values(self) -> dict[str, Any]:
        status = self.cleaned_data["status"]
        if status != CaseStatus.CLOSED:
            return {"status": status}
        names = ("status", "outcome", "compensation_amount", "compensation_currency")
        return {name: self.cleaned_data[name] for name in names}


class TaskForm(PartForm):
    part = "task"
    title = forms.CharField(label=_("Task"), max_length=300)
    due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)

    def __init__(self, *args: Any, workers: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "assignee").choices = [("", _("anyone at the desk")), *workers]

    def values(self) -> dict[str, Any]:
        values = _filled(self.cleaned_data)
        if "due" in values:
            values["due"] = values["due"].isoformat()
        return values


class TaskDoneForm(VersionForm):
    """The "done" button: the version seen, and where to go back (the case's page, or the home page)."""

    case = forms.UUIDField(required=False, widget=forms.HiddenInput)
    back = forms.ChoiceField(required=False, choices=[("case", "case"), ("home", "home")])


class NoteForm(PartForm):
    part = "note"
    text = TextField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class CaseEventForm(PartForm):
    """Record the event a case documents, and the act against the client, in one step."""

    part = "event"

    title = forms.CharField(label=_("Event"), max_length=300)
    started = forms.CharField(label=_("Date"), required=False, max_length=20, help_text=APPROXIMATE_DATE_HELP)
    event_type = forms.ChoiceField(label=_("Type of event"), required=False)
    act_type = forms.ChoiceField(label=_("What was done to the client"))

    def __init__(self, *args: Any, terms: Mapping[str, Iterable[TermRow]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "event_type").choices = [NONE, *term_choices(terms["event-types"])]
        _choices(self, "act_type").choices = [("", _("choose")), *term_choices(terms["act-types"])]

    def values(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The event's values and the act's, as ``services.case_event_create`` takes them."""
        data = self.cleaned_data
        event = _filled({"title": data["title"], "started": data["started"], "type": data["event_type"]})
        return event, {"type": data["act_type"]}


class EventLinkForm(PartForm):
    part = "link"
    event = forms.UUIDField(
        label=_("Event on record"),
        help_text=_("Paste the event's id: the last part of the address of its page."),
    )


# --- Referrals and the desk ---------------------------------------------------------------------------------


class ReferralForm(Form):
    """Refer a case: to a suggested partner, or to any group by its id. The partner reads the reason and
    the summary written for them, nothing else of the case."""

    partner = forms.UUIDField(label=_("Partner"), required=False)
    other_partner = forms.UUIDField(
        label=_("Another group"),
        required=False,
        help_text=GROUP_ID_HELP,
    )
    reason = TextField(label=_("Why this partner"), widget=forms.Textarea(attrs={"rows": 2}))
    shared_summary = TextField(
        label=_("What the partner reads"),
        help_text=_("All the partner reads of the case: name nobody they do not need."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, suggestions: Iterable[tuple[Any, str]] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if suggestions:
            self.fields["partner"].widget = forms.RadioSelect(choices=list(suggestions))
        else:
            del self.fields["other_partner"]
            self.fields["partner"].help_text = GROUP_ID_HELP

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("other_partner") or data.get("partner")
        if chosen is None and "partner" not in self.errors and "other_partner" not in self.errors:
            self.add_error("partner", _("Choose a partner."))
        data["partner"] = chosen
        return data


class ReferralAnswerForm(Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (ReferralStatus.ACCEPTED, _("accept")),
            (ReferralStatus.DECLINED, _("decline")),
            (ReferralStatus.CLOSED, _("close: done")),
        ],
    )
    answer = TextField(
        label=_("A word for the group that referred it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HelpDeskForm(Form):
    accepts_public_requests = forms.BooleanField(
        label=_("Take requests on the public site"),
        required=False,
        help_text=_("The group's public page then links to a request form that anyone may send."),
    )
    public_note = TextField(
        label=_("Note on the request form"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: when the group answers, and what it cannot help with."),
    )

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

"""The hotline and legal-aid desk: requests for help (intakes), the cases they become, their tasks, notes
and referrals to partner groups.

Everything here is internal to the group that runs the desk, and readable only by its case-desk roles
(``policies.CASE_ROLES``); who asked and how to reach them is protected: the person is a sealed
``monitoring.Individual``, their contact a sealed value. A referral is the one thing a partner reads, and
it holds only what the referring group chose to share.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khronika.core.models import Record
from khronika.core.sealed import sealed_text
from khronika.core.tiers import internal, protected, public


class HelpDesk(Record):
    """A group's desk: whether the public site offers its request form, and what the form says."""

    organisation = public(
        models.OneToOneField("directory.Organisation", on_delete=models.PROTECT, related_name="help_desk")
    )
    accepts_public_requests = public(
        models.BooleanField(_("accepts requests from the public site"), default=False)
    )
    public_note = public(models.TextField(_("note on the request form"), blank=True))

    def __str__(self) -> str:
        return str(self.organisation_id)


class Channel(models.TextChoices):
    PHONE = "phone", _("phone call")
    MESSENGER = "messenger", _("messenger")
    EMAIL = "email", _("email")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit")
    WEB_FORM = "web_form", _("form on the public site")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("urgent: someone is detained now or in danger")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")
    LOW = "low", _("low")


class IntakeStatus(models.TextChoices):
    NEW = "new", _("new")
    CASE = "case", _("became a case")
    DECLINED = "declined", _("declined")
    DUPLICATE = "duplicate", _("duplicate")


class Intake(Record):
    """One request for help as it arrived: by what channel and when, who asked (sealed), how to reach
    them (sealed), what they need, how urgent it is, in what language."""

    sealed_fields = ("contact",)

    steward = public(models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+"))
    channel = internal(models.CharField(_("channel"), max_length=15, choices=Channel.choices))
    received_at = internal(models.DateTimeField(_("received at"), default=timezone.now))
    caller = internal(
        models.ForeignKey(
            "monitoring.Individual", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )
    contact = protected(sealed_text(_("how to reach them"), max_length=300, blank=True))
    summary = internal(models.TextField(_("what they need")))
    urgency = internal(
        models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    )
    language = internal(models.CharField(_("language"), max_length=10, default="ru"))
    region = internal(
        models.ForeignKey(
            "directory.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )
    status = internal(
        models.CharField(_("status"), max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.NEW)
    )
    case = internal(
        models.ForeignKey(
            "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="intakes"
        )
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["steward", "status", "received_at"])]

    def __str__(self) -> str:
        return str(self.pk)


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("intake")
    ASSESSMENT = "assessment", _("assessment")
    ASSISTANCE = "assistance", _("assistance")
    REFERRED = "referred", _("referred")
    CLOSED = "closed", pgettext_lazy("a case", "closed")


class CaseOutcome(models.TextChoices):
    RESOLVED = "resolved", _("resolved")
    RESTITUTION = "restitution", _("restitution")
    COMPENSATION = "compensation", _("compensation")
    REJECTED = "rejected", _("rejected")
    LOST_CONTACT = "lost_contact", _("lost contact")


class Case(Record):
    """A matter the desk works on for a client: its category of rights, where it stands, who works on it,
    how it ended, and the event (and act) it documents, if any."""

    steward = public(models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+"))
    number = internal(models.CharField(_("number"), max_length=20))
    title = internal(models.CharField(_("title"), max_length=300))
    summary = internal(models.TextField(_("summary"), blank=True))
    # The category of rights is the directory's area of work, so that partners who work on it are found.
    category = internal(
        models.ForeignKey(
            "directory.AreaOfWork", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )
    client = internal(
        models.ForeignKey(
            "monitoring.Individual", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )
    region = internal(
        models.ForeignKey(
            "directory.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )
    status = internal(
        models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    )
    outcome = internal(models.CharField(_("outcome"), max_length=15, choices=CaseOutcome.choices, blank=True))
    compensation_amount = internal(
        models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    )
    compensation_currency = internal(models.CharField(_("currency"), max_length=3, blank=True))
    lawyer = internal(
        models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    opened_on = internal(models.DateField(_("opened"), default=timezone.localdate))
    closed_on = internal(models.DateField(_("closed"), null=True, blank=True))
    event = internal(
        models.ForeignKey(
            "monitoring.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
        )
    )
    act = internal(
        models.ForeignKey("monitoring.Act", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )

    class Meta:
        ordering = ["-opened_on", "-number"]
        constraints = [models.UniqueConstraint(fields=["steward", "number"], name="case_number_per_desk")]
        indexes = [models.Index(fields=["steward", "status"])]

    def __str__(self) -> str:
        return self.number


class Task(Record):
    """Something to do on a case by a day: reminded on the staff home page of whom it is assigned to."""

    case = public(models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks"))
    title = internal(models.CharField(_("task"), max_length=300))
    due_on = internal(models.DateField(_("due"), null=True, blank=True))
    assignee = internal(
        models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    done_at = internal(models.DateTimeField(_("done"), null=True, blank=True))

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["assignee", "done_at", "due_on"])]

    def __str__(self) -> str:
        return self.title


class CaseNote(Record):
    """A line of the case's timeline written by a person: a call made, advice given, a document filed."""

    case = public(models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes"))
    text = internal(models.TextField(_("note")))

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return str(self.pk)


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CLOSED = "closed", _("closed")


class Referral(Record):
    """A case referred to a partner group: why, and what the partner may read (``shared_summary``, chosen
    by the referring group). The partner reads the referral, never the case."""

    case = public(models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals"))
    partner = public(models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+"))
    reason = internal(models.TextField(_("why this partner")))
    shared_summary = internal(models.TextField(_("what the partner reads")))
    status = internal(
        models.CharField(
            _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
        )
    )
    answer = internal(models.TextField(_("the partner's answer"), blank=True))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partner", "status"])]

    def __str__(self) -> str:
        return str(self.pk)


class RequestLimit(models.Model):
    """How many requests the public form took in one hour from one visitor (``visitor`` is a keyed hash
    of their address that changes every day, never the address) or from everyone (``visitor`` empty).
    Rows older than a day are deleted as new ones are written."""

    id = internal(models.BigAutoField(primary_key=True))
    visitor = internal(models.CharField(max_length=64, blank=True))
    hour = internal(models.DateTimeField())
    count = internal(models.PositiveIntegerField(default=0))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visitor", "hour"], name="request_limit_once")]

    def __str__(self) -> str:
        return f"{self.hour} {self.count}"

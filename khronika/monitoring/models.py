"""Documentation of violations: events, and the vocabularies every list of the monitoring model draws from.

A vocabulary is data (``monitoring/data/vocabularies/``), hierarchical and translated; its terms are
never deleted, only retired, so that a record keeps the meaning it was written with.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from khronika.core.dates import DatePrecision
from khronika.core.models import Record, localised_name
from khronika.core.sealed import sealed_text
from khronika.core.tiers import TierChoices, internal, protected, public


class Vocabulary(Record):
    """A list of terms: types of act, degrees of involvement, reliability of sources…"""

    code = public(models.SlugField(_("code"), max_length=60, unique=True))
    name_ru = public(models.CharField(_("name (Russian)"), max_length=200))
    name_en = public(models.CharField(_("name (English)"), max_length=200))
    edition = public(models.CharField(_("edition"), max_length=20))

    class Meta:
        ordering = ["code"]
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised_name(self)


class Term(Record):
    """One term of a vocabulary, under its parent term if it has one."""

    vocabulary = public(models.ForeignKey(Vocabulary, on_delete=models.PROTECT, related_name="terms"))
    code = public(models.SlugField(_("code"), max_length=60))
    parent = public(
        models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    )
    name_ru = public(models.CharField(_("name (Russian)"), max_length=200))
    name_en = public(models.CharField(_("name (English)"), max_length=200))
    position = public(models.PositiveIntegerField(default=0))
    # No longer offered for new records; records that use it keep it.
    retired = public(models.BooleanField(_("retired"), default=False))
    # The group that added the term (a monitoring project of its own); empty for the terms Khronika ships,
    # which loading the files may retire, while a group's term stays.
    added_by = public(
        models.ForeignKey(
            "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )

    class Meta:
        ordering = ["vocabulary", "position"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_code_per_vocabulary")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised_name(self)


class Event(Record):
    """One event monitored: a detention at a rally, a death in custody, a hearing, a search.

    Its facts are internal to the steward organisation that documents it until it is shared with the
    network or published (``tier``); the date may be approximate (a precision, or a range)."""

    row_tier_field = "tier"
    row_tiered_fields = (
        "title",
        "description",
        "started_on",
        "started_precision",
        "ended_on",
        "ended_precision",
        "latest_on",
        "region",
        "place",
        "latitude",
        "longitude",
        "event_type",
        "projects",
        "violation_status",
        "monitoring_status",
        "reference",
    )

    steward = public(
        models.ForeignKey(
            "directory.Organisation",
            on_delete=models.PROTECT,
            related_name="monitored_events",
            verbose_name=_("documented by"),
        )
    )
    title = public(models.CharField(_("title"), max_length=300))
    description = public(models.TextField(_("description"), blank=True))
    started_on = public(models.DateField(_("date"), null=True, blank=True))
    started_precision = public(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    ended_on = public(models.DateField(_("until"), null=True, blank=True))
    ended_precision = public(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    # The last day the event may have lasted to (its end, or its start, at the latest day its precision
    # allows): what a search by period compares, so that "May 2012" is in a period that starts on 31 May.
    latest_on = public(models.DateField(null=True, blank=True, editable=False))
    region = public(
        models.ForeignKey(
            "directory.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )
    place = public(models.CharField(_("place"), max_length=300, blank=True))
    latitude = public(
        models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    )
    longitude = public(
        models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    )
    event_type = public(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    projects = public(models.ManyToManyField(Term, through="EventProject", related_name="+", blank=True))
    violation_status = public(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    monitoring_status = public(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    tier = public(
        models.CharField(
            _("who may see it"), max_length=10, choices=TierChoices.choices[:3], default=TierChoices.INTERNAL
        )
    )
    # The event's id in the source it was imported from ("ovdinfo-2013-17"): a second import of the same
    # file finds it and adds nothing.
    reference = public(models.CharField(_("reference"), max_length=100, blank=True))

    class Meta:
        ordering = ["-started_on", "title"]
        indexes = [
            models.Index(fields=["steward", "started_on"]),
            models.Index(fields=["tier", "started_on"]),
            # The list's order: the first page is read along it, not sorted from every visible event.
            models.Index(fields=["-started_on", "title"], name="event_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["steward", "reference"],
                condition=models.Q(deleted_at__isnull=True) & ~models.Q(reference=""),
                name="event_reference_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EventProject(models.Model):
    """An event counted in a monitoring project (seen with the event, at its tier)."""

    id = public(models.BigAutoField(primary_key=True))
    event = public(models.ForeignKey(Event, on_delete=models.CASCADE, related_name="project_links"))
    project = public(models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "project"], name="event_project_once")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.project_id}"


class EventRelation(Record):
    """A chain between two events: one precedes, causes or is part of the other."""

    source = public(models.ForeignKey(Event, on_delete=models.CASCADE, related_name="relations_from"))
    target = public(models.ForeignKey(Event, on_delete=models.CASCADE, related_name="relations_to"))
    relation = public(models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "relation"],
                condition=models.Q(deleted_at__isnull=True),
                name="event_relation_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.relation_id} {self.target_id}"


class Individual(Record):
    """A person whose identity is protected: a victim, a witness, a source, a caller.

    Kept apart from the directory's persons (defenders, lawyers, officials), whose names the network
    reads. An individual's name is always sealed (``accounts.sealing``): the server stores ciphertext
    only, and each opening is audited. One individual may be the victim of several acts."""

    sealed_fields = ("name",)

    steward = public(
        models.ForeignKey(
            "directory.Organisation", on_delete=models.PROTECT, related_name="monitored_individuals"
        )
    )
    name = protected(sealed_text(_("name"), max_length=300))
    birth_year = internal(models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True))

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return str(self.pk)


class VictimKind(models.TextChoices):
    PERSON = "person", _("a person")
    GROUP = "group", _("a group of people")


class Act(Record):
    """One violation within an event, against a person or a group ("39 detained"): its type, dates,
    place, method, consequences and the victim's status at its end, with the details its type calls for
    (detention, killing, torture, property).

    An act is read with its event: it carries the event's tier, kept equal by the services, so that every
    output filters it as it filters the event."""

    row_tier_field = "tier"
    row_tiered_fields = (
        "victim_kind",
        "victim",
        "victim_group",
        "victim_count",
        "act_type",
        "started_on",
        "started_precision",
        "started_time",
        "ended_on",
        "ended_precision",
        "latest_on",
        "region",
        "place",
        "method",
        "consequences",
        "end_status",
        "detention_place",
        "police_station",
        "legal_counsel",
        "court",
        "autopsy",
        "death_certificate",
        "medical_attention",
        "statements_signed",
        "property_loss",
        "compensation",
        "notes",
        "event_type",
        "counted_on",
        "counted_precision",
        "counted_region",
    )
    sealed_fields = ("case_number",)

    event = public(models.ForeignKey(Event, on_delete=models.PROTECT, related_name="acts"))
    victim_kind = public(
        models.CharField(_("victim"), max_length=10, choices=VictimKind.choices, default=VictimKind.PERSON)
    )
    victim = public(
        models.ForeignKey(Individual, on_delete=models.PROTECT, null=True, blank=True, related_name="acts")
    )
    # Who the group was, in words that name nobody: "participants of the rally on Triumfalnaya Square".
    victim_group = public(models.CharField(_("group"), max_length=300, blank=True))
    victim_count = public(models.PositiveIntegerField(_("number of victims"), default=1))
    act_type = public(models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+"))
    started_on = public(models.DateField(_("date"), null=True, blank=True))
    started_precision = public(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    ended_on = public(models.DateField(_("until"), null=True, blank=True))
    ended_precision = public(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    # The time of day, when known (a detention's time starts the legal clock of its length).
    started_time = public(models.TimeField(_("time"), null=True, blank=True))
    latest_on = public(models.DateField(null=True, blank=True, editable=False))
    region = public(
        models.ForeignKey(
            "directory.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )
    place = public(models.CharField(_("place"), max_length=300, blank=True))
    method = public(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    consequences = public(
        models.ManyToManyField(Term, through="ActConsequence", related_name="+", blank=True)
    )
    end_status = public(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    # Arrest and detention.
    detention_place = public(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    police_station = public(models.CharField(_("police station"), max_length=300, blank=True))
    legal_counsel = public(models.CharField(_("legal counsel"), max_length=300, blank=True))
    court = public(models.CharField(_("court"), max_length=300, blank=True))
    # A court case number finds the defendant's name in the court's own records, so it is protected.
    case_number = protected(sealed_text(_("case number"), max_length=100, blank=True))
    # Killing.
    autopsy = public(models.CharField(_("autopsy"), max_length=500, blank=True))
    death_certificate = public(models.CharField(_("death certificate"), max_length=500, blank=True))
    # Torture.
    medical_attention = public(models.CharField(_("medical attention"), max_length=500, blank=True))
    statements_signed = public(
        models.BooleanField(_("statements signed under pressure"), null=True, blank=True)
    )
    # Property.
    property_loss = public(models.CharField(_("property lost"), max_length=500, blank=True))
    compensation = public(models.CharField(_("compensation"), max_length=500, blank=True))
    notes = public(models.TextField(_("notes"), blank=True))
    tier = public(
        models.CharField(
            _("who may see it"), max_length=10, choices=TierChoices.choices[:3], default=TierChoices.INTERNAL
        )
    )
    # Copied from the event, and kept equal by the services (``acts_follow_event``), so that statistics
    # read one table: who documents it, the event's type, and the date and region the act counts under
    # (its own, or else its event's).
    steward = public(
        models.ForeignKey(
            "directory.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
        )
    )
    event_type = public(
        models.ForeignKey(
            Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
        )
    )
    counted_on = public(models.DateField(null=True, blank=True, editable=False))
    counted_precision = public(
        models.CharField(
            max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN, editable=False
        )
    )
    counted_region = public(
        models.ForeignKey(
            "directory.Region",
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="+",
            editable=False,
        )
    )

    class Meta:
        ordering = ["started_on", "created_at"]
        indexes = [
            models.Index(fields=["event", "deleted_at"]),
            # Covering indexes for counting by type, region and date without reading the table: a group's
            # own part of the statistics is one range of each (tier and steward), the shared part a few.
            models.Index(
                fields=["tier", "steward", "act_type", "deleted_at", "victim_count"],
                name="act_counted_by_type",
            ),
            models.Index(
                fields=["tier", "steward", "counted_region", "deleted_at", "victim_count"],
                name="act_counted_by_region",
            ),
            models.Index(
                fields=["tier", "steward", "counted_on", "counted_precision", "deleted_at", "victim_count"],
                name="act_counted_by_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.act_type_id} ×{self.victim_count}"


class ActConsequence(models.Model):
    """A consequence of an act (seen with the act, at its tier)."""

    id = public(models.BigAutoField(primary_key=True))
    act = public(models.ForeignKey(Act, on_delete=models.CASCADE, related_name="consequence_links"))
    consequence = public(models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["act", "consequence"], name="act_consequence_once")]

    def __str__(self) -> str:
        return f"{self.act_id} → {self.consequence_id}"


class Involvement(Record):
    """Who committed, ordered, planned or allowed an act: a person, unit or organisation from the directory,
    or a description where nobody is identified ("officers of the OMON without insignia"), with the
    degree of involvement, the type of perpetrator and their latest known status. Read with its act, at
    the act's tier (copied, as the act copies its event's)."""

    row_tier_field = "tier"
    row_tiered_fields = (
        "perpetrator_person",
        "perpetrator_organisation",
        "perpetrator_description",
        "degree",
        "perpetrator_type",
        "latest_status",
        "notes",
    )

    act = public(models.ForeignKey(Act, on_delete=models.PROTECT, related_name="involvements"))
    perpetrator_person = public(
        models.ForeignKey(
            "directory.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )
    perpetrator_organisation = public(
        models.ForeignKey(
            "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )
    perpetrator_description = public(models.CharField(_("perpetrator"), max_length=300, blank=True))
    degree = public(models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+"))
    perpetrator_type = public(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    latest_status = public(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    notes = public(models.TextField(_("notes"), blank=True))
    tier = public(
        models.CharField(
            _("who may see it"), max_length=10, choices=TierChoices.choices[:3], default=TierChoices.INTERNAL
        )
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["act", "deleted_at"])]

    def __str__(self) -> str:
        return f"{self.degree_id} → {self.act_id}"


class SourceKind(models.TextChoices):
    PERSON = "person", _("a person")
    ORGANISATION = "organisation", _("an organisation")
    DOCUMENT = "document", _("a document")
    MEDIA = "media", _("a publication")


class Information(Record):
    """Where what is known about an event (or one of its acts) comes from: who or what the source is, its
    connection to the event, how reliable it is, the language and date of the material, and who recorded
    it (the change log). Sources are internal to the steward; a person who gave evidence is an individual
    whose name is sealed."""

    event = public(models.ForeignKey(Event, on_delete=models.PROTECT, related_name="information"))
    act = public(models.ForeignKey(Act, on_delete=models.PROTECT, null=True, blank=True, related_name="+"))
    source_kind = internal(models.CharField(_("source"), max_length=15, choices=SourceKind.choices))
    source_individual = internal(
        models.ForeignKey(Individual, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    source_organisation = internal(
        models.ForeignKey(
            "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        )
    )
    # A document's or a publication's title, or a description of the source that names nobody.
    source_title = internal(models.CharField(_("title"), max_length=500, blank=True))
    url = internal(models.URLField(_("link"), max_length=1000, blank=True))
    source_type = internal(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    connection = internal(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    reliability = internal(models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+"))
    language = internal(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    dated_on = internal(models.DateField(_("date of the material"), null=True, blank=True))
    dated_precision = internal(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    notes = internal(models.TextField(_("notes"), blank=True))

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["event", "deleted_at"])]

    def __str__(self) -> str:
        return f"{self.source_kind} → {self.event_id}"


class Intervention(Record):
    """What a group did about an event: legal aid, a complaint, an appeal to an international body; whom
    it asked, their response, the impact, its status and priority. Internal to the steward."""

    event = public(models.ForeignKey(Event, on_delete=models.PROTECT, related_name="interventions"))
    act = public(models.ForeignKey(Act, on_delete=models.PROTECT, null=True, blank=True, related_name="+"))
    by_organisation = internal(
        models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    )
    intervention_type = internal(models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+"))
    dated_on = internal(models.DateField(_("date"), null=True, blank=True))
    dated_precision = internal(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    parties_requested = internal(models.CharField(_("addressed to"), max_length=500, blank=True))
    response = internal(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    impact = internal(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    status = internal(models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+"))
    priority = internal(
        models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    notes = internal(models.TextField(_("notes"), blank=True))

    class Meta:
        ordering = ["dated_on", "created_at"]
        indexes = [models.Index(fields=["event", "deleted_at"])]

    def __str__(self) -> str:
        return f"{self.intervention_type_id} → {self.event_id}"


class Document(Record):
    """A file attached to an event (and one of its acts or interventions) or to a case: a statement, a
    court decision, a photograph, a medical certificate.

    What is kept is a copy with its metadata stripped (EXIF and XMP of images, the information of a
    PDF), encrypted on disk with a key of its own (``file_key``); the hash of the file as it was uploaded
    is recorded, so that the original can be shown later to be the one received. A protected document's
    key is sealed like any protected value: only its named readers open the file, each opening audited,
    and deleting it destroys the key."""

    row_tier_field = "tier"
    row_tiered_fields = ("title", "file_name", "media_type", "size", "metadata_removed", "file_key")
    # Sealed whenever the document is protected (its title and file name may name someone too).
    sealed_fields = ("file_key", "title", "file_name")

    steward = public(models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+"))
    event = public(
        models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    )
    act = public(models.ForeignKey(Act, on_delete=models.PROTECT, null=True, blank=True, related_name="+"))
    intervention = public(
        models.ForeignKey("Intervention", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    case = public(
        models.ForeignKey(
            "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
        )
    )
    title = public(sealed_text(_("title"), max_length=300))
    file_name = public(sealed_text(_("file name"), max_length=255))
    media_type = public(models.CharField(_("type"), max_length=100))
    size = public(models.PositiveBigIntegerField(_("size")))
    # SHA-256 of the file as uploaded, and of the stored copy once stripped (they differ when metadata
    # was removed).
    sha256 = public(models.CharField(_("SHA-256 at upload"), max_length=64))
    stored_sha256 = public(models.CharField(max_length=64))
    metadata_removed = public(models.JSONField(_("metadata removed"), default=list, blank=True))
    storage_name = public(models.CharField(max_length=64, unique=True, editable=False))
    # Never shown: internal even for a public document, sealed when the document is protected.
    file_key = internal(sealed_text(_("file key"), max_length=64))
    tier = public(
        models.CharField(
            _("who may see it"), max_length=10, choices=TierChoices.choices, default=TierChoices.INTERNAL
        )
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["event", "deleted_at"]), models.Index(fields=["case", "deleted_at"])]

    def __str__(self) -> str:
        return self.title

"""The network directory: organisations, persons, their links, contacts and practice notes,
and the reference data they point to (regions, areas of work)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from khronika.core.dates import DatePrecision
from khronika.core.models import Record
from khronika.core.sealed import sealed_text
from khronika.core.tiers import Tier, TierChoices, internal, network, protected, public


class FederalDistrict(models.TextChoices):
    CENTRAL = "central", _("Central")
    NORTHWESTERN = "northwestern", _("Northwestern")
    SOUTHERN = "southern", _("Southern")
    NORTH_CAUCASIAN = "north_caucasian", _("North Caucasian")
    VOLGA = "volga", _("Volga")
    URAL = "ural", _("Ural")
    SIBERIAN = "siberian", _("Siberian")
    FAR_EASTERN = "far_eastern", _("Far Eastern")


class RegionKind(models.TextChoices):
    FEDERAL_SUBJECT = "federal_subject", _("federal subject of Russia")
    COUNTRY = "country", _("neighbouring country")


class Region(Record):
    """Reference data: a federal subject of Russia or a neighbouring country."""

    code = public(models.CharField(_("ISO 3166 code"), max_length=10, unique=True))
    okato = public(models.CharField(_("OKATO code"), max_length=11, blank=True))
    kind = public(models.CharField(max_length=20, choices=RegionKind.choices))
    name_ru = public(models.CharField(_("name (Russian)"), max_length=200))
    name_en = public(models.CharField(_("name (English)"), max_length=200))
    federal_district = public(
        models.CharField(_("federal district"), max_length=20, choices=FederalDistrict.choices, blank=True)
    )
    capital_ru = public(models.CharField(max_length=200, blank=True))
    capital_en = public(models.CharField(max_length=200, blank=True))
    capital_lat = public(models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True))
    capital_lon = public(models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True))
    neighbours = public(
        models.ManyToManyField("self", through="RegionNeighbour", symmetrical=True, blank=True)
    )

    class Meta:
        ordering = ["name_ru"]

    def __str__(self) -> str:
        return self.name_ru


class RegionNeighbour(models.Model):
    id = public(models.BigAutoField(primary_key=True))
    from_region = public(models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+"))
    to_region = public(models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_region", "to_region"], name="region_neighbour_once")
        ]

    def __str__(self) -> str:
        return f"{self.from_region_id} ~ {self.to_region_id}"


class AreaOfWork(Record):
    """Reference vocabulary, hierarchical: what a group works on."""

    code = public(models.SlugField(max_length=60, unique=True))
    parent = public(
        models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    )
    name_ru = public(models.CharField(max_length=200))
    name_en = public(models.CharField(max_length=200))
    position = public(models.PositiveIntegerField(default=0))

    class Meta:
        ordering = ["position", "name_en"]

    def __str__(self) -> str:
        return self.name_ru


class OrganisationKind(models.TextChoices):
    HUMAN_RIGHTS_GROUP = "human_rights_group", _("human-rights group")
    NGO = "ngo", _("NGO")
    COMMISSION = "commission", _("human-rights commission or ombudsman")
    STATE_BODY = "state_body", _("state body")
    COURT = "court", _("court")
    MEDIA = "media", _("media")
    INTERNATIONAL = "international", _("international organisation")
    INITIATIVE = "initiative", _("informal initiative")


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    DORMANT = "dormant", _("dormant")
    CLOSED = "closed", _("closed")
    LIQUIDATED = "liquidated", _("liquidated")


class NullIfEmpty(models.Func):
    """``NULLIF(x, '')`` with the empty string written into the SQL rather than bound as a parameter, so
    that an index on the expression and a query ordering by it read alike (SQLite uses the index only
    then)."""

    function = "NULLIF"
    template = "%(function)s(%(expressions)s, '')"
    arity = 1


# The name an English reader sorts by: the English name, or the Russian one where there is none.
SORT_NAME_EN = Coalesce(NullIfEmpty("name_en"), "name_ru")


class Organisation(Record):
    """A group, NGO, commission, state body, court, media outlet… of the network or around it.

    ``steward`` is the network organisation that keeps this record (empty: the organisation keeps its
    own record); its users read the internal fields.
    """

    steward = network(
        models.ForeignKey(
            "self",
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="stewarded",
            verbose_name=_("kept by"),
        )
    )
    kind = public(models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices))
    name_ru = public(models.CharField(_("name (Russian)"), max_length=300, db_index=True))
    name_en = public(models.CharField(_("name (English)"), max_length=300, blank=True))
    aliases = public(models.JSONField(_("other names"), default=list, blank=True))
    founded_on = public(models.DateField(_("founded"), null=True, blank=True))
    founded_precision = public(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    status = public(
        models.CharField(
            _("status"), max_length=20, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE
        )
    )
    home_region = public(
        models.ForeignKey(
            Region,
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="+",
            verbose_name=_("home region"),
        )
    )
    description = public(models.TextField(_("description of work"), blank=True))
    website = public(models.URLField(_("website"), blank=True))
    is_public = public(models.BooleanField(_("shown in the public directory"), default=False))
    internal_notes = internal(models.TextField(_("internal notes"), blank=True))
    areas = public(
        models.ManyToManyField(
            AreaOfWork, through="OrganisationArea", blank=True, verbose_name=_("areas of work")
        )
    )
    regions = public(
        models.ManyToManyField(
            Region,
            through="OrganisationRegion",
            blank=True,
            related_name="organisations",
            verbose_name=_("regions covered"),
        )
    )

    class Meta:
        ordering = ["name_ru"]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["is_public", "name_ru"]),
            models.Index(fields=["deleted_at", "name_ru"]),
            models.Index(F("deleted_at"), SORT_NAME_EN, name="organisation_live_name_en"),
        ]

    def __str__(self) -> str:
        return self.name_ru

    @property
    def steward_key(self):  # type: ignore[no-untyped-def]
        """The id whose users read this record's internal fields."""
        return self.steward_id or self.id


class OrganisationArea(models.Model):
    id = public(models.BigAutoField(primary_key=True))
    organisation = public(
        models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="area_links")
    )
    area = public(models.ForeignKey(AreaOfWork, on_delete=models.PROTECT, related_name="organisation_links"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "area"], name="organisation_area_once")
        ]
        indexes = [models.Index(fields=["area", "organisation"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.area_id}"


class OrganisationRegion(models.Model):
    id = public(models.BigAutoField(primary_key=True))
    organisation = public(
        models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="region_links")
    )
    region = public(models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisation_links"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "region"], name="organisation_region_once")
        ]
        indexes = [models.Index(fields=["region", "organisation"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.region_id}"


class DesignationKind(models.TextChoices):
    FOREIGN_AGENT = "foreign_agent", _("“foreign agent”")
    UNDESIRABLE = "undesirable", _("“undesirable organisation”")
    EXTREMIST = "extremist", _("“extremist organisation”")
    TERRORIST = "terrorist", _("“terrorist organisation”")


class Designation(Record):
    """A state label put on an organisation, with the dates and the legal basis: public facts."""

    organisation = public(
        models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="designations")
    )
    kind = public(models.CharField(_("designation"), max_length=20, choices=DesignationKind.choices))
    listed_on = public(models.DateField(_("listed on")))
    removed_on = public(models.DateField(_("removed on"), null=True, blank=True))
    legal_basis = public(models.CharField(_("legal basis"), max_length=500, blank=True))
    register_entry = public(models.CharField(_("register entry"), max_length=200, blank=True))

    class Meta:
        ordering = ["listed_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.listed_on}"


class Person(Record):
    """A neutral actor: a defender, a lawyer, an official. Roles live on the links, not on the person."""

    steward = network(
        models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="stewarded_persons")
    )
    name_ru = network(models.CharField(_("name (Russian)"), max_length=300, db_index=True))
    name_en = network(models.CharField(_("name (English)"), max_length=300, blank=True))
    aliases = network(models.JSONField(_("other names"), default=list, blank=True))
    notes = internal(models.TextField(_("internal notes"), blank=True))

    class Meta:
        ordering = ["name_ru"]

    def __str__(self) -> str:
        return self.name_ru

    @property
    def steward_key(self):  # type: ignore[no-untyped-def]
        return self.steward_id


class Position(Record):
    person = network(models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions"))
    organisation = network(
        models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="positions")
    )
    title = network(models.CharField(_("position"), max_length=200))
    started_on = network(models.DateField(_("from"), null=True, blank=True))
    started_precision = network(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    ended_on = network(models.DateField(_("until"), null=True, blank=True))
    ended_precision = network(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )

    class Meta:
        ordering = ["-started_on"]


class RelationshipKind(models.TextChoices):
    BRANCH_OF = "branch_of", _("branch of")
    PARTNER = "partner", _("partner of")
    MEMBER_OF_NETWORK = "member_of_network", _("member of the network")
    SUCCESSOR_OF = "successor_of", _("successor of")


class Relationship(Record):
    """A directed link between two organisations over time: source is <kind> target."""

    source = network(
        models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relationships_out")
    )
    target = network(
        models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relationships_in")
    )
    kind = network(models.CharField(_("relationship"), max_length=20, choices=RelationshipKind.choices))
    started_on = network(models.DateField(_("from"), null=True, blank=True))
    started_precision = network(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    ended_on = network(models.DateField(_("until"), null=True, blank=True))
    ended_precision = network(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    note = internal(models.TextField(_("internal note"), blank=True))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="relationship_not_to_itself")
        ]


class ContactKind(models.TextChoices):
    PHONE = "phone", _("phone")
    EMAIL = "email", _("email")
    ADDRESS = "address", _("address")
    WEBSITE = "website", _("website")
    MESSENGER = "messenger", _("messenger")


class ContactPoint(Record):
    """A way to reach an organisation or a person. Each contact carries its own tier."""

    row_tier_field = "tier"
    row_tiered_fields = ("value", "label")
    # Sealed when the row is protected (accounts/sealing.py).
    sealed_fields = ("value", "label")

    organisation = public(
        models.ForeignKey(
            Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
        )
    )
    person = network(
        models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts")
    )
    kind = public(models.CharField(_("kind"), max_length=20, choices=ContactKind.choices))
    value = public(sealed_text(_("contact"), max_length=500))
    label = public(sealed_text(_("label"), max_length=200, blank=True))
    tier = public(
        models.CharField(
            _("who may see it"), max_length=10, choices=TierChoices.choices, default=TierChoices.NETWORK
        )
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, person__isnull=True)
                    | Q(organisation__isnull=True, person__isnull=False)
                ),
                name="contact_has_one_owner",
            )
        ]


class PracticeNote(Record):
    """What a group did, what came of it, the lessons, and whom to ask. The note carries its own tier;
    ``who_to_ask`` names a person and is always protected, so always sealed."""

    sealed_fields = ("who_to_ask",)

    row_tier_field = "tier"
    row_tiered_fields = (
        "area",
        "region",
        "title",
        "summary",
        "outcome",
        "lessons",
        "happened_on",
        "happened_precision",
    )

    organisation = public(
        models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="practice_notes")
    )
    area = public(models.ForeignKey(AreaOfWork, on_delete=models.PROTECT, related_name="+"))
    region = public(
        models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    )
    title = public(models.CharField(_("title"), max_length=300))
    summary = public(models.TextField(_("what was done")))
    outcome = public(models.TextField(_("outcome"), blank=True))
    lessons = public(models.TextField(_("lessons"), blank=True))
    who_to_ask = protected(sealed_text(_("who to ask"), max_length=300, blank=True))
    happened_on = public(models.DateField(_("when"), null=True, blank=True))
    happened_precision = public(
        models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    )
    tier = public(
        models.CharField(
            _("who may see it"), max_length=10, choices=TierChoices.choices[:3], default=TierChoices.NETWORK
        )
    )

    class Meta:
        ordering = ["-happened_on"]

    def __str__(self) -> str:
        return self.title


TIER_OF_CHOICE = {choice.value: Tier[choice.name] for choice in TierChoices}

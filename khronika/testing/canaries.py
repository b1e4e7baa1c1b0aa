"""Canaries for leak tests: unique strings planted in the internal and protected fields of the records one
organisation keeps, and a search for them in whatever readers, logs and exports received.

A leak test plants them (``plant_steward_records``) as the state it starts from, runs the workflows of
other readers, and hands everything those received to ``leaks_in``. A planted canary reads
``CANARY-<model>-<field>-<tier>-<n>``. Values no person types (a password hash, a token, a key) cannot
carry one; they are *adopted*: the generated value itself is searched for.

Which internal and protected fields are planted, adopted or left out, and why, is written down below
(``PLANTED``, ``ADOPTED``, ``NOT_TEXT``, ``LEFT_OUT``). ``unaccounted_fields`` names every field of every
model that is, or by its row's tier may be, internal or protected and that these lists do not account
for, so that a new field cannot slip past the leak tests unnoticed; and a planted protected field that
is neither sealed nor listed in ``STORED_IN_CLEAR`` (another project's model that keeps it in clear).

Protected values of the fields a model seals (accounts/sealing.py) are stored only as ciphertext, so a
planted protected canary must be found nowhere in the database either; the key material that seals them
(group keys, their shares, the wrapped data keys, the recovery key) is adopted. Some adopted values are
never stored at all (the raw API token, the private half of the recovery key): ``Canary.stored`` says so,
and the database is searched for them too (``stored_leaks``).
"""

from __future__ import annotations

import base64
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from khronika.core.tiers import Tier, TierChoices, declared_tier

PREFIX = "CANARY-"

# --- Which fields the leak tests cover, and how ----------------------------------------------------------

# Text fields that get a canary in every record planted. Contact points and practice notes carry a tier per
# row: their row-tiered fields get canaries in the rows of the internal and protected tiers.
PLANTED: dict[str, tuple[str, ...]] = {
    "directory.organisation": ("internal_notes",),
    "directory.person": ("notes",),
    "directory.relationship": ("note",),
    "directory.contactpoint": ("value", "label"),
    "directory.practicenote": ("title", "summary", "outcome", "lessons", "who_to_ask"),
    "monitoring.event": ("title", "description", "place", "reference"),
    "monitoring.individual": ("name",),
    "monitoring.involvement": ("perpetrator_description", "notes"),
    "monitoring.information": ("source_title", "url", "notes"),
    "monitoring.intervention": ("parties_requested", "notes"),
    "monitoring.act": (
        *("victim_group", "place", "police_station", "legal_counsel", "court", "case_number", "autopsy"),
        *("death_certificate", "medical_attention", "property_loss", "compensation", "notes"),
    ),
    "monitoring.document": ("title", "file_name"),
    "cases.intake": ("contact", "summary"),
    "cases.case": ("title", "summary"),
    "cases.casenote": ("text",),
    "cases.task": ("title",),
    "cases.referral": ("reason", "shared_summary", "answer"),
    "accounts.user": ("username", "display_name", "email"),
    "accounts.apitoken": ("name",),
    "otp_totp.totpdevice": ("name",),
    "otp_static.staticdevice": ("name",),
    "axes.accessattempt": ("username", "user_agent", "http_accept", "path_info", "get_data", "post_data"),
}

# Text fields whose values are generated, never typed: the stored value itself is the canary. (The raw API
# token, which is never stored, is adopted too.)
ADOPTED: dict[str, tuple[str, ...]] = {
    "accounts.user": ("password",),
    "accounts.apitoken": ("prefix", "token_hash"),
    "accounts.userkey": ("public_key", "private_key_wrapped"),
    # What sealing makes: the steward's group key, its shares (one per protected reader, one for the
    # recovery key), the recovery key's public half, and every wrapped data key.
    "accounts.groupkey": ("public_key",),
    "accounts.groupkeyshare": ("wrapped_private",),
    "accounts.recoverykey": ("public_key",),
    "accounts.valuekey": ("wrapped",),
    "otp_totp.totpdevice": ("key",),
    # A document's key, made by the node (sealed when the document is protected).
    "monitoring.document": ("file_key",),
    "otp_static.statictoken": ("token",),
}

# Internal and protected fields that hold no text (ids, dates, numbers, flags, choices, JSON): no canary.
NOT_TEXT: dict[str, tuple[str, ...]] = {
    "auth.group": ("id", "permissions"),
    "sessions.session": ("expire_date",),
    "axes.accessattempt": ("id", "ip_address", "attempt_time", "failures_since_start"),
    "axes.accessattemptexpiration": ("access_attempt", "expires_at"),
    "axes.accesslog": ("id", "ip_address", "attempt_time", "logout_time"),
    "axes.accessfailurelog": ("id", "ip_address", "attempt_time", "locked_out"),
    "otp_totp.totpdevice": (
        *("id", "user", "confirmed", "throttling_failure_timestamp", "throttling_failure_count"),
        *("created_at", "last_used_at", "step", "t0", "digits", "tolerance", "drift", "last_t"),
    ),
    "otp_static.staticdevice": (
        *("id", "user", "confirmed", "throttling_failure_timestamp", "throttling_failure_count"),
        *("created_at", "last_used_at"),
    ),
    "otp_static.statictoken": ("id", "device"),
    "core.changelogentry": (
        "seq",
        "entity_id",
        "version",
        "operation",
        "changed_fields",
        "payload",
        "recorded_at",
    ),
    "core.auditentry": ("seq", "at", "entity_id", "fields"),
    "accounts.user": ("last_login", "organisation", "role", "is_active"),
    "accounts.apitoken": ("user", "expires_at", "last_used_at", "revoked_at"),
    "accounts.userkey": ("id", "user", "created_at", "rewrapped_at"),
    "accounts.groupkey": ("id", "organisation", "created_at", "rotation_due"),
    "accounts.groupkeyshare": ("id", "group_key", "user", "recovery_key", "created_at"),
    "accounts.recoverykey": ("id", "organisation", "created_at"),
    "accounts.valuekey": ("id", "entity_id", "group_key", "user"),
    "accounts.grant": (
        *("id", "entity_id", "user", "purpose", "granted_by", "granted_at"),
        *("revoked_by", "revoked_at"),
    ),
    "accounts.lockdown": (
        *("organisation", "requested_by", "confirmed_by", "expires_at", "confirmed_at"),
        *("cancelled_at", "lifted_at", "locked_users"),
    ),
    "directory.practicenote": ("area", "region", "happened_on", "happened_precision"),
    "monitoring.event": (
        *("started_on", "started_precision", "ended_on", "ended_precision", "latest_on", "region"),
        *("latitude", "longitude", "event_type", "projects", "violation_status", "monitoring_status"),
    ),
    "monitoring.individual": ("birth_year",),
    "monitoring.act": (
        *("victim_kind", "victim", "victim_count", "act_type", "started_on", "started_precision"),
        *("ended_on", "ended_precision", "latest_on", "region", "method", "consequences", "end_status"),
        *("detention_place", "statements_signed", "started_time", "event_type", "counted_on"),
        *("counted_precision", "counted_region"),
    ),
    "monitoring.involvement": (
        *("degree", "latest_status", "perpetrator_organisation", "perpetrator_person", "perpetrator_type"),
    ),
    "monitoring.information": (
        *("connection", "dated_on", "dated_precision", "language", "reliability", "source_individual"),
        *("source_kind", "source_organisation", "source_type"),
    ),
    "monitoring.intervention": (
        *("by_organisation", "dated_on", "dated_precision", "impact", "intervention_type", "priority"),
        *("response", "status"),
    ),
    "monitoring.document": ("metadata_removed", "size"),
    "cases.intake": ("caller", "case", "channel", "received_at", "region", "status", "urgency"),
    "cases.case": (
        *("act", "category", "client", "closed_on", "compensation_amount", "event", "lawyer", "opened_on"),
        *("outcome", "region", "status"),
    ),
    "cases.task": ("assignee", "done_at", "due_on"),
    "cases.referral": ("status",),
    "cases.requestlimit": ("id", "hour", "count"),
}

_LOG_ITSELF = "the log itself: the leak tests search it as an output, it is no record to plant in"
_MODEL_LABEL = "the label of a model (`directory.contactpoint`), written by the code, never typed"
_AXES_LOG_OFF = "axes keeps no such log here (settings: AXES_DISABLE_ACCESS_LOG, no failure log)"

# Internal and protected text fields that get no canary, and why.
LEFT_OUT: dict[tuple[str, str], str] = {
    ("accounts.user", "pseudonym"): "generated; the audit log names actors by it, by design",
    ("accounts.user", "language"): "a language code of at most five characters",
    ("cases.intake", "language"): "a language code of at most ten characters",
    ("monitoring.document", "media_type"): "the kind of file, read from its content by the node",
    ("cases.case", "number"): "generated by the desk: the year and a sequence number",
    ("cases.case", "compensation_currency"): "a three-letter currency code",
    ("cases.requestlimit", "visitor"): "a keyed hash of an address that changes every day, never the address",
    ("auth.group", "name"): "Khronika creates no groups",
    ("sessions.session", "session_key"): "random, written by Django at sign-in",
    ("sessions.session", "session_data"): "signed ids and the keyring half, written by Django at sign-in",
    ("accounts.grant", "entity"): _MODEL_LABEL,
    ("accounts.valuekey", "entity"): _MODEL_LABEL,
    ("accounts.valuekey", "field"): "the name of a sealed field (`value`), written by the code",
    ("accounts.recoverykey", "fingerprint"): (
        "made from the public key to be printed and compared by eye; the audit log names the recovery "
        "key by it, by design"
    ),
    **{
        ("axes.accesslog", name): _AXES_LOG_OFF
        for name in ("user_agent", "username", "http_accept", "path_info", "session_hash")
    },
    **{
        ("axes.accessfailurelog", name): _AXES_LOG_OFF
        for name in ("user_agent", "username", "http_accept", "path_info")
    },
    **{("core.changelogentry", name): _LOG_ITSELF for name in ("entity", "origin_node")},
    **{
        ("core.auditentry", name): _LOG_ITSELF
        for name in ("actor", "action", "entity", "purpose", "previous_hash", "entry_hash")
    },
}


# Protected fields of other projects' models that the node stores in clear: the searches of the database
# and of a seized node home leave their canaries out, for the reason given. Each is a known limit.
STORED_IN_CLEAR: dict[tuple[str, str], str] = {
    ("axes.accessattempt", name): (
        "django-axes keeps what a failed sign-in sent (the username typed, the browser, the request data "
        "with the password masked) in clear, to match the next attempt; only until the lockout expires"
    )
    for name in ("username", "user_agent", "get_data", "post_data")
}


def is_text(model_field: Any) -> bool:
    return isinstance(model_field, models.CharField | models.TextField) and not model_field.choices


def highest_row_tier(model: type[models.Model]) -> Tier | None:
    """The highest tier a row of a row-tiered model may choose; None for other models."""
    name = getattr(model, "row_tier_field", None)
    if name is None:
        return None
    choices = getattr(model._meta.get_field(name), "choices", None) or TierChoices.choices
    return max(Tier[str(value).upper()] for value, _label in choices)


def highest_tier(model: type[models.Model], field_name: str) -> Tier | None:
    """The highest tier the field may have: its declared tier, raised by its row's tier if it has one."""
    tier = declared_tier(model, field_name)
    row_ceiling = highest_row_tier(model)
    if tier is not None and row_ceiling is not None and field_name in getattr(model, "row_tiered_fields", ()):
        tier = max(tier, row_ceiling)
    return tier


def confidential_fields() -> Iterator[tuple[str, str]]:
    """``(model label, field name)`` of every field of every model that is internal or protected, or may
    be by its row's tier."""
    for model in apps.get_models():
        for model_field in (*model._meta.concrete_fields, *model._meta.local_many_to_many):
            tier = highest_tier(model, model_field.name)
            # An undeclared field (None) is the tier test's to fail on (core/tests/test_tiers.py).
            if tier is not None and tier >= Tier.INTERNAL:
                yield model._meta.label_lower, model_field.name


def _stored_in_clear_problems(planted: set[tuple[str, str]]) -> list[str]:
    """A planted protected field must be sealed (accounts/sealing.py) or listed in ``STORED_IN_CLEAR``,
    and only such a field may be listed there."""
    from khronika.accounts.sealing import sealed_field_names

    problems = []
    for label, name in sorted(planted | set(STORED_IN_CLEAR)):
        model = apps.get_model(label)
        in_clear = highest_tier(model, name) is Tier.PROTECTED and name not in sealed_field_names(model)
        listed = (label, name) in STORED_IN_CLEAR
        if in_clear and (label, name) in planted and not listed:
            problems.append(f"{label}.{name}: protected but neither sealed nor in STORED_IN_CLEAR")
        if listed and (not in_clear or (label, name) not in planted):
            problems.append(f"{label}.{name}: in STORED_IN_CLEAR but not a planted protected field in clear")
    return problems


def _listed(table: dict[str, tuple[str, ...]]) -> set[tuple[str, str]]:
    return {(label, name) for label, names in table.items() for name in names}


def unaccounted_fields() -> list[str]:
    """What the lists above get wrong: a confidential field none of them names, a listed field that is not
    confidential (or does not exist), a field listed twice, or a text field listed as not text."""
    found = set(confidential_fields())
    lists = {
        "PLANTED": _listed(PLANTED),
        "ADOPTED": _listed(ADOPTED),
        "NOT_TEXT": _listed(NOT_TEXT),
        "LEFT_OUT": set(LEFT_OUT),
    }
    problems = [f"{label}.{name}: not listed" for label, name in sorted(found - set().union(*lists.values()))]
    for list_name, listed in lists.items():
        problems += [
            f"{label}.{name}: in {list_name} but not internal or protected"
            for label, name in sorted(listed - found)
        ]
        for other_name, other in lists.items():
            if list_name < other_name:
                problems += [
                    f"{label}.{name}: in {list_name} and {other_name}"
                    for label, name in sorted(listed & other)
                ]
    for label, name in sorted(lists["NOT_TEXT"] & found):
        if is_text(apps.get_model(label)._meta.get_field(name)):
            problems.append(f"{label}.{name}: in NOT_TEXT but a text field")
    for label, name in sorted(lists["PLANTED"] & found):
        if not is_text(apps.get_model(label)._meta.get_field(name)):
            problems.append(f"{label}.{name}: in PLANTED but not a text field")
    return problems + _stored_in_clear_problems(lists["PLANTED"] & found)


# --- Canaries --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Canary:
    value: str
    tier: Tier
    source: str  # "<app>.<model>.<field>", and what was adopted, if it was
    stored: bool = True  # False: a generated secret the node never stores (a raw token, a recovery key)

    @property
    def planted(self) -> bool:
        return self.value.startswith(PREFIX)

    @property
    def kept_out_of_the_database(self) -> bool:
        """Whether no column of the database may hold it: a protected value typed by a person (sealed, so
        only ciphertext is stored) unless its field is one of ``STORED_IN_CLEAR``, or a generated secret
        that is never stored."""
        if not self.stored:
            return True
        label, _dot, name = self.source.rpartition(".")
        return self.planted and self.tier is Tier.PROTECTED and (label, name) not in STORED_IN_CLEAR


class Canaries:
    """Every canary of a test, by value."""

    def __init__(self) -> None:
        self._by_value: dict[str, Canary] = {}
        self._counts: Counter[tuple[str, str, Tier]] = Counter()

    def new(self, model: type[models.Model], field_name: str, *, tier: Tier | None = None) -> str:
        """A new canary for ``model.field_name``, of the field's declared tier unless ``tier`` (a row's
        tier) says otherwise."""
        label = model._meta.label_lower
        tier = tier if tier is not None else declared_tier(model, field_name)
        assert tier is not None and tier >= Tier.INTERNAL, f"{label}.{field_name} is not confidential"
        self._counts[(label, field_name, tier)] += 1
        number = self._counts[(label, field_name, tier)]
        value = f"{PREFIX}{model._meta.model_name}-{field_name}-{tier.label}-{number}"
        self._by_value[value] = Canary(value, tier, f"{label}.{field_name}")
        return value

    def adopt(
        self, value: str, model: type[models.Model], field_name: str, *, what: str = "", stored: bool = True
    ) -> str:
        """Search for a generated value (a hash, a token, a key) as a canary of its field's tier;
        ``stored=False`` for one the node must never store."""
        tier = declared_tier(model, field_name)
        assert tier is not None and tier >= Tier.INTERNAL and value
        source = f"{model._meta.label_lower}.{field_name}" + (f" ({what})" if what else "")
        self._by_value[value] = Canary(value, tier, source, stored)
        return value

    def __iter__(self) -> Iterator[Canary]:
        return iter(self._by_value.values())

    def planted(self) -> list[Canary]:
        return [canary for canary in self if canary.planted]

    def as_json(self) -> list[dict[str, Any]]:
        """The canaries as JSON values, for a test that plants them in another process (the seized
        server's); ``from_json`` reads them back."""
        return [{"value": c.value, "tier": c.tier.name, "source": c.source, "stored": c.stored} for c in self]

    @classmethod
    def from_json(cls, items: Iterable[dict[str, Any]]) -> Canaries:
        canaries = cls()
        for item in items:
            canary = Canary(item["value"], Tier[item["tier"]], item["source"], bool(item["stored"]))
            canaries._by_value[canary.value] = canary
        return canaries


# --- Searching what was received -------------------------------------------------------------------------

CONTEXT = 200
# A planted canary as it may appear in an output: the prefix, in any letter case, and what follows it.
_PLANTED = re.compile(re.escape(PREFIX) + r"[\w.@-]*", re.IGNORECASE)
_NUMBER_GOES_ON = re.compile(r"\d")
_PIECE = "a piece of a canary"


@dataclass(frozen=True)
class Leak:
    found: str
    tier: Tier | None  # None: a piece of a canary that names no tier
    source: str
    output: str
    context: str

    def __str__(self) -> str:
        tier = self.tier.label if self.tier is not None else "unknown tier"
        return f"{self.found} [{tier}; {self.source}] in {self.output!r}: …{self.context}…"


@dataclass
class Received:
    """Everything some readers, logs or exports received, as ``(output name, text)``."""

    outputs: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, content: str | bytes) -> None:
        text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
        self.outputs.append((name, text))

    def response(self, name: str, response: Any) -> None:
        """A test client's response: its status, headers (URLs, cookies) and body."""
        headers = "\n".join(f"{key}: {value}" for key, value in response.headers.items())
        body = response.getvalue() if getattr(response, "streaming", False) else response.content
        self.add(f"{name} [{response.status_code}]", headers.encode() + b"\n\n" + body)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.outputs)


def _around(text: str, start: int, length: int) -> str:
    before = (CONTEXT - length) // 2
    return text[max(0, start - before) : start + length + before].replace("\n", "⏎")


def _identify(token: str, canaries: Canaries) -> Canary | None:
    """The planted canary ``token`` begins with (``CANARY-…-1`` is not the start of ``CANARY-…-12``)."""
    upper = token.upper()
    best: Canary | None = None
    for canary in canaries:
        value = canary.value.upper()
        if not canary.planted or not upper.startswith(value):
            continue
        if _NUMBER_GOES_ON.match(upper[len(value) : len(value) + 1]):
            continue
        if best is None or len(canary.value) > len(best.value):
            best = canary
    return best


def _fragment_tier(token: str) -> Tier | None:
    lowered = token.lower()
    for tier in (Tier.PROTECTED, Tier.INTERNAL):
        if f"-{tier.label}-" in lowered or lowered.endswith(f"-{tier.label}"):
            return tier
    return None


def leaks_in(
    received: Iterable[tuple[str, str]], canaries: Canaries, *, tiers: Collection[Tier]
) -> list[Leak]:
    """Every canary of ``tiers`` found in ``received``, with where and the text around it. A piece of a
    planted canary that no longer reads as a whole one (cut short, say) counts when the tier it names is
    among ``tiers`` or it names none."""
    adopted = [canary for canary in canaries if not canary.planted and canary.tier in tiers]
    leaks: list[Leak] = []
    for name, text in received:
        for match in _PLANTED.finditer(text):
            canary = _identify(match.group(), canaries)
            if canary is not None:
                if canary.tier in tiers:
                    context = _around(text, match.start(), len(match.group()))
                    leaks.append(Leak(canary.value, canary.tier, canary.source, name, context))
                continue
            tier = _fragment_tier(match.group())
            if tier is None or tier in tiers:
                context = _around(text, match.start(), len(match.group()))
                leaks.append(Leak(match.group(), tier, _PIECE, name, context))
        for canary in adopted:
            start = text.find(canary.value)
            if start >= 0:
                context = _around(text, start, len(canary.value))
                leaks.append(Leak(canary.value, canary.tier, canary.source, name, context))
    return leaks


def stored_leaks(stored: Iterable[tuple[str, str]], canaries: Canaries) -> list[Leak]:
    """The canaries no column of the database may hold (``Canary.kept_out_of_the_database``) found in what
    the database holds, and every piece of a protected canary or of one that names no tier."""
    kept_out = {canary.value for canary in canaries if canary.kept_out_of_the_database}
    return [
        leak
        for leak in leaks_in(stored, canaries, tiers={Tier.PROTECTED})
        if leak.found in kept_out or leak.source == _PIECE
    ]


def describe(leaks: list[Leak], *, limit: int = 40) -> str:
    lines = [str(leak) for leak in leaks[:limit]]
    if len(leaks) > limit:
        lines.append(f"… and {len(leaks) - limit} more")
    return f"{len(leaks)} canaries found:\n" + "\n".join(lines)


# --- Planting --------------------------------------------------------------------------------------------

SEEN = "SEEN-"  # marks values of the public and network tiers, which other readers should see


@dataclass
class Planted:
    """What ``plant_steward_records`` made: the records of one organisation (its *steward*), with canaries
    in their internal and protected fields."""

    steward: Any
    kept: Any  # a court whose record the steward keeps
    persons: list[Any]
    users: dict[str, Any]  # role → user of the steward
    notes: dict[str, Any]  # tier → practice note of the steward
    protected_contact: str  # the canary of the steward's protected contact
    internal_notes: str  # the canary of the steward's internal notes
    seen_by_network: list[str]  # values any signed-in user should see on the steward's page
    seen_by_public: list[str]  # values anyone should see on the steward's public page
    event: Any = None  # an event the steward documents, internal to it


def _seen(model: type[models.Model], field_name: str, tier: str) -> str:
    return f"{SEEN}{model._meta.model_name}-{field_name}-{tier}"


def plant_steward_records(
    *, steward: Any, partner: Any, canaries: Canaries, area_codes: Iterable[str] = ()
) -> Planted:
    """Plant canaries in every internal and protected text field of the records ``steward`` keeps: the
    organisation itself (made public, so the public site shows it), a court it keeps, its persons, contacts
    at every tier, practice notes at every tier, relationships (to ``partner``), users of every role with
    their tokens, keys and second factors, a lockdown request, and a sign-in lockout record of the node.
    The steward gets a recovery key first; the protected values are sealed as they are saved, and the key
    material that seals them is adopted at the end."""
    from khronika.accounts.models import Role

    area_codes = list(area_codes)
    steward.internal_notes = canaries.new(type(steward), "internal_notes")
    steward.is_public = True
    steward.save(update_fields=["internal_notes", "is_public"])
    _plant_recovery_key(steward, canaries)
    # Users first: protected values are sealed only for an organisation someone in it can open.
    users = {role.value: _plant_user(steward, role, canaries) for role in Role}
    kept = _plant_kept_court(steward, canaries, area_codes)
    persons = _plant_persons(steward, partner, canaries)
    protected_contact, seen_contacts = _plant_contacts(steward, persons, canaries)
    notes, seen_notes = _plant_notes(steward, canaries)
    event = _plant_event(users[Role.MONITOR], canaries)
    # The case is referred to the court the steward keeps, not to ``partner``: a referral's texts are for
    # the group it is addressed to (cases/tests check that), and the leak tests read as ``partner``.
    _plant_case(users[Role.LAWYER], event, kept, canaries)
    _plant_relationships(steward, kept, partner, canaries)
    _plant_lockdown_request(steward, users[Role.COORDINATOR], canaries)
    _plant_sign_in_lockout(canaries)
    _adopt_sealing_keys(steward, canaries)
    return Planted(
        steward=steward,
        kept=kept,
        persons=persons,
        users=users,
        notes=notes,
        protected_contact=protected_contact,
        internal_notes=steward.internal_notes,
        seen_by_network=[*seen_contacts, *seen_notes],
        seen_by_public=[value for value in (*seen_contacts, *seen_notes) if "-public" in value],
        event=event,
    )


def _plant_kept_court(steward: Any, canaries: Canaries, area_codes: list[str]) -> Any:
    from khronika.directory.models import Organisation, OrganisationKind
    from khronika.testing.factories import OrganisationFactory

    return OrganisationFactory(
        kind=OrganisationKind.COURT,
        steward=steward,
        home_region=steward.home_region,
        areas=area_codes,
        internal_notes=canaries.new(Organisation, "internal_notes"),
    )


def _plant_persons(steward: Any, partner: Any, canaries: Canaries) -> list[Any]:
    from khronika.directory.models import Person, Position
    from khronika.testing.factories import PersonFactory

    persons: list[Any] = [
        PersonFactory(steward=steward, notes=canaries.new(Person, "notes")) for _ in range(2)
    ]
    # One works at the partner, so the partner's page lists them; one at the steward.
    Position.objects.create(person=persons[0], organisation=partner, title="юрист", version=1)
    Position.objects.create(person=persons[1], organisation=steward, title="координатор", version=1)
    return persons


def _plant_contacts(steward: Any, persons: list[Any], canaries: Canaries) -> tuple[str, list[str]]:
    from khronika.directory.models import ContactPoint
    from khronika.testing.factories import ContactPointFactory

    seen: list[str] = []
    protected_value = ""
    owners = [{"organisation": steward}] + [{"organisation": None, "person": person} for person in persons]
    for owner in owners:
        for choice in TierChoices:
            tier = Tier[choice.name]
            if tier >= Tier.INTERNAL:
                value = canaries.new(ContactPoint, "value", tier=tier)
                label = canaries.new(ContactPoint, "label", tier=tier)
            else:
                value = label = _seen(ContactPoint, "value", choice.value)
                if owner["organisation"] is not None:
                    seen.append(value)
            ContactPointFactory(tier=choice.value, value=value, label=label, **owner)
            if tier is Tier.PROTECTED and owner["organisation"] is not None:
                protected_value = value
    return protected_value, seen


def _plant_notes(steward: Any, canaries: Canaries) -> tuple[dict[str, Any], list[str]]:
    """A practice note at every tier a note may have; who to ask is protected in each."""
    from khronika.directory.models import PracticeNote
    from khronika.testing.factories import PracticeNoteFactory

    notes: dict[str, Any] = {}
    seen: list[str] = []
    ceiling = highest_row_tier(PracticeNote) or Tier.INTERNAL
    for choice in TierChoices:
        tier = Tier[choice.name]
        if tier > ceiling:
            continue
        texts: dict[str, str] = {}
        for name in ("title", "summary", "outcome", "lessons"):
            if tier >= Tier.INTERNAL:
                texts[name] = canaries.new(PracticeNote, name, tier=tier)
            else:
                texts[name] = _seen(PracticeNote, name, choice.value)
                seen.append(texts[name])
        notes[choice.value] = PracticeNoteFactory(
            organisation=steward,
            tier=choice.value,
            who_to_ask=canaries.new(PracticeNote, "who_to_ask"),
            **texts,
        )
    return notes, seen


def _plant_event(monitor: Any, canaries: Canaries) -> Any:
    """An event the steward documents, internal to it (the tier every event starts at), with an act
    against a named victim and one against a group, every text of each a canary."""
    from khronika.monitoring.models import Act, Event, Individual
    from khronika.monitoring.services import act_add, event_create

    event = event_create(
        actor=monitor,
        values={
            "title": canaries.new(Event, "title", tier=Tier.INTERNAL),
            "description": canaries.new(Event, "description", tier=Tier.INTERNAL),
            "place": canaries.new(Event, "place", tier=Tier.INTERNAL),
            "reference": canaries.new(Event, "reference", tier=Tier.INTERNAL),
            "started": "2012-05",
            "type": "rally",
        },
    )
    texts = {
        name: canaries.new(Act, name)
        if name in Act.sealed_fields
        else canaries.new(Act, name, tier=Tier.INTERNAL)
        for name in PLANTED["monitoring.act"]
    }
    group = texts.pop("victim_group")
    named = {"victim_name": canaries.new(Individual, "name"), "victim_birth_year": "1990"}
    named_act = act_add(
        actor=monitor, event_id=event.pk, values={"type": "administrative-detention", **texts, **named}
    )
    _plant_event_links(monitor, event, named_act, canaries)
    act_add(
        actor=monitor,
        event_id=event.pk,
        values={"type": "administrative-detention", "victim_group": group, "victim_count": "39"},
    )
    return event


def _plant_event_links(monitor: Any, event: Any, act: Any, canaries: Canaries) -> None:
    """Who did the act, where the event is known from, and what was done about it, every text a canary."""
    from khronika.monitoring.models import Information, Intervention, Involvement
    from khronika.monitoring.services import links

    links.involvement_add(
        actor=monitor,
        act_id=act.pk,
        values={
            "perpetrator": canaries.new(Involvement, "perpetrator_description", tier=Tier.INTERNAL),
            "notes": canaries.new(Involvement, "notes", tier=Tier.INTERNAL),
            "degree": "carried-out",
        },
    )
    links.information_add(
        actor=monitor,
        event_id=event.pk,
        values={
            "source_kind": "media",
            "title": canaries.new(Information, "source_title"),
            "url": f"https://example.org/{canaries.new(Information, 'url')}",
            "notes": canaries.new(Information, "notes"),
            "reliability": "high",
        },
    )
    from khronika.monitoring.models import Document
    from khronika.monitoring.services.documents import document_add

    document = document_add(
        actor=monitor,
        event_id=event.pk,
        title=canaries.new(Document, "title", tier=Tier.INTERNAL),
        file_name=canaries.new(Document, "file_name", tier=Tier.INTERNAL) + ".txt",
        content=b"statement of a detainee",
    )
    canaries.adopt(
        Document.objects.values_list("file_key", flat=True).get(pk=document.pk), Document, "file_key"
    )
    links.intervention_add(
        actor=monitor,
        event_id=event.pk,
        values={
            "type": "complaint-to-prosecutor",
            "status": "planned",
            "parties_requested": canaries.new(Intervention, "parties_requested"),
            "notes": canaries.new(Intervention, "notes"),
        },
    )


def _plant_case(lawyer: Any, event: Any, partner: Any, canaries: Canaries) -> None:
    """A call the steward's desk took, the case it became (linked to the event), its note and task, and a
    referral to another group with that group's answer; every text a canary."""
    from khronika.cases import services
    from khronika.cases.models import Case, CaseNote, Intake, Referral, Task
    from khronika.monitoring.models import Individual

    intake = services.intake_create(
        actor=lawyer,
        values={
            "channel": "phone",
            "caller_name": canaries.new(Individual, "name"),
            "contact": canaries.new(Intake, "contact"),
            "summary": canaries.new(Intake, "summary"),
        },
    )
    case = services.case_open(
        actor=lawyer,
        intake_id=intake.pk,
        values={"title": canaries.new(Case, "title"), "summary": canaries.new(Case, "summary")},
    )
    services.case_event_link(actor=lawyer, case_id=case.pk, event_id=event.pk)
    services.case_note_add(actor=lawyer, case_id=case.pk, text=canaries.new(CaseNote, "text"))
    services.task_add(actor=lawyer, case_id=case.pk, values={"title": canaries.new(Task, "title")})
    referral = services.referral_create(
        actor=lawyer,
        case_id=case.pk,
        partner_id=partner.pk,
        reason=canaries.new(Referral, "reason"),
        shared_summary=canaries.new(Referral, "shared_summary"),
    )
    # The partner's answer, written as the partner's case worker would.
    Referral.objects.filter(pk=referral.pk).update(answer=canaries.new(Referral, "answer"))


def _plant_relationships(steward: Any, kept: Any, partner: Any, canaries: Canaries) -> None:
    from khronika.directory.models import Relationship, RelationshipKind

    for source in (steward, kept):
        Relationship.objects.create(
            source=source,
            target=partner,
            kind=RelationshipKind.PARTNER,
            note=canaries.new(Relationship, "note"),
            version=1,
        )


def _plant_user(steward: Any, role: Any, canaries: Canaries) -> Any:
    """A user of the steward with canaries in their names and email, and an API token, a key pair and a
    second factor (an authenticator and recovery codes) whose secrets are adopted as canaries."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from khronika.accounts.keys import user_key_create
    from khronika.accounts.models import ApiToken, User, UserKey
    from khronika.accounts.services import api_token_create
    from khronika.testing.factories import TEST_PASSWORD, UserFactory

    user: Any = UserFactory(
        organisation=steward,
        role=role,
        username=canaries.new(User, "username"),
        display_name=canaries.new(User, "display_name"),
        key=False,
    )
    canaries.adopt(user.password, User, "password", what="hash")
    token, raw = api_token_create(actor=None, user=user, name=canaries.new(ApiToken, "name"))
    canaries.adopt(raw, ApiToken, "token_hash", what="the raw token, never stored", stored=False)
    canaries.adopt(token.prefix, ApiToken, "prefix")
    canaries.adopt(token.token_hash, ApiToken, "token_hash")
    key = user_key_create(user=user, passphrase=TEST_PASSWORD)
    canaries.adopt(key.public_key, UserKey, "public_key")
    canaries.adopt(key.private_key_wrapped, UserKey, "private_key_wrapped")
    user.email = canaries.new(User, "email") + "@example.org"
    user.save(update_fields=["email"])
    device = TOTPDevice.objects.create(user=user, name=canaries.new(TOTPDevice, "name"), confirmed=True)
    canaries.adopt(device.key, TOTPDevice, "key")
    codes = StaticDevice.objects.create(user=user, name=canaries.new(StaticDevice, "name"), confirmed=True)
    recovery = StaticToken.objects.create(device=codes, token=StaticToken.random_token())
    canaries.adopt(recovery.token, StaticToken, "token")
    return user


def _plant_lockdown_request(steward: Any, coordinator: Any, canaries: Canaries) -> None:
    from khronika.accounts.lockdown import lockdown_request

    # The reason is of the network tier (every coordinator who may confirm must know why): no canary.
    lockdown_request(actor=coordinator, organisation_id=steward.id, reason="office searched")


def _plant_sign_in_lockout(canaries: Canaries) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        **{name: canaries.new(AccessAttempt, name) for name in PLANTED["axes.accessattempt"]},
        ip_address="203.0.113.9",
        failures_since_start=1,
    )


def _plant_recovery_key(steward: Any, canaries: Canaries) -> None:
    """The steward's recovery key, made before anything is sealed, as an operator sets a node up: the
    group key gets a share for it at once. Its private half goes to the operator and is never stored."""
    from khronika.accounts.models import GroupKeyShare
    from khronika.accounts.sealing import recovery_init

    recovery = recovery_init(organisation_id=steward.id)
    private = base64.b64encode(recovery.private).decode("ascii")
    canaries.adopt(
        private, GroupKeyShare, "wrapped_private", what="the recovery key's private half", stored=False
    )


def _adopt_sealing_keys(steward: Any, canaries: Canaries) -> None:
    """The key material sealing made while the steward's records were planted: its group key, the shares
    of it, its recovery key's public half, and every wrapped data key."""
    from khronika.accounts.models import GroupKey, GroupKeyShare, RecoveryKey, ValueKey

    group_key = GroupKey.objects.get(organisation=steward)
    canaries.adopt(group_key.public_key, GroupKey, "public_key")
    for share in GroupKeyShare.objects.filter(group_key=group_key).exclude(wrapped_private=""):
        canaries.adopt(share.wrapped_private, GroupKeyShare, "wrapped_private")
    canaries.adopt(RecoveryKey.objects.get(organisation=steward).public_key, RecoveryKey, "public_key")
    for copy in ValueKey.objects.all():
        canaries.adopt(copy.wrapped, ValueKey, "wrapped")

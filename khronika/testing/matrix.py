"""What the authorization matrix (tests/test_authorization_matrix.py) is built from: its scene, the way
it describes a call of a route, and the routes of the URLconf.

The scene: every role of one organisation, and the same set of records kept by that organisation and by
another one. The actors all belong to the *own* organisation. Each kind of record a route names
(organisation, person, contacts, designation, relationship, practice note, position) exists twice: kept
by the own organisation and kept by the *other* one, so that a route can be called on either. The
records that hang on an organisation exist a third time on a court the own organisation *keeps* (is
the steward of), which has no users of its own. One more organisation, the *centre*, is the target of new
relationships and positions, is not shown on the public site, and holds the coordinator who asks for
the lockdowns that actors confirm or cancel.

Everything is built directly, as the "given" state; the routes under test are the "when".
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from khronika.accounts.models import Lockdown, Role, User
from khronika.accounts.services import api_token_create
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.directory.models import (
    AreaOfWork,
    Designation,
    Organisation,
    Position,
    Region,
    Relationship,
)
from khronika.testing.factories import (
    ContactPointFactory,
    OrganisationFactory,
    PersonFactory,
    PracticeNoteFactory,
    UserFactory,
)
from khronika.testing.second_factor import confirmed_authenticator

OWN = "own"  # kept by the actor's organisation, which is the organisation itself
OTHER = "other"  # kept by another organisation
KEPT = "kept"  # an organisation the actor's organisation keeps (a court), and what hangs on it
# The records that hang on an organisation, so that they have a "kept" scope; persons do not.
ORGANISATION_RECORDS = frozenset(
    {
        "organisation",
        "contact",
        "internal_contact",
        "protected_contact",
        "designation",
        "relationship",
        "note",
        "lockdown",
    }
)
AREA = "hazing"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- The scene ------------------------------------------------------------------------------------------


@dataclass
class Scene:
    own: Organisation
    other: Organisation
    centre: Organisation
    users: dict[str, User]  # by role, all of the own organisation
    tokens: dict[str, str]  # raw bearer token by role
    requester: User  # a coordinator of the centre, who asks for lockdowns
    grantee: User  # a lawyer of the centre, whom protected readers grant a protected contact
    records: dict[str, dict[str, str]] = field(default_factory=dict)  # scope -> record name -> id
    documents_dir: Path | None = None  # where the scene's document files are stored

    def ids(self, scope: str) -> dict[str, str]:
        """The ids of the scope's records (the own organisation's for a route that names none)."""
        return dict(self.records.get(scope, self.records[OWN]))


def _organisation_records(organisation: Organisation, centre: Organisation) -> dict[str, str]:
    """An organisation and what hangs on it: contacts of three tiers, a designation, a relationship to
    the centre, a practice note."""
    area = AreaOfWork.objects.get(code=AREA)
    records = {
        "organisation": organisation,
        "contact": ContactPointFactory.create(organisation=organisation, tier="network"),
        "internal_contact": ContactPointFactory.create(organisation=organisation, tier="internal"),
        "protected_contact": ContactPointFactory.create(organisation=organisation, tier="protected"),
        "designation": Designation.objects.create(
            organisation=organisation, kind="foreign_agent", listed_on=dt.date(2022, 4, 8), version=1
        ),
        "relationship": Relationship.objects.create(
            source=organisation, target=centre, kind="partner", version=1
        ),
        "note": PracticeNoteFactory.create(organisation=organisation, area=area, tier="network"),
        "target": centre,
    }
    return {name: str(record.pk) for name, record in records.items()}


def _person_records(steward: Organisation) -> dict[str, str]:
    """A person the organisation keeps, with a contact and a position in the organisation."""
    person = PersonFactory.create(steward=steward)
    records = {
        "person": person,
        "person_contact": ContactPointFactory.create(organisation=None, person=person, tier="network"),
        "position": Position.objects.create(person=person, organisation=steward, title="юрист", version=1),
    }
    return {name: str(record.pk) for name, record in records.items()}


def scene_build() -> Scene:
    """The organisations, a user of every role in the own one with a second factor and an API token,
    and the records of each scope."""
    # The scene is built once for the module, outside the suite's per-test settings: cheap hashing and key
    # derivation here too (conftest.py), or every sign-in of the matrix pays the real cost.
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, KHRONIKA_ARGON2_COST=(1, 8192)):
        own: Organisation = OrganisationFactory.create(
            name_ru="Своя группа", name_en="Own group", is_public=True, home_region=_region("RU-TVE")
        )
        other: Organisation = OrganisationFactory.create(
            name_ru="Другая группа", name_en="Other group", is_public=True, home_region=_region("RU-PER")
        )
        kept: Organisation = OrganisationFactory.create(
            steward=own,
            kind="court",
            name_ru="Районный суд",
            name_en="District court",
            is_public=True,
            home_region=_region("RU-TVE"),
        )
        centre: Organisation = OrganisationFactory.create(
            name_ru="Центр", name_en="Centre", home_region=_region("RU-MOW")
        )
        users: dict[str, User] = {
            role.value: UserFactory.create(role=role, organisation=own) for role in Role
        }
        UserFactory.create(role=Role.MEMBER, organisation=other)
        requester: User = UserFactory.create(role=Role.COORDINATOR, organisation=centre)
        grantee: User = UserFactory.create(role=Role.LAWYER, organisation=centre)
        # Granted nothing: the grantee the other organisation's records name, so that a crossed call finds
        # no grant to revoke.
        stranger: User = UserFactory.create(role=Role.LAWYER, organisation=centre)
    for user in users.values():
        confirmed_authenticator(user)
    tokens = {role: api_token_create(actor=None, user=user)[1] for role, user in users.items()}
    scene = Scene(
        own=own, other=other, centre=centre, users=users, tokens=tokens, requester=requester, grantee=grantee
    )
    documents_dir = scene.documents_dir = Path(tempfile.mkdtemp(prefix="khronika-matrix-documents-"))
    own_persons = (
        _person_records(own)
        | _event_records(own, tier="internal", documents=documents_dir)
        | _case_records(own, centre)
    )
    scene.records = {
        OWN: _organisation_records(own, centre) | own_persons,
        # The other organisation's events are shared with the network: readable, not writable, by the actors.
        OTHER: _organisation_records(other, centre)
        | _person_records(other)
        | _event_records(other, tier="network", documents=documents_dir)
        | _case_records(other, own),
        # Persons and events are kept by users' organisations only: the kept organisation's scope has none.
        KEPT: _organisation_records(kept, centre) | own_persons,
    }
    for scope, records in scene.records.items():
        records["contact_entity"] = "directory.contactpoint"
        # A partner to refer the scope's case to, other than the one it is referred to already.
        records["partner_organisation"] = str(centre.pk if scope == OTHER else other.pk)
        chosen = stranger if scope == OTHER else grantee
        records["grantee"], records["grantee_username"] = str(chosen.pk), chosen.username
    return scene


def _event_records(steward: Organisation, *, tier: str, documents: Path) -> dict[str, str]:
    """Two events the organisation documents, at ``tier``, the first chained to a third one and holding an
    act against a group."""
    from khronika.monitoring.models import (
        Act,
        Event,
        EventRelation,
        Information,
        Intervention,
        Involvement,
        Term,
    )

    def event(title: str) -> Event:
        return Event.objects.create(steward=steward, title=title, tier=tier, version=1)

    first, second, third = event("Задержания на акции"), event("Суд"), event("Обыск")
    follows = Term.objects.get(vocabulary__code="event-relations", code="follows")
    relation = EventRelation.objects.create(source=first, target=third, relation=follows, version=1)
    detention = Term.objects.get(vocabulary__code="act-types", code="administrative-detention")
    act = Act.objects.create(
        event=first,
        steward=steward,
        act_type=detention,
        victim_kind="group",
        victim_count=3,
        tier=tier,
        version=1,
    )

    def term(vocabulary: str, code: str) -> Term:
        return Term.objects.get(vocabulary__code=vocabulary, code=code)

    involvement = Involvement.objects.create(
        act=act,
        perpetrator_description="ОМОН",
        degree=term("involvement-degrees", "carried-out"),
        tier=tier,
        version=1,
    )
    information = Information.objects.create(
        event=first, source_kind="media", reliability=term("reliability", "high"), version=1
    )
    intervention = Intervention.objects.create(
        event=first,
        by_organisation=steward,
        intervention_type=term("intervention-types", "appeal"),
        status=term("intervention-statuses", "planned"),
        version=1,
    )
    document = _document(steward, first, tier, documents)
    return {
        "document": str(document.pk),
        "event": str(first.pk),
        "second_event": str(second.pk),
        "relation": str(relation.pk),
        "act": str(act.pk),
        "involvement": str(involvement.pk),
        "information": str(information.pk),
        "intervention": str(intervention.pk),
    }


def _document(steward: Organisation, event: Any, tier: str, directory: Path) -> Any:
    """A text file attached to the event, at its tier, stored encrypted in ``directory``."""
    import base64

    from khronika.core import crypto
    from khronika.monitoring.models import Document

    key, name = crypto.new_data_key(), uuid.uuid4().hex
    (directory / name).write_bytes(crypto.encrypt_bytes(key, b"protocol"))
    return Document.objects.create(
        steward=steward,
        event=event,
        title="Протокол",
        file_name="protocol.txt",
        media_type="application/octet-stream",
        size=8,
        sha256="0" * 64,
        stored_sha256="0" * 64,
        storage_name=name,
        file_key=base64.b64encode(key).decode(),
        tier=tier,
        version=1,
    )


def _case_records(steward: Organisation, partner: Organisation) -> dict[str, str]:
    """A request the organisation's desk took, the case it became, a task of it, and its referral to
    ``partner``."""
    from khronika.cases.models import Case, Intake, Referral, Task

    case = Case.objects.create(
        steward=steward,
        number="2026-0001",
        title="Задержание",
        category=AreaOfWork.objects.get(code=AREA),
        region=_region("RU-TVE"),
        version=1,
    )
    intake = Intake.objects.create(steward=steward, channel="phone", summary="Нужен адвокат", version=1)
    task = Task.objects.create(case=case, title="Позвонить", version=1)
    referral = Referral.objects.create(
        case=case, partner=partner, reason="Регион партнёра", shared_summary="Штраф", version=1
    )
    return {
        "case": str(case.pk),
        "intake": str(intake.pk),
        "task": str(task.pk),
        "referral": str(referral.pk),
    }


def _region(code: str) -> Region:
    return Region.objects.get(code=code)


def lockdown_asked(scene: Scene, organisation_id: str) -> str:
    """A lockdown of the organisation, asked for by the centre's coordinator and waiting for a second."""
    asked = Lockdown.objects.create(
        organisation_id=organisation_id,
        requested_by=scene.requester,
        reason="обыск",
        expires_at=timezone.now() + dt.timedelta(hours=1),
        version=1,
    )
    return str(asked.id)


def grant_made(scene: Scene, contact_id: str) -> None:
    """The protected contact granted to the scene's grantee by the own organisation's coordinator."""
    from khronika.accounts import sealing
    from khronika.directory.models import ContactPoint
    from khronika.testing.keys import keyring_for

    coordinator = scene.users[Role.COORDINATOR.value]
    sealing.access_grant(
        actor=coordinator,
        keyring=keyring_for(coordinator),
        instance=ContactPoint.objects.get(pk=contact_id),
        user_id=scene.grantee.pk,
        purpose="referral",
    )


def current_code(user: User) -> str:
    """The code the user's authenticator app shows now."""
    device = TOTPDevice.objects.get(user_id=user.pk, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


# --- Describing a call ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Who may make a call: ``allows(role, scope)``, the scope saying whose record the call names."""

    name: str
    allows: Callable[[str, str], bool]
    no_endpoint: bool = False  # nobody: the path answers 404 to everyone
    # Another organisation's record of this kind is not told to exist: a refused signed-in user gets 404.
    hidden_from_others: bool = False


@dataclass(frozen=True)
class Call:
    """One request of a route: its method, its rule, a minimal valid input and what an allowed one writes.

    ``{record}`` placeholders in ``data`` and ``query`` take the ids of the scene's records; a URL
    parameter ``x_id`` names the record ``x`` unless ``records`` says otherwise."""

    method: str
    rule: Rule
    data: dict[str, Any] | None = None
    query: dict[str, str] | None = None
    writes: str | None = None  # the audit action an allowed call leaves
    written: str | None = None  # the record (or "me", the actor) that action is about
    records: dict[str, str] = field(default_factory=dict)
    path: str | None = None  # for patterns that are not reversed by name
    scoped: bool = False  # names a record in its data rather than in its URL
    lockdown: bool = False  # needs a lockdown request waiting for a second coordinator
    grant: bool = False  # needs a grant of the protected contact to the scene's grantee
    multipart: bool = False  # an upload: ``data`` is sent as a form, a ``(name, bytes)`` value as a file
    variant: str = ""

    def record_of(self, parameter: str) -> str:
        """The scene's record a URL parameter names: ``organisation_id`` → ``organisation``."""
        return self.records.get(parameter, parameter.removesuffix("_id"))


def get(rule: Rule, **kwargs: Any) -> Call:
    return Call("GET", rule, **kwargs)


def post(rule: Rule, data: dict[str, Any] | None = None, **kwargs: Any) -> Call:
    return Call("POST", rule, data=data or {}, **kwargs)


def patch(rule: Rule, data: dict[str, Any], **kwargs: Any) -> Call:
    return Call("PATCH", rule, data=data, **kwargs)


def delete(rule: Rule, **kwargs: Any) -> Call:
    return Call("DELETE", rule, **kwargs)


def fill(value: Any, ids: dict[str, str]) -> Any:
    """``value`` with its ``{record}`` placeholders replaced by the ids."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Logs:
    """Where the change log and the audit log stand."""

    change_seq: int
    audit_seq: int
    changes: int
    audits: int

    @classmethod
    def now(cls) -> Logs:
        return cls(
            change_seq=ChangeLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0,
            audit_seq=AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0,
            changes=ChangeLogEntry.objects.count(),
            audits=AuditEntry.objects.count(),
        )

    def wrote(self, action: str, *, entity_id: str | None) -> bool:
        """Whether an audit entry of ``action`` (and, for a record's create, update or delete, its
        change-log entry) was added since."""
        audit = AuditEntry.objects.filter(seq__gt=self.audit_seq, action=action)
        entity, _dot, operation = action.rpartition(".")
        changes = ChangeLogEntry.objects.filter(seq__gt=self.change_seq, entity=entity, operation=operation)
        if entity_id is not None:
            audit = audit.filter(entity_id=entity_id)
            changes = changes.filter(entity_id=entity_id)
        logged = operation not in {"create", "update", "delete"} or changes.exists()
        return audit.exists() and logged


# --- The URLconf ------------------------------------------------------------------------------------------


def url_routes(resolver: Any = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """Every URL pattern as (route, qualified name); the name is empty for unnamed patterns."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}" if pattern.name else ""


def route_as_openapi_path(route: str) -> str:
    """``api/v1/organisations/<organisation_id>`` as the OpenAPI document writes it."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def parameters_of(route: str) -> list[str]:
    """The parameters of a URLconf route (``<uuid:x_id>``) or of an OpenAPI path (``{x_id}``)."""
    return re.findall(r"[<{](?:\w+:)?(\w+)[>}]", route)

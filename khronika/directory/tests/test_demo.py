"""The demo network: planned reproducibly from a seed, built through the services, loaded only once."""

from __future__ import annotations

import time
from collections import defaultdict

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from khronika.accounts import policies
from khronika.accounts.models import Role, User
from khronika.core.errors import Conflict, PermissionDenied, ValidationFailed
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.core.tiers import Tier
from khronika.directory import services
from khronika.directory.demo import (
    CENTRE_NAME_RU,
    DEMO_MARK,
    DEMO_PASSWORD,
    demo_network_create,
    demo_plan,
    demo_sign_ins,
    reference_for_plan,
)
from khronika.directory.models import (
    ContactPoint,
    Designation,
    Organisation,
    Person,
    Position,
    PracticeNote,
    Relationship,
)
from khronika.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
SMALL = 40
ALL_ROLES = {role.value for role in Role}
ALL_TIERS = {"public", "network", "internal", "protected"}


@pytest.fixture
def reference():
    return reference_for_plan()


# --- The plan ----------------------------------------------------------------------------------------------


def test_the_plan_is_the_same_for_the_same_seed_and_differs_for_another(reference):
    first = demo_plan(seed=7, organisations=SMALL, **reference)
    again = demo_plan(seed=7, organisations=SMALL, **reference)
    other = demo_plan(seed=8, organisations=SMALL, **reference)

    assert first == again
    assert first != other
    assert [o.values["name_ru"] for o in first.organisations] != [
        o.values["name_ru"] for o in other.organisations
    ]


def test_the_sign_ins_of_a_seed_do_not_depend_on_the_size(reference):
    small = demo_plan(seed=1968, organisations=SMALL, **reference)
    full = demo_plan(seed=1968, organisations=320, **reference)

    assert small.sign_ins() == full.sign_ins()
    assert {s.password for s in small.sign_ins()} == {DEMO_PASSWORD}
    assert {"coordinator", "editor.tver", "member.perm"} <= {s.username for s in small.sign_ins()}


def test_every_planned_value_is_marked_or_shaped_as_fictional(reference):
    plan = demo_plan(seed=1968, organisations=320, **reference)

    assert all(o.values["description"].endswith("\n" + DEMO_MARK) for o in plan.organisations)
    contacts = [c for o in plan.organisations for c in o.contacts] + [
        c for p in plan.persons for c in p.contacts
    ]
    emails = [c.value for c in contacts if c.kind == "email"]
    phones = [c.value for c in contacts if c.kind == "phone"]
    assert emails and all(e.endswith("example.org") for e in emails)
    assert phones and all(p.startswith("+7 900 000-") for p in phones)
    assert all(
        o.values["website"].endswith(".example.org") for o in plan.organisations if o.values["website"]
    )


def test_the_default_plan_is_varied_like_a_real_network(reference):
    plan = demo_plan(seed=1968, organisations=320, **reference)
    values = [o.values for o in plan.organisations]

    assert len({v["kind"] for v in values}) == 8
    assert len({v["name_ru"] for v in values}) == len({v["name_en"] for v in values}) == len(values)
    assert {"active", "dormant", "closed", "liquidated"} <= {v["status"] for v in values}
    assert 0.25 < sum(v["is_public"] for v in values) / len(values) < 0.42
    founded = [v["founded"] for v in values]
    assert any(len(f) == 10 for f in founded) and any(len(f) == 7 for f in founded)
    assert any(f.startswith("~") for f in founded) and "" in founded
    assert {d.kind for o in plan.organisations for d in o.designations} == {"foreign_agent", "undesirable"}
    assert {r.kind for r in plan.relationships} == {
        "branch_of",
        "partner",
        "member_of_network",
        "successor_of",
    }
    assert any(n.values["who_to_ask"] for n in plan.notes)
    assert {n.values["tier"] for n in plan.notes} == {"public", "network", "internal"}
    assert len({p.values["name_ru"] for p in plan.persons}) == len(plan.persons)


def test_too_small_a_network_is_refused(reference):
    with pytest.raises(ValidationFailed):
        demo_plan(seed=1, organisations=5, **reference)
    with pytest.raises(ValidationFailed):
        demo_network_create(organisations=5)
    assert not Organisation.objects.exists()


# --- The build ---------------------------------------------------------------------------------------------


def test_a_small_network_is_built_with_the_requested_counts():
    network = demo_network_create(seed=3, organisations=SMALL)

    counts = network.counts
    assert counts["organisations"] == SMALL == Organisation.objects.count()
    assert counts["users"] == User.objects.count() == 24
    assert counts["persons"] == Person.objects.count() > 0
    assert counts["positions"] == Position.objects.count()
    assert counts["relationships"] == Relationship.objects.count() > 0
    assert counts["practice_notes"] == PracticeNote.objects.count() > 0
    assert counts["designations"] == Designation.objects.count()
    assert counts["contacts"] == ContactPoint.objects.count()
    assert {t for t in ALL_TIERS if counts[f"contacts_{t}"]} == ALL_TIERS
    assert set(ContactPoint.objects.values_list("tier", flat=True)) == ALL_TIERS
    assert all(d.endswith(DEMO_MARK) for d in Organisation.objects.values_list("description", flat=True))


def test_the_centre_and_two_regional_groups_have_users_of_every_role_who_can_sign_in():
    network = demo_network_create(seed=3, organisations=SMALL)

    roles_by_organisation = defaultdict(set)
    for user in User.objects.select_related("organisation"):
        roles_by_organisation[user.organisation.name_ru].add(user.role)
    assert len(roles_by_organisation) == 3
    assert all(roles == ALL_ROLES for roles in roles_by_organisation.values())
    assert CENTRE_NAME_RU in roles_by_organisation
    for sign_in in network.sign_ins:
        # The lockout (django-axes) judges every sign-in by its request.
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=sign_in.username, password=sign_in.password)
        assert user is not None and user.role == sign_in.role
        assert user.organisation.name_ru == sign_in.organisation


def test_the_regional_groups_with_users_keep_their_own_records_and_the_centre_keeps_the_rest():
    demo_network_create(seed=3, organisations=SMALL)
    coordinator = User.objects.get(username="coordinator")
    tver_editor = User.objects.get(username="editor.tver")
    tver = tver_editor.organisation

    self_kept = set(Organisation.objects.filter(steward__isnull=True).values_list("id", flat=True))
    assert self_kept == set(User.objects.values_list("organisation_id", flat=True))
    assert set(Organisation.objects.exclude(id__in=self_kept).values_list("steward_id", flat=True)) == {
        coordinator.organisation_id
    }
    assert policies.write_ceiling(tver_editor, steward_id=tver.steward_key) == Tier.INTERNAL
    assert policies.write_ceiling(coordinator, steward_id=tver.steward_key) == Tier.NETWORK
    # the group's own administrator wrote the group's contacts and persons, not the centre
    admin = User.objects.get(username="admin.tver")
    written = ContactPoint.objects.filter(organisation=tver).values_list("id", flat=True)
    persons = Person.objects.filter(steward=tver).values_list("id", flat=True)
    assert written and persons
    actors = set(
        AuditEntry.objects.filter(entity_id__in=[*written, *persons]).values_list("actor", flat=True)
    )
    assert actors == {admin.pseudonym}


def test_a_second_build_is_refused_and_writes_nothing():
    demo_network_create(seed=3, organisations=SMALL)
    before = (Organisation.objects.count(), User.objects.count(), ChangeLogEntry.objects.count())

    with pytest.raises(Conflict) as raised:
        demo_network_create(seed=3, organisations=SMALL)

    assert "already loaded" in raised.value.message
    assert (Organisation.objects.count(), User.objects.count(), ChangeLogEntry.objects.count()) == before


def test_the_sign_ins_can_be_shown_again_without_building():
    network = demo_network_create(seed=3, organisations=SMALL)
    entries = ChangeLogEntry.objects.count()

    assert demo_sign_ins(3) == network.sign_ins
    assert ChangeLogEntry.objects.count() == entries


def test_the_demo_is_not_loaded_into_a_node_that_already_has_organisations():
    OrganisationFactory(name_ru="Настоящая группа")

    with pytest.raises(Conflict):
        demo_network_create(seed=3, organisations=SMALL)

    assert list(Organisation.objects.values_list("name_ru", flat=True)) == ["Настоящая группа"]
    assert not User.objects.exists()


def test_the_default_network_spans_300_organisations_and_60_regions_within_a_minute():
    started = time.perf_counter()
    network = demo_network_create()
    seconds = time.perf_counter() - started
    print(f"demo network of {network.counts['organisations']} organisations built in {seconds:.1f} s")

    assert seconds < 60
    assert Organisation.objects.count() >= 300
    assert Organisation.objects.values("home_region").distinct().count() >= 60
    assert Organisation.objects.filter(is_public=True).count() >= 80


# --- The services the demo added ---------------------------------------------------------------------------


def test_bootstrap_creates_the_first_organisation_keeping_its_own_record():
    org = services.organisation_bootstrap(
        values={"kind": "human_rights_group", "name_ru": "Центр", "areas": ["hotline"]}
    )

    assert org.steward_id is None and org.version == 1
    assert list(org.areas.values_list("code", flat=True)) == ["hotline"]
    assert ChangeLogEntry.objects.get(entity_id=org.id).operation == "create"


def test_bootstrap_refuses_a_node_that_has_organisations():
    OrganisationFactory()

    with pytest.raises(Conflict):
        services.organisation_bootstrap(values={"kind": "ngo", "name_ru": "Второй центр"})

    assert not Organisation.objects.filter(name_ru="Второй центр").exists()


def test_a_writer_of_the_steward_hands_a_record_over_to_the_organisation_itself(make_user):
    centre = OrganisationFactory()
    group = OrganisationFactory(steward=centre)
    coordinator = make_user(role="coordinator", organisation=centre)

    handed = services.organisation_hand_over(actor=coordinator, organisation_id=group.id)

    assert handed.steward_id is None and handed.version == 2
    entry = ChangeLogEntry.objects.get(entity_id=group.id)
    assert entry.changed_fields == ["steward"]


@pytest.mark.parametrize("role, own_steward", [("coordinator", False), ("viewer", True), ("member", True)])
def test_only_a_writer_of_the_current_steward_may_hand_a_record_over(make_user, role, own_steward):
    centre, elsewhere = OrganisationFactory(), OrganisationFactory()
    group = OrganisationFactory(steward=centre)
    actor = make_user(role=role, organisation=centre if own_steward else elsewhere)

    with pytest.raises(PermissionDenied):
        services.organisation_hand_over(actor=actor, organisation_id=group.id)

    group.refresh_from_db()
    assert group.steward_id == centre.id and group.version == 1

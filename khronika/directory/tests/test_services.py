"""Directory writes: policies, validation, one change-log row per write, nothing written on error."""

import pytest

from khronika.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.directory import services
from khronika.directory.models import ContactPoint, Organisation
from khronika.testing.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def log_count():
    return ChangeLogEntry.objects.count()


def test_an_editor_adds_an_organisation_kept_by_their_own_group(make_user, org_a):
    editor = make_user("editor", org_a)
    before = log_count()

    org = services.organisation_create(
        actor=editor,
        values={
            "kind": "ngo",
            "name_ru": "Новая группа",
            "home_region": "RU-TVE",
            "areas": ["legal-aid"],
            "regions": ["RU-MOS"],
            "founded": "2011-05",
            "aliases": ["НГ"],
        },
    )

    assert org.steward_id == org_a.id
    assert org.founded_precision == "month"
    assert sorted(org.regions.values_list("code", flat=True)) == ["RU-MOS", "RU-TVE"]
    assert log_count() == before + 1
    entry = ChangeLogEntry.objects.latest("seq")
    assert entry.payload["areas"] == ["legal-aid"] and entry.payload["regions"] == ["RU-MOS", "RU-TVE"]


@pytest.mark.parametrize(
    ("values", "bad_field"),
    [
        ({"kind": "ngo", "name_ru": ""}, "name_ru"),
        ({"kind": "cult", "name_ru": "Х"}, "kind"),
        ({"kind": "ngo", "name_ru": "Х", "home_region": "RU-XXX"}, "home_region"),
        ({"kind": "ngo", "name_ru": "Х", "areas": ["no-such-area"]}, "areas"),
        ({"kind": "ngo", "name_ru": "Х", "founded": "yesterday"}, "founded"),
        ({"kind": "ngo", "name_ru": "Х", "website": "not a url"}, "website"),
        ({"kind": "ngo", "name_ru": "Х", "colour": "red"}, "colour"),
        ({"kind": "ngo", "name_ru": "Х", "aliases": "ok", "regions": 5}, "regions"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(make_user, org_a, values, bad_field):
    editor = make_user("editor", org_a)
    orgs, logs, audits = Organisation.objects.count(), log_count(), AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        services.organisation_create(actor=editor, values=values)
    assert bad_field in caught.value.fields
    assert (Organisation.objects.count(), log_count(), AuditEntry.objects.count()) == (orgs, logs, audits)


@pytest.mark.parametrize("role", ["viewer", "member", "monitor", "lawyer", "hotline_operator"])
def test_roles_that_do_not_keep_the_directory_cannot_add_or_edit(make_user, org_a, role):
    user = make_user(role, org_a)
    before = log_count()
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=user, values={"kind": "ngo", "name_ru": "Х"})
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=user, organisation_id=org_a.id, values={"name_ru": "Y"})
    assert log_count() == before


def test_an_editor_of_group_a_cannot_edit_group_b(make_user, org_a, org_b):
    editor = make_user("editor", org_a)
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=editor, organisation_id=org_b.id, values={"description": "x"})
    org_b.refresh_from_db()
    assert org_b.description != "x"


def test_a_coordinator_keeps_public_fields_of_any_group_but_not_its_internal_notes(make_user, org_a, org_b):
    coordinator = make_user("coordinator", org_a)
    services.organisation_update(actor=coordinator, organisation_id=org_b.id, values={"status": "dormant"})
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=coordinator, organisation_id=org_b.id, values={"internal_notes": "x"}
        )
    org_b.refresh_from_db()
    assert org_b.status == "dormant" and org_b.internal_notes == ""


def test_an_edit_writes_one_row_with_the_changed_field_names_and_a_no_op_writes_none(make_user, org_a):
    editor = make_user("editor", org_a)
    before = log_count()
    services.organisation_update(
        actor=editor, organisation_id=org_a.id, values={"name_en": "Group A renamed", "areas": ["elections"]}
    )
    entry = ChangeLogEntry.objects.latest("seq")
    assert log_count() == before + 1
    assert entry.changed_fields == ["areas", "name_en"]
    services.organisation_update(
        actor=editor, organisation_id=org_a.id, values={"name_en": "Group A renamed"}
    )
    assert log_count() == before + 1


def test_a_stale_version_is_a_conflict_and_the_newer_edit_survives(make_user, org_a):
    editor = make_user("editor", org_a)
    services.organisation_update(
        actor=editor, organisation_id=org_a.id, values={"name_en": "First"}, expected_version=1
    )
    with pytest.raises(Conflict):
        services.organisation_update(
            actor=editor, organisation_id=org_a.id, values={"name_en": "Second"}, expected_version=1
        )
    org_a.refresh_from_db()
    assert org_a.name_en == "First"


def test_a_deleted_organisation_cannot_be_edited(make_user, org_a):
    editor = make_user("editor", org_a)
    services.organisation_delete(actor=editor, organisation_id=org_a.id)
    with pytest.raises(NotFound):
        services.organisation_update(actor=editor, organisation_id=org_a.id, values={"name_en": "x"})
    with pytest.raises(NotFound):
        services.organisation_update(actor=editor, organisation_id="not-a-uuid", values={"name_en": "x"})


def test_contacts_each_carry_a_tier_that_the_writer_must_be_allowed_to_write(make_user, org_a, org_b):
    coordinator = make_user("coordinator", org_a)
    services.contact_add(
        actor=coordinator, organisation_id=org_b.id, kind="email", value="b@example.org", tier="network"
    )
    with pytest.raises(PermissionDenied):
        services.contact_add(
            actor=coordinator, organisation_id=org_b.id, kind="phone", value="+7 900", tier="protected"
        )
    with pytest.raises(ValidationFailed):
        services.contact_add(
            actor=coordinator, organisation_id=org_a.id, kind="phone", value="+7", tier="secret"
        )
    editor = make_user("editor", org_a)
    with pytest.raises(PermissionDenied):  # an editor reads internal, not protected, values
        services.contact_add(
            actor=editor, organisation_id=org_a.id, kind="phone", value="+7", tier="protected"
        )
    assert ContactPoint.objects.filter(organisation=org_b).count() == 1


def test_a_relationship_needs_two_different_organisations(make_user, org_a, org_b):
    editor = make_user("editor", org_a)
    rel = services.relationship_add(
        actor=editor, source_id=org_a.id, target_id=org_b.id, kind="partner", started="2015"
    )
    assert rel.started_precision == "year"
    with pytest.raises(ValidationFailed):
        services.relationship_add(actor=editor, source_id=org_a.id, target_id=org_a.id, kind="partner")


def test_members_add_practice_notes_for_their_group_but_only_identity_roles_name_whom_to_ask(
    make_user, org_a
):
    member = make_user("member", org_a)
    note = services.practice_note_create(
        actor=member,
        organisation_id=org_a.id,
        values={"area": "protest-detentions", "title": "Дежурство в судах", "summary": "Ходили в суды."},
    )
    assert note.tier == "network"
    with pytest.raises(PermissionDenied):
        services.practice_note_create(
            actor=member,
            organisation_id=org_a.id,
            values={"area": "legal-aid", "title": "T", "summary": "S", "who_to_ask": "Имя"},
        )
    lawyer = make_user("lawyer", org_a)
    noted = services.practice_note_create(
        actor=lawyer,
        organisation_id=org_a.id,
        values={"area": "legal-aid", "title": "T", "summary": "S", "who_to_ask": "Имя"},
    )
    assert noted.who_to_ask == "Имя"
    viewer = make_user("viewer", org_a)
    with pytest.raises(PermissionDenied):
        services.practice_note_create(
            actor=viewer, organisation_id=org_a.id, values={"area": "legal-aid", "title": "T", "summary": "S"}
        )


def test_person_positions_and_edits(make_user, org_a, org_b):
    editor = make_user("editor", org_a)
    person = services.person_create(actor=editor, values={"name_ru": "Петрова Мария", "aliases": ["Маша"]})
    services.position_add(
        actor=editor, person_id=person.id, organisation_id=org_b.id, title="юрист", started="2019-03"
    )
    services.person_update(actor=editor, person_id=person.id, values={"notes": "internal"})
    other = PersonFactory(steward=org_b)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=editor, person_id=other.id, values={"name_en": "x"})
    assert person.positions.get().started_precision == "month"


def test_designations_are_public_facts_with_consistent_dates(make_user, org_a):
    editor = make_user("editor", org_a)
    services.designation_add(
        actor=editor,
        organisation_id=org_a.id,
        kind="foreign_agent",
        listed_on="2022-04-08",
        legal_basis="ФЗ № 255-ФЗ",
    )
    with pytest.raises(ValidationFailed):
        services.designation_add(
            actor=editor,
            organisation_id=org_a.id,
            kind="foreign_agent",
            listed_on="2022-04-08",
            removed_on="2021-01-01",
        )
    with pytest.raises(ValidationFailed):
        services.designation_add(
            actor=editor, organisation_id=org_a.id, kind="nonsense", listed_on="2022-04-08"
        )
    assert org_a.designations.count() == 1


def test_every_successful_directory_write_leaves_exactly_one_change_log_row(make_user, org_a, org_b):
    editor = make_user("coordinator", org_a)
    created = []
    writes = [
        lambda: created.append(
            services.organisation_create(actor=editor, values={"kind": "media", "name_ru": "Газета"})
        ),
        lambda: services.organisation_update(
            actor=editor, organisation_id=org_a.id, values={"status": "dormant"}
        ),
        lambda: services.contact_add(
            actor=editor, organisation_id=org_a.id, kind="phone", value="+7", tier="protected"
        ),
        lambda: services.designation_add(
            actor=editor, organisation_id=org_a.id, kind="undesirable", listed_on="2023-01-01"
        ),
        lambda: services.relationship_add(
            actor=editor, source_id=org_a.id, target_id=org_b.id, kind="partner"
        ),
        lambda: services.person_create(actor=editor, values={"name_ru": "Лицо"}),
        lambda: services.practice_note_create(
            actor=editor, organisation_id=org_a.id, values={"area": "elections", "title": "T", "summary": "S"}
        ),
        lambda: services.organisation_delete(actor=editor, organisation_id=created[0].id),
    ]
    for write in writes:
        before = log_count()
        write()
        assert log_count() == before + 1


def test_a_disabled_user_cannot_write(make_user, org_a):
    editor = make_user("editor", org_a, is_active=False)
    with pytest.raises(Exception) as caught:
        services.organisation_update(actor=editor, organisation_id=org_a.id, values={"name_en": "x"})
    assert caught.value.__class__.__name__ in {"NotAuthenticated", "PermissionDenied"}
    assert OrganisationFactory._meta.model.objects.get(pk=org_a.pk).name_en == "Group A"

"""Directory writes: policies, validation, one change-log row per write, nothing written on error."""

import datetime as dt

import pytest
from django.utils import translation

from khronika.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.directory import services
from khronika.directory.models import ContactPoint, Designation, Organisation, Position
from khronika.testing.factories import OrganisationFactory, PersonFactory
from khronika.testing.keys import opened

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
    assert noted.who_to_ask.startswith("kh1.")  # stored sealed
    assert opened(noted, lawyer)["who_to_ask"] == "Имя"
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


# --- Correcting and retiring designations and positions ---------------------------------------------------


def written():
    """The change log and the audit log: what a write leaves behind."""
    return log_count(), AuditEntry.objects.count()


@pytest.fixture
def listed(org_a):
    """Group A, listed as a “foreign agent” in 2022."""
    return Designation.objects.create(
        organisation=org_a,
        kind="foreign_agent",
        listed_on=dt.date(2022, 4, 8),
        legal_basis="ФЗ-255",
        version=1,
    )


@pytest.fixture
def held(org_a, org_b):
    """A person kept by group A, a lawyer at group B since May 2019."""
    person = PersonFactory(steward=org_a)
    return Position.objects.create(
        person=person,
        organisation=org_b,
        title="юрист",
        started_on=dt.date(2019, 5, 1),
        started_precision="month",
        version=1,
    )


def test_taking_an_organisation_off_the_register_writes_one_row_with_the_changed_field(make_user, listed):
    editor = make_user("editor", listed.organisation)
    before = written()

    designation = services.designation_update(
        actor=editor, designation_id=listed.id, values={"removed_on": "2024-01-15"}, expected_version=1
    )

    assert written() == (before[0] + 1, before[1] + 1)
    entry = ChangeLogEntry.objects.latest("seq")
    assert (entry.entity_id, entry.operation, entry.changed_fields) == (listed.id, "update", ["removed_on"])
    listed.refresh_from_db()
    assert listed.removed_on == dt.date(2024, 1, 15) and listed.version == 2
    assert designation.version == 2 and listed.legal_basis == "ФЗ-255"


def test_a_designation_takes_dates_as_dates_or_as_text_and_a_no_op_writes_nothing(make_user, listed):
    editor = make_user("editor", listed.organisation)
    before = written()

    services.designation_update(
        actor=editor,
        designation_id=listed.id,
        values={"listed_on": dt.date(2022, 4, 8), "kind": "foreign_agent", "legal_basis": "ФЗ-255"},
    )
    services.designation_update(actor=editor, designation_id=listed.id, values={"listed_on": "2022-04-08"})
    services.designation_update(actor=editor, designation_id=listed.id, values={})

    assert written() == before
    listed.refresh_from_db()
    assert listed.version == 1


@pytest.mark.parametrize(
    ("values", "bad_field"),
    [
        ({"removed_on": "2021-01-01"}, "removed_on"),  # before the listing
        ({"listed_on": "2025-01-01", "removed_on": "2024-06-01"}, "removed_on"),
        ({"removed_on": "2024-02-30"}, "removed_on"),
        ({"removed_on": "2024"}, "removed_on"),  # a designation's dates are days
        ({"listed_on": "someday-XYZ"}, "listed_on"),
        ({"listed_on": None}, "listed_on"),
        ({"kind": "made-up-XYZ"}, "kind"),
        ({"legal_basis": 255}, "legal_basis"),
        ({"register_entry": "x" * 201}, "register_entry"),
        ({"organisation": "XYZ"}, "organisation"),
    ],
)
def test_a_bad_designation_change_names_the_field_repeats_no_value_and_writes_nothing(
    make_user, listed, values, bad_field
):
    editor = make_user("editor", listed.organisation)
    before = written()

    with pytest.raises(ValidationFailed) as caught:
        services.designation_update(actor=editor, designation_id=listed.id, values=values)

    assert bad_field in caught.value.fields
    assert "XYZ" not in str(caught.value.fields) and "2024-02-30" not in str(caught.value.fields)
    assert written() == before
    listed.refresh_from_db()
    assert (listed.version, listed.removed_on, listed.listed_on) == (1, None, dt.date(2022, 4, 8))


def test_designation_messages_are_in_the_readers_language(make_user, listed):
    editor = make_user("editor", listed.organisation)
    with translation.override("ru"), pytest.raises(ValidationFailed) as caught:
        services.designation_update(
            actor=editor, designation_id=listed.id, values={"removed_on": "2021-01-01", "kind": "x"}
        )
    assert caught.value.fields["removed_on"] == ["Дата исключения раньше даты включения в реестр."]
    assert caught.value.fields["kind"] == ["Выберите одно из предложенных значений."]


@pytest.mark.parametrize("who", ["viewer of the group", "editor of another group", "member of the group"])
def test_only_keepers_of_the_organisations_public_fields_correct_or_remove_its_designation(
    make_user, listed, org_b, who
):
    role, organisation = {
        "viewer of the group": ("viewer", listed.organisation),
        "editor of another group": ("editor", org_b),
        "member of the group": ("member", listed.organisation),
    }[who]
    user = make_user(role, organisation)
    before = written()

    with pytest.raises(PermissionDenied):
        services.designation_update(actor=user, designation_id=listed.id, values={"removed_on": "2024-01-15"})
    with pytest.raises(PermissionDenied):
        services.designation_remove(actor=user, designation_id=listed.id)

    assert written() == before
    listed.refresh_from_db()
    assert listed.removed_on is None and listed.deleted_at is None


def test_a_coordinator_of_another_group_keeps_its_designations(make_user, listed, org_b):
    coordinator = make_user("coordinator", org_b)
    services.designation_update(
        actor=coordinator, designation_id=listed.id, values={"removed_on": "2024-01-15"}
    )
    listed.refresh_from_db()
    assert listed.removed_on == dt.date(2024, 1, 15)


def test_a_stale_designation_version_is_a_conflict_and_the_newer_change_survives(make_user, listed):
    editor = make_user("editor", listed.organisation)
    services.designation_update(
        actor=editor, designation_id=listed.id, values={"register_entry": "№ 12"}, expected_version=1
    )
    before = written()

    with pytest.raises(Conflict):
        services.designation_update(
            actor=editor, designation_id=listed.id, values={"register_entry": "№ 13"}, expected_version=1
        )

    assert written() == before
    listed.refresh_from_db()
    assert listed.register_entry == "№ 12"


def test_removing_a_designation_recorded_by_mistake_writes_one_delete(make_user, listed):
    editor = make_user("editor", listed.organisation)
    before = written()

    services.designation_remove(actor=editor, designation_id=listed.id)

    assert written() == (before[0] + 1, before[1] + 1)
    assert ChangeLogEntry.objects.latest("seq").operation == "delete"
    listed.refresh_from_db()
    assert listed.deleted_at is not None
    with pytest.raises(NotFound):
        services.designation_remove(actor=editor, designation_id=listed.id)
    with pytest.raises(NotFound):
        services.designation_update(
            actor=editor, designation_id=listed.id, values={"removed_on": "2024-01-01"}
        )
    with pytest.raises(NotFound):
        services.designation_update(actor=editor, designation_id="not-an-id", values={})


def test_a_designation_of_a_deleted_organisation_is_not_found(make_user, listed):
    editor = make_user("editor", listed.organisation)
    services.organisation_delete(actor=editor, organisation_id=listed.organisation_id)
    before = written()
    with pytest.raises(NotFound):
        services.designation_remove(actor=editor, designation_id=listed.id)
    assert written() == before


def test_correcting_a_position_writes_one_row_with_the_changed_columns(make_user, held):
    editor = make_user("editor", held.person.steward)
    before = written()

    position = services.position_update(
        actor=editor,
        position_id=held.id,
        values={"title": "юрист", "started": "2019-05", "ended": "~2023"},
        expected_version=1,
    )

    assert written() == (before[0] + 1, before[1] + 1)
    assert ChangeLogEntry.objects.latest("seq").changed_fields == ["ended_on", "ended_precision"]
    held.refresh_from_db()
    assert (held.ended_on, held.ended_precision, held.version) == (dt.date(2023, 1, 1), "estimate", 2)
    assert position.version == 2 and held.started_precision == "month"


def test_a_position_change_that_changes_nothing_writes_nothing(make_user, held):
    editor = make_user("editor", held.person.steward)
    before = written()
    services.position_update(
        actor=editor, position_id=held.id, values={"title": "юрист", "started": "2019-05"}
    )
    services.position_update(actor=editor, position_id=held.id, values={})
    assert written() == before


@pytest.mark.parametrize(
    ("values", "bad_field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"started": "весной-XYZ"}, "started"),
        ({"ended": "2023-13"}, "ended"),
        ({"ended": 2023}, "ended"),
        ({"organisation": "XYZ"}, "organisation"),
    ],
)
def test_a_bad_position_change_names_the_field_repeats_no_value_and_writes_nothing(
    make_user, held, values, bad_field
):
    editor = make_user("editor", held.person.steward)
    before = written()

    with pytest.raises(ValidationFailed) as caught:
        services.position_update(actor=editor, position_id=held.id, values=values)

    assert bad_field in caught.value.fields and "XYZ" not in str(caught.value.fields)
    assert written() == before
    held.refresh_from_db()
    assert (held.title, held.version) == ("юрист", 1)


@pytest.mark.parametrize("who", ["viewer of the keeper", "member of the keeper", "editor of another group"])
def test_only_writers_of_the_persons_keeper_correct_or_remove_a_position(make_user, held, org_b, who):
    # The position is at group B, but the person is kept by group A: group B's keepers do not decide.
    role, organisation = {
        "viewer of the keeper": ("viewer", held.person.steward),
        "member of the keeper": ("member", held.person.steward),
        "editor of another group": ("editor", org_b),
    }[who]
    user = make_user(role, organisation)
    before = written()

    with pytest.raises(PermissionDenied):
        services.position_update(actor=user, position_id=held.id, values={"ended": "2023"})
    with pytest.raises(PermissionDenied):
        services.position_remove(actor=user, position_id=held.id)

    assert written() == before
    held.refresh_from_db()
    assert held.ended_on is None and held.deleted_at is None


def test_a_stale_position_version_is_a_conflict(make_user, held):
    editor = make_user("editor", held.person.steward)
    services.position_update(
        actor=editor, position_id=held.id, values={"title": "адвокат"}, expected_version=1
    )
    before = written()
    with pytest.raises(Conflict):
        services.position_update(
            actor=editor, position_id=held.id, values={"title": "юрист"}, expected_version=1
        )
    assert written() == before
    held.refresh_from_db()
    assert held.title == "адвокат"


def test_removing_a_position_writes_one_delete_and_it_is_gone(make_user, held):
    editor = make_user("editor", held.person.steward)
    before = written()

    services.position_remove(actor=editor, position_id=held.id)

    assert written() == (before[0] + 1, before[1] + 1)
    held.refresh_from_db()
    assert held.deleted_at is not None
    with pytest.raises(NotFound):
        services.position_update(actor=editor, position_id=held.id, values={"title": "x"})
    with pytest.raises(NotFound):
        services.position_remove(actor=editor, position_id="not-an-id")


@pytest.mark.parametrize(
    ("write", "field"),
    [
        (
            lambda actor, org: services.designation_add(
                actor=actor, organisation_id=org.id, kind="CANARY-KIND", listed_on="2022-04-08"
            ),
            "kind",
        ),
        (
            lambda actor, org: services.designation_add(
                actor=actor, organisation_id=org.id, kind="undesirable", listed_on="CANARY-2022-02-30"
            ),
            "listed_on",
        ),
        (
            lambda actor, org: services.contact_add(
                actor=actor, organisation_id=org.id, kind="CANARY-KIND", value="x", tier="network"
            ),
            "kind",
        ),
        (
            lambda actor, org: services.organisation_update(
                actor=actor, organisation_id=org.id, values={"status": "CANARY-STATUS"}
            ),
            "status",
        ),
    ],
)
def test_error_messages_name_the_field_and_never_repeat_what_was_typed(make_user, org_a, write, field):
    editor = make_user("editor", org_a)
    with pytest.raises(ValidationFailed) as caught:
        write(editor, org_a)
    assert field in caught.value.fields
    assert "CANARY" not in str(caught.value.fields) and "CANARY" not in caught.value.message


def test_a_member_edits_a_note_that_names_whom_to_ask_without_seeing_or_touching_that_field(make_user, org_a):
    lawyer, member = make_user("lawyer", org_a), make_user("member", org_a)
    note = services.practice_note_create(
        actor=lawyer,
        organisation_id=org_a.id,
        values={"area": "legal-aid", "title": "T", "summary": "S", "who_to_ask": "Имя"},
    )
    services.practice_note_update(actor=member, note_id=note.id, values={"lessons": "Звонить заранее."})
    with pytest.raises(PermissionDenied):
        services.practice_note_update(actor=member, note_id=note.id, values={"who_to_ask": ""})
    note.refresh_from_db()
    assert (note.lessons, opened(note, lawyer)["who_to_ask"]) == ("Звонить заранее.", "Имя")

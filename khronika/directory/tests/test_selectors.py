"""Directory reads: what each reader sees, filters, networking, coverage gaps."""

import pytest

from khronika.core.errors import NotAuthenticated, NotFound
from khronika.core.models import AuditEntry
from khronika.core.projection import SEALED
from khronika.directory import selectors
from khronika.directory.models import AreaOfWork, Region
from khronika.directory.selectors import OrganisationFilters
from khronika.testing.factories import ContactPointFactory, OrganisationFactory, PracticeNoteFactory
from khronika.testing.keys import opening_for

pytestmark = pytest.mark.django_db


def region(code):
    return Region.objects.get(code=code)


@pytest.fixture
def group_b_with_secrets(org_b):
    org_b.internal_notes = "CANARY-B-INTERNAL"
    org_b.save()
    for tier in ("public", "network", "internal", "protected"):
        ContactPointFactory(organisation=org_b, tier=tier, value=f"CANARY-B-CONTACT-{tier}")
    PracticeNoteFactory(
        organisation=org_b, tier="internal", title="CANARY-B-NOTE-internal", who_to_ask="CANARY-B-WHO"
    )
    return org_b


def contact_values(card):
    return {c.get("value") for c in card.contacts}


def test_a_member_of_group_a_sees_group_b_only_up_to_the_network_tier(make_user, org_a, group_b_with_secrets):
    member = make_user("member", org_a)
    card = selectors.organisation_get(actor=member, organisation_id=group_b_with_secrets.id)
    assert "internal_notes" not in card
    assert contact_values(card) == {"CANARY-B-CONTACT-public", "CANARY-B-CONTACT-network"}
    assert card.practice_notes == []
    assert "CANARY-B" not in repr(card).replace("CANARY-B-CONTACT-public", "").replace(
        "CANARY-B-CONTACT-network", ""
    )


def test_group_b_reads_its_own_internal_fields_and_identity_roles_its_protected_ones(
    make_user, group_b_with_secrets
):
    editor = make_user("editor", group_b_with_secrets)
    card = selectors.organisation_get(actor=editor, organisation_id=group_b_with_secrets.id)
    assert card.internal_notes == "CANARY-B-INTERNAL"
    assert "CANARY-B-CONTACT-internal" in contact_values(card)
    assert "CANARY-B-CONTACT-protected" not in contact_values(card)
    assert "who_to_ask" not in card.practice_notes[0]

    lawyer = make_user("lawyer", group_b_with_secrets)
    closed = selectors.organisation_get(actor=lawyer, organisation_id=group_b_with_secrets.id)
    assert SEALED in contact_values(closed) and closed.practice_notes[0].who_to_ask is SEALED
    assert closed.sealed == 2 and not closed.opened

    card = selectors.organisation_get(
        actor=lawyer, organisation_id=group_b_with_secrets.id, opening=opening_for(lawyer, purpose="contact")
    )
    assert "CANARY-B-CONTACT-protected" in contact_values(card)
    assert card.practice_notes[0].who_to_ask == "CANARY-B-WHO"
    assert card.sealed == 0 and card.opened
    opened = AuditEntry.objects.filter(action__endswith=".open", actor=lawyer.pseudonym, purpose="contact")
    assert opened.count() == 2


def test_the_public_card_holds_public_fields_of_public_organisations_only(group_b_with_secrets):
    with pytest.raises(NotFound):
        selectors.organisation_get(actor=None, organisation_id=group_b_with_secrets.id, public_only=True)
    group_b_with_secrets.is_public = True
    group_b_with_secrets.save()
    card = selectors.organisation_get(actor=None, organisation_id=group_b_with_secrets.id, public_only=True)
    assert contact_values(card) == {"CANARY-B-CONTACT-public"}
    assert "steward_id" not in card and "relationships" not in card and "people" not in card
    assert "CANARY-B-INTERNAL" not in repr(card)


def test_staff_reads_need_a_signed_in_active_user(org_a, make_user):
    with pytest.raises(NotAuthenticated):
        selectors.organisation_list(actor=None, filters=OrganisationFilters())
    disabled = make_user("editor", org_a, is_active=False)
    with pytest.raises(NotAuthenticated):
        selectors.organisation_get(actor=disabled, organisation_id=org_a.id)


def test_filters_by_region_district_area_with_its_sub_areas_kind_and_status(make_user, org_a):
    viewer = make_user("viewer", org_a)
    tver = OrganisationFactory(home_region=region("RU-TVE"), areas=["protest-detentions"], kind="ngo")
    perm = OrganisationFactory(home_region=region("RU-PER"), areas=["elections"], status="dormant")

    def names(**filters):
        return set(selectors.organisation_list(actor=viewer, filters=OrganisationFilters(**filters)))

    assert tver in names(region="RU-TVE") and perm not in names(region="RU-TVE")
    assert tver in names(district="central") and perm in names(district="volga")
    assert names(area="freedom-of-assembly") == {tver}
    assert names(kind="ngo") == {tver}
    assert perm in names(status="dormant") and tver not in names(status="dormant")
    assert names(q=tver.name_ru[-4:]) >= {tver}


def test_the_list_page_rows_cost_a_fixed_number_of_queries(make_user, org_a, django_assert_max_num_queries):
    viewer = make_user("viewer", org_a)
    for _ in range(30):
        OrganisationFactory(home_region=region("RU-TVE"), areas=["elections", "legal-aid"])
    with django_assert_max_num_queries(3):
        page = list(selectors.organisation_list(actor=viewer, filters=OrganisationFilters())[:25])
        rows = selectors.organisation_rows(page, actor=viewer)
    assert len(rows) == 25 and all(row.areas for row in rows if row.id != org_a.id)


def test_who_works_near_ranks_same_region_then_neighbour_then_district(make_user, org_a):
    viewer = make_user("viewer", org_a)
    district = OrganisationFactory(
        name_ru="В округе", home_region=region("RU-MOW"), areas=["protest-detentions"]
    )
    neighbour = OrganisationFactory(
        name_ru="По соседству", home_region=region("RU-MOS"), areas=["freedom-of-assembly"]
    )
    same = OrganisationFactory(name_ru="Здесь", home_region=region("RU-TVE"), areas=["protest-detentions"])
    OrganisationFactory(name_ru="Далеко", home_region=region("RU-PER"), areas=["protest-detentions"])
    OrganisationFactory(
        name_ru="Закрыта", home_region=region("RU-TVE"), areas=["protest-detentions"], status="closed"
    )
    OrganisationFactory(name_ru="Другое", home_region=region("RU-TVE"), areas=["elections"])

    rows = selectors.organisations_near(actor=viewer, area="freedom-of-assembly", region="RU-TVE")

    assert [row.id for row in rows] == [same.id, neighbour.id, district.id]
    assert [row.proximity for row in rows] == ["same_region", "neighbour", "same_district"]
    with pytest.raises(NotFound):
        selectors.organisations_near(actor=viewer, area="nope", region="RU-TVE")


def test_practice_notes_in_the_area_break_ties_between_equally_near_groups(make_user, org_a):
    viewer = make_user("viewer", org_a)
    quiet = OrganisationFactory(name_ru="А-тихая", home_region=region("RU-TVE"), areas=["legal-aid"])
    active = OrganisationFactory(name_ru="Я-активная", home_region=region("RU-TVE"), areas=["legal-aid"])
    PracticeNoteFactory(organisation=active, area=AreaOfWork.objects.get(code="hotline"))
    rows = selectors.organisations_near(actor=viewer, area="legal-aid", region="RU-TVE")
    assert [row.id for row in rows][:2] == [active.id, quiet.id]


def test_groups_like_this_one_share_areas_first_and_nearness_second(make_user, org_a):
    viewer = make_user("viewer", org_a)
    me = OrganisationFactory(home_region=region("RU-TVE"), areas=["elections", "legal-aid"])
    twin_far = OrganisationFactory(home_region=region("RU-PER"), areas=["elections", "legal-aid"])
    half_near = OrganisationFactory(home_region=region("RU-TVE"), areas=["elections", "womens-rights"])
    OrganisationFactory(home_region=region("RU-TVE"), areas=["hazing"])
    rows = selectors.organisations_similar(actor=viewer, organisation_id=me.id)
    assert [row.id for row in rows] == [twin_far.id, half_near.id]


def test_coverage_gaps_count_active_groups_by_top_level_area(make_user, org_a):
    viewer = make_user("viewer", org_a)
    OrganisationFactory(home_region=region("RU-TVE"), areas=["protest-detentions"])
    OrganisationFactory(home_region=region("RU-TVE"), areas=["freedom-of-assembly"], status="liquidated")
    gaps = selectors.coverage_gaps(actor=viewer, district="central")
    assert gaps.count("RU-TVE", "freedom-of-assembly") == 1
    assert gaps.count("RU-MOS", "freedom-of-assembly") == 0
    assert all(r.federal_district == "central" for r in gaps.regions)
    assert all(a.parent_id is None for a in gaps.areas)
    assert gaps.gap_count == len(gaps.regions) * len(gaps.areas) - len(gaps.covered)


def test_lists_follow_the_alphabet_of_the_readers_language(make_user, org_a):
    viewer = make_user("viewer", org_a)
    for name_ru, name_en in [("Авангард", "Zenith"), ("Ястреб", "Albatross"), ("Берег", "")]:
        OrganisationFactory(name_ru=name_ru, name_en=name_en, kind="media", is_public=True)
    filters = OrganisationFilters(kind="media")

    def names(queryset):
        return [org.name_ru for org in queryset]

    assert names(selectors.organisation_list(actor=viewer, filters=filters)) == [
        "Авангард",
        "Берег",
        "Ястреб",
    ]
    # In English, an organisation without an English name sorts by its Russian one (Cyrillic after Latin).
    assert names(selectors.organisation_list(actor=viewer, filters=filters, language="en")) == [
        "Ястреб",
        "Авангард",
        "Берег",
    ]
    assert names(selectors.public_organisation_list(filters=filters, language="en")) == [
        "Ястреб",
        "Авангард",
        "Берег",
    ]

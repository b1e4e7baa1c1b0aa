"""Pages with their total: the same answer whether the total comes from a window or a separate count."""

import pytest

from khronika.core.pagination import page_with_total, slice_with_total
from khronika.directory.models import Organisation
from khronika.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty():
    for n in range(30):
        OrganisationFactory(name_ru=f"Группа {n:02d}", kind="ngo" if n % 3 else "media")
    return Organisation.objects.order_by("name_ru")


@pytest.mark.parametrize("filtered", [True, False])
def test_a_slice_and_the_total_agree_with_a_plain_count(thirty, filtered):
    ngos = thirty.filter(kind="ngo")
    total, rows = slice_with_total(ngos, offset=5, limit=10, filtered=filtered)
    assert total == ngos.count() == 20
    assert [o.id for o in rows] == [o.id for o in ngos[5:15]]
    assert slice_with_total(ngos, offset=40, limit=10, filtered=filtered) == (20, [])


@pytest.mark.parametrize(("asked", "given"), [(1, 1), (2, 2), ("2", 2), (9, 2), ("x", 1), (None, 1), (-3, 1)])
def test_a_page_number_out_of_range_or_not_a_number_gives_the_nearest_page(thirty, asked, given):
    ngos = thirty.filter(kind="ngo")
    page = page_with_total(ngos, number=asked, per_page=15, filtered=True)
    assert page.number == given
    assert page.paginator.count == 20 and page.paginator.num_pages == 2
    assert len(page.object_list) == (15 if given == 1 else 5)


def test_an_empty_result_is_one_empty_page(thirty):
    page = page_with_total(thirty.filter(kind="court"), number=3, per_page=25, filtered=True)
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])

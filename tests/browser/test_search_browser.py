"""Search as a person uses it, in Debian's Chromium: matches listed under the header's box while typing,
the results page with highlighted words, and a facet that narrows the results without reloading."""

from __future__ import annotations

import pytest

from khronika.directory.models import Region
from khronika.directory.reference import reference_load
from khronika.search.indexer import index_rebuild
from khronika.testing.factories import TEST_PASSWORD, OrganisationFactory, PersonFactory, UserFactory

from .test_directory_browser import browser  # noqa: F401  # the same Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network():
    reference_load()
    tver, perm = Region.objects.get(code="RU-TVE"), Region.objects.get(code="RU-PER")
    ours = OrganisationFactory(
        name_ru="Тверская группа",
        name_en="Tver group",
        home_region=tver,
        description="Помощь задержанным на акциях.",
    )
    OrganisationFactory(
        name_ru="Пермская группа", name_en="Perm group", home_region=perm, description="Задержания и суды."
    )
    PersonFactory(steward=ours, name_ru="Шевченко Тарас Григорьевич", name_en="")
    UserFactory(username="editor.tver", organisation=ours, role="editor")
    # Factories write rows without the change log the index follows; a node's services never do.
    index_rebuild()


def test_typing_lists_matches_and_facets_narrow_the_results(live_server, browser, network):  # noqa: F811
    page = browser.new_context(locale="en-GB").new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/directory/")
    page.fill("input[name=username]", "editor.tver")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form[action*='login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    # Typing a Latin spelling lists the Cyrillic name under the box, before any submit.
    page.locator("#header-q").press_sequentially("Shevch", delay=40)
    suggestion = page.locator("#header-suggestions").get_by_role("link", name="Шевченко Тарас Григорьевич")
    suggestion.wait_for()

    # Enter opens the results page; the matching word is marked.
    page.locator("#header-q").fill("задержания")
    page.locator("#header-q").press("Enter")
    page.wait_for_url(lambda url: "/search/" in url)
    assert page.locator("ol.results li").count() == 2
    assert page.locator("ol.results mark").first.inner_text().lower().startswith("задержан")

    # A facet narrows the results in place, and the address keeps the filter.
    page.get_by_label("Perm Krai").check()
    page.wait_for_url(lambda url: "region=RU-PER" in url)
    page.wait_for_function("document.querySelectorAll('ol.results li').length === 1")
    assert "Пермская группа" in page.locator("ol.results").inner_text()
    assert errors == []

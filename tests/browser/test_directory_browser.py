"""The directory as a person uses it, in Debian's Chromium driven by Playwright: sign in, filter, open an
organisation, edit it, then look at the public directory as an anonymous visitor."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections

from khronika.directory.models import Region
from khronika.directory.reference import reference_load
from khronika.testing.factories import TEST_PASSWORD, ContactPointFactory, OrganisationFactory, UserFactory
from khronika.testing.matrix import current_code
from khronika.testing.second_factor import confirmed_authenticator

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's background services try to reach the network at start; this machine has none to reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); `make test` installs it")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
        # Database connections opened while Playwright ran belong to its context; close them here, or
        # PostgreSQL keeps the test database open after the run.
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def network():
    reference_load()  # transactional tests start from an emptied database
    tver, perm = Region.objects.get(code="RU-TVE"), Region.objects.get(code="RU-PER")
    ours = OrganisationFactory(
        name_ru="Тверская правозащитная группа",
        name_en="Tver Human Rights Group",
        home_region=tver,
        areas=["legal-aid"],
        is_public=True,
        internal_notes="CANARY-BROWSER-INTERNAL",
    )
    # A lawyer of the group, there before its first protected value: a holder of the group key.
    lawyer = UserFactory(username="lawyer.tver", organisation=ours, role="lawyer")
    confirmed_authenticator(lawyer)
    ContactPointFactory(organisation=ours, tier="protected", value="CANARY-BROWSER-PROTECTED")
    ContactPointFactory(organisation=ours, tier="public", value="tver@example.org")
    OrganisationFactory(name_ru="Пермская группа", name_en="Perm Group", home_region=perm, is_public=True)
    editor = UserFactory(username="editor.tver", organisation=ours, role="editor")
    return {"ours": ours, "editor": editor, "lawyer": lawyer}


def test_sign_in_filter_open_edit_and_see_the_public_directory(live_server, browser, network):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    outside_requests = []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else outside_requests.append(r.url)
    )

    # Sign in: the directory asks for it first.
    page.goto(f"{live_server.url}/directory/")
    page.fill("input[name=username]", "editor.tver")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form[action*='login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    assert page.get_by_role("link", name="Perm Group").is_visible()

    # Filter by region: the Perm group leaves the list.
    page.select_option("select[name=region]", "RU-TVE")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    results = page.locator("#results")
    assert results.get_by_role("link", name="Tver Human Rights Group").is_visible()
    assert results.get_by_role("link", name="Perm Group").count() == 0

    # Open our organisation: an editor of the group reads its internal notes.
    results.get_by_role("link", name="Tver Human Rights Group").click()
    page.wait_for_load_state("networkidle")
    assert "CANARY-BROWSER-INTERNAL" in page.content()

    # Edit it.
    page.get_by_role("link", name="Edit").click()
    page.fill("textarea[name=description]", "Free legal help for people detained at protests in Tver.")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert "Free legal help for people detained at protests in Tver." in page.content()
    network["ours"].refresh_from_db()
    assert network["ours"].description.startswith("Free legal help")
    assert network["ours"].version == 2
    context.close()

    # The public directory, as an anonymous visitor: public fields only, and no cookie.
    visitor = browser.new_context(locale="en-GB")
    public = visitor.new_page()
    public.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else outside_requests.append(r.url)
    )
    public.goto(f"{live_server.url}/public/?lang=en")
    public.get_by_role("link", name="Tver Human Rights Group").click()
    public.wait_for_load_state("networkidle")
    html = public.content()
    assert "Free legal help for people detained at protests in Tver." in html
    assert "tver@example.org" in html
    assert "CANARY-BROWSER-INTERNAL" not in html and "CANARY-BROWSER-PROTECTED" not in html
    assert visitor.cookies() == []
    visitor.close()
    assert outside_requests == []


def test_a_lawyer_signs_in_with_the_second_factor_and_opens_a_sealed_contact_for_a_stated_purpose(
    live_server, browser, network
):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    outside_requests = []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else outside_requests.append(r.url)
    )
    detail = f"{live_server.url}/directory/organisations/{network['ours'].id}/"

    # Sign in: the password, then the code of the authenticator app.
    page.goto(detail)
    page.fill("input[name=username]", "lawyer.tver")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form[action*='login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/second-factor/" in url)
    page.fill("input[name=code]", current_code(network["lawyer"]))
    page.locator("form[action*='second-factor'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/second-factor/" not in url)
    keyring = [c for c in context.cookies() if c["name"] == "khronika_keyring"]
    assert len(keyring) == 1 and keyring[0]["httpOnly"] and keyring[0]["sameSite"] == "Strict"

    # The organisation's page shows the protected contact sealed until the lawyer says why.
    page.goto(detail)
    assert "CANARY-BROWSER-PROTECTED" not in page.content()
    assert "1 protected value is sealed." in page.content()
    page.select_option("select[name=purpose]", "contact")
    page.get_by_role("button", name="Open").click()
    page.wait_for_load_state("networkidle")
    assert "CANARY-BROWSER-PROTECTED" in page.content()
    assert "purpose=contact" in page.url and "CANARY" not in page.url

    # Signing out takes the browser's half of the keyring with it.
    page.locator("form[action*='logout'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert [c for c in context.cookies() if c["name"] == "khronika_keyring"] == []
    context.close()
    assert outside_requests == []

"""The Content-Security-Policy as Chromium enforces it: a member signs in, filters the organisation list
(an htmx request), opens pages of every kind, and the public directory is read, without the browser
reporting a single violation and without a request to another origin."""

from __future__ import annotations

import os

import pytest
from django.db import connections

from khronika.directory.models import Region
from khronika.directory.reference import reference_load
from khronika.testing.factories import TEST_PASSWORD, OrganisationFactory, PersonFactory, UserFactory
from tests.browser.test_directory_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script, outside the page's policy: keeps every violation the page reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); `make test` installs it")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def network():
    reference_load()
    tver, perm = Region.objects.get(code="RU-TVE"), Region.objects.get(code="RU-PER")
    ours = OrganisationFactory(name_en="Tver Human Rights Group", home_region=tver, is_public=True)
    OrganisationFactory(name_en="Perm Group", home_region=perm, is_public=True)
    PersonFactory(steward=ours, name_en="Anna Ivanova")
    UserFactory(username="editor.tver", organisation=ours, role="editor")
    return ours


class Watcher:
    """Everything a page tells about the policy: console messages and violation events."""

    def __init__(self, page, origin: str) -> None:
        self.page, self.origin = page, origin
        self.console: list[str] = []
        self.outside: list[str] = []
        self.htmx_requests: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("request", self._request)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def _request(self, request) -> None:
        if not request.url.startswith(self.origin):
            self.outside.append(request.url)
        elif request.headers.get("hx-request") == "true":
            self.htmx_requests.append(request.url)

    def visit(self, path: str) -> None:
        self.page.goto(f"{self.origin}{path}")
        self.page.wait_for_load_state("networkidle")
        self.assert_clean(path)

    def assert_clean(self, where: str) -> None:
        events = self.page.evaluate("window.__cspViolations")
        assert events == [], (where, events)
        assert self.console == [], (where, self.console)


def test_no_page_breaks_the_policy(live_server, chromium, network):
    context = chromium.new_context(locale="en-GB")
    page = context.new_page()
    watcher = Watcher(page, live_server.url)

    # The organisation list asks for a sign-in first; the sign-in page is under the policy too.
    watcher.visit("/directory/")
    page.fill("input[name=username]", "editor.tver")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form[action*='login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    page.wait_for_load_state("networkidle")
    watcher.assert_clean("the organisation list")
    assert page.evaluate("typeof window.htmx") == "object"  # the vendored script ran

    # Filtering goes through htmx: its request and swap must work under the policy.
    page.select_option("select[name=region]", "RU-TVE")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    page.locator("#results").get_by_role("link", name="Perm Group").wait_for(state="detached")
    assert watcher.htmx_requests, "the filter did not go through htmx"
    watcher.assert_clean("the filtered list")

    for path in (
        f"/directory/organisations/{network.id}/",
        f"/directory/organisations/{network.id}/edit/",
        "/directory/persons/",
        "/directory/near/",
        "/directory/gaps/",
        "/accounts/me/",
    ):
        watcher.visit(path)
    context.close()

    visitor = chromium.new_context(locale="en-GB")
    public = Watcher(visitor.new_page(), live_server.url)
    public.visit("/public/?lang=en")
    public.visit(f"/public/organisations/{network.id}/?lang=en")
    visitor.close()

    assert watcher.outside == [] and public.outside == []

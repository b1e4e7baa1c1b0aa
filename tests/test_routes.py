"""Every route of the staff interface asks an anonymous visitor to sign in; only the public site, the
sign-in page, the language switch and the API (which answers 401 itself) are open."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

OPEN_PREFIXES = ("public/", "api/v1/", "static/")
OPEN_NAMES = {"accounts:login", "accounts:language"}


def routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}" if pattern.name else ""


def concrete(route):
    route = re.sub(r"<uuid:[a-z_]+>", lambda _match: str(uuid.uuid4()), route)
    route = re.sub(r"<str:[a-z_]+>", "directory.contactpoint", route)
    route = re.sub(r"<slug:[a-z_]+>", "event-types", route)
    return "/" + route.lstrip("^").rstrip("$")


STAFF_ROUTES = [
    (route, name)
    for route, name in routes()
    if not route.startswith(OPEN_PREFIXES) and name not in OPEN_NAMES
]


def test_every_staff_route_can_be_called_with_made_up_ids():
    assert [route for route, _name in STAFF_ROUTES if "<" in concrete(route)] == []


def test_the_staff_routes_were_found():
    names = {name for _route, name in STAFF_ROUTES}
    assert {"directory:organisation_list", "directory:organisation_edit", "directory:coverage_gaps"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), STAFF_ROUTES, ids=[name or route for route, name in STAFF_ROUTES])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, route, name):
    for method in (client.get, client.post):
        response = method(concrete(route))
        assert response.status_code == 302, (method.__name__, route)
        assert response["Location"].startswith("/accounts/login/")

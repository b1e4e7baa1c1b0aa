"""An organisation's page and API answer cost the same number of queries whatever hangs on it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khronika.directory.models import Position, Relationship
from khronika.testing.factories import (
    ContactPointFactory,
    OrganisationFactory,
    PersonFactory,
    PracticeNoteFactory,
)

pytestmark = pytest.mark.django_db


def add_links(org, count):
    for _ in range(count):
        ContactPointFactory(organisation=org, tier="network")
        Position.objects.create(person=PersonFactory(steward=org), organisation=org, title="юрист", version=1)
        partner = OrganisationFactory(areas=["legal-aid"])
        Relationship.objects.create(source=org, target=partner, kind="partner", version=1)
        PracticeNoteFactory(organisation=org)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/directory/organisations/{id}/", "/api/v1/organisations/{id}"])
def test_the_number_of_queries_does_not_grow_with_what_hangs_on_an_organisation(
    client, make_user, verified_login, url
):
    small, large = OrganisationFactory(areas=["legal-aid"]), OrganisationFactory(areas=["legal-aid"])
    add_links(small, 1)
    add_links(large, 12)
    verified_login(client, make_user("lawyer", small))
    assert queries(client, url.format(id=small.id)) == queries(client, url.format(id=large.id))

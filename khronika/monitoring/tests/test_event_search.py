"""Events in search: found by their words and their acts' words by exactly the readers who may see them;
victims' names never indexed. Run on both search backends."""

from __future__ import annotations

import pytest

from khronika.monitoring import services
from khronika.search import selectors
from khronika.search.tests.conftest import search_backend  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("search_backend")


def titles(actor, q, **kwargs):
    return [row.title for row in selectors.search_records(actor=actor, q=q, **kwargs).rows]


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def rally(monitor):
    event = services.event_create(
        actor=monitor,
        values={
            "title": "Разгон схода на Триумфальной",
            "description": "Задержания участников, жёсткое обращение в автозаке.",
            "region": "RU-MOW",
            "type": "rally",
            "started": "2011-12-04",
        },
    )
    services.act_add(
        actor=monitor,
        event_id=event.pk,
        values={
            "type": "administrative-detention",
            "victim_name": "Тайноименная Ольга",
            "police_station": "ОВД Хамовники",
        },
    )
    return event


def test_an_internal_event_is_found_by_its_group_only_and_by_its_acts_words(monitor, rally, make_user, org_b):
    assert titles(monitor, "автозаке", filters={"type": ["event"]}) == ["Разгон схода на Триумфальной"]
    assert titles(monitor, "Хамовники") == ["Разгон схода на Триумфальной"]
    outsider = make_user("monitor", org_b)
    assert titles(outsider, "Триумфальной") == []
    assert titles(None, "Триумфальной", public=True) == []

    services.event_update(actor=monitor, event_id=rally.pk, values={"tier": "network"})
    assert titles(outsider, "Хамовники") == ["Разгон схода на Триумфальной"]


def test_a_victims_name_is_never_indexed(monitor, rally):
    assert titles(monitor, "Тайноименная") == []


def test_events_are_a_type_with_facets(monitor, rally):
    result = selectors.search_records(
        actor=monitor, q="", filters={"type": ["event"], "event_type": ["rally"]}
    )
    assert [row.title for row in result.rows] == ["Разгон схода на Триумфальной"]

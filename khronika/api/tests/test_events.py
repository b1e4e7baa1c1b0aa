"""``/api/v1/events``: recording, reading, changing and chaining events over the API."""

from __future__ import annotations

import pytest
from django.test import Client

from khronika.accounts.services import api_token_create


def client_for(user):
    _token, raw = api_token_create(actor=None, user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def monitor_api(make_user, org_a):
    return client_for(make_user("monitor", org_a))


RALLY = {
    "title": "Задержания на акции",
    "started": "2012-05",
    "region": "RU-MOW",
    "type": "rally",
    "projects": ["assemblies-and-detentions"],
    "latitude": "55.7424",
    "longitude": "37.6133",
}


def test_an_event_is_recorded_read_changed_and_deleted(monitor_api):
    created = monitor_api.post("/api/v1/events", RALLY, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["tier"], body["started"], body["type"], body["projects"]) == (
        "internal",
        "2012-05",
        "rally",
        ["assemblies-and-detentions"],
    )
    assert body["latitude"] == "55.74240" and body["may_edit"] is True
    url = f"/api/v1/events/{body['id']}"
    changed = monitor_api.patch(
        url, {"version": 1, "monitoring_status": "verified"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["monitoring_status"] == "verified"
    stale = monitor_api.patch(url, {"version": 1, "title": "x"}, content_type="application/json")
    assert stale.status_code == 409
    listing = monitor_api.get("/api/v1/events", {"type": "public-assembly", "since": "2012-05-31"})
    assert listing.status_code == 200
    assert [row["title"] for row in listing.json()["items"]] == [RALLY["title"]]
    assert monitor_api.delete(url).status_code == 204
    assert monitor_api.get(url).status_code == 404


def test_bad_input_is_a_422_naming_the_fields(monitor_api):
    answer = monitor_api.post(
        "/api/v1/events", {"title": "x", "type": "concert", "started": "May"}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert set(answer.json()["error"]["fields"]) == {"type", "started"}
    unknown = monitor_api.post(
        "/api/v1/events", {"title": "x", "colour": "red"}, content_type="application/json"
    )
    assert unknown.status_code == 422
    bad_filter = monitor_api.get("/api/v1/events", {"type": "concert"})
    assert bad_filter.status_code == 422 and "type" in bad_filter.json()["error"]["fields"]


def test_another_group_and_the_public_neither_see_nor_change_an_internal_event(make_user, org_b, monitor_api):
    event_id = monitor_api.post("/api/v1/events", RALLY, content_type="application/json").json()["id"]
    outsider = client_for(make_user("coordinator", org_b))
    assert outsider.get(f"/api/v1/events/{event_id}").status_code == 404
    assert outsider.get("/api/v1/events").json()["count"] == 0
    assert (
        outsider.patch(
            f"/api/v1/events/{event_id}", {"title": "y"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert Client().get("/api/v1/events").status_code == 401


def test_events_are_chained_and_unchained(monitor_api):
    first = monitor_api.post("/api/v1/events", RALLY, content_type="application/json").json()["id"]
    second = monitor_api.post("/api/v1/events", {"title": "Суд"}, content_type="application/json").json()[
        "id"
    ]
    linked = monitor_api.post(
        f"/api/v1/events/{first}/relations",
        {"relation": "precedes", "other_event": second},
        content_type="application/json",
    )
    assert linked.status_code == 201
    again = monitor_api.post(
        f"/api/v1/events/{first}/relations",
        {"relation": "precedes", "other_event": second},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert monitor_api.delete(f"/api/v1/event-relations/{linked.json()['id']}").status_code == 204

"""``/api/v1/events/{id}/acts`` and ``/api/v1/acts/{id}``: acts over the API, their names kept sealed."""

from __future__ import annotations

from django.test import Client

from khronika.accounts.services import api_token_create
from khronika.monitoring import services


def client_for(user):
    _token, raw = api_token_create(actor=None, user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_an_act_is_recorded_counted_changed_and_deleted(make_user, org_a):
    monitor = make_user("monitor", org_a)
    api = client_for(monitor)
    event = services.event_create(actor=monitor, values={"title": "Сход", "type": "rally"})
    created = api.post(
        f"/api/v1/events/{event.pk}/acts",
        {
            "type": "administrative-detention",
            "victim_group": "участники схода",
            "victim_count": 198,
            "consequences": ["fine-imposed"],
            "detention_place": "police-station",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["victim_kind"], body["victim_count"], body["consequences"]) == (
        "group",
        198,
        ["fine-imposed"],
    )
    assert api.get(f"/api/v1/events/{event.pk}").json()["victims"] == 198

    url = f"/api/v1/acts/{body['id']}"
    changed = api.patch(url, {"version": 1, "victim_count": 200}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["victim_count"] == 200
    assert api.patch(url, {"version": 1, "notes": "x"}, content_type="application/json").status_code == 409
    bad = api.patch(url, {"victim_count": 0, "method": "levitation"}, content_type="application/json")
    assert bad.status_code == 422 and {"victim_count", "method"} <= set(bad.json()["error"]["fields"])
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert api.get(f"/api/v1/events/{event.pk}/acts").json() == []


def test_a_victims_name_stays_sealed_for_a_token_and_absent_for_a_role_below_protected(make_user, org_a):
    monitor = make_user("monitor", org_a)
    event = services.event_create(actor=monitor, values={"title": "Сход", "type": "rally"})
    api = client_for(monitor)
    created = api.post(
        f"/api/v1/events/{event.pk}/acts",
        {"type": "administrative-detention", "victim_name": "Секретова Вера", "case_number": "5-1/2012"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert "Секретова" not in created.content.decode()
    body = api.get(f"/api/v1/events/{event.pk}/acts", {"purpose": "verify"}).json()[0]
    assert body["victim_name"] is None and set(body["sealed"]) == {"victim_name", "case_number"}

    editor = client_for(make_user("editor", org_a))
    row = editor.get(f"/api/v1/acts/{body['id']}").json()
    assert "victim_name" not in row and "case_number" not in row and row["victim_kind"] == "person"
    refused = editor.post(
        f"/api/v1/events/{event.pk}/acts",
        {"type": "administrative-detention", "victim_name": "Другая"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_statistics_count_what_the_reader_may_see_and_name_a_bad_dimension(make_user, org_a, org_b):
    monitor = make_user("monitor", org_a)
    event = services.event_create(actor=monitor, values={"title": "Сход", "type": "rally", "started": "2012"})
    services.act_add(
        actor=monitor,
        event_id=event.pk,
        values={"type": "administrative-detention", "victim_group": "участники", "victim_count": "12"},
    )
    mine = client_for(monitor).get("/api/v1/statistics", {"by": "month"}).json()
    assert (mine["acts"], mine["victims"], mine["year_only"]) == (1, 12, 1)
    assert mine["rows"][0]["key"] == "2012"
    theirs = client_for(make_user("monitor", org_b)).get("/api/v1/statistics", {"by": "region"}).json()
    assert theirs["acts"] == 0 and theirs["rows"] == []
    bad = client_for(monitor).get("/api/v1/statistics", {"by": "colour"})
    assert bad.status_code == 422 and "by" in bad.json()["error"]["fields"]


def test_a_pasted_list_is_previewed_then_recorded_and_a_bad_line_is_a_422(make_user, org_a):
    monitor = make_user("monitor", org_a)
    api = client_for(monitor)
    event = services.event_create(actor=monitor, values={"title": "Сход", "type": "rally"})
    url = f"/api/v1/events/{event.pk}/detainees"
    text = "Иванов Иван\tОВД Тверской\t14:30\nПетрова Анна; ОВД Басманный"
    preview = api.post(f"{url}/preview", {"text": text}, content_type="application/json")
    assert preview.status_code == 200, preview.content
    assert [(row["line"], row["time"], row["candidates"]) for row in preview.json()] == [
        (1, "14:30", []),
        (2, "", []),
    ]
    bad = api.post(url, {"text": "Иванов\n; ОВД"}, content_type="application/json")
    assert bad.status_code == 422 and set(bad.json()["error"]["fields"]) == {"line 2"}
    added = api.post(url, {"text": text}, content_type="application/json")
    assert added.status_code == 201 and (added.json()["added"], added.json()["victims"]) == (2, 2)
    assert "Иванов" not in added.content.decode()

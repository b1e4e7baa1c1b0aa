"""The case desk over the API: a call taken, a case opened from it, worked on, and its event recorded."""

from __future__ import annotations

from django.test import Client

from khronika.accounts.services import api_token_create


def client_for(user):
    _token, raw = api_token_create(actor=None, user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_call_becomes_a_case_and_its_event_over_the_api(make_user, org_a, org_b):
    api = client_for(make_user("lawyer", org_a))
    taken = api.post(
        "/api/v1/intakes",
        {"channel": "phone", "summary": "Задержан сын", "caller_name": "Тайная", "contact": "+7 900"},
        content_type="application/json",
    )
    assert taken.status_code == 201, taken.content
    intake = taken.json()
    assert intake["contact"] is None and set(intake["sealed"]) == {"contact", "caller_name"}
    assert "Тайная" not in taken.content.decode()

    opened = api.post(
        "/api/v1/cases", {"title": "Задержание", "intake": intake["id"]}, content_type="application/json"
    )
    assert opened.status_code == 201, opened.content
    case = opened.json()
    assert case["status"] == "intake" and "assessment" in case["transitions"]
    moved = api.patch(
        f"/api/v1/cases/{case['id']}", {"version": 1, "status": "referred"}, content_type="application/json"
    )
    assert moved.status_code == 422 and "status" in moved.json()["error"]["fields"]
    assert (
        api.post(
            f"/api/v1/cases/{case['id']}/tasks",
            {"title": "Найти адвоката", "due": "2026-11-23"},
            content_type="application/json",
        ).status_code
        == 201
    )
    recorded = api.post(
        f"/api/v1/cases/{case['id']}/event",
        {
            "event": {"title": "Задержание у метро", "type": "rally"},
            "act": {"type": "administrative-detention"},
        },
        content_type="application/json",
    )
    assert recorded.status_code == 201, recorded.content
    event_id = recorded.json()["event"]
    assert [row["id"] for row in api.get(f"/api/v1/events/{event_id}/cases").json()] == [case["id"]]
    timeline = api.get(f"/api/v1/cases/{case['id']}/timeline").json()
    assert [entry["what"] for entry in timeline][:2] == ["intake", "case"]

    outsider = client_for(make_user("lawyer", org_b))
    assert outsider.get(f"/api/v1/cases/{case['id']}").status_code == 404
    assert outsider.get("/api/v1/cases").json()["count"] == 0

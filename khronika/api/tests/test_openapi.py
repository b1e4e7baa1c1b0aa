"""The OpenAPI document: public, loads, and lists every endpoint; no docs page that would load a CDN."""

from __future__ import annotations

from django.test import Client

EXPECTED_OPERATIONS = {
    ("patch", "/designations/{designation_id}"),
    ("delete", "/designations/{designation_id}"),
    ("patch", "/positions/{position_id}"),
    ("delete", "/positions/{position_id}"),
    ("delete", "/relationships/{relationship_id}"),
    ("get", "/organisations"),
    ("post", "/organisations"),
    ("get", "/organisations/{organisation_id}"),
    ("patch", "/organisations/{organisation_id}"),
    ("delete", "/organisations/{organisation_id}"),
    ("get", "/organisations/{organisation_id}/similar"),
    ("get", "/organisations/{organisation_id}/history"),
    ("post", "/organisations/{organisation_id}/contacts"),
    ("delete", "/contacts/{contact_id}"),
    ("post", "/organisations/{organisation_id}/designations"),
    ("post", "/organisations/{organisation_id}/relationships"),
    ("post", "/organisations/{organisation_id}/practice-notes"),
    ("patch", "/practice-notes/{note_id}"),
    ("delete", "/practice-notes/{note_id}"),
    ("get", "/persons"),
    ("post", "/persons"),
    ("get", "/persons/{person_id}"),
    ("patch", "/persons/{person_id}"),
    ("post", "/persons/{person_id}/positions"),
    ("post", "/persons/{person_id}/contacts"),
    ("get", "/regions"),
    ("get", "/areas"),
    ("get", "/events"),
    ("post", "/events"),
    ("get", "/events/{event_id}"),
    ("patch", "/events/{event_id}"),
    ("delete", "/events/{event_id}"),
    ("post", "/events/{event_id}/relations"),
    ("delete", "/event-relations/{relation_id}"),
    ("get", "/events/{event_id}/acts"),
    ("post", "/events/{event_id}/acts"),
    ("get", "/acts/{act_id}"),
    ("patch", "/acts/{act_id}"),
    ("delete", "/acts/{act_id}"),
    ("get", "/statistics"),
    ("post", "/events/{event_id}/detainees/preview"),
    ("post", "/events/{event_id}/detainees"),
    ("post", "/acts/{act_id}/involvements"),
    ("patch", "/involvements/{involvement_id}"),
    ("delete", "/involvements/{involvement_id}"),
    ("get", "/events/{event_id}/information"),
    ("post", "/events/{event_id}/information"),
    ("patch", "/information/{information_id}"),
    ("delete", "/information/{information_id}"),
    ("get", "/events/{event_id}/interventions"),
    ("post", "/events/{event_id}/interventions"),
    ("patch", "/interventions/{intervention_id}"),
    ("delete", "/interventions/{intervention_id}"),
    ("get", "/intakes"),
    ("post", "/intakes"),
    ("get", "/intakes/{intake_id}"),
    ("patch", "/intakes/{intake_id}"),
    ("get", "/cases"),
    ("post", "/cases"),
    ("get", "/cases/{case_id}"),
    ("patch", "/cases/{case_id}"),
    ("get", "/cases/{case_id}/timeline"),
    ("post", "/cases/{case_id}/notes"),
    ("post", "/cases/{case_id}/tasks"),
    ("patch", "/tasks/{task_id}"),
    ("get", "/tasks/mine"),
    ("get", "/cases/{case_id}/partners"),
    ("post", "/cases/{case_id}/referrals"),
    ("get", "/referrals/received"),
    ("post", "/referrals/{referral_id}/answer"),
    ("post", "/cases/{case_id}/event"),
    ("put", "/cases/{case_id}/event"),
    ("get", "/events/{event_id}/cases"),
    ("put", "/help-desk"),
    ("post", "/events/{event_id}/documents"),
    ("post", "/cases/{case_id}/documents"),
    ("get", "/events/{event_id}/documents"),
    ("get", "/cases/{case_id}/documents"),
    ("get", "/documents/{document_id}/content"),
    ("delete", "/documents/{document_id}"),
    ("post", "/monitoring-projects"),
    ("get", "/vocabularies"),
    ("get", "/vocabularies/{code}"),
    ("get", "/networking/near"),
    ("get", "/networking/gaps"),
    ("get", "/search"),
    ("get", "/me"),
}


def test_openapi_document_lists_every_operation(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"] == {
        "title": "Khronika API",
        "version": "1",
        "description": document["info"]["description"],
    }
    operations = {
        (method, path.removeprefix("/api/v1")) for path, item in document["paths"].items() for method in item
    }
    assert operations == EXPECTED_OPERATIONS
    assert {"BearerToken", "BrowserSession"} <= set(document["components"]["securitySchemes"])


def test_hidden_fields_are_documented_as_optional(db):
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert "internal_notes" not in schemas["OrganisationDetail"]["required"]
    assert "name_ru" in schemas["OrganisationDetail"]["required"]


def test_no_docs_page_that_would_load_a_cdn(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code == 404
    assert b"cdn" not in response.content.lower()

"""Every error, whatever raised it, answers {"error": {"code", "message", "fields"}} and writes nothing."""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError

from khronika.api.tests.conftest import change_count, error_of
from khronika.directory import selectors
from khronika.directory.models import Organisation


def test_body_that_is_not_json_gets_422(make_user, org_a, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))
    before = change_count()

    response = client.post("/organisations", raw="{not json")

    assert response.status_code == 422
    assert error_of(response) == {
        "code": "invalid",
        "message": error_of(response)["message"],
        "fields": {"__all__": ["The body is not valid JSON."]},
    }
    assert change_count() == before


def test_body_that_is_not_an_object_gets_422(make_user, org_a, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))

    response = client.post("/organisations", ["kind", "ngo"])

    assert response.status_code == 422
    assert "__all__" in error_of(response)["fields"]


def test_wrong_types_get_422_per_field_without_echoing_the_value(make_user, org_a, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))
    before = Organisation.objects.count()

    response = client.post(
        "/organisations",
        {"kind": "ngo", "name_ru": 12345, "areas": "secret-area", "is_public": "perhaps", "colour": "red"},
    )

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "name_ru": ["Give text."],
        "areas": ["Give a list."],
        "is_public": ["Give true or false."],
        "colour": ["Unknown field."],
    }
    assert "12345" not in response.content.decode() and "secret-area" not in response.content.decode()
    assert Organisation.objects.count() == before


def test_missing_required_field_gets_422(make_user, org_a, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))

    response = client.post("/organisations", {"kind": "ngo"})

    assert response.status_code == 422
    assert error_of(response)["fields"] == {"name_ru": ["This field is required."]}


def test_query_parameter_out_of_range_gets_422(make_user, org_a, api_as):
    client = api_as(make_user(organisation=org_a))

    response = client.get("/organisations", limit=101, offset=-1)

    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "limit": ["Give a number of at most 100."],
        "offset": ["Give a number of at least 0."],
    }


def test_unknown_and_malformed_ids_get_404(make_user, org_a, api_as):
    client = api_as(make_user(organisation=org_a))

    for path in (
        f"/organisations/{uuid.uuid4()}",
        "/organisations/not-a-uuid",
        "/persons/not-a-uuid",
        "/organisations/not-a-uuid/history",
        "/organisations/not-a-uuid/similar",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "not_found"
        assert "not-a-uuid" not in response.content.decode()


def test_unknown_path_under_the_api_gets_404_json(make_user, org_a, api_as):
    response = api_as(make_user(organisation=org_a)).get("/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_unexpected_exception_gets_generic_500_and_a_log_without_values(
    make_user, org_a, api_as, monkeypatch, caplog
):
    # given a selector that fails with a message holding a value of the request
    def broken(**kwargs):
        message = f"{kwargs['organisation_id']}: Ivanova Anna, +7 900 000 00 00"
        raise RuntimeError(message)

    monkeypatch.setattr(selectors, "organisation_get", broken)
    client = api_as(make_user(organisation=org_a))

    with caplog.at_level(logging.ERROR, logger="khronika.api"):
        response = client.get(f"/organisations/{org_a.id}", q="Ivanova")

    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "Ivanova" not in response.content.decode() and "Traceback" not in response.content.decode()
    records = [r for r in caplog.records if r.name == "khronika.api"]
    assert len(records) == 1
    assert "RuntimeError" in records[0].getMessage()
    assert "Ivanova" not in records[0].getMessage() and "+7 900" not in records[0].getMessage()


def test_django_validation_error_gets_422_without_its_message(make_user, org_a, api_as, monkeypatch):
    # given a selector that lets a Django ValidationError quoting a value escape
    def quoting(**kwargs):
        value = kwargs["organisation_id"]
        raise DjangoValidationError(f"“{value}” is not a valid UUID.")

    monkeypatch.setattr(selectors, "organisation_get", quoting)
    client = api_as(make_user(organisation=org_a))

    response = client.get("/organisations/Ivanova-Anna")

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid"
    assert "Ivanova" not in response.content.decode()

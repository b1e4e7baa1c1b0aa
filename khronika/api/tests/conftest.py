"""Helpers for the API tests: a client that speaks JSON with a bearer token, and change counting."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from khronika.accounts.services import api_token_create
from khronika.core.models import ChangeLogEntry

BASE = "/api/v1"


class ApiClient:
    """Calls the API as one user (or anonymously), with JSON bodies."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        # English, so that tests can compare messages; the node's default language is Russian.
        self.headers = {"Accept-Language": "en"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        return self._send("post", path, body, raw)

    def patch(self, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        return self._send("patch", path, body, raw)

    def delete(self, path: str) -> Any:
        return self.client.delete(BASE + path, headers=self.headers)

    def _send(self, method: str, path: str, body: Any, raw: str | None) -> Any:
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return getattr(self.client, method)(
            BASE + path, data, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(db):  # type: ignore[no-untyped-def]
    """``api_as(user)``: a client holding a fresh bearer token of ``user``."""

    def make(user: Any) -> ApiClient:
        _token, raw = api_token_create(actor=None, user=user)
        return ApiClient(raw)

    return make


@pytest.fixture
def anonymous(db):  # type: ignore[no-untyped-def]
    return ApiClient()


def change_count() -> int:
    return ChangeLogEntry.objects.count()


def error_of(response: Any) -> dict[str, Any]:
    """The error object of a response, after checking it has the API's error shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]

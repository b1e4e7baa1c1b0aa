"""The one API instance: Khronika's JSON API, version 1, under ``/api/v1/``.

Every endpoint needs a bearer token or a signed-in session (``api.auth``) except the public reference
data. The OpenAPI document is at ``/api/v1/openapi.json``. ninja's docs page is switched off: without
``ninja`` in INSTALLED_APPS it loads Swagger UI from a CDN, and Khronika's pages load nothing from a
third-party origin.
"""

from __future__ import annotations

from ninja import NinjaAPI

from khronika.api import (
    accounts,
    cases,
    directory,
    documents,
    errors,
    monitoring,
    networking,
    persons,
    reference,
    search,
    sources,
)
from khronika.api.auth import API_AUTH

api = NinjaAPI(
    title="Khronika API",
    version="1",
    description=(
        "The network directory of Khronika. Authenticate with `Authorization: Bearer kh_…`, or with a "
        "signed-in session (writes then need the CSRF token). Errors answer "
        '`{"error": {"code", "message", "fields"}}`. Fields the caller may not read are absent from '
        "responses; fields the caller may read but that are empty are present and empty."
    ),
    auth=API_AUTH,
    docs_url=None,
    parser=errors.JsonBodyParser(),
    urls_namespace="api-v1",
)
errors.install(api)

for module in (directory, persons, networking, reference, monitoring, accounts, search):
    api.add_router("/", module.router)
api.add_router("/", monitoring.events_router)
api.add_router("/", sources.router)
api.add_router("/", cases.router)
api.add_router("/", documents.router)

"""Search tests run once per backend: the embedded tantivy index always, PostgreSQL full-text search when
the suite runs on PostgreSQL (it keeps its index in the database)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture(params=["tantivy", "postgres"])
def search_backend(request, settings, db):  # type: ignore[no-untyped-def]
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL search backend needs the PostgreSQL database (the suite's second pass)")
    settings.KHRONIKA_SEARCH_BACKEND = request.param
    from khronika.search.engine import backend

    engine = backend()
    engine.clear()
    return engine

"""Logged exceptions keep their frames and lose their messages, which may quote a protected value."""

import logging

from khronika.core.logs import SafeFormatter


def test_a_logged_exception_shows_where_it_happened_but_not_its_message():
    record = None
    try:
        try:
            raise KeyError("CANARY-CAUSE")
        except KeyError as cause:
            raise ValueError("Key (phone)=(CANARY-PROTECTED-VALUE) already exists") from cause
    except ValueError:
        import sys

        record = logging.LogRecord(
            "khronika", logging.ERROR, __file__, 1, "write failed", None, sys.exc_info()
        )
    text = SafeFormatter().format(record)
    assert "write failed" in text
    assert "builtins.ValueError (message withheld)" in text
    assert "test_a_logged_exception_shows_where_it_happened_but_not_its_message" in text
    assert "CANARY" not in text

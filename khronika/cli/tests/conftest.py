"""What every CLI test shares: a node home of its own and a way to run `khronika` in-process."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

import pytest

from khronika.cli.main import main


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _node_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KHRONIKA_HOME", str(tmp_path))
    monkeypatch.delenv("KHRONIKA_ACTOR", raising=False)


@pytest.fixture
def run(capsys, monkeypatch):
    def invoke(*argv: str, stdin: str | None = None) -> Result:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(argv))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert "Traceback" not in captured.out
        return Result(code, captured.out, captured.err)

    return invoke

"""The node options file: typed, documented, overridable by the environment."""

import stat
import tomllib
from pathlib import Path

import pytest

from khronika import options

README = Path(__file__).resolve().parents[3] / "README.md"


def test_init_writes_a_documented_options_file_and_a_private_secret(tmp_path):
    made = options.init_home(tmp_path)
    assert len(made) == 2
    written = (tmp_path / options.OPTIONS_FILE).read_text()
    for option in options.OPTIONS:
        assert f"# {option.doc}" in written
    assert tomllib.loads(written)["node_id"]
    mode = stat.S_IMODE((tmp_path / options.SECRET_FILE).stat().st_mode)
    assert mode == 0o600
    assert options.init_home(tmp_path) == []


def test_environment_overrides_the_file_and_values_are_typed(tmp_path, monkeypatch):
    options.init_home(tmp_path)
    monkeypatch.setenv("KHRONIKA_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("KHRONIKA_ALLOWED_HOSTS", "a.example, b.example")
    monkeypatch.setenv("KHRONIKA_HTTPS", "yes")
    loaded = options.load(tmp_path)
    assert loaded.session_idle_minutes == 15
    assert loaded.allowed_hosts == ["a.example", "b.example"]
    assert loaded.https is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("colour = 'red'\n", r"unknown option\(s\) colour"),
        ("debug = 'perhaps'\n", "option debug: expected true or false"),
        ("session_idle_minutes = 'ten'\n", "expected a whole number"),
        ("language = 'de'\n", "expected ru or en"),
        ("node_name = \n", "not valid TOML"),
    ],
)
def test_a_bad_options_file_gets_a_message_naming_the_option(tmp_path, content, message):
    (tmp_path / options.OPTIONS_FILE).write_text(content)
    with pytest.raises(options.OptionsError, match=message):
        options.load(tmp_path)


def test_every_option_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [name for name in options.documented_names() if f"`{name}`" not in text]
    assert missing == []

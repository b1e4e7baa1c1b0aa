"""`manage.py check --deploy` is clean for a node served over HTTPS, and with `https = false` (a laptop on
127.0.0.1) it reports exactly the HTTPS warnings the README calls expected. Settings are read from the
node options when they are imported, so each check runs in a process of its own with its own node home."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from khronika import options

CHECK = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('check', '--deploy', fail_level='WARNING')"
)
HTTPS_WARNINGS = {"security.W004", "security.W008", "security.W012", "security.W016"}


def deploy_check(home: Path, *, https: bool) -> subprocess.CompletedProcess[str]:
    options.init_home(home)  # the options file from the template, and a secret key file
    path = home / options.OPTIONS_FILE
    written = path.read_text(encoding="utf-8")
    assert "https = false" in written and "debug = false" in written
    path.write_text(written.replace("https = false", f"https = {str(https).lower()}"), encoding="utf-8")
    # Only this node's options: nothing from the environment of the test run.
    env = {name: value for name, value in os.environ.items() if not name.startswith("KHRONIKA_")}
    env.update({"KHRONIKA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "khronika.settings"})
    return subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def reported(done: subprocess.CompletedProcess[str]) -> set[str]:
    return set(re.findall(r"\(([a-z_]+\.[WE]\d{3})\)", done.stdout + done.stderr))


def test_a_node_served_over_https_passes_the_deploy_check(tmp_path):
    done = deploy_check(tmp_path / "node", https=True)

    assert done.returncode == 0, done.stdout + done.stderr
    assert reported(done) == set()
    assert "no issues" in done.stdout


def test_a_node_without_https_gets_only_the_https_warnings(tmp_path):
    done = deploy_check(tmp_path / "node", https=False)

    assert done.returncode != 0
    assert reported(done) == HTTPS_WARNINGS

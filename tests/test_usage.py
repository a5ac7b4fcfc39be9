"""Usage errors are one line, as docs/cli.md promises: ``nos: <what is wrong>``, then where to read more; exit 2.

Run as a real process: the one-line form is made where the app is run (``nos_cli.cli.app.run``), not inside
the command, so CliRunner would not see it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _nos(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nos_cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize(("args", "message", "command"), [
    (("export", "-f", "nope"), "nos: Invalid value for --format: 'nope' is not one of json, case, csv, graphml",
     "nos export"),
    (("nosuch",), "nos: No such command 'nosuch'.", "nos"),
    (("show",), "nos: Missing argument 'ID...'.", "nos show"),
    (("map", "show", "--depth", "0"), "nos: Invalid value for '--depth' / '-d': 0 is not in the range x>=1.",
     "nos map show"),
])
def test_usage_error_is_one_line(args: tuple[str, ...], message: str, command: str) -> None:
    r = _nos(*args)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.splitlines() == [message, f"Try '{command} --help' for help."]


def test_a_group_alone_prints_its_help() -> None:
    r = _nos("map")
    assert r.returncode == 2
    assert r.stdout.startswith("Usage: nos map")


def test_help_exits_0() -> None:
    r = _nos("search", "--help")
    assert r.returncode == 0
    assert "Usage: nos search" in r.stdout

"""Standard streams a shell can hand nos (closed, full, a pipe closed early, an ASCII-only encoding, an odd
COLUMNS), and number options that could lie: never an internal error, and exit 2 whenever the output or the
input could not be used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

README = str(ROOT / "README.md")
PROGRAMME = str(ROOT / "examples" / "learning-mentor-programme.yaml")


def _sh(redirect: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``nos ARGS REDIRECT`` through a real shell (bash), as a user types it."""
    script = '"$0" -m nos_cli "$@" ' + redirect
    return subprocess.run(["bash", "-c", script, sys.executable, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def _clean(r: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr


@pytest.mark.parametrize("args", [("map", "show"), ("search", "-i", "learner"), ("matrix",), ("--help",),
                                  ("--version",), ("mapping", "review", PROGRAMME)])
def test_closed_stdout_is_exit_2_with_a_reason(args: tuple[str, ...]) -> None:
    r = _sh(">&-", *args)
    _clean(r)
    assert (r.returncode, r.stderr) == (2, "nos: cannot write the output: standard output is closed\n")


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="no /dev/full")
@pytest.mark.parametrize("args", [("map", "show"), ("map", "show", "-f", "json"), ("matrix", "-f", "csv"),
                                  ("search", "-i", "learner"), ("--help",), ("--version",)])
def test_a_full_disk_on_stdout_is_exit_2(args: tuple[str, ...]) -> None:
    r = _sh("> /dev/full", *args)
    _clean(r)
    assert (r.returncode, r.stderr) == (2, "nos: cannot write the output: No space left on device\n")


def test_a_command_that_writes_nothing_to_stdout_may_close_it(tmp_path: Path) -> None:
    r = _sh(">&-", "matrix", "-o", str(tmp_path / "m.csv"))
    assert r.returncode == 0 and (tmp_path / "m.csv").exists(), r.stderr


def test_closed_stderr_keeps_the_exit_code() -> None:
    assert _sh("2>&-", "validate", "/nonexistent.yaml").returncode == 2
    r = _sh("2>&-", "map", "show", "-f", "json")
    assert r.returncode == 0 and r.stdout.startswith("{")


@pytest.mark.parametrize("args", [("diff", "-"), ("validate", "-")])
def test_closed_stdin_is_exit_2_with_a_reason(args: tuple[str, ...]) -> None:
    r = _sh("<&-", *args)
    _clean(r)
    assert (r.returncode, r.stderr) == (2, "nos: cannot read standard input: it is closed\n")


def test_closed_stdin_does_not_matter_when_it_is_not_read() -> None:
    r = _sh("<&-", "search", "-c", "learner")
    assert r.returncode == 0 and r.stdout.strip().isdigit()


@pytest.mark.parametrize("args", [("search", "-i", "learner"), ("map", "show"), ("matrix", "-f", "csv"),
                                  ("map", "show", "-f", "json")])
def test_a_pipe_closed_early_ends_quietly(args: tuple[str, ...]) -> None:
    r = _sh("| head -c 1 > /dev/null; exit ${PIPESTATUS[0]}", *args)
    assert r.returncode == 0 and r.stderr == ""


def test_an_ascii_only_stdout_is_a_clear_error() -> None:
    r = _sh("", "map", "show", env={"PYTHONIOENCODING": "ascii"})
    _clean(r)
    assert r.returncode == 2 and r.stderr.startswith("nos: cannot write the character U+2019 to standard output")
    assert "set PYTHONIOENCODING=utf-8" in r.stderr
    ok = _sh("", "map", "show", env={"PYTHONIOENCODING": "ascii:backslashreplace"})
    assert ok.returncode == 0 and "\\u2019" in ok.stdout


@pytest.mark.parametrize("columns", ["abc", "0", "-5", "99999999999999999999", ""])
def test_any_columns_value_works(columns: str) -> None:
    for args in (("map", "list"), ("matrix",), ("map", "show")):
        r = run_cli(*args, env={"COLUMNS": columns})
        assert r.exit_code == 0 and r.stdout and "internal error" not in r.stderr


@pytest.mark.parametrize("args", [
    ("matrix", "--fail-under", "nan"), ("matrix", "--fail-under", "inf"), ("matrix", "--fail-under", "101"),
    ("matrix", "--fail-under", "-1"), ("matrix", "--fail-under", "NaN"),
    ("diff", README, "--fail-under", "nan"), ("diff", README, "--threshold", "nan"),
    ("diff", README, "--threshold", "-inf"), ("diff", README, "--top", "0"),
    ("search", "--fuzzy", "--threshold", "nan", "learner"), ("search", "--fuzzy", "--threshold", "1e999", "x"),
    ("compare", "learning-mentor", "learning-mentor", "--threshold", "nan"),
    ("compare", "learning-mentor", "learning-mentor", "--threshold", "100.5"),
    ("map", "show", "--depth", "0"), ("search", "--max-count", "-1", "x"), ("validate", "--max-size", "0", README),
    ("validate", "--max-size", "1e3", README),
])
def test_numbers_that_are_not_numbers_are_usage_errors(args: tuple[str, ...]) -> None:
    r = run_cli(*args)
    option = [a for a in args if a.startswith("--")][-1]
    assert r.exit_code == 2 and f"Invalid value for '{option}'" in r.stderr and r.stdout == ""


def test_fail_under_still_gates() -> None:
    assert run_cli("matrix", "--against", PROGRAMME, "--fail-under", "100").exit_code == 0
    hand = str(ROOT / "tests" / "fixtures" / "matrix" / "hand-counted.yaml")
    assert run_cli("matrix", "--against", hand, "--fail-under", "29.7").exit_code == 1
    assert run_cli("matrix", "--against", hand, "--fail-under", "29.6").exit_code == 0


@pytest.mark.parametrize("value", ["-5", "0", "abc", "nan"])
def test_a_max_file_size_that_is_not_a_size_is_an_error(value: str) -> None:
    r = run_cli("map", "show", env={"NOS_MAX_FILE_SIZE": value})
    assert r.exit_code == 2 and r.stderr == f"nos: NOS_MAX_FILE_SIZE={value!r} is not a number of bytes (1 or more)\n"

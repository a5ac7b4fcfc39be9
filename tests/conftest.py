"""Shared test helpers: run the CLI as a user would, and find the fixtures."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nos_cli.cli.app import app

# Every test run gets a cache folder of its own: the user's index database (another nos version's, or one a
# concurrent run is rebuilding) must neither change what a test sees nor be changed by the tests. Tests that
# need another folder set NOS_CACHE_DIR themselves.
os.environ["NOS_CACHE_DIR"] = tempfile.mkdtemp(prefix="nos-tests-cache-")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCES = ROOT.parent / "shared" / "sources"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    """Invoke ``nos ARGS`` in-process, with stdout and stderr kept apart, as a user sees them."""
    runner = CliRunner()
    result = runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(autouse=True)
def _lexical_matcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see the same nos diff whether or not the semantic extra is installed (auto would pick it);
    tests/test_semantic.py asks for the semantic matcher by name."""
    monkeypatch.setenv("NOS_MATCHER", "lexical")


@pytest.fixture
def nos():  # type: ignore[no-untyped-def]
    return run_cli

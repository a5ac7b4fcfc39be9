"""nos validate: every rule and hazard has a bad fixture that asserts its rule, line and column; the CI formats
carry the same problems as the text; exit codes as CI tools expect."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nos_cli.rules import REGISTRY
from tests.conftest import FIXTURES, ROOT, run_cli

GOOD = FIXTURES / "validate" / "good"
BAD = FIXTURES / "validate" / "bad"

# file -> (rule, line, column) that must be among its problems
EXPECTED = {
    "alias-duplicate.yaml": ("alias-duplicate", 19, 98),
    "alias-empty.yaml": ("alias-empty", 18, 101),
    "alias-shared.yaml": ("alias-shared", 23, 87),
    "anchor.yaml": ("anchor", 3, 8),
    "bad-scalar.yaml": ("bad-scalar", 8, 41),
    "billion-laughs.yaml": ("anchor", 1, 4),
    "byte-order-mark.yaml": ("byte-order-mark", 1, 1),
    "comments-only.yaml": ("empty-file", 1, 1),
    "control-character.yaml": ("control-character", 17, 50),
    "control-in-yaml.yaml": ("yaml-syntax", 17, 55),
    "deep.yaml": ("max-depth", 1, 73),
    "duplicate-key.yaml": ("duplicate-key", 4, 1),
    "duplicate-link.yaml": ("duplicate-link", 15, 24),
    "empty-file.yaml": ("empty-file", 1, 1),
    "empty-text.yaml": ("empty-text", 17, 50),
    "empty.yaml": ("empty", 16, 13),
    "format-version.yaml": ("format-version", 1, 10),
    "html-entity.yaml": ("html-entity", 17, 50),
    "id-unique.yaml": ("id-unique", 12, 13),
    "implicit-type-version.yaml": ("implicit-type", 4, 10),
    "implicit-type.yaml": ("implicit-type", 17, 50),
    "invalid-utf8.yaml": ("encoding", 17, 54),
    "ksb-prefix.yaml": ("ksb-prefix", 18, 10),
    "mapping-duplicate.yaml": ("mapping-duplicate", 5, 10),
    "mapping-stray-and-version.yaml": ("mapping-stray-fingerprint", 8, 40),
    "mapping-structure.yaml": ("unknown-key", 2, 1),
    "mapping-unknown-ksb.yaml": ("mapping-unknown-ksb", 4, 37),
    "mapping-unknown-map.yaml": ("mapping-unknown-map", 2, 6),
    "multiple-documents.yaml": ("multiple-documents", 20, 1),
    "near-duplicate.yaml": ("near-duplicate", 19, 46),
    "not-a-mapping.yaml": ("type", 1, 1),
    "orphan-ksb.yaml": ("orphan-ksb", 19, 10),
    "provenance.yaml": ("provenance", 13, 16),
    "required.yaml": ("required", 1, 1),
    "schema.yaml": ("schema", 4, 7),
    "tab.yaml": ("yaml-syntax", 9, 1),
    "type.yaml": ("type", 15, 15),
    "unknown-key.yaml": ("unknown-key", 13, 9),
    "unknown-ksb.yaml": ("unknown-ksb", 15, 24),
    "unknown-source.yaml": ("unknown-source", 18, 35),
    "unsafe-tag.yaml": ("unsafe-tag", 3, 8),
    "unused-suppression.yaml": ("unused-suppression", 17, 73),
    "utf16.yaml": ("encoding", 1, 1),
    "whitespace.yaml": ("whitespace", 17, 50),
    "yaml-syntax.yaml": ("yaml-syntax", 16, 5),
}


def _problems(path: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    r = run_cli("validate", "--format", "json", str(path), *args)
    assert r.exit_code in (0, 1), r.stderr
    return [p for f in json.loads(r.stdout)["files"] for p in f["problems"]]


def test_every_bad_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture_reports_its_rule_at_its_place(name: str) -> None:
    rule, line, column = EXPECTED[name]
    found = [(p["rule"], p["line"], p["column"]) for p in _problems(BAD / name)]
    assert (rule, line, column) in found, found
    r = run_cli("validate", "--strict", str(BAD / name))
    assert r.exit_code == 1
    assert "Traceback" not in r.stdout + r.stderr
    assert f"{BAD / name}:{line}:{column}: " in r.stdout


def test_every_checking_rule_has_a_fixture() -> None:
    fired = {rule for rule, _, _ in EXPECTED.values()} | {"mapping-map-version", "mapping-unchecked"}
    # file-size and complex-key: test_loader.py and test_size_cap_option; mapping-suspect needs an edited map:
    # tests/test_matrix.py edits one.
    never = {"file-size", "complex-key", "mapping-suspect"}
    assert set(REGISTRY) - fired - never == set()


@pytest.mark.parametrize("path", sorted(GOOD.iterdir()), ids=lambda p: p.name)
def test_good_fixtures_are_clean_under_strict(path: Path) -> None:
    r = run_cli("validate", "--strict", str(path))
    assert r.exit_code == 0, r.stdout
    assert r.stdout == ""
    assert "no problems" in r.stderr


def test_bundled_maps_pass_strict() -> None:
    r = run_cli("validate", "--strict")
    assert r.exit_code == 0, r.stdout
    assert "3 files checked, no problems" in r.stderr


def test_folder_is_searched_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.yml").write_text("nos_map: 1\na: [", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("nos_mapping: 1\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")  # no marker: not nos's, passed over
    (tmp_path / "notes.txt").write_text("not yaml", encoding="utf-8")
    doc = json.loads(run_cli("validate", "-f", "json", str(tmp_path)).stdout)
    assert [f["path"] for f in doc["files"]] == [str(tmp_path / "a.yaml"), str(tmp_path / "b" / "z.yml")]


def test_exit_codes() -> None:
    warn_only = BAD / "orphan-ksb.yaml"
    assert run_cli("validate", str(warn_only)).exit_code == 0
    assert run_cli("validate", "--strict", str(warn_only)).exit_code == 1
    assert run_cli("validate", "--exit-zero", str(BAD / "yaml-syntax.yaml")).exit_code == 0
    r = run_cli("validate", "no/such/file.yaml")
    assert r.exit_code == 2 and r.stderr.startswith("nos: no/such/file.yaml: no such file")
    r = run_cli("validate", "--disable", "no-such-rule")
    assert r.exit_code == 2 and "no rule 'no-such-rule'" in r.stderr
    assert run_cli("validate", "--format", "xml").exit_code == 2


def test_mapping_version_and_unchecked_links() -> None:
    found = {(p["rule"], p["line"], p["column"], p["level"]) for p in _problems(BAD / "mapping-stray-and-version.yaml")}
    assert ("mapping-map-version", 2, 14, "warning") in found
    found = {(p["rule"], p["level"]) for p in _problems(BAD / "mapping-duplicate.yaml")}
    assert ("mapping-unchecked", "info") in found
    # examples/ holds good mapping files at its top and, in bad-* folders, the bad inputs the docs show
    good = [str(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    assert len(good) >= 2 and run_cli("validate", "--strict", *good).exit_code == 0


def test_disable_rules_by_id() -> None:
    r = run_cli("validate", "--strict", "--disable", "orphan-ksb", str(BAD / "orphan-ksb.yaml"))
    assert r.exit_code == 0
    names = [p["rule"] for p in _problems(BAD / "unknown-ksb.yaml", "--disable", "unknown-ksb,whitespace")]
    assert "unknown-ksb" not in names


def test_stdin(tmp_path: Path) -> None:
    r = run_cli("validate", "-f", "concise", "-", input=(BAD / "duplicate-key.yaml").read_text(encoding="utf-8"))
    assert r.exit_code == 1
    assert r.stdout.startswith("<stdin>:4:1: error [duplicate-key]")


def test_size_cap_option(tmp_path: Path) -> None:
    r = run_cli("validate", "-f", "concise", "--max-size", "100", str(GOOD / "minimal.yaml"))
    assert r.exit_code == 1 and "[file-size]" in r.stdout


def test_text_shows_the_line_and_a_caret() -> None:
    out = run_cli("validate", "-f", "text", str(BAD / "unknown-ksb.yaml")).stdout
    assert "     15 |         ksbs: [K1, S1, S2]\n        |                        ^\n" in out


ALL_BAD = sorted(BAD.iterdir())


def _text_problems() -> list[tuple[str, int, int, str, str]]:
    out = run_cli("validate", "-f", "concise", "--verbose", *map(str, ALL_BAD)).stdout
    rows = []
    for line in out.splitlines():
        path, ln, col, rest = line.split(":", 3)
        level, rule = rest.split()[0], rest.split()[1].strip("[]")
        rows.append((path, int(ln), int(col), level, rule))
    return rows


def test_json_sarif_github_junit_carry_the_same_problems_as_text() -> None:
    text = _text_problems()
    assert len(text) > len(ALL_BAD)
    args = [str(p) for p in ALL_BAD]
    doc = json.loads(run_cli("validate", "-f", "json", *args).stdout)
    assert doc["format"] == "nos-validate" and doc["format_version"] == 1
    as_json = [(f["path"], p["line"], p["column"], p["level"], p["rule"]) for f in doc["files"] for p in f["problems"]]
    assert as_json == text

    sarif = json.loads(run_cli("validate", "-f", "sarif", *args).stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == set(REGISTRY)
    level = {"error": "error", "warning": "warning", "note": "info"}
    as_sarif = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"],
                 r["locations"][0]["physicalLocation"]["region"]["startColumn"], level[r["level"]], r["ruleId"])
                for r in run["results"]]
    assert as_sarif == text
    for r in run["results"]:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]

    gh = run_cli("validate", "-f", "github", *args).stdout.splitlines()
    assert len(gh) == len(text)
    for line, (path, ln, col, lvl, rule) in zip(gh, text, strict=True):
        kind = {"error": "error", "warning": "warning", "info": "notice"}[lvl]
        assert line.startswith(f"::{kind} file={path.replace(':', '%3A')},line={ln},col={col},title={rule}::")

    # under --strict every problem fails the run, so every file is a <failure> (warnings alone: test_ci.py)
    junit = ET.fromstring(run_cli("validate", "-f", "junit", "--strict", *args).stdout)
    cases = junit.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == args
    assert all(c.find("failure") is not None for c in cases)
    assert sum(len(c.find("failure").text.splitlines()) for c in cases) == len(text)  # type: ignore[union-attr]


def test_github_escapes_messages_and_properties() -> None:
    from nos_cli.render.validate import _gh_escape

    assert _gh_escape("50%\r\nnext") == "50%25%0D%0Anext"
    assert _gh_escape("a:b,c", prop=True) == "a%3Ab%2Cc"


def test_auto_is_github_under_actions_and_writes_the_step_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step output\n", encoding="utf-8")
    r = run_cli("validate", str(BAD / "unknown-ksb.yaml"),
                env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert r.stdout.startswith("::error file=")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step output\n### nos validate")
    assert "| `unknown-ksb` |" in text


def test_list_rules() -> None:
    r = run_cli("validate", "--list-rules")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert len(lines) == len(REGISTRY)
    assert any(line.split()[:2] == ["orphan-ksb", "warning"] for line in lines)
    doc = json.loads(run_cli("validate", "--list-rules", "-f", "json").stdout)
    assert [r["id"] for r in doc["rules"]] == list(REGISTRY)
    assert all(r["doc"] and r["summary"] for r in doc["rules"])

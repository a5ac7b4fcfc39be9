"""nos in a standards repository (issue 14): which files validate checks, the map a mapping resolves to, the
project settings, inline suppression, nos rule, and the CI formats, as a user sees them in a scratch folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nos_cli.rules import REGISTRY
from tests.conftest import FIXTURES, ROOT, run_cli

BUNDLED_LM = ROOT / "data" / "functional_maps" / "learning-mentor.yaml"
PROGRAMME = ROOT / "examples" / "learning-mentor-programme.yaml"
CI = FIXTURES / "ci"
NEAR_DUP = FIXTURES / "validate" / "bad" / "near-duplicate.yaml"
K9_OLD = "how learners may become physically or psychologically at risk, and channels for reporting concerns"
K9_NEW = "how learners may become at risk, and the channels for reporting concerns"
SCRIPT = Path(sys.executable).with_name("nos")


def _edited_repo(root: Path, *, settings: str | None = '[tool.nos]\nmaps-dirs = ["maps"]\n') -> Path:
    """A standards repository holding its own edited learning-mentor map (K9 reworded, B4 removed) and the
    example programme mapped to it, plus YAML that is not nos's: a workflow and a pre-commit config."""
    text = BUNDLED_LM.read_text(encoding="utf-8")
    assert K9_OLD in text and "ksbs: [S5, K5, B4]" in text
    text = text.replace(K9_OLD, K9_NEW).replace("ksbs: [S5, K5, B4]", "ksbs: [S5, K5]")
    # B4's entry is a flow mapping that may run over several lines (its aliases): remove it whole.
    text, removed = re.subn(r"  - \{id: B4,[^}]*\}\n", "", text)
    assert removed == 1
    (root / "maps").mkdir(parents=True)
    (root / "mappings").mkdir()
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / "maps" / "lm.yaml").write_text(text, encoding="utf-8")
    (root / "mappings" / "prog.yaml").write_bytes(PROGRAMME.read_bytes())
    (root / ".github" / "workflows" / "maps.yml").write_text(
        "name: maps\non: [push]\njobs:\n  v:\n    runs-on: ubuntu-latest\n    steps:\n      - run: nos validate\n",
        encoding="utf-8")
    (root / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    if settings is not None:
        (root / "pyproject.toml").write_text(settings, encoding="utf-8")
    return root


def _found(stdout: str) -> list[tuple[str, int, int]]:
    doc = json.loads(stdout)
    return sorted((p["rule"], p["line"], p["column"]) for f in doc["files"] for p in f["problems"])


# The edited-map scenario: the mapping's K9 link is suspect (line 49, col 16) and B4 unknown (line 33, col 20).
EDITED = [("mapping-suspect", 49, 16), ("mapping-unknown-ksb", 33, 20)]


# --- the map a mapping resolves to -----------------------------------------------------------------------


def test_every_command_that_reads_the_mapping_uses_the_repositorys_map(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _edited_repo(tmp_path)
    monkeypatch.chdir(repo)
    pair = run_cli("validate", "-f", "json", "maps/lm.yaml", "mappings/prog.yaml")
    alone = run_cli("validate", "-f", "json", "mappings/prog.yaml")
    assert pair.exit_code == alone.exit_code == 1
    assert _found(pair.stdout) == _found(alone.stdout) == sorted(EDITED)
    for doc in (json.loads(pair.stdout), json.loads(alone.stdout)):
        assert [f["map_file"] for f in doc["files"] if f["kind"] == "mapping"] == ["maps/lm.yaml"]
    text = run_cli("validate", "mappings/prog.yaml")
    assert text.stdout.startswith("mappings/prog.yaml: checked against the map in maps/lm.yaml\n")

    review = run_cli("mapping", "review", "mappings/prog.yaml")
    assert review.exit_code == 1
    assert review.stdout.splitlines()[0] == "mappings/prog.yaml: 31 links to learning-mentor (map file: maps/lm.yaml)"
    assert "M10 -> K9  now: " + K9_NEW in review.stdout and "M6 -> B4" in review.stdout
    review_json = json.loads(run_cli("mapping", "review", "-f", "json", "mappings/prog.yaml").stdout)
    assert review_json["map_file"] == "maps/lm.yaml"
    assert {(link["item"], link["ksb"]) for link in review_json["links"] if link["status"] != "ok"} == {
        ("M10", "K9"), ("M6", "B4")}

    matrix = json.loads(run_cli("matrix", "--against", "mappings/prog.yaml", "-f", "json").stdout)
    assert matrix["map_file"] == "maps/lm.yaml"
    assert "B4" not in {row["id"] for row in matrix["rows"]}  # the repository's map, which has no B4
    table = run_cli("matrix", "--against", "mappings/prog.yaml")
    assert "map file: maps/lm.yaml" in table.stdout


def test_the_same_answer_from_another_folder_in_a_real_process(tmp_path: Path) -> None:
    if not SCRIPT.exists():
        pytest.skip("nos is not installed beside this Python")
    repo = _edited_repo(tmp_path / "repo")
    env = {k: v for k, v in os.environ.items() if k != "NOS_MAPS_PATH"}
    answers = []
    for cwd, target in ((repo, "mappings/prog.yaml"), (repo / "mappings", "prog.yaml"),
                        (tmp_path, "repo/mappings/prog.yaml")):
        r = subprocess.run([str(SCRIPT), "validate", "-f", "json", target], cwd=cwd, env=env, capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 1, r.stderr
        answers.append(_found(r.stdout))
        assert Path(cwd, json.loads(r.stdout)["files"][0]["map_file"]).resolve() == repo / "maps" / "lm.yaml"
    assert answers == [sorted(EDITED)] * 3


def test_an_old_copy_elsewhere_in_the_repository_does_not_change_the_answer(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _edited_repo(tmp_path)
    (repo / "archive").mkdir()  # sorts before maps/: a whole-repository run lists it first
    (repo / "archive" / "lm-2023.yaml").write_bytes(BUNDLED_LM.read_bytes())
    monkeypatch.chdir(repo)
    every = json.loads(run_cli("validate", "-f", "json", ".").stdout)
    alone = json.loads(run_cli("validate", "-f", "json", "mappings/prog.yaml").stdout)
    assert _found(json.dumps(alone)) == sorted(EDITED)
    assert [f for f in every["files"] if f["kind"] == "mapping"] == alone["files"]
    assert alone["files"][0]["map_file"] == "maps/lm.yaml"


def test_without_project_settings_the_bundled_map_is_used_and_named(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_edited_repo(tmp_path, settings=None))
    r = run_cli("mapping", "review", "mappings/prog.yaml")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0].endswith("(map file: bundled:learning-mentor.yaml)")
    # the maps given on the same command line come first
    assert _found(run_cli("validate", "-f", "json", "maps/lm.yaml", "mappings/prog.yaml").stdout) == sorted(EDITED)
    r = run_cli("mapping", "review", "--map", "maps/lm.yaml", "mappings/prog.yaml")
    assert r.exit_code == 1 and "(map file: maps/lm.yaml)" in r.stdout


def test_a_broken_project_map_is_named_not_called_missing(tmp_path: Path) -> None:
    repo = _edited_repo(tmp_path)
    lm = repo / "maps" / "lm.yaml"
    lm.write_text(lm.read_text(encoding="utf-8").replace("key_areas:", "key_areas: [", 1), encoding="utf-8")
    r = run_cli("validate", "-f", "concise", str(repo / "mappings" / "prog.yaml"))
    assert r.exit_code == 1
    assert f"[mapping-unknown-map] the map does not load: {lm}:" in r.stdout
    r = run_cli("mapping", "review", str(repo / "mappings" / "prog.yaml"))
    assert r.exit_code == 2 and r.stderr.startswith(f"nos: {lm}:")


def test_a_mappings_map_is_an_id_never_a_path(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("API_KEY: sk-live-123\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(f"nos_mapping: 1\nmap: {secret}\ntitle: T\nitems: []\n", encoding="utf-8")
    r = run_cli("validate", str(mapping))
    assert r.exit_code == 1 and "[mapping-unknown-map]" in r.stdout and "sk-live" not in r.stdout + r.stderr
    r = run_cli("mapping", "review", str(mapping))
    assert r.exit_code == 2 and "no map with id" in r.stderr and "sk-live" not in r.stdout + r.stderr


def test_a_nos_toml_is_found_and_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    repo = _edited_repo(tmp_path, settings=None)
    (repo / "nos.toml").write_text('maps-dirs = ["maps"]\n', encoding="utf-8")
    (repo / "mappings" / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert _found(run_cli("validate", "-f", "json", str(repo / "mappings" / "prog.yaml")).stdout) == sorted(EDITED)


@pytest.mark.parametrize(("content", "message"), [
    ('[tool.nos]\nmaps-dirs = ["maps"]\nstrikt = true\n', "pyproject.toml:3:1: [tool.nos] unknown setting 'strikt'"),
    ('[tool.other]\nstrict = 1\n[tool.nos]\nstrict = 1\n', "pyproject.toml:4:1: [tool.nos] strict must be true or"),
    ("[tool.nos]\nstrict = yes\n", "pyproject.toml:2:10: invalid TOML"),
    ('[tool.nos]\ndisable = ["near-dupe"]\n', "pyproject.toml:2:1: [tool.nos] disable: no rule 'near-dupe'"),
    ('[tool.nos]\nstrict = "on"\n', "pyproject.toml:2:1: [tool.nos] strict must be true or false"),
    ('[tool.nos]\nmaps-dirs = ["nowhere"]\n', "pyproject.toml:2:1: [tool.nos] maps-dirs: "),
])
def test_bad_settings_are_one_line_errors_with_their_place(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(content, encoding="utf-8")
    (tmp_path / "m.yaml").write_bytes(NEAR_DUP.read_bytes())
    r = run_cli("validate", str(tmp_path / "m.yaml"))
    assert r.exit_code == 2
    assert r.stderr.startswith(f"nos: {tmp_path / message}"), r.stderr
    assert len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('[]="\'#.,-_ \n\tabcdmpnstrue0129{}')), max_size=80))
def test_any_settings_file_is_read_or_refused_in_one_line(content: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "nos.toml").write_text(content, encoding="utf-8")
        (Path(tmp) / "m.yaml").write_bytes(NEAR_DUP.read_bytes())
        r = run_cli("validate", str(Path(tmp) / "m.yaml"))
    assert r.exit_code in (0, 1, 2)
    if r.exit_code == 2:
        assert r.stderr.startswith(f"nos: {Path(tmp) / 'nos.toml'}:") and len(r.stderr.splitlines()) == 1, r.stderr


@pytest.mark.parametrize("marker", ["nos_map: 1", '"nos_map": 1', "'nos_mapping': 1", "\ufeffnos_map: 1"])
def test_the_marker_may_be_quoted_or_after_a_byte_order_mark(tmp_path: Path, marker: str) -> None:
    (tmp_path / "m.yaml").write_text(marker + "\n", encoding="utf-8")
    r = run_cli("validate", "-f", "json", str(tmp_path))
    assert r.exit_code == 1 and [f["path"] for f in json.loads(r.stdout)["files"]] == [str(tmp_path / "m.yaml")]


def test_project_rules_strictness_and_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "m.yaml").write_bytes(NEAR_DUP.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert run_cli("validate", "maps").exit_code == 0  # a warning: passes without strict
    (tmp_path / "nos.toml").write_text('paths = ["maps"]\nstrict = true\n', encoding="utf-8")
    r = run_cli("validate", "--verbose")  # no path: the project's paths
    assert r.exit_code == 1 and r.stdout.startswith("maps/m.yaml:19:46: warning [near-duplicate]")
    assert f"nos validate: settings from {tmp_path / 'nos.toml'}" in r.stderr
    assert run_cli("validate", "--no-strict").exit_code == 0
    (tmp_path / "nos.toml").write_text('paths = ["maps"]\nstrict = true\ndisable = ["near-duplicate"]\n',
                                       encoding="utf-8")
    r = run_cli("validate")
    assert r.exit_code == 0 and r.stdout == ""
    (tmp_path / "nos.toml").write_text('paths = ["maps"]\nstrict = true\nenable = ["orphan-ksb"]\n',
                                       encoding="utf-8")
    assert run_cli("validate").exit_code == 0  # only orphan-ksb runs


# --- which files validate checks --------------------------------------------------------------------------


def test_folders_hold_only_maps_and_mappings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no settings file above it
    repo = _edited_repo(tmp_path / "repo")
    (repo / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    r = run_cli("validate", "-f", "json", "--verbose", str(repo))
    doc = json.loads(r.stdout)
    assert [f["path"] for f in doc["files"]] == [str(repo / "mappings" / "prog.yaml"), str(repo / "maps" / "lm.yaml")]
    assert f"passed over {repo / 'mkdocs.yml'}: no top-level nos_map: or nos_mapping: key" in r.stderr
    assert f"passed over {repo / '.pre-commit-config.yaml'}: hidden" in r.stderr
    assert "nos validate: no settings file" in r.stderr  # found from the current folder, not the repository
    mkdocs = {"path": str(repo / "mkdocs.yml"), "reason": "no top-level nos_map: or nos_mapping: key"}
    assert mkdocs in doc["passed_over"]
    assert "passed over" not in run_cli("validate", "-f", "json", str(repo)).stderr


def test_a_file_given_by_path_that_is_not_nos_s_is_still_an_error(tmp_path: Path) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text("repos:\n  - repo: local\n    hooks: []\n", encoding="utf-8")
    r = run_cli("validate", "-f", "concise", str(config))
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [f"{config}:1:1: error [required] not a nos map or mapping: no top-level "
                                     "nos_map: or nos_mapping: key (folders and --force-exclude pass such files over)"]
    r = run_cli("validate", "--force-exclude", str(config))
    assert r.exit_code == 0 and "no nos maps or mappings among the files given" in r.stderr


@pytest.mark.parametrize("setup", ["empty", "other-yaml"])
def test_nothing_to_check_is_exit_2(tmp_path: Path, setup: str) -> None:
    if setup == "other-yaml":
        (tmp_path / "docker-compose.yml").write_text("services: {}\n", encoding="utf-8")
    r = run_cli("validate", str(tmp_path))
    assert r.exit_code == 2
    assert r.stderr.startswith(f"nos: no files to check: no nos maps or mappings in {tmp_path}")
    assert r.stdout == ""


def test_symlinks_that_leave_the_folder_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("nos_map: 1\nCI_DEPLOY_TOKEN: supersecret-token-123\n", encoding="utf-8")
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "m.yaml").write_bytes(NEAR_DUP.read_bytes())
    (maps / "e.yaml").symlink_to(outside)
    (maps / "inside.yaml").symlink_to(maps / "m.yaml")
    (maps / "loop").symlink_to(maps)
    r = run_cli("validate", "-f", "json", "--verbose", str(maps))
    assert "supersecret" not in r.stdout + r.stderr
    assert [f["path"] for f in json.loads(r.stdout)["files"]] == [str(maps / "inside.yaml"), str(maps / "m.yaml")]
    assert f"passed over {maps / 'e.yaml'}: a symlink that leaves the folder" in r.stderr
    assert f"passed over {maps / 'loop'}: a symlinked folder" in r.stderr


def test_fifos_are_passed_over_in_folders_and_refused_by_path(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_bytes(NEAR_DUP.read_bytes())
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    r = run_cli("validate", "--verbose", str(tmp_path))
    assert r.exit_code == 0 and f"passed over {fifo}: not a regular file" in r.stderr
    r = run_cli("validate", str(fifo))
    assert r.exit_code == 2 and r.stderr.startswith(f"nos: {fifo}: not a regular file")


def test_an_unreadable_sub_folder_stops_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.yaml").write_bytes(NEAR_DUP.read_bytes())
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path: object) -> object:  # root reads any folder, so the refusal is simulated
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    r = run_cli("validate", str(tmp_path))
    assert r.exit_code == 2
    assert r.stderr == f"nos: {locked}: cannot read the folder: Permission denied\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a folder whatever its mode")
def test_an_unreadable_folder_for_real(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        assert run_cli("validate", str(tmp_path)).exit_code == 2
    finally:
        locked.chmod(0o700)


# --- inline suppression ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["suppressed-line.yaml", "suppressed-next-line.yaml", "suppressed-file.yaml"])
def test_suppressions_silence_their_rule(name: str) -> None:
    assert ("near-duplicate", 19, 46) in _found(run_cli("validate", "-f", "json", str(NEAR_DUP)).stdout)
    r = run_cli("validate", "--strict", str(CI / name))
    assert r.exit_code == 0 and r.stdout == "", r.stdout


@pytest.mark.parametrize(("name", "expected"), [
    ("unused-under-strict.yaml", [("near-duplicate", 19, 46), ("unused-suppression", 17, 73)]),
    ("wrong-line.yaml", [("near-duplicate", 19, 46), ("unused-suppression", 18, 76)]),
])
def test_unused_suppressions_are_reported_under_strict(name: str, expected: list[tuple[str, int, int]]) -> None:
    assert _found(run_cli("validate", "-f", "json", "--strict", str(CI / name)).stdout) == expected
    assert _found(run_cli("validate", "-f", "json", str(CI / name)).stdout) == [("near-duplicate", 19, 46)]
    r = run_cli("validate", "--strict", str(CI / name))
    assert r.exit_code == 1 and "unused suppression: no " in r.stdout


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.tuples(st.sampled_from(["text", "  - k: v", "", "#"]),
                                st.sampled_from(["none", "end", "alone", "file"]),
                                st.lists(st.sampled_from(["near-duplicate", "whitespace", "orphan-ksb"]),
                                         min_size=1, max_size=2, unique=True)), max_size=12),
       problems=st.lists(st.tuples(st.integers(1, 14), st.sampled_from(["near-duplicate", "whitespace",
                                                                         "orphan-ksb"])), max_size=10))
def test_a_suppression_silences_exactly_its_rules_on_its_line(lines: list[tuple[str, str, list[str]]],
                                                              problems: list[tuple[int, str]]) -> None:
    from nos_cli.model import Level, Problem
    from nos_cli.rules import suppression

    out, line_rules, file_rules = [], {}, set()
    for n, (body, kind, rules) in enumerate(lines, 1):
        comment = f"# nos: {'disable-file' if kind == 'file' else 'disable'}={','.join(rules)}"
        if kind == "none":
            out.append(body)
        elif kind == "alone":
            out.append(f"  {comment}")
            line_rules.setdefault(n + 1, set()).update(rules)
        else:
            out.append(f"{body} {comment}" if body else comment)
            if kind == "file":
                file_rules.update(rules)
            elif body:
                line_rules.setdefault(n, set()).update(rules)
            else:
                line_rules.setdefault(n + 1, set()).update(rules)  # a comment alone on its line
    found = [Problem("f.yaml", ln, 1, rule, Level.WARNING, "m") for ln, rule in problems]
    kept = suppression.apply("f.yaml", found, suppression.parse("\n".join(out).encode()), known=REGISTRY,
                             report_unused=False, active=REGISTRY)
    assert kept == [p for p in found if p.rule not in file_rules and p.rule not in line_rules.get(p.line, set())]


# --- nos rule, SARIF, JUnit, info lines, progress ---------------------------------------------------------


def test_nos_rule_prints_the_rules_documentation() -> None:
    r = run_cli("rule", "near-duplicate")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "near-duplicate (warning, applies to: map)"
    assert "It scales to maps of 100,000 KSBs" in r.stdout  # the module docstring's second paragraph
    assert "# nos: disable=near-duplicate" in r.stdout and "disable-file=near-duplicate" in r.stdout
    assert lines[-1] == "Documentation: https://nos-cli.invalid/docs/validate.md#near-duplicate"
    doc = json.loads(run_cli("rule", "mapping-suspect", "-f", "json").stdout)
    assert doc["id"] == "mapping-suspect" and "nos mapping review FILE --accept" in doc["doc"]
    r = run_cli("rule", "near-dup")
    assert r.exit_code == 2 and "did you mean 'near-duplicate'?" in r.stderr


def test_sarif_help_uri_points_at_each_rules_section() -> None:
    page = (ROOT / "docs" / "validate.md").read_text(encoding="utf-8")
    doc = json.loads(run_cli("validate", "-f", "sarif", str(NEAR_DUP)).stdout)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == set(REGISTRY)
    for r in rules:
        base, anchor = r["helpUri"].split("#")
        assert base.endswith("/docs/validate.md") and anchor == r["id"]
        assert f"\n### {anchor}\n" in page  # GitHub's anchor for the heading is the rule id


def test_junit_warnings_that_do_not_fail_the_run_are_not_failures() -> None:
    r = run_cli("validate", "-f", "junit", str(NEAR_DUP))
    assert r.exit_code == 0
    case = ET.fromstring(r.stdout).find("./testsuite/testcase")
    assert case is not None and case.find("failure") is None
    props = case.findall("./properties/property")
    assert [(p.get("name"), p.get("value", "")[:2]) for p in props] == [("warning [near-duplicate] 19:46", "S2")]
    assert ET.fromstring(r.stdout).get("failures") == "0"
    strict = ET.fromstring(run_cli("validate", "-f", "junit", "--strict", str(NEAR_DUP)).stdout)
    assert strict.find("./testsuite/testcase/failure") is not None and strict.get("failures") == "1"


def test_info_findings_are_one_line_unless_verbose(tmp_path: Path) -> None:
    prog = tmp_path / "prog.yaml"
    prog.write_text(re.sub(r"\n    fingerprints: .*", "", PROGRAMME.read_text(encoding="utf-8")), encoding="utf-8")
    r = run_cli("validate", str(prog))
    assert r.exit_code == 0
    assert "info [" not in r.stdout
    assert r.stderr.endswith("(31 info: 31 mapping-unchecked; --verbose lists them)\n")
    verbose = run_cli("validate", "--verbose", str(prog))
    assert verbose.stdout.count("info [mapping-unchecked]") == 31
    assert len(json.loads(run_cli("validate", "-f", "json", str(prog)).stdout)["files"][0]["problems"]) == 31


def test_no_progress_display_on_a_pipe(tmp_path: Path) -> None:
    if not SCRIPT.exists():
        pytest.skip("nos is not installed beside this Python")
    for n in range(3):
        (tmp_path / f"m{n}.yaml").write_bytes(BUNDLED_LM.read_bytes())
    r = subprocess.run([str(SCRIPT), "validate", str(tmp_path)], capture_output=True, timeout=60)
    assert r.returncode == 0 and b"\x1b" not in r.stderr and r.stderr.count(b"\n") == 1


@pytest.mark.slow
def test_a_long_run_shows_progress_on_a_terminal_and_erases_it(tmp_path: Path) -> None:
    import pty
    import threading
    import time

    if not SCRIPT.exists():
        pytest.skip("nos is not installed beside this Python")
    (tmp_path / "m.yaml").write_bytes(BUNDLED_LM.read_bytes())
    master, slave = pty.openpty()
    seen = bytearray()

    def drain() -> None:  # a terminal's buffer is small: read while nos writes
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    # Standard input held open keeps the run going, on any machine, until the display has appeared.
    proc = subprocess.Popen([str(SCRIPT), "validate", str(tmp_path / "m.yaml"), "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=slave, env=env)
    started = time.monotonic()
    while b"checking" not in seen and time.monotonic() - started < 60:
        time.sleep(0.05)
    assert time.monotonic() - started >= 1.0  # not before a second
    out, _ = proc.communicate(NEAR_DUP.read_bytes(), timeout=120)
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    assert proc.returncode == 0 and b"near-duplicate" in out
    assert b"checking" in seen and b"1/2" in seen  # the display: the second file of two under way
    assert seen.rstrip().endswith(b"nos validate: 2 files checked, 0 errors and 1 warning in 1 file")


def test_the_progress_display_waits_a_second_and_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import time

    from nos_cli.render import progress as prog

    monkeypatch.setattr(prog.sys, "stderr", io.StringIO())
    with prog.progress(3) as tick:  # not a terminal: nothing, whatever the time
        tick(0, "a.yaml")
    assert prog.sys.stderr.getvalue() == ""
    monkeypatch.setattr(prog, "is_terminal", lambda stream: True)
    started: list[bool] = []
    real_show = prog.threading.Timer

    def timer(delay: float, fn: object) -> object:
        started.append(True)
        assert delay == prog.DELAY
        return real_show(60, fn)  # never fires within this test: a quick run shows nothing

    monkeypatch.setattr(prog.threading, "Timer", timer)
    with prog.progress(3) as tick:
        tick(1, "b.yaml")
        time.sleep(0.01)
    assert started == [True] and prog.sys.stderr.getvalue() == ""


# --- pre-commit itself ------------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


def _precommit() -> str:
    from shutil import which

    exe = which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(exe).exists():
        pytest.skip("pre-commit is not installed (pip install pre-commit to run this test)")
    return exe


@pytest.mark.slow
def test_pre_commit_checks_only_the_map_and_the_mapping(tmp_path: Path) -> None:
    exe = _precommit()
    repo = _edited_repo(tmp_path / "repo")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    env.pop("NOS_MAPS_PATH", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=600)

    # try-repo: the hook exactly as .pre-commit-hooks.yaml declares it, from this working tree
    every = run("try-repo", str(ROOT), "nos-validate", "--all-files")
    assert every.returncode == 1, every.stdout + every.stderr
    assert "nos validate: 2 files checked, 2 errors and 0 warnings in 1 file" in every.stdout
    assert ".pre-commit-config.yaml" not in every.stdout and "maps.yml" not in every.stdout
    for rule, line, col in EDITED:
        assert f"mappings/prog.yaml:{line}:{col}: error [{rule}]" in every.stdout
    one = run("try-repo", str(ROOT), "nos-validate", "--files", "mappings/prog.yaml")
    assert one.returncode == 1 and "nos validate: 1 file checked, 2 errors" in one.stdout
    assert "checked against the map in maps/lm.yaml" in one.stdout
    only_other = run("try-repo", str(ROOT), "nos-validate", "--files", ".github/workflows/maps.yml",
                     ".pre-commit-config.yaml")
    assert only_other.returncode == 0, only_other.stdout

    # docs/ci.md's snippet, pasted with NOS_REPO set: it pins this repository's HEAD commit
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    snippet = re.search(r"```sh\n(NOS_REPO=.*?)```", page, re.S)
    assert snippet is not None
    script = re.sub(r"^NOS_REPO=.*$", f"NOS_REPO={ROOT}", snippet.group(1), count=1, flags=re.M)
    pasted = subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    config = (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert re.search(r"rev: [0-9a-f]{40}\n", config), config
    assert pasted.returncode == 1, pasted.stdout + pasted.stderr
    assert "nos validate: 2 files checked, 2 errors and 0 warnings in 1 file" in pasted.stdout

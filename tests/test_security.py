"""Untrusted text, paths and files (issue 18): each reproduction of the attack run, hostile file names and
texts across every command, and a fuzz test that no control byte from a map or role reaches the output.

What a user must never see: a file nos was not asked to read quoted back, a hang or a runaway read, a raw
escape or bidi character on the terminal, a line that GitHub Actions would obey as a workflow command, a CSV
cell a spreadsheet would run, or a JSON/XML document that does not parse.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nos_cli.interop.cells import FORMULA_START, delimited, safe_cell
from nos_cli.textsafe import shown
from tests.conftest import FIXTURES, run_cli

HERE = FIXTURES / "security"
MAPS = HERE / "maps"
HOSTILE = yaml.safe_load((MAPS / "hostile.yaml").read_text(encoding="utf-8"))
KSB_TEXT = {k["id"]: k["text"] for k in HOSTILE["ksbs"]}
SGR = re.compile(r"\x1b\[[0-9;]*m")  # nos's own colour codes, only with --color always


def raw_controls(text: str) -> list[str]:
    """Characters that must never reach a terminal raw: controls, format (bidi, BOM, zero-width), surrogates,
    line and paragraph separators. Tab and line feed are the only controls nos writes itself."""
    shown_categories = ("Cc", "Cf", "Cs", "Zl", "Zp")
    return sorted({ch for ch in text if ch not in "\t\n" and unicodedata.category(ch) in shown_categories})


def command_lines(text: str) -> list[str]:
    """Lines a CI runner would obey: it trims leading white space, then looks for '::' (GitHub Actions),
    '##[' (its older form) or '##vso[' (Azure Pipelines)."""
    return [line for line in text.split("\n") if line.lstrip().startswith(("::", "##[", "##vso["))]


def assert_clean(*texts: str) -> None:
    for text in texts:
        plain = SGR.sub("", text)
        assert raw_controls(plain) == [], plain
        assert command_lines(plain) == [], plain


@pytest.fixture(autouse=True)
def _no_shared_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NOS_MAPS_PATH", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


# --- 1. ids are ids ------------------------------------------------------------------------------------

MAPPING_PATHS = ["mapping-etc-passwd.yaml", "mapping-dev-zero.yaml", "mapping-relative-path.yaml"]


@pytest.mark.parametrize("name", MAPPING_PATHS)
@pytest.mark.parametrize("command", ["review", "matrix", "site"])
def test_a_mappings_map_is_never_opened_as_a_path(name: str, command: str, tmp_path: Path) -> None:
    mapping = str(HERE / name)
    args = {"review": ["mapping", "review", mapping], "matrix": ["matrix", "--against", mapping],
            "site": ["site", "--against", mapping, "--out-dir", str(tmp_path / "site")]}[command]
    r = run_cli(*args, "--maps-dir", str(MAPS))
    wanted = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["map"]
    assert r.exit_code == 2
    assert r.stderr.startswith(f"nos: no map with id {wanted!r}; available: ")
    assert r.stderr.count("\n") == 1
    assert "root:" not in r.stderr + r.stdout
    assert "hostile" in r.stderr  # the maps that are there are offered, by id
    assert r.stdout == ""


def test_a_secret_named_by_map_is_not_quoted(tmp_path: Path) -> None:
    secret = tmp_path / "secrets.env"
    secret.write_text("API_KEY=sk-live-0123456789\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(f"map: {secret}\ntitle: T\nitems:\n  - {{id: M1, title: m, ksbs: [K1]}}\n", encoding="utf-8")
    for args in (["mapping", "review", str(mapping)], ["matrix", "--against", str(mapping)],
                 ["validate", "-f", "text", str(mapping)], ["validate", "-f", "json", str(mapping)]):
        r = run_cli(*args)
        assert "sk-live" not in r.stdout + r.stderr, args
        assert "API_KEY" not in r.stdout + r.stderr, args
        assert f"no map with id {str(secret)!r}" in r.stdout + r.stderr, args


def test_validate_reports_a_path_in_map_as_an_unknown_map_at_its_place() -> None:
    r = run_cli("validate", "-f", "json", str(HERE / "mapping-etc-passwd.yaml"))
    assert r.exit_code == 1
    (problem,) = json.loads(r.stdout)["files"][0]["problems"]
    assert (problem["rule"], problem["line"], problem["column"]) == ("mapping-unknown-map", 1, 6)
    assert "root:" not in r.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_never_hangs_nos(tmp_path: Path) -> None:
    """Real processes with a timeout: reading a FIFO with no writer blocks forever, which CliRunner would too."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(f"map: {fifo}\ntitle: T\nitems:\n  - {{id: M1, title: m, ksbs: [K1]}}\n", encoding="utf-8")
    runs = {
        ("mapping", "review", str(mapping)): (2, "no map with id"),
        ("matrix", "--against", str(mapping)): (2, "no map with id"),
        ("validate", str(mapping)): (1, "no map with id"),
        ("validate", str(mapping), str(fifo)): (2, "not a regular file"),  # and the map finder skips it
        ("validate", str(fifo)): (2, "not a regular file"),
        ("show", "K1", "--map", str(fifo)): (2, "is a FIFO (named pipe): give a regular file"),
        ("diff", str(fifo)): (2, "is a FIFO (named pipe): give a regular file"),
        ("import", "ifate", str(fifo), "--out-dir", str(tmp_path)): (2, "is a FIFO (named pipe): give a regular file"),
    }
    for args, (code, message) in runs.items():
        p = subprocess.run([sys.executable, "-m", "nos_cli", *args], capture_output=True, text=True, timeout=60,
                           env={**os.environ, "NO_COLOR": "1"})
        assert p.returncode == code, (args, p.stderr)
        assert message in p.stdout + p.stderr, args
        assert "Traceback" not in p.stderr


def test_a_maps_folder_never_follows_a_link_out_of_it(tmp_path: Path) -> None:
    secret = tmp_path / "environ"
    secret.write_text("CI_DEPLOY_TOKEN=supersecret-token-123\n", encoding="utf-8")
    folder = tmp_path / "maps"
    folder.mkdir()
    shutil.copy(MAPS / "plain.yaml", folder / "plain.yaml")
    (folder / "e.yaml").symlink_to(secret)
    (folder / "inside.yaml").symlink_to(folder / "plain.yaml")  # a link that stays in the folder is a map
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.yaml")
    for args in (["map", "list", "-f", "json"], ["search", "learner", "--no-cache"], ["show", "K9"],
                 ["mapping", "review", str(HERE / "mapping-etc-passwd.yaml")]):
        r = run_cli(*args, env={"NOS_MAPS_PATH": str(folder)})
        assert "supersecret" not in r.stdout + r.stderr, args
        assert r.exit_code in (0, 1, 2), args
    listed = json.loads(run_cli("map", "list", "-f", "json", env={"NOS_MAPS_PATH": str(folder)}).stdout)["maps"]
    assert {Path(m["path"]).name for m in listed if not m["bundled"]} == {"inside.yaml"} or \
        {Path(m["path"]).name for m in listed if not m["bundled"]} == {"plain.yaml"}


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_never_read() -> None:
    for args in (["show", "K1", "--map", "/dev/zero"], ["validate", "/dev/zero"], ["diff", "/dev/zero"]):
        r = run_cli(*args)
        assert r.exit_code == 2, args
        assert r.stderr.startswith("nos: /dev/zero: ") and "not a regular file" in r.stderr, args
        assert r.stderr.count("\n") == 1


def test_a_file_that_grows_past_the_cap_is_not_read_whole(tmp_path: Path) -> None:
    """/proc files report size 0; the read is capped whatever stat says."""
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 5000 + "\n", encoding="utf-8")
    r = run_cli("validate", "-f", "concise", "--max-size", "100", str(big))
    assert r.exit_code == 1
    assert "[file-size]" in r.stdout
    assert "xxxx" not in r.stdout


# --- 2. hostile file names -----------------------------------------------------------------------------

FORGED = "n\n::error file=forged.yaml,line=1::forged\nx.yaml"
NAMES = [FORGED, "::warning::lead.yaml", "t\x1b]0;pwned\x07\x1b[2J.yaml", "rtl\u202elmay.exe.yaml",
         os.fsdecode(b"bad\xff.yaml")]


@pytest.fixture
def hostile_names(tmp_path: Path) -> Path:
    folder = tmp_path / "names"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(HERE / "bad" / "title-bidi.yaml", folder / name)
    return folder


def _validate(folder: Path, fmt: str, tmp_path: Path) -> tuple[str, str, str]:
    """Run in the folder, names as given (relative): a name is then what a line starts with."""
    summary = tmp_path / "summary.md"
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        r = run_cli("validate", "-f", fmt, "--", *sorted(NAMES), env={"GITHUB_STEP_SUMMARY": str(summary)})
    finally:
        os.chdir(cwd)
    assert r.exit_code == 1
    return r.stdout, r.stderr, summary.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["concise", "text"])
def test_a_file_name_cannot_forge_a_line(hostile_names: Path, fmt: str, tmp_path: Path) -> None:
    out, err, summary = _validate(hostile_names, fmt, tmp_path)
    assert_clean(out, err, summary)
    problem_lines = [line for line in out.splitlines() if not line.startswith(" ")]
    assert len(problem_lines) == len(NAMES)  # one problem per file, one line per problem
    assert all(line.endswith("(RIGHT-TO-LEFT OVERRIDE) at character 9") for line in problem_lines)
    assert any("n\\n::error file=forged.yaml" in line for line in problem_lines)
    assert any("\\x3a:warning::lead.yaml" in line for line in problem_lines)
    assert any("bad\\xff.yaml" in line for line in problem_lines)


def test_github_annotations_and_step_summary_stay_one_line_each(hostile_names: Path, tmp_path: Path) -> None:
    out, err, summary = _validate(hostile_names, "github", tmp_path)
    lines = out.splitlines()
    assert len(lines) == len(NAMES)
    for line in lines:
        assert re.fullmatch(r"::error file=[^:,]*,line=3,col=8,title=control-character::[^\n]*", line), line
    assert raw_controls(out + err) == []
    assert any("file=n%0A%3A%3Aerror file=forged.yaml%2Cline=1%3A%3Aforged%0Ax.yaml," in line for line in lines)
    rows = [line for line in summary.splitlines() if line.startswith("| ")][2:]  # past the header
    assert len(rows) == len(NAMES)
    assert_clean(summary)


def test_machine_formats_stay_valid_whatever_the_file_names(hostile_names: Path, tmp_path: Path) -> None:
    out, _, _ = _validate(hostile_names, "json", tmp_path)
    out.encode("utf-8")  # valid UTF-8: no lone surrogate survived
    paths = {os.fsencode(f["path"]) for f in json.loads(out)["files"]}
    assert paths == {os.fsencode(n) for n in NAMES}  # exact, the 0xff byte included
    sarif = json.loads(_validate(hostile_names, "sarif", tmp_path)[0])
    uris = [a["location"]["uri"] for a in sarif["runs"][0]["artifacts"]]
    assert all(uri.isascii() and uri.isprintable() for uri in uris)
    assert any(uri.endswith("bad%FF.yaml") for uri in uris)
    junit = ET.fromstring(_validate(hostile_names, "junit", tmp_path)[0].split("\n", 1)[1])
    assert len(junit.findall(".//testcase")) == len(NAMES)
    assert all(command_lines(f.text or "") == [] for f in junit.iter("failure"))


# --- 3. hostile texts across every command --------------------------------------------------------------

M = ["--maps-dir", str(MAPS)]
TEXT_RUNS = {
    "map show tree": (["map", "show", "hostile", *M], 0),
    "map show markdown": (["map", "show", "hostile", "-f", "markdown", *M], 0),
    "map show mermaid": (["map", "show", "hostile", "-f", "mermaid", *M], 0),
    "map show dot": (["map", "show", "hostile", "-f", "dot", *M], 0),
    "map show yaml": (["map", "show", "hostile", "-f", "yaml", *M], 0),
    "map show colour": (["map", "show", "hostile", "--color", "always", *M], 0),
    "map show html": (["map", "show", "hostile", "-f", "html", *M], 0),
    "show function": (["show", "F1", "--map", "hostile", *M], 0),
    "show ksb": (["show", "S1", "--map", "hostile", *M], 0),
    "show colour": (["show", "K1", "--map", "hostile", "--color", "always", *M], 0),
    "search": (["search", "learner", "--map", "hostile", "--no-cache", *M], 0),
    "search colour": (["search", "learner", "--map", "hostile", "--color", "always", "--no-cache", *M], 0),
    "search -l": (["search", "-l", "learner", "--map", "hostile", "--no-cache", *M], 0),
    "map list table": (["map", "list", *M], 0),
    "map list tsv": (["map", "list", "-f", "tsv", *M], 0),
    "matrix table": (["matrix", "hostile", *M], 0),
    "matrix tsv": (["matrix", "hostile", "-f", "tsv", *M], 0),
    "matrix markdown": (["matrix", "hostile", "-f", "markdown", *M], 0),
    "matrix html": (["matrix", "hostile", "-f", "html", *M], 0),
    "matrix against": (["matrix", "--against", str(HERE / "mapping-hostile.yaml"), *M], 0),
    "mapping review": (["mapping", "review", str(HERE / "mapping-hostile.yaml"), *M], 0),
    "compare text": (["compare", "plain", "hostile", *M], 0),
    "compare markdown": (["compare", "hostile", "plain", "-f", "markdown", *M], 0),
    "diff text": (["diff", str(HERE / "role-hostile.md"), "--map", "hostile", "--no-cache", *M], 0),
    "diff markdown": (["diff", str(HERE / "role-hostile.md"), "-f", "markdown", "--map", "hostile", "--no-cache", *M],
                      0),
    "validate text": (["validate", "-f", "text", str(MAPS / "hostile.yaml"), str(HERE / "mapping-hostile.yaml"), *M],
                      1),
    "validate concise": (["validate", "-f", "concise", str(MAPS / "hostile.yaml"), *M], 1),
    "validate colour": (["validate", "-f", "text", "--color", "always", str(MAPS / "hostile.yaml")], 1),
}


@pytest.mark.parametrize("name", sorted(TEXT_RUNS))
def test_hostile_texts_are_shown_never_obeyed(name: str) -> None:
    args, code = TEXT_RUNS[name]
    r = run_cli(*args)
    assert r.exit_code in (code, 1 if "mapping review" in name else code), r.stderr
    assert_clean(r.stdout, r.stderr)
    if name not in ("map list tsv", "search -l", "mapping review", "validate concise"):  # these quote no text
        # the escapes are there to read, not dropped
        assert "\\x1b" in r.stdout or "\\u202e" in r.stdout or "\\r" in r.stdout, r.stdout


def test_the_validate_echo_shows_the_checked_line_with_the_caret_under_the_character() -> None:
    r = run_cli("validate", "-f", "text", str(HERE / "bad" / "raw-bidi.yaml"))
    lines = r.stdout.splitlines()
    assert lines[0].endswith(":12:25: error [control-character] function F1 holds the invisible character U+202E "
                             "(RIGHT-TO-LEFT OVERRIDE) at character 8")
    assert lines[1] == "     12 |       - {id: F1, title: Advise \\u202elearners, editorial: true, ksbs: [K1]}"
    assert lines[2].index("^") == len("        | ") + 24  # column 25, 1-based
    assert_clean(r.stdout)


@pytest.mark.parametrize("args", [
    ["map", "show", "hostile", "-f", "json", *M], ["show", "S1", "-f", "json", "--map", "hostile", *M],
    ["search", "--json", "learner", "--map", "hostile", "--no-cache", *M],
    ["compare", "plain", "hostile", "-f", "json", *M], ["export", "hostile", "-f", "json", *M],
    ["export", "hostile", "-f", "case", *M], ["matrix", "hostile", "-f", "json", *M],
    ["diff", str(HERE / "role-hostile.md"), "-f", "json", "--map", "hostile", "--no-cache", *M],
    ["validate", "-f", "sarif", str(MAPS / "hostile.yaml")],
], ids=lambda a: " ".join(a[:3]))
def test_json_keeps_every_text_exactly_and_no_raw_control(args: list[str]) -> None:
    r = run_cli(*args)
    assert r.exit_code in (0, 1)
    assert raw_controls(r.stdout) == []
    docs = [json.loads(line) for line in r.stdout.splitlines()] if "--json" in args else [json.loads(r.stdout)]
    found = json.dumps(docs, ensure_ascii=False)
    if args[0] in ("map", "show", "search", "export", "compare"):
        # the same strings as the YAML: json_dumps escapes, it does not replace
        assert any(text in found for text in (json.dumps(KSB_TEXT["S1"], ensure_ascii=False)[1:-1],
                                              json.dumps(KSB_TEXT["K1"], ensure_ascii=False)[1:-1]))


def test_json_round_trips_the_hostile_texts() -> None:
    r = run_cli("map", "show", "hostile", "-f", "json", *M)
    data = json.loads(r.stdout)["map"]
    assert data["title"] == HOSTILE["title"]
    assert {k["id"]: k["text"] for k in data["ksbs"]} == KSB_TEXT
    assert data["key_areas"][0]["functions"][0]["note"] == HOSTILE["key_areas"][0]["functions"][0]["note"]


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("args", [["export", "hostile", "-f", "csv", *M], ["matrix", "hostile", "-f", "csv", *M],
                                  ["matrix", "--against", str(HERE / "mapping-hostile.yaml"), "-f", "csv", *M]],
                         ids=["export", "matrix", "matrix against"])
def test_csv_cells_never_start_a_formula_on_any_line(args: list[str]) -> None:
    r = run_cli(*args)
    assert r.exit_code == 0
    rows = _csv_rows(r.stdout)
    width = len(rows[0])
    assert all(len(row) == width for row in rows)  # a CR inside a cell did not start a row
    for row in rows:
        for cell in row:
            for line in re.split(r"\r\n|\r|\n", cell):
                assert not line.startswith(FORMULA_START), cell
                assert not line.lstrip().startswith(("::", "##[", "##vso[")), cell
    assert raw_controls(r.stdout.replace("\r", "")) == []


def test_csv_export_quotes_the_carriage_return_and_neutralises_the_formula_after_it() -> None:
    r = run_cli("export", "hostile", "-f", "csv", *M)
    row = next(row for row in _csv_rows(r.stdout) if row[2] == "K1")
    assert row[3] == "Keep records\r'=cmd|' /C calc'!A0"
    assert "\"Keep records\r'=cmd|' /C calc'!A0\"" in r.stdout  # quoted in the file
    k2 = next(row for row in _csv_rows(r.stdout) if row[2] == "K2")
    assert k2[3] == "'\r'+SUM(1+1)*cmd learner"  # a leading CR does not get past the quote


def test_graphml_and_junit_stay_well_formed() -> None:
    graph = run_cli("export", "hostile", "-f", "graphml", *M)
    root = ET.fromstring(graph.stdout.encode("utf-8"))
    texts = [d.text or "" for d in root.iter() if d.tag.endswith("data")]
    assert any("\\x1b]0;t\\x07" in t for t in texts)
    junit = run_cli("validate", "-f", "junit", str(MAPS / "hostile.yaml"))
    ET.fromstring(junit.stdout.split("\n", 1)[1])


def test_error_messages_show_what_the_user_or_environment_gave(tmp_path: Path) -> None:
    r = run_cli("show", "K1\x1b[2J\u202e", "--map", "hostile", *M)
    assert r.exit_code == 1
    assert_clean(r.stderr)
    assert "\\x1b[2J" in r.stderr
    r = run_cli("map", "show", "no\x1b]0;x\x07such", *M)
    assert r.exit_code == 2
    assert_clean(r.stderr)
    r = run_cli("map", "list", env={"NOS_MAPS_PATH": "/nonexistent\x1b[2J\n::error::env"})
    assert r.exit_code == 2
    assert_clean(r.stderr)
    assert r.stderr.count("\n") == 1
    r = run_cli("validate", str(tmp_path / "missing\x1b[2J.yaml"))
    assert r.exit_code == 2
    assert_clean(r.stderr)


def test_import_messages_show_hostile_titles(tmp_path: Path) -> None:
    std = json.loads((FIXTURES / "ifate" / "standard.json").read_text(encoding="utf-8"))
    std["title"] = "Widget \x1b]0;pwned\x07 technician\n::error::import"
    source = tmp_path / "std\x1b[2J.json"
    source.write_text(json.dumps(std), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    r = run_cli("import", "ifate", str(source), "--out-dir", str(out))
    assert r.exit_code == 0, r.stderr
    assert_clean(r.stdout, r.stderr)
    r = run_cli("import", "ifate", str(source), "--out-dir", str(out))  # now skipped: the message names the file
    assert r.exit_code == 1
    assert_clean(r.stdout, r.stderr)


# --- 4. validate reports control and bidi characters in every text field --------------------------------

BAD = {
    "title-bidi.yaml": (3, 8, "the title", "U+202E"),
    "source-bom.yaml": (6, 22, "sources[0].title", "U+FEFF"),
    "area-escape.yaml": (9, 12, "key area A1", "U+001B"),
    "description-c1.yaml": (4, 14, "the description", "U+009B"),
    "raw-bidi.yaml": (12, 25, "function F1", "U+202E"),
    "mapping-title-isolate.yaml": (2, 8, "the title", "U+2066"),
}


def test_every_security_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in (HERE / "bad").iterdir()) == sorted(BAD)


@pytest.mark.parametrize("name", sorted(BAD))
def test_control_and_bidi_characters_are_reported_where_they_are(name: str) -> None:
    r = run_cli("validate", "-f", "json", str(HERE / "bad" / name))
    assert r.exit_code == 1
    problems = [p for p in json.loads(r.stdout)["files"][0]["problems"] if p["rule"] == "control-character"]
    line, column, what, code = BAD[name]
    assert [(p["line"], p["column"]) for p in problems] == [(line, column)]
    assert problems[0]["message"].startswith(f"{what} holds the invisible character {code} ")


def test_every_text_field_of_the_hostile_map_is_reported() -> None:
    r = run_cli("validate", "-f", "json", str(MAPS / "hostile.yaml"))
    where = {p["message"].split(" holds ")[0] for p in json.loads(r.stdout)["files"][0]["problems"]
             if p["rule"] == "control-character"}
    assert where == {"the title", "the description", "sources[0].title", "sources[0].publisher", "the key purpose",
                     "key area A1", "function F1", "function F1's rationale", "function F1's note",
                     "KSB K1", "KSB S1", "KSB K2", "KSB K3"}


# --- 5. fuzz: nothing from a map or a role reaches the terminal raw --------------------------------------

# Any character but a lone surrogate (a YAML file cannot hold one), with the hostile ones and the makings of a
# CI command drawn often: uniform draws from all of Unicode rarely hit ESC or U+202E.
ANY_CHAR = st.one_of(st.sampled_from(list("\x1b\x07\x00\r\n\t\x7f\x85\x9b\u202e\u2066\u200f\ufeff\u2028:#[]=")),
                     st.characters(exclude_categories=("Cs",)))


def _yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar spelling every character but printable ASCII as an escape."""
    return '"' + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" for c in text) + '"'


def _fuzz_map(folder: Path, text: str) -> None:
    q = _yaml_quoted(text)
    (folder / "fuzz.yaml").write_text(f"""nos_map: 1
id: fuzz
title: {q}
kind: functional-map
sources: [{{id: s, title: {q}}}]
key_purpose: {{text: {q}, source: s}}
key_areas:
  - id: A1
    title: {q}
    editorial: true
    functions:
      - {{id: F1, title: {q}, editorial: true, rationale: {q}, ksbs: [K1]}}
ksbs:
  - {{id: K1, kind: knowledge, source: s, text: {_yaml_quoted("learner " + text)}}}
""", encoding="utf-8")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(ANY_CHAR, min_size=1, max_size=24))
def test_fuzz_no_control_byte_reaches_text_output(text: str, tmp_path: Path) -> None:
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    _fuzz_map(folder, text)
    m = ["--maps-dir", str(folder)]
    runs = [["map", "show", "fuzz", *m], ["map", "show", "fuzz", "-f", "markdown", *m],
            ["show", "F1", "--map", "fuzz", *m], ["show", "K1", "--map", "fuzz", *m],
            ["search", "learner", "--map", "fuzz", "--no-cache", *m], ["map", "list", *m],
            ["matrix", "fuzz", *m], ["compare", "fuzz", "fuzz", *m],
            ["validate", "-f", "text", str(folder / "fuzz.yaml")]]
    for args in runs:
        r = run_cli(*args)
        assert r.exit_code in (0, 1, 2), args
        assert raw_controls(r.stdout + r.stderr) == [], (args, r.stdout, r.stderr)
        assert command_lines(r.stdout + r.stderr) == [], (args, r.stdout)
    role = run_cli("diff", "-", "--map", "fuzz", "--no-cache", *m, input=f"- learner {text}\n- {text}\n")
    assert raw_controls(role.stdout + role.stderr) == []
    assert command_lines(role.stdout + role.stderr) == []


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_shown_leaves_nothing_raw_and_is_idempotent(text: str) -> None:
    once = shown(text, keep="")
    assert raw_controls(once.replace("\t", "\\t").replace("\n", "\\n")) == []
    assert "\t" not in once and "\n" not in once
    assert shown(once, keep="") == once
    assert text.isprintable() == (once == text) or not text.isprintable()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), min_size=1, max_size=4))
def test_delimited_rows_read_back_cell_for_cell(rows: list[list[str]]) -> None:
    text = delimited(rows)
    assert _csv_rows(text) == [[safe_cell(v) for v in row] for row in rows]


def test_the_fast_scan_skips_only_characters_that_need_no_showing() -> None:
    """textsafe.SAFE_RANGES is written for this Unicode version; a newer one could add a format character."""
    from nos_cli.textsafe import SAFE_RANGES

    skipped = re.compile(f"[{SAFE_RANGES}]")
    bad = [hex(c) for c in range(0x110000) if skipped.match(chr(c)) and raw_controls(chr(c))]
    assert bad == []

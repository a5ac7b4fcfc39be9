"""Hostile and broken input for every reader: special files, capped reads, wrong types in every field of every
format, IfATE JSON with bad values, binary role text. Each case asserts what a user sees: one line on stderr
naming the file (with line and column where there is one), the documented exit code, never an internal error.
The slow cases (big input, timings) are in bench/hazards.py.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from nos_cli.cli.app import app
from nos_cli.mapping.file import OBJECTS as MAPPING_OBJECTS
from nos_cli.mapping.file import fingerprint
from nos_cli.maps.format import OBJECTS as MAP_OBJECTS
from tests.conftest import FIXTURES, Result, run_cli


def run_bytes(*args: str, data: bytes, env: dict[str, str] | None = None) -> Result:
    """``nos ARGS`` with raw bytes on standard input."""
    r = CliRunner().invoke(app, list(args), input=data, env=env, catch_exceptions=False)
    return Result(r.exit_code, r.stdout, r.stderr)


def assert_clean_error(r: Result, code: int = 2) -> str:
    """One line on stderr, starting ``nos:``, no internal error; returns it."""
    assert r.exit_code == code, (r.exit_code, r.stderr)
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nos: "), r.stderr
    return lines[0]


# --- special files, folders, capped reads ----------------------------------------------------------------

READERS = (
    ("map show", lambda p: ("map", "show", p)),
    ("show --map", lambda p: ("show", "K1", "--map", p)),
    ("validate", lambda p: ("validate", p)),
    ("search --map", lambda p: ("search", "x", "--no-cache", "--map", p)),
    ("compare", lambda p: ("compare", p, "learning-mentor")),
    ("export", lambda p: ("export", p)),
    ("diff", lambda p: ("diff", p)),
    ("import ifate", lambda p: ("import", "ifate", p)),
    ("matrix --against", lambda p: ("matrix", "--against", p)),
    ("mapping review", lambda p: ("mapping", "review", p)),
)


@pytest.mark.parametrize(("name", "args"), READERS, ids=[r[0] for r in READERS])
def test_a_fifo_is_refused_at_once_not_waited_on(name: str, args: Any, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    line = assert_clean_error(run_cli(*args(str(fifo))))
    assert line.startswith(f"nos: {fifo}: ") and "FIFO" in line  # validate's folder walk words it its own way


@pytest.mark.parametrize(("name", "args"), READERS, ids=[r[0] for r in READERS])
def test_a_device_is_refused_not_read_forever(name: str, args: Any) -> None:
    line = assert_clean_error(run_cli(*args("/dev/zero")))
    assert line.startswith("nos: /dev/zero: ") and "device" in line


@pytest.mark.parametrize(("name", "args"), [r for r in READERS if r[0] != "validate"],
                         ids=[r[0] for r in READERS if r[0] != "validate"])  # validate walks folders
def test_a_folder_is_named_as_a_folder(name: str, args: Any, tmp_path: Path) -> None:
    line = assert_clean_error(run_cli(*args(str(tmp_path / "."))))
    assert "is a folder" in line or "not a" in line


@pytest.mark.parametrize("command", ["validate", "diff", "map show"])
def test_a_fifo_is_refused_by_a_real_process_not_waited_on(command: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # nothing ever writes to it: a reader that opened it would wait until the timeout
    proc = subprocess.run([sys.executable, "-m", "nos_cli", *command.split(), str(fifo)], capture_output=True,
                          text=True, timeout=20, check=False)
    assert proc.returncode == 2 and "FIFO" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [("validate", "-"), ("map", "show", "-"), ("diff", "-"),
                                  ("import", "ifate", "-")])
def test_standard_input_is_read_only_up_to_the_cap(args: tuple[str, ...]) -> None:
    data = b"# " + b"x" * 5000 + b"\n"
    r = run_bytes(*args, data=data, env={"NOS_MAX_FILE_SIZE": "1000"})
    assert "internal error" not in r.stderr
    if args[0] == "validate":  # a file over the cap is a problem in it (exit 1), as by path
        assert r.exit_code == 1 and "[file-size]" in r.stdout and "more than 1,000 bytes" in r.stdout
    else:
        assert r.exit_code == 2 and "1,000" in r.stderr


def test_stdin_read_is_capped_not_whole() -> None:
    """The reader asks the stream for at most cap + 1 bytes, whatever the stream could give."""
    import io

    from nos_cli.files.read import read_input

    class Endless(io.RawIOBase):
        served = 0

        def readable(self) -> bool:
            return True

        def readinto(self, b: Any) -> int:
            n = len(b)
            b[:n] = b"y" * n
            self.served += n
            return n

    endless = Endless()
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BufferedReader(endless, buffer_size=4096))
    try:
        got = read_input("-", max_bytes=100_000)
    finally:
        sys.stdin = old
    assert got.over and len(got.data) == 100_001 and endless.served < 200_000


def test_a_closed_standard_input_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from nos_cli.errors import NosError
    from nos_cli.files.read import read_input

    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(NosError, match="standard input is closed"):
        read_input("-", max_bytes=10)


def test_an_unreadable_maps_dir_is_reported_not_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "maps"
    folder.mkdir()
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)  # root reads every folder: refuse it as the kernel would
    for args in (("map", "list"), ("search", "mentor"), ("map", "show", "learning-mentor"), ("validate",)):
        line = assert_clean_error(run_cli(*args, "--maps-dir", str(folder)))
        assert line == f"nos: {folder}: cannot read the folder: Permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    f = tmp_path / "m.yaml"
    f.write_text("nos_map: 1\n")
    f.chmod(0)
    assert "Permission denied" in assert_clean_error(run_cli("map", "show", str(f)))


def test_an_unreadable_file_is_named_whoever_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "m.yaml"
    f.write_text("nos_map: 1\n")
    real = os.open

    def refuse(path: Any, flags: int, *a: Any) -> int:
        if str(path) == str(f):
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *a)

    monkeypatch.setattr(os, "open", refuse)
    for args in (("map", "show", str(f)), ("diff", str(f)), ("import", "ifate", str(f)), ("validate", str(f))):
        assert assert_clean_error(run_cli(*args)) == f"nos: {f}: cannot read: Permission denied"


# --- diff: what is not text is refused, and text is read, the same way by path and on stdin -----------------

BINARY = {
    "an executable": Path(sys.executable).read_bytes()[:20_000],
    "UTF-16 without a mark": "The mentor plans sessions.\n".encode("utf-16-le"),
    "UTF-32": "The mentor plans sessions.\n".encode("utf-32"),
}
TEXT = {
    "UTF-16 with a mark": "- The mentor plans sessions.\n- Reviews progress.\n".encode("utf-16"),
    "Windows-1252": "- Plans sessions \u2013 weekly.\n- Caf\xe9 duties.\n".encode("cp1252"),
}


@pytest.mark.parametrize("name", list(BINARY))
def test_diff_refuses_binary_alike_on_stdin_and_by_path(name: str, tmp_path: Path) -> None:
    data = BINARY[name]
    f = tmp_path / "role.txt"
    f.write_bytes(data)
    by_path = assert_clean_error(run_cli("diff", str(f)))
    on_stdin = assert_clean_error(run_bytes("diff", "-", data=data))
    assert by_path.replace(str(f), "<stdin>") == on_stdin
    assert re.search(r"UTF-32|NUL character", on_stdin)


@pytest.mark.parametrize("name", list(TEXT))
def test_diff_reads_other_encodings_alike_on_stdin_and_by_path(name: str, tmp_path: Path) -> None:
    f = tmp_path / "role.txt"
    f.write_bytes(TEXT[name])
    by_path = json.loads(run_cli("diff", str(f), "--format", "json").stdout)
    on_stdin = json.loads(run_bytes("diff", "-", "--format", "json", data=TEXT[name]).stdout)
    assert [s["text"] for s in by_path["statements"]] == [s["text"] for s in on_stdin["statements"]]
    assert len(by_path["statements"]) == 2


def test_diff_names_line_and_column_of_a_nul(tmp_path: Path) -> None:
    f = tmp_path / "role.md"
    f.write_bytes(b"- Plans sessions\n- Caf\x00 duties\n")
    assert assert_clean_error(run_cli("diff", str(f))).startswith(f"nos: {f}:2:6: a NUL character")


# --- every field of every format, given a value of the wrong type ------------------------------------------

BASE_MAP: dict[str, Any] = {
    "nos_map": 1, "id": "typed", "title": "Typed", "kind": "functional-map", "version": "1.0",
    "description": "A map with every object.", "partial": False,
    "levels": {"key_purpose": "Purpose", "key_area": "Area", "function": "Function", "element": "Element"},
    "sources": [{"id": "s", "title": "S", "reference": "R1", "version": "1", "level": 3, "status": "live",
                 "publisher": "P", "date": "2024-01-01", "address": "https://example.org", "licence": "OGL",
                 "taken": "all"}],
    "key_purpose": {"text": "Support learners.", "source": "s", "editorial": False, "note": "n"},
    "key_areas": [{"id": "A1", "title": "Plan support", "source": "s", "editorial": False, "note": "n",
                   "functions": [{"id": "F1", "title": "Plan sessions with learners", "source": "s",
                                  "editorial": False, "note": "n", "rationale": "r", "core": True,
                                  "ksbs": ["K1", "S1"],
                                  "elements": [{"id": "E1", "title": "Agree goals", "source": "s",
                                                "editorial": False, "note": "n"}]}]}],
    "ksbs": [{"id": "K1", "kind": "knowledge", "text": "How learners learn", "source_ref": "g-1", "source": "s",
              "editorial": False, "note": "n"},
             {"id": "S1", "kind": "skill", "text": "Plan mentoring sessions", "source": "s"}],
    "notes": ["a note"],
}
MAP_PLACES = {"map": (), "levels": ("levels",), "source": ("sources", 0), "key_purpose": ("key_purpose",),
              "key_area": ("key_areas", 0), "function": ("key_areas", 0, "functions", 0),
              "element": ("key_areas", 0, "functions", 0, "elements", 0), "ksb": ("ksbs", 0)}
ITEM = {"id": "M1", "title": "Module", "description": "d", "ksbs": ["K1"],
        "fingerprints": {"K1": fingerprint("How learners learn")}}
BASE_MAPPING: dict[str, Any] = {"nos_mapping": 1, "map": "typed", "map_version": "1.0", "title": "Programme",
                                "description": "d", "items": [ITEM]}
MAPPING_PLACES = {"mapping": (), "item": ("items", 0)}

WRONG: dict[str, Any] = {"a list": [1, [2]], "a mapping": {"x": {"y": 1}}, "a number": 12, "a bool": True,
                         "text": "some text"}


def _fits(kind: str, value: Any) -> bool:
    """Whether a value is of the declared type: those are not wrong values."""
    if kind == "str|int":
        return isinstance(value, (str, int)) and not isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    return False


def _cases(objects: Any, places: dict[str, tuple[Any, ...]]) -> list[tuple[str, str, str]]:
    return [(obj, key, wrong) for obj, spec in objects.items() for key, fld in spec.fields.items()
            for wrong, value in WRONG.items() if not _fits(fld.type, value)]


def _set(doc: dict[str, Any], where: tuple[Any, ...], key: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    target: Any = out
    for step in where:
        target = target[step]
    target[key] = value
    return out


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True))


def _assert_positioned(line: str, path: Path, key: str) -> None:
    """``nos: FILE:LINE:COL: message [rule]``, the line naming the field (or the value under it)."""
    m = re.match(rf"nos: {re.escape(str(path))}:(\d+):(\d+): .* \[([a-z-]+)\]", line)
    assert m, line
    lines = path.read_text().splitlines()
    n = int(m.group(1))
    near = "\n".join(lines[max(n - 4, 0):n])  # the key, or a line of the value written under it
    assert f"{key}:" in near or f"- {key}" in near or n <= 2, (line, near)


def test_the_base_map_and_mapping_are_valid(tmp_path: Path) -> None:
    _write(tmp_path / "typed.yaml", BASE_MAP)
    _write(tmp_path / "programme.yaml", BASE_MAPPING)
    r = run_cli("validate", str(tmp_path / "typed.yaml"), str(tmp_path / "programme.yaml"))
    assert r.exit_code == 0, r.stdout


@pytest.mark.parametrize(("obj", "key", "wrong"), _cases(MAP_OBJECTS, MAP_PLACES))
def test_every_map_field_of_a_wrong_type(obj: str, key: str, wrong: str, tmp_path: Path) -> None:
    path = tmp_path / "typed.yaml"
    _write(path, _set(BASE_MAP, MAP_PLACES[obj], key, WRONG[wrong]))
    commands = [("map", "show", str(path)), ("show", "K1", "--map", str(path)),
                ("search", "learn", "--map", str(path)), ("matrix", str(path))]
    if wrong != "a list":  # one value per field through every command; the others through map show
        commands = commands[:1]
    for args in commands:
        _assert_positioned(assert_clean_error(run_cli(*args, "--no-cache") if args[0] == "search" else
                                              run_cli(*args)), path, key)
    r = run_cli("validate", str(path))
    assert r.exit_code == 1 and "internal error" not in r.stderr


@pytest.mark.parametrize(("obj", "key", "wrong"), _cases(MAPPING_OBJECTS, MAPPING_PLACES))
def test_every_mapping_field_of_a_wrong_type(obj: str, key: str, wrong: str, tmp_path: Path) -> None:
    _write(tmp_path / "typed.yaml", BASE_MAP)
    path = tmp_path / "programme.yaml"
    _write(path, _set(BASE_MAPPING, MAPPING_PLACES[obj], key, WRONG[wrong]))
    maps = ("--maps-dir", str(tmp_path))
    for args in (("matrix", "typed", "--against", str(path), *maps), ("mapping", "review", str(path), *maps)):
        _assert_positioned(assert_clean_error(run_cli(*args)), path, key)


ROLE_WRONG = {
    "statements: a number": ("statements: 5\n", 1, 13),
    "an item that is a list": ("- Plans sessions\n- [1, 2]\n", 2, 3),
    "text that is a mapping": ("- text: {a: 1}\n", 1, 9),
    "text that is a list": ('[{"text": [1, 2]}]', 1, 11),
    "a top-level number": ("12\n", 1, 1),
}


@pytest.mark.parametrize("name", list(ROLE_WRONG))
def test_role_yaml_and_json_of_wrong_types(name: str, tmp_path: Path) -> None:
    text, line, col = ROLE_WRONG[name]
    path = tmp_path / ("role.json" if text.startswith("[") else "role.yaml")
    path.write_text(text)
    assert assert_clean_error(run_cli("diff", str(path))).startswith(f"nos: {path}:{line}:{col}: ")


def test_role_yaml_keeps_what_was_written_for_yes_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "role.yaml"
    path.write_text("- yes\n- 1.10\n- Plans sessions\n")
    r = run_cli("diff", str(path), "--format", "json")
    assert r.exit_code == 0
    assert [s["text"] for s in json.loads(r.stdout)["statements"]] == ["yes", "1.10", "Plans sessions"]


# --- IfATE JSON: values checked at the boundary --------------------------------------------------------------

STANDARD = json.loads((FIXTURES / "ifate" / "standard.json").read_text())


def _import(tmp_path: Path, text: str) -> Result:
    src = tmp_path / "in.json"
    src.write_text(text, encoding="utf-8", errors="surrogatepass")
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return run_cli("import", "ifate", str(src), "--out-dir", str(out))


def test_json_nested_100k_deep_is_refused_with_its_place(tmp_path: Path) -> None:
    line = assert_clean_error(_import(tmp_path, "[" * 100_000 + "]" * 100_000))
    assert line.endswith(":1:33: JSON nested deeper than 32 levels; a standard needs about five")


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    std = dict(STANDARD, title="[[[[" * 50 + "]]]]" * 50 + '"{' * 40)
    assert _import(tmp_path, json.dumps(std)).exit_code == 0


def test_a_5000_digit_number_is_refused_with_its_place(tmp_path: Path) -> None:
    line = assert_clean_error(_import(tmp_path, '{"referenceNumber": "ST1",\n "level": ' + "9" * 5000 + "}"))
    assert line.endswith(":2:11: a number of 5,000 digits is too long to read")


def _duty(**fields: Any) -> dict[str, Any]:
    std = copy.deepcopy(STANDARD)
    std["duties"][0].update(fields)
    return std


BAD_STANDARDS: dict[str, tuple[dict[str, Any], str]] = {
    "isThisACoreDuty superscript": (_duty(isThisACoreDuty="²"), "isThisACoreDuty is '²'"),
    "knowledges a number": (dict(STANDARD, knowledges=5), "knowledges is 5: expected a list"),
    "knowledges a string": (dict(STANDARD, knowledges="abc"), "knowledges is 'abc': expected a list"),
    "mappedKnowledge a number": (_duty(mappedKnowledge=7), "mappedKnowledge is 7: expected a list of ids"),
    "mappedKnowledge a string": (_duty(mappedKnowledge="k-guid-1"), "mappedKnowledge is 'k-guid-1'"),
    "options a number": (dict(STANDARD, options=3), "options is 3: expected a list"),
    "options a string": (dict(STANDARD, options="opt"), "options is 'opt': expected a list"),
    "a duty that is a string": (dict(STANDARD, duties=["x"]), "duties[0] is 'x': expected an object"),
    "detail an object": (dict(STANDARD, skills=[{"skillId": "s", "detail": {"a": 1}}]),
                         "skills[0].detail is an object: expected text"),
    "level superscript": (dict(STANDARD, level="³"), "level is '³'"),
}


@pytest.mark.parametrize("name", list(BAD_STANDARDS))
def test_a_bad_value_skips_its_standard_naming_it_and_the_rest_are_imported(name: str, tmp_path: Path) -> None:
    bad, expected = BAD_STANDARDS[name]
    good = dict(STANDARD, referenceNumber="ST7777")
    r = _import(tmp_path, json.dumps([bad, good]))
    assert r.exit_code == 1 and "internal error" not in r.stderr, r.stderr
    skipped = [line for line in r.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 1 and expected in skipped[0], r.stderr
    assert (tmp_path / "out" / f"st7777-v{STANDARD['version'].replace('.', '-')}.yaml").is_file()


def test_a_duty_problem_names_its_duty_id(tmp_path: Path) -> None:
    r = _import(tmp_path, json.dumps(_duty(isThisACoreDuty=[1])))
    duty_id = STANDARD["duties"][0]["dutyID"]
    assert f"duties[0] (dutyID {duty_id}): isThisACoreDuty is a list of 1" in r.stderr and r.exit_code == 1


def test_a_lone_surrogate_is_named_not_an_internal_error(tmp_path: Path) -> None:
    text = json.dumps(STANDARD).replace('"title": "', '"title": "\\ud800', 1)
    r = _import(tmp_path, text)
    assert r.exit_code == 1 and "title holds an unpaired surrogate (\\ud800) at character 1" in r.stderr


def test_a_name_over_255_bytes_skips_only_that_standard(tmp_path: Path) -> None:
    long = dict(STANDARD, referenceNumber="ST" + "9" * 300)
    r = _import(tmp_path, json.dumps([long, dict(STANDARD, referenceNumber="ST7777")]))
    assert r.exit_code == 1 and "over the 255-byte limit" in r.stderr and "1 written, 1 skipped" in r.stderr


def test_core_duty_flags_in_every_spelling(tmp_path: Path) -> None:
    for n, (value, core) in enumerate(((0, "false"), (1, "true"), ("0", "false"), ("1", "true"),
                                       ("false", "false"), ("true", "true"), (False, "false"))):
        out = tmp_path / str(n)
        out.mkdir()
        src = tmp_path / "in.json"
        src.write_text(json.dumps(_duty(isThisACoreDuty=value)))
        assert run_cli("import", "ifate", str(src), "--out-dir", str(out)).exit_code == 0
        written = next(out.iterdir()).read_text()
        assert f"core: {core}" in written, (value, written)


def test_mapping_review_refuses_another_format_version(tmp_path: Path) -> None:
    _write(tmp_path / "typed.yaml", BASE_MAP)
    path = tmp_path / "programme.yaml"
    _write(path, dict(BASE_MAPPING, nos_mapping=2))
    for args in (("mapping", "review", str(path)), ("matrix", "typed", "--against", str(path))):
        line = assert_clean_error(run_cli(*args, "--maps-dir", str(tmp_path)))
        assert line.startswith(f"nos: {path}:1:14: mapping format version 2 is not supported")


def test_a_long_role_prints_as_plain_lines_with_the_same_matches(tmp_path: Path) -> None:
    from nos_cli.render.diff import TABLE_ROWS

    verbs = ("Plan", "Review", "Support", "Record", "Agree", "Safeguard", "Refer")
    nouns = ("sessions with learners", "progress and targets", "barriers to learning", "concerns with staff")
    role = tmp_path / "role.md"
    role.write_text("".join(f"- {verbs[i % 7]} {nouns[i % 4]} ({i})\n" for i in range(TABLE_ROWS + 50)))
    text = run_cli("diff", str(role))
    doc = json.loads(run_cli("diff", str(role), "--format", "json").stdout)
    assert text.exit_code == 0 and len(doc["statements"]) == TABLE_ROWS + 50
    rows = text.stdout.splitlines()
    for s in doc["statements"]:
        row = rows[s["line"] + 1]  # after the title and a blank line, one row per statement in order
        assert row.startswith(f"{s['line']}  {s['text']}  ->  ")
        assert [part.split()[0] for part in row.split("  ->  ", 1)[1].split("; ")] == \
            ([m["id"] for m in s["matches"]] or ["not"])


# --- big input: the linear paths give the answers the exact ones give ----------------------------------------


@pytest.mark.parametrize("other", ["reworded", "nos-learning-development-2010"])
def test_compare_above_the_exact_budget_pairs_as_the_exact_pass_does(other: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Maps of 100k KSBs are paired by shared rare words (linear); on these maps that gives the same comparison
    as scoring every pair."""
    from nos_cli.maps.catalog import bundled_dir
    from nos_cli.versions import compare

    if other == "reworded":  # every KSB text changed a little: only the similarity pass can pair them
        text = (bundled_dir() / "learning-mentor.yaml").read_text(encoding="utf-8")
        text = re.sub(r"(text: \"?)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
        text = text.replace(" and ", " & ").replace("id: learning-mentor", "id: lm-reworded")
        other = str(tmp_path / "lm-reworded.yaml")
        Path(other).write_text(text, encoding="utf-8")
    exact = run_cli("compare", "learning-mentor", other, "--format", "json")
    monkeypatch.setattr(compare, "EXACT_BUDGET", 0)
    blocked = run_cli("compare", "learning-mentor", other, "--format", "json")
    assert exact.exit_code == blocked.exit_code == 0
    assert json.loads(exact.stdout) == json.loads(blocked.stdout)


def test_long_paragraph_statements_keep_the_line_they_start_on() -> None:
    from nos_cli.diff.role import parse_text

    lines = [f"The mentor meets learner {n} weekly. They agree" if n % 2 else f"targets for term {n}." for n in
             range(1, 3001)]
    statements = parse_text("\n".join(lines))
    assert len(statements) > 2000
    for s in statements:
        first_words = " ".join(s.text.split()[:3])
        assert first_words in lines[s.line - 1] or s.text.split()[0] in lines[s.line - 1].split()[-2:], s

"""nos search, as a trainer uses it from the shell."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, run_cli

AWKWARD = str(FIXTURES / "search" / "brackets.yaml")


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "cache"))


def test_safeguarding_is_one_line_for_s9() -> None:
    r = run_cli("search", "safeguarding")
    assert r.exit_code == 0
    assert r.stdout == "learning-mentor:S9\tbe vigilant in safeguarding learners and others in contact with them\n"


def test_count_matches_lines() -> None:
    lines = run_cli("search", "-i", "learner").stdout.splitlines()
    assert len(lines) > 10
    assert run_cli("search", "-c", "-i", "learner").stdout == f"{len(lines)}\n"


def test_no_match_exits_1_and_prints_nothing_off_a_terminal() -> None:
    # as grep and rg: a script sees only the exit code
    for pattern in ("zzzz", "safegarding"):
        r = run_cli("search", pattern)
        assert (r.exit_code, r.stdout, r.stderr) == (1, "", "")


def test_suggestions_never_offer_the_word_searched_for() -> None:
    from nos_cli.maps.indexes import select
    from nos_cli.search.grep import suggestions

    indexes = select([], [])
    assert "safeguarding" in suggestions(indexes, "safegarding")
    close = suggestions(indexes, "safeguard")
    assert "safeguard" not in [w.casefold() for w in close] and close


def test_bad_regex_exits_2_with_one_line() -> None:
    r = run_cli("search", "-E", "(")
    assert r.exit_code == 2
    assert r.stderr == "nos: bad regular expression '(' at position 1: missing ), unterminated subpattern\n"


def test_json_lines_carry_nos_context() -> None:
    lines = run_cli("search", "--json", "-i", "safeguard").stdout.splitlines()
    docs = [json.loads(line) for line in lines]
    assert docs[-1]["type"] == "summary"
    matches = [d["data"] for d in docs if d["type"] == "match"]
    assert docs[-1]["data"]["stats"]["matched_lines"] == len(matches)
    s9 = next(d for d in matches if d["id"] == "S9")
    assert (s9["map"], s9["kind"], s9["area"], s9["areas"], s9["functions"]) == (
        "learning-mentor", "skill", "KA2", ["KA2"], ["F9"])
    sub = s9["submatches"][0]
    assert s9["lines"]["text"].encode()[sub["start"]:sub["end"]].decode() == sub["match"]["text"] == "safeguard"


def test_fuzzy_finds_s9() -> None:
    r = run_cli("search", "--fuzzy", "safegarding")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0].startswith("learning-mentor:S9\t")
    doc = json.loads(run_cli("search", "--fuzzy", "--json", "safegarding").stdout.splitlines()[1])
    assert doc["data"]["score"] >= 80


def test_grep_flags() -> None:
    assert run_cli("search", "-w", "assess", "--map", AWKWARD).stdout.splitlines() == [
        "brackets:S1\tassess learner progress"]
    assert run_cli("search", "-x", "assess learner progress", "--map", AWKWARD).stdout.startswith("brackets:S1\t")
    assert run_cli("search", "-x", "assess learner", "--map", AWKWARD).exit_code == 1
    inverted = run_cli("search", "-v", "-i", "assess", "--map", AWKWARD).stdout
    assert "brackets:A2\tOther area" in inverted and "S1" not in inverted
    assert run_cli("search", "-i", "ASSESS", "-m", "2", "--map", AWKWARD).stdout.count("\n") == 2
    assert run_cli("search", "-q", "assess").stdout == ""
    assert run_cli("search", "-q", "zzzz").exit_code == 1
    assert run_cli("search", "-l", "-i", "assess").stdout.splitlines() == [
        "ldss-learning-mentor-mentoring", "learning-mentor", "nos-learning-development-2010"]
    assert run_cli("search", "-E", r"^assess\w*", "--map", AWKWARD).stdout.splitlines() == [
        "brackets:K1\tassessment methods, e.g. [b]observation[/b]", "brackets:S1\tassess learner progress"]


def test_ids_are_searchable() -> None:
    assert run_cli("search", "-x", "S9").stdout.startswith("learning-mentor:S9\t")


def test_filters_kind_area_map() -> None:
    out = run_cli("search", "-i", "assess", "--kind", "knowledge", "--map", AWKWARD).stdout
    assert [line.split("\t")[0] for line in out.splitlines()] == ["brackets:K1", "brackets:K2"]
    out = run_cli("search", "-i", "assess", "--area", "A2", "--map", AWKWARD).stdout
    assert [line.split("\t")[0] for line in out.splitlines()] == ["brackets:F2", "brackets:K2"]
    out = run_cli("search", "-i", "assess", "--kind", "ksb,function", "--map", "learning-mentor").stdout
    assert {line.split("\t")[0] for line in out.splitlines()} == {"learning-mentor:F4", "learning-mentor:S4",
                                                                  "learning-mentor:K4"}
    assert run_cli("search", "x", "--kind", "recipe").exit_code == 2
    assert run_cli("search", "x", "--map", "no-such-map").exit_code == 2
    assert run_cli("search", "--no-map", "safeguarding").stdout.startswith("S9\t")


def test_markup_prints_literally_and_colour_only_on_request() -> None:
    plain = run_cli("search", "observation", "--map", AWKWARD).stdout
    assert plain == "brackets:K1\tassessment methods, e.g. [b]observation[/b]\n"
    coloured = run_cli("search", "observation", "--map", AWKWARD, "--color", "always").stdout
    assert "\x1b[1;31mobservation\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "\x1b[" not in run_cli("search", "-i", "markup", "--map", AWKWARD).stdout


def test_cache_is_used_rebuilt_when_stale_and_survives_corruption(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    m = tmp_path / "m.yaml"
    m.write_text(Path(AWKWARD).read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("search", "observation", "--map", str(m)).exit_code == 0
    db = cache / "index.sqlite3"
    assert db.is_file()
    # Edited (same size, so only mtime or content tells): never served stale.
    m.write_text(m.read_text(encoding="utf-8").replace("observation", "inspection!"), encoding="utf-8")
    assert run_cli("search", "observation", "--map", str(m)).exit_code == 1
    assert run_cli("search", "inspection!", "--map", str(m)).exit_code == 0
    # A corrupt database is rebuilt with a warning, not a crash.
    for extra in ("-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    db.write_bytes(b"\x00garbage" * 1000)
    r = run_cli("search", "inspection!", "--map", str(m))
    assert r.exit_code == 0 and "rebuilding it" in r.stderr
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"


def test_cache_off_and_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    assert run_cli("search", "safeguarding", "--no-cache").exit_code == 0
    assert not cache.exists()
    assert run_cli("search", "safeguarding", env={"NOS_NO_CACHE": "1"}).exit_code == 0
    assert not cache.exists()
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("NOS_CACHE_DIR", str(blocker / "cache"))
    assert run_cli("search", "safeguarding").exit_code == 0


def test_cache_racy_entry_is_verified_by_content(tmp_path: Path) -> None:
    from nos_cli.maps.indexes import select

    m = tmp_path / "m.yaml"
    m.write_text(Path(AWKWARD).read_text(encoding="utf-8"), encoding="utf-8")
    first = select([str(m)], [])[0].records
    st = m.stat()
    m.write_text(m.read_text(encoding="utf-8").replace("Other area", "Other arex"), encoding="utf-8")
    os.utime(m, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size and mtime: only the content differs
    again = select([str(m)], [])[0].records
    assert first != again
    assert any(r[2] == "Other arex" for r in again)


def test_concurrent_searches_leave_a_valid_cache(tmp_path: Path) -> None:
    env = {**os.environ, "NOS_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "nos_cli", "search", "-c", "-i", "learner"]
    root = Path(__file__).resolve().parent.parent
    procs = [subprocess.Popen(cmd, env=env, cwd=root, stdout=subprocess.PIPE, text=True) for _ in range(6)]
    outs = {p.communicate(timeout=60)[0] for p in procs}
    assert outs == {"22\n"}
    assert run_cli("search", "-c", "-i", "learner", env={"NOS_CACHE_DIR": str(tmp_path / "cache")}).stdout == "22\n"
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")]  # no temporary files left


def test_pipe_into_cut_gives_ids_without_escape_codes(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("nos")
    if not script.exists():
        pytest.skip("nos is not installed beside this Python")
    env = {**os.environ, "NOS_CACHE_DIR": str(tmp_path / "cache"), "FORCE_COLOR": ""}
    r = subprocess.run(f"'{script}' search -i assess | cut -f1", shell=True, env=env, capture_output=True,
                       text=True, timeout=60)
    ids = r.stdout.splitlines()
    assert "learning-mentor:S4" in ids and all(re.fullmatch(r"[a-z0-9.-]+:[A-Za-z0-9./_-]+", i) for i in ids)
    r = subprocess.run(f"'{script}' search -i learner | head -1", shell=True, env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.stderr == "" and r.stdout.count("\n") == 1


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=20))
def test_any_fixed_pattern_exits_0_or_1(pattern: str) -> None:
    r = run_cli("search", "-F", "--", pattern)
    assert r.exit_code in (0, 1)
    if r.exit_code == 0 and pattern:
        for line in r.stdout.splitlines():
            assert pattern in line

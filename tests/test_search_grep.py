"""nos search as grep and rg users expect it: -e, -f, -o, --json in rg's shape, quotes folded by -i, usage errors."""

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
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "cache"))


def _ids(out: str) -> list[str]:
    return [line.split("\t")[0] for line in out.splitlines()]


def rg_reader(stream: str) -> dict[str, list[tuple[int, str]]]:
    """What a script written for ``rg --json`` does: dispatch on ``type``, read ``data``'s rg keys only."""
    found: dict[str, list[tuple[int, str]]] = {}
    current = None
    for raw in stream.splitlines():
        msg = json.loads(raw)
        kind, data = msg["type"], msg["data"]
        if kind == "begin":
            current = data["path"]["text"]
            found[current] = []
        elif kind == "match":
            assert data["path"]["text"] == current
            line = data["lines"]["text"].encode("utf-8")
            for sub in data["submatches"]:
                assert line[sub["start"]:sub["end"]].decode("utf-8") == sub["match"]["text"]
                found[current].append((data["line_number"], sub["match"]["text"]))
        elif kind == "end":
            assert data["path"]["text"] == current and data["stats"]["matched_lines"] == len(
                {n for n, _ in found[current]})
            current = None
        else:
            assert kind == "summary"
            assert data["stats"]["searches_with_match"] == len(found)
    return found


def test_json_reads_as_rg_json() -> None:
    r = run_cli("search", "--json", "-i", "learner")
    assert r.exit_code == 0
    found = rg_reader(r.stdout)
    paths = list(found)
    assert len(paths) >= 2 and all(p.endswith(".yaml") for p in paths)
    texts = {t.casefold() for hits in found.values() for _, t in hits}
    assert texts == {"learner"}
    plain = run_cli("search", "-i", "learner").stdout.splitlines()
    assert sum(len({n for n, _ in hits}) for hits in found.values()) <= len(plain)
    assert run_cli("search", "--format", "json", "-i", "learner").stdout.count('"type": "match"') == len(plain)


def test_json_offsets_are_utf8_bytes() -> None:
    r = run_cli("search", "--json", "-i", "progress", "--map", "learning-mentor", "--kind", "knowledge")
    msgs = [json.loads(line) for line in r.stdout.splitlines()]
    k5 = next(m["data"] for m in msgs if m["type"] == "match" and m["data"]["id"] == "K5")
    text = k5["lines"]["text"]
    assert "’" in text  # the curly apostrophe before "progress" makes bytes and characters differ
    sub = k5["submatches"][0]
    assert sub["start"] == len(text[:text.index("progress")].encode()) != text.index("progress")


def test_fuzzy_json_has_one_begin_and_end_a_map() -> None:
    r = run_cli("search", "--fuzzy", "--json", "-i", "learner")
    kinds = [json.loads(line)["type"] for line in r.stdout.splitlines()]
    begins = [json.loads(line)["data"]["path"]["text"] for line in r.stdout.splitlines() if '"begin"' in line]
    assert len(begins) == len(set(begins)) >= 2 and kinds.count("end") == len(begins)
    rg_reader(r.stdout)


def test_json_without_match_is_a_summary_and_exit_1() -> None:
    r = run_cli("search", "--json", "zzzz")
    assert r.exit_code == 1
    (only,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert only["type"] == "summary" and only["data"]["stats"]["matches"] == 0


@pytest.mark.parametrize("flag", ["-c", "-l", "-q", "--count", "--files-with-matches", "--quiet"])
def test_json_refuses_what_rg_refuses(flag: str) -> None:
    for form in (["--json"], ["--format", "json"]):
        r = run_cli("search", *form, flag, "safeguard")
        assert (r.exit_code, r.stdout) == (2, "")
        assert "cannot be used with --json" in r.stderr


def test_format_text_is_the_default_and_unknown_is_usage() -> None:
    assert run_cli("search", "--format", "text", "safeguarding").stdout == run_cli("search", "safeguarding").stdout
    r = run_cli("search", "--format", "yaml", "safeguarding")
    assert r.exit_code == 2 and "text, json" in r.stderr


def test_e_patterns_are_ored() -> None:
    one = set(_ids(run_cli("search", "-i", "assess", "--map", AWKWARD).stdout))
    two = set(_ids(run_cli("search", "markup", "--map", AWKWARD).stdout))
    both = _ids(run_cli("search", "-i", "-e", "assess", "-e", "markup", "--map", AWKWARD).stdout)
    assert set(both) == one | two and len(both) == len(set(both))
    assert run_cli("search", "-w", "-e", "assess", "-e", "zzz", "--map", AWKWARD).stdout.splitlines() == [
        "brackets:S1\tassess learner progress"]
    r = run_cli("search", "-E", "-e", "ok", "-e", "(", "--map", AWKWARD)
    assert r.exit_code == 2 and "'('" in r.stderr


def test_f_reads_patterns_from_a_file(tmp_path: Path) -> None:
    pats = tmp_path / "pats.txt"
    pats.write_text("safeguarding\r\nmarkup\n", encoding="utf-8")
    out = run_cli("search", "-f", str(pats), "--map", AWKWARD, "--map", "learning-mentor").stdout
    assert _ids(out) == ["brackets:purpose", "learning-mentor:S9"]
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    r = run_cli("search", "-f", str(empty))
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", "")  # as grep -f /dev/null
    assert run_cli("search", "-f", "-", "--map", AWKWARD, input="markup\n").stdout.startswith("brackets:purpose\t")
    rx = tmp_path / "rx.txt"
    rx.write_text("safe(guard|ty)\nok [a-\n", encoding="utf-8")
    r = run_cli("search", "-E", "-f", str(rx))
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.startswith(f"nos: {rx}:2:4: bad regular expression 'ok [a-'")
    r = run_cli("search", "-f", str(tmp_path / "missing.txt"))
    assert r.exit_code == 2 and "missing.txt: no such file" in r.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\xfe\n")
    r = run_cli("search", "-f", str(bad))
    assert r.exit_code == 2 and "bad.txt" in r.stderr and "Traceback" not in r.stderr


def test_pattern_and_e_together_or_neither_are_usage_errors() -> None:
    assert run_cli("search", "-e", "a", "b").exit_code == 2
    r = run_cli("search")
    assert r.exit_code == 2 and "PATTERN" in r.stderr


def test_o_prints_only_the_matches() -> None:
    out = run_cli("search", "-o", "-i", "assess", "--map", AWKWARD).stdout
    assert out.splitlines() == [
        "brackets:F1\tAssess", "brackets:F2\tassess", "brackets:K1\tassess", "brackets:S1\tassess",
        "brackets:K2\tAssess"]
    assert run_cli("search", "-o", "-E", "S[0-9]", "-x", "--map", AWKWARD).stdout == "brackets:S1\tS1\n"
    assert run_cli("search", "-o", "-v", "assess", "--map", AWKWARD).stdout == ""
    coloured = run_cli("search", "-o", "observation", "--map", AWKWARD, "--color", "always").stdout
    assert "\x1b[1;31mobservation\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == "brackets:K1\tobservation\n"


def test_i_folds_typographic_quotes_and_dashes() -> None:
    r = run_cli("search", "-i", "learner's", "--map", "learning-mentor")
    assert r.exit_code == 0 and "learning-mentor:K5\t" in r.stdout
    assert "’s" in r.stdout  # printed as the map writes it
    assert run_cli("search", "learner's", "--map", "learning-mentor").exit_code == 1  # without -i: exact
    assert run_cli("search", "-i", "learner’s", "--map", "learning-mentor").stdout == r.stdout
    # and the ASCII quote in a map is found by the typographic one
    assert run_cli("search", "-i", "learners’ progress", "--map", AWKWARD).stdout.startswith("brackets:F2\t")
    rx = run_cli("search", "-i", "-E", "learner's (well|dev)", "--map", "learning-mentor").stdout
    assert {"learning-mentor:K5", "learning-mentor:K6"} <= set(_ids(rx))


def test_unknown_area_and_kind_are_usage_errors_listing_valid_ones() -> None:
    r = run_cli("search", "-a", "KA9", "x")
    assert r.exit_code == 2 and r.stdout == ""
    assert "KA9" in r.stderr and "KA1" in r.stderr and "KA2" in r.stderr
    r = run_cli("search", "-k", "foo", "x")
    assert r.exit_code == 2 and "knowledge" in r.stderr and "ksb" in r.stderr
    assert run_cli("search", "-a", "A2", "-i", "assess", "--map", AWKWARD).exit_code == 0


def test_hint_on_a_terminal_only(tmp_path: Path) -> None:
    import pty

    env = {**os.environ, "NOS_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "nos_cli", "search", "-w", "safeguard"]
    piped = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (piped.returncode, piped.stdout, piped.stderr) == (1, "", "")
    main, side = pty.openpty()
    p = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=side, timeout=60)
    os.close(side)
    hint = os.read(main, 4096).decode()
    os.close(main)
    assert (p.returncode, p.stdout) == (1, b"")
    assert hint.startswith("nos: no match for 'safeguard'") and "close: safeguard," not in hint
    assert "close: safeguard\r" not in hint and "close: safeguard " not in hint


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="abcdelmnorstu'’-– ", min_size=1, max_size=8), min_size=1, max_size=3))
def test_e_matches_the_union_of_single_searches(patterns: list[str]) -> None:
    args = [a for p in patterns for a in ("-e", p)]
    both = run_cli("search", "-i", *args, "--map", "learning-mentor")
    singles: set[str] = set()
    for p in patterns:
        singles |= set(run_cli("search", "-i", "--map", "learning-mentor", "--", p).stdout.splitlines())
    assert both.exit_code == (0 if singles else 1)
    assert set(both.stdout.splitlines()) == singles


QUOTES = {"'": "’‘", '"': "“”", "-": "–—"}


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.text(alphabet="aeilnorst '\"-", min_size=3, max_size=10),
                 st.sampled_from(["learner's", "mentor's role", "learners' progress", "well-being", "'s "])),
       st.randoms(use_true_random=False))
def test_i_reads_typographic_and_ascii_forms_alike(pattern: str, rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    fancy = "".join(rnd.choice(QUOTES[c]) if c in QUOTES else c for c in pattern)
    ascii_run = run_cli("search", "-i", "--map", "learning-mentor", "--", pattern)
    fancy_run = run_cli("search", "-i", "--map", "learning-mentor", "--", fancy)
    assert (fancy_run.exit_code, fancy_run.stdout) == (ascii_run.exit_code, ascii_run.stdout)
    assert ascii_run.exit_code in (0, 1)


RG_SCRIPT = """
import json, sys
for raw in sys.stdin:
    msg = json.loads(raw)
    if msg["type"] == "match":
        data = msg["data"]
        line = data["lines"]["text"].encode()
        for sub in data["submatches"]:
            print(data["path"]["text"], data["line_number"], line[sub["start"]:sub["end"]].decode(), sep="\\t")
"""


def test_json_piped_into_an_rg_script(tmp_path: Path) -> None:
    env = {**os.environ, "NOS_CACHE_DIR": str(tmp_path / "cache")}
    nos = subprocess.Popen([sys.executable, "-m", "nos_cli", "search", "--json", "-i", "-e", "safeguard", "-e",
                            "learner's", "--map", "learning-mentor"], env=env, cwd=ROOT, stdout=subprocess.PIPE)
    reader = subprocess.run([sys.executable, "-c", RG_SCRIPT], stdin=nos.stdout, capture_output=True, text=True,
                            timeout=60)
    assert nos.stdout is not None
    nos.stdout.close()
    assert nos.wait(timeout=60) == 0 and reader.returncode == 0, reader.stderr
    rows = [line.split("\t") for line in reader.stdout.splitlines()]
    assert rows and all(path.endswith("learning-mentor.yaml") and num.isdigit() for path, num, _ in rows)
    assert {m.casefold() for _, _, m in rows} == {"safeguard", "learner’s"}


@pytest.mark.parametrize("args", [
    ["-i", "learner's"], ["-i", "learners’ progress"], ["-i", "-e", "safeguard", "-e", "mentor’s"],
    ["-i", "-E", "learner's (well|dev)"], ["-e", "assess", "-e", "ab"], ["-w", "-e", "Safeguard", "-e", "zzz"],
])
def test_narrowing_through_the_index_gives_the_same_answers(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from nos_cli.search import grep

    scanned = run_cli("search", *args)
    monkeypatch.setattr(grep, "SCAN_ROWS", 0)  # narrow through the trigram index even for the small maps
    narrowed = run_cli("search", *args)
    assert (narrowed.exit_code, narrowed.stdout) == (scanned.exit_code, scanned.stdout)
    assert scanned.exit_code == 0

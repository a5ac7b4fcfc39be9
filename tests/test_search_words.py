"""Narrowing through the word index (nos_cli.maps.terms): the same answers as a full scan, whatever the text."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli

# Letters of both cases, digits, the separators a statement holds, and the characters that make folding and
# splitting hard: accented capitals (the ascii tokenizer keeps them as they are), the long s and the Kelvin
# sign (Python's -i folds them onto ASCII), typographic quotes and dashes (-i reads them as ASCII).
ALPHABET = "aAbBeEgGiInNsSkKtT019 -'_%.,()/\u00e9\u00c9\u017f\u212a\u0130\u0131\u2019\u2013\u00df"
TEXTS = st.lists(st.text(ALPHABET, min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=12)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(autouse=True)
def _narrow_always() -> Iterator[None]:
    """Narrow through the indexes even for these small maps (large ones are narrowed anyway)."""
    from nos_cli.search import grep

    with mock.patch.object(grep, "SCAN_ROWS", 0):
        yield


def _write_map(folder: Path, texts: list[str]) -> Path:
    ksbs = [f'  - {{id: K{i + 1}, kind: knowledge, source: s, text: {json.dumps(t)}}}' for i, t in enumerate(texts)]
    links = ", ".join(f"K{i + 1}" for i in range(len(texts)))
    path = folder / "words.yaml"
    path.write_text("\n".join([
        "nos_map: 1", "id: words", "title: Words", "kind: functional-map", "sources: [{id: s, title: S}]",
        "key_purpose: {text: Purpose, source: s}", "key_areas:", "  - id: A1", "    title: Area", "    source: s",
        "    functions:", f"      - {{id: F1, title: Function, source: s, ksbs: [{links}]}}", "ksbs:", *ksbs]) + "\n",
        encoding="utf-8")
    return path


def _both(path: Path, *args: str) -> tuple[tuple[int, str], tuple[int, str]]:
    """(through the index, by a full scan without it) for one search of one map."""
    indexed = run_cli("search", "--map", str(path), *args)
    scanned = run_cli("search", "--map", str(path), "--no-cache", *args)
    return (indexed.exit_code, indexed.stdout), (scanned.exit_code, scanned.stdout)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=TEXTS, data=st.data(), flags=st.lists(st.sampled_from(["-i", "-w", "-x", "-c"]), unique=True,
                                                     max_size=2))
def test_narrowing_never_drops_a_row_the_full_scan_finds(texts: list[str], data: st.DataObject,
                                                         flags: list[str]) -> None:
    # A literal cut from one of the texts (so it usually matches), its case changed at random, or any text.
    source = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(source)))
    cut = source[start:start + data.draw(st.integers(1, 12))]
    literal = data.draw(st.one_of(st.just(cut), st.just(cut.swapcase()), st.text(ALPHABET, min_size=1,
                                                                                 max_size=10)))
    if not literal.strip():
        literal = "x" + literal
    with tempfile.TemporaryDirectory() as folder:
        path = _write_map(Path(folder), texts)
        indexed, scanned = _both(path, *flags, "--", literal)
    assert indexed == scanned


def test_a_word_fragment_narrows_through_the_word_index(tmp_path: Path) -> None:
    from nos_cli.maps.store import Store

    path = _write_map(tmp_path, ["Safeguarding learners", "safe-guarding (2)", "UNSAFEGUARDED data", "guard"])
    with mock.patch.object(Store, "like", autospec=True, side_effect=Store.like) as like:
        indexed, scanned = _both(path, "-i", "safeguard")
    assert indexed == scanned == (0, "words:K1\tSafeguarding learners\nwords:K3\tUNSAFEGUARDED data\n")
    assert [c.args[1] for c in like.call_args_list] == ["nid"]  # texts were narrowed by words, not trigrams


def test_a_fragment_many_terms_hold_narrows_through_trigrams(tmp_path: Path) -> None:
    from nos_cli.maps.store import Store
    from nos_cli.search import grep

    path = _write_map(tmp_path, [f"term{i}ing statement" for i in range(12)])
    with mock.patch.object(grep, "WORD_TERMS", 5), \
            mock.patch.object(Store, "like", autospec=True, side_effect=Store.like) as like:
        indexed, scanned = _both(path, "-c", "ing")
    assert indexed == scanned == (0, "12\n")
    assert sorted(c.args[1] for c in like.call_args_list) == ["nid", "text"]


def test_a_term_longer_than_fts5_keeps_is_still_found(tmp_path: Path) -> None:
    # FTS5 keeps the first 32,768 bytes of a term: the rest of this one is in no term of the word index.
    path = _write_map(tmp_path, ["a" * 40_000 + "needle", "haystack"])
    assert _both(path, "-c", "needle") == ((0, "1\n"), (0, "1\n"))
    assert _both(path, "-c", "-i", "NEEDLE") == ((0, "1\n"), (0, "1\n"))


def test_several_maps_and_patterns_agree_with_a_full_scan() -> None:
    for args in (["safeguarding"], ["-i", "LEARNER"], ["-w", "assess"], ["-e", "mentor", "-e", "evidence"],
                 ["-E", "safe(guard|ty)ing"], ["-i", "-x", "be vigilant in safeguarding and promote wellbeing"],
                 ["-c", "learn"], ["-l", "record"], ["-m", "2", "progress"]):
        indexed = run_cli("search", *args)
        assert (indexed.exit_code, indexed.stdout) == (lambda r: (r.exit_code, r.stdout))(
            run_cli("search", "--no-cache", *args)), args


@settings(max_examples=200, deadline=None)
@given(st.text(ALPHABET + "\x00\n\t\u4e2d\U0001f600", max_size=60))
def test_terms_are_split_as_fts5_splits_them(text: str) -> None:
    from nos_cli.maps.terms import MIN_FRAGMENT, terms

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE w USING fts5(text, tokenize='ascii', detail='none')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(w, 'row')")
    conn.execute("INSERT INTO w(rowid, text) VALUES (1, ?)", (text,))
    fts = {t for (t,) in conn.execute("SELECT term FROM v") if len(t.encode("utf-8")) >= MIN_FRAGMENT}
    assert terms([text]) == fts


def test_the_fragment_of_a_literal() -> None:
    from nos_cli.maps.terms import fragment

    assert fragment("Safe-guarding") == "guarding"
    assert fragment("don\u2019t stop") == "stop"
    assert fragment("e.g") is None
    assert fragment("ſafeguard") == "afeguard"

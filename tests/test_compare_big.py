"""nos compare on texts far longer than a statement: the bounded paths still give a true word diff and pairing.

A text of thousands of words is scored on its first characters (SCORED_CHARS) and word-diffed exactly only
where the two texts start and end alike (WORD_DIFF_BUDGET); without those bounds one such pair took minutes.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from nos_cli.versions.compare import ADDED, KEPT, REMOVED, WORD_DIFF_BUDGET, _tokens, word_pieces
from tests.conftest import run_cli

WORDS = ["learners", "support", "plan", "review", "records", "safely", "with", "and", "the", "to"] + \
        [f"w{i}" for i in range(300)]


def _long_text(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(WORDS) for _ in range(n)]


def _rebuilt(pieces: tuple[tuple[str, str], ...], drop: str) -> list[str]:
    return [t for _, t in _tokens("".join(t for k, t in pieces if k != drop))]


def test_a_word_diff_over_the_budget_rebuilds_both_texts_and_keeps_their_common_start_and_end() -> None:
    old = _long_text(1, 3_000)
    new = list(old)
    for k in range(1_000, 2_000, 7):  # changes in the middle only
        new[k] = "changed"
    assert len(old) * len(new) > WORD_DIFF_BUDGET
    pieces = word_pieces(" ".join(old), " ".join(new))
    assert _rebuilt(pieces, ADDED) == old and _rebuilt(pieces, REMOVED) == new
    assert pieces[0] == (KEPT, " ".join(old[:1_000]) + " ") and pieces[-1] == (KEPT, " " + " ".join(old[1_995:]))


def test_a_word_diff_over_the_budget_with_changes_at_both_ends_marks_the_whole_text() -> None:
    old = _long_text(2, 2_000)
    new = ["first", *old[1:-1], "last"]
    pieces = word_pieces(" ".join(old), " ".join(new))
    assert _rebuilt(pieces, ADDED) == old and _rebuilt(pieces, REMOVED) == new
    assert pieces == ((REMOVED, " ".join(old)), (ADDED, " ".join(new)))


def _map(path: Path, map_id: str, text: str) -> Path:
    path.write_text(f"""nos_map: 1
id: {map_id}
title: Long
kind: functional-map
sources: [{{id: s, title: S}}]
key_areas:
  - id: KA1
    title: Area
    source: s
    functions:
      - {{id: F1, title: Function, source: s, ksbs: [K1, K2]}}
ksbs:
  - {{id: K1, kind: knowledge, source: s, text: {json.dumps(text)}}}
  - {{id: K2, kind: knowledge, source: s, text: plan sessions with learners}}
""", encoding="utf-8")
    return path


def test_compare_pairs_and_word_diffs_a_statement_of_30k_words(tmp_path: Path) -> None:
    """One KSB of 30,000 words (200 KB), every 50th word changed: paired by similarity, reworded, not renumbered."""
    old = _long_text(3, 30_000)
    new = ["changed" if k % 50 == 0 else w for k, w in enumerate(old)]
    a = _map(tmp_path / "a.yaml", "long-a", " ".join(old))
    b = _map(tmp_path / "b.yaml", "long-b", " ".join(new))
    r = run_cli("compare", str(a), str(b), "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["summary"]["unchanged"] == {"key area": 1, "function": 1, "KSB": 1}
    [change] = doc["changes"]
    assert (change["category"], change["old"]["id"], change["new"]["id"]) == ("reworded", "K1", "K1")
    assert change["paired_by"].startswith("similar")
    # the last change is word 29,950: what follows it is kept, what comes before is marked whole
    assert change["detail"] == ("[-" + " ".join(old[:29_951]) + "-]{+" + " ".join(new[:29_951]) + "+} " +
                                " ".join(old[29_951:]))

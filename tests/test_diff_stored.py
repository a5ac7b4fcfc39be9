"""diff's model kept in the index database (nos_cli.diff.stored): read back a token and a node at a time, the
same matches as a model just worked out, every value checked, and large maps narrowed without scoring every
node."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nos_cli.diff.match import FALLBACK, RESCORE, build_model, match_statement, score_all
from nos_cli.diff.role import Statement
from nos_cli.diff.stored import DbSource, compute, stored
from nos_cli.diff.textnorm import vocabulary_id
from nos_cli.maps.catalog import bundled_dir, load_checked
from nos_cli.maps.index import build_index
from nos_cli.maps.indexes import select
from nos_cli.maps.store import IndexCorrupt
from tests.conftest import run_cli

LINES = ("Agree SMART targets and keep parents informed", "Report safeguarding concerns to the DSL",
         "Keep confidential records in line with GDPR", "Organise the staff canteen rota")


def _stored_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[DbSource, sqlite3.Connection]:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "cache"))
    [index] = select([str(bundled_dir() / "learning-mentor.yaml")], [])
    build_model(index)  # works it out and keeps it
    from nos_cli.diff.stored import MODEL_VERSION

    source = stored(index.store, index.file_id, f"{vocabulary_id()}-{MODEL_VERSION}")
    assert source is not None
    return source, index.store.conn


def test_a_stored_model_matches_as_the_model_just_worked_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path))
    path = str(bundled_dir() / "learning-mentor.yaml")
    fresh = build_model(build_index(load_checked(Path(path))), use_cache=False)
    [index] = select([path], [])
    first = build_model(index)  # worked out, and written to the database
    [index] = select([path], [])
    again = build_model(index)  # read back from the database
    assert isinstance(again.source, DbSource)
    for line in LINES:
        assert score_all(first, line) == score_all(again, line) == score_all(fresh, line)


@pytest.mark.parametrize(("table", "change", "column"), [
    ("diff_tokens", "own = X'01020304'", "postings"),  # node 67305985: out of range
    ("diff_tokens", "own = X'010203'", "postings"),  # not a whole number of 32-bit numbers
    ("diff_tokens", "idf = 'heavy'", "token"),
    ("diff_nodes", "views = '[[1, 2]]'", "alias tokens"),
    ("diff_nodes", "aliases = '{not json'", "aliases"),
    ("diff_nodes", "text = X'00ff'", "node"),
    ("diff_models", "weights = X'0000'", "weights"),
    ("diff_models", "weights = CAST(X'000000000000f87f' || substr(weights, 9) AS BLOB)", "weights"),  # a NaN
    ("diff_models", "weights = CAST(substr(weights, 1, 8) || X'000000000000f87f' || substr(weights, 17) AS BLOB)",
     "weights"),  # a NaN after the first weight, which min() and max() could step over
])
def test_a_stored_value_that_is_not_what_nos_wrote_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              table: str, change: str, column: str) -> None:
    """Read back as untrusted data: wrong types, sizes or ranges are a corrupt index, never used."""
    source, conn = _stored_source(tmp_path, monkeypatch)
    conn.execute(f"UPDATE {table} SET {change}")
    tokens = sorted(compute(build_index(load_checked(bundled_dir() / "learning-mentor.yaml"))).df)
    with pytest.raises(IndexCorrupt, match=column):  # whichever read meets the changed value refuses it
        source.stats(tokens)
        for t in tokens:
            source.postings(t)
        source.all_rows()
        source.weights()


def test_a_corrupt_stored_model_is_one_clear_error_then_rebuilt(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path))
    good = run_cli("diff", "-", "--format", "json", input="\n".join(f"- {line}" for line in LINES))
    assert good.exit_code == 0
    db = tmp_path / "index.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE diff_tokens SET own = X'ffffffff'")
    bad = run_cli("diff", "-", "--format", "json", input="\n".join(f"- {line}" for line in LINES))
    assert bad.exit_code == 2
    assert bad.stderr.splitlines() == [
        f"nos: warning: index database {db} has diff postings out of range; it will be rebuilt",
        "nos: the index database failed (has diff postings out of range); run the command again to rebuild it"]
    again = run_cli("diff", "-", "--format", "json", input="\n".join(f"- {line}" for line in LINES))
    assert again.exit_code == 0
    assert json.loads(again.stdout)["statements"] == json.loads(good.stdout)["statements"]


def _big_map(path: Path, n: int) -> Path:
    """n knowledge statements that all share the same common words, and differ in length: every word is in
    more nodes than the candidate cap, so candidates come from ANDed bitmaps."""
    ksbs = []
    for i in range(n):
        extra = " and review" * (i % 5) + (" with learners" if i % 3 == 0 else "")
        ksbs.append(f'  - {{id: K{i + 1}, kind: knowledge, source: src, text: "plan sessions{extra}"}}')
    path.write_text(
        "nos_map: 1\nid: big\ntitle: Big\nkind: functional-map\nsources: [{id: src, title: A standard}]\n"
        "key_areas:\n  - {id: A1, title: Teach, source: src, functions: "
        "[{id: F1, title: Teaching, editorial: true, ksbs: [K1]}]}\n"
        "ksbs:\n" + "\n".join(ksbs) + "\n", encoding="utf-8")
    return path


def test_a_statement_of_common_words_gets_the_shortest_nodes_that_have_them_all(tmp_path: Path) -> None:
    model = build_model(build_index(load_checked(_big_map(tmp_path / "big.yaml", 3000))), use_cache=False)
    assert model.cap < 3000 / 2  # "plan" and "sessions" are in every node: both common
    got = score_all(model, "Plan sessions with learners")
    # Nodes with "with learners" and no "and review": 1, 16, 31, ... are the most precise matches.
    top = got[0]
    assert top.id in {f"K{i + 1}" for i in range(0, 3000, 15)}
    assert len(got) <= RESCORE and FALLBACK >= RESCORE


def test_a_big_map_matches_alike_from_memory_and_from_the_database(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "cache"))
    path = str(_big_map(tmp_path / "big.yaml", 6000))  # over SMALL_MODEL: rows are read as candidates need them
    fresh = build_model(build_index(load_checked(Path(path))), use_cache=False)
    [index] = select([path], [])
    build_model(index)
    [index] = select([path], [])
    kept = build_model(index)
    assert isinstance(kept.source, DbSource)
    for line in ("Plan sessions with learners", "Review sessions", "Plan and review sessions with learners"):
        assert score_all(kept, line) == score_all(fresh, line)


def test_a_map_of_many_key_areas_lists_sixty_of_them_in_text(tmp_path: Path) -> None:
    areas = "\n".join(f"  - {{id: A{i}, title: Area {i}, source: src, functions: "
                      f"[{{id: F{i}, title: Work {i}, editorial: true, ksbs: [K{i}]}}]}}" for i in range(1, 71))
    ksbs = "\n".join(f'  - {{id: K{i}, kind: knowledge, source: src, text: "plan sessions {i}"}}' for i in range(1, 71))
    m = tmp_path / "areas.yaml"
    m.write_text("nos_map: 1\nid: areas\ntitle: Areas\nkind: functional-map\nsources: [{id: src, title: S}]\n"
                 f"key_areas:\n{areas}\nksbs:\n{ksbs}\n", encoding="utf-8")
    text = run_cli("diff", "-", "--map", str(m), input="- Plan sessions\n")
    line = next(x for x in text.stdout.splitlines() if x.startswith("  by key area:"))
    assert line.count("/1 (") == 60 and line.endswith(", and 10 more (--format json lists them all)")
    data = json.loads(run_cli("diff", "-", "--map", str(m), "--format", "json", input="- Plan sessions\n").stdout)
    assert len(data["coverage"]["by_area"]) == 70


@given(st.sets(st.integers(0, 5000), max_size=300), st.integers(0, 400))
def test_set_bits_are_the_lowest_set_bits_in_order(numbers: set[int], limit: int) -> None:
    from nos_cli.diff.match import _set_bits

    bits = sum(1 << n for n in numbers)
    assert _set_bits(bits, limit) == sorted(numbers)[:limit]


def test_a_long_role_matched_on_every_core_gets_the_same_report(monkeypatch: pytest.MonkeyPatch) -> None:
    from nos_cli.diff import parallel

    role = "".join(f"- {line} ({n})\n" for n in range(30) for line in LINES)  # 120 distinct statements
    alone = run_cli("diff", "-", "--format", "json", input=role)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    together = run_cli("diff", "-", "--format", "json", input=role)
    assert together.exit_code == alone.exit_code == 0
    assert together.stdout == alone.stdout
    model = build_model(build_index(load_checked(bundled_dir() / "learning-mentor.yaml")), use_cache=False)
    texts = [line.removeprefix("- ").strip() for line in role.splitlines()]
    forked = parallel.match_texts(model, texts, 28.0, None)
    assert forked is not None  # the workers did match them
    assert forked == [match_statement(model, Statement(t, 0)).matches for t in texts]


def test_a_map_with_common_words_is_matched_alike_in_parallel_and_a_large_one_in_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nos_cli.diff import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    texts = ["Plan sessions", "Review sessions", "Plan and review sessions with learners", "Keep records"]
    model = build_model(build_index(load_checked(_big_map(tmp_path / "big.yaml", 3000))), use_cache=False)
    forked = parallel.match_texts(model, texts, 28.0, None)  # common words: bitmaps read before the fork
    assert forked == [match_statement(model, Statement(t, 0)).matches for t in texts]
    large = build_model(build_index(load_checked(_big_map(tmp_path / "large.yaml", 6000))), use_cache=False)
    assert parallel.match_texts(large, texts, 28.0, None) is None  # over SMALL_MODEL: rows read as needed


def test_concurrent_diffs_store_one_model_and_agree(tmp_path: Path) -> None:
    """Six processes working out the same map's model at once: each answers alike, one model is kept."""
    env = {**os.environ, "NOS_CACHE_DIR": str(tmp_path / "cache"), "NOS_MATCHER": "lexical"}
    role = "".join(f"- {line}\n" for line in LINES)
    cmd = [sys.executable, "-m", "nos_cli", "diff", "-", "--format", "json"]
    root = Path(__file__).resolve().parent.parent
    procs = [subprocess.Popen(cmd, env=env, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for _ in range(6)]
    outs = {p.communicate(role, timeout=120)[0] for p in procs}
    assert len(outs) == 1 and all(p.returncode == 0 for p in procs)
    with sqlite3.connect(tmp_path / "cache" / "index.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM diff_models").fetchone()[0] == 1


def test_text_counts_the_gap_json_lists_and_shows_its_first_sixty(tmp_path: Path) -> None:
    """Text and Markdown read only the first 60 uncovered KSBs; their count agrees with JSON's full list."""
    m = str(_big_map(tmp_path / "big.yaml", 3000))
    role = "- Plan sessions with learners\n- Review sessions\n"
    data = json.loads(run_cli("diff", "-", "--map", m, "--format", "json", input=role).stdout)
    uncovered = data["uncovered"]
    assert len(data["ksbs"]) == 3000 and 0 < len(uncovered) < 3000
    text = run_cli("diff", "-", "--map", m, input=role).stdout
    assert f"Gap: {len(uncovered)} KSBs no statement covers" in text
    assert f"and {len(uncovered) - 60} more (--format json lists them all)" in text
    markdown = run_cli("diff", "-", "--map", m, "--format", "markdown", input=role).stdout
    listed = [line.split("`")[1] for line in markdown.splitlines() if line.startswith("- `K")]
    assert listed == uncovered[:60]

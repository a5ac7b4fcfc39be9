"""diff's storage: each map's node tokens, IDF weights and token postings, kept in the index database beside
the map's rows (nos_cli.maps.store), keyed by the map file and a fingerprint of the vocabulary.

This is the only thing diff knows about storage: :func:`get` and :func:`put`. Postings are read lazily, so
matching a statement reads only the postings of the statement's own tokens. Every value read back is checked
(lengths, types, bounds) before use, and arrays are plain fixed-width numbers (``array``), never pickled.
"""

from __future__ import annotations

import sqlite3
import sys
from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, overload

from nos_cli.maps.store import IndexCorrupt

if TYPE_CHECKING:
    from nos_cli.maps.index import MapIndex
    from nos_cli.maps.store import Store

Tokens = Sequence[tuple[str, ...]]


class Postings(Mapping[str, list[int]]):
    """token -> the nodes holding it, fetched from the database on first use."""

    def __init__(self, store: Store, file_id: int, vocab: str, tokens: Mapping[str, float], n: int) -> None:
        self._store, self._file_id, self._vocab, self._tokens, self._n = store, file_id, vocab, tokens, n
        self._got: dict[str, list[int]] = {}

    def __contains__(self, token: object) -> bool:
        return token in self._tokens

    def __getitem__(self, token: str) -> list[int]:
        if token not in self._got:
            row = self._store.conn.execute(
                "SELECT postings FROM model_tokens WHERE file_id = ? AND vocab = ? AND token = ?",
                (self._file_id, self._vocab, token)).fetchone()
            if row is None:
                raise KeyError(token)
            self._got[token] = _ints(row[0], "I", self._n)
        return self._got[token]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tokens)

    def __len__(self) -> int:
        return len(self._tokens)


class NodeTokens(Sequence[tuple[str, ...]]):
    """node -> its tokens, fetched on first use (matching reads those of its best candidates only)."""

    def __init__(self, store: Store, file_id: int, vocab: str, n: int) -> None:
        self._store, self._file_id, self._vocab, self._n = store, file_id, vocab, n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> tuple[str, ...]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[tuple[str, ...]]: ...

    def __getitem__(self, i: int | slice) -> tuple[str, ...] | Sequence[tuple[str, ...]]:
        if isinstance(i, slice):
            return [self[j] for j in range(self._n)[i]]
        row = self._store.conn.execute("SELECT tokens FROM model_nodes WHERE file_id = ? AND vocab = ? AND i = ?",
                                       (self._file_id, self._vocab, i)).fetchone()
        if row is None or not isinstance(row[0], str):
            raise IndexCorrupt(f"has no diff tokens for node {i}")
        return tuple(row[0].split(" ")) if row[0] else ()


def get(index: MapIndex, vocab: str, n: int) -> tuple[Tokens, dict[str, float], Postings, list[float]] | None:
    """The stored model of a map for ``n`` nodes, or None when there is none (or it does not fit)."""
    store, file_id = index.store, index.file_id
    row = store.conn.execute("SELECT n, weights FROM model WHERE file_id = ? AND vocab = ?",
                             (file_id, vocab)).fetchone()
    if row is None or row[0] != n:
        return None
    weights = _floats(row[1], n)
    idf: dict[str, float] = {}
    for token, value in store.conn.execute("SELECT token, idf FROM model_tokens WHERE file_id = ? AND vocab = ?",
                                           (file_id, vocab)):
        if not (isinstance(token, str) and isinstance(value, float)):
            raise IndexCorrupt("has a diff token of the wrong type")
        idf[token] = value
    toks = NodeTokens(store, file_id, vocab, n)
    return toks, idf, Postings(store, file_id, vocab, idf, n), weights


def put(index: MapIndex, vocab: str, toks: Sequence[Sequence[str]], idf: Mapping[str, float],
        postings: Mapping[str, Sequence[int]], weights: Sequence[float]) -> None:
    """Store a map's model; a busy or read-only database only means the next run computes it again."""
    store, file_id = index.store, index.file_id
    if store.path is None:
        return
    conn = store.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM model WHERE file_id = ? AND vocab = ?", (file_id, vocab))
            conn.execute("DELETE FROM model_tokens WHERE file_id = ? AND vocab = ?", (file_id, vocab))
            conn.execute("DELETE FROM model_nodes WHERE file_id = ? AND vocab = ?", (file_id, vocab))
            conn.execute("INSERT INTO model(file_id, vocab, n, weights) VALUES (?, ?, ?, ?)",
                         (file_id, vocab, len(toks), _blob(array("d", weights))))
            conn.executemany("INSERT INTO model_tokens(file_id, vocab, token, idf, postings) VALUES (?, ?, ?, ?, ?)",
                             ((file_id, vocab, t, float(idf[t]), _blob(array("I", p))) for t, p in postings.items()))
            conn.executemany("INSERT INTO model_nodes(file_id, vocab, i, tokens) VALUES (?, ?, ?, ?)",
                             ((file_id, vocab, i, " ".join(t)) for i, t in enumerate(toks)))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError:
        pass


def _blob(values: array) -> bytes:  # type: ignore[type-arg]
    if sys.byteorder != "little":
        values.byteswap()
    return values.tobytes()


def _ints(blob: object, code: str, bound: int) -> list[int]:
    values = _array(blob, code)
    if values and max(values) >= bound:
        raise IndexCorrupt("has a diff posting outside the map")
    return values.tolist()


def _floats(blob: object, n: int) -> list[float]:
    values = _array(blob, "d")
    if len(values) != n:
        raise IndexCorrupt("has diff weights for another number of nodes")
    return values.tolist()


def _array(blob: object, code: str) -> array:  # type: ignore[type-arg]
    out = array(code)
    if not isinstance(blob, bytes) or len(blob) % out.itemsize:
        raise IndexCorrupt("has a diff value of the wrong size")
    out.frombytes(blob)
    if sys.byteorder != "little":
        out.byteswap()
    return out

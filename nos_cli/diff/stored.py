"""diff's model of a map, worked out once and kept as rows beside the map's records in the index database, so
that matching a statement reads only the rows of its own words and of its candidate nodes.

Per map file and vocabulary (nos_cli.diff.textnorm.vocabulary_id and the model's version) the database keeps:
- ``diff_models``: the model's row id and its number of nodes;
- ``diff_tokens``: each token's document frequency, IDF weight and postings: the nodes that have it among their
  own words (``own``) and among their borrowed or alias words (``weak``), as packed 32-bit node numbers; and,
  for a token in more nodes than the candidate cap, a bitmap of those nodes, so the candidates of a statement
  with no rare word are found by ANDing bitmaps in C instead of scoring a thousand nodes in Python;
- ``diff_nodes``: each node's id, kind, text, areas, linked KSBs, aliases, tokens and IDF weight.

Nothing read back is trusted: every value is checked for type and range as it is read (node numbers within the
model, bitmaps of the model's size), and a value that fails is a corrupt index (nos_cli.maps.store.guarded
turns that into a clear error and the database is rebuilt on the next run). No pickle, marshal or eval.
"""

from __future__ import annotations

import json
import math
import sqlite3
import sys
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from nos_cli.maps.index import SEP, MapIndex
from nos_cli.maps.store import IndexCorrupt, Store

#: Bump when what is kept changes shape or meaning.
MODEL_VERSION = 8
BORROWED = 0.8  # a word a node borrows from a linked node is weaker evidence than its own
CONCEPT_BOOST = 2.0  # a shared concept (pupil ~ learner) is stronger evidence than a shared word
#: A token in more nodes than this (or 1% of the map, if more) does not create candidates, it only adds to
#: candidates that rarer tokens found: on large maps, common words would otherwise make every node a candidate.
CANDIDATE_CAP = 1000
#: Up to this many nodes, a stored model's nodes are read all at once (one query beats one a statement).
SMALL_MODEL = 5000
_CHUNK = 900  # node numbers per IN (...) query: under SQLite's oldest default limit of 999 variables


def cap_of(size: int) -> int:
    return max(CANDIDATE_CAP, size // 100)


@dataclass(frozen=True, slots=True)
class NodeRow:
    """One node as the model keeps it: its words already turned into tokens."""

    id: str
    kind: str
    text: str
    areas: tuple[str, ...]
    ksbs: tuple[str, ...]  # for a function: the KSBs it links
    aliases: tuple[str, ...]
    own: tuple[str, ...]  # its own text's tokens, in order
    weak: tuple[str, ...]  # borrowed and alias tokens that are not its own
    views: tuple[tuple[str, ...], ...]  # the tokens of each alias
    weight: float  # the IDF weight of its own tokens


class Source(Protocol):
    """Where a model's parts come from: memory (just worked out) or the index database."""

    size: int

    def stats(self, tokens: Collection[str]) -> dict[str, tuple[int, float]]:
        """(document frequency, IDF) of each of these tokens the map has."""

    def postings(self, token: str) -> tuple[Sequence[int], Sequence[int]]:
        """The nodes that have the token as their own word, and as a borrowed or alias word, ascending."""

    def bitmap(self, token: str) -> int:
        """The nodes that have the token (own or weak) as bits of an int: bit i is node i."""

    def rows(self, indices: Collection[int]) -> dict[int, NodeRow]:
        """The rows of these nodes."""

    def find(self, node_id: str) -> int | None:
        """The number of the node with this id (the first, if ids repeat)."""

    def all_rows(self) -> list[NodeRow]:
        """Every node, in map order."""

    def weights(self) -> Sequence[float]:
        """The IDF weight of each node's own words, in map order."""

    def tokens(self) -> Iterator[tuple[str, int, float, Sequence[int], Sequence[int]]]:
        """Every token: (token, df, IDF, own postings, weak postings)."""


class MemorySource:
    """A model just worked out, held in memory (standard input, ``--no-cache``, a database that is busy)."""

    def __init__(self, nodes: list[NodeRow], df: dict[str, int], idf: dict[str, float],
                 own: dict[str, list[int]], weak: dict[str, list[int]]) -> None:
        self.size = len(nodes)
        self.nodes, self.df, self.idf, self.own, self.weak = nodes, df, idf, own, weak
        self._ids: dict[str, int] | None = None

    def stats(self, tokens: Collection[str]) -> dict[str, tuple[int, float]]:
        return {t: (self.df[t], self.idf[t]) for t in tokens if t in self.df}

    def postings(self, token: str) -> tuple[Sequence[int], Sequence[int]]:
        return self.own.get(token, ()), self.weak.get(token, ())

    def bitmap(self, token: str) -> int:
        return int.from_bytes(bitmap_bytes(self.size, *self.postings(token)), "little")  # MapModel keeps it

    def rows(self, indices: Collection[int]) -> dict[int, NodeRow]:
        return {i: self.nodes[i] for i in indices}

    def find(self, node_id: str) -> int | None:
        if self._ids is None:
            self._ids = {}
            for i, n in enumerate(self.nodes):
                self._ids.setdefault(n.id, i)
        return self._ids.get(node_id)

    def all_rows(self) -> list[NodeRow]:
        return self.nodes

    def weights(self) -> Sequence[float]:
        return [n.weight for n in self.nodes]

    def tokens(self) -> Iterator[tuple[str, int, float, Sequence[int], Sequence[int]]]:
        for t, df in self.df.items():
            yield t, df, self.idf[t], self.own.get(t, ()), self.weak.get(t, ())


def bitmap_bytes(size: int, *postings: Iterable[int]) -> bytes:
    out = bytearray((size + 7) // 8)
    for posting in postings:
        for i in posting:
            out[i >> 3] |= 1 << (i & 7)
    return bytes(out)


def compute(index: MapIndex) -> MemorySource:
    """The model of a map from its records (and the aliases and elements its file holds): each node's tokens,
    its own and the words it borrows, the IDF weights and the postings."""
    from nos_cli.diff.nodes import node_texts
    from nos_cli.diff.textnorm import tokens

    specs = node_texts(index)
    own = [tuple(dict.fromkeys(tokens(n.text))) for n in specs]
    views = [tuple(tuple(dict.fromkeys(tokens(a))) for a in n.aliases) for n in specs]
    weak: list[tuple[str, ...]] = []
    for n, o, v in zip(specs, own, views, strict=True):
        # An alias's words, when the statement does not say all of it, are weak evidence, like borrowed ones.
        mine = set(o)
        weak.append(tuple(t for t in dict.fromkeys((*(t for b in n.borrowed for t in tokens(b)),
                                                     *(t for a in v for t in a))) if t not in mine))
    df: dict[str, int] = defaultdict(int)
    own_post: dict[str, list[int]] = defaultdict(list)
    weak_post: dict[str, list[int]] = defaultdict(list)
    for i, (o, w) in enumerate(zip(own, weak, strict=True)):
        for t in o:
            df[t] += 1
            own_post[t].append(i)
        for t in w:
            df[t] += 1
            weak_post[t].append(i)
    size = len(own)
    idf = {t: math.log(1 + size / c) * (CONCEPT_BOOST if t.startswith("#") else 1.0) for t, c in df.items()}
    nodes = [NodeRow(n.id, n.kind, n.text, n.areas, n.ksbs, n.aliases, o, w, v, sum(idf[t] for t in o))
             for n, o, v, w in zip(specs, own, views, weak, strict=True)]
    return MemorySource(nodes, dict(df), idf, dict(own_post), dict(weak_post))


# --- the index database -------------------------------------------------------------------------------------
def _pack(values: Sequence[int]) -> bytes:
    packed = array("i", values)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def store(st: Store, file_id: int, vocab: str, model: MemorySource) -> int | None:
    """Write a model into the database in one transaction; None when the database is busy, read-only or full
    (the run goes on with the model in memory)."""
    conn = st.conn
    cap = cap_of(model.size)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error:
        return None
    try:
        found = conn.execute("SELECT id FROM diff_models WHERE file_id = ? AND vocab = ?", (file_id, vocab)).fetchone()
        if found is not None:  # another process stored it meanwhile
            conn.execute("ROLLBACK")
            return int(found[0])
        weights = array("d", model.weights())
        if sys.byteorder != "little":
            weights.byteswap()
        model_id = conn.execute("INSERT INTO diff_models(file_id, vocab, size, weights) VALUES (?, ?, ?, ?)",
                                (file_id, vocab, model.size, weights.tobytes())).lastrowid
        conn.executemany(
            "INSERT INTO diff_tokens(model, token, df, idf, own, weak, bits) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((model_id, t, c, model.idf[t], _pack(model.own.get(t, ())), _pack(model.weak.get(t, ())),
              bitmap_bytes(model.size, model.own.get(t, ()), model.weak.get(t, ())) if c > cap else None)
             for t, c in model.df.items()))
        conn.executemany(
            "INSERT INTO diff_nodes(model, i, nid, kind, text, areas, ksbs, aliases, own, weak, views, weight) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((model_id, i, n.id, n.kind, n.text, SEP.join(n.areas), SEP.join(n.ksbs),
              json.dumps(n.aliases) if n.aliases else "", " ".join(n.own), " ".join(n.weak),
              json.dumps(n.views) if n.views else "", n.weight) for i, n in enumerate(model.nodes)))
        conn.execute("COMMIT")
    except sqlite3.Error:
        conn.execute("ROLLBACK")
        return None
    return int(model_id) if model_id is not None else None


def stored(st: Store, file_id: int, vocab: str) -> DbSource | None:
    row = st.conn.execute("SELECT id, size FROM diff_models WHERE file_id = ? AND vocab = ?",
                          (file_id, vocab)).fetchone()
    if row is None:
        return None
    if not (type(row[0]) is int and type(row[1]) is int and row[1] >= 0):
        raise IndexCorrupt("has a diff model of the wrong types")
    return DbSource(st, row[0], row[1])


class DbSource:
    """A stored model, read a token's and a node's rows at a time and checked as they are read."""

    def __init__(self, st: Store, model_id: int, size: int) -> None:
        self.conn, self.model, self.size = st.conn, model_id, size

    def stats(self, tokens: Collection[str]) -> dict[str, tuple[int, float]]:
        wanted = list(tokens)
        out: dict[str, tuple[int, float]] = {}
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT token, df, idf FROM diff_tokens WHERE model = ? AND token IN ({marks})"
            for t, df, idf in self.conn.execute(sql, (self.model, *chunk)):
                if not (type(t) is str and type(df) is int and 0 < df <= 2 * self.size
                        and type(idf) is float and 0.0 <= idf < 1e6):
                    raise IndexCorrupt("has a diff token of the wrong types")
                out[t] = (df, idf)
        return out

    def tokens(self) -> Iterator[tuple[str, int, float, Sequence[int], Sequence[int]]]:
        for t, df, idf, own, weak in self.conn.execute(
                "SELECT token, df, idf, own, weak FROM diff_tokens WHERE model = ?", (self.model,)):
            if not (type(t) is str and type(df) is int and 0 < df <= 2 * self.size
                    and type(idf) is float and 0.0 <= idf < 1e6):
                raise IndexCorrupt("has a diff token of the wrong types")
            yield t, df, idf, self._nodes(own), self._nodes(weak)

    def postings(self, token: str) -> tuple[Sequence[int], Sequence[int]]:
        row = self.conn.execute("SELECT own, weak FROM diff_tokens WHERE model = ? AND token = ?",
                                (self.model, token)).fetchone()
        if row is None:
            return (), ()
        return self._nodes(row[0]), self._nodes(row[1])

    def _nodes(self, blob: Any) -> array[int]:
        if type(blob) is not bytes or len(blob) % 4:
            raise IndexCorrupt("has diff postings of the wrong types")
        out = array("i")
        out.frombytes(blob)
        if sys.byteorder != "little":
            out.byteswap()
        if out and (min(out) < 0 or max(out) >= self.size):
            raise IndexCorrupt("has diff postings out of range")
        return out

    def bitmap(self, token: str) -> int:
        row = self.conn.execute("SELECT bits FROM diff_tokens WHERE model = ? AND token = ?",
                                (self.model, token)).fetchone()
        if row is None:
            return 0
        if row[0] is None:  # a token rare enough to have no bitmap: made from its postings
            return int.from_bytes(bitmap_bytes(self.size, *self.postings(token)), "little")
        if type(row[0]) is not bytes or len(row[0]) != (self.size + 7) // 8:
            raise IndexCorrupt("has a diff bitmap of the wrong size")
        return int.from_bytes(row[0], "little")

    def rows(self, indices: Collection[int]) -> dict[int, NodeRow]:
        wanted = sorted(indices)
        out: dict[int, NodeRow] = {}
        for k in range(0, len(wanted), _CHUNK):
            chunk = wanted[k:k + _CHUNK]
            for row in self.conn.execute(f"SELECT {_NODE} FROM diff_nodes WHERE model = ? AND i IN "
                                         f"({','.join('?' * len(chunk))})", (self.model, *chunk)):
                i, node = _node(row, self.size)
                out[i] = node
        if len(out) != len(wanted):
            raise IndexCorrupt("has a diff model with nodes missing")
        return out

    def find(self, node_id: str) -> int | None:
        row = self.conn.execute("SELECT i FROM diff_nodes WHERE model = ? AND nid = ? ORDER BY i LIMIT 1",
                                (self.model, node_id)).fetchone()
        if row is None:
            return None
        if type(row[0]) is not int or not 0 <= row[0] < self.size:
            raise IndexCorrupt("has a diff node out of range")
        return row[0]

    def weights(self) -> Sequence[float]:
        row = self.conn.execute("SELECT weights FROM diff_models WHERE id = ?", (self.model,)).fetchone()
        if row is None or type(row[0]) is not bytes or len(row[0]) != 8 * self.size:
            raise IndexCorrupt("has diff node weights of the wrong size")
        out = array("d")
        out.frombytes(row[0])
        if sys.byteorder != "little":
            out.byteswap()
        if not all(0.0 <= w < 1e12 for w in out):  # NaN fails it wherever it is (min and max may skip one)
            raise IndexCorrupt("has diff node weights out of range")
        return out

    def all_rows(self) -> list[NodeRow]:
        out = [_node(row, self.size)[1]
               for row in self.conn.execute(f"SELECT {_NODE} FROM diff_nodes WHERE model = ? ORDER BY i",
                                            (self.model,))]
        if len(out) != self.size:
            raise IndexCorrupt("has a diff model with nodes missing")
        return out


_NODE = "i, nid, kind, text, areas, ksbs, aliases, own, weak, views, weight"


def _node(row: tuple[Any, ...], size: int) -> tuple[int, NodeRow]:
    i, nid, kind, text, areas, ksbs, aliases, own, weak, views, weight = row
    if not (type(i) is int and 0 <= i < size and type(nid) is str and type(kind) is str and type(text) is str
            and type(areas) is str and type(ksbs) is str and type(aliases) is str and type(own) is str
            and type(weak) is str and type(views) is str and type(weight) is float):
        raise IndexCorrupt("has a diff node of the wrong types")
    return i, NodeRow(nid, kind, text, tuple(areas.split(SEP)) if areas else (),
                      tuple(ksbs.split(SEP)) if ksbs else (), _strings(aliases), tuple(own.split()),
                      tuple(weak.split()), tuple(tuple(v) for v in _lists(views)), weight)


def _strings(raw: str) -> tuple[str, ...]:
    if not raw:
        return ()
    try:
        value = json.loads(raw)
    except ValueError:
        raise IndexCorrupt("has diff aliases that are not JSON") from None
    if not (isinstance(value, list) and all(type(v) is str for v in value)):
        raise IndexCorrupt("has diff aliases of the wrong types")
    return tuple(value)


def _lists(raw: str) -> list[list[str]]:
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        raise IndexCorrupt("has diff alias tokens that are not JSON") from None
    if not (isinstance(value, list)
            and all(isinstance(v, list) and all(type(t) is str for t in v) for v in value)):
        raise IndexCorrupt("has diff alias tokens of the wrong types")
    return value

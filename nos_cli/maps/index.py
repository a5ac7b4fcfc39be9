"""The index of one map file: a flat row for every text in it, built without networkx, and a view of those
rows in the index database (nos_cli.maps.store).

A search record is ``(node_id, kind, text, line, functions, areas)``, where ``functions`` and ``areas`` are
the ids of the functions and key areas the node belongs to (for a KSB, every function that links it and their
areas). The database row holds more: what ``nos show`` says about a node (its column, parent, what it
contains and links, its provenance), so show is a keyed lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from nos_cli.maps.load import Document
from nos_cli.maps.terms import LONG_TEXT
from nos_cli.model import AREA, ELEMENT, FUNCTION, KSB, NODE_KINDS, PURPOSE, Mark

if TYPE_CHECKING:
    from nos_cli.maps.store import Store

#: Every kind of node the index holds (the one vocabulary: nos_cli.model).
SEARCH_KINDS = NODE_KINDS
#: Joins lists of ids inside one column (ids never hold control characters: the format's id pattern).
SEP = "\x1f"

Record = tuple[str, str, str, int, tuple[str, ...], tuple[str, ...]]

#: Characters outside ASCII that Python's case-insensitive matching equates with an ASCII letter but SQLite's
#: folding does not (tests/test_index.py proves the set complete): rows holding one are always -i candidates.
ODD_FOLD = frozenset("\u0130\u0131\u017f\u212a")
#: The ``odd`` column is a set of flags: 1, the row holds an ODD_FOLD character; 2, its text is long enough
#: to hold a term the word index cuts short (nos_cli.maps.terms). Odd rows are always narrowing candidates.
ODD_CHAR, ODD_LONG = 1, 2


#: A node as the database stores it (the columns of ``nodes`` after ``file_id``, in order): nid, kind, text,
#: line, column, functions, areas, parent, contains, links, source, source_ref, editorial, rationale, note,
#: aliases, odd.
#: A plain tuple, because a large map makes a hundred thousand of them.
Row = tuple[str, str, str, int, int, str, str, str, str, str, str | None, str | None, int, str | None,
            str | None, str, int]


def _row(nid: str, kind: str, text: str, mark: Mark, functions: tuple[str, ...], areas: tuple[str, ...],
         parent: str, contains: tuple[str, ...], links: tuple[str, ...], raw: dict[str, Any]) -> Row:
    ref = raw.get("source_ref")
    source, rationale, note = raw.get("source"), raw.get("rationale"), raw.get("note")
    aliases = raw.get("aliases")
    joined = SEP.join(a for a in aliases if isinstance(a, str)) if isinstance(aliases, list) else ""
    odd = ODD_CHAR if (not text.isascii() or not nid.isascii()) and \
        (not ODD_FOLD.isdisjoint(text) or not ODD_FOLD.isdisjoint(nid)) else 0
    if len(text) > LONG_TEXT:
        odd |= ODD_LONG
    return (nid, kind, text, mark.line, mark.column, SEP.join(functions), SEP.join(areas), parent,
            SEP.join(contains), SEP.join(links), source if isinstance(source, str) else None,
            str(ref) if isinstance(ref, (str, int)) and not isinstance(ref, bool) else None,
            int(raw.get("editorial") is True), rationale if isinstance(rationale, str) else None,
            note if isinstance(note, str) else None, joined, odd)


@dataclass(frozen=True)
class MapHead:
    """What the index keeps about a map beside its rows."""

    map_id: str
    title: str
    levels: dict[str, str] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)  # id, title and reference of each source


def head(doc: Document) -> MapHead:
    data: dict[str, Any] = doc.data
    levels = {k: v for k, v in (data.get("levels") or {}).items() if isinstance(v, str)}
    sources = [{k: s[k] for k in ("id", "title", "reference") if isinstance(s.get(k), (str, int))}
               for s in data.get("sources") or [] if isinstance(s, dict)]
    return MapHead(str(data["id"]), str(data["title"]), levels, sources)


def rows(doc: Document) -> Iterator[Row]:
    """The rows of a checked map document in file order (key purpose, then the tree, then KSBs), yielded as
    they are made so they stream into the database. The document is read through the one traversal of a map
    (nos_cli.maps.nodes.walk), as the graph and the rules read it."""
    from nos_cli.maps.nodes import walk

    data: dict[str, Any] = doc.data
    ksb_ids = {str(k["id"]) for k in data.get("ksbs") or []}
    links: dict[str, list[tuple[str, str]]] = {}
    for node in walk(data):
        raw = node.data
        if node.kind == PURPOSE:
            if isinstance(raw.get("text"), str):
                yield _row("", PURPOSE, raw["text"], doc.mark(("key_purpose", "text")), (), (), "", (), (), raw)
        elif node.kind == AREA:
            aid = str(raw["id"])
            yield _row(aid, AREA, raw["title"], doc.mark(node.path), (), (aid,), "",
                       tuple(str(fn["id"]) for fn in raw.get("functions") or []), (), raw)
        elif node.kind == FUNCTION:
            fid, aid = str(raw["id"]), str(node.parent.data["id"]) if node.parent else ""
            linked = tuple(dict.fromkeys(str(k) for k in raw.get("ksbs") or [] if str(k) in ksb_ids))
            yield _row(fid, FUNCTION, raw["title"], doc.mark(node.path), (fid,), (aid,), aid,
                       tuple(str(e["id"]) for e in raw.get("elements") or []), linked, raw)
            for ksb in linked:
                links.setdefault(ksb, []).append((fid, aid))
        elif node.kind == ELEMENT:
            function = node.parent
            fid = str(function.data["id"]) if function else ""
            aid = str(function.parent.data["id"]) if function and function.parent else ""
            yield _row(str(raw["id"]), ELEMENT, raw["title"], doc.mark(node.path), (fid,), (aid,), fid, (), (), raw)
        elif node.kind == KSB:
            kid = str(raw["id"])
            linked_by = links.get(kid, [])
            yield _row(kid, raw["kind"], raw["text"], doc.mark(node.path),
                       tuple(dict.fromkeys(f for f, _ in linked_by)), tuple(dict.fromkeys(a for _, a in linked_by)),
                       "", (), (), raw)


def distinct_words(texts: Iterable[str]) -> tuple[str, ...]:
    import re

    found: set[str] = set()
    word = re.compile(r"[a-z][a-z'-]{2,}")
    for text in texts:
        found.update(word.findall(text.lower()))
    return tuple(sorted(found))


class MapIndex:
    """One indexed map file as search, show and diff see it: its id, title and path, and its rows read from
    the index database only when asked for."""

    def __init__(self, store: Store, file_id: int, map_id: str, title: str, path: str, count: int) -> None:
        self.store = store
        self.file_id = file_id
        self.map_id = map_id
        self.title = title
        self.path = path  # as the user named it, for messages and --json
        self.count = count

    @cached_property
    def records(self) -> tuple[Record, ...]:
        """Every search record, in file order."""
        return tuple(rec for _rid, rec in self.store.records(self.file_id))

    @property
    def words(self) -> tuple[str, ...]:
        """The distinct words of its texts, for "did you mean" hints."""
        return self.store.words(self.file_id)


def build_index(doc: Document) -> MapIndex:
    """The index of a checked map document, in memory (nothing is written to disk)."""
    from nos_cli.maps.store import Store

    return Store.memory().add_document(doc, doc.path)

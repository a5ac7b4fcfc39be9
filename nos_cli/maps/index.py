"""The search index of one map file: a flat record for every text in it, built without networkx.

A record is a plain tuple so it can be cached with ``marshal`` (fast, and unlike pickle it cannot run code):
``(node_id, kind, text, line, functions, areas)``, where ``functions`` and ``areas`` are the ids of the
functions and key areas the node belongs to (for a KSB, every function that links it and their areas).
"""

from __future__ import annotations

import marshal
from functools import cached_property
from typing import Any

from nos_cli.maps.load import Document
from nos_cli.model import AREA, ELEMENT, FUNCTION, PURPOSE

#: Bump when the record layout changes, so old cache entries are rebuilt.
INDEX_VERSION = 3


Record = tuple[str, str, str, int, tuple[str, ...], tuple[str, ...]]


class MapIndex:
    """Everything search needs of one map file, stored by column so a cached index loads fast: the texts (what
    every search reads) as one tuple, the ids as one newline-joined string, and the other columns packed with
    marshal and unpacked only when a match or a filter needs them."""

    def __init__(self, map_id: str, title: str, path: str, texts: tuple[str, ...], ids: str,
                 columns: tuple[Any, ...] | bytes, words: tuple[str, ...] = ()) -> None:
        self.map_id = map_id
        self.title = title
        self.path = path
        self.texts = texts
        self.ids_blob = ids
        self._columns = columns
        self.words = words  # the distinct words of its texts, for "did you mean" hints

    @classmethod
    def from_records(cls, map_id: str, title: str, path: str, records: tuple[Record, ...],
                     words: tuple[str, ...] = ()) -> MapIndex:
        cols = tuple(zip(*records, strict=True)) if records else ((),) * 6
        return cls(map_id, title, path, tuple(cols[2]), "\n".join(cols[0]),
                   (tuple(cols[1]), tuple(cols[3]), tuple(cols[4]), tuple(cols[5])), words)

    def packed(self) -> bytes:
        """The columns other than texts and ids, as the cache stores them."""
        return self._columns if isinstance(self._columns, bytes) else marshal.dumps(self._columns)

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.ids_blob.split("\n")) if self.texts else ()

    @cached_property
    def columns(self) -> tuple[tuple[str, ...], tuple[int, ...], tuple[tuple[str, ...], ...],
                               tuple[tuple[str, ...], ...]]:
        """(kinds, lines, functions, areas)."""
        return marshal.loads(self._columns) if isinstance(self._columns, bytes) else self._columns

    def record(self, i: int) -> Record:
        kinds, lines, functions, areas = self.columns
        return (self.ids[i], kinds[i], self.texts[i], lines[i], functions[i], areas[i])

    @cached_property
    def records(self) -> tuple[Record, ...]:
        kinds, lines, functions, areas = self.columns
        return tuple(zip(self.ids, kinds, self.texts, lines, functions, areas, strict=True))


def distinct_words(records: tuple[Record, ...]) -> tuple[str, ...]:
    import re

    found: set[str] = set()
    for rec in records:
        found.update(re.findall(r"[a-z][a-z'-]{2,}", rec[2].lower()))
    return tuple(sorted(found))


def build_index(doc: Document) -> MapIndex:
    """The records of a checked map document, in file order (key purpose, then the tree, then KSBs)."""
    data: dict[str, Any] = doc.data
    records: list[Record] = []
    purpose = data.get("key_purpose")
    if isinstance(purpose, dict) and isinstance(purpose.get("text"), str):
        records.append(("", PURPOSE, purpose["text"], doc.mark(("key_purpose", "text")).line, (), ()))
    links: dict[str, list[tuple[str, str]]] = {}
    for a, area in enumerate(data.get("key_areas") or []):
        aid = str(area["id"])
        records.append((aid, AREA, area["title"], doc.mark(("key_areas", a)).line, (), (aid,)))
        for f, fn in enumerate(area.get("functions") or []):
            fid = str(fn["id"])
            fpath = ("key_areas", a, "functions", f)
            records.append((fid, FUNCTION, fn["title"], doc.mark(fpath).line, (fid,), (aid,)))
            for e, el in enumerate(fn.get("elements") or []):
                records.append((str(el["id"]), ELEMENT, el["title"], doc.mark((*fpath, "elements", e)).line,
                                (fid,), (aid,)))
            for ksb in fn.get("ksbs") or []:
                links.setdefault(ksb, []).append((fid, aid))
    for k, ksb in enumerate(data.get("ksbs") or []):
        kid = str(ksb["id"])
        linked = links.get(kid, [])
        fns = tuple(dict.fromkeys(f for f, _ in linked))
        areas = tuple(dict.fromkeys(a for _, a in linked))
        records.append((kid, ksb["kind"], ksb["text"], doc.mark(("ksbs", k)).line, fns, areas))
    recs = tuple(records)
    return MapIndex.from_records(str(data["id"]), str(data["title"]), doc.path, recs, distinct_words(recs))

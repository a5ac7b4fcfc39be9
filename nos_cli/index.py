"""The search index of one map file: a flat record for every text in it, built without networkx.

A record is a plain tuple so it can be cached with ``marshal`` (fast, and unlike pickle it cannot run code):
``(node_id, kind, text, line, functions, areas)``, where ``functions`` and ``areas`` are the ids of the
functions and key areas the node belongs to (for a KSB, every function that links it and their areas).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nos_cli.loader import Document
from nos_cli.model import KSB_KINDS

#: Bump when the record layout changes, so old cache entries are rebuilt.
INDEX_VERSION = 1

PURPOSE, AREA, FUNCTION, ELEMENT = "purpose", "area", "function", "element"
SEARCH_KINDS = (PURPOSE, AREA, FUNCTION, ELEMENT, *KSB_KINDS)

Record = tuple[str, str, str, int, tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class MapIndex:
    """Everything search needs of one map file."""

    map_id: str
    title: str
    path: str
    records: tuple[Record, ...]


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
    return MapIndex(str(data["id"]), str(data["title"]), doc.path, tuple(records))

"""``nos show ID`` as a keyed lookup in the index database: what the graph would say about one node, read
from its row and the rows it names, without parsing YAML or building a graph while the index is fresh."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nos_cli.errors import AmbiguousNodeError, NodeNotFoundError
from nos_cli.maps.index import SEP, MapIndex
from nos_cli.maps.store import IndexCorrupt
from nos_cli.model import AREA, ELEMENT, FUNCTION, KSB_KINDS, PURPOSE, kind_name

if TYPE_CHECKING:
    from nos_cli.maps.indexer import Progress

_LEVEL_KEYS = {PURPOSE: "key_purpose", AREA: "key_area", FUNCTION: "function", ELEMENT: "element"}


def level_name(levels: dict[str, str], kind: str) -> str:
    """What a map calls a level: its own word where it has one, else the generic one."""
    key = _LEVEL_KEYS.get(kind)
    default = kind_name(kind, title=True)
    return levels.get(key, default) if key is not None else default


@dataclass(frozen=True)
class NodeView:
    """Everything ``nos show`` prints about a node: the facts (as ``--format json`` gives them), the map's
    level names, and the node's own source numbering."""

    facts: dict[str, Any]
    levels: dict[str, str]
    source_ref: str | None

    def level_name(self, kind: str) -> str:
        return level_name(self.levels, kind)


def _split(value: object) -> list[str]:
    if not isinstance(value, str):
        raise IndexCorrupt("has a node of the wrong types")
    return value.split(SEP) if value else []


def find(index: MapIndex, node_id: str) -> NodeView:
    """The node with this id; NodeNotFoundError (exit 1, with close ids) when the map has none."""
    store, file_id = index.store, index.file_id
    row = store.node(file_id, node_id) if node_id else None
    if row is None or row[2] == PURPOSE:
        _unknown(index, node_id)
    assert row is not None
    (_f, nid, kind, text, line, col, functions, areas, parent, contains, links, source, source_ref, editorial,
     rationale, note, aliases, _odd) = row
    levels_json, sources_json = store.head_json(file_id)
    levels, sources = json.loads(levels_json), json.loads(sources_json)
    if not (isinstance(levels, dict) and isinstance(sources, list) and all(isinstance(s, dict) for s in sources)):
        raise IndexCorrupt("has map levels or sources of the wrong types")

    def title(other: str) -> dict[str, Any]:
        found = store.node(file_id, other)
        if found is None:
            raise IndexCorrupt(f"names a node {other!r} it does not hold")
        return {"id": other, "kind": found[2], "title": found[3]}

    out: dict[str, Any] = {"map": index.map_id, "id": nid, "kind": kind, "text": text}
    is_ksb = kind in KSB_KINDS
    if is_ksb and source_ref:
        out["source_ref"] = source_ref
    if source:
        out["source"] = source
    if editorial:
        out["editorial"] = True
    if rationale and not is_ksb:
        out["rationale"] = rationale
    if note:
        out["note"] = note
    if rationale and is_ksb:
        out["rationale"] = rationale
    if aliases:  # editorial by definition of the format (docs/format.md)
        out["aliases"] = {"editorial": True, "terms": _split(aliases)}
    src = next((s for s in sources if s.get("id") == source), None)
    if src:
        out["source_title"] = src.get("title")
        if src.get("reference"):
            out["source_reference"] = src.get("reference")
    if is_ksb:
        out["functions"] = [{"id": f, "title": title(f)["title"]} for f in _split(functions)]
        out["areas"] = [{"id": a, "title": title(a)["title"]} for a in _split(areas)]
    else:
        if parent:
            out["parent"] = title(parent)
        area = next(iter(_split(areas)), None) if kind == ELEMENT else None
        if area is not None and area != parent:
            out["area"] = {"id": area, "title": title(area)["title"]}
        out["contains"] = [title(c) for c in _split(contains)]
        if kind == FUNCTION:
            out["ksbs"] = [{"id": k, "kind": t["kind"], "text": t["title"]} for k in _split(links)
                           for t in (title(k),)]
    out["location"] = f"{index.path}:{line}:{col}"
    return NodeView(out, {k: v for k, v in levels.items() if isinstance(v, str)},
                    source_ref if isinstance(source_ref, str) else None)


def _unknown(index: MapIndex, node_id: str) -> None:
    from nos_cli.suggest import close_matches

    ids: Sequence[str] = index.store.ids(index.file_id)
    close = close_matches(node_id, ids)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise NodeNotFoundError(f"{index.map_id} has no node {node_id!r}{hint}")


@dataclass(frozen=True)
class NodeRef:
    """What a user named on ``nos show``'s command line: ``ID``, or ``MAP:ID`` as search and completion print it
    (``map`` is an id or a path; None lets the id be looked for in the maps in scope)."""

    map: str | None
    id: str


def parse_ref(text: str) -> NodeRef:
    """``MAP:ID`` splits at the last colon (node ids never hold one; a path may); a bare id has no map."""
    map_ref, sep, node_id = text.rpartition(":")
    return NodeRef(map_ref, node_id) if sep and map_ref and node_id else NodeRef(None, text)


def locate(ref: NodeRef, named: dict[str, MapIndex], pool: Sequence[MapIndex]) -> tuple[MapIndex, str]:
    """The index holding a node: the map ``MAP:`` names, else the one map of ``pool`` that has the id. An id in
    several maps is :class:`AmbiguousNodeError` (exit 2, the candidates as ``MAP:ID``); in none,
    :class:`NodeNotFoundError` (exit 1) with close ids, from every map of the pool."""
    if ref.map is not None:
        return named[ref.map], ref.id
    if len(pool) == 1:
        return pool[0], ref.id
    found = [ix for ix in pool if _has(ix, ref.id)]
    if len(found) == 1:
        return found[0], ref.id
    if found:
        candidates = ", ".join(f"{ix.map_id}:{ref.id}" for ix in found)
        raise AmbiguousNodeError(f"{ref.id!r} is in {len(found)} maps: {candidates}; name one as MAP:ID or with -M")
    from nos_cli.suggest import close_matches

    close = [f"{ix.map_id}:{c}" for ix in pool for c in close_matches(ref.id, ix.store.ids(ix.file_id))]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise NodeNotFoundError(f"no map has a node {ref.id!r}{hint}")


def _has(index: MapIndex, node_id: str) -> bool:
    row = index.store.node(index.file_id, node_id) if node_id else None
    return row is not None and row[2] != PURPOSE


def show_nodes(refs: Sequence[str], maps: Sequence[str], maps_dirs: Sequence[str], *, use_cache: bool = True,
               progress: Progress | None = None) -> list[NodeView]:
    """``nos show``: nodes by ``ID`` or ``MAP:ID``, from the index. A bare id is looked for in the ``maps``
    (``-M``, ids or paths) when given, else in every available map. A database that fails while being read is
    thrown away and the run fails with a clear message (the next run rebuilds it)."""
    import sqlite3

    from nos_cli.maps.indexes import close, select
    from nos_cli.maps.store import fail

    parsed = [parse_ref(r) for r in refs]
    named_refs = list(dict.fromkeys([*(p.map for p in parsed if p.map is not None), *maps]))
    opened: list[MapIndex] = []
    try:
        named = dict(zip(named_refs, select(named_refs, maps_dirs, use_cache=use_cache, progress=progress),
                         strict=True)) if named_refs else {}
        opened += named.values()
        if maps:
            pool = [named[m] for m in dict.fromkeys(maps)]
        elif any(p.map is None for p in parsed):
            pool = select([], maps_dirs, use_cache=use_cache, progress=progress)
            opened += pool
        else:
            pool = []
        try:
            return [find(*locate(ref, named, pool)) for ref in parsed]
        except (sqlite3.DatabaseError, IndexCorrupt, ValueError) as exc:
            raise fail(opened[0].store, exc) from None  # every index here reads the one database
    finally:
        close(opened)


def show_node(map_ref: str, maps_dirs: Sequence[str], node_id: str, *, use_cache: bool = True,
              progress: Progress | None = None) -> NodeView:
    """One node of one map (by id or path)."""
    return show_nodes([node_id], [map_ref], maps_dirs, use_cache=use_cache, progress=progress)[0]

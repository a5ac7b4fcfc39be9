"""Build a :class:`FunctionalMap` from a loaded document, through the one traversal of :mod:`nos_cli.maps.nodes`.

The builder is lenient: it takes what is well formed and skips the rest (an entry with no id, a second node
with an id already used, a link to an id that is not a KSB), so validation rules can still query the graph of
a broken map. Whether a map is fit to use is decided before, by the loader's problems and the structure check.
"""

from __future__ import annotations

from typing import Any

from nos_cli.gcpause import paused_gc
from nos_cli.maps.graph import CONTAINS, REQUIRES, ROOT, FunctionalMap, MapInfo, new_graph
from nos_cli.maps.load import Document
from nos_cli.maps.nodes import RawNode, walk
from nos_cli.model import FUNCTION, KSB, KSB_KINDS, PURPOSE, Node


def build(doc: Document) -> FunctionalMap:
    with paused_gc():  # a node per entry and no cycles among them: the collector only costs time (gcpause)
        return _build(doc)


def _build(doc: Document) -> FunctionalMap:
    data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
    info = MapInfo(
        id=_str(data.get("id")) or "",
        title=_str(data.get("title")) or "",
        kind=_str(data.get("kind")) or "",
        path=doc.path,
        version=_str(data.get("version")),
        description=_str(data.get("description")),
        partial=data.get("partial") is True,
        levels={k: v for k, v in _dict(data.get("levels")).items() if isinstance(v, str)},
        sources=[s for s in _list(data.get("sources")) if isinstance(s, dict)],
        notes=[n for n in _list(data.get("notes")) if isinstance(n, str)],
    )
    g = new_graph()
    g.add_node(ROOT, node=_node(doc, RawNode(("key_purpose",), PURPOSE, _dict(data.get("key_purpose"))), ROOT,
                                PURPOSE))
    added: dict[int, str] = {}  # id() of a raw node -> its graph id, for its children's edges
    functions: list[tuple[str, RawNode]] = []
    nodes = list(walk(data))
    # KSBs first: where a KSB and a tree node share an id (an error the rules report), the KSB stands.
    for raw in sorted(nodes, key=lambda n: n.kind != KSB):
        if raw.kind == KSB:
            kind, parent = raw.data.get("kind"), None
            if kind not in KSB_KINDS:
                continue  # a KSB of no known kind: the rules report it
        elif raw.kind == PURPOSE:
            continue
        else:
            kind, parent = raw.kind, ROOT if raw.parent is None else added.get(id(raw.parent))
            if parent is None:
                continue  # under a node that was skipped
        node_id = _add(g, doc, raw, str(kind), parent)
        if node_id is not None:
            added[id(raw)] = node_id
            if raw.kind == FUNCTION:
                functions.append((node_id, raw))
    # Links last, so functions can link KSBs whatever order the file uses.
    for fn_id, raw in functions:
        for ksb in raw.links():
            if isinstance(ksb, str) and ksb in g and g.nodes[ksb]["node"].kind in KSB_KINDS:
                g.add_edge(fn_id, ksb, rel=REQUIRES)
    return FunctionalMap(info, g)


def _add(g: Any, doc: Document, raw: RawNode, kind: str, parent: str | None) -> str | None:
    node_id = raw.id
    if node_id is None or node_id == "" or node_id in g:
        return None  # no id, or a duplicate id: the rules report it; the first one stands
    g.add_node(node_id, node=_node(doc, raw, node_id, kind))
    if parent is not None:
        g.add_edge(parent, node_id, rel=CONTAINS)
    return node_id


def _node(doc: Document, raw: RawNode, node_id: str, kind: str) -> Node:
    mark = doc.mark(raw.path)
    data = raw.data
    core = data.get("core")
    ref = data.get("source_ref")
    return Node(
        id=node_id,
        kind=kind,
        text=raw.text or "",  # exactly as written: the standard's words are not ours to tidy
        source=_str(data.get("source")),
        editorial=data.get("editorial") is True,
        rationale=_str(data.get("rationale")),
        note=_str(data.get("note")),
        core=core if isinstance(core, bool) else None,
        source_ref=str(ref) if isinstance(ref, (str, int)) and not isinstance(ref, bool) else None,
        line=mark.line,
        column=mark.column,
        aliases=tuple(a for a in _list(data.get("aliases")) if isinstance(a, str) and a.strip()),
    )


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _dict(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []

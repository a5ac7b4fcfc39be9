"""Build a :class:`FunctionalMap` from a loaded document.

The builder is lenient: it takes what is well formed and skips the rest (an entry with no id, a second node
with an id already used, a link to an id that is not a KSB), so validation rules can still query the graph of
a broken map. Whether a map is fit to use is decided before, by the loader's problems and the structure check.
"""

from __future__ import annotations

from typing import Any

from nos_cli.maps.graph import CONTAINS, REQUIRES, ROOT, FunctionalMap, MapInfo, new_graph
from nos_cli.maps.load import Document
from nos_cli.model import AREA, ELEMENT, FUNCTION, KSB_KINDS, MAP, Node, Path


def build(doc: Document) -> FunctionalMap:
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
    purpose = _dict(data.get("key_purpose"))
    g.add_node(ROOT, node=_node(doc, ("key_purpose",), ROOT, MAP, purpose, "text"))

    # KSBs first, so functions can link them whatever order the file uses.
    for i, raw in enumerate(_list(data.get("ksbs"))):
        kind = _dict(raw).get("kind")
        if kind in KSB_KINDS:
            _add(g, doc, ("ksbs", i), str(kind), raw, "text")
    for a, area in enumerate(_list(data.get("key_areas"))):
        area_id = _add(g, doc, ("key_areas", a), AREA, area, "title", parent=ROOT)
        if area_id is None:
            continue
        for f, fn in enumerate(_list(_dict(area).get("functions"))):
            fpath: Path = ("key_areas", a, "functions", f)
            fn_id = _add(g, doc, fpath, FUNCTION, fn, "title", parent=area_id)
            if fn_id is None:
                continue
            for e, el in enumerate(_list(_dict(fn).get("elements"))):
                _add(g, doc, (*fpath, "elements", e), ELEMENT, el, "title", parent=fn_id)
            for ksb in _list(_dict(fn).get("ksbs")):
                if isinstance(ksb, str) and ksb in g and g.nodes[ksb]["node"].kind in KSB_KINDS:
                    g.add_edge(fn_id, ksb, rel=REQUIRES)
    return FunctionalMap(info, g)


def _add(g: Any, doc: Document, path: Path, kind: str, raw: Any, text_key: str,
         parent: str | None = None) -> str | None:
    raw = _dict(raw)
    node_id = raw.get("id")
    if not isinstance(node_id, (str, int)) or isinstance(node_id, bool) or str(node_id) == "":
        return None
    node_id = str(node_id)
    if node_id in g:
        return None  # a duplicate id: the rules report it; the first one stands
    g.add_node(node_id, node=_node(doc, path, node_id, kind, raw, text_key))
    if parent is not None:
        g.add_edge(parent, node_id, rel=CONTAINS)
    return node_id


def _node(doc: Document, path: Path, node_id: str, kind: str, raw: dict[str, Any], text_key: str) -> Node:
    mark = doc.mark(path)
    core = raw.get("core")
    ref = raw.get("source_ref")
    return Node(
        id=node_id,
        kind=kind,
        text=_str(raw.get(text_key)) or "",  # exactly as written: the standard's words are not ours to tidy
        source=_str(raw.get("source")),
        editorial=raw.get("editorial") is True,
        rationale=_str(raw.get("rationale")),
        note=_str(raw.get("note")),
        core=core if isinstance(core, bool) else None,
        source_ref=str(ref) if isinstance(ref, (str, int)) and not isinstance(ref, bool) else None,
        line=mark.line,
        column=mark.column,
        aliases=tuple(a for a in _list(raw.get("aliases")) if isinstance(a, str) and a.strip()),
    )


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _dict(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []

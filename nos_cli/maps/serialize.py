"""A map as plain data (the shape of its YAML file), for JSON and YAML output and exporters."""

from __future__ import annotations

from typing import Any

from nos_cli.maps.graph import FunctionalMap
from nos_cli.model import ELEMENT, Node

#: Version of the JSON documents nos writes for maps; bump on any incompatible change.
MAP_JSON_VERSION = 1


def _provenance(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if node.source:
        out["source"] = node.source
    if node.editorial:
        out["editorial"] = True
    if node.note:
        out["note"] = node.note
    if node.aliases:  # editorial by definition of the format (docs/format.md), whatever `source` says
        out["aliases"] = list(node.aliases)
    return out


def node_dict(fmap: FunctionalMap, node: Node, *, ksbs: bool = True, depth: int | None = None,
              level: int = 1) -> dict[str, Any]:
    """A key area, function or element with what it contains, down to ``depth`` levels."""
    out: dict[str, Any] = {"id": node.id, "title": node.text, **_provenance(node)}
    if node.rationale:
        out["rationale"] = node.rationale
    if node.core is not None:
        out["core"] = node.core
    if ksbs and node.kind == "function":
        out["ksbs"] = [k.id for k in fmap.links(node.id)]
    kids = fmap.children(node.id)
    if kids and (depth is None or level < depth):
        key = "elements" if kids[0].kind == ELEMENT else "functions"
        out[key] = [node_dict(fmap, k, ksbs=ksbs, depth=depth, level=level + 1) for k in kids]
    return out


def ksb_dict(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "kind": node.kind, "text": node.text}
    if node.source_ref:
        out["source_ref"] = node.source_ref
    out.update(_provenance(node))
    return out


def map_dict(fmap: FunctionalMap, *, area: str | None = None, ksbs: bool = True,
             depth: int | None = None) -> dict[str, Any]:
    """The map as plain data. ``area`` keeps one key area (and the KSBs it links); ``ksbs`` False leaves
    KSBs out; ``depth`` cuts the tree below that many levels (1 = key areas only)."""
    info = fmap.info
    out: dict[str, Any] = {"id": info.id, "title": info.title, "kind": info.kind}
    for key in ("version", "description"):
        if getattr(info, key):
            out[key] = getattr(info, key)
    if info.partial:
        out["partial"] = True
    if info.levels:
        out["levels"] = dict(info.levels)
    out["sources"] = info.sources
    if fmap.root.text:
        out["key_purpose"] = {"text": fmap.root.text, **_provenance(fmap.root)}
    areas = [a for a in fmap.areas() if area is None or a.id == area]
    out["key_areas"] = [node_dict(fmap, a, ksbs=ksbs, depth=depth) for a in areas]
    if ksbs and (depth is None or depth >= 3):
        wanted = None if area is None else {k.id for f in fmap.functions(area) for k in fmap.links(f.id)}
        out["ksbs"] = [ksb_dict(k) for k in fmap.ksbs() if wanted is None or k.id in wanted]
    if info.notes:
        out["notes"] = info.notes
    return out

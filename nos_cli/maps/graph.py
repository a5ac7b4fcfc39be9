"""FunctionalMap: a functional map as one networkx DiGraph, with the queries every command needs.

Nodes are keyed by their id (the map's root by ``ROOT``) and carry a :class:`~nos_cli.model.Node` under
``"node"``. Edges carry ``rel``: ``"contains"`` (map -> key area -> function -> element) or ``"requires"``
(function -> KSB). Insertion order is the order of the file, and every query keeps it. This is the only
module that imports networkx.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx

from nos_cli.model import AREA, ELEMENT, FUNCTION, KSB_KINDS, Node

ROOT = ""  # no id can be empty, so the root's key never collides with a node's
CONTAINS, REQUIRES = "contains", "requires"


@dataclass
class MapInfo:
    """What the map says about itself, beside its nodes."""

    id: str
    title: str
    kind: str
    path: str
    version: str | None = None
    description: str | None = None
    partial: bool = False
    levels: dict[str, str] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class FunctionalMap:
    """A functional map: key purpose, key areas, functions, elements and KSBs, and the links between them."""

    def __init__(self, info: MapInfo, graph: Any) -> None:
        self.info = info
        self.graph = graph

    # --- identity -------------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.info.id

    @property
    def title(self) -> str:
        return self.info.title

    @property
    def root(self) -> Node:
        """The map's own node; its ``text`` is the key purpose (empty when the map states none)."""
        node: Node = self.graph.nodes[ROOT]["node"]
        return node

    def level_name(self, kind: str) -> str:
        """What this map calls a level: its own word where it has one, else the generic one."""
        from nos_cli.maps.lookup import level_name

        return level_name(self.info.levels, kind)

    # --- nodes ----------------------------------------------------------------------------------------
    def __contains__(self, node_id: object) -> bool:
        return node_id != ROOT and node_id in self.graph

    def node(self, node_id: str) -> Node:
        """The node with this id; KeyError when there is none."""
        if node_id == ROOT:
            raise KeyError(node_id)
        found: Node = self.graph.nodes[node_id]["node"]
        return found

    def find(self, node_id: str) -> Node:
        """The node with this id; :class:`NodeNotFoundError` (exit 1) naming close ids when there is none."""
        if node_id != ROOT and node_id in self.graph:
            return self.node(node_id)
        from nos_cli.errors import NodeNotFoundError
        from nos_cli.suggest import close_matches

        close = close_matches(node_id, [n.id for n in self.nodes()])
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise NodeNotFoundError(f"{self.id} has no node {node_id!r}{hint}")

    def nodes(self, *kinds: str) -> list[Node]:
        """Every node (not the root) in file order, or only those of the given kinds."""
        out = [d["node"] for n, d in self.graph.nodes(data=True) if n != ROOT]
        return [n for n in out if n.kind in kinds] if kinds else out

    def areas(self) -> list[Node]:
        return self.children(ROOT)

    def functions(self, area_id: str | None = None) -> list[Node]:
        if area_id is not None:
            return self.children(area_id)
        return [f for a in self.areas() for f in self.children(a.id)]

    def ksbs(self, *kinds: str) -> list[Node]:
        """KSBs in the order the map lists them, optionally of some kinds only."""
        return self.nodes(*(kinds or KSB_KINDS))

    # --- structure ------------------------------------------------------------------------------------
    def children(self, node_id: str) -> list[Node]:
        """What the node contains (areas of the map, functions of an area, elements of a function)."""
        return self._out(node_id, CONTAINS)

    def links(self, function_id: str) -> list[Node]:
        """The KSBs a function requires, in the order the function lists them."""
        return self._out(function_id, REQUIRES)

    def parent(self, node_id: str) -> Node | None:
        """The node that contains this one; None for a KSB (KSBs are linked, not contained)."""
        for p in self.graph.predecessors(node_id):
            if self.graph.edges[p, node_id]["rel"] == CONTAINS:
                return None if p == ROOT else self.graph.nodes[p]["node"]
        return None

    def ancestors(self, node_id: str) -> list[Node]:
        """Containing nodes from the nearest up to the key area."""
        out: list[Node] = []
        cur = self.parent(node_id)
        while cur is not None:
            out.append(cur)
            cur = self.parent(cur.id)
        return out

    def functions_for(self, ksb_id: str) -> list[Node]:
        """The functions that link a KSB, in map order."""
        linked = [p for p in self.graph.predecessors(ksb_id) if self.graph.edges[p, ksb_id]["rel"] == REQUIRES]
        # Sorting the few linking functions, not filtering every function of the map: asked for each KSB (CSV
        # export, matrix), the filter made a map of 100k KSBs cost minutes (197 s for its CSV).
        return [self.node(f) for f in sorted(linked, key=self._rank.__getitem__)]

    def areas_for(self, node_id: str) -> list[Node]:
        """The key areas a node belongs to: its own for an area, function or element; for a KSB, the areas of
        every function that links it (each once, in map order)."""
        node = self.node(node_id)
        if node.kind == AREA:
            return [node]
        if node.is_ksb:
            wanted = {self.area_of(f.id).id for f in self.functions_for(node_id)}  # type: ignore[union-attr]
            return [self.node(a) for a in sorted(wanted, key=self._rank.__getitem__)]
        area = self.area_of(node_id)
        return [area] if area is not None else []

    @cached_property
    def _rank(self) -> dict[str, int]:
        """Each node's place in the map (the graph keeps insertion order, which is the file's)."""
        return {key: i for i, key in enumerate(self.graph)}

    def area_of(self, node_id: str) -> Node | None:
        """The key area that contains a function or element."""
        for a in self.ancestors(node_id):
            if a.kind == AREA:
                return a
        return None

    def orphans(self) -> list[Node]:
        """KSBs that no function links."""
        return [k for k in self.ksbs() if not any(True for _ in self._in(k.id, REQUIRES))]

    def walk(self) -> Iterator[tuple[int, Node]]:
        """The containment tree depth first in file order, as (depth, node); areas are at depth 1."""
        stack: list[tuple[int, str]] = [(1, a.id) for a in reversed(self.areas())]
        while stack:
            depth, nid = stack.pop()
            yield depth, self.graph.nodes[nid]["node"]
            stack.extend((depth + 1, c.id) for c in reversed(self.children(nid)))

    def in_order(self) -> list[Node]:
        """Every node as a reader meets it: the tree depth first, then the KSBs in map order."""
        return [n for _, n in self.walk()] + self.ksbs()

    def counts(self) -> dict[str, int]:
        """How many nodes of each kind the map has (every kind present, zero where none)."""
        out = dict.fromkeys((AREA, FUNCTION, ELEMENT, *KSB_KINDS), 0)
        for n in self.nodes():
            out[n.kind] += 1
        return out

    # --- helpers --------------------------------------------------------------------------------------
    def _out(self, node_id: str, rel: str) -> list[Node]:
        g = self.graph
        return [g.nodes[c]["node"] for c in g.successors(node_id) if g.edges[node_id, c]["rel"] == rel]

    def _in(self, node_id: str, rel: str) -> Iterable[str]:
        g = self.graph
        return (p for p in g.predecessors(node_id) if g.edges[p, node_id]["rel"] == rel)


def new_graph() -> Any:
    return nx.DiGraph()


def graphml(fmap: FunctionalMap) -> str:
    """The map's graph as GraphML (for Gephi, yEd, Cytoscape): flat string attributes, the root as ':map'."""
    from io import BytesIO

    from nos_cli.textsafe import xml_text

    # XML 1.0 cannot hold most control characters, even escaped: xml_text shows them, so the file stays
    # well-formed whatever a map's texts hold.
    flat = nx.DiGraph(id=xml_text(fmap.id), title=xml_text(fmap.title))
    for key, data in fmap.graph.nodes(data=True):
        node = data["node"]
        attrs = {"kind": node.kind, "text": xml_text(node.text), "source": xml_text(node.source or ""),
                 "editorial": node.editorial}
        flat.add_node(xml_text(key) if key else ":map", **attrs)
    for a, b, data in fmap.graph.edges(data=True):
        flat.add_edge(xml_text(a) if a else ":map", xml_text(b), rel=data["rel"])
    buf = BytesIO()
    nx.write_graphml(flat, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue().decode("utf-8")

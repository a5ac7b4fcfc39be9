"""The texts each node of a map is matched by: its own words, its aliases, and words it borrows from nodes
it is linked to.

- A KSB, function or key area is matched by its own text and by its ``aliases`` (the words a field uses for
  it: editorial, written by the map's authors, never presented as the standard's text).
- A skill borrows the text of its knowledge twin: the knowledge statement a function pairs it with (a function
  linking that one skill and one or two knowledge statements; in ST0148, S1 "advise, guide and supervise
  learners" and K1 "advice and guidance" sit side by side).
- A function borrows the texts of the KSBs it links and the titles of its elements (in a NOS suite, the
  elements of a unit say what the unit's title only names).

Borrowed words help a statement find the node (recall) but never make a short node look like a full match
(precision is measured against the node's own words, or one alias).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nos_cli.maps.index import MapIndex
from nos_cli.model import AREA, FUNCTION, KNOWLEDGE, KSB_KINDS, SKILL

MATCH_KINDS = (*KSB_KINDS, FUNCTION, AREA)


@dataclass(frozen=True)
class NodeText:
    id: str
    kind: str
    text: str
    areas: tuple[str, ...]
    ksbs: tuple[str, ...]  # for a function: the KSBs it links
    aliases: tuple[str, ...]
    borrowed: tuple[str, ...]  # texts of linked nodes (twin knowledge, linked KSBs, elements)


def node_texts(index: MapIndex) -> list[NodeText]:
    """Every node statements are matched to, in map order, with its aliases and borrowed texts. Aliases and
    elements are read from the map file (the search index does not hold them); a map that cannot be read
    again is matched on the index's texts alone."""
    aliases, elements = _extras(Path(index.path))
    ksb_text: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    fn_ksbs: dict[str, list[str]] = defaultdict(list)
    for node_id, kind, text, _line, functions, _areas in index.records:
        kind_of[node_id] = kind
        if kind in KSB_KINDS:
            ksb_text[node_id] = text
            for f in functions:
                fn_ksbs[f].append(node_id)
    out = []
    for node_id, kind, text, _line, functions, areas in index.records:
        if kind not in MATCH_KINDS:
            continue
        linked: tuple[str, ...] = ()
        borrowed: list[str] = []
        if kind == FUNCTION:
            linked = tuple(fn_ksbs.get(node_id, ()))
            borrowed = [ksb_text[k] for k in linked] + list(elements.get(node_id, ()))
        elif kind == SKILL:
            twins = dict.fromkeys(k for f in functions for k in _twins(f, node_id, fn_ksbs, kind_of))
            borrowed = [ksb_text[k] for k in twins]
        out.append(NodeText(node_id, kind, text, tuple(areas), linked, aliases.get(node_id, ()), tuple(borrowed)))
    return out


#: A function pairs a skill with its knowledge when it links that one skill and at most this many knowledge
#: statements; a function that links many is a grouping, not a pairing, and lends no twin.
MAX_TWINS = 2


def _twins(function: str, skill: str, fn_ksbs: dict[str, list[str]], kind_of: dict[str, str]) -> list[str]:
    linked = fn_ksbs.get(function, [])
    knowledge = [k for k in linked if kind_of.get(k) == KNOWLEDGE]
    skills = [k for k in linked if kind_of.get(k) == SKILL]
    return knowledge if skills == [skill] and len(knowledge) <= MAX_TWINS else []


def _extras(path: Path) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(aliases by node id, element titles by function id) from a map file; empty when it cannot be read."""
    from nos_cli.errors import NosError
    from nos_cli.maps.catalog import load_checked

    try:
        # Reading a large map again costs as much as building its index: skip it when there is nothing to take.
        raw = path.read_bytes() if path.is_file() else b""
    except OSError:
        return {}, {}
    if b"aliases" not in raw and b"elements" not in raw:
        return {}, {}
    try:
        data = load_checked(path).data
    except NosError:
        return {}, {}
    aliases: dict[str, tuple[str, ...]] = {}
    elements: dict[str, tuple[str, ...]] = {}

    def take(node: Any) -> None:
        if isinstance(node, dict) and isinstance(node.get("aliases"), list) and "id" in node:
            found = tuple(a.strip() for a in node["aliases"] if isinstance(a, str) and a.strip())
            aliases.setdefault(str(node["id"]), tuple(dict.fromkeys(found)))

    for area in data.get("key_areas") or []:
        take(area)
        for fn in (area.get("functions") or []) if isinstance(area, dict) else []:
            take(fn)
            if isinstance(fn, dict) and "id" in fn:
                elements[str(fn["id"])] = tuple(el["title"] for el in fn.get("elements") or []
                                                if isinstance(el, dict) and isinstance(el.get("title"), str))
    for ksb in data.get("ksbs") or []:
        take(ksb)
    return aliases, elements

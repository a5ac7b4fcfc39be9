"""The one traversal of a loaded map document: every node as written, with its path, kind and parent.

The graph (:mod:`nos_cli.maps.build`), the search index (:mod:`nos_cli.maps.index`) and the validation rules
(:mod:`nos_cli.rules.base`) all read a map through :func:`walk`, so they agree on what the nodes of a map are.
The walk is lenient: it yields what is shaped like a node and skips the rest, so rules can still check a
broken map; whether a map is fit to use is decided by the loader's problems and the structure check.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from nos_cli.model import AREA, ELEMENT, FUNCTION, KSB, PURPOSE, YamlPath, kind_name

#: The key each kind of node keeps its words under.
TEXT_KEY = {PURPOSE: "text", AREA: "title", FUNCTION: "title", ELEMENT: "title", KSB: "text"}


@dataclass(frozen=True, eq=False)
class RawNode:
    """One node of a map document as written: where it is, what kind it is (``ksb`` for any of the three
    KSB kinds, whose own kind is in its data), its mapping, and the node it sits under."""

    path: YamlPath
    kind: str  # purpose, area, function, element, ksb
    data: dict[str, Any]
    parent: RawNode | None = None

    @cached_property
    def id(self) -> str | None:
        value = self.data.get("id")
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None

    @property
    def text_key(self) -> str:
        return TEXT_KEY[self.kind]

    @cached_property
    def text(self) -> str | None:
        value = self.data.get(self.text_key)
        return value if isinstance(value, str) else None

    @property
    def name(self) -> str:
        """How messages name the node: "key area KA1", "KSB S9", "the key purpose"."""
        if self.kind == PURPOSE:
            return "the key purpose"
        return f"{kind_name(self.kind)} {self.id if self.id is not None else '(no id)'}"

    def links(self) -> list[Any]:
        """A function's ``ksbs`` list as written (any values: the rules check them)."""
        value = self.data.get("ksbs")
        return value if isinstance(value, list) else []


def walk(data: Any) -> Iterator[RawNode]:
    """Every node of a map document in file order of the tree: the key purpose, each key area followed by its
    functions and their elements, then the KSBs."""
    if not isinstance(data, dict):
        return
    purpose = data.get("key_purpose")
    if isinstance(purpose, dict):
        yield RawNode(("key_purpose",), PURPOSE, purpose)
    for a, area in _items(data.get("key_areas")):
        area_node = RawNode(("key_areas", a), AREA, area)
        yield area_node
        for f, fn in _items(area.get("functions")):
            fpath: YamlPath = ("key_areas", a, "functions", f)
            fn_node = RawNode(fpath, FUNCTION, fn, area_node)
            yield fn_node
            for e, el in _items(fn.get("elements")):
                yield RawNode((*fpath, "elements", e), ELEMENT, el, fn_node)
    for k, ksb in _items(data.get("ksbs")):
        yield RawNode(("ksbs", k), KSB, ksb)


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item

"""What a rule is, and the view of a map document that rules check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from nos_cli.maps.load import Document
from nos_cli.model import Level, Path, Problem

#: The kinds of text-bearing node a rule can see, with the key their words are under.
TEXT_KEY = {"purpose": "text", "area": "title", "function": "title", "element": "title", "ksb": "text"}
KIND_WORD = {"purpose": "key purpose", "area": "key area", "function": "function", "element": "element", "ksb": "KSB"}


@dataclass(frozen=True, eq=False)
class RawNode:
    """One node of a map document as written: where it is, what kind it is, and its mapping."""

    path: Path
    kind: str  # purpose, area, function, element, ksb
    data: dict[str, Any]

    @cached_property
    def id(self) -> str | None:
        value = self.data.get("id")
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None

    @property
    def text_key(self) -> str:
        return TEXT_KEY[self.kind]

    @property
    def name(self) -> str:
        """How messages name the node: "key area KA1", "KSB S9", "the key purpose"."""
        if self.kind == "purpose":
            return "the key purpose"
        return f"{KIND_WORD[self.kind]} {self.id if self.id is not None else '(no id)'}"

    @cached_property
    def text(self) -> str | None:
        value = self.data.get(self.text_key)
        return value if isinstance(value, str) else None


class MapContext:
    """A map document as rules see it: the plain data with positions, walked once."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
        self.nodes: list[RawNode] = list(_walk(self.data))

    def of(self, *kinds: str) -> Iterator[RawNode]:
        return (n for n in self.nodes if n.kind in kinds)

    def problem(self, path: Path, rule: Rule, message: str, *, at_key: bool = False) -> Problem:
        return self.doc.problem(path, rule.id, rule.level, message, at_key=at_key)

    @property
    def ksb_ids(self) -> set[str]:
        return {n.id for n in self.of("ksb") if n.id is not None}


def _walk(data: dict[str, Any]) -> Iterator[RawNode]:
    purpose = data.get("key_purpose")
    if isinstance(purpose, dict):
        yield RawNode(("key_purpose",), "purpose", purpose)
    for a, area in _items(data.get("key_areas")):
        yield RawNode(("key_areas", a), "area", area)
        for f, fn in _items(area.get("functions")):
            fpath: Path = ("key_areas", a, "functions", f)
            yield RawNode(fpath, "function", fn)
            for e, el in _items(fn.get("elements")):
                yield RawNode((*fpath, "elements", e), "element", el)
    for k, ksb in _items(data.get("ksbs")):
        yield RawNode(("ksbs", k), "ksb", ksb)


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


Check = Callable[[MapContext], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    """A validation rule. ``check`` is None for rules whose problems the loader or structure check finds."""

    id: str
    level: Level
    summary: str
    doc: str
    check: Check | None = None
    target: str = "map"  # the kind of document it applies to: "map", "mapping" or "any"


def rule(rule_id: str, level: Level, summary: str, doc: str | None, check: Check | None = None,
         target: str = "map") -> Rule:
    """Declare a rule from its module: the module docstring is its documentation (paragraphs and list items
    kept, each on one line, for ``nos rule`` and the docs)."""
    return Rule(rule_id, level, summary, tidy_doc(doc or summary), check, target)


def tidy_doc(doc: str) -> str:
    """A docstring as paragraphs separated by a blank line, each paragraph and ``- `` item on one line."""
    import re

    paragraphs = []
    for para in re.split(r"\n[ \t]*\n", doc.strip()):
        items = re.split(r"\n[ \t]*(?=- )", para)
        paragraphs.append("\n".join(" ".join(item.split()) for item in items))
    return "\n\n".join(paragraphs)

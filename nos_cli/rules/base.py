"""What a rule is, and the view of a map document that rules check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from nos_cli.maps.load import Document
from nos_cli.maps.nodes import RawNode, walk
from nos_cli.model import Level, Path, Problem


class MapContext:
    """A map document as rules see it: the plain data with positions, walked once."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
        self.nodes: list[RawNode] = list(walk(self.data))

    def of(self, *kinds: str) -> Iterator[RawNode]:
        return (n for n in self.nodes if n.kind in kinds)

    def problem(self, path: Path, rule: Rule, message: str, *, at_key: bool = False) -> Problem:
        return self.doc.problem(path, rule.id, rule.level, message, at_key=at_key)

    @property
    def ksb_ids(self) -> set[str]:
        return {n.id for n in self.of("ksb") if n.id is not None}


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

"""What a rule is, and the views of a document that rules check: a map (:class:`MapContext`) or a curriculum
mapping file with the map it names (:class:`MappingContext`). Every rule is declared one way, with
:func:`rule`, and checks the context of the documents it applies to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from nos_cli.maps.load import Document
from nos_cli.maps.nodes import RawNode, walk
from nos_cli.model import Level, Problem, YamlPath

if TYPE_CHECKING:
    from nos_cli.mapping.links import LinkState
    from nos_cli.maps.graph import FunctionalMap


class Context:
    """A loaded document as every rule sees it: the plain data with positions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}

    def problem(self, path: YamlPath, rule: Rule, message: str, *, at_key: bool = False) -> Problem:
        return self.doc.problem(path, rule.id, rule.level, message, at_key=at_key)


class MapContext(Context):
    """A map document as rules see it, walked once (nos_cli.maps.nodes)."""

    def __init__(self, doc: Document) -> None:
        super().__init__(doc)
        self.nodes: list[RawNode] = list(walk(self.data))

    def of(self, *kinds: str) -> Iterator[RawNode]:
        return (n for n in self.nodes if n.kind in kinds)

    @property
    def ksb_ids(self) -> set[str]:
        return {n.id for n in self.of("ksb") if n.id is not None}


class MappingContext(Context):
    """A curriculum mapping file as rules see it, with the map it names (``None`` when no map has that id) and
    the state of each of its links, worked out once for every rule that needs them."""

    def __init__(self, doc: Document, find_map: Callable[[str], FunctionalMap | None]) -> None:
        from nos_cli.mapping.file import read_mapping

        super().__init__(doc)
        self.mapping = read_mapping(doc)
        self.fmap = find_map(self.mapping.map_id) if self.mapping.map_id else None

    @cached_property
    def states(self) -> list[LinkState]:
        from nos_cli.mapping.links import link_states

        return link_states(self.mapping, self.fmap) if self.fmap is not None else []


#: A rule's check: given the context of a document it applies to (MapContext for "map", MappingContext for
#: "mapping", either for "any"), the problems it finds.
Check = Callable[[Any], Iterator[Problem]]


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

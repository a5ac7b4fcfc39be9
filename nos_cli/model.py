"""Plain data shared by every layer: positions and problems. No third-party imports here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

#: A place in a YAML document: keys of mappings and indexes of sequences, from the root down (not a file path:
#: that is pathlib.Path).
YamlPath = tuple[str | int, ...]


class Level(str, Enum):
    """How serious a problem is. ``error`` fails validation; ``warning`` fails it only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Mark:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass(frozen=True)
class Problem:
    """One finding about one place in one file, as every renderer and CI format reports it."""

    path: str
    line: int
    column: int
    rule: str
    level: Level
    message: str

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.level} [{self.rule}] {self.message}"


#: The kinds of node in a functional map, from the top down: the one vocabulary of every layer (the graph, the
#: search index, the rules, the renderers and ``--kind``). The key purpose is the root of a map.
PURPOSE, AREA, FUNCTION, ELEMENT = "purpose", "area", "function", "element"
KNOWLEDGE, SKILL, BEHAVIOUR = "knowledge", "skill", "behaviour"
KSB_KINDS = (KNOWLEDGE, SKILL, BEHAVIOUR)
NODE_KINDS = (PURPOSE, AREA, FUNCTION, ELEMENT, *KSB_KINDS)
#: Any of the three KSB kinds, where a rule or a message speaks of them together.
KSB = "ksb"

#: How people name each kind: (singular, plural).
KIND_NAMES: dict[str, tuple[str, str]] = {
    PURPOSE: ("key purpose", "key purposes"),
    AREA: ("key area", "key areas"),
    FUNCTION: ("function", "functions"),
    ELEMENT: ("element", "elements"),
    KNOWLEDGE: ("knowledge", "knowledge"),
    SKILL: ("skill", "skills"),
    BEHAVIOUR: ("behaviour", "behaviours"),
    KSB: ("KSB", "KSBs"),
}


def kind_name(kind: str, *, plural: bool = False, title: bool = False) -> str:
    """A kind as a reader says it: "key area", "skills", "Behaviours" (``title`` capitalises the first word)."""
    name = KIND_NAMES[kind][plural] if kind in KIND_NAMES else kind
    return name[:1].upper() + name[1:] if title else name


@dataclass(frozen=True)
class Node:
    """One node of a map: the map itself, a key area, a function, an element or a KSB.

    ``text`` is the node's words (a KSB's statement, an area's or function's title, the map's key purpose);
    ``source`` names the entry of the map's sources they are quoted from, and ``editorial`` says they are
    the project's own. ``line`` and ``column`` point at the node in its file.
    """

    id: str
    kind: str
    text: str
    source: str | None = None
    editorial: bool = False
    rationale: str | None = None
    note: str | None = None
    core: bool | None = None
    source_ref: str | None = None
    line: int = 0
    column: int = 0
    aliases: tuple[str, ...] = ()  # editorial alternative terms (the map authors' words)

    @property
    def is_ksb(self) -> bool:
        return self.kind in KSB_KINDS


@dataclass(frozen=True)
class Share:
    """How many of some KSBs are covered (by functions, curriculum items or role statements)."""

    covered: int
    total: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.covered / self.total, 1) if self.total else 100.0

"""What the alias rules share: every alias of a map, where it is, and its folded form."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nos_cli.maps.nodes import RawNode
from nos_cli.model import AREA, FUNCTION, KSB, YamlPath
from nos_cli.rules.base import MapContext

#: The kinds of node that may carry aliases (docs/format.md).
ALIAS_KINDS = (AREA, FUNCTION, KSB)


@dataclass(frozen=True)
class Alias:
    node: RawNode
    index: int
    text: str

    @property
    def path(self) -> YamlPath:
        return (*self.node.path, "aliases", self.index)

    @property
    def folded(self) -> str:
        return fold(self.text)


def fold(text: str) -> str:
    """Case, spacing and hyphens do not make two aliases different: "Off-the-job" is "off the job"."""
    return " ".join(text.casefold().replace("-", " ").split())


def aliases(ctx: MapContext) -> Iterator[Alias]:
    """Every string alias of every node, in file order."""
    for node in ctx.of(*ALIAS_KINDS):
        values = node.data.get("aliases")
        if isinstance(values, list):
            for i, value in enumerate(values):
                if isinstance(value, str):
                    yield Alias(node, i, value)

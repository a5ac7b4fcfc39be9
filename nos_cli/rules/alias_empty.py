"""An alias has words, and a node that has ``aliases:`` lists at least one. A blank alias matches nothing and
shows as nothing; an empty list is usually an alias list begun and forgotten."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.aliases import ALIAS_KINDS, aliases
from nos_cli.rules.base import MapContext, rule


def check(ctx: MapContext) -> Iterator[Problem]:
    for node in ctx.of(*ALIAS_KINDS):
        if node.data.get("aliases") == []:
            yield ctx.problem((*node.path, "aliases"), RULE, f"{node.name} has an empty aliases list")
    for alias in aliases(ctx):
        if not alias.text.strip():
            yield ctx.problem(alias.path, RULE, f"alias {alias.index + 1} of {alias.node.name} is empty")


RULE = rule("alias-empty", Level.ERROR, "an empty alias, or an empty aliases list", __doc__, check)

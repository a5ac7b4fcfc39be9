"""A node lists each alias once, and no alias only repeats the node's own text. Case, spacing and hyphens are
folded ("Off-the-job" and "off the job" are one alias). A repeat adds nothing to matching and usually hides
another term the author meant to write."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.maps.nodes import RawNode
from nos_cli.model import Level, Problem
from nos_cli.rules.aliases import aliases, fold
from nos_cli.rules.base import MapContext, rule


def check(ctx: MapContext) -> Iterator[Problem]:
    seen: dict[tuple[RawNode, str], int] = {}
    for alias in aliases(ctx):
        key = (alias.node, alias.folded)
        if not alias.folded:
            continue  # alias-empty reports it
        if key in seen:
            yield ctx.problem(alias.path, RULE, f"{alias.node.name} lists the alias {alias.text!r} twice "
                                                f"(first as alias {seen[key] + 1})")
        elif alias.node.text is not None and alias.folded == fold(alias.node.text):
            yield ctx.problem(alias.path, RULE, f"the alias {alias.text!r} of {alias.node.name} is its own text")
        seen.setdefault(key, alias.index)


RULE = rule("alias-duplicate", Level.WARNING, "a node lists an alias twice, or an alias repeats its text", __doc__,
            check)

"""No alias is written on two nodes, unless one function links them. An alias says "this is the word the field
uses for this node"; on two unrelated nodes it is evidence for neither, and ``nos diff`` cannot tell which a
duty means. Allowed: the nodes one function brings together (a function, the skill it links and that skill's
knowledge twin, such as S7 and K7 both called "GDPR"), and the key area that contains the function. The second
use is reported, with the place of the first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from nos_cli.maps.nodes import RawNode
from nos_cli.model import Level, Problem
from nos_cli.rules.aliases import Alias, aliases
from nos_cli.rules.base import MapContext, rule


def _groups(ctx: MapContext) -> dict[str, set[int]]:
    """For each node id, the functions (by position) whose group it belongs to."""
    out: dict[str, set[int]] = defaultdict(set)
    area: RawNode | None = None
    for i, node in enumerate(ctx.nodes):
        if node.kind == "area":
            area = node
        if node.kind != "function":
            continue
        group = {node.id, area.id if area is not None else None}
        links = node.data.get("ksbs")
        group |= {str(k) for k in links if isinstance(k, str)} if isinstance(links, list) else set()
        for member in group:
            if member is not None:
                out[member].add(i)
    return out


def check(ctx: MapContext) -> Iterator[Problem]:
    groups = _groups(ctx)
    first: dict[str, list[Alias]] = defaultdict(list)
    for alias in aliases(ctx):
        if not alias.folded:
            continue
        earlier = [a for a in first[alias.folded] if a.node is not alias.node]
        if earlier and not any(groups.get(alias.node.id or "", set()) & groups.get(a.node.id or "", set())
                               for a in earlier):
            where = ctx.doc.mark(earlier[0].path)
            yield ctx.problem(alias.path, RULE, f"the alias {alias.text!r} of {alias.node.name} is also an alias of "
                                                f"{earlier[0].node.name} (line {where.line}), which no function "
                                                f"links with it")
        first[alias.folded].append(alias)


RULE = rule("alias-shared", Level.WARNING, "one alias on two nodes that no function links", __doc__, check)

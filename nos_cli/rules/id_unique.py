"""Every id in a map (key areas, functions, elements, KSBs) is used once: ``nos show ID`` must never be
ambiguous. The second use is reported, with the place of the first."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import PURPOSE, Level, Problem, kind_name
from nos_cli.rules.base import MapContext, rule


def check(ctx: MapContext) -> Iterator[Problem]:
    first: dict[str, tuple[str, int]] = {}
    for node in ctx.nodes:
        if node.id is None or node.kind == PURPOSE:
            continue
        if node.id in first:
            kind, line = first[node.id]
            yield ctx.problem((*node.path, "id"), RULE, f"id {node.id!r} is already used by the {kind} at "
                              f"line {line}; ids are unique across the map")
        else:
            first[node.id] = (kind_name(node.kind), ctx.doc.mark((*node.path, "id")).line)


RULE = rule("id-unique", Level.ERROR, "an id is used by more than one node", __doc__, check)

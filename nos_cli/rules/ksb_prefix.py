"""A KSB's id starts with the letter of its kind: K for knowledge, S for skill, B for behaviour
(``K1``, ``S1``, ``B1``). A mismatch is almost always a typo in the id or the kind."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.maps.format import KSB_PREFIX
from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule


def check(ctx: MapContext) -> Iterator[Problem]:
    for node in ctx.of("ksb"):
        kind = node.data.get("kind")
        if node.id is None or not isinstance(kind, str) or kind not in KSB_PREFIX:  # the schema reports others
            continue
        prefix = KSB_PREFIX[kind]
        if not node.id.upper().startswith(prefix):
            yield ctx.problem((*node.path, "id"), RULE,
                              f"{kind} {node.id!r} should have an id starting with {prefix!r}")


RULE = rule("ksb-prefix", Level.ERROR, "a KSB id does not start with K, S or B as its kind says", __doc__, check)

"""A link with no fingerprint yet: no one has recorded checking it against the KSB's words (information;
``nos mapping review FILE --accept`` adds the fingerprint once a person has checked it)."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MappingContext, rule


def check(ctx: MappingContext) -> Iterator[Problem]:
    if ctx.fmap is None:
        return  # no map, no states: mapping-unknown-map says why
    for link, state in zip(ctx.mapping.links(), ctx.states, strict=True):
        if state.status == "unchecked":
            yield ctx.problem(link.path, RULE, f"item {link.item} -> {link.ksb} has no fingerprint yet")


RULE = rule("mapping-unchecked", Level.INFO, "a link has no fingerprint yet (never checked)", __doc__, check,
            target="mapping")

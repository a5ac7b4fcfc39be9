"""Every text says whose words it is: ``source: ID`` when it is the standard's text word for word,
``editorial: true`` when it is the project's own wording or linking. Not both, and not neither: a reader
must be able to tell the standard from the commentary."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule


def check(ctx: MapContext) -> Iterator[Problem]:
    for node in ctx.nodes:
        sourced = isinstance(node.data.get("source"), str)
        editorial = node.data.get("editorial") is True
        name = node.name
        if sourced and editorial:
            yield ctx.problem((*node.path, "editorial"), RULE,
                              f"{name} has both a source and editorial: true; the words are one or the other")
        elif not sourced and not editorial:
            yield ctx.problem((*node.path, node.text_key), RULE,
                              f"{name}: say whose words these are (source: ID, or editorial: true)")


RULE = rule("provenance", Level.WARNING, "a text that says neither its source nor that it is editorial",
            __doc__, check)

"""A statement or title has words. An empty or blank text shows as nothing in every output."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule
from nos_cli.rules.text import label, texts


def check(ctx: MapContext) -> Iterator[Problem]:
    for node, key, value in texts(ctx):
        if not value.strip():
            yield ctx.problem((*node.path, key), RULE, f"{label(node, key)} is empty")


RULE = rule("empty-text", Level.ERROR, "an empty statement or title", __doc__, check)

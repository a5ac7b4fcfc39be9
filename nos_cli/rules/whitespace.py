"""Texts have no leading or trailing spaces and no doubled spaces. They are invisible in the file but break
exact matching (search -x, mapping fingerprints, comparisons between versions) and usually come from copying
text out of a PDF or web page."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule
from nos_cli.rules.text import label, texts


def check(ctx: MapContext) -> Iterator[Problem]:
    for node, key, value in texts(ctx):
        if not value.strip():
            continue
        where = (*node.path, key)
        if value != value.strip():
            side = "leading" if value[0].isspace() else "trailing"
            yield ctx.problem(where, RULE, f"{label(node, key)} has {side} white space")
        at = value.strip().find("  ")
        if at >= 0:
            yield ctx.problem(where, RULE, f"{label(node, key)} has a doubled space at character {at + 1}: "
                              f"{value.strip()[max(at - 15, 0):at + 15]!r}")


RULE = rule("whitespace", Level.WARNING, "leading, trailing or doubled spaces in a text", __doc__, check)

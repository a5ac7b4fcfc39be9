"""Key areas have functions, and in a map that has KSBs every function links at least one. A suite map
without KSBs (titles only, like the NOS for Learning and Development) may have functions that link nothing.
A partial map (``partial: true``) may have key areas whose functions are not known."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule


def check(ctx: MapContext) -> Iterator[Problem]:
    partial = ctx.data.get("partial") is True
    for area in ctx.of("area"):
        fns = area.data.get("functions")
        if not partial and not (isinstance(fns, list) and fns):
            yield ctx.problem((*area.path, "id"), RULE, f"{area.name} has no functions")
    if not any(True for _ in ctx.of("ksb")):
        return
    for fn in ctx.of("function"):
        links = fn.data.get("ksbs")
        if not (isinstance(links, list) and links) and not fn.data.get("elements"):
            yield ctx.problem((*fn.path, "id"), RULE, f"{fn.name} links no KSBs")


RULE = rule("empty", Level.WARNING, "a key area with no functions, or a function that links no KSBs", __doc__,
            check)

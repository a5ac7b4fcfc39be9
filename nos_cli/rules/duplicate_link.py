"""A function lists each KSB once. A repeated link adds nothing and usually hides a typo for another id."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule


def check(ctx: MapContext) -> Iterator[Problem]:
    for fn in ctx.of("function"):
        links = fn.data.get("ksbs")
        if not isinstance(links, list):
            continue
        seen: set[str] = set()
        for i, link in enumerate(links):
            if isinstance(link, str):
                if link in seen:
                    yield ctx.problem((*fn.path, "ksbs", i), RULE, f"{fn.name} links {link} twice")
                seen.add(link)


RULE = rule("duplicate-link", Level.WARNING, "a function links the same KSB twice", __doc__, check)

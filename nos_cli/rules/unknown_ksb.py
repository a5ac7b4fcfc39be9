"""A function links only KSB ids that the map defines. A link to an id that is not there is usually a typo
(``S12`` for ``S1``); the message suggests the nearest id."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule
from nos_cli.suggest import did_you_mean


def check(ctx: MapContext) -> Iterator[Problem]:
    known = ctx.ksb_ids
    other = {n.id for n in ctx.nodes if n.kind != "ksb" and n.id is not None}
    for fn in ctx.of("function"):
        links = fn.data.get("ksbs")
        if not isinstance(links, list):
            continue
        for i, link in enumerate(links):
            if not isinstance(link, str) or link in known:
                continue
            if link in other:
                why = "which is a key area, function or element, not a KSB"
            else:
                why = "which is not a KSB of this map" + did_you_mean(link, sorted(known))
            yield ctx.problem((*fn.path, "ksbs", i), RULE, f"{fn.name} links {link!r}, {why}")


RULE = rule("unknown-ksb", Level.ERROR, "a function links a KSB id that does not exist", __doc__, check)

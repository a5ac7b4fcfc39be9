"""An item links a KSB id the map does not have (a typo, or a KSB the standard removed); the message names the
nearest id."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MappingContext, rule
from nos_cli.suggest import did_you_mean


def check(ctx: MappingContext) -> Iterator[Problem]:
    if ctx.fmap is None:
        return
    ksb_ids = sorted(k.id for k in ctx.fmap.ksbs())
    for link, state in zip(ctx.mapping.links(), ctx.states, strict=True):
        if state.status == "unknown":
            yield ctx.problem(link.path, RULE, f"item {link.item} links {link.ksb!r}, which is not a KSB of "
                              f"{ctx.fmap.id}{did_you_mean(link.ksb, ksb_ids)}")


RULE = rule("mapping-unknown-ksb", Level.ERROR, "a mapping item links a KSB id the map does not have", __doc__,
            check, target="mapping")

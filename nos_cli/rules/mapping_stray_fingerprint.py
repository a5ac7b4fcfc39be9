"""A fingerprint for a KSB the item does not link: left behind when a link was removed, it checks nothing. Remove
it, or link the KSB again."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MappingContext, rule


def check(ctx: MappingContext) -> Iterator[Problem]:
    for item in ctx.mapping.items:
        linked = set(item.ksbs)
        for ksb in item.fingerprints:
            if ksb not in linked:
                yield ctx.problem((*item.path, "fingerprints", ksb), RULE,
                                  f"item {item.id} has a fingerprint for {ksb} but does not link it", at_key=True)


RULE = rule("mapping-stray-fingerprint", Level.WARNING, "a fingerprint for a KSB the item does not link", __doc__,
            check, target="mapping")

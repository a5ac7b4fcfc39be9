"""A link is suspect: the KSB's text changed since a person checked the link (its fingerprint, a hash of the
text, differs). Check that the item still covers the KSB as now worded, then run ``nos mapping review FILE
--accept``."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MappingContext, rule


def check(ctx: MappingContext) -> Iterator[Problem]:
    if ctx.fmap is None:
        return  # no map, no states: mapping-unknown-map says why
    for link, state in zip(ctx.mapping.links(), ctx.states, strict=True):
        if state.status == "suspect":
            yield ctx.problem(link.path, RULE, f"item {link.item} -> {link.ksb} is suspect: the text of {link.ksb} "
                              f"changed since the link was checked (fingerprint {state.recorded}, now "
                              f"{state.current}); review with: nos mapping review {ctx.doc.path}")


RULE = rule("mapping-suspect", Level.ERROR, "a link is suspect: the KSB's text changed since the link was checked",
            __doc__, check, target="mapping")

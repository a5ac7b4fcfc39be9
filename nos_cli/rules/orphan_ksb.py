"""Every KSB is linked by at least one function. A KSB that nothing links is invisible in the tree, in
coverage and in diffs: it is either missing a link or does not belong to the map."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule


def check(ctx: MapContext) -> Iterator[Problem]:
    linked = {link for fn in ctx.of("function") if isinstance(fn.data.get("ksbs"), list)
              for link in fn.data["ksbs"] if isinstance(link, str)}
    for ksb in ctx.of("ksb"):
        if ksb.id is not None and ksb.id not in linked:
            yield ctx.problem((*ksb.path, "id"), RULE, f"no function links {ksb.name}")


RULE = rule("orphan-ksb", Level.WARNING, "a KSB that no function links", __doc__, check)

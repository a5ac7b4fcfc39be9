"""An item id is used once in a mapping file, and an item links each KSB once: a second use is reported with the
place of the first (``nos mapping review --only ITEM:KSB`` and the coverage counts need each link to be one)."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MappingContext, rule


def check(ctx: MappingContext) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for item in ctx.mapping.items:
        if item.id in seen:
            yield ctx.problem((*item.path, "id"), RULE, f"item id {item.id!r} is already used at line {seen[item.id]}")
        seen.setdefault(item.id, ctx.doc.mark((*item.path, "id")).line)
        linked: set[str] = set()
        for i, ksb in enumerate(item.ksbs):
            if ksb in linked:
                yield ctx.problem((*item.path, "ksbs", i), RULE, f"item {item.id} links {ksb} twice")
            linked.add(ksb)


RULE = rule("mapping-duplicate", Level.ERROR, "an item id used twice, or a KSB linked twice by one item", __doc__,
            check, target="mapping")

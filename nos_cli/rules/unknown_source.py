"""Every ``source:`` a node cites names an entry of the map's ``sources``, and source ids are unique. A text
that cites a source that is not there has no provenance a reader can check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule


def check(ctx: MapContext) -> Iterator[Problem]:
    raw = ctx.data.get("sources")
    sources: list[Any] = raw if isinstance(raw, list) else []
    known: dict[str, int] = {}
    for i, src in enumerate(sources):
        sid = src.get("id") if isinstance(src, dict) else None
        if not isinstance(sid, str):
            continue
        if sid in known:
            yield ctx.problem(("sources", i, "id"), RULE, f"source id {sid!r} is already used by source "
                              f"{known[sid] + 1}")
        known.setdefault(sid, i)
    for node in ctx.nodes:
        cited = node.data.get("source")
        if isinstance(cited, str) and cited not in known:
            names = ", ".join(sorted(known)) or "none"
            yield ctx.problem((*node.path, "source"), RULE,
                              f"source {cited!r} is not in the map's sources (they are: {names})")


RULE = rule("unknown-source", Level.ERROR, "a node cites a source the map does not list", __doc__, check)

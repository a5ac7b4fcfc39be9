"""``map_version`` says which version of the map the mapping was made against; when the map's version has moved on,
the links may need a look. ``nos mapping review FILE --accept`` updates it once every link is current."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MappingContext, rule


def check(ctx: MappingContext) -> Iterator[Problem]:
    made, fmap = ctx.mapping.map_version, ctx.fmap
    if made is not None and fmap is not None and fmap.info.version and made != fmap.info.version:
        yield ctx.problem(("map_version",), RULE, f"made against version {made} of {fmap.id}; the map is now "
                          f"version {fmap.info.version}")


RULE = rule("mapping-map-version", Level.WARNING, "the mapping was made against another version of the map file",
            __doc__, check, target="mapping")

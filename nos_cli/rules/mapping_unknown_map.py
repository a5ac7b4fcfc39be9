"""The map a mapping file names (``map:``, an id, never a path) is not among the available maps: a map file checked
in the same run, ``--maps-dir``, the ``maps-dirs`` of the project settings (``[tool.nos]`` in pyproject.toml, or
nos.toml), ``NOS_MAPS_PATH``, or the bundled maps, searched in that order. Its links cannot be checked."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MappingContext, rule


def check(ctx: MappingContext) -> Iterator[Problem]:
    if ctx.mapping.map_id and ctx.fmap is None:
        yield ctx.problem(("map",), RULE, f"no map with id {ctx.mapping.map_id!r} is available (check it in the same "
                          "run, name its folder in maps-dirs under [tool.nos], or add it with --maps-dir)")


RULE = rule("mapping-unknown-map", Level.ERROR, "a mapping file names a map that is not available", __doc__, check,
            target="mapping")

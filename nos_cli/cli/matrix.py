"""``nos matrix``: coverage matrices of a map, or of a curriculum's mapping files against it."""

from pathlib import Path
from typing import Annotated

import typer

from nos_cli.cli.complete import complete_map
from nos_cli.cli.options import (
    ColorOpt,
    FailUnderOpt,
    ForceOpt,
    MapsDirOpt,
    MapsOpt,
    OutputOpt,
    catalog,
    check_choice,
    check_color,
    check_format,
    format_option,
    one_map,
)
from nos_cli.cli.output import check_fail_under, emit
from nos_cli.render.registry import MATRIX

AXES = ("ksb", "function", "area", "kind")


def matrix(
    map_ref: Annotated[str | None, typer.Argument(
        metavar="[MAP]", help="Map id or path (default: the map the --against files name, else learning-mentor).",
        autocompletion=complete_map)]
    = None,
    rows: Annotated[str, typer.Option("--rows", metavar="AXIS", help="ksb, function, area or kind.")] = "ksb",
    cols: Annotated[str | None, typer.Option(
        "--cols", metavar="AXIS", help="area (default), function, kind or ksb; with --against: the items.")] = None,
    against: Annotated[list[Path] | None, typer.Option(
        "--against", metavar="FILE", help="A mapping file (repeatable): KSBs against its items.")] = None,
    fmt: Annotated[str, format_option(MATRIX)] = MATRIX.default,
    fail_under: FailUnderOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    maps: MapsOpt = None,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Print a coverage matrix: KSBs (grouped by kind) against key areas by default, or against the items of
    curriculum mapping files with --against, with totals, gaps and coverage per kind and key area.

    Example: nos matrix --against examples/learning-mentor-programme.yaml --fail-under 100
    """
    check_format(fmt, MATRIX)
    check_choice(rows, AXES, "--rows")
    if cols is not None:
        check_choice(cols, AXES, "--cols")
        if against:
            raise typer.BadParameter("with --against the columns are the items", param_hint="--cols")
    check_color(color)
    from nos_cli.coverage.matrix import against_matrix, map_matrix
    from nos_cli.mapping.review import load_mapping

    chosen = one_map(map_ref, maps)
    mappings = [load_mapping(p)[1] for p in against or ()]
    if chosen is None and mappings and against:
        # The map a mapping names, found as validate and mapping review find it: its own project first.
        fmap = catalog(maps, maps_dir).for_mapping(mappings[0].map_id, against[0])
    else:
        fmap = catalog(maps, maps_dir).get(chosen)
    result = against_matrix(fmap, mappings, rows) if mappings else map_matrix(fmap, rows, cols or "area")
    emit(MATRIX.renderer(fmt)(result), color, output, force=force)
    check_fail_under(result.coverage.overall.percent, fail_under)


def register(app: typer.Typer) -> None:
    app.command("matrix")(matrix)

"""``nos matrix``: coverage matrices of a map, or of a curriculum's mapping files against it."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from nos_cli.cli.options import ColorOpt, MapsDirOpt, MapsOpt, check_choice, check_color
from nos_cli.cli.output import say

FORMATS = ("table", "csv", "tsv", "markdown", "json", "html")
AXES = ("ksb", "function", "area", "kind")


def matrix(
    map_ref: Annotated[str | None, typer.Argument(
        metavar="[MAP]", help="Map id or path (default: the map the --against files name, else learning-mentor).")]
    = None,
    rows: Annotated[str, typer.Option("--rows", metavar="AXIS", help="ksb, function, area or kind.")] = "ksb",
    cols: Annotated[str | None, typer.Option(
        "--cols", metavar="AXIS", help="area (default), function, kind or ksb; with --against: the items.")] = None,
    against: Annotated[list[Path] | None, typer.Option(
        "--against", metavar="FILE", help="A mapping file (repeatable): KSBs against its items.")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT", help="table, csv, tsv, markdown, json or html.")] = "table",
    fail_under: Annotated[float | None, typer.Option(
        "--fail-under", metavar="PCT", min=0, max=100, help="Exit 1 when KSB coverage is below PCT percent.")]
    = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE (replaced atomically) instead of stdout.")] = None,
    maps: MapsOpt = None,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Print a coverage matrix: KSBs (grouped by kind) against key areas by default, or against the items of
    curriculum mapping files with --against, with totals, gaps and coverage per kind and key area.

    Example: nos matrix --against examples/learning-mentor-programme.yaml --fail-under 100
    """
    check_choice(fmt, FORMATS, "--format")
    check_choice(rows, AXES, "--rows")
    if cols is not None:
        check_choice(cols, AXES, "--cols")
        if against:
            raise typer.BadParameter("with --against the columns are the items", param_hint="--cols")
    check_color(color)
    from nos_cli.coverage.matrix import against_matrix, map_matrix
    from nos_cli.mapping.review import load_mapping
    from nos_cli.maps.catalog import Catalog

    catalog = Catalog.from_options(maps or (), maps_dir or ())
    mappings = [load_mapping(p)[1] for p in against or ()]
    if map_ref is None and mappings:
        fmap = catalog.by_id(mappings[0].map_id)  # a mapping's map: is an id, never a path
    else:
        fmap = catalog.get(map_ref or (maps[0] if maps else None))
    result = against_matrix(fmap, mappings, rows) if mappings else map_matrix(fmap, rows, cols or "area")
    _emit(result, fmt, output, color)
    if fail_under is not None and result.coverage.overall.percent < fail_under:
        sys.stderr.write(f"nos: coverage {result.coverage.overall.percent:g}% is under --fail-under "
                         f"{fail_under:g}%\n")
        raise typer.Exit(1)


def _emit(result: object, fmt: str, output: Path | None, color: str) -> None:
    from nos_cli.coverage.matrix import Matrix
    from nos_cli.render.matrix import FILE_FORMATS, table

    assert isinstance(result, Matrix)
    if fmt == "table":
        from nos_cli.render.console import make_console, print_renderable

        if output is None:
            width = make_console(color).width
            print_renderable(table(result, width), color)
            return
        text = _capture(table(result, 120))
    else:
        text = FILE_FORMATS[fmt](result)
    if fmt != "csv":  # CSV cells are made safe one by one (render.cells), and must keep their line breaks
        from nos_cli.textsafe import document

        text = document(text)
    if output is None:
        sys.stdout.write(text)
        return
    from nos_cli.fileio import write_atomic

    write_atomic(output, text)
    say(f"nos: wrote {output}")


def _capture(renderable: object) -> str:
    import io

    from nos_cli.render.console import print_renderable

    buf = io.StringIO()
    print_renderable(renderable, "never", buf)
    return buf.getvalue()


def register(app: typer.Typer) -> None:
    app.command("matrix")(matrix)

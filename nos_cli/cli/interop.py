"""``nos import ifate``, ``nos export`` and ``nos compare``."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from nos_cli.cli.complete import complete_map
from nos_cli.cli.options import (
    ColorOpt,
    ForceOpt,
    MapsDirOpt,
    MapsOpt,
    OutputOpt,
    catalog,
    check_color,
    check_format,
    finite,
    format_option,
    one_map,
)
from nos_cli.cli.output import emit, finish, say
from nos_cli.render.registry import COMPARE, EXPORT

import_app = typer.Typer(help="Import standards from other systems into map files.", no_args_is_help=True)


@import_app.command("ifate")
def import_ifate(
    file: Annotated[str, typer.Argument(
        metavar="FILE.json", help="One standard or the all-standards array; - for stdin.")],
    out_dir: Annotated[Path | None, typer.Option(
        "--out-dir", metavar="DIR", help="Folder to write the maps to, created if missing (default: here).")]
    = None,
    out_old: Annotated[Path | None, typer.Option("--out", hidden=True, help="Old name of --out-dir.")] = None,
    force: ForceOpt = False,
    standard: Annotated[list[str] | None, typer.Option(
        "--standard", "-s", metavar="REF", help="Only this standard (ST0148) or version (st0148-v1-0); repeatable.")]
    = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only errors and what was skipped; no per-map lines, notes or summary.")]
    = False,
    color: ColorOpt = "auto",
) -> None:
    """Turn the IfATE (Skills England) apprenticeship-standards JSON into map files, one per standard version:
    KSB codes from list order with the GUIDs kept, duties as functions D1, D2 ... with each dutyID kept, HTML
    entities cleaned. Array elements that are not standards are reported as skipped. Map files that already
    exist are kept unless --force. Exit 0 when every map was
    written, 1 when something was skipped, 2 on error.

    Example: nos import ifate apprenticeshipstandards.json --out-dir maps/
    """
    check_color(color)  # the report is plain lines on stderr: accepted so every printing command takes it
    from contextlib import ExitStack

    from nos_cli.interop.ifate_import import import_standards
    from nos_cli.render.ifate_import import report

    if out_old is not None and out_dir is not None:
        raise typer.BadParameter("give --out-dir only (--out is its old name)", param_hint="--out")
    if out_old is not None:
        say("nos: --out is deprecated; use --out-dir")
    with ExitStack() as stack:
        ticks: list[Callable[[int, str], None]] = []

        def on_start(n: int, total: int, name: str) -> None:
            # the total is known once the JSON is read, so the display is set up at the first standard
            if not ticks:
                from nos_cli.render.progress import progress

                ticks.append(stack.enter_context(progress(total, enabled=not quiet, label="importing")))
            ticks[0](n, name)

        result = import_standards(file, out_dir or out_old or Path(), force=force, wanted=standard or [],
                                  on_start=on_start)
    for line in report(result, quiet=quiet):
        say(line)
    finish(not result.complete)


def export(
    map_ref: Annotated[str | None, typer.Argument(
        metavar="[MAP]", help="Map id or path (default: learning-mentor).", autocompletion=complete_map)]
    = None,
    fmt: Annotated[str, format_option(EXPORT)] = EXPORT.default,
    output: OutputOpt = None,
    force: ForceOpt = False,
    maps: MapsOpt = None,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Export a map for other tools: 1EdTech CASE 1.0 JSON (for competency-framework servers), CSV (one row per
    node, safe for spreadsheets), GraphML (Gephi, yEd) or nos's JSON. Identifiers are stable across runs.

    Example: nos export learning-mentor --format case --output learning-mentor.case.json
    """
    check_format(fmt, EXPORT)
    check_color(color)
    chosen = one_map(map_ref, maps)
    emit(EXPORT.renderer(fmt)(catalog(maps, maps_dir).get(chosen)), color, output, force=force)


def compare(
    old: Annotated[str, typer.Argument(
        metavar="OLD", help="The old map: id or path.", autocompletion=complete_map)],
    new: Annotated[str, typer.Argument(
        metavar="NEW", help="The new map: id or path.", autocompletion=complete_map)],
    fmt: Annotated[str, format_option(COMPARE)] = COMPARE.default,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when the maps differ (as git diff does).")]
    = False,
    threshold: Annotated[float, typer.Option(
        "--threshold", metavar="SCORE", min=0, max=100, callback=finite,
        help="Similarity (0-100) that pairs reworded texts.")] = 80.0,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """What changed between two maps or two versions of a standard: added, removed, reworded (with a word
    diff), renumbered and moved key areas, functions and KSBs, paired by source GUID, text or similarity. The
    header names each map's id, version and file; on a terminal removed words are red and added words green
    (as git diff --word-diff=color), elsewhere marked [-removed-]{+added+}.

    Example: nos compare st0148-v1-0.yaml st0148-v1-1.yaml --exit-code
    """
    check_format(fmt, COMPARE)
    check_color(color)
    from nos_cli.term import use_color
    from nos_cli.versions.compare import compare as compare_maps

    maps = catalog(None, maps_dir)
    result = compare_maps(maps.get(old), maps.get(new), threshold=threshold)
    if fmt == "text":  # the one format with colour; the machine formats never carry any
        emit(COMPARE.renderer(fmt)(result, color=use_color(color, sys.stdout)))
    else:
        emit(COMPARE.renderer(fmt)(result))
    finish(exit_code and result.differ)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.command("export")(export)
    app.command("compare")(compare)

"""``nos import ifate``, ``nos export`` and ``nos compare``."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from nos_cli.cli.options import ForceOpt, MapsDirOpt, OutputOpt, catalog, check_format, finite, format_option
from nos_cli.cli.output import emit, finish, say
from nos_cli.render.registry import COMPARE, EXPORT

import_app = typer.Typer(help="Import standards from other systems into map files.", no_args_is_help=True)


@import_app.command("ifate")
def import_ifate(
    file: Annotated[str, typer.Argument(
        metavar="FILE.json", help="One standard or the all-standards array; - for stdin.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder to write the maps to.")] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite map files that already exist.")] = False,
    standard: Annotated[list[str] | None, typer.Option(
        "--standard", "-s", metavar="REF", help="Only this standard (ST0148) or version (st0148-v1-0); repeatable.")]
    = None,
) -> None:
    """Turn the IfATE (Skills England) apprenticeship-standards JSON into map files, one per standard version:
    KSB codes from list order with the GUIDs kept, duties as functions, HTML entities cleaned. Exit 0 when every
    map was written, 1 when some were skipped (existing files without --force), 2 on error.

    Example: nos import ifate apprenticeshipstandards.json --out maps/
    """
    from nos_cli.errors import NosError
    from nos_cli.files.write import write_atomic
    from nos_cli.interop.ifate import BadStandard, convert, map_id_of, read_json, select, standards

    if not out.is_dir():
        raise NosError(f"{out}: not a folder (create it first)")
    chosen = select(standards(read_json(file)), standard or [])
    if not chosen:
        raise NosError(f"{file}: no standard matches {', '.join(standard or [])}")
    skipped: list[str] = []
    written: list[str] = []
    seen: set[str] = set()
    for std in chosen:
        try:
            result = convert(std)
        except BadStandard as exc:  # one standard's bad field must not stop the others
            skipped.append(exc.message)
            continue
        target = out / result.filename
        if result.map_id in seen:
            skipped.append(f"{target} (a second record for {result.map_id} in the input)")
            continue
        seen.add(result.map_id)
        if (target.exists() or target.is_symlink()) and not force:  # a dangling link too: it names a file
            skipped.append(f"{target} (exists; --force to overwrite)")
            continue
        try:
            notes = write_atomic(target, result.text, force=force)
        except (OSError, NosError) as exc:
            left = [str(out / f"{map_id_of(s)}.yaml") for s in chosen[chosen.index(std):]]
            raise NosError(f"writing {target} failed ({exc}); written: {len(written)}; not written: "
                           f"{', '.join(left)}") from None
        written.append(str(target))
        for note in notes:
            say(f"nos: {note}")
        c = result.counts
        say(f"wrote {target}: {c['knowledge']} K, {c['skill']} S, {c['behaviour']} B, {c['duties']} duties")
        for note in result.notes:
            say(f"  note: {note}")
    for s in skipped:
        say(f"skipped {s}")
    sys.stderr.write(f"nos import: {len(written)} written, {len(skipped)} skipped\n")
    finish(bool(skipped))


def export(
    map_ref: Annotated[str | None, typer.Argument(metavar="[MAP]", help="Map id or path (default: learning-mentor).")]
    = None,
    fmt: Annotated[str, format_option(EXPORT)] = EXPORT.default,
    output: OutputOpt = None,
    force: ForceOpt = False,
    maps_dir: MapsDirOpt = None,
) -> None:
    """Export a map for other tools: 1EdTech CASE 1.0 JSON (for competency-framework servers), CSV (one row per
    node, safe for spreadsheets), GraphML (Gephi, yEd) or nos's JSON. Identifiers are stable across runs.

    Example: nos export learning-mentor --format case --output learning-mentor.case.json
    """
    check_format(fmt, EXPORT)
    emit(EXPORT.renderer(fmt)(catalog(None, maps_dir).get(map_ref)), output=output, force=force)


def compare(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The old map: id or path.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new map: id or path.")],
    fmt: Annotated[str, format_option(COMPARE)] = COMPARE.default,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when the maps differ (as git diff does).")]
    = False,
    threshold: Annotated[float, typer.Option(
        "--threshold", metavar="SCORE", min=0, max=100, callback=finite,
        help="Similarity (0-100) that pairs reworded texts.")] = 80.0,
    maps_dir: MapsDirOpt = None,
) -> None:
    """What changed between two maps or two versions of a standard: added, removed, reworded (with a word
    diff), renumbered and moved key areas, functions and KSBs, paired by source GUID, text or similarity.

    Example: nos compare st0148-v1-0.yaml st0148-v1-1.yaml --exit-code
    """
    check_format(fmt, COMPARE)
    from nos_cli.versions.compare import compare as compare_maps

    maps = catalog(None, maps_dir)
    result = compare_maps(maps.get(old), maps.get(new), threshold=threshold)
    emit(COMPARE.renderer(fmt)(result))
    finish(exit_code and result.differ)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.command("export")(export)
    app.command("compare")(compare)

"""``nos diff``: a role or job description against a map."""

import sys
from typing import Annotated

import typer

from nos_cli.cli.options import ColorOpt, MapsDirOpt, check_choice, check_color
from nos_cli.cli.output import emit


def diff(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(
        metavar="ROLE", help="The role description: text, Markdown, or a YAML/JSON list of statements; - for stdin.")],
    map_ref: Annotated[str | None, typer.Option(
        "--map", "-M", metavar="MAP", help="Map id or path (default: learning-mentor).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="text, json or markdown.")] = "text",
    threshold: Annotated[float, typer.Option(
        "--threshold", metavar="SCORE", min=0, max=100, help="Lowest score (0-100) that counts as a match.")] = 28.0,
    top: Annotated[int, typer.Option("--top", metavar="N", min=1, help="Matches shown per statement.")] = 3,
    fail_under: Annotated[float | None, typer.Option(
        "--fail-under", metavar="PCT", min=0, max=100, help="Exit 1 when KSB coverage is below PCT percent.")]
    = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the index cache.")] = False,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Match each statement of a role description against the map's KSBs, functions and key areas: what the
    role covers, the KSBs it never touches (the gap), and the duties the standard does not name.

    Example: nos diff job-description.md --format markdown
    """
    check_choice(fmt, ("text", "json", "markdown"), "--format")
    check_color(color)
    from nos_cli.diff.report import diff as run
    from nos_cli.diff.role import read_role
    from nos_cli.maps.catalog import DEFAULT_MAP
    from nos_cli.render.diff import FORMATS
    from nos_cli.search.grep import select_indexes

    statements = read_role(role)
    from nos_cli.maps.indexes import close as close_indexes
    from nos_cli.maps.store import guarded
    from nos_cli.render.progress import build_progress

    with build_progress() as progress:
        index = select_indexes([map_ref or DEFAULT_MAP], maps_dir or (), use_cache=not no_cache, progress=progress)[0]
    ctx.call_on_close(lambda: close_indexes([index]))  # in-process runs (the tests) leave no connection open
    with guarded(index.store):
        report = run(index, statements, threshold=threshold, top=top)
    emit(FORMATS[fmt](report), color)
    if not statements:
        sys.stderr.write(f"nos: {role}: no statements found\n")
    if fail_under is not None and report.overall.percent < fail_under:
        sys.stderr.write(f"nos: coverage {report.overall.percent:g}% is under --fail-under {fail_under:g}%\n")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)

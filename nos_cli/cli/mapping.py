"""``nos mapping review``: keep a curriculum mapping file honest when the standard's words change."""

from pathlib import Path
from typing import Annotated

import typer

from nos_cli.cli.options import (
    ColorOpt,
    ForceOpt,
    MapsDirOpt,
    MapsOpt,
    catalog,
    check_color,
    check_format,
    format_option,
    one_map,
)
from nos_cli.cli.output import emit, finish, say
from nos_cli.render.registry import REVIEW

mapping_app = typer.Typer(help="Curriculum mapping files: review links when the standard changes.",
                          no_args_is_help=True)


@mapping_app.command("review")
def review(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The mapping file.")],
    accept: Annotated[bool, typer.Option(
        "--accept", help="Record the current text's fingerprint for the suspect and unchecked links (after a "
        "person has checked them), rewriting FILE in place with comments and layout kept.")] = False,
    only: Annotated[list[str] | None, typer.Option(
        "--only", metavar="ITEM:KSB", help="With --accept: only these links (repeatable), e.g. M3:S2.")] = None,
    force: ForceOpt = False,
    fmt: Annotated[str, format_option(REVIEW)] = REVIEW.default,
    maps: MapsOpt = None,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Show the links of a mapping file whose KSB text changed since they were checked (suspect) or that were
    never checked; with --accept, record that a person has checked them (and the map's version in map_version
    once every link is current; --force then replaces FILE even when it is read-only or another user's). Exit 0
    when no link is suspect, 1 when some are, 2 on error.

    Example: nos mapping review examples/learning-mentor-programme.yaml --accept --only M10:S9
    """
    check_format(fmt, REVIEW)
    check_color(color)
    one_map(None, maps)
    if only and not accept:
        raise typer.BadParameter("--only goes with --accept", param_hint="--only")
    if force and not accept:
        raise typer.BadParameter("--force goes with --accept", param_hint="--force")
    if accept:
        from nos_cli.files.streams import require_stdout

        require_stdout()
    from nos_cli.gcpause import paused_gc
    from nos_cli.mapping.review import review

    with paused_gc():  # until the report is printed: no collection between the write and the report
        result = review(file, catalog(maps, maps_dir), accept=accept, only=only, force=force)
        for note in result.notes:
            say(f"nos: {note}")
        emit(REVIEW.renderer(fmt)(result), color)
    finish(bool(result.of("suspect")))


def register(app: typer.Typer) -> None:
    app.add_typer(mapping_app, name="mapping")

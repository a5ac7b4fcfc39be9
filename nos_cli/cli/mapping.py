"""``nos mapping review``: keep a curriculum mapping file honest when the standard's words change."""

from pathlib import Path
from typing import Annotated

import typer

from nos_cli.cli.options import MapsDirOpt, MapsOpt, check_choice
from nos_cli.cli.output import emit

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
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")] = "text",
    maps: MapsOpt = None,
    maps_dir: MapsDirOpt = None,
) -> None:
    """Show the links of a mapping file whose KSB text changed since they were checked (suspect) or that were
    never checked; with --accept, record that a person has checked them. Exit 0 when no link is suspect, 1
    when some are, 2 on error.

    Example: nos mapping review examples/learning-mentor-programme.yaml --accept --only M10:S9
    """
    check_choice(fmt, ("text", "json"), "--format")
    if only and not accept:
        raise typer.BadParameter("--only goes with --accept", param_hint="--only")
    from nos_cli.mapping.review import review as run
    from nos_cli.maps.catalog import Catalog
    from nos_cli.render.matrix import REVIEW_FORMATS

    result = run(file, Catalog.from_options(maps or (), maps_dir or ()), accept=accept, only=only)
    emit(REVIEW_FORMATS[fmt](result), "never")
    raise typer.Exit(1 if result.of("suspect") else 0)


def register(app: typer.Typer) -> None:
    app.add_typer(mapping_app, name="mapping")

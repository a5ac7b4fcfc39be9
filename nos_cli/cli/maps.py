"""``nos map list``, ``nos map show`` and ``nos show ID``."""

from typing import Annotated

import typer

from nos_cli.cli.complete import complete_map, complete_node
from nos_cli.cli.options import (
    ColorOpt,
    MapsDirOpt,
    MapsOpt,
    NoCacheOpt,
    catalog,
    check_color,
    check_format,
    format_option,
    one_map,
)
from nos_cli.cli.output import emit
from nos_cli.render.registry import MAP_LIST, MAP_SHOW, NODE

map_app = typer.Typer(help="List and show functional maps.", no_args_is_help=True)


@map_app.command("list")
def map_list(
    maps: MapsOpt = None,
    maps_dir: MapsDirOpt = None,
    fmt: Annotated[str, format_option(MAP_LIST)] = MAP_LIST.default,
    color: ColorOpt = "auto",
) -> None:
    """List the available maps: id, title, reference, version, counts and where each was loaded from.

    Bundled maps are always listed; add your own with --map FILE, --maps-dir DIR or NOS_MAPS_PATH.

    Example: nos map list --format json
    """
    check_format(fmt, MAP_LIST)
    check_color(color)
    emit(MAP_LIST.renderer(fmt)(catalog(maps, maps_dir).all()), color)


@map_app.command("show")
def map_show(
    map_ref: Annotated[str | None, typer.Argument(
        metavar="[MAP]", help="Map id or path (default: learning-mentor).", autocompletion=complete_map)] = None,
    area: Annotated[str | None, typer.Option("--area", "-a", metavar="ID", help="Show only this key area.")] = None,
    depth: Annotated[int | None, typer.Option(
        "--depth", "-d", min=1, metavar="N",
        help="Levels to show: 1 key areas, 2 functions, 3 KSBs and elements.")] = None,
    no_ksbs: Annotated[bool, typer.Option("--no-ksbs", help="Leave the KSBs out.")] = False,
    fmt: Annotated[str, format_option(MAP_SHOW)] = MAP_SHOW.default,
    maps: MapsOpt = None,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Show a map as a tree from key purpose to key areas, functions and KSBs, or in another format.

    Markdown and Mermaid paste into documents; DOT renders with Graphviz (nos map show -f dot | dot -Tsvg);
    html is one self-contained page to browse, search and print (nos map show -f html > map.html).

    Example: nos map show learning-mentor --area KA2
    """
    check_format(fmt, MAP_SHOW)
    check_color(color)
    from nos_cli.errors import NodeNotFoundError
    from nos_cli.render.maps import ShowOptions

    fmap = catalog(maps, maps_dir).get(one_map(map_ref, maps))
    if area is not None and area not in [a.id for a in fmap.areas()]:
        known = ", ".join(a.id for a in fmap.areas())
        raise NodeNotFoundError(f"{fmap.id} has no key area {area!r}; its key areas are {known}")
    emit(MAP_SHOW.renderer(fmt)(fmap, ShowOptions(area=area, depth=depth, ksbs=not no_ksbs)), color)


@map_app.command("schema")
def map_schema() -> None:
    """Print the JSON Schema of the map format, for editors that check and complete map files.

    The same schema ships in the package as nos_cli/schemas/functional-map.schema.json; point the
    yaml-language-server at it with a first line such as
    "# yaml-language-server: $schema=path/to/functional-map.schema.json".

    Example: nos map schema > functional-map.schema.json
    """
    from nos_cli.maps.format import json_schema_text

    emit(json_schema_text(), "never")


def show(
    node_ids: Annotated[list[str], typer.Argument(
        metavar="ID...", help="Node ids, e.g. S9, or MAP:ID as search prints them (learning-mentor:S9).",
        autocompletion=complete_node)],
    maps: MapsOpt = None,
    maps_dir: MapsDirOpt = None,
    fmt: Annotated[str, format_option(NODE)] = NODE.default,
    no_cache: NoCacheOpt = False,
    color: ColorOpt = "auto",
) -> None:
    """Show nodes in full: each one's text, kind and source, the functions and key areas that link it, and
    what it links. A bare ID is looked for in the -M maps, else in every available map: found in one, it is
    shown; in several, they are listed as MAP:ID (exit 2); in none, close ids are suggested (exit 1).

    Example: nos show learning-mentor:S9 K9
    """
    check_format(fmt, NODE)
    check_color(color)
    from nos_cli.maps.lookup import show_nodes
    from nos_cli.render.progress import build_progress

    with build_progress() as progress:
        views = show_nodes(node_ids, maps or (), maps_dir or (), use_cache=not no_cache, progress=progress)
    import sys

    from nos_cli.render.node import views_plain
    from nos_cli.term import is_terminal, use_color

    # Into a pipe without colour the text is plain, and rich (50 ms to import) is not needed to print it.
    plain = views_plain(views) if fmt == "text" and not is_terminal(sys.stdout) \
        and not use_color(color, sys.stdout) else None
    emit(plain if plain is not None else NODE.renderer(fmt)(views), color)


def register(app: typer.Typer) -> None:
    app.add_typer(map_app, name="map")
    app.command("show")(show)

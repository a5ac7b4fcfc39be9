"""Options that several commands share, declared once so they read and behave the same everywhere."""

import math
from typing import Annotated, Any

import typer

from nos_cli.cli.complete import complete_map
from nos_cli.render.registry import Formats
from nos_cli.term import COLOR_CHOICES

# click's UsageError (exit 2, "Try 'nos COMMAND --help'"), reached through typer: typer is the one CLI import
_USAGE_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")

MapsOpt = Annotated[
    list[str] | None,
    typer.Option("--map", "-M", metavar="MAP", autocompletion=complete_map,
                 help="A map by id or by path to its YAML file; repeatable where a command reads several maps."),
]
MapsDirOpt = Annotated[
    list[str] | None,
    typer.Option("--maps-dir", metavar="DIR", envvar=None,
                 help="A folder of map files to add to the search path (also NOS_MAPS_PATH); repeatable."),
]
ColorOpt = Annotated[
    str,
    typer.Option("--color", "--colour", metavar="WHEN",
                 help="Colour: auto (a terminal, unless NO_COLOR is set), always or never."),
]
OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (replaced atomically) instead of stdout."),
]
FailUnderOpt = Annotated[
    float | None,
    typer.Option("--fail-under", metavar="PCT", min=0, max=100, callback=lambda v: finite(v),
                 help="Exit 1 when KSB coverage is below PCT percent."),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help="Do not read or write the index cache."),
]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Write even when the target is in the way: it exists, is read-only or another "
                 "user's, or is a link that points nowhere (the command's help says which apply)."),
]


def format_option(formats: Formats, *, first: str = "") -> Any:
    """``--format/-f`` with its help built from the command's format registry (``first`` describes a choice
    the command adds before the registry's, such as validate's ``auto``)."""
    return typer.Option("--format", "-f", metavar="FORMAT", help=(first + " " if first else "") + formats.help())


def check_format(value: str, formats: Formats, *extra: str) -> str:
    return check_choice(value, (*extra, *formats), "--format")


def check_choice(value: str, choices: tuple[str, ...], option: str) -> str:
    """Typer's Enum choices cost start-up time; a plain check gives the same one-line error."""
    if value not in choices:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}", param_hint=option)
    return value


def check_color(value: str) -> str:
    return check_choice(value, COLOR_CHOICES, "--color")


def catalog(maps: list[str] | None, maps_dirs: list[str] | None) -> Any:
    """The maps a command run can see: --map files, --maps-dir folders, NOS_MAPS_PATH, then the bundled maps."""
    from nos_cli.maps.catalog import Catalog

    return Catalog.from_options(maps or (), maps_dirs or ())


def one_map(map_ref: str | None, maps: list[str] | None) -> str | None:
    """The one map of a command that reads one (map show, matrix, diff, export, mapping review), from its
    ``[MAP]`` argument and ``-M``; None for the default. A second, different map is a usage error (exit 2), never
    silently dropped: ``matrix a -M b`` could otherwise print a's matrix to someone who asked for b's."""
    refs = list(dict.fromkeys([*([map_ref] if map_ref is not None else []), *(maps or ())]))
    distinct: dict[str, str] = {}
    for ref in refs:
        distinct.setdefault(_same_map_key(ref), ref)
    if len(distinct) > 1:
        raise _USAGE_ERROR(f"this command reads one map; got {len(distinct)}: {', '.join(distinct.values())} "
                           "(from MAP and -M/--map)")
    return refs[0] if refs else None


def _same_map_key(ref: str) -> str:
    """Two spellings of one file are one map (``maps/a.yaml`` and ``./maps/a.yaml``)."""
    from pathlib import Path

    from nos_cli.maps.catalog import is_path_ref

    return str(Path(ref).resolve()) if is_path_ref(ref) else ref


def finite(value: float | None) -> float | None:
    """Callback for every number option: click's range check lets ``nan`` through (each comparison with it is
    false), so ``--fail-under nan`` would pass any coverage and disable a CI gate."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number")
    return value

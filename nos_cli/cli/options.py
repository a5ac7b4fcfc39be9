"""Options that several commands share, declared once so they read and behave the same everywhere."""

import math
from typing import Annotated, Any

import typer

from nos_cli.cli.complete import complete_map
from nos_cli.render.registry import Formats
from nos_cli.term import COLOR_CHOICES

MapsOpt = Annotated[
    list[str] | None,
    typer.Option("--map", "-M", metavar="MAP", autocompletion=complete_map,
                 help="A map by id or by path to its YAML file; repeat for several. Default: learning-mentor."),
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
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Replace the output file even when it is read-only, or a link that points nowhere."),
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


def finite(value: float | None) -> float | None:
    """Callback for every number option: click's range check lets ``nan`` through (each comparison with it is
    false), so ``--fail-under nan`` would pass any coverage and disable a CI gate."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number")
    return value

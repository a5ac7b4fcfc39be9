"""Options that several commands share, declared once so they read and behave the same everywhere."""

import math
from typing import Annotated

import typer

from nos_cli.term import COLOR_CHOICES

MapsOpt = Annotated[
    list[str] | None,
    typer.Option("--map", "-M", metavar="MAP",
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


def check_choice(value: str, choices: tuple[str, ...], option: str) -> str:
    """Typer's Enum choices cost start-up time; a plain check gives the same one-line error."""
    if value not in choices:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}", param_hint=option)
    return value


def check_color(value: str) -> str:
    return check_choice(value, COLOR_CHOICES, "--color")


def finite(value: float | None) -> float | None:
    """Callback for every number option: click's range check lets ``nan`` through (each comparison with it is
    false), so ``--fail-under nan`` would pass any coverage and disable a CI gate."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number")
    return value

"""The rich Console every renderer prints through, set up so data text prints literally.

Markup, highlighting and emoji are off (``[b]`` in a standard's text prints as ``[b]``); colour follows
:func:`nos_cli.term.use_color`; off a terminal the width is unbounded so nothing wraps or truncates (COLUMNS
sizes a terminal only, as it does for ls).
"""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console

from nos_cli.term import is_terminal, use_color

UNBOUNDED = 1_000_000


def make_console(color: str = "auto", file: TextIO | None = None, width: int | None = None) -> Console:
    stream = file if file is not None else sys.stdout
    colored = use_color(color, stream)
    if width is None and not is_terminal(stream):
        width = UNBOUNDED  # off a terminal nothing wraps or is cut, whatever COLUMNS says
    return Console(
        file=stream,
        width=width,
        color_system=("auto" if is_terminal(stream) else "standard") if colored else None,
        force_terminal=colored,
        no_color=not colored,
        markup=False,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )


def print_renderable(renderable: object, color: str = "auto", file: TextIO | None = None,
                     width: int | None = None) -> None:
    """Print a rich renderable once. Off a terminal, lines lose the padding tables add, so output pipes
    cleanly into grep, cut and diff."""
    console = make_console(color, file, width)
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as capture:
        console.print(renderable)
    text = "\n".join(line.rstrip() for line in capture.get().split("\n"))
    console.file.write(text)
    console.file.flush()

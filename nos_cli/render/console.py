"""The rich Console every renderer prints through, set up so data text prints literally.

Markup, highlighting and emoji are off (``[b]`` in a standard's text prints as ``[b]``); colour follows
:func:`nos_cli.term.use_color`; off a terminal the width is unbounded so nothing wraps or truncates (COLUMNS
sizes a terminal only, as it does for ls).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.segment import Segment

from nos_cli.term import is_terminal, use_color
from nos_cli.textsafe import no_command, shown

UNBOUNDED = 1_000_000


class SafeConsole(Console):
    """A Console that shows data text, never obeys it: every segment of text passes through
    :func:`nos_cli.textsafe.shown` just before its style is applied, so an escape sequence in a map title or
    a role file prints as ``\\x1b[2J`` whichever renderer drew it. rich's own control segments (cursor
    moves, which nos does not use) and the colour codes of styles are left alone."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            seg if seg.control else Segment(shown(seg.text, keep="\t\n"), seg.style) for seg in buffer)


def make_console(color: str = "auto", file: TextIO | None = None, width: int | None = None) -> Console:
    stream = file if file is not None else sys.stdout
    colored = use_color(color, stream)
    if width is None and not is_terminal(stream):
        width = UNBOUNDED  # off a terminal nothing wraps or is cut, whatever COLUMNS says
    return SafeConsole(
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
    cleanly into grep, cut and diff. No line may start a workflow command (a map title "::error ..."): CI
    logs are where output goes, coloured too when FORCE_COLOR is set."""
    console = make_console(color, file, width)
    with console.capture() as capture:
        console.print(renderable)
    lines = capture.get().split("\n")
    if not console.is_terminal:
        lines = [line.rstrip() for line in lines]
    console.file.write("\n".join(no_command(line) for line in lines))
    console.file.flush()

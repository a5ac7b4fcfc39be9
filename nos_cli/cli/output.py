"""Printing a renderer's result, shared by every command."""

import sys


def emit(rendered: object, color: str) -> None:
    """Print once: text as it is; a rich renderable through the shared console (imported only then)."""
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
        sys.stdout.flush()
        return
    from nos_cli.render.console import print_renderable

    print_renderable(rendered, color)

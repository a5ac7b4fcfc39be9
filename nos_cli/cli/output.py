"""Printing a renderer's result, shared by every command."""

import sys


def emit(rendered: object, color: str) -> None:
    """Print once: text through :func:`nos_cli.textsafe.document` (an escape sequence or a ``::`` line from a
    map is shown, never obeyed); a rich renderable through the shared console (imported only then), which
    does the same for every piece of text it draws."""
    if isinstance(rendered, str):
        from nos_cli.textsafe import document

        sys.stdout.write(document(rendered))
        sys.stdout.flush()
        return
    from nos_cli.render.console import print_renderable

    print_renderable(rendered, color)


def say(line: str) -> None:
    """One line of diagnostics on stderr. Lines quote file names, ids and texts from files, so they pass
    through :func:`nos_cli.textsafe.shown` first: a line break or an escape sequence in them shows, never acts."""
    from nos_cli.textsafe import shown

    sys.stderr.write(shown(line) + "\n")

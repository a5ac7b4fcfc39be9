"""The one way out of every command: printing a renderer's result (or writing it to ``--output``), and
ending with the documented exit code."""

import sys
from typing import NoReturn

import typer

from nos_cli.errors import EXIT_NO, EXIT_OK


def emit(rendered: object, color: str = "never", output: str | None = None, *, force: bool = False) -> None:
    """Print once: text through :func:`nos_cli.textsafe.document` (an escape sequence or a ``::`` line from a
    map is shown, never obeyed; text a renderer already made safe, such as CSV, as it is); a rich renderable
    through the shared console (imported only then), which shows every piece of text it draws the same way.
    With ``output``, write the file instead (see nos_cli/files/write.py: atomically, keeping the file's links, mode
    and owner; ``force`` replaces a read-only file); a renderable is laid out for 120 columns, without colour."""
    from nos_cli.textsafe import document

    if output is not None:
        from pathlib import Path

        from nos_cli.files.write import write_atomic

        text = document(rendered) if isinstance(rendered, str) else _plain(rendered)
        for note in write_atomic(Path(output), text, force=force):
            say(f"nos: {note}")
        say(f"nos: wrote {output}")
        return
    if isinstance(rendered, str):
        sys.stdout.write(document(rendered))
        sys.stdout.flush()
        return
    from nos_cli.render.console import print_renderable

    print_renderable(rendered, color)


def _plain(renderable: object) -> str:
    import io

    from nos_cli.render.console import print_renderable

    buf = io.StringIO()
    print_renderable(renderable, "never", buf, width=120)
    return buf.getvalue()


def say(line: str) -> None:
    """One line of diagnostics on stderr. Lines quote file names, ids and texts from files, so they pass
    through :func:`nos_cli.textsafe.shown` first: a line break or an escape sequence in them shows, never acts."""
    from nos_cli.textsafe import shown

    sys.stderr.write(shown(line) + "\n")


def check_fail_under(percent: float, fail_under: float | None) -> None:
    """``--fail-under``: exit 1, saying why, when coverage is below the threshold."""
    if fail_under is not None and percent < fail_under:
        sys.stderr.write(f"nos: coverage {percent:g}% is under --fail-under {fail_under:g}%\n")
        raise typer.Exit(EXIT_NO)


def finish(answer_is_no: bool) -> NoReturn:
    """End the command: exit 1 when the answer is "no" (no match, problems found, links suspect), else 0."""
    raise typer.Exit(EXIT_NO if answer_is_no else EXIT_OK)

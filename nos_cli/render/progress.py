"""A progress display on stderr for ``nos validate`` runs and ``nos import`` runs that take more than a second.

Shown only on a terminal (never on a pipe or a file, so logs and CI output stay clean) and only once a run has
taken a second, so quick runs never flash; it is transient: when the run ends it is erased and only the
results remain.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from nos_cli.term import is_terminal

DELAY = 1.0  # seconds before the display appears


@contextmanager
def progress(total: int, *, enabled: bool = True, delay: float = DELAY,
             label: str = "checking") -> Iterator[Callable[[int, str], None]]:
    """Yields ``tick(n, path)``, called as file (or standard) ``n`` (0-based) starts; ``label`` says what the
    run is doing."""
    if not enabled or not is_terminal(sys.stderr):
        yield lambda n, path: None
        return
    state: dict[str, Any] = {"n": 0, "path": "", "bar": None, "task": None, "done": False}
    lock = threading.Lock()

    def show() -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

        with lock:
            if state["done"]:  # the run ended while the timer fired
                return
            bar = Progress(SpinnerColumn(), TextColumn(label, markup=False), BarColumn(), MofNCompleteColumn(),
                           TextColumn("{task.description}", markup=False),
                           console=Console(file=sys.stderr, markup=False, highlight=False), transient=True)
            state["task"] = bar.add_task(state["path"], total=total, completed=state["n"])
            state["bar"] = bar
            bar.start()

    def tick(n: int, path: str) -> None:
        with lock:
            state["n"], state["path"] = n, _short(path)
            if state["bar"] is not None:
                state["bar"].update(state["task"], completed=n, description=path)

    timer = threading.Timer(delay, show)
    timer.daemon = True
    timer.start()
    try:
        yield tick
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["bar"] is not None:
                state["bar"].stop()


def _short(path: str, width: int = 40) -> str:
    """The file's name, cut to ``width`` from the left, so the count and the bar keep their room."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    # a file name is not ours: control characters are shown, never sent to the terminal
    name = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    return name if len(name) <= width else "…" + name[-(width - 1):]

"""Progress on stderr for work that takes more than a second: a ``nos validate`` run over many files, an
``nos import`` of many standards, and an index build (search, show, diff).

Shown only on a terminal (never on a pipe, a file or a log, so CI output stays clean) and only once the work has
taken a second, so quick runs never flash; rich is imported only when a display first appears. The display is
transient: when the work ends it is erased and only the results remain.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nos_cli.term import is_terminal

DELAY = 1.0  # seconds before the display appears


def _delay(default: float) -> float:
    """NOS_PROGRESS_DELAY (seconds) overrides when a display appears: 0 shows it at once (docs/cli.md)."""
    raw = os.environ.get("NOS_PROGRESS_DELAY", "")
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if 0 <= value < 3600 else default


@contextmanager
def progress(total: int, *, enabled: bool = True, delay: float | None = None,
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

    timer = threading.Timer(_delay(DELAY) if delay is None else delay, show)
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


class BuildProgress:
    """Receives the index builder's reports (nos_cli.maps.indexer.Progress) and shows them after DELAY."""

    def __init__(self, delay: float | None = None) -> None:
        self.delay = _delay(DELAY) if delay is None else delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._live: Any = None
        self._task: Any = None
        self._label = ""
        self._files = 0

    def begin(self, path: str, size: int) -> None:
        with self._lock:
            self._files += 1
            self._label = f"indexing {Path(path).name} ({size / 1e6:.1f} MB)"  # the name: paths get long
            if self._timer is None and self._live is None:
                self._timer = threading.Timer(self.delay, self._show)
                self._timer.daemon = True
                self._timer.start()
            self._update("reading")

    def step(self, what: str, done: int) -> None:
        with self._lock:
            self._update(f"{what}: {done:,} nodes" if done else what)

    def end(self) -> None:
        pass  # the display stays up while the command may build more files; close() takes it down

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._live is not None:
                self._live.stop()
                self._live = None

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self._lock:
            if self._timer is None:
                return  # closed meanwhile
            self._timer = None
            live = Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn(),
                            console=Console(file=sys.stderr, markup=False, highlight=False, emoji=False),
                            transient=True)
            self._task = live.add_task(self._label, total=None)
            live.start()
            self._live = live

    def _update(self, what: str) -> None:
        if self._live is not None:
            self._live.update(self._task, description=f"{self._label}: {what}")


@contextmanager
def build_progress() -> Iterator[BuildProgress | None]:
    """A progress display for the command's index builds, or None when stderr is not a terminal."""
    if not is_terminal(sys.stderr) or os.environ.get("TERM") == "dumb":
        yield None
        return
    progress = BuildProgress()
    try:
        yield progress
    finally:
        progress.close()


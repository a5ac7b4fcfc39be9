"""What an index build is doing, on stderr, once it has taken more than a second.

Only on a terminal (never into a pipe or a log) and never for a warm run: rich is imported only when the
display first appears, so a search that builds nothing pays nothing. The display is transient: it leaves
no lines behind.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nos_cli.term import is_terminal

DELAY = 1.0


class BuildProgress:
    """Receives the index builder's reports (nos_cli.maps.indexer.Progress) and shows them after DELAY."""

    def __init__(self, delay: float = DELAY) -> None:
        self.delay = delay
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


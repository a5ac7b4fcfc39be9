"""Editing a user's file without losing anyone's update: an advisory lock, a read under it, an atomic replace.

Two ``nos mapping review --accept`` runs on one file would otherwise both read the old text and the later
rename would drop the earlier edit. :func:`edit` takes ``flock`` on the file itself (no lock file is left
lying about), re-reads it under the lock, lets the caller compute the new bytes from what it read, and
replaces the file before letting go. The replace makes a new inode, so a writer that was waiting on the old
one sees it is stale and locks the new file instead. Another run waits up to ``NOS_LOCK_TIMEOUT`` seconds
(default 30) and then fails, saying why, with nothing changed.
"""

from __future__ import annotations

import errno
import math
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from nos_cli.errors import NosError

ENV_TIMEOUT = "NOS_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 30.0

T = TypeVar("T")


def lock_timeout() -> float:
    raw = os.environ.get(ENV_TIMEOUT, "")
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise NosError(f"{ENV_TIMEOUT}={raw!r} is not a number of seconds (0 or more)")
    return value


def edit(path: Path, change: Callable[[bytes], tuple[bytes | None, T]], *, force: bool = False) -> tuple[T, list[str]]:
    """Run ``change(current bytes)`` under an exclusive lock on ``path`` (symlinks followed); when it returns
    new bytes, replace the file with them (atomically, see :mod:`nos_cli.files.write`) before the lock is released.
    Returns ``change``'s second value and the write's notes for the user."""
    from nos_cli.files.write import Target, replace

    timeout = lock_timeout()
    deadline = time.monotonic() + timeout
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError) as exc:  # a loop of symlinks
        raise NosError(f"{path}: cannot read: {exc}") from None
    while True:
        fd = _open(path, real)
        try:
            if not _acquire(fd, deadline, path):
                raise NosError(f"{path}: another process (a second nos run?) is editing this file and still held "
                               f"its lock after {timeout:g} s; nothing was changed (try again, or raise "
                               f"{ENV_TIMEOUT})")
            st = os.fstat(fd)
            try:
                now = real.stat()
            except FileNotFoundError:
                now = None
            if now is None or (now.st_ino, now.st_dev) != (st.st_ino, st.st_dev):
                continue  # replaced by the writer we waited for: lock the new file
            data = _read_all(fd)
            new, value = change(data)
            if new is None:
                return value, []
            _unchanged(path, real, fd, st)
            return value, replace(Target(path, real, st), new, force=force)
        finally:
            os.close(fd)  # releases the lock


def _unchanged(path: Path, real: Path, fd: int, st: os.stat_result) -> None:
    """An editor knows nothing of the lock: if one saved the file meanwhile (in place, or by a rename), nos
    would drop that save, so it stops instead."""
    again = os.fstat(fd)
    try:
        now = real.stat()
    except FileNotFoundError:
        now = None
    if (again.st_size, again.st_mtime_ns) != (st.st_size, st.st_mtime_ns) or now is None or \
            (now.st_ino, now.st_dev) != (st.st_ino, st.st_dev):
        raise NosError(f"{path}: the file changed while nos was working on it; nothing was changed (run again)")


def _open(path: Path, real: Path) -> int:
    try:
        return os.open(real, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise NosError(f"{path}: no such file") from None
    except OSError as exc:
        raise NosError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _acquire(fd: int, deadline: float, path: Path) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the check that the file did not change before the rename remains
        return True
    delay = 0.01
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise NosError(f"{path}: cannot lock the file to edit it: {exc.strerror or exc}; nothing was "
                               "changed") from None
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        # Jitter, so that waiters do not wake in step and starve one another.
        time.sleep(min(left, delay * (0.5 + random.random())))
        delay = min(delay * 1.5, 0.2)


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks: list[bytes] = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)

"""The standard streams as a shell user expects them, set up once before any command runs.

- A closed descriptor (``>&-``, ``2>&-``, ``<&-``) is held open on /dev/null, so a file nos opens later cannot
  take its number and receive output meant for the terminal. Python leaves the stream ``None``; here a closed
  stdout or stdin fails with a message when used (exit 2: ``map show >&-`` must not report success having
  written nothing), and a closed stderr swallows messages, as its user asked.
- Writing stdout can fail (``> /dev/full``, a stdout that is closed, ``PYTHONIOENCODING=ascii`` and text that
  needs more): that becomes :class:`OutputError`, one line and exit 2, never an internal error. A broken pipe
  is left as ``BrokenPipeError``: the CLI ends quietly on it, as ``nos search x | head -1`` should.
"""

from __future__ import annotations

import errno
import os
import sys

from nos_cli.errors import NosError

TYPE_CHECKING = False  # not typing's: importing typing (and the re it imports) costs ~3 ms of nos --version
if TYPE_CHECKING:
    from typing import Any, TextIO


class OutputError(NosError):
    """Standard output could not be written; exit 2."""


class InputClosedError(NosError):
    """Standard input was closed when nos started."""


#: The standard descriptors that were closed when nos started.
CLOSED_AT_START: set[int] = set()


def prepare() -> None:
    """Hold closed standard descriptors open and guard stdout; safe to call more than once."""
    for fd, flags in ((0, os.O_WRONLY), (1, os.O_RDONLY), (2, os.O_WRONLY)):
        if not _is_open(fd):
            CLOSED_AT_START.add(fd)
            # stdout gets a read-only /dev/null: any write to it fails (EBADF) instead of vanishing.
            _hold(fd, flags)
            if fd == 0:
                sys.stdin = _ClosedInput()
            elif fd == 1:
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - held all run
            else:
                sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace",  # noqa: SIM115
                                  closefd=False)
    if sys.stdout is not None and not isinstance(sys.stdout, GuardedOutput):
        import atexit

        guard = GuardedOutput(sys.stdout)
        atexit.register(guard.at_exit)
        sys.stdout = guard


def require_stdout() -> None:
    """For a command that changes a file before it reports: with stdout closed, stop before the change (the
    report could not be shown, and exit 2 would then hide a change that was made)."""
    if 1 in CLOSED_AT_START:
        raise OutputError("cannot write the output: standard output is closed; nothing was changed")


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _hold(fd: int, flags: int) -> None:
    try:
        null = os.open(os.devnull, flags)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    except OSError:
        pass


def silence_stdout() -> None:
    """Point descriptor 1 at /dev/null, so the flush at exit of what could not be written cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:
        pass


class GuardedOutput:
    """Standard output whose failures are :class:`OutputError` with a reason a user can act on."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner
        self.failed = False

    def at_exit(self) -> None:
        # Python flushes stdout once more after atexit handlers; what could not be written would fail again
        # and turn the exit code into 120.
        if self.failed:
            silence_stdout()

    def write(self, text: str) -> int:
        try:
            return self._inner.write(text)
        except UnicodeEncodeError as exc:
            raise _encoding_error(exc, self._inner) from None
        except BrokenPipeError:
            raise
        except OSError as exc:
            self.failed = True
            raise _os_error(exc) from None

    def flush(self) -> None:
        try:
            self._inner.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            self.failed = True
            raise _os_error(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _os_error(exc: OSError) -> OutputError:
    if exc.errno == errno.EBADF:
        return OutputError("cannot write the output: standard output is closed")
    return OutputError(f"cannot write the output: {exc.strerror or exc}")


def _encoding_error(exc: UnicodeEncodeError, stream: TextIO) -> OutputError:
    char = exc.object[exc.start:exc.end][:1]
    # The character is named by its code point only: stderr has the same encoding and could not show it.
    return OutputError(f"cannot write the character U+{ord(char):04X} to standard output in its encoding "
                       f"({getattr(stream, 'encoding', exc.encoding)}); set PYTHONIOENCODING=utf-8")


class _ClosedInput:
    """Standard input that was closed when nos started: reading it is an error with a message."""

    def _closed(self, *_: object) -> Any:
        raise InputClosedError("cannot read standard input: it is closed")

    read = readline = readlines = __iter__ = _closed

    @property
    def buffer(self) -> _ClosedInput:
        return self

    def fileno(self) -> int:
        return 0

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        pass

    closed = False
    encoding = "utf-8"

"""The project's exceptions and the exit codes every command shares (see docs/cli.md)."""

from __future__ import annotations

from collections.abc import Iterable

TYPE_CHECKING = False  # not typing's: importing typing (and re) costs ~3 ms of nos --version

if TYPE_CHECKING:
    from nos_cli.model import Problem

EXIT_OK = 0
#: The answer is "no": no match, problems found, coverage under a threshold, an unknown id.
EXIT_NO = 1
#: The command could not do its job: bad usage, unreadable file, bad option value, internal error.
EXIT_ERROR = 2


class NosError(Exception):
    """An error the user can act on; the CLI prints it as one line on stderr and exits with ``exit_code``."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class MapLoadError(NosError):
    """A map file could not be read or is not a usable map; the message carries file:line:col."""


class MapNotFoundError(NosError):
    """No map matches the id or path the user gave."""


class NodeNotFoundError(NosError):
    """An id that is not in the map; exit 1, the answer to "show me X" is "there is no X"."""

    exit_code = EXIT_NO


class AmbiguousNodeError(NosError):
    """An id found in several maps: nos cannot tell which one is meant (exit 2); the message lists them."""


def raise_first_error(problems: Iterable[Problem], *, hint: str = "") -> None:
    """Raise :class:`MapLoadError` for the first error-level problem (in file order), as
    ``file:line:col: message [rule]``; ``hint`` is added when there are more. Does nothing when there is none."""
    from nos_cli.model import Level

    errors = sorted((p for p in problems if p.level is Level.ERROR), key=lambda p: p.sort_key())
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more{hint})" if len(errors) > 1 and hint else ""
        raise MapLoadError(f"{first.path}:{first.line}:{first.column}: {first.message} [{first.rule}]{more}")

"""Open a path the user named, for reading, without hanging, exhausting memory or ending in a traceback.

Every reader of user input goes through here (map and mapping YAML, role descriptions, IfATE JSON):

- special files (FIFOs, character and block devices such as /dev/zero, sockets) are refused before a byte is
  read, because reading them blocks forever or never ends; only standard input (``-``) may be a stream;
- a file is opened with ``O_NONBLOCK`` and checked with ``fstat`` on the open descriptor, so a path swapped
  for a FIFO between a check and the open cannot hang the run either;
- reads are capped: at most ``max_bytes + 1`` bytes are read (standard input too), enough to know the input is
  over the cap without holding all of it;
- a directory, a missing or an unreadable file is a :class:`~nos_cli.errors.NosError` naming the path (exit 2).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nos_cli.errors import NosError

STDIN = "-"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Input:
    """What was read: at most ``max_bytes + 1`` bytes; ``over`` when the input is larger than the cap."""

    name: str
    data: bytes
    over: bool
    size: int | None = None  # the size of a regular file; None for a stream, whose size is unknown


def _kind(mode: int) -> str | None:
    """What a special file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe): give a regular file, or pipe it to standard input with -"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file: give a regular file, or redirect it to standard input with -"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _os_error(name: str, exc: OSError) -> NosError:
    if isinstance(exc, FileNotFoundError):
        return NosError(f"{name}: no such file")
    if isinstance(exc, IsADirectoryError):
        return NosError(f"{name}: is a folder, not a file")
    return NosError(f"{name}: cannot read: {exc.strerror or exc}")


def read_input(path: str | Path, *, max_bytes: int, display: str | None = None) -> Input:
    """Read a user-named file, or standard input for ``-``, capped at ``max_bytes``."""
    if str(path) == STDIN:
        return _read_stdin(display or "<stdin>", max_bytes)
    name = display if display is not None else str(path)
    fd, st = _open_regular(path, name)
    try:
        if st.st_size > max_bytes:
            return Input(name, b"", True, st.st_size)
        data = _read_capped(lambda n: os.read(fd, n), max_bytes)
    except OSError as exc:
        raise _os_error(name, exc) from None
    finally:
        os.close(fd)
    over = len(data) > max_bytes  # the file grew after fstat
    return Input(name, data, over, max(st.st_size, len(data)))


def read_head(path: str | Path, size: int) -> bytes:
    """The first ``size`` bytes of a regular file (never standard input: a file named ``-`` is a file here)."""
    fd, _st = _open_regular(path, str(path))
    try:
        return _read_capped(lambda n: os.read(fd, n), size - 1)
    except OSError as exc:
        raise _os_error(str(path), exc) from None
    finally:
        os.close(fd)


def _open_regular(path: str | Path, name: str) -> tuple[int, os.stat_result]:
    """A blocking descriptor of a regular file, or an error naming what the path is instead."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer before fstat could refuse it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _os_error(name, exc) from None
    try:
        st = os.fstat(fd)
        why = _kind(st.st_mode)
        if why is not None:
            raise NosError(f"{name}: {why}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except OSError as exc:
        os.close(fd)
        raise _os_error(name, exc) from None
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def _read_stdin(name: str, max_bytes: int) -> Input:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise NosError(f"{name}: standard input is closed")
    try:
        data = _read_capped(stream.read, max_bytes)
    except (OSError, ValueError) as exc:  # ValueError: the stream was closed
        raise NosError(f"{name}: cannot read standard input: {getattr(exc, 'strerror', None) or exc}") from None
    return Input(name, data, len(data) > max_bytes)


def _read_capped(read: Callable[[int], bytes], max_bytes: int) -> bytes:
    """Read until end of input or ``max_bytes + 1`` bytes, whichever comes first."""
    chunks: list[bytes] = []
    left = max_bytes + 1
    while left > 0:
        chunk = read(min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_limited(path: str | Path, *, max_bytes: int, what: str = "input") -> tuple[str, bytes]:
    """(name, bytes) of a file or standard input; over the cap is an error naming the cap (exit 2)."""
    got = read_input(path, max_bytes=max_bytes)
    if got.over:
        size = f"is {got.size:,} bytes, over" if got.size is not None else "is over"
        raise NosError(f"{got.name}: {what} {size} the {max_bytes:,}-byte limit (raise it with NOS_MAX_FILE_SIZE)")
    return got.name, got.data


_UTF_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
             (b"\xfe\xff", "UTF-16"))


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a UTF-8 byte-order mark is dropped), or a one-line error naming where the bytes stop being
    text: another encoding's mark, a byte that is not UTF-8, or a NUL (binary data, or UTF-16 with no mark)."""
    for bom, enc in _UTF_BOMS:
        if data.startswith(bom):
            raise NosError(f"{name}: the text is {enc}; save it as UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if nul != -1 and nul < exc.start:
            raise NosError(f"{name}:{_position(data, nul)}: a NUL byte: binary data, not text") from None
        raise NosError(f"{name}:{_position(data, exc.start)}: not UTF-8 text "
                       f"(byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if nul != -1:
        raise NosError(f"{name}:{_position(data, nul)}: a NUL byte: binary data, or text in UTF-16 or UTF-32 "
                       "(save it as UTF-8)")
    return text


def _position(data: bytes, offset: int) -> str:
    """``line:column`` (1-based, column in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    line = data.count(b"\n", 0, offset) + 1
    return f"{line}:{column}"


def scan_folder(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of a folder, sorted by name, with the types the listing gave (no system call per entry to
    tell a link from a regular file); a folder that cannot be listed is an error naming it (exit 2)."""
    try:
        with os.scandir(folder) as it:
            # os.path.normcase sorts as pathlib does: by name, ignoring case only where the system does.
            return sorted(it, key=lambda e: os.path.normcase(e.name))
    except NotADirectoryError:
        raise NosError(f"{folder}: not a folder") from None
    except OSError as exc:
        raise NosError(f"{folder}: cannot read the folder: {exc.strerror or exc}") from None

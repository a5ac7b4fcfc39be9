"""Writing files so that nothing a user has is lost: a temporary file in the same folder, then a rename.
Reading files that others wrote so that nothing hangs or runs away: regular files only, with a cap."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from nos_cli.errors import NosError


def write_atomic(path: Path, text: str | bytes) -> None:
    """Replace (or create) ``path`` with ``text`` (or bytes) in one step; on any failure the old file stays
    whole. Raises :class:`NosError` when the folder is missing or not writable."""
    folder = path.parent
    if not folder.is_dir():
        raise NosError(f"{path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise NosError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
        if path.exists():
            Path(tmp).chmod(path.stat().st_mode & 0o7777)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class NotRegularFile(OSError):
    """A path that is a FIFO, a device or a socket: reading it could hang or never end."""


class TooBig(OSError):
    """A file over the size cap; ``size`` is its size, or the bytes read before giving up."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size:,} bytes")
        self.size = size


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file; :class:`TooBig` when it holds more than ``max_bytes`` (then it is not read),
    :class:`NotRegularFile` for a FIFO, device or socket, :class:`IsADirectoryError` for a folder.

    Opened without blocking and checked on the open descriptor, so a FIFO cannot hang the run and a device
    (``/dev/zero``) is never read; the read itself is capped, because the size ``stat`` reports can lie
    (``/proc`` files say 0) or change between the check and the read."""
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(str(path))
        if not stat.S_ISREG(st.st_mode):
            kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "a device"
            raise NotRegularFile(kind)
        if st.st_size > max_bytes:
            raise TooBig(st.st_size)
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise TooBig(len(data))  # grew after the check, or a /proc file whose size says 0
    return data


def read_text_file(path: str, max_bytes: int) -> str:
    """A UTF-8 text file someone else wrote (a role description, an export), read with :func:`read_regular`;
    every failure is a one-line :class:`NosError` naming the file (shown safely by the error boundary)."""
    try:
        data = read_regular(Path(path), max_bytes)
    except FileNotFoundError:
        raise NosError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise NosError(f"{path}: is a directory, not a file") from None
    except NotRegularFile as exc:
        raise NosError(f"{path}: is {exc}, not a regular file; nothing was read") from None
    except TooBig as exc:
        raise NosError(f"{path}: file is {exc.size:,} bytes, over the {max_bytes:,}-byte limit "
                       "(raise it with NOS_MAX_FILE_SIZE)") from None
    except OSError as exc:
        raise NosError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        # newlines as Path.read_text reads them (universal newlines): CRLF and a lone CR end a line
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise NosError(f"{path}: not UTF-8 text (byte offset {exc.start})") from None

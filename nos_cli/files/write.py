"""Writing files as the user would want them: the one place nos writes a file a user names; and reading files
that others wrote so that nothing hangs or runs away (regular files only, with a cap: :func:`read_regular`).

- A regular file is replaced atomically: a temporary file beside the real file (through any symlinks), then
  a rename, so an interruption or a full disk leaves the old file whole. The link stays a link; the file
  keeps its mode, owner and group. A read-only file, or one that would change owner, is refused unless
  ``force``.
- A new file gets the permissions the umask gives (0644 under umask 022), as the shell's ``>`` does.
- Devices, FIFOs and sockets are written to directly (replacing one would put a regular file where a device
  was), never created; ``/dev/stdout``, ``/dev/fd/N`` and ``/proc/self/fd/N`` (or a link to one) write to that
  descriptor of this process, as a shell user means.
- A file with other hard links is still replaced atomically (safety first); the other names keep the old
  content, and the returned notes say so.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nos_cli.errors import NosError

# /dev/stdout, /dev/fd/1, /proc/self/fd/1, /proc/<our pid>/fd/1: a descriptor of this process.
_OWN_FD = re.compile(r"^/(?:dev/fd|proc/(?:self|thread-self|(?P<pid>\d+))/fd)/(?P<fd>\d+)$")
_STD_NAMES = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


@dataclass(frozen=True)
class Target:
    """Where bytes written to ``path`` go."""

    path: Path  # as the user wrote it (for messages)
    real: Path  # the file itself, symlinks followed
    existing: os.stat_result | None  # None: a new file
    fd: int | None = None  # a descriptor of this process (/dev/stdout and kin)
    direct: bool = False  # a device, FIFO or socket: written to, never replaced


def write_atomic(path: Path, text: str | bytes, *, force: bool = False) -> list[str]:
    """Write ``text`` (str as UTF-8, or bytes) to ``path`` as described in the module docstring; returns notes
    for the user (hard links). Raises :class:`NosError` naming the file when it cannot be done, and then
    nothing was changed."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    target = resolve(path)
    if target.fd is not None or target.direct:
        write_direct(target, data)
        return []
    return replace(target, data, force=force)


def resolve(path: Path) -> Target:
    try:
        return _resolve(path)
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of links, a part that is not a folder
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise NosError(f"{path}: cannot write: {reason}") from None


def _resolve(path: Path) -> Target:
    raw = Path(os.path.normpath(Path(path).absolute()))  # absolute, links not followed
    fd = _own_fd(raw)
    if fd is not None:
        return Target(path, raw, None, fd=fd)
    try:
        st: os.stat_result | None = raw.stat()
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise NosError(f"{path}: is a folder; give the name of a file to write")
    if st is not None and not stat.S_ISREG(st.st_mode):
        return Target(path, raw, st, direct=True)
    # Also follows a dangling link to the file it names, which is then created (as `>` does).
    return Target(path, raw.resolve(), st)


def _own_fd(raw: Path) -> int | None:
    """The descriptor a path means when it, or a link it passes through, is /dev/stdout, /dev/fd/N or
    /proc/self/fd/N."""
    hop = raw
    for _ in range(40):  # the kernel's own limit on links followed
        if str(hop) in _STD_NAMES:
            return _STD_NAMES[str(hop)]
        found = _OWN_FD.match(str(hop))
        if found and found["pid"] in (None, str(os.getpid())):
            return int(found["fd"])
        if not hop.is_symlink():
            return None
        hop = Path(os.path.normpath(hop.parent / hop.readlink()))
    return None


def write_direct(target: Target, data: bytes) -> None:
    """Write into an existing descriptor or special file; nothing is created or truncated but the stream."""
    try:
        if target.fd is not None:
            if target.fd == 1:
                sys.stdout.flush()  # what was printed before comes first
            _write_all(target.fd, data)
            return
        fd = os.open(target.path, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
    except OSError as exc:
        raise NosError(f"{target.path}: cannot write: {exc.strerror or exc}") from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def replace(target: Target, data: bytes, *, force: bool = False) -> list[str]:
    """Replace (or create) the regular file ``target`` with ``data`` in one step."""
    st, path, real = target.existing, target.path, target.real
    notes = []
    if st is None:
        if not real.parent.is_dir():
            raise NosError(f"{path}: the folder {real.parent} does not exist")
        mode = 0o666 & ~umask()
    else:
        _check_replaceable(target, st, force)
        mode = stat.S_IMODE(st.st_mode)
        if st.st_nlink > 1:
            others = st.st_nlink - 1
            notes.append(f"{path} had {others} other hard link{'s' * (others != 1)}; "
                         f"{'they keep' if others != 1 else 'it keeps'} the old content")
    try:
        # A short fixed prefix: a name near the 255-byte limit cannot be made longer.
        fd, tmp = tempfile.mkstemp(prefix=".nos-", suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise NosError(f"{path}: cannot create a temporary file in {real.parent}: {exc.strerror or exc}; "
                       "nothing was written") from None
    try:
        try:
            _write_all(fd, data)
            if st is not None and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                _keep_owner(fd, st)
            os.fchmod(fd, mode)  # after chown, which clears set-id bits
            os.fsync(fd)
        finally:
            os.close(fd)
        Path(tmp).replace(real)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            kept = "; the old file is unchanged" if st is not None else ""
            raise NosError(f"{path}: cannot write: {exc.strerror or exc}{kept}") from None
        raise
    return notes


def _check_replaceable(target: Target, st: os.stat_result, force: bool) -> None:
    if force:
        return
    if (not os.access(target.real, os.W_OK)) if os.geteuid() else not st.st_mode & 0o222:
        raise NosError(f"{target.path}: is read-only; nothing was written (--force replaces it)")
    if os.geteuid() and st.st_uid != os.geteuid():
        raise NosError(f"{target.path}: belongs to another user (uid {st.st_uid}) and replacing it would make it "
                       "yours; nothing was written (--force replaces it)")


def _keep_owner(fd: int, st: os.stat_result) -> None:
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
    except PermissionError:
        with contextlib.suppress(PermissionError):
            os.fchown(fd, -1, st.st_gid)  # keep at least the group, when we are in it


def umask() -> int:
    """The process's umask, read without changing it where Linux allows (os.umask can only set it)."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old

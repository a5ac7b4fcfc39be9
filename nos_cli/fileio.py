"""Writing files so that nothing a user has is lost: a temporary file in the same folder, then a rename."""

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

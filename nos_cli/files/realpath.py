"""Real (resolved) paths of many files for about the cost of one resolve per folder.

``Path.resolve()`` walks the path and ``lstat``s every component of it (posixpath.realpath), so resolving the
700 maps of one folder repeats the folder's walk 700 times. A file that is not itself a symbolic link resolves
to its folder's real path joined with its name, so a folder is resolved once and each file costs one
``lstat``; a file that is a link (or named ``..``) still gets a full resolve, and a symlink loop still raises
RuntimeError as ``Path.resolve()`` does. The answers are ``Path.resolve()``'s for paths that do not change
while one :class:`RealPaths` is in use, so an instance lives for one command's run (a catalog's), never longer.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class RealPaths:
    """``Path.resolve()`` memoised per folder, for one run."""

    def __init__(self) -> None:
        self._folders: dict[Path, Path] = {}
        self._files: dict[Path, Path] = {}

    def folder(self, folder: Path) -> Path:
        """The real path of a folder, resolved once."""
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = folder.resolve()
        return real

    def note(self, path: Path, real: Path) -> None:
        """Remember what a caller already knows (a folder entry that is no link: its folder's real path / name)."""
        self._files[path] = real

    def __call__(self, path: Path) -> Path:
        real = self._files.get(path)
        if real is None:
            real = self._files[path] = self._resolve(path)
        return real

    def _resolve(self, path: Path) -> Path:
        if path.name in ("", ".", ".."):
            return path.resolve()
        try:
            link = stat.S_ISLNK(os.lstat(path).st_mode)
        except FileNotFoundError:
            link = False  # realpath keeps a missing last component as it is
        except OSError:
            return path.resolve()  # let resolve meet (or raise) whatever is odd about it
        return path.resolve() if link else self.folder(path.parent) / path.name

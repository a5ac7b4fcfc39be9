"""Where the index database lives, and whether that folder can be trusted.

``$NOS_CACHE_DIR``, else ``$XDG_CACHE_HOME/nos``, else ``$HOME/.cache/nos``. The folder is created with mode
0700 and used only when it is a directory owned by the current user that no one else can write to: a cache
in a shared folder (a CI runner's ``/tmp``, mode 1777) could hold entries another user planted, so such a
folder is ignored with one warning and nothing is read from it. Where ``$HOME`` does not exist no folder is
created at all (nos would otherwise make ``/nonexistent/.cache/nos``): the run goes without a cache.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

ENV_DIR = "NOS_CACHE_DIR"
ENV_OFF = "NOS_NO_CACHE"


def enabled() -> bool:
    return os.environ.get(ENV_OFF, "") in ("", "0")


def cache_dir() -> Path | None:
    """The configured cache folder, or None when there is nowhere sensible to put one."""
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():  # the XDG spec says a relative value is to be ignored
        return Path(xdg) / "nos"
    home = os.environ.get("HOME")
    if not home or not Path(home).is_dir():
        return None
    return Path(home) / ".cache" / "nos"


def warn(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # a closed stderr must not fail a search over a cache warning
        sys.stderr.write(f"nos: warning: {message}\n")


def trusted_dir() -> Path | None:
    """The cache folder, created if needed, when it is safe to read from; else None (with one warning when
    the folder exists but belongs to someone else or is writable by others)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError:
        return None  # an unwritable or impossible place only means no caching
    if not stat.S_ISDIR(st.st_mode):
        return None
    problem = untrusted_reason(st)
    if problem:
        warn(f"cache folder {folder} {problem}; not using it (set {ENV_DIR} to a private folder)")
        return None
    return folder


def untrusted_reason(st: os.stat_result) -> str:
    """Why a file or folder with this status cannot be trusted by the current user ("" when it can)."""
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return f"is owned by another user (uid {st.st_uid})"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by other users"
    return ""

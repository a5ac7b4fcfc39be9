"""Which files ``nos validate`` checks: decided by content, walked safely.

A file is nos's when it has a top-level ``nos_map:`` or ``nos_mapping:`` key; folders are searched
recursively for ``*.yaml`` and ``*.yml`` files that are, so a repository's ``.pre-commit-config.yaml``,
workflow files and other YAML are passed over (named under ``--verbose``). A file given by path is checked
whatever it holds, unless ``force_exclude`` (ruff's ``--force-exclude``: for pre-commit, which passes every
staged YAML file).

The walk stays inside the folder it was given: hidden entries, symlinks whose target is outside the folder,
symlinked folders (they can loop) and anything that is not a regular file (FIFOs block a reader, devices
never end) are skipped and named. A folder or file that cannot be read stops the run (exit 2): "could not
check" must never look like "checked, no problems".
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from nos_cli.errors import NosError

STDIN = "-"
YAML_SUFFIXES = (".yaml", ".yml")
#: A top-level marker key at the start of a line (after a UTF-8 byte-order mark on the first line).
_MARKER = re.compile(rb"(?:\xef\xbb\xbf)?([\"']?)nos_map(?:ping)?\1[ \t]*:")
_WIDE_BOMS = {b"\xff\xfe\x00\x00": "utf-32", b"\x00\x00\xfe\xff": "utf-32", b"\xff\xfe": "utf-16",
              b"\xfe\xff": "utf-16"}


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass
class FileList:
    """The files to check, in order, and what the walk passed over (with why)."""

    files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def collect(paths: list[str], *, force_exclude: bool = False, max_bytes: int = 64 * 1024 * 1024) -> FileList:
    out = FileList()
    seen: set[str] = set()

    def add(path: str) -> None:
        if path not in seen:
            seen.add(path)
            out.files.append(path)

    for raw in paths:
        if raw == STDIN:
            add(STDIN)
            continue
        p = Path(raw)
        try:
            st = p.stat()
        except FileNotFoundError:
            raise NosError(f"{raw}: no such file or folder") from None
        except OSError as exc:
            raise NosError(f"{raw}: cannot read: {exc.strerror or exc}") from None
        if stat.S_ISDIR(st.st_mode):
            for f in _walk(p, out.skipped, max_bytes):
                add(f)
        elif not stat.S_ISREG(st.st_mode):
            raise NosError(f"{raw}: not a regular file (a FIFO, socket or device); give a file, or - for "
                           "standard input")
        elif force_exclude and not is_nos_file(p, max_bytes):
            out.skipped.append(Skipped(raw, "no top-level nos_map: or nos_mapping: key"))
        else:
            add(raw)
    return out


def _walk(root: Path, skipped: list[Skipped], max_bytes: int) -> list[str]:
    """Every nos file under ``root``, sorted; iterative, so no depth of folders can exhaust the stack."""
    base = root.resolve()
    found: list[Path] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            raise NosError(f"{folder}: cannot read the folder: {exc.strerror or exc}") from None
        for entry in entries:
            path = Path(entry.path)
            why = _why_skip(entry, path, base)
            if why == "":
                continue  # not YAML: not ours to mention
            if why is not None:
                skipped.append(Skipped(str(path), why))
            elif entry.is_dir(follow_symlinks=False):
                stack.append(path)
            elif is_nos_file(path, max_bytes):
                found.append(path)
            else:
                skipped.append(Skipped(str(path), "no top-level nos_map: or nos_mapping: key"))
    return [str(p) for p in sorted(found)]


def _why_skip(entry: os.DirEntry[str], path: Path, base: Path) -> str | None:
    """Why an entry is passed over; "" for a file that is not YAML (passed over silently); None to use it."""
    if entry.name.startswith("."):  # .git, .github, .pre-commit-config.yaml: named only when YAML
        return "hidden" if entry.name.endswith(YAML_SUFFIXES) else ""
    try:
        if entry.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(base):
                return f"a symlink that leaves the folder (to {target})"
            if target.is_dir():
                return "a symlinked folder (not followed: it could loop)"
        mode = path.stat().st_mode if entry.is_symlink() else entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        if entry.is_symlink():
            return f"a broken symlink ({exc.strerror or exc})"
        raise NosError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        return None
    if not entry.name.endswith(YAML_SUFFIXES):
        return ""
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, socket or device)"
    return None


def is_nos_file(path: Path, max_bytes: int) -> bool:
    """True when the file has a top-level ``nos_map:`` or ``nos_mapping:`` key (read line by line, stopping at
    the marker, so a map costs a few lines and another file one pass). An unreadable file stops the run."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
            codec = next((c for bom, c in _WIDE_BOMS.items() if head.startswith(bom)), None)
            if codec is not None:  # UTF-16/32: reported by the loader; decoded here only to find the marker
                text = (head + fh.read(max_bytes)).decode(codec, errors="replace").encode("utf-8")
                return any(_MARKER.match(line) for line in text.splitlines())
            fh.seek(0)
            return any(_MARKER.match(line) for line in fh)
    except OSError as exc:
        raise NosError(f"{path}: cannot read: {exc.strerror or exc}") from None

"""A compiled cache of map indexes, so repeated searches do not parse YAML again.

One file per map file in ``$NOS_CACHE_DIR``, else ``$XDG_CACHE_HOME/nos``, else ``~/.cache/nos``. An entry is
keyed by the map file's resolved path and remembers its size and modification time; an entry written within
two seconds of the file's modification also remembers a hash of the content and is verified by it (a file
changed twice in the same clock tick keeps its mtime: git's "racy" case). Entries carry the nos and index
versions. Writes go to a temporary file renamed into place, so concurrent processes never see half an entry;
an unreadable or corrupt entry is rebuilt; an unwritable cache folder only means no caching. ``NOS_NO_CACHE=1``
or ``--no-cache`` turns it off. ``marshal`` is used, not pickle: loading it cannot run code.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from nos_cli._version import __version__
from nos_cli.maps.index import INDEX_VERSION, MapIndex

ENV_DIR = "NOS_CACHE_DIR"
ENV_OFF = "NOS_NO_CACHE"
RACY_SECONDS = 2.0
T = TypeVar("T")


def cache_dir() -> Path:
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "nos"


def enabled() -> bool:
    return os.environ.get(ENV_OFF, "") in ("", "0")


def _entry_path(resolved: Path, kind: str) -> Path:
    digest = hashlib.sha1(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return cache_dir() / f"{kind}-{digest}.marshal"


def _content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cached(path: Path, kind: str, version: int, compute: Callable[[], T], *, use_cache: bool = True) -> T:
    """``compute()`` for a map file, from the cache while the file is unchanged. ``kind`` names what is cached
    (one entry per file and kind) and ``version`` its layout: a new version is never read as an old one. The
    value must be marshal-able (tuples, lists, dicts, strings, numbers)."""
    if str(path) == "-" or not (use_cache and enabled()):
        return compute()
    resolved = path.resolve()
    try:
        st = resolved.stat()
    except OSError:
        return compute()  # the computation reports the missing or unreadable file
    entry = _entry_path(resolved, kind)
    header = (kind, version, __version__, str(resolved), st.st_size, st.st_mtime_ns)
    found = _read(entry, header, resolved)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    value = compute()
    racy = time.time() - st.st_mtime_ns / 1e9 < RACY_SECONDS
    _write(entry, (*header, _content_hash(resolved) if racy else "", value))
    return value


def load_index(path: Path, *, use_cache: bool = True) -> MapIndex:
    """The index of a map file, from the cache when it is current, else built (and cached)."""
    from nos_cli.maps.catalog import load_checked
    from nos_cli.maps.index import build_index

    def compute() -> tuple[str, str, tuple[str, ...], str, bytes, tuple[str, ...]]:
        index = build_index(load_checked(path))
        return index.map_id, index.title, index.texts, index.ids_blob, index.packed(), index.words

    map_id, title, texts, ids, packed, words = cached(path, "index", INDEX_VERSION, compute, use_cache=use_cache)
    return MapIndex(map_id, title, str(path), texts, ids, packed, words)


_MISSING = object()


def _read(entry: Path, header: tuple[Any, ...], resolved: Path) -> Any:
    try:
        data = marshal.loads(entry.read_bytes())
        stored, digest, value = tuple(data[:6]), data[6], data[7]
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return _MISSING  # missing, unreadable or corrupt: rebuilt by the caller
    if stored != header or (digest and digest != _content_hash(resolved)):
        return _MISSING
    return value


def _write(entry: Path, value: tuple[Any, ...]) -> None:
    from nos_cli.errors import NosError
    from nos_cli.files.write import write_atomic

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(entry, marshal.dumps(value))
    except (OSError, ValueError, NosError):
        pass  # an unwritable cache (or a value marshal refuses) only means the next run computes it again

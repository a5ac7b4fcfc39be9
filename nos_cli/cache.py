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
import tempfile
import time
from pathlib import Path

from nos_cli._version import __version__
from nos_cli.index import INDEX_VERSION, MapIndex

ENV_DIR = "NOS_CACHE_DIR"
ENV_OFF = "NOS_NO_CACHE"
RACY_SECONDS = 2.0


def cache_dir() -> Path:
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "nos"


def enabled() -> bool:
    return os.environ.get(ENV_OFF, "") in ("", "0")


def _entry_path(resolved: Path) -> Path:
    digest = hashlib.sha1(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return cache_dir() / f"index-{digest}.marshal"


def _content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_index(path: Path, *, use_cache: bool = True) -> MapIndex:
    """The index of a map file, from the cache when it is current, else built (and cached)."""
    from nos_cli.catalog import load_checked
    from nos_cli.index import build_index

    if str(path) == "-" or not (use_cache and enabled()):
        return build_index(load_checked(path))
    resolved = path.resolve()
    try:
        st = resolved.stat()
    except OSError:
        return build_index(load_checked(path))  # reports the missing or unreadable file
    entry = _entry_path(resolved)
    cached = _read(entry, resolved, st.st_size, st.st_mtime_ns)
    if cached is not None:
        return MapIndex(cached[0], cached[1], str(path), cached[2])
    index = build_index(load_checked(path))
    racy = time.time() - st.st_mtime_ns / 1e9 < RACY_SECONDS
    _write(entry, (INDEX_VERSION, __version__, str(resolved), st.st_size, st.st_mtime_ns,
                   _content_hash(resolved) if racy else "", index.map_id, index.title, index.records))
    return index


def _read(entry: Path, resolved: Path, size: int, mtime_ns: int) -> tuple[str, str, tuple] | None:  # type: ignore[type-arg]
    try:
        data = marshal.loads(entry.read_bytes())
        version, nos, where, c_size, c_mtime, digest, map_id, title, records = data
    except (OSError, ValueError, EOFError, TypeError):
        return None  # missing, unreadable or corrupt: rebuilt by the caller
    if (version, nos, where, c_size, c_mtime) != (INDEX_VERSION, __version__, str(resolved), size, mtime_ns):
        return None
    if digest and digest != _content_hash(resolved):
        return None
    if not isinstance(records, tuple):
        return None
    return map_id, title, records


def _write(entry: Path, value: tuple) -> None:  # type: ignore[type-arg]
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".index-", dir=entry.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(value))
            Path(tmp).replace(entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # an unwritable cache only means the next run parses the YAML again

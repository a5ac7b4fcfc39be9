"""Shell completion: map ids for ``-M/--map`` and the ``[MAP]`` arguments, node ids for ``nos show ID``, and the
``--show-completion SHELL`` / ``--install-completion SHELL`` spelling.

Completion runs on every Tab, so it must answer in tens of milliseconds and never fail loudly: map ids come
from the first lines of each map file (no YAML parsing), node ids from the search index cache when it is warm,
else from a plain scan of the map file's ``id:`` lines. Whatever goes wrong (a missing folder, an unreadable
file) completes nothing rather than printing an error into the user's command line.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

#: The shells typer writes completion scripts for.
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
_ID_LINE = re.compile(r"""[ \t]*(?:- )?\{?[ \t]*id:[ \t]*["']?([A-Za-z0-9][A-Za-z0-9_.\-]*)""")


def _maps_dirs(ctx: Any) -> list[str]:
    """The --maps-dir folders given so far on the command line being completed."""
    while ctx is not None:
        found = getattr(ctx, "params", {}).get("maps_dir")
        if found:
            return list(found)
        ctx = getattr(ctx, "parent", None)
    return []


def map_files(maps_dirs: Sequence[str] = ()) -> list[Path]:
    """Every map file on the search path (--maps-dir, NOS_MAPS_PATH, the bundled maps); none on a bad folder."""
    from nos_cli.errors import NosError
    from nos_cli.maps.catalog import Catalog

    try:
        return Catalog.from_options((), maps_dirs).paths()
    except (NosError, OSError):
        return []


def map_ids(maps_dirs: Sequence[str] = ()) -> list[str]:
    """The ids of the maps on the search path, each once, sorted; read from each file's first lines."""
    from nos_cli.maps.catalog import _quick_id

    return sorted({i for p in map_files(maps_dirs) if (i := _quick_id(p))})


def _indexed_ids(path: Path) -> list[str] | None:
    """The ids the index database holds for the file as it is now, read without changing anything: the
    database opened read-only, only in a folder the user owns and no one else can write, only when it is of
    this nos's schema; no warning is printed (a shell is completing a word), and None means "read the file"."""
    import sqlite3
    import stat

    from nos_cli.maps.cachedir import cache_dir, enabled, untrusted_reason
    from nos_cli.maps.indexer import file_key
    from nos_cli.maps.store import APPLICATION_ID, DB_NAME, SCHEMA_VERSION

    folder = cache_dir() if enabled() else None
    if folder is None or untrusted_reason(folder.stat()):
        return None
    db = folder / DB_NAME
    st_db = db.lstat()
    if not stat.S_ISREG(st_db.st_mode) or untrusted_reason(st_db):
        return None
    st = path.stat()
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=0.2)
    try:
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if (app, version) != (APPLICATION_ID, SCHEMA_VERSION):
            return None
        row = conn.execute("SELECT size, mtime_ns, lo, hi FROM files WHERE path = ?", (file_key(path),)).fetchone()
        if row is None or (row[0], row[1]) != (st.st_size, st.st_mtime_ns):  # not the file as it is now
            return None
        return [r[0] for r in conn.execute("SELECT nid FROM nodes WHERE id BETWEEN ? AND ? AND nid != '' "
                                           "ORDER BY id", (row[2], row[3])) if isinstance(r[0], str)]
    finally:
        conn.close()


def node_ids(path: Path) -> list[str]:
    """The node ids of one map file. The one place that knows where node ids come from quickly: the index
    database when it holds the file as it is now (it is never built here: a first build can take seconds), else
    the map file's ``id:`` lines, read as text."""
    import contextlib
    import sqlite3

    with contextlib.suppress(OSError, sqlite3.Error, ValueError, TypeError):
        ids = _indexed_ids(path)
        if ids is not None:
            return ids
    from nos_cli.errors import NosError
    from nos_cli.files.read import read_head

    try:
        text = read_head(path, 8 << 20).decode("utf-8", "replace")
    except (NosError, OSError):
        return []
    found: dict[str, None] = {}
    section = ""
    for line in text.splitlines():
        if line[:1].isalpha():  # a top-level key: ids under sources: name sources, not nodes
            section = line.split(":", 1)[0]
            continue
        m = _ID_LINE.match(line)
        if m and section != "sources":
            found[m.group(1)] = None
    return list(found)


def _paths(incomplete: str) -> list[str]:
    """Folders and YAML files that start with ``incomplete``, for a map given by path."""
    from nos_cli.maps.catalog import YAML_SUFFIXES

    folder, _, stem = incomplete.rpartition("/")
    base = Path(folder or ".") if folder or not incomplete.startswith("/") else Path("/")
    prefix = f"{folder}/" if folder or incomplete.startswith("/") else ""
    try:
        entries = sorted(base.iterdir())
    except OSError:
        return []
    out = []
    for p in entries:
        if not p.name.startswith(stem) or (p.name.startswith(".") and not stem.startswith(".")):
            continue
        if p.is_dir():
            out.append(f"{prefix}{p.name}/")
        elif p.suffix in YAML_SUFFIXES:
            out.append(f"{prefix}{p.name}")
    return out


def _looks_like_path(incomplete: str) -> bool:
    return incomplete.startswith((".", "/", "~")) or "/" in incomplete


def complete_map(ctx: Any, incomplete: str) -> list[str]:
    """Completion for a map given by id (or, once it looks like one, by path)."""
    if _looks_like_path(incomplete):
        return _paths(incomplete)
    return [i for i in map_ids(_maps_dirs(ctx)) if i.startswith(incomplete)]


def complete_node(ctx: Any, incomplete: str) -> list[str]:
    """Completion for a node id: ``S9`` from the maps chosen with -M (else every map), or ``MAP:ID`` once a map
    id and a colon are typed."""
    from nos_cli.maps.catalog import _quick_id

    dirs = _maps_dirs(ctx)
    chosen = list(getattr(ctx, "params", {}).get("maps") or ())
    files = map_files(dirs)
    by_id: dict[str, Path] = {}
    for p in files:
        if (i := _quick_id(p)) is not None:
            by_id.setdefault(i, p)
    if ":" in incomplete:
        map_id, _, rest = incomplete.partition(":")
        path = by_id.get(map_id)
        return [f"{map_id}:{n}" for n in node_ids(path) if n.startswith(rest)] if path else []
    paths: Iterable[Path] = ([Path(m) if _looks_like_path(m) or m not in by_id else by_id[m] for m in chosen]
                             if chosen else by_id.values())
    found: dict[str, None] = {}
    for path in paths:
        for n in node_ids(path):
            if n.startswith(incomplete):
                found[n] = None
    return list(found)


def script_request(argv: Sequence[str]) -> int | None:
    """``nos --show-completion SHELL`` and ``nos --install-completion SHELL``: typer's own options take no
    value (they detect the shell), so a shell named after them is handled here; None when argv is not that."""
    if len(argv) != 2 or argv[0] not in ("--show-completion", "--install-completion"):
        return None
    shell = argv[1]
    if shell not in SHELLS:
        sys.stderr.write(f"nos: {argv[0]}: unknown shell {shell!r}; one of {', '.join(SHELLS)}\n")
        return 2
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script, install

    completion_init()
    if argv[0] == "--show-completion":
        sys.stdout.write(get_completion_script(prog_name="nos", complete_var="_NOS_COMPLETE", shell=shell) + "\n")
        return 0
    done, path = install(shell=shell, prog_name="nos", complete_var="_NOS_COMPLETE")
    sys.stdout.write(f"{done} completion installed in {path}\nCompletion will take effect once you restart the "
                     "terminal\n")
    return 0


def wants_completion() -> bool:
    return bool(os.environ.get("_NOS_COMPLETE"))

"""Choosing the indexed maps a command reads: by id or path, else every available map.

The one place that opens the index database for search, show and diff: a database that fails while being
brought up to date is thrown away and rebuilt once (with a warning), so a corrupt cache costs time, never
a wrong answer or a failed run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from nos_cli.errors import MapNotFoundError, NosError
from nos_cli.files.realpath import RealPaths
from nos_cli.maps.index import MapIndex
from nos_cli.maps.store import IndexCorrupt, Store

if TYPE_CHECKING:
    from nos_cli.maps.indexer import Progress


def select(refs: Iterable[str], maps_dirs: Iterable[str], *, use_cache: bool = True,
           progress: Progress | None = None) -> list[MapIndex]:
    refs, maps_dirs = list(refs), list(maps_dirs)
    store = Store.open(use_cache=use_cache)
    try:
        return _select(store, refs, maps_dirs, progress)
    except (sqlite3.DatabaseError, IndexCorrupt) as exc:
        if store.path is None:
            raise NosError(f"internal index failed: {exc}") from None
        if isinstance(exc, sqlite3.OperationalError):  # a full disk, an I/O error: answer without the cache
            return _select(Store.memory(), refs, maps_dirs, progress)
        store.reset(str(exc) if isinstance(exc, IndexCorrupt) else f"is corrupt ({exc})")
    try:
        return _select(Store.open(use_cache=use_cache), refs, maps_dirs, progress)
    except (sqlite3.DatabaseError, IndexCorrupt):
        return _select(Store.memory(), refs, maps_dirs, progress)


def _select(store: Store, refs: list[str], maps_dirs: list[str], progress: Progress | None) -> list[MapIndex]:
    from nos_cli.maps.catalog import Catalog, looks_like_path
    from nos_cli.maps.indexer import ensure

    known = store.file_rows() if store.path is not None else {}

    wanted = {r for r in refs if not (looks_like_path(r) or Path(r).is_file())}  # maps named by id
    catalog = Catalog.from_options((), maps_dirs) if wanted or not refs else None
    real = catalog.real if catalog is not None else RealPaths()  # one resolve per folder for the whole run

    def load(path: Path) -> MapIndex:
        return ensure(store, path, str(path), known, progress, real)

    by_id: dict[str, MapIndex] = {}
    if catalog is not None:
        for path in catalog.paths():
            index = load(path)
            by_id.setdefault(index.map_id, index)
            if wanted and wanted <= by_id.keys():
                break  # the first map of each id wins, so the maps after the last one asked for cannot matter
    if not refs:
        return list(by_id.values())
    out: list[MapIndex] = []
    for ref in refs:
        if looks_like_path(ref) or Path(ref).is_file():
            out.append(load(Path(ref)))
        elif ref in by_id:
            out.append(by_id[ref])
        else:
            raise MapNotFoundError(f"no map with id {ref!r}; available: {', '.join(sorted(by_id))}")
    return out


def close(indexes: Iterable[MapIndex]) -> None:
    """Close the databases behind some indexes (a command that ran in-process, as tests do, leaves none open)."""
    for store in {id(ix.store): ix.store for ix in indexes}.values():
        store.close()

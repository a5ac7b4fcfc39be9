"""``nos site``'s core: which maps and coverage matrices the site shows, and writing its files safely.

The pages themselves are built by :mod:`nos_cli.render.html_site`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nos_cli.errors import NosError

if TYPE_CHECKING:
    from nos_cli.coverage.matrix import Matrix
    from nos_cli.maps.catalog import Catalog
    from nos_cli.maps.graph import FunctionalMap


@dataclass(frozen=True)
class CoveragePage:
    """One mapping file's coverage of its map."""

    title: str
    source: str  # the mapping file as the user named it
    matrix: Matrix


@dataclass(frozen=True)
class SiteContent:
    maps: list[FunctionalMap]
    coverage: list[CoveragePage]


def collect(map_refs: Sequence[str], against: Sequence[Path], catalog: Catalog) -> SiteContent:
    """The maps asked for (every available map when none is named), plus the map of each mapping file, and
    each mapping file's coverage matrix. A bad map or mapping file raises NosError naming it."""
    from nos_cli.coverage.matrix import against_matrix
    from nos_cli.mapping.review import load_mapping

    maps = [catalog.get(ref) for ref in map_refs] if map_refs else catalog.all()
    pages = []
    for path in against:
        mapping = load_mapping(path)[1]
        fmap = catalog.for_mapping(mapping.map_id, path)  # an id, never a path (docs/security.md)
        if all(m.id != fmap.id for m in maps):
            maps.append(fmap)  # a coverage page links its map's page, so the map must be on the site
        pages.append(CoveragePage(mapping.title, str(path), against_matrix(fmap, [mapping])))
    unique: dict[str, FunctionalMap] = {}
    for m in maps:
        unique.setdefault(m.id, m)
    return SiteContent(list(unique.values()), pages)


def write_pages(out_dir: Path, pages: Mapping[str, str], *, force: bool = False) -> int:
    """Write every page under ``out_dir``, each file atomically. A folder that already holds anything needs
    ``force``: then the site's own files are replaced and nothing else in the folder is touched."""
    from nos_cli.files.write import write_atomic

    if out_dir.exists() and not out_dir.is_dir():
        raise NosError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise NosError(f"{out_dir}: the folder is not empty; use --force to write the site into it "
                       "(its own files are replaced, others kept)")
    try:
        for rel in pages:
            (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NosError(f"{out_dir}: cannot create the folder: {exc.strerror}") from None
    for rel, text in pages.items():
        target = out_dir / rel
        if target.is_dir():
            raise NosError(f"{target}: is a folder; nos site would write a file there")
        write_atomic(target, text)
    return len(pages)

"""Where maps come from: the bundled maps, folders the user names, and files given by path.

Search order, first match of an id wins (like PATH): files given with ``--map PATH``, folders given with
``--maps-dir``, folders in ``NOS_MAPS_PATH`` (``os.pathsep``-separated), then the bundled maps. A map is
chosen by id (``learning-mentor``) or by path (anything with a path separator or a .yaml/.yml ending).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nos_cli.errors import MapLoadError, MapNotFoundError, raise_first_error
from nos_cli.maps.load import DEFAULT_MAX_BYTES, Document, load_file

if TYPE_CHECKING:  # graph imports networkx (~140 ms); search must not pay for it
    from nos_cli.maps.graph import FunctionalMap

DEFAULT_MAP = "learning-mentor"
ENV_PATH = "NOS_MAPS_PATH"
ENV_MAX_SIZE = "NOS_MAX_FILE_SIZE"
YAML_SUFFIXES = (".yaml", ".yml")


def bundled_dir() -> Path:
    """The bundled maps: inside the installed package, or data/functional_maps/ in a source checkout."""
    here = Path(__file__).resolve().parent.parent  # the nos_cli package
    installed = here / "_maps"
    return installed if installed.is_dir() else here.parent / "data" / "functional_maps"


def max_bytes() -> int:
    raw = os.environ.get(ENV_MAX_SIZE, "")
    try:
        return int(raw) if raw else DEFAULT_MAX_BYTES
    except ValueError:
        raise MapLoadError(f"{ENV_MAX_SIZE}={raw!r} is not a number of bytes") from None


def yaml_files(folder: Path) -> list[Path]:
    """The map files directly in a folder, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())


def looks_like_path(ref: str) -> bool:
    return ref == "-" or os.sep in ref or "/" in ref or ref.endswith(YAML_SUFFIXES)


@dataclass
class Catalog:
    """The maps available to one command run."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    _loaded: dict[Path, FunctionalMap] = field(default_factory=dict, repr=False)

    @classmethod
    def from_options(cls, maps: Sequence[str] = (), maps_dirs: Sequence[str] = (),
                     env: dict[str, str] | None = None) -> Catalog:
        env = os.environ if env is None else env  # type: ignore[assignment]
        folders = [Path(d) for d in maps_dirs]
        folders += [Path(p) for p in env.get(ENV_PATH, "").split(os.pathsep) if p]  # type: ignore[union-attr]
        for folder in folders:
            if not folder.is_dir():
                raise MapLoadError(f"{folder}: not a folder of maps")
        folders.append(bundled_dir())
        return cls(files=[Path(m) for m in maps], folders=folders)

    def paths(self) -> list[Path]:
        """Every map file in search order, each once."""
        seen: set[Path] = set()
        out: list[Path] = []
        for p in [*self.files, *(f for d in self.folders for f in yaml_files(d))]:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                out.append(p)
        return out

    def all(self) -> list[FunctionalMap]:
        """Every available map, the first of each id (later maps with that id are shadowed)."""
        out: dict[str, FunctionalMap] = {}
        for p in self.paths():
            m = self.load(p)
            out.setdefault(m.id, m)
        return list(out.values())

    def get(self, ref: str | None = None) -> FunctionalMap:
        """A map by id or by path; the first ``--map`` file, else the default map, when ``ref`` is None."""
        if ref is None:
            if self.files:
                return self.load(self.files[0])
            ref = DEFAULT_MAP
        if looks_like_path(ref) or Path(ref).is_file():
            return self.load(Path(ref))
        for p in self.paths():
            quick = _quick_id(p)
            if quick not in (ref, None):
                continue
            try:
                m = self.load(p)
            except MapLoadError:
                if quick is None:
                    continue  # not a map we could name by id (a mapping file, a broken file): keep looking
                raise
            if m.id == ref:
                return m
        known = ", ".join(sorted(m.id for m in self.all()))
        raise MapNotFoundError(f"no map with id {ref!r}; available: {known}")

    def load(self, path: Path) -> FunctionalMap:
        key = path.resolve() if path != Path("-") else path
        if key not in self._loaded:
            self._loaded[key] = load_map(path)
        return self._loaded[key]


def _quick_id(path: Path) -> str | None:
    """The id a map file declares, read from its first lines without parsing YAML (None if not found there).

    Finding a map by id then parses only that file, not every map on the search path."""
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            for _, line in zip(range(60), fh, strict=False):
                if line.startswith("id:"):
                    return line[3:].split("#", 1)[0].strip().strip("'\"") or None
    except OSError:
        return None
    return None


def load_map(path: Path) -> FunctionalMap:
    """Load, check and build one map; a map that is not fit to use raises :class:`MapLoadError` (exit 2)
    naming the file, line and column of its first error."""
    from nos_cli.maps.build import build

    return build(load_checked(path))


def load_checked(path: Path, data: bytes | None = None) -> Document:
    """Load a map file and check its structure; raise :class:`MapLoadError` naming the first error. ``data``
    is the file's bytes when the caller has read them already (the index hashes exactly what was parsed)."""
    from nos_cli.maps.format import check_structure

    if data is not None:
        from nos_cli.maps.load import load_bytes

        doc: Document = load_bytes(data, str(path), max_bytes=max_bytes())
    elif str(path) == "-":
        import sys

        from nos_cli.maps.load import load_bytes

        doc = load_bytes(sys.stdin.buffer.read(), "<stdin>", max_bytes=max_bytes())
    else:
        doc = load_file(path, max_bytes=max_bytes())
    raise_first_error(doc.problems, hint=f"; run nos validate {path}")
    if doc.data is not None:
        raise_first_error(check_structure(doc), hint=f"; run nos validate {path}")
    return doc

"""Where maps come from: the bundled maps, folders the user names, and files given by path.

Search order, first match of an id wins (like PATH): files given with ``--map PATH``, folders given with
``--maps-dir``, folders in ``NOS_MAPS_PATH`` (``os.pathsep``-separated), then the bundled maps. A map is
chosen by id (``learning-mentor``) or by path (anything with a path separator or a .yaml/.yml ending).

A mapping file's ``map:`` is an id, never a path, and it is resolved in the mapping's own project first
(:meth:`Catalog.for_mapping`): the maps of this run, then the ``maps-dirs`` of the project settings found
from the mapping's folder (:mod:`nos_cli.project`), then ``NOS_MAPS_PATH``, then the bundled maps. So one
mapping gets the same map from ``validate``, ``mapping review`` and ``matrix --against``, wherever they run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nos_cli.errors import MapLoadError, MapNotFoundError, NosError, raise_first_error
from nos_cli.files.realpath import RealPaths
from nos_cli.maps.load import DEFAULT_MAX_BYTES, Document, load_file
from nos_cli.textsafe import shown

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
        value = int(raw) if raw else DEFAULT_MAX_BYTES
    except ValueError:
        value = 0
    if value < 1:  # 0 or less would refuse every file, with a message about the file rather than the setting
        raise MapLoadError(f"{ENV_MAX_SIZE}={raw!r} is not a number of bytes (1 or more)") from None
    return value


def yaml_files(folder: Path, real: RealPaths | None = None) -> list[Path]:
    """The map files directly in a folder, sorted by name: regular files, and symlinks only when they stay
    inside the folder (``maps/e.yaml -> /proc/self/environ`` is not a map someone put there, and loading it
    would quote its bytes in an error message: see docs/security.md). A folder that cannot be listed is an
    error (exit 2), never an empty folder. ``real`` learns each file's resolved path on the way (the folder's
    real path and the name, for an entry that is no link), so keying the files costs no further walks."""
    from nos_cli.files.read import scan_folder

    try:
        entries = scan_folder(folder)
    except NosError as exc:
        raise MapLoadError(exc.message) from None
    real = real if real is not None else RealPaths()
    root = real.folder(folder)
    found = []
    for entry in entries:
        p = folder / entry.name
        try:
            # is_file follows a link (FIFOs and devices are skipped); the entry's type needs no system call
            if p.suffix not in YAML_SUFFIXES or not entry.is_file():
                continue
            if entry.is_symlink():
                if not real(p).is_relative_to(root):
                    continue
            else:
                real.note(p, root / entry.name)
        except (OSError, RuntimeError):  # a dangling or looping link
            continue
        found.append(p)
    return found


def looks_like_path(ref: str) -> bool:
    return ref == "-" or os.sep in ref or "/" in ref or ref.endswith(YAML_SUFFIXES)


def is_path_ref(ref: str) -> bool:
    """Whether a map reference (``-M``, ``[MAP]``, ``MAP:ID``) names a file rather than an id: it looks like a
    path, or a file of that name exists here (a bare ``mymap`` file beside the user)."""
    return looks_like_path(ref) or (Path(ref).exists() and not Path(ref).is_dir())


@dataclass
class Catalog:
    """The maps available to one command run."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    #: How many of ``folders`` (from the front) the command line gave (``--maps-dir``); the rest came from
    #: NOS_MAPS_PATH and the bundled maps.
    cli_folders: int = 0
    #: The ``--map`` values as given, ids and paths in order: the first is the map of a one-map command.
    refs: list[str] = field(default_factory=list)
    _loaded: dict[Path, FunctionalMap] = field(default_factory=dict, repr=False)
    # Files that are not usable maps (mappings checked in the same run, broken maps): one id lookup per
    # mapping must not load each of them again.
    _failed: dict[Path, MapLoadError] = field(default_factory=dict, repr=False)
    #: Resolved paths for this run: each folder is walked once, not once per file (nos_cli.files.realpath).
    real: RealPaths = field(default_factory=RealPaths, repr=False)
    _listed: dict[Path, list[Path]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_options(cls, maps: Sequence[str] = (), maps_dirs: Sequence[str] = (),
                     env: dict[str, str] | None = None) -> Catalog:
        env = os.environ if env is None else env  # type: ignore[assignment]
        folders = [Path(d) for d in maps_dirs]
        folders += [Path(p) for p in env.get(ENV_PATH, "").split(os.pathsep) if p]  # type: ignore[union-attr]
        # -M takes an id or a path, as [MAP] does: paths join the search path in front, ids must name a map on it
        made = cls(files=[Path(m) for m in maps if is_path_ref(m)], folders=[*folders, bundled_dir()],
                   cli_folders=len(maps_dirs), refs=list(maps))
        for folder in folders:
            if not folder.is_dir():
                raise MapLoadError(f"{folder}: not a folder of maps")
            made.yaml_files(folder)  # an unreadable folder is reported now, not silently found empty later
        for ref in maps:
            if not is_path_ref(ref):
                made.get(ref)  # an unknown id fails now (exit 2, the ids on offer), never silently later
        return made

    def user_folders(self) -> list[Path]:
        """The folders the user named (--maps-dir, NOS_MAPS_PATH), else the bundled maps' folder."""
        return self.folders[:-1] or self.folders

    def yaml_files(self, folder: Path) -> list[Path]:
        """:func:`yaml_files` of a folder, listed once a run."""
        if folder not in self._listed:
            self._listed[folder] = yaml_files(folder, self.real)
        return self._listed[folder]

    def paths(self) -> list[Path]:
        """Every map file in search order, each once."""
        return _unique([*self.files, *(f for d in self.folders for f in self.yaml_files(d))], self.real)

    def for_mapping(self, map_id: str, mapping_path: str | Path) -> FunctionalMap:
        """The map a mapping file names, by id only (a ``map:`` value is never opened as a path): the maps of
        this run (``--map`` files, files checked together, ``--maps-dir``; those inside the project's
        ``maps-dirs`` first), then the ``maps-dirs`` of the project settings nearest the mapping, then
        ``NOS_MAPS_PATH``, then the bundled maps."""
        from nos_cli.project import settings_for

        project = [] if str(mapping_path) in ("-", "<stdin>") else list(settings_for(mapping_path).maps_dirs)
        folders = [*self.folders[:self.cli_folders], *project, *self.folders[self.cli_folders:]]
        # Of the run's files, those in the project's maps folders come first: a run over the whole repository
        # (pre-commit --all-files) then picks the map a run over the mapping alone (--files) picks, even when
        # an older copy with the same id sits elsewhere in the repository.
        homes = [self.real.folder(d) for d in project]
        own = [f for f in self.files if any(self.real(f).is_relative_to(h) for h in homes)]
        order = _unique([*own, *self.files, *(f for d in folders for f in self.yaml_files(d))], self.real)
        found = self._find_id(map_id, order)
        if found is None:
            known = sorted({m.id for m in (self._try_load(p) for p in order) if m is not None})
            raise MapNotFoundError(f"no map with id {shown(repr(map_id))}; available: {', '.join(known)}")
        return found

    def _try_load(self, path: Path) -> FunctionalMap | None:
        try:
            return self.load(path)
        except MapLoadError:
            return None

    def all(self) -> list[FunctionalMap]:
        """Every available map, the first of each id (later maps with that id are shadowed)."""
        out: dict[str, FunctionalMap] = {}
        for p in self.paths():
            m = self.load(p)
            out.setdefault(m.id, m)
        return list(out.values())

    def get(self, ref: str | None = None) -> FunctionalMap:
        """A map by id or by path; the first ``--map`` (id or file), else the default map, when ``ref`` is None."""
        if ref is None:
            if self.files and not self.refs:  # a catalog made without from_options
                return self.load(self.files[0])
            ref = self.refs[0] if self.refs else DEFAULT_MAP
        if is_path_ref(ref):
            return self.load(Path(ref))  # a FIFO or device named here is refused by the loader, never read
        found = self._find_id(ref, self.paths())
        if found is not None:
            return found
        # the ids on offer: a broken file on the path is left out, never quoted
        known = ", ".join(sorted({m.id for m in (self._try_load(p) for p in self.paths()) if m is not None}))
        raise MapNotFoundError(f"no map with id {shown(repr(ref))}; available: {known}")

    def _find_id(self, ref: str, paths: Sequence[Path]) -> FunctionalMap | None:
        for p in paths:
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
        return None

    def load(self, path: Path) -> FunctionalMap:
        key = self.real(path) if path != Path("-") else path
        if key in self._failed:
            raise self._failed[key]
        if key not in self._loaded:
            try:
                self._loaded[key] = load_map(path)
            except MapLoadError as exc:
                self._failed[key] = exc
                raise
        return self._loaded[key]


def _unique(paths: Sequence[Path], real: RealPaths) -> list[Path]:
    seen: set[Path] = set()
    out: list[Path] = []
    for p in paths:
        key = real(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _quick_id(path: Path) -> str | None:
    """The id a map file declares, read from its first lines without parsing YAML (None if not found there).

    Finding a map by id then parses only that file, not every map on the search path."""
    from nos_cli.files.read import read_head

    try:  # through the safe reader: a FIFO given with --map must not hang the search by id
        head = read_head(path, 65536)  # 60 lines of any sane map
    except NosError:
        return None
    for line in head.decode("utf-8", "replace").splitlines()[:60]:
        if line.startswith("id:"):
            return line[3:].split("#", 1)[0].strip().strip("'\"") or None
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
    else:
        doc = load_file(path, max_bytes=max_bytes())  # "-" is standard input, read up to the cap
    raise_first_error(doc.problems, hint=f"; run nos validate {path}")
    if doc.data is not None:
        raise_first_error(check_structure(doc), hint=f"; run nos validate {path}")
    return doc


def shown_path(path: str | Path) -> str:
    """How messages name a map file: relative to the current folder when inside it, and the bundled maps as
    ``bundled:NAME`` (their absolute place inside the installed package means nothing to a reader)."""
    p = Path(path)
    try:
        if p.resolve().parent == bundled_dir().resolve():
            return f"bundled:{p.name}"
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)

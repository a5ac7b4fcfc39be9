"""``nos validate``: run the rules over files and folders, returning results as data.

Every problem of every file is kept, in a stable order (path, line, column, rule). A file that cannot be read
at all, or a path that does not exist, is not a problem in a file: it stops the run with exit code 2, because
CI must not mistake "could not check" for "checked, problems found". Which files a folder holds is decided
by :mod:`nos_cli.rules.walk`; the rules that apply to a file by the command line, the project settings
nearest the file (:mod:`nos_cli.project`) and the file's own ``# nos: disable`` comments
(:mod:`nos_cli.rules.suppression`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nos_cli.errors import MapLoadError, NosError
from nos_cli.maps.load import DEFAULT_MAX_BYTES, Document, load_bytes, load_input, read_map_input
from nos_cli.model import Level, Problem
from nos_cli.rules.walk import STDIN, FileList, Skipped
from nos_cli.rules.walk import collect as collect_files

MARKERS = ("nos_map", "nos_mapping")
#: Top-level keys that say "this was meant to be a map or mapping" even without its marker.
_NOS_KEYS = {"key_areas", "ksbs", "key_purpose", "items"}


@dataclass
class FileResult:
    path: str
    kind: str  # "map", "mapping", "other" (YAML that is not nos's) or "unknown" (did not load far enough)
    problems: list[Problem] = field(default_factory=list)
    map_file: str | None = None  # for a mapping: the map file its links were checked against
    #: The lines the problems point at, as read (for the text format's echo); empty for a file not read.
    lines: dict[int, str] = field(default_factory=dict, repr=False)

    def count(self, level: Level) -> int:
        return sum(1 for p in self.problems if p.level is level)


@dataclass
class ValidationResult:
    files: list[FileResult]
    rules_disabled: tuple[str, ...] = ()
    strict: bool = False
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    def count(self, level: Level) -> int:
        return sum(f.count(level) for f in self.files)

    def failed(self, *, strict: bool | None = None) -> bool:
        """True when the run should exit 1: an error, or under --strict a warning."""
        strict = self.strict if strict is None else strict
        return self.count(Level.ERROR) > 0 or (strict and self.count(Level.WARNING) > 0)

    def file_fails(self, f: FileResult) -> bool:
        """True when this file's problems alone would fail the run."""
        return f.count(Level.ERROR) > 0 or (self.strict and f.count(Level.WARNING) > 0)


def default_paths(maps_dirs: Sequence[str], settings: Any) -> list[str]:
    """What ``nos validate`` checks when no path is given: the project's ``paths`` setting (unless --maps-dir says
    otherwise), else the --maps-dir and NOS_MAPS_PATH folders, else the bundled maps."""
    from pathlib import Path

    from nos_cli.maps.catalog import Catalog

    if settings.paths and not maps_dirs:
        cwd = Path.cwd()
        # named as problems should name them: relative to the current folder when inside it
        return [str(p.relative_to(cwd)) if p.is_relative_to(cwd) else str(p) for p in settings.paths]
    return [str(f) for f in Catalog.from_options((), maps_dirs).user_folders()]


def ci_format(fmt: str, environ: Mapping[str, str]) -> str:
    """``--format auto``: GitHub's annotations under GitHub Actions, else text."""
    if fmt != "auto":
        return fmt
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def collect(paths: Sequence[str], *, force_exclude: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> FileList:
    """The files to check (see :mod:`nos_cli.rules.walk`) and those passed over, with why."""
    return collect_files(list(paths), force_exclude=force_exclude, max_bytes=max_bytes)


def validate_files(paths: Iterable[str], *, disabled: Iterable[str] = (), max_bytes: int = DEFAULT_MAX_BYTES,
             stdin: bytes | None = None, maps_dirs: Sequence[str] = (), strict: bool = False,
             on_file: Callable[[int, str], None] | None = None) -> ValidationResult:
    """Check every file. A mapping file finds the map it names among the map files of this run, then its
    project's maps, then the others (:meth:`Catalog.for_mapping`), so ``nos validate maps/ mappings/`` checks
    both against each other. ``on_file(n, path)`` is called before each file (for a progress display)."""
    paths = list(paths)
    off = tuple(sorted(set(disabled)))
    finder = _MapFinder([p for p in paths if p != STDIN], maps_dirs)
    results = []
    for n, p in enumerate(paths):
        if on_file is not None:
            on_file(n, p)
        results.append(check_file(p, disabled=set(off), max_bytes=max_bytes, stdin=stdin, find_map=finder,
                                  strict=strict))
    return ValidationResult(results, off, strict)


class _MapFinder:
    """Finds the map a mapping names; a map that is missing or broken is None (reported there)."""

    def __init__(self, files: list[str], maps_dirs: Sequence[str]) -> None:
        self.files = files
        self.maps_dirs = maps_dirs
        self.catalog: Any = None
        #: Why the last map was not found, when its file exists but does not load (said in the problem).
        self.broken: str | None = None

    def __call__(self, map_id: str, mapping_path: str) -> Any:
        from nos_cli.maps.catalog import Catalog

        if self.catalog is None:
            self.catalog = Catalog.from_options(self.files, self.maps_dirs)
        self.broken = None
        try:
            return self.catalog.for_mapping(map_id, mapping_path)
        except MapLoadError as exc:
            self.broken = exc.message
            return None
        except NosError:
            return None


def check_file(path: str, *, disabled: set[str], max_bytes: int, stdin: bytes | None = None,
               find_map: Callable[[str, str], Any] | None = None, strict: bool = False) -> FileResult:
    from nos_cli.project import settings_for
    from nos_cli.rules import REGISTRY, suppression

    if path == STDIN and stdin is not None:
        data: bytes | None = stdin
        doc = load_bytes(stdin, "<stdin>", max_bytes=max_bytes)
    else:
        # Through the one reader: special files refused, standard input ("-") read only up to the cap.
        got = read_map_input(path, max_bytes=max_bytes)
        data = None if got.over else got.data  # over the limit: reported from its size, not read
        doc = load_input(got, max_bytes=max_bytes)
    settings = settings_for(Path.cwd()) if path == STDIN else settings_for(path)
    result = FileResult(doc.path, _kind(doc), list(doc.problems))
    if result.kind == "other":
        result.problems.append(Problem(doc.path, 1, 1, "required", Level.ERROR,
                                       "not a nos map or mapping: no top-level nos_map: or nos_mapping: key "
                                       "(folders and --force-exclude pass such files over)"))
    elif doc.data is not None:
        map_files: list[str] = []

        def find(map_id: str) -> Any:
            fmap = find_map(map_id, path) if find_map is not None else None
            if fmap is not None:
                map_files.append(fmap.info.path)
            return fmap

        result.problems.extend(_check_document(doc, result.kind, find))
        result.map_file = map_files[0] if map_files else None
        broken = getattr(find_map, "broken", None)
        if broken:  # the map is there but does not load: say why, not "no such map"
            result.problems = [Problem(p.path, p.line, p.column, p.rule, p.level, f"the map does not load: {broken}")
                               if p.rule == "mapping-unknown-map" else p for p in result.problems]
    active = [r for r in REGISTRY if r not in disabled and not settings.rule_off(r)]
    on = set(active)
    problems = [p for p in result.problems if p.rule in on or p.rule not in REGISTRY]
    directives = suppression.parse(data or b"")
    if directives:
        problems = suppression.apply(doc.path, problems, directives, known=REGISTRY, active=active,
                                     report_unused=strict)
        problems = [p for p in problems if p.rule in on]
    result.problems = sorted(problems, key=Problem.sort_key)
    if data is not None:
        result.lines = source_lines(data, {p.line for p in result.problems})
    return result


def source_lines(data: bytes, wanted: set[int]) -> dict[int, str]:
    """The lines problems point at, from the very bytes that were checked (the text output echoes them):
    never from a second read of a path, which could by then be another file. Each is cut at 100,000
    characters; showing them safely is the renderer's job."""
    found: dict[int, str] = {}
    if not wanted:
        return found
    last = max(wanted)
    for n, raw in enumerate(data.split(b"\n", last)[:last], 1):
        if n in wanted:
            line = raw[:400_000].decode("utf-8", errors="replace").rstrip("\r")[:100_000]
            found[n] = line.removeprefix("\ufeff") if n == 1 else line
    return found


def _kind(doc: Document) -> str:
    from nos_cli.mapping.file import is_mapping

    if not isinstance(doc.data, dict):
        return "unknown"
    if not any(k in doc.data for k in MARKERS) and not _NOS_KEYS & set(map(str, doc.data)):
        return "other"
    return "mapping" if is_mapping(doc.data) else "map"


def _check_document(doc: Document, kind: str, find_map: Callable[[str], Any]) -> list[Problem]:
    """The document's structure, then every rule for its kind and for any document, on one context."""
    from nos_cli.mapping import file as mapping
    from nos_cli.maps.format import check_structure, check_tree
    from nos_cli.rules import ANY_RULES, MAP_RULES, MAPPING_RULES
    from nos_cli.rules.base import Context, MapContext, MappingContext

    ctx: Context
    if kind == "mapping":  # a curriculum mapping file: checked against the map it names
        problems = list(check_tree(doc, mapping.OBJECTS, "mapping"))
        wrong_version = mapping.version_problems(doc)
        if wrong_version:
            return wrong_version
        ctx = MappingContext(doc, find_map)
        rules = (*MAPPING_RULES, *ANY_RULES)
    else:
        problems = list(check_structure(doc))
        if any(p.rule == "format-version" for p in problems):
            return problems  # a map of another version: its contents are not ours to judge
        ctx = MapContext(doc)
        rules = (*MAP_RULES, *ANY_RULES)
    for rule in rules:
        if rule.check is not None:
            problems.extend(rule.check(ctx))
    return problems

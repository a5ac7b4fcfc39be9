"""``nos validate``: run the rules over files and folders, returning results as data.

Every problem of every file is kept, in a stable order (path, line, column, rule). A file that cannot be read
at all, or a path that does not exist, is not a problem in a file: it stops the run with exit code 2, because
CI must not mistake "could not check" for "checked, problems found".
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nos_cli.errors import NosError
from nos_cli.maps.catalog import YAML_SUFFIXES
from nos_cli.maps.load import DEFAULT_MAX_BYTES, Document, load_bytes, read_file
from nos_cli.model import Level, Problem

STDIN = "-"


@dataclass
class FileResult:
    path: str
    kind: str  # "map", "mapping" or "unknown" (did not load far enough to tell)
    problems: list[Problem] = field(default_factory=list)
    #: The lines the problems point at, as read (for the text format's echo); empty for a file not read.
    lines: dict[int, str] = field(default_factory=dict, repr=False)

    def count(self, level: Level) -> int:
        return sum(1 for p in self.problems if p.level is level)


@dataclass
class ValidationResult:
    files: list[FileResult]
    rules_disabled: tuple[str, ...] = ()

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    def count(self, level: Level) -> int:
        return sum(f.count(level) for f in self.files)

    def failed(self, *, strict: bool) -> bool:
        """True when the run should exit 1: an error, or under --strict a warning."""
        return self.count(Level.ERROR) > 0 or (strict and self.count(Level.WARNING) > 0)


def collect(paths: Sequence[str]) -> list[str]:
    """The files to check: files as given, folders searched recursively for *.yaml and *.yml (sorted), ``-``
    for standard input. A path that does not exist stops the run (exit 2)."""
    out: list[str] = []
    for raw in paths:
        if raw == STDIN:
            out.append(STDIN)
            continue
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix in YAML_SUFFIXES and f.is_file()
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            out.extend(str(f) for f in found)
        elif p.exists():
            out.append(raw)
        else:
            raise NosError(f"{raw}: no such file or folder")
    return out


def validate(paths: Iterable[str], *, disabled: Iterable[str] = (), max_bytes: int = DEFAULT_MAX_BYTES,
             stdin: bytes | None = None, maps_dirs: Sequence[str] = ()) -> ValidationResult:
    """Check every file. Mapping files find the map they name among the available maps and the files of
    this run, so ``nos validate maps/ mappings/`` checks both against each other."""
    paths = list(paths)
    off = tuple(sorted(set(disabled)))
    finder = _MapFinder([p for p in paths if p != STDIN], maps_dirs)
    results = [check_file(p, disabled=set(off), max_bytes=max_bytes, stdin=stdin, find_map=finder)
               for p in paths]
    return ValidationResult(results, off)


class _MapFinder:
    """Finds a map by id for mapping checks; a map that is missing or broken is None (reported there)."""

    def __init__(self, files: list[str], maps_dirs: Sequence[str]) -> None:
        self.files = files
        self.maps_dirs = maps_dirs
        self.catalog: Any = None

    def __call__(self, map_id: str) -> Any:
        from nos_cli.maps.catalog import Catalog

        if self.catalog is None:
            self.catalog = Catalog.from_options(self.files, self.maps_dirs)
        try:
            return self.catalog.by_id(map_id)  # a mapping's map: is an id, never a path
        except NosError:
            return None


def check_file(path: str, *, disabled: set[str], max_bytes: int, stdin: bytes | None = None,
               find_map: Callable[[str], Any] | None = None) -> FileResult:
    got: bytes | Document
    if path == STDIN:
        got = stdin if stdin is not None else sys.stdin.buffer.read()
        doc = load_bytes(got, "<stdin>", max_bytes=max_bytes)
    else:
        got = read_file(path, max_bytes=max_bytes)  # raises MapLoadError (exit 2) if unreadable
        doc = got if isinstance(got, Document) else load_bytes(got, path, max_bytes=max_bytes)
    result = FileResult(doc.path, _kind(doc), list(doc.problems))
    if doc.data is not None:
        result.problems.extend(_check_document(doc, result.kind, find_map or (lambda _id: None)))
    result.problems = sorted((p for p in result.problems if p.rule not in disabled), key=Problem.sort_key)
    if isinstance(got, bytes):
        result.lines = source_lines(got, {p.line for p in result.problems})
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
    return "mapping" if is_mapping(doc.data) else "map"


def _check_document(doc: Document, kind: str, find_map: Callable[[str], Any]) -> list[Problem]:
    from nos_cli.maps.format import check_structure
    from nos_cli.rules import MAP_RULES
    from nos_cli.rules.base import MapContext

    if kind == "mapping":
        return _check_mapping(doc, find_map)
    problems = list(check_structure(doc))
    if any(p.rule == "format-version" for p in problems):
        return problems  # a map of another version: its contents are not ours to judge
    ctx = MapContext(doc)
    for rule in MAP_RULES:
        if rule.check is not None:
            problems.extend(rule.check(ctx))
    return problems


def _check_mapping(doc: Document, find_map: Callable[[str], Any]) -> list[Problem]:
    """Mapping files (curriculum to KSB): their own structure, then their links against the map they name."""
    from nos_cli.mapping import file as mapping
    from nos_cli.maps.format import check_tree
    from nos_cli.rules import control_chars, mapping_links

    problems = list(check_tree(doc, mapping.OBJECTS, "mapping"))
    version = doc.data.get(mapping.FORMAT_KEY)
    if version is not None and version != mapping.FORMAT_VERSION:
        return [doc.problem((mapping.FORMAT_KEY,), "format-version", Level.ERROR,
                            f"mapping format version {version!r} is not supported; this nos reads version 1")]
    problems.extend(mapping_links.check(doc, find_map))
    problems.extend(control_chars.check_document(doc))
    return problems

"""``nos validate``: run the rules over files and folders, returning results as data.

Every problem of every file is kept, in a stable order (path, line, column, rule). A file that cannot be read
at all, or a path that does not exist, is not a problem in a file: it stops the run with exit code 2, because
CI must not mistake "could not check" for "checked, problems found".
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nos_cli.catalog import YAML_SUFFIXES
from nos_cli.errors import NosError
from nos_cli.loader import DEFAULT_MAX_BYTES, Document, load_bytes, load_file
from nos_cli.model import Level, Problem

STDIN = "-"


@dataclass
class FileResult:
    path: str
    kind: str  # "map", "mapping" or "unknown" (did not load far enough to tell)
    problems: list[Problem] = field(default_factory=list)

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
             stdin: bytes | None = None) -> ValidationResult:
    off = tuple(sorted(set(disabled)))
    results = [check_file(p, disabled=set(off), max_bytes=max_bytes, stdin=stdin) for p in paths]
    return ValidationResult(results, off)


def check_file(path: str, *, disabled: set[str], max_bytes: int, stdin: bytes | None = None) -> FileResult:
    if path == STDIN:
        data = stdin if stdin is not None else sys.stdin.buffer.read()
        doc = load_bytes(data, "<stdin>", max_bytes=max_bytes)
    else:
        doc = load_file(path, max_bytes=max_bytes)  # raises MapLoadError (exit 2) if unreadable
    result = FileResult(doc.path, _kind(doc), list(doc.problems))
    if doc.data is not None:
        result.problems.extend(_check_document(doc, result.kind))
    result.problems = sorted((p for p in result.problems if p.rule not in disabled), key=Problem.sort_key)
    return result


def _kind(doc: Document) -> str:
    data = doc.data
    if not isinstance(data, dict):
        return "unknown"
    if "items" in data and "nos_map" not in data:
        return "mapping"
    return "map"


def _check_document(doc: Document, kind: str) -> list[Problem]:
    from nos_cli.rules import MAP_RULES
    from nos_cli.rules.base import MapContext
    from nos_cli.schema import check_structure

    if kind == "mapping":
        return _check_mapping(doc)
    problems = list(check_structure(doc))
    if any(p.rule == "format-version" for p in problems):
        return problems  # a map of another version: its contents are not ours to judge
    ctx = MapContext(doc)
    for rule in MAP_RULES:
        if rule.check is not None:
            problems.extend(rule.check(ctx))
    return problems


def _check_mapping(doc: Document) -> list[Problem]:
    """Mapping files (curriculum to KSB) are checked against the map they name."""
    return [doc.problem((), "mapping-file", Level.INFO, "a mapping file: its links are not checked yet")]

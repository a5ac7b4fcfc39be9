"""``nos import ifate`` as one core call: read the JSON, convert each chosen standard, write its map file.

The command line only parses options, calls :func:`import_standards` and prints the :class:`ImportResult`;
the result says what was written (with counts and notes), what was skipped and why, and which elements of
the array were not standards at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nos_cli.errors import NosError


@dataclass(frozen=True)
class Written:
    path: str
    counts: dict[str, int]
    notes: tuple[str, ...] = ()  # what the conversion noticed (placeholder duties, unknown KSB ids, ...)
    write_notes: tuple[str, ...] = ()  # what the write noticed (a link replaced, ...)


@dataclass
class ImportResult:
    out_dir: str
    written: list[Written] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "what (why)", one a line
    created_dir: bool = False

    @property
    def complete(self) -> bool:
        return not self.skipped


def out_folder(out_dir: Path) -> bool:
    """Make sure ``out_dir`` is a folder, creating it and its parents as ``mkdir -p`` does; True when made."""
    if out_dir.is_dir():
        return False
    if out_dir.exists() or out_dir.is_symlink():
        raise NosError(f"{out_dir}: not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NosError(f"{out_dir}: cannot create the folder ({exc.strerror or exc})") from None
    return True


def import_standards(source: str, out_dir: Path, *, force: bool = False, wanted: Sequence[str] = (),
                     on_start: Callable[[int, int, str], None] | None = None) -> ImportResult:
    """Import the standards of ``source`` (a file, or ``-`` for standard input) into ``out_dir``.

    ``wanted`` keeps only those standards (ST0148) or versions (st0148-v1-0); ``on_start(n, total, name)`` is
    called as standard ``n`` (0-based) starts, for a progress display. One standard's bad field or an existing
    file skips that standard only; a failed write stops the import with a :class:`NosError` that lists what
    was written and what was not (the files written stay whole: each write is atomic)."""
    from nos_cli.files.write import write_atomic
    from nos_cli.interop.ifate import BadStandard, convert, map_id_of, read_json, select, standards_and_others

    found, others = standards_and_others(read_json(source))
    chosen = select(found, list(wanted))
    if not chosen:
        raise NosError(f"{source}: no standard matches {', '.join(wanted)}")
    result = ImportResult(str(out_dir))
    if not wanted:  # with --standard the user named what to import: the rest of the array is not in question
        result.skipped += [f"{o} (not a standard)" for o in others]
    result.created_dir = out_folder(out_dir)
    seen: set[str] = set()
    for n, std in enumerate(chosen):
        if on_start is not None:
            on_start(n, len(chosen), map_id_of(std))
        try:
            converted = convert(std)
        except BadStandard as exc:  # one standard's bad field must not stop the others
            result.skipped.append(exc.message)
            continue
        target = out_dir / converted.filename
        if converted.map_id in seen:
            result.skipped.append(f"{target} (a second record for {converted.map_id} in the input)")
            continue
        seen.add(converted.map_id)
        if (target.exists() or target.is_symlink()) and not force:  # a dangling link too: it names a file
            result.skipped.append(f"{target} (exists; --force to overwrite)")
            continue
        try:
            write_notes = write_atomic(target, converted.text, force=force)
        except (OSError, NosError) as exc:
            left = [str(out_dir / f"{map_id_of(s)}.yaml") for s in chosen[n:]]
            raise NosError(f"writing {target} failed ({exc}); written: {len(result.written)}; not written: "
                           f"{', '.join(left)}") from None
        result.written.append(Written(str(target), converted.counts, tuple(converted.notes), tuple(write_notes)))
    return result

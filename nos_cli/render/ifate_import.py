"""The lines ``nos import ifate`` prints on stderr: each map written with its counts and notes, each thing
skipped with why, and a summary. Plain strings; the command passes each through ``say`` (shown())."""

from __future__ import annotations

from nos_cli.interop.ifate_import import ImportResult


def report(result: ImportResult, *, quiet: bool = False) -> list[str]:
    """Every line, or with ``quiet`` only the skips (they are why the exit code is 1)."""
    lines: list[str] = []
    if not quiet:
        if result.created_dir:
            lines.append(f"nos: created {result.out_dir}")
        for w in result.written:
            lines += [f"nos: {note}" for note in w.write_notes]
            c = w.counts
            lines.append(f"wrote {w.path}: {c['knowledge']} K, {c['skill']} S, {c['behaviour']} B, "
                         f"{c['duties']} duties")
            lines += [f"  note: {note}" for note in w.notes]
    lines += [f"skipped {s}" for s in result.skipped]
    if not quiet:
        lines.append(f"nos import: {len(result.written)} written, {len(result.skipped)} skipped")
    return lines

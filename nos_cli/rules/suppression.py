"""A ``# nos: disable=RULE`` comment that silences nothing, or names a rule nos does not have.

Problems can be silenced in the file itself, for one line or the whole file, as ruff's ``# noqa`` and
yamllint's ``# yamllint disable-line`` do:

- ``# nos: disable=RULE[,RULE]`` at the end of a line silences those rules on that line; on a line of its
  own it silences them on the next line (for a block text, put it before the key or after the ``>``).
- ``# nos: disable-file=RULE[,RULE]`` anywhere in the file silences those rules in the whole file.

A suppression that silenced nothing is reported under ``--strict`` (the problem it was for has gone, so the
comment should go too); one that names a rule nos does not have is always reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from nos_cli.model import Level, Problem
from nos_cli.rules.base import rule

# A YAML comment starts at the line start or after white space; "nos:" then the directive.
_DIRECTIVE = re.compile(rb"(?:^|(?<=[ \t]))#[ \t]*nos:[ \t]*(disable|disable-file)[ \t]*=[ \t]*"
                        rb"([A-Za-z0-9_-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_-]+)*)", re.M)


@dataclass
class Directive:
    line: int  # where the comment is
    column: int
    target: int | None  # the line it silences; None for the whole file
    rules: tuple[str, ...]
    used: set[str] = field(default_factory=set)


def parse(data: bytes) -> list[Directive]:
    """The directives in a file's bytes (UTF-8; any other encoding holds none nos can read)."""
    if b"nos:" not in data:
        return []  # the common case costs one scan of the bytes
    out = []
    line, counted = 1, 0  # lines are counted from the previous directive on, so many directives stay linear
    for m in _DIRECTIVE.finditer(data):
        start = data.rfind(b"\n", 0, m.start()) + 1
        line += data.count(b"\n", counted, m.start())
        counted = m.start()
        column = len(data[start:m.start()].decode("utf-8", errors="replace")) + 1
        alone = not data[start:m.start()].strip()
        rules = tuple(r.strip().decode() for r in m.group(2).split(b","))
        target = None if m.group(1) == b"disable-file" else line + 1 if alone else line
        out.append(Directive(line, column, target, rules))
    return out


def apply(path: str, problems: Iterable[Problem], directives: list[Directive], *, known: Iterable[str],
          report_unused: bool, active: Iterable[str]) -> list[Problem]:
    """The problems not silenced, plus ``unused-suppression`` problems for directives that silenced nothing
    (only when ``report_unused``, and only for rules that ran: ``active``) or name unknown rules."""
    by_line: dict[int | None, list[Directive]] = {}
    for d in directives:
        by_line.setdefault(d.target, []).append(d)
    kept = []
    for p in problems:
        near = [*by_line.get(p.line, ()), *by_line.get(None, ())]
        hit = next((d for d in near if p.rule in d.rules), None)
        if hit is None:
            kept.append(p)
        else:
            hit.used.add(p.rule)
    known_ids, ran = set(known), set(active)
    for d in directives:
        for r in d.rules:
            if r not in known_ids:
                kept.append(Problem(path, d.line, d.column, RULE.id, RULE.level,
                                    f"'nos: disable' names {r!r}, which is not a rule; see nos validate --list-rules"))
            elif report_unused and r in ran and r not in d.used:
                scope = "in this file" if d.target is None else f"on line {d.target}"
                kept.append(Problem(path, d.line, d.column, RULE.id, RULE.level,
                                    f"unused suppression: no {r} problem {scope}; remove {r} from the comment"))
    return kept


RULE = rule("unused-suppression", Level.WARNING,
            "a '# nos: disable' comment that silences nothing or names no rule", __doc__, target="any")

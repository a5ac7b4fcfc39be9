"""Which records can possibly match, from the index, before Python's ``re`` decides which do.

A literal pattern must occur in the text or the id of a match; a regular expression is reduced to the
literals every match must contain (as code search engines do: ``safe(guard|ty) polic(y|ies)`` needs
``safe`` and ``polic``). The index answers "which rows hold all of these, ignoring ASCII case": through the
word index when a literal has a word fragment few terms hold (nos_cli.maps.terms), else through SQLite's
``LIKE`` over FTS5's trigram tokenizer; either way a superset of the case-sensitive matches. For -i and
``(?i)``, rows holding one of the few characters Python folds onto ASCII letters and SQLite does not are
added, and literals outside ASCII are not used. Literals shorter than three characters cannot use trigrams.
When nothing is left to narrow by, the caller reads every row: the answer is the same, only slower.
"""

from __future__ import annotations

import re
from typing import Any

MIN_LITERAL = 3


def required_literals(pattern: str, *, regex: bool, ignore_case: bool) -> tuple[list[str], bool]:
    """(literals every match contains, whether matching ignores case)."""
    if not regex:
        return [pattern], ignore_case
    try:
        literals, folded = _regex_literals(pattern, re.IGNORECASE if ignore_case else 0)
    except Exception:  # a private parser's surprise only means no narrowing
        return [], ignore_case
    return literals, folded or ignore_case


def usable(literals: list[str], ignore_case: bool) -> list[str]:
    """What the index can look up: the runs of each literal between LIKE's wildcards (``%``, ``_``), three
    characters or more. Every run of a literal occurs where the literal does, so the rows found stay a
    superset; and SQLite 3.40's trigram LIKE crashes on a pattern mixing a wildcard with characters outside
    ASCII (found by fuzzing), so no pattern the index sees holds a wildcard."""
    # With -i, ' " and - also stand for their typographic forms (nos_cli.search.grep.PUNCT_FOLD), which the
    # index holds as they are: the runs between them still narrow.
    split = r"[%_'\"-]" if ignore_case else r"[%_]"
    runs = [run for lit in literals if "\x00" not in lit and not (ignore_case and not lit.isascii())
            for run in re.split(split, lit)]
    return [run for run in dict.fromkeys(runs) if len(run) >= MIN_LITERAL]


def _regex_literals(pattern: str, flags: int) -> tuple[list[str], bool]:
    try:
        import re._parser as sre  # type: ignore[import-not-found]  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as sre
    parsed = sre.parse(pattern, flags)
    folded = bool(parsed.state.flags & re.IGNORECASE)
    runs: list[str] = []
    current: list[str] = []

    def end() -> None:
        if current:
            runs.append("".join(current))
            current.clear()

    def walk(items: Any) -> None:
        nonlocal folded
        for op, arg in items:
            if op is sre.LITERAL:
                current.append(chr(arg))
            elif op is sre.SUBPATTERN:
                _group, add, _del, sub = arg
                if add & re.IGNORECASE:
                    folded = True
                walk(sub)  # a group's content is inline: a run goes on through it
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
                low, _high, sub = arg
                end()
                if low >= 1:  # the item occurs at least once, so its own runs are required
                    walk(sub)
                    end()
            elif op is sre.AT:
                continue  # an anchor consumes nothing
            else:
                end()  # a class, a branch, a wildcard, a lookaround: nothing certain here

    walk(parsed)
    end()
    return runs, folded

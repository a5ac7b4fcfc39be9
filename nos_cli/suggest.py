""""Did you mean ...?": one way to suggest close names for an unknown id, key, rule or word.

difflib (standard library) rather than rapidfuzz: suggestions appear only on an error path, and the same
cut-off everywhere means the same kind of typo is caught whatever was mistyped. Case is ignored in the
comparison and the candidates are returned as they are written.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

CUTOFF = 0.6
#: Short ids (S2, K11) differ from their neighbours by one character in two or three: a ratio of 0.5.
SHORT, SHORT_CUTOFF = 3, 0.5


def close_matches(word: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = CUTOFF) -> list[str]:
    """The candidates closest to ``word``, best first; never ``word`` itself."""
    by_folded: dict[str, str] = {}
    for c in candidates:
        by_folded.setdefault(c.casefold(), c)
    folded = word.casefold()
    if len(folded) <= SHORT:
        cutoff = min(cutoff, SHORT_CUTOFF)
    found = get_close_matches(folded, [c for c in by_folded if c != folded], n=limit, cutoff=cutoff)
    # An exact match but for case is the best suggestion of all (``s9`` for ``S9``).
    exact = [by_folded[folded]] if folded in by_folded and by_folded[folded] != word else []
    return (exact + [by_folded[f] for f in found])[:limit]


def did_you_mean(word: str, candidates: Iterable[str], *, limit: int = 1, cutoff: float = CUTOFF) -> str:
    """`` (did you mean 'x'?)`` for the closest candidates, or ``""`` when none is close."""
    close = close_matches(word, candidates, limit=limit, cutoff=cutoff)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""

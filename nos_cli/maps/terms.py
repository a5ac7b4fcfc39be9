"""The words of the index: node texts split into terms exactly as FTS5's ``ascii`` tokenizer splits them, and
the word fragment a search literal can be looked up by.

The trigram index answers any substring, but a word like ``safeguarding`` is made of trigrams that half the
corpus holds (``saf``, ``ing``), so its lookup reads huge lists. A word index (``words_fts``) holds each
term's rows instead, and a vocabulary of its terms (``terms``, trigram-indexed itself) tells which terms hold
a fragment: its cost follows the vocabulary, not the corpus. FTS5's own vocabulary table (``fts5vocab``)
cannot serve: reading it walks every row list of the index (0.35 s on a million statements), so nos keeps
the vocabulary itself, and needs the terms in Python while building.

The ``ascii`` tokenizer is used rather than ``unicode61`` because Python can split exactly as it does:
ASCII letters and digits and every non-ASCII character are term characters, the rest of ASCII separates,
and only ASCII letters are folded to lower case (working on UTF-8 bytes, as SQLite does). ``unicode61``
follows SQLite's own Unicode tables, which Python's differ from. tests/test_search_words.py holds the two
splits equal.

Why narrowing by a fragment is exact: an ASCII letter-and-digit run of a literal is made of term characters,
so wherever the literal occurs, the run lies inside one term of that text, and that term (folded) contains
the run folded. The rows whose terms contain the fragment are therefore a superset of the rows holding the
literal, ignoring ASCII case. FTS5 cuts a term at 32,768 bytes; texts long enough to hold such a term are
marked (``odd``, nos_cli.maps.index) and are always candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: FTS5 keeps the first this many bytes of a longer term (FTS5_MAX_TOKEN_SIZE).
MAX_TERM_BYTES = 32_768
#: A text of more characters than this may hold a term FTS5 cuts (4 bytes a character at most).
LONG_TEXT = MAX_TERM_BYTES // 4
#: Fragments (and so terms) shorter than this are not looked up: too many terms hold them.
MIN_FRAGMENT = 3

# ASCII letters fold to lower case; every other ASCII character but digits separates; bytes >= 0x80 stay.
_SPLIT = bytes(c + 32 if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122 or c >= 128) else 32
               for c in range(256))
_RUN = re.compile(r"[A-Za-z0-9]+", re.ASCII)


def terms(texts: Iterable[str]) -> set[str]:
    """The distinct terms of some texts as FTS5's ``ascii`` tokenizer makes them, of MIN_FRAGMENT characters or
    more (a shorter term cannot hold a fragment)."""
    found: set[bytes] = set()
    chunk: list[str] = []
    for text in texts:
        chunk.append(text)
        if len(chunk) == 4096:  # a few thousand texts at a time: one split's list stays small
            found.update(_split(chunk))
            chunk.clear()
    found.update(_split(chunk))
    return {raw.decode("utf-8", "surrogatepass") for raw in found if MIN_FRAGMENT <= len(raw) <= MAX_TERM_BYTES}


def _split(texts: list[str]) -> list[bytes]:
    return "\n".join(texts).encode("utf-8", "surrogatepass").translate(_SPLIT).split()


def fragment(literal: str) -> str | None:
    """The longest ASCII letter-and-digit run of a literal, folded, when it is MIN_FRAGMENT characters or more:
    every text holding the literal has a term that contains it."""
    runs = _RUN.findall(literal)
    best = max(runs, key=len, default="")
    return best.lower() if len(best) >= MIN_FRAGMENT else None

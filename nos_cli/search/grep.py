"""Search map texts the way grep does: literal by default, -i -w -x -E -F -v, or fuzzy with rapidfuzz.

Functions over the index database (:class:`~nos_cli.maps.index.MapIndex` views); results are :class:`Hit`
values. A record matches when the pattern matches its text or its id (so ``nos search S9`` finds S9). The
word and trigram indexes only narrow which records are read (nos_cli.search.narrow); Python's ``re`` decides,
so every flag keeps grep's meaning whether or not the index could help.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nos_cli.errors import NosError
from nos_cli.maps.index import MapIndex, Record
from nos_cli.maps.store import IndexCorrupt, fail
from nos_cli.model import KSB_KINDS, NODE_KINDS

if TYPE_CHECKING:
    from nos_cli.maps.indexer import Progress
    from nos_cli.maps.store import Store

#: A fuzzy match needs at least this rapidfuzz partial-ratio score (0-100) unless --threshold says otherwise.
DEFAULT_THRESHOLD = 80.0
Span = tuple[int, int]
#: With -i these read alike (one code point for one, so a match's offsets in the folded text are offsets in the
#: text): maps are typed in word processors, which turn ' into ’ and - into –, and users type ASCII.
PUNCT_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                            "\u2013": "-", "\u2014": "-"})


@dataclass(frozen=True)
class Query:
    pattern: str
    regex: bool = False
    fuzzy: bool = False
    ignore_case: bool = False
    word: bool = False
    whole: bool = False
    invert: bool = False
    threshold: float = DEFAULT_THRESHOLD
    kinds: frozenset[str] | None = None
    area: str | None = None
    max_count: int | None = None
    others: tuple[str, ...] = ()  # more patterns (-e, -f), OR'd with ``pattern`` as grep does
    nothing: bool = False  # -f of an empty file: no pattern at all, so nothing matches (as grep -f /dev/null)

    @property
    def patterns(self) -> tuple[str, ...]:
        return () if self.nothing else (self.pattern, *self.others)


@dataclass(frozen=True)
class Hit:
    map_id: str
    path: str
    id: str
    kind: str
    text: str
    line: int
    functions: tuple[str, ...]
    areas: tuple[str, ...]
    spans: tuple[Span, ...]  # where the pattern matched in the text (empty for -v, or an id-only match)
    id_matched: bool = False
    score: float | None = None  # fuzzy only
    id_spans: tuple[Span, ...] = ()  # where the pattern matched in the id, for -o


def expand_kinds(values: Iterable[str]) -> frozenset[str] | None:
    """``--kind`` values (repeatable, comma-separated; ``ksb`` means all three KSB kinds)."""
    out: set[str] = set()
    for value in values:
        for kind in (k.strip().lower() for k in value.split(",") if k.strip()):
            if kind in ("ksb", "ksbs"):
                out.update(KSB_KINDS)
            elif kind.rstrip("s") in NODE_KINDS:
                out.add(kind.rstrip("s"))
            elif kind in NODE_KINDS:
                out.add(kind)
            else:
                raise NosError(f"{kind!r} is not one of {', '.join(NODE_KINDS)}, ksb")
    return frozenset(out) or None


def compile_pattern(query: Query) -> re.Pattern[str]:
    """The regular expression for a literal or -E query, with -i, -w and -x applied."""
    patterns = [_folded(p, query) for p in query.patterns]
    body = "|".join(p if query.regex else re.escape(p) for p in patterns)
    if query.whole:
        body = rf"(?:{body})\Z"
    elif query.word:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    try:
        return re.compile(body, re.IGNORECASE if query.ignore_case else 0)
    except re.error as exc:
        where = f" at position {exc.pos + 1}" if exc.pos is not None else ""
        if len(patterns) > 1:  # which pattern is bad, and where in it
            for one in query.patterns:
                compile_pattern(Query(one, regex=query.regex, ignore_case=query.ignore_case))
        raise NosError(f"bad regular expression {query.pattern!r}{where}: {exc.msg}") from None


def _folded(text: str, query: Query) -> str:
    return text.translate(PUNCT_FOLD) if query.ignore_case else text


def search(indexes: Sequence[MapIndex], query: Query) -> Iterator[Hit]:
    """Every hit in map order, then record order; for --fuzzy, best score first."""
    if not query.patterns:
        return
    try:
        if query.fuzzy:
            yield from _limit(_fuzzy(indexes, query), query.max_count)
            return
        pattern = compile_pattern(query)
        found: Callable[[str], object] = pattern.match if query.whole else pattern.search
        simple = not (query.regex or query.ignore_case or query.word or query.whole or query.others)
        plain = query.pattern if simple else ""  # "" means: use the regex
        yield from _limit(_hits(indexes, query, pattern, found, plain), query.max_count)
    except (sqlite3.DatabaseError, IndexCorrupt) as exc:
        raise fail(indexes[0].store, exc) from None


def _rows(index: MapIndex, query: Query) -> Iterator[tuple[int, Record]]:
    """Every record of a map that passes --kind and --area."""
    for rid, rec in index.store.records(index.file_id, query.kinds):
        if query.area is None or query.area in rec[5]:
            yield rid, rec


#: Up to this many rows in the maps searched, they are read whole rather than narrowed through the index.
SCAN_ROWS = 20_000
#: A word fragment held by more terms than this narrows through the trigram index instead (an OR of many
#: terms reads as much as the trigrams would).
WORD_TERMS = 200


def _candidates(indexes: Sequence[MapIndex], query: Query) -> dict[int, Record] | None:
    """The records that can match, found through the word and trigram indexes (None: every record must be
    read)."""
    from nos_cli.search.narrow import required_literals, usable

    stores = {id(ix.store) for ix in indexes}
    if query.invert or not indexes or len(stores) != 1 or not indexes[0].store.fts:
        return None
    # The indexes cover every map in the database, so their cost follows the whole corpus: for a few
    # thousand rows (the bundled maps), reading the searched maps' own rows is cheaper than narrowing.
    if sum(hi - lo + 1 for lo, hi in (indexes[0].store.span(ix.file_id) for ix in indexes)) <= SCAN_ROWS:
        return None
    store = indexes[0].store
    found: set[int] = set()
    for pattern in query.patterns:  # OR'd patterns: the union of each one's candidates
        literals, folded = required_literals(_folded(pattern, query), regex=query.regex,
                                             ignore_case=query.ignore_case)
        literals = usable(literals, folded)
        if not literals:
            return None
        texts = sorted((_text_rows(store, lit) for lit in literals), key=len)
        found |= texts[0].intersection(*texts[1:])
        ids = sorted((store.like("nid", lit) for lit in literals), key=len)
        found |= ids[0].intersection(*ids[1:])
        if folded:
            found |= store.odd_rows()
    spans = [store.span(ix.file_id) for ix in indexes]
    wanted = [rid for rid in found if any(lo <= rid <= hi for lo, hi in spans)] if len(spans) < 64 else \
        sorted(found)
    return dict(store.by_ids(wanted))


def _text_rows(store: Store, literal: str) -> set[int]:
    """Rows whose text may hold ``literal`` (ignoring ASCII case): through the word index when the literal has
    a word fragment few terms hold (nos_cli.maps.terms), else through the trigram index."""
    from nos_cli.maps.terms import fragment

    part = fragment(literal)
    words = store.terms_holding(part, WORD_TERMS) if part is not None else None
    if words is None:
        return store.like("text", literal)
    return store.word_rows(words) | store.odd_rows()  # odd rows: texts with a term the word index cut short


def _hits(indexes: Sequence[MapIndex], query: Query, pattern: re.Pattern[str], found: Callable[[str], object],
          plain: str) -> Iterator[Hit]:
    import bisect

    candidates = _candidates(indexes, query)
    order = sorted(candidates) if candidates is not None else []
    for ix in indexes:
        if candidates is None:
            records: Iterable[tuple[int, Record]] = _rows(ix, query)
        else:
            lo, hi = ix.store.span(ix.file_id)
            ids = order[bisect.bisect_left(order, lo):bisect.bisect_right(order, hi)]
            records = ((rid, candidates[rid]) for rid in ids
                       if (query.kinds is None or candidates[rid][1] in query.kinds)
                       and (query.area is None or query.area in candidates[rid][5]))
        for _rid, (node_id, kind, text, line, functions, areas) in records:
            seen = _folded(text, query)
            in_text = (plain in seen) if plain else found(seen) is not None
            in_id = not in_text and bool(node_id) and found(node_id) is not None
            if (in_text or in_id) == query.invert:
                continue
            spans: tuple[Span, ...] = ()
            if in_text and not query.invert:
                # grep semantics decide the match; spans are only for highlighting and --json, so empty ones go.
                spans = _spans(pattern, seen, query.whole)
            id_spans = _spans(pattern, node_id, query.whole) if in_id and not query.invert else ()
            yield Hit(ix.map_id, ix.path, node_id, kind, text, line, functions, areas, spans,
                      in_id and not query.invert, id_spans=id_spans)


def _spans(pattern: re.Pattern[str], text: str, whole: bool) -> tuple[Span, ...]:
    matches = (pattern.match(text),) if whole else pattern.finditer(text)
    return tuple(m.span() for m in matches if m is not None and m.end() > m.start())


def _fuzzy(indexes: Sequence[MapIndex], query: Query) -> list[Hit]:
    from rapidfuzz import fuzz

    needle = query.pattern.lower()
    hits = []
    for ix in indexes:
        for _rid, (node_id, kind, text, line, functions, areas) in _rows(ix, query):
            hay = text.lower()
            score = fuzz.partial_ratio(needle, hay, score_cutoff=query.threshold)
            if score:
                al = fuzz.partial_ratio_alignment(needle, hay)
                span = ((al.dest_start, al.dest_end),) if al is not None else ()
                hits.append(Hit(ix.map_id, ix.path, node_id, kind, text, line, functions, areas, span,
                                score=round(score, 1)))
    hits.sort(key=lambda h: -(h.score or 0))  # stable: equal scores keep map order
    return hits


def _limit(hits: Iterable[Hit], max_count: int | None) -> Iterator[Hit]:
    for i, hit in enumerate(hits):
        if max_count is not None and i >= max_count:
            return
        yield hit


def suggestions(indexes: Iterable[MapIndex], pattern: str, limit: int = 3) -> list[str]:
    """Words of the maps close to a pattern that matched nothing (for a hint on stderr)."""
    from rapidfuzz import fuzz, process

    try:
        vocabulary = sorted({w for ix in indexes for w in ix.words})
    except (sqlite3.DatabaseError, IndexCorrupt):
        return []  # a hint is not worth failing the run for
    # The word searched for is never offered: it is in the maps, only not as the flags asked (-w, case).
    vocabulary = [w for w in vocabulary if w.casefold() != pattern.casefold()]
    found = process.extract(pattern.lower(), vocabulary, scorer=fuzz.ratio, limit=limit, score_cutoff=70)
    return [word for word, _, _ in found]


def area_ids(indexes: Iterable[MapIndex]) -> list[str]:
    """The ids of the key areas of the maps searched: the values --area can take."""
    try:
        ids = {rec[0] for ix in indexes for _rid, rec in ix.store.records(ix.file_id, ("area",)) if rec[0]}
    except (sqlite3.DatabaseError, IndexCorrupt) as exc:
        raise NosError(f"cannot read the search index: {exc}") from None
    return sorted(ids, key=lambda a: (len(a), a))


def select_indexes(refs: Iterable[str], maps_dirs: Iterable[str], *, use_cache: bool = True,
                   progress: Progress | None = None) -> list[MapIndex]:
    """The indexes of the maps to search: those named by id or path, else every available map (the first
    of each id on the search path, as everywhere in nos)."""
    from nos_cli.maps.indexes import select

    return select(refs, maps_dirs, use_cache=use_cache, progress=progress)

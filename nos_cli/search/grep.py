"""Search map texts the way grep does: literal by default, -i -w -x -E -F -v, or fuzzy with rapidfuzz.

Pure functions over :class:`~nos_cli.maps.index.MapIndex` columns; results are :class:`Hit` values. A record
matches when the pattern matches its text or its id (so ``nos search S9`` finds S9).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from nos_cli.errors import NosError
from nos_cli.maps.index import MapIndex
from nos_cli.model import KSB_KINDS, NODE_KINDS

#: A fuzzy match needs at least this rapidfuzz partial-ratio score (0-100) unless --threshold says otherwise.
DEFAULT_THRESHOLD = 80.0
Span = tuple[int, int]


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
                raise NosError(f"--kind {kind!r} is not one of {', '.join(NODE_KINDS)} or ksb")
    return frozenset(out) or None


def compile_pattern(query: Query) -> re.Pattern[str]:
    """The regular expression for a literal or -E query, with -i, -w and -x applied."""
    body = query.pattern if query.regex else re.escape(query.pattern)
    if query.whole:
        body = rf"(?:{body})\Z"
    elif query.word:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    try:
        return re.compile(body, re.IGNORECASE if query.ignore_case else 0)
    except re.error as exc:
        where = f" at position {exc.pos + 1}" if exc.pos is not None else ""
        raise NosError(f"bad regular expression {query.pattern!r}{where}: {exc.msg}") from None


def search(indexes: Iterable[MapIndex], query: Query) -> Iterator[Hit]:
    """Every hit in map order, then record order; for --fuzzy, best score first."""
    if query.fuzzy:
        yield from _limit(_fuzzy(indexes, query), query.max_count)
        return
    pattern = compile_pattern(query)
    found: Callable[[str], object] = pattern.match if query.whole else pattern.search
    simple = not (query.regex or query.ignore_case or query.word or query.whole)
    plain = query.pattern if simple else ""  # "" means: use the regex
    hits = (h for ix in indexes for h in _scan(ix, query, pattern, found, plain))
    yield from _limit(hits, query.max_count)


def _candidates(index: MapIndex, query: Query) -> range | list[int]:
    """The records that pass --kind and --area (all of them, cheaply, when there is no filter)."""
    if query.kinds is None and query.area is None:
        return range(len(index.texts))
    kinds, _lines, _functions, areas = index.columns
    return [i for i in range(len(index.texts))
            if (query.kinds is None or kinds[i] in query.kinds) and (query.area is None or query.area in areas[i])]


def _scan(index: MapIndex, query: Query, pattern: re.Pattern[str], found: Callable[[str], object],
          plain: str) -> Iterator[Hit]:
    texts = index.texts
    candidates = _candidates(index, query)
    # The common case, a literal without flags, is a substring test: no regex engine per text.
    in_text = {i for i in candidates if plain in texts[i]} if plain else {i for i in candidates if found(texts[i])}
    in_id: set[int] = set()
    if (not plain or plain in index.ids_blob) and index.texts:
        ids = index.ids
        in_id = {i for i in candidates if i not in in_text and ids[i] and found(ids[i]) is not None}
    for i in candidates:
        matched = i in in_text or i in in_id
        if matched == query.invert:
            continue
        node_id, kind, text, line, functions, areas = index.record(i)
        spans: tuple[Span, ...] = ()
        if i in in_text and not query.invert:
            # grep semantics decide the match; spans are only for highlighting and --json, so empty ones go.
            matches = (pattern.match(text),) if query.whole else pattern.finditer(text)
            spans = tuple(m.span() for m in matches if m is not None and m.end() > m.start())
        yield Hit(index.map_id, index.path, node_id, kind, text, line, functions, areas, spans,
                  i in in_id and not query.invert)


def _fuzzy(indexes: Iterable[MapIndex], query: Query) -> list[Hit]:
    from rapidfuzz import fuzz

    needle = query.pattern.lower()
    hits = []
    for ix in indexes:
        for i in _candidates(ix, query):
            hay = ix.texts[i].lower()
            score = fuzz.partial_ratio(needle, hay, score_cutoff=query.threshold)
            if score:
                node_id, kind, text, line, functions, areas = ix.record(i)
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

    vocabulary = sorted({w for ix in indexes for w in ix.words})
    found = process.extract(pattern.lower(), vocabulary, scorer=fuzz.ratio, limit=limit, score_cutoff=70)
    return [word for word, _, _ in found]


def select_indexes(refs: Iterable[str], maps_dirs: Iterable[str], *, use_cache: bool = True) -> list[MapIndex]:
    """The indexes of the maps to search: those named by id or path, else every available map (the first
    of each id on the search path, as everywhere in nos)."""
    from pathlib import Path

    from nos_cli.errors import MapNotFoundError
    from nos_cli.maps.cache import load_index
    from nos_cli.maps.catalog import Catalog, looks_like_path

    refs = list(refs)
    by_id: dict[str, MapIndex] = {}
    need_all = not refs or any(not (looks_like_path(r) or Path(r).is_file()) for r in refs)
    if need_all:
        for path in Catalog.from_options((), list(maps_dirs)).paths():
            index = load_index(path, use_cache=use_cache)
            by_id.setdefault(index.map_id, index)
    if not refs:
        return list(by_id.values())
    out: list[MapIndex] = []
    for ref in refs:
        if looks_like_path(ref) or Path(ref).is_file():
            out.append(load_index(Path(ref), use_cache=use_cache))
        elif ref in by_id:
            out.append(by_id[ref])
        else:
            raise MapNotFoundError(f"no map with id {ref!r}; available: {', '.join(sorted(by_id))}")
    return out

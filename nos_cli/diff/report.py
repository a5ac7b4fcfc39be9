"""``nos diff``: a role description against a map: what it covers, what it misses, what the standard lacks.

A KSB is *covered* when one of a statement's best COVERING matches (at or above the threshold) is the KSB
itself, or a function that links it. ``--top`` only says how many matches the report shows: coverage never
depends on it. A statement with no match is *unmatched*: the standard does not name that duty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from nos_cli.diff.match import DEFAULT_TOP, StatementResult, build_model, match_all
from nos_cli.diff.matcher import LEXICAL, SEMANTIC, default_threshold
from nos_cli.diff.role import Statement
from nos_cli.maps.index import SEP, MapIndex
from nos_cli.model import AREA, KSB_KINDS, Share

#: How many of a statement's best matches (at or above the threshold) count towards coverage.
COVERING = 3
#: The gap lists at most this many KSBs in text and Markdown (JSON lists them all): past it, a list is a map.
GAP_SHOWN = 60


@dataclass
class DiffReport:
    map_id: str
    title: str
    threshold: float
    top: int  # matches shown per statement (display only)
    results: list[StatementResult]
    ksbs: list[tuple[str, str]]  # (id, kind) in map order
    covered_by: dict[str, list[int]]  # KSB id -> lines of the statements that cover it
    overall: Share
    by_kind: dict[str, Share]
    by_area: dict[str, Share]
    area_titles: dict[str, str]
    matcher: str = LEXICAL
    map_path: str = ""
    role: dict[str, str] = field(default_factory=dict)  # how the role was read: path, format, encoding
    #: the texts of the first GAP_SHOWN uncovered KSBs, which text and Markdown reports list (JSON lists ids:
    #: reading every text of a 100k-KSB map for them cost more than the matching)
    gap_texts: dict[str, str] = field(default_factory=dict)

    @cached_property  # every renderer asks, and a 100k-KSB map's list takes a while to make
    def uncovered(self) -> list[tuple[str, str]]:
        return [k for k in self.ksbs if k[0] not in self.covered_by]

    @property
    def unmatched(self) -> list[Statement]:
        return [r.statement for r in self.results if not r.matched]


def diff(index: MapIndex, statements: Sequence[Statement], *, threshold: float | None = None,
         top: int = DEFAULT_TOP, matcher: str = LEXICAL, use_cache: bool = True,
         role: dict[str, str] | None = None) -> DiffReport:
    """``matcher`` is a resolved one (nos_cli.diff.matcher.resolve); ``threshold`` defaults to its own."""
    model = build_model(index)
    if threshold is None:
        threshold = default_threshold(matcher)
    if matcher == SEMANTIC:
        from nos_cli.diff.fuse import match_all as match_all_semantic

        results = match_all_semantic(model, statements, threshold=threshold, map_path=index.path,
                                     use_cache=use_cache)
        for res in results:
            del res.matches[max(top, COVERING):]
    else:
        # Only what the report shows or counts is kept (coverage counts the first COVERING whatever --top is).
        results = match_all(model, statements, threshold=threshold, keep=max(top, COVERING))
    area_titles = {nid: text for nid, _kind, text, _ in index.store.kinds(index.file_id, (AREA,))}
    rows = index.store.kinds(index.file_id, KSB_KINDS, text=False)  # one pass, over the KSBs only
    ksbs = [(nid, kind) for nid, kind, _, _ in rows]
    row_of = {r[0]: r for r in rows}
    # KSB id -> the lines covering it, as an ordered set: a list's "line not in" test made 200k statements
    # quadratic, since one KSB can be covered by most of them.
    lines_of: dict[str, dict[int, None]] = {}
    linked: dict[str, tuple[str, ...]] = {}  # a matched function's KSBs, looked up once
    for res in results:
        for m in res.matches[:COVERING]:
            if m.id not in linked:
                linked[m.id] = model.links(m.id) if m.kind == "function" else ()
            for ksb in (m.id, *linked[m.id]):
                if ksb in row_of:
                    lines_of.setdefault(ksb, {})[res.statement.line] = None
    # Totals are counted over every KSB, coverage over the covered ones only: on a 100k-KSB map, sets of ids
    # per kind and per area cost more than the matching.
    kind_total = Counter(r[1] for r in row_of.values())
    area_total: Counter[str] = Counter()
    for joined, n in Counter(r[3] for r in row_of.values()).items():
        for a in _areas(joined):
            area_total[a] += n
    kind_covered: Counter[str] = Counter()
    area_covered: Counter[str] = Counter()
    for ksb in lines_of:
        _nid, kind, _text, joined = row_of[ksb]
        kind_covered[kind] += 1
        area_covered.update(_areas(joined))
    by_kind = {kind: Share(kind_covered[kind], kind_total[kind]) for kind in KSB_KINDS if kind_total[kind]}
    by_area = {a: Share(area_covered[a], area_total[a]) for a in area_titles}
    overall = Share(len(lines_of), len(row_of))
    covered_by = {k: list(lines_of[k]) for k, _ in ksbs if k in lines_of}
    shown = list(dict.fromkeys(k for k, _ in ksbs if k not in lines_of))[:GAP_SHOWN]
    gap_texts = index.store.texts(index.file_id, shown)
    return DiffReport(index.map_id, index.title, threshold, top, results, ksbs, covered_by, overall, by_kind,
                      by_area, area_titles, matcher, index.path, role or {}, gap_texts)


def _areas(joined: str) -> list[str]:
    # A KSB's areas as the index keeps them; set(): a KSB counts once in an area it is linked to twice.
    return list(dict.fromkeys(joined.split(SEP))) if joined else []

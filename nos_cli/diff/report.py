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
    #: every KSB (id, kind) in map order, when the report lists them all (JSON does); else None
    ksbs: list[tuple[str, str]] | None
    covered_by: dict[str, list[int]]  # KSB id -> lines of the statements that cover it, in map order
    overall: Share
    by_kind: dict[str, Share]
    by_area: dict[str, Share]
    area_titles: dict[str, str]
    matcher: str = LEXICAL
    map_path: str = ""
    role: dict[str, str] = field(default_factory=dict)  # how the role was read: path, format, encoding
    #: the first GAP_SHOWN uncovered KSBs (id, kind, text) in map order, which text and Markdown list: reading
    #: every KSB of a 100k-KSB map for them cost more than the matching
    gap: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def gap_count(self) -> int:
        """How many KSBs no statement covers."""
        return self.overall.total - self.overall.covered

    @cached_property
    def uncovered(self) -> list[tuple[str, str]]:
        """Every uncovered KSB (id, kind) in map order (only when the report lists every KSB)."""
        if self.ksbs is None:
            raise ValueError("this report does not list every KSB: diff(..., every_ksb=True)")
        return [k for k in self.ksbs if k[0] not in self.covered_by]

    @property
    def unmatched(self) -> list[Statement]:
        return [r.statement for r in self.results if not r.matched]


def diff(index: MapIndex, statements: Sequence[Statement], *, threshold: float | None = None,
         top: int = DEFAULT_TOP, matcher: str = LEXICAL, use_cache: bool = True,
         role: dict[str, str] | None = None, every_ksb: bool = True) -> DiffReport:
    """``matcher`` is a resolved one (nos_cli.diff.matcher.resolve); ``threshold`` defaults to its own.
    ``every_ksb``: list every KSB of the map (JSON does); without it the report counts them in SQLite and
    carries only the first GAP_SHOWN uncovered ones."""
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
    store, file_id = index.store, index.file_id
    area_titles = {nid: text for nid, _kind, text, _ in store.kinds(file_id, (AREA,))}
    # The statements that name each node, and the KSBs a matched function links (looked up once each).
    lines_of: dict[str, dict[int, None]] = {}  # an ordered set: 200k statements can cover one KSB
    linked: dict[str, tuple[str, ...]] = {}
    for res in results:
        for m in res.matches[:COVERING]:
            if m.id not in linked:
                linked[m.id] = model.links(m.id) if m.kind == "function" else ()
            for ksb in (m.id, *linked[m.id]):
                lines_of.setdefault(ksb, {})[res.statement.line] = None
    # Covered: those of them that are KSBs of the map; the totals are counted in SQLite.
    covered_rows = store.with_ids(file_id, lines_of, KSB_KINDS)
    covered_by = {nid: list(lines_of[nid]) for nid, _kind, _areas in covered_rows}
    kind_total = store.counts(file_id, KSB_KINDS, "kind")
    area_total: Counter[str] = Counter()
    for joined, n in store.counts(file_id, KSB_KINDS, "areas").items():
        for a in _areas(joined):
            area_total[a] += n
    kind_covered: Counter[str] = Counter()
    area_covered: Counter[str] = Counter()
    for _nid, kind, joined in {r[0]: r for r in covered_rows}.values():
        kind_covered[kind] += 1
        area_covered.update(_areas(joined))
    by_kind = {kind: Share(kind_covered[kind], kind_total[kind]) for kind in KSB_KINDS if kind_total.get(kind)}
    by_area = {a: Share(area_covered[a], area_total[a]) for a in area_titles}
    overall = Share(len(covered_by), sum(kind_total.values()))
    ksbs = [(nid, kind) for nid, kind, _, _ in store.kinds(file_id, KSB_KINDS, text=False)] if every_ksb else None
    gap_ids: list[tuple[str, str]] = []
    in_order = ksbs if ksbs is not None else ((nid, kind) for nid, kind, _, _ in store.kinds(file_id, KSB_KINDS,
                                                                                              text=False))
    for nid, kind in in_order:  # read only as far as the gap shown
        if nid not in covered_by and all(nid != g for g, _ in gap_ids):
            gap_ids.append((nid, kind))
            if len(gap_ids) == GAP_SHOWN:
                break
    texts = store.texts(file_id, [g for g, _ in gap_ids])
    gap = [(nid, kind, texts.get(nid, "")) for nid, kind in gap_ids]
    return DiffReport(index.map_id, index.title, threshold, top, results, ksbs, covered_by, overall, by_kind,
                      by_area, area_titles, matcher, index.path, role or {}, gap)


def _areas(joined: str) -> list[str]:
    # A KSB's areas as the index keeps them; set(): a KSB counts once in an area it is linked to twice.
    return list(dict.fromkeys(joined.split(SEP))) if joined else []

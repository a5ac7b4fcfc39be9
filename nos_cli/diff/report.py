"""``nos diff``: a role description against a map: what it covers, what it misses, what the standard lacks.

A KSB is *covered* when one of a statement's best COVERING matches (at or above the threshold) is the KSB
itself, or a function that links it. ``--top`` only says how many matches the report shows: coverage never
depends on it. A statement with no match is *unmatched*: the standard does not name that duty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nos_cli.diff.match import DEFAULT_TOP, StatementResult, build_model, match_all
from nos_cli.diff.matcher import LEXICAL, SEMANTIC, default_threshold
from nos_cli.diff.role import Statement
from nos_cli.maps.index import MapIndex
from nos_cli.model import KSB_KINDS, Share

#: How many of a statement's best matches (at or above the threshold) count towards coverage.
COVERING = 3


@dataclass
class DiffReport:
    map_id: str
    title: str
    threshold: float
    top: int  # matches shown per statement (display only)
    results: list[StatementResult]
    ksbs: list[tuple[str, str, str]]  # (id, kind, text) in map order
    covered_by: dict[str, list[int]]  # KSB id -> lines of the statements that cover it
    overall: Share
    by_kind: dict[str, Share]
    by_area: dict[str, Share]
    area_titles: dict[str, str]
    matcher: str = LEXICAL
    map_path: str = ""
    role: dict[str, str] = field(default_factory=dict)  # how the role was read: path, format, encoding

    @property
    def uncovered(self) -> list[tuple[str, str, str]]:
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
    else:
        results = match_all(model, statements, threshold=threshold)
    linked = model.function_ksbs()
    ksbs = [(r[0], r[1], r[2]) for r in index.records if r[1] in KSB_KINDS]
    areas_of = {r[0]: r[5] for r in index.records if r[1] in KSB_KINDS}
    # KSB id -> the lines covering it, as an ordered set: a list's "line not in" test made 200k statements
    # quadratic, since one KSB can be covered by most of them.
    lines_of: dict[str, dict[int, None]] = {}
    known = {k[0] for k in ksbs}
    for res in results:
        for m in res.matches[:COVERING]:
            for ksb in (m.id, *linked.get(m.id, ())):
                if ksb in known:
                    lines_of.setdefault(ksb, {})[res.statement.line] = None
    covered_by = {k: list(v) for k, v in lines_of.items()}
    covered = set(covered_by)

    def share(ids: set[str]) -> Share:
        return Share(len(ids & covered), len(ids))

    by_kind = {kind: share({k[0] for k in ksbs if k[1] == kind}) for kind in KSB_KINDS
               if any(k[1] == kind for k in ksbs)}
    area_titles = {r[0]: r[2] for r in index.records if r[1] == "area"}
    in_area: dict[str, set[str]] = {a: set() for a in area_titles}
    for ksb, areas in areas_of.items():  # one pass over the KSBs, not one per key area
        for a in areas:
            in_area.setdefault(a, set()).add(ksb)
    by_area = {a: share(in_area[a]) for a in area_titles}
    return DiffReport(index.map_id, index.title, threshold, top, results, ksbs,
                      {k: covered_by[k] for k, _, _ in ksbs if k in covered_by}, share(known), by_kind, by_area,
                      area_titles, matcher, index.path, role or {})

"""Coverage matrices: KSBs against key areas, functions or kinds; or against the items of mapping files.

Pure functions over a FunctionalMap (and Mapping files) returning a :class:`Matrix`; renderers print it.
A cell counts the links behind it: for a map's own matrix, the (KSB, function) links that join the row and
the column; against mapping files, the KSBs that the item covers within the row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from nos_cli.errors import NosError
from nos_cli.mapping.file import Mapping
from nos_cli.maps.graph import FunctionalMap
from nos_cli.model import KSB_KINDS, Share, kind_name

MAP_AXES = ("ksb", "function", "area", "kind")


@dataclass(frozen=True)
class Axis:
    id: str
    label: str
    group: str | None = None  # the KSB kind, for rows grouped by kind


@dataclass
class Coverage:
    """Which KSBs are covered: by the map's own functions, or by the items of mapping files."""

    overall: Share
    by_kind: dict[str, Share]
    by_area: dict[str, Share]
    uncovered: list[str]
    covered_by: dict[str, list[str]] = field(default_factory=dict)  # KSB id -> the items (or functions)


@dataclass
class Matrix:
    map_id: str
    title: str
    row_axis: str
    col_axis: str
    rows: list[Axis]
    cols: list[Axis]
    cells: dict[tuple[str, str], int]
    coverage: Coverage
    against: list[str] = field(default_factory=list)  # titles of the mapping files
    #: with several mapping files, each file's own coverage (title, coverage) beside the combined one, so a
    #: short course's gaps are not hidden by a programme that covers everything
    per_file: list[tuple[str, Coverage]] = field(default_factory=list)
    map_file: str | None = None  # with --against: the map file the mappings were read against

    def value(self, row: str, col: str) -> int:
        return self.cells.get((row, col), 0)

    def row_total(self, row: str) -> int:
        """How many columns the row reaches."""
        return sum(1 for c in self.cols if self.value(row, c.id))

    def col_total(self, col: str) -> int:
        """How many rows the column reaches."""
        return sum(1 for r in self.rows if self.value(r.id, col))

    @property
    def peak(self) -> int:
        return max(self.cells.values(), default=0)


def _ksb_rows(fmap: FunctionalMap) -> list[Axis]:
    """KSB rows grouped by kind (knowledge, skills, behaviours), each group in map order."""
    return [Axis(k.id, k.text, k.kind) for kind in KSB_KINDS for k in fmap.ksbs(kind)]


def _axis(fmap: FunctionalMap, name: str) -> list[Axis]:
    if name == "ksb":
        return _ksb_rows(fmap)
    if name == "function":
        return [Axis(f.id, f.text) for f in fmap.functions()]
    if name == "area":
        return [Axis(a.id, a.text) for a in fmap.areas()]
    if name == "kind":
        return [Axis(k, kind_name(k, plural=True, title=True)) for k in KSB_KINDS if fmap.ksbs(k)]
    raise NosError(f"unknown axis {name!r}: use one of {', '.join(MAP_AXES)}")


def map_matrix(fmap: FunctionalMap, rows: str = "ksb", cols: str = "area") -> Matrix:
    """The map's own matrix: every (KSB, function) link counted where its row and column meet."""
    if rows == cols:
        raise NosError(f"--rows and --cols are both {rows!r}; choose two different axes")
    cells: dict[tuple[str, str], int] = {}
    by: dict[str, list[str]] = {}
    for area in fmap.areas():
        for fn in fmap.functions(area.id):
            for ksb in fmap.links(fn.id):
                facts = {"ksb": ksb.id, "function": fn.id, "area": area.id, "kind": ksb.kind}
                key = (facts[rows], facts[cols])
                cells[key] = cells.get(key, 0) + 1
                by.setdefault(ksb.id, []).append(fn.id)
    return Matrix(fmap.id, fmap.title, rows, cols, _axis(fmap, rows), _axis(fmap, cols), cells,
                  coverage(fmap, by))


def against_matrix(fmap: FunctionalMap, mappings: Sequence[Mapping], rows: str = "ksb") -> Matrix:
    """KSBs (or their kinds or key areas) against the items of one or more mapping files of this map."""
    if rows not in ("ksb", "kind", "area"):
        raise NosError("with --against, --rows is ksb, kind or area")
    for m in mappings:
        if m.map_id != fmap.id:
            raise NosError(f"{m.path} maps {m.map_id!r}, not {fmap.id!r}; every --against file must name the "
                           "same map")
    several = len(mappings) > 1
    cols: list[Axis] = []
    cells: dict[tuple[str, str], int] = {}
    by: dict[str, list[str]] = {}
    by_file: list[dict[str, list[str]]] = [{} for _ in mappings]
    ksb_ids = {k.id for k in fmap.ksbs()}
    areas_of = {k.id: [a.id for a in fmap.areas_for(k.id)] for k in fmap.ksbs()}
    kind_of = {k.id: k.kind for k in fmap.ksbs()}
    for n, m in enumerate(mappings, 1):
        for item in m.items:
            col = f"{n}:{item.id}" if several else item.id
            cols.append(Axis(col, item.title))
            for ksb in dict.fromkeys(item.ksbs):
                if ksb not in ksb_ids:
                    continue  # nos validate reports it (mapping-unknown-ksb)
                by.setdefault(ksb, []).append(col)
                by_file[n - 1].setdefault(ksb, []).append(col)
                keys = {"ksb": [ksb], "kind": [kind_of[ksb]], "area": areas_of[ksb]}[rows]
                for key in keys:
                    cells[(key, col)] = cells.get((key, col), 0) + 1
    per_file = [(m.title, coverage(fmap, b)) for m, b in zip(mappings, by_file, strict=True)] if several else []
    return Matrix(fmap.id, fmap.title, rows, "item", _axis(fmap, rows), cols, cells, coverage(fmap, by),
                  [m.title for m in mappings], per_file, fmap.info.path)


def coverage(fmap: FunctionalMap, covered_by: dict[str, list[str]]) -> Coverage:
    ksbs = fmap.ksbs()
    covered = {k.id for k in ksbs if covered_by.get(k.id)}

    def _share_of(ids: Iterable[str]) -> Share:
        wanted = set(ids)
        return Share(len(wanted & covered), len(wanted))

    by_kind = {kind: _share_of(k.id for k in fmap.ksbs(kind)) for kind in KSB_KINDS if fmap.ksbs(kind)}
    by_area = {a.id: _share_of(k.id for f in fmap.functions(a.id) for k in fmap.links(f.id)) for a in fmap.areas()}
    return Coverage(Share(len(covered), len(ksbs)), by_kind, by_area,
                    [k.id for k in ksbs if k.id not in covered],
                    {k.id: covered_by[k.id] for k in ksbs if k.id in covered})

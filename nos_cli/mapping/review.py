"""``nos mapping review``: show the suspect and unchecked links of a mapping file, and accept them."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nos_cli.errors import NosError, raise_first_error
from nos_cli.mapping.file import OBJECTS, Mapping, read_mapping
from nos_cli.maps.load import Document, load_file
from nos_cli.rules.mapping_links import LinkState, link_states

if TYPE_CHECKING:
    from nos_cli.maps.catalog import Catalog


@dataclass
class ReviewResult:
    path: str
    map_id: str
    states: list[LinkState]
    accepted: list[tuple[str, str]] = field(default_factory=list)
    written: bool = False
    map_file: str = ""  # the map file the links were checked against

    def of(self, status: str) -> list[LinkState]:
        done = set(self.accepted)
        return [s for s in self.states if s.status == status and (s.item, s.ksb) not in done]


def load_mapping(path: Path) -> tuple[Document, Mapping]:
    """A mapping file fit to review, or a one-line error naming its first problem (exit 2)."""
    from nos_cli.maps.catalog import max_bytes
    from nos_cli.maps.format import check_tree

    doc = load_file(path, max_bytes=max_bytes())
    raise_first_error(doc.problems)
    if doc.data is not None:
        raise_first_error(check_tree(doc, OBJECTS, "mapping"))
    return doc, read_mapping(doc)


def review(path: Path, catalog: Catalog, *, accept: bool = False, only: list[str] | None = None) -> ReviewResult:
    doc, mapping = load_mapping(path)
    fmap = catalog.for_mapping(mapping.map_id, path)  # the mapping's own project first, as validate does
    states = link_states(mapping, fmap)
    result = ReviewResult(doc.path, fmap.id, states, map_file=fmap.info.path)
    if not accept:
        return result
    wanted = _selection(states, only)
    if not wanted:
        return result
    updates, expected = _updates(doc, mapping, states, wanted)
    old_text = path.read_text(encoding="utf-8-sig")
    from nos_cli.mapping.edit import set_fingerprints, write_safely

    write_safely(path, old_text, set_fingerprints(old_text, updates), expected)
    result.accepted = sorted(wanted, key=lambda pair: [(s.item, s.ksb) for s in states].index(pair))
    result.written = True
    return result


def _selection(states: list[LinkState], only: list[str] | None) -> set[tuple[str, str]]:
    open_links = {(s.item, s.ksb) for s in states if s.status in ("suspect", "unchecked")}
    if not only:
        return open_links
    chosen: set[tuple[str, str]] = set()
    known = {(s.item, s.ksb): s for s in states}
    for ref in only:
        item, _, ksb = ref.partition(":")
        state = known.get((item, ksb))
        if state is None:
            raise NosError(f"--only {ref!r}: no such link (write ITEM:KSB, e.g. M1:K1)")
        if state.status == "unknown":
            raise NosError(f"--only {ref!r}: {ksb} is not a KSB of the map, so it cannot be accepted")
        chosen.add((item, ksb))
    return chosen


def _updates(doc: Document, mapping: Mapping, states: list[LinkState],
             wanted: set[tuple[str, str]]) -> tuple[dict[str, dict[str, str]], Any]:
    now = {(s.item, s.ksb): s.current for s in states if s.current}
    updates: dict[str, dict[str, str]] = {}
    expected = copy.deepcopy(doc.data)
    for item in mapping.items:
        if not any((item.id, k) in wanted for k in item.ksbs):
            continue
        table = {k: (now[(item.id, k)] if (item.id, k) in wanted else item.fingerprints[k])
                 for k in item.ksbs if (item.id, k) in wanted or k in item.fingerprints}
        updates[item.id] = table
        expected["items"][item.path[1]]["fingerprints"] = table
    return updates, expected

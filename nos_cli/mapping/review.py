"""``nos mapping review``: show the suspect and unchecked links of a mapping file, and accept them.

Accepting edits the user's file, so it happens under the file's lock (:mod:`nos_cli.files.lock`): the file is
read again there and every decision (which links, which fingerprints, ``map_version``) is made from what it
holds then, so two runs at once each add their own links and neither loses the other's. Everything the
report says is settled before the file is replaced; nothing slow comes after the write.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nos_cli.errors import NosError, raise_first_error
from nos_cli.gcpause import paused_gc
from nos_cli.mapping.file import OBJECTS, Mapping, read_mapping, version_problems
from nos_cli.mapping.links import LinkState, link_states
from nos_cli.maps.load import Document, load_bytes, load_file

if TYPE_CHECKING:
    from nos_cli.maps.catalog import Catalog
    from nos_cli.maps.graph import FunctionalMap

OPEN = ("suspect", "unchecked")


@dataclass
class ReviewResult:
    path: str
    map_id: str
    states: list[LinkState]
    accepted: list[tuple[str, str]] = field(default_factory=list)
    written: bool = False
    #: The map's version written to ``map_version`` (every link current after the accept), else None.
    map_version: str | None = None
    #: What the user should know about how the file was written (hard links).
    notes: list[str] = field(default_factory=list)
    map_file: str = ""  # the map file the links were checked against

    def of(self, status: str) -> list[LinkState]:
        done = set(self.accepted)
        return [s for s in self.states if s.status == status and (s.item, s.ksb) not in done]


def load_mapping(path: Path) -> tuple[Document, Mapping]:
    """A mapping file fit to review, or a one-line error naming its first problem (exit 2)."""
    from nos_cli.maps.catalog import max_bytes

    return _checked(load_file(path, max_bytes=max_bytes()))


def _checked(doc: Document) -> tuple[Document, Mapping]:
    from nos_cli.maps.format import check_tree

    raise_first_error(doc.problems)
    raise_first_error(version_problems(doc))
    if doc.data is not None:
        raise_first_error(check_tree(doc, OBJECTS, "mapping"))
    return doc, read_mapping(doc)


def review(path: Path, catalog: Catalog, *, accept: bool = False, only: list[str] | None = None,
           force: bool = False) -> ReviewResult:
    with paused_gc():
        return _review(path, catalog, accept=accept, only=only, force=force)


def _review(path: Path, catalog: Catalog, *, accept: bool, only: list[str] | None, force: bool) -> ReviewResult:
    doc, mapping = load_mapping(path)
    fmap = catalog.for_mapping(mapping.map_id, path)  # the mapping's own project first, as validate does
    states = link_states(mapping, fmap)
    if not accept:
        return ReviewResult(doc.path, fmap.id, states, map_file=fmap.info.path)
    _selection(states, only)  # a wrong --only fails now, before waiting for the lock
    maps = {mapping.map_id: fmap}

    def change(data: bytes) -> tuple[bytes | None, ReviewResult]:
        from nos_cli.maps.catalog import max_bytes

        current, now = _checked(load_bytes(data, doc.path, max_bytes=max_bytes()))
        if now.map_id not in maps:  # someone pointed the file at another map meanwhile
            maps[now.map_id] = catalog.for_mapping(now.map_id, path)
        return _accept(data, current, now, maps[now.map_id], only)

    from nos_cli.files.lock import edit

    result, notes = edit(path, change, force=force)
    result.notes = notes
    return result


def _accept(data: bytes, doc: Document, mapping: Mapping, fmap: FunctionalMap,
            only: list[str] | None) -> tuple[bytes | None, ReviewResult]:
    from nos_cli.mapping.edit import decode, encode, set_fingerprints, verified

    _unique_ids(doc, mapping)
    states = link_states(mapping, fmap)
    wanted = _selection(states, only)
    # In file order, each link once; a link another run accepted meanwhile is current now and not counted.
    accepted = list(dict.fromkeys((s.item, s.ksb) for s in states if (s.item, s.ksb) in wanted and s.status in OPEN))
    done = set(accepted)
    all_current = all(s.status == "ok" or (s.item, s.ksb) in done for s in states)
    version = fmap.info.version or None
    new_version = version if all_current and mapping.map_version not in (None, version) else None
    result = ReviewResult(doc.path, fmap.id, states, accepted, map_version=new_version, map_file=fmap.info.path)
    if not accepted and new_version is None:
        return None, result
    updates, expected = _updates(doc, mapping, states, done)
    if new_version is not None:
        expected["map_version"] = new_version
    text, layout = decode(data)
    new = encode(set_fingerprints(text, updates, map_version=new_version, newline=layout.newline), layout)
    result.written = True
    return verified(doc.path, new, expected), result


def _unique_ids(doc: Document, mapping: Mapping) -> None:
    """Fingerprints are written per item id, so two items with one id cannot be told apart."""
    seen: dict[str, int] = {}
    for item in mapping.items:
        mark = doc.mark((*item.path, "id"))
        if item.id in seen:
            raise NosError(f"{doc.path}:{mark.line}:{mark.column}: item id {item.id!r} is already used at line "
                           f"{seen[item.id]}; give each item its own id before accepting [mapping-duplicate]")
        seen[item.id] = mark.line


def _selection(states: list[LinkState], only: list[str] | None) -> set[tuple[str, str]]:
    open_links = {(s.item, s.ksb) for s in states if s.status in OPEN}
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
             done: set[tuple[str, str]]) -> tuple[dict[str, dict[str, str]], Any]:
    """The fingerprints to write, per item, and the data the edited file must load to."""
    now = {(s.item, s.ksb): s.current for s in states if s.current}
    updates: dict[str, dict[str, str]] = {}
    expected = copy.deepcopy(doc.data)
    for item in mapping.items:
        table = {k: now[(item.id, k)] for k in item.ksbs if (item.id, k) in done and (item.id, k) in now}
        if not table or item.id in updates:
            continue
        updates[item.id] = table
        raw = expected["items"][item.path[1]]
        raw["fingerprints"] = {**(raw.get("fingerprints") or {}), **table}
    return updates, expected

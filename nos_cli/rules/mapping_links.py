"""The checks of a curriculum mapping file against the map it names (one pass, several rule ids).

- ``mapping-unknown-map``: the map id is not among the available maps: a map file checked in the same run,
  ``--maps-dir``, the ``maps-dirs`` of the project settings (``[tool.nos]`` in pyproject.toml, or nos.toml),
  ``NOS_MAPS_PATH``, or the bundled maps, searched in that order.
- ``mapping-unknown-ksb``: an item links a KSB id the map does not have (with the nearest id).
- ``mapping-suspect``: the KSB's text changed since the link was checked (its fingerprint differs). Check the
  link, then run ``nos mapping review FILE --accept``.
- ``mapping-unchecked``: a link with no fingerprint yet (information: ``nos mapping review --accept`` adds it).
- ``mapping-stray-fingerprint``: a fingerprint for a KSB the item does not link.
- ``mapping-duplicate``: an item id used twice, or an item linking a KSB twice.
- ``mapping-map-version``: ``map_version`` differs from the map's version.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nos_cli.mapping.file import Mapping, fingerprint, read_mapping
from nos_cli.maps.load import Document
from nos_cli.model import Level, Problem
from nos_cli.rules.base import Rule
from nos_cli.suggest import did_you_mean

if TYPE_CHECKING:
    from nos_cli.maps.graph import FunctionalMap


def _rule(rule_id: str, level: Level, summary: str) -> Rule:
    return Rule(rule_id, level, summary, _DOCS.get(rule_id, summary), target="mapping")


def _bullets(doc: str) -> dict[str, str]:
    """Each rule's documentation: its bullet of this module's docstring."""
    import re

    return {m.group(1): " ".join(m.group(2).split()) for m in
            re.finditer(r"^- ``([a-z-]+)``: (.*?)(?=^- |\Z)", doc, re.M | re.S)}


_DOCS = _bullets(__doc__ or "")


UNKNOWN_MAP = _rule("mapping-unknown-map", Level.ERROR, "a mapping file names a map that is not available")
UNKNOWN_KSB = _rule("mapping-unknown-ksb", Level.ERROR, "a mapping item links a KSB id the map does not have")
SUSPECT = _rule("mapping-suspect", Level.ERROR,
                "a link is suspect: the KSB's text changed since the link was checked")
UNCHECKED = _rule("mapping-unchecked", Level.INFO, "a link has no fingerprint yet (never checked)")
STRAY = _rule("mapping-stray-fingerprint", Level.WARNING, "a fingerprint for a KSB the item does not link")
DUPLICATE = _rule("mapping-duplicate", Level.ERROR, "an item id used twice, or a KSB linked twice by one item")
MAP_VERSION = _rule("mapping-map-version", Level.WARNING,
                    "the mapping was made against another version of the map file")
RULES = (UNKNOWN_MAP, UNKNOWN_KSB, SUSPECT, UNCHECKED, STRAY, DUPLICATE, MAP_VERSION)


@dataclass(frozen=True)
class LinkState:
    """One link of a mapping file and what has become of it."""

    item: str
    ksb: str
    status: str  # ok, suspect, unchecked, unknown
    recorded: str | None
    current: str | None
    text: str | None


def link_states(mapping: Mapping, fmap: FunctionalMap) -> list[LinkState]:
    out = []
    for link in mapping.links():
        if link.ksb not in fmap or not fmap.node(link.ksb).is_ksb:
            out.append(LinkState(link.item, link.ksb, "unknown", link.fingerprint, None, None))
            continue
        text = fmap.node(link.ksb).text
        now = fingerprint(text)
        status = "unchecked" if link.fingerprint is None else "ok" if link.fingerprint == now else "suspect"
        out.append(LinkState(link.item, link.ksb, status, link.fingerprint, now, text))
    return out


def check(doc: Document, find_map: object) -> Iterator[Problem]:
    """``find_map(map_id)`` returns the FunctionalMap or None."""
    mapping = read_mapping(doc)
    seen: dict[str, int] = {}
    for item in mapping.items:
        if item.id in seen:
            yield doc.problem((*item.path, "id"), DUPLICATE.id, DUPLICATE.level,
                              f"item id {item.id!r} is already used at line {seen[item.id]}")
        seen.setdefault(item.id, doc.mark((*item.path, "id")).line)
        linked: set[str] = set()
        for i, ksb in enumerate(item.ksbs):
            if ksb in linked:
                yield doc.problem((*item.path, "ksbs", i), DUPLICATE.id, DUPLICATE.level,
                                  f"item {item.id} links {ksb} twice")
            linked.add(ksb)
        for ksb in item.fingerprints:
            if ksb not in linked:
                yield doc.problem((*item.path, "fingerprints", ksb), STRAY.id, STRAY.level,
                                  f"item {item.id} has a fingerprint for {ksb} but does not link it", at_key=True)
    if not mapping.map_id:
        return
    fmap = find_map(mapping.map_id)  # type: ignore[operator]
    if fmap is None:
        yield doc.problem(("map",), UNKNOWN_MAP.id, UNKNOWN_MAP.level,
                          f"no map with id {mapping.map_id!r} is available (check it in the same run, name its "
                          "folder in maps-dirs under [tool.nos], or add it with --maps-dir)")
        return
    if mapping.map_version is not None and fmap.info.version and mapping.map_version != fmap.info.version:
        yield doc.problem(("map_version",), MAP_VERSION.id, MAP_VERSION.level,
                          f"made against version {mapping.map_version} of {fmap.id}; the map is now version "
                          f"{fmap.info.version}")
    ksb_ids = sorted(k.id for k in fmap.ksbs())
    for link, state in zip(mapping.links(), link_states(mapping, fmap), strict=True):
        if state.status == "unknown":
            hint = did_you_mean(link.ksb, ksb_ids)
            yield doc.problem(link.path, UNKNOWN_KSB.id, UNKNOWN_KSB.level,
                              f"item {link.item} links {link.ksb!r}, which is not a KSB of {fmap.id}{hint}")
        elif state.status == "suspect":
            yield doc.problem(link.path, SUSPECT.id, SUSPECT.level,
                              f"item {link.item} -> {link.ksb} is suspect: the text of {link.ksb} changed since "
                              f"the link was checked (fingerprint {state.recorded}, now {state.current}); "
                              f"review with: nos mapping review {doc.path}")
        elif state.status == "unchecked":
            yield doc.problem(link.path, UNCHECKED.id, UNCHECKED.level,
                              f"item {link.item} -> {link.ksb} has no fingerprint yet")

"""What has become of each link of a mapping file: still current, suspect (the KSB's words changed since a person
checked the link), never checked, or pointing at no KSB of the map. ``nos mapping review`` and the mapping rules
of ``nos validate`` both read links through :func:`link_states`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nos_cli.mapping.file import Mapping, fingerprint

if TYPE_CHECKING:
    from nos_cli.maps.graph import FunctionalMap


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

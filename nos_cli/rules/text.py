"""Helpers shared by the rules that read the texts of a map."""

from __future__ import annotations

from collections.abc import Iterator

from nos_cli.maps.nodes import RawNode
from nos_cli.rules.base import MapContext

#: The texts rules read, besides each node's own words: rationales and notes are written by people too.
EXTRA_TEXT_KEYS = ("rationale", "note")


def texts(ctx: MapContext) -> Iterator[tuple[RawNode, str, str]]:
    """(node, key, text) for every string a person wrote on a node."""
    for node in ctx.nodes:
        for key in (node.text_key, *EXTRA_TEXT_KEYS):
            value = node.data.get(key)
            if isinstance(value, str):
                yield node, key, value


def label(node: RawNode, key: str) -> str:
    """"KSB S9", or "function F1's rationale" for a text that is not the node's own words."""
    return node.name if key == node.text_key else f"{node.name}'s {key}"

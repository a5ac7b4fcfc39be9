"""The validation rules: one module per rule, each with an id, a level, a one-line summary and a docstring
that is its documentation (yamllint's ``rules/`` package is the model).

Rules found while loading and by the structure check (``nos_cli.maps.load``, ``nos_cli.maps.format``) are registered
here too, by :mod:`nos_cli.rules.builtin`, so ``nos validate --list-rules``, SARIF and the docs list every rule
that can fire. ``REGISTRY`` maps rule ids to :class:`Rule`; ``MAP_RULES`` lists the checks run on map files in
order.
"""

from __future__ import annotations

from nos_cli.rules import (
    alias_duplicate,
    alias_empty,
    alias_shared,
    builtin,
    control_chars,
    duplicate_link,
    empty_text,
    empty_under,
    html_entity,
    id_unique,
    ksb_prefix,
    mapping_links,
    near_duplicate,
    orphan_ksb,
    provenance,
    suppression,
    unknown_ksb,
    unknown_source,
    whitespace,
)
from nos_cli.rules.base import Rule

MAP_RULES: tuple[Rule, ...] = tuple(
    m.RULE
    for m in (
        id_unique, ksb_prefix, unknown_ksb, unknown_source, duplicate_link, orphan_ksb, empty_under,
        provenance, empty_text, whitespace, control_chars, html_entity, near_duplicate,
        alias_empty, alias_duplicate, alias_shared,
    )
)

REGISTRY: dict[str, Rule] = {r.id: r for r in (*builtin.RULES, *MAP_RULES, *mapping_links.RULES,
                                                  suppression.RULE)}

__all__ = ["MAP_RULES", "REGISTRY", "Rule"]

"""The validation rules: one module per rule, each with an id, a level, a one-line summary and a docstring
that is its documentation (yamllint's ``rules/`` package is the model).

Every rule is declared the same way, with :func:`nos_cli.rules.base.rule`, and checks the context of the
documents it applies to: ``MAP_RULES`` run on maps (a MapContext), ``MAPPING_RULES`` on curriculum mapping files
(a MappingContext: the mapping, the map it names, its link states), and rules for ``any`` document on both.
Rules whose problems are found while reading and by the structure check (:mod:`nos_cli.rules.reading`) have no
check of their own but are registered too, so ``nos validate --list-rules``, ``nos rule``, SARIF and the docs list
every rule that can fire. ``REGISTRY`` maps rule ids to :class:`Rule`.
"""

from __future__ import annotations

from nos_cli.rules import (
    alias_duplicate,
    alias_empty,
    alias_shared,
    control_chars,
    duplicate_link,
    empty_text,
    empty_under,
    html_entity,
    id_unique,
    ksb_prefix,
    mapping_duplicate,
    mapping_map_version,
    mapping_stray_fingerprint,
    mapping_suspect,
    mapping_unchecked,
    mapping_unknown_ksb,
    mapping_unknown_map,
    near_duplicate,
    orphan_ksb,
    provenance,
    reading,
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
        provenance, empty_text, whitespace, html_entity, near_duplicate,
        alias_empty, alias_duplicate, alias_shared,
    )
)

#: In the order their problems are listed when they tie on position.
MAPPING_RULES: tuple[Rule, ...] = tuple(
    m.RULE
    for m in (
        mapping_duplicate, mapping_stray_fingerprint, mapping_unknown_map, mapping_map_version, mapping_unknown_ksb,
        mapping_suspect, mapping_unchecked,
    )
)

#: The rules that check every kind of document, after the kind's own.
ANY_RULES: tuple[Rule, ...] = (control_chars.RULE,)

REGISTRY: dict[str, Rule] = {r.id: r for r in (*reading.RULES, *MAP_RULES, *MAPPING_RULES, *ANY_RULES,
                                                  suppression.RULE)}

__all__ = ["ANY_RULES", "MAPPING_RULES", "MAP_RULES", "REGISTRY", "Rule"]

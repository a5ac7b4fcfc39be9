"""Which matcher ``nos diff`` runs: ``lexical`` (always there), ``semantic`` (the ``semantic`` extra) or ``auto``.

``auto`` is the semantic matcher when the extra is installed, else the lexical one; finding out imports nothing
(nos_cli.diff.semantic.missing looks the modules up without loading them). Each matcher scores on its own
scale, so each has its own default threshold, chosen on real role descriptions (docs/diff.md).
"""

from __future__ import annotations

from nos_cli.errors import NosError

LEXICAL, SEMANTIC, AUTO = "lexical", "semantic", "auto"
MATCHERS = (LEXICAL, SEMANTIC, AUTO)


def resolve(name: str) -> str:
    """The matcher that will run for ``--matcher NAME``; a one-line error when the semantic one cannot."""
    from nos_cli.diff.semantic import INSTALL_HINT, missing

    if name == LEXICAL:
        return LEXICAL
    absent = missing()
    if name == AUTO:
        return LEXICAL if absent else SEMANTIC
    if absent:
        raise NosError(f"--matcher semantic needs the semantic extra ({', '.join(absent)} not installed): "
                       f"{INSTALL_HINT}")
    return SEMANTIC


def default_threshold(matcher: str) -> float:
    if matcher == SEMANTIC:
        from nos_cli.diff.fuse import DEFAULT_SEMANTIC_THRESHOLD

        return DEFAULT_SEMANTIC_THRESHOLD
    from nos_cli.diff.match import DEFAULT_THRESHOLD

    return DEFAULT_THRESHOLD

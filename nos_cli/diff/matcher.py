"""Which matcher ``nos diff`` runs: ``lexical`` (always there), ``semantic`` (the ``semantic`` extra) or ``auto``.

``auto`` is the semantic matcher when the extra is installed, else the lexical one; finding out imports nothing
(nos_cli.diff.semantic.missing looks the modules up without loading them). A map too large to embed in
seconds (over ``AUTO_LIMIT`` texts: a first run embeds every node, about 7 ms a text on two cores) gets the
lexical matcher from ``auto``, with a note on stderr, and so does a role of over ``AUTO_STATEMENTS`` statements
(each statement is embedded on every run: 200,000 bullets would take many minutes); ``--matcher semantic``
embeds them all the same. Each
matcher scores on its own scale, so each has its own default threshold, chosen on real role descriptions
(docs/diff.md).
"""

from __future__ import annotations

from nos_cli.errors import NosError

LEXICAL, SEMANTIC, AUTO = "lexical", "semantic", "auto"
MATCHERS = (LEXICAL, SEMANTIC, AUTO)
AUTO_LIMIT = 2000
AUTO_STATEMENTS = 2000


def resolve(name: str, texts: int = 0, statements: int = 0) -> str:
    """The matcher that will run for ``--matcher NAME`` on a map of ``texts`` texts and a role of ``statements``
    statements; a one-line error when the semantic one is asked for and cannot run."""
    import sys

    from nos_cli.diff.semantic import INSTALL_HINT, missing

    if name == LEXICAL:
        return LEXICAL
    absent = missing()
    if name == AUTO:
        if not absent and texts > AUTO_LIMIT:
            sys.stderr.write(f"nos: the map has {texts:,} texts, too many to embed quickly: the lexical matcher "
                             f"is used (--matcher semantic embeds them once, then caches them)\n")
            return LEXICAL
        if not absent and statements > AUTO_STATEMENTS:
            sys.stderr.write(f"nos: the role has {statements:,} statements, too many to embed quickly: the lexical "
                             f"matcher is used (--matcher semantic embeds them all the same)\n")
            return LEXICAL
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

"""The semantic matcher: the cosine of sentence embeddings fused with the lexical score.

score = 100 * (SEMANTIC_WEIGHT * cosine + (1 - SEMANTIC_WEIGHT) * lexical / 100), clipped to 0-100.

The embedding finds a duty written in the workplace's words ("be a trusted adult", "off-the-job reviews") that
shares no word with the standard; the lexical score keeps the credit for naming the standard's own words and
supplies the shared words the report shows. Each node is embedded with the text a reader would give it: a
KSB with the title of the function that links it, a function with its title and the KSBs it links, a key
area with its title and its functions' titles. Node vectors are cached per map (nos_cli.diff.vectors).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from nos_cli.diff.match import MATCH_KINDS, MapModel, Match, StatementResult, score_all
from nos_cli.diff.role import Statement
from nos_cli.model import AREA, FUNCTION

#: Chosen on ../shared/diff-dev (see docs/diff.md): the weight the issue measured, and the threshold under which
#: the out-of-scope lines fall (pay, place, employer blurb) while few duties do.
SEMANTIC_WEIGHT = 0.6
DEFAULT_SEMANTIC_THRESHOLD = 28.0


def node_texts(model: MapModel) -> list[str]:
    """The text each node is embedded with, in ``model.nodes`` order."""
    by_id = {n.id: n for n in model.nodes}
    functions_of: dict[str, list[str]] = defaultdict(list)
    for n in model.nodes:
        if n.kind == FUNCTION:
            for ksb in n.ksbs:
                functions_of[ksb].append(n.text)
    area_functions: dict[str, list[str]] = defaultdict(list)
    for n in model.nodes:
        if n.kind == FUNCTION:
            for area in n.areas:
                area_functions[area].append(n.text)
    texts = []
    for n in model.nodes:
        if n.kind == FUNCTION:
            parts = [n.text, *(by_id[k].text for k in n.ksbs if k in by_id)]
        elif n.kind == AREA:
            parts = [n.text, *area_functions.get(n.id, ())]
        else:
            parts = [*functions_of.get(n.id, ())[:1], n.text]
        texts.append(". ".join(p.rstrip(". ") for p in parts))
    return texts


def match_all(model: MapModel, statements: Sequence[Statement], *, threshold: float = DEFAULT_SEMANTIC_THRESHOLD,
              top: int = 3, map_path: str = "-", use_cache: bool = True) -> list[StatementResult]:
    """Every statement's best matches (at or above ``threshold``, at most ``top``), best first."""
    from nos_cli.diff.semantic import encoder, identity
    from nos_cli.diff.vectors import cached_vectors

    if not statements:
        return []
    enc = encoder()
    node_vectors = cached_vectors(map_path, identity(), node_texts(model), enc.encode, use_cache=use_cache)
    cosines = enc.encode([s.text for s in statements]) @ node_vectors.T
    results = []
    for statement, row in zip(statements, cosines, strict=True):
        scored = fused(model, statement.text, [float(c) for c in row])
        results.append(StatementResult(statement, [m for m in scored if m.score >= threshold][:top]))
    return results


def fused(model: MapModel, text: str, cosines: Sequence[float]) -> list[Match]:
    """Every node scored by the fusion, best first; ``cosines`` in ``model.nodes`` order."""
    lexical = {m.id: m for m in score_all(model, text)}
    out = []
    for node, cosine in zip(model.nodes, cosines, strict=True):
        lex = lexical.get(node.id)
        score = 100.0 * (SEMANTIC_WEIGHT * cosine + (1 - SEMANTIC_WEIGHT) * (lex.score if lex else 0.0) / 100.0)
        out.append(Match(node.id, node.kind, node.text, round(min(100.0, max(0.0, score)), 1),
                         lex.shared if lex else ()))
    out.sort(key=lambda m: (-m.score, MATCH_KINDS.index(m.kind)))
    return out

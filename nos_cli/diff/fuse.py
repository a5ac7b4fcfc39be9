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

from nos_cli.diff.match import MapModel, Match, StatementResult, distinct, score_all
from nos_cli.diff.nodes import MATCH_KINDS
from nos_cli.diff.role import Statement, employment_detail
from nos_cli.model import AREA, FUNCTION

#: Chosen on ../shared/diff-dev (see docs/diff.md): the weight the issue measured, and the threshold under which
#: the out-of-scope lines fall (pay, place, employer blurb) while few duties do. (An even weight scored a point or
#: two higher on the labelled sets but lost the duty in wholly other words, "keep youngsters out of harm's way",
#: that the embedding is there to find.)
SEMANTIC_WEIGHT = 0.6
DEFAULT_SEMANTIC_THRESHOLD = 32.0


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


def views(model: MapModel) -> tuple[list[str], list[int]]:
    """Every text embedded for the map, and the node (its place in ``model.nodes``) each belongs to: each node's
    text, then each alias on its own. An alias is another name for the node (as in ESCO), so it is compared on
    its own rather than appended to the node's text, which would blur both."""
    texts = node_texts(model)
    owner = list(range(len(texts)))
    for i, n in enumerate(model.nodes):
        for alias in n.aliases:
            texts.append(alias)
            owner.append(i)
    return texts, owner


def match_all(model: MapModel, statements: Sequence[Statement], *, threshold: float = DEFAULT_SEMANTIC_THRESHOLD,
              map_path: str = "-", use_cache: bool = True) -> list[StatementResult]:
    """Every statement's matches at or above ``threshold``, best first, as the lexical matcher gives them (how
    many to show is the renderer's choice: coverage never depends on it)."""
    from nos_cli.diff.semantic import encoder, identity
    from nos_cli.diff.vectors import cached_vectors

    if not statements:
        return []
    enc = encoder()
    texts, owner = views(model)
    vectors = cached_vectors(map_path, identity(), texts, enc.encode, use_cache=use_cache)
    per_view = enc.encode([s.text for s in statements]) @ vectors.T
    results = []
    for statement, row in zip(statements, per_view, strict=True):
        cosines = [-1.0] * len(model.nodes)
        for view, node in enumerate(owner):  # a node's cosine is that of its closest view: text or alias
            cosines[node] = max(cosines[node], float(row[view]))
        if employment_detail(statement.text):
            results.append(StatementResult(statement, []))  # "Salary: ..." is not a duty, however it embeds
            continue
        scored = fused(model, statement.text, cosines)
        results.append(StatementResult(statement, distinct(model, [m for m in scored if m.score >= threshold])))
    return results


def fused(model: MapModel, text: str, cosines: Sequence[float]) -> list[Match]:
    """Every node scored by the fusion, best first; ``cosines`` in ``model.nodes`` order."""
    lexical = {m.id: m for m in score_all(model, text)}
    out = []
    for node, cosine in zip(model.nodes, cosines, strict=True):
        lex = lexical.get(node.id)
        score = 100.0 * (SEMANTIC_WEIGHT * cosine + (1 - SEMANTIC_WEIGHT) * (lex.score if lex else 0.0) / 100.0)
        out.append(Match(node.id, node.kind, node.text, round(min(100.0, max(0.0, score)), 1),
                         lex.shared if lex else (), lex.via if lex else None))
    out.sort(key=lambda m: (-m.score, MATCH_KINDS.index(m.kind)))
    return out

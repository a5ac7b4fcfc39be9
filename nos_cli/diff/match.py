"""Match the statements of a role description against a map: every statement scored against every KSB,
function and key area, with the words they share.

Scoring (0-100), on normalised tokens (nos_cli.diff.textnorm):
- candidates come from an inverted index (every node sharing a token with the statement), so a map of
  100,000 KSBs is not compared pair by pair;
- overlap: the IDF-weighted share of the statement's meaning the node explains and of the node's meaning the
  statement names, combined as a weighted harmonic mean (rare words weigh more than common ones);
- rapidfuzz's token-set ratio of the two normalised token strings rescores the best candidates;
- score = 100 * (OVERLAP_WEIGHT * overlap + (1 - OVERLAP_WEIGHT) * fuzzy).
A function's text is its title with the texts of the KSBs it links, so a duty can match the function even
when it names the skill in other words than either statement.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from nos_cli.diff.role import Statement
from nos_cli.diff.textnorm import tokens
from nos_cli.maps.index import AREA, FUNCTION, MapIndex
from nos_cli.model import KSB_KINDS

#: Defaults chosen on the development half of bench/diff_eval (see docs/diff.md for how).
DEFAULT_THRESHOLD = 28.0
DEFAULT_TOP = 3
OVERLAP_WEIGHT = 0.85
RECALL_BETA = 1.5  # the statement's side counts more: a duty need not restate the whole KSB
RESCORE = 40  # candidates rescored with rapidfuzz per statement
#: A token in more nodes than this (or 1% of the map, if more) does not create candidates, it only adds to
#: candidates that rarer tokens found: on large maps, common words would otherwise make every node a candidate.
CANDIDATE_CAP = 1000
CONCEPT_BOOST = 2.0  # a shared concept (pupil ~ learner) is stronger evidence than a shared word
UNKNOWN_WEIGHT = 0.7  # a word the map never uses weighs this share of the rarest word's weight
MATCH_KINDS = (*KSB_KINDS, FUNCTION, AREA)


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    text: str
    tokens: frozenset[str]
    areas: tuple[str, ...]
    ksbs: tuple[str, ...] = ()  # for a function: the KSBs it links


@dataclass(frozen=True)
class Match:
    id: str
    kind: str
    text: str
    score: float
    shared: tuple[str, ...]  # the words (or concepts) the statement and the node share


@dataclass
class StatementResult:
    statement: Statement
    matches: list[Match]  # best first, at most --top, all at or above the threshold

    @property
    def matched(self) -> bool:
        return bool(self.matches)


@dataclass
class MapModel:
    """The map prepared for matching: nodes, their tokens, IDF weights and an inverted index."""

    map_id: str
    title: str
    nodes: Sequence[Node]  # made on first use (_Nodes): matching touches a few thousand of a large map's nodes
    idf: dict[str, float]
    postings: Mapping[str, list[int]]  # read lazily from the index database (nos_cli.diff.postings)
    weight: list[float] = field(default_factory=list)  # sum of IDF of each node's tokens
    _sets: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)

    def posting_set(self, token: str) -> frozenset[int]:
        if token not in self._sets:
            self._sets[token] = frozenset(self.postings[token])
        return self._sets[token]

    def function_ksbs(self) -> dict[str, tuple[str, ...]]:
        """Each function's linked KSBs, without making every node."""
        specs = self.nodes.specs if isinstance(self.nodes, _Nodes) else [(n.id, "", "", (), n.ksbs) for n in self.nodes]
        return {s[0]: s[4] for s in specs if s[4]}

    def w(self, token: str) -> float:
        return self.idf.get(token, UNKNOWN_WEIGHT * self.max_idf)

    @property
    def max_idf(self) -> float:
        return math.log(1 + len(self.nodes))


Spec = tuple[str, str, str, tuple[str, ...], tuple[str, ...]]


class _Nodes(Sequence[Node]):
    """The nodes of a model, each made when first asked for."""

    def __init__(self, specs: list[Spec], toks: Sequence[Sequence[str]]) -> None:
        self.specs = specs
        self._toks = toks
        self._made: dict[int, Node] = {}

    def __len__(self) -> int:
        return len(self.specs)

    @overload
    def __getitem__(self, i: int) -> Node: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Node]: ...

    def __getitem__(self, i: int | slice) -> Node | Sequence[Node]:
        if isinstance(i, slice):
            return [self[j] for j in range(len(self.specs))[i]]
        if i not in self._made:
            node_id, kind, text, areas, linked = self.specs[i]
            self._made[i] = Node(node_id, kind, text, frozenset(self._toks[i]), areas, linked)
        return self._made[i]


def _node_specs(index: MapIndex) -> list[tuple[str, str, str, tuple[str, ...], tuple[str, ...], str]]:
    """(id, kind, text, areas, linked KSBs, text to tokenise) for every node that statements are matched to."""
    ksb_text: dict[str, str] = {}
    fn_ksbs: dict[str, list[str]] = defaultdict(list)
    for node_id, kind, text, _line, functions, _areas in index.records:
        if kind in KSB_KINDS:
            ksb_text[node_id] = text
            for f in functions:
                fn_ksbs[f].append(node_id)
    specs = []
    for node_id, kind, text, _line, _functions, areas in index.records:
        if kind in MATCH_KINDS:
            linked = tuple(fn_ksbs.get(node_id, ())) if kind == FUNCTION else ()
            specs.append((node_id, kind, text, tuple(areas), linked, " ".join([text, *(ksb_text[k] for k in linked)])))
    return specs


def build_model(index: MapIndex, *, use_cache: bool = True) -> MapModel:
    """The map ready for matching. Tokenising a large map's texts, and the IDF weights and inverted index built
    from the tokens, are the costly part, so they are kept in the index database (nos_cli.diff.postings, keyed
    by the file and by a fingerprint of the vocabulary in nos_cli.diff.textnorm)."""
    from nos_cli.diff import postings as stored
    from nos_cli.diff.textnorm import vocabulary_id

    full = _node_specs(index)
    specs: list[Spec] = [s[:5] for s in full]

    def compute() -> tuple[Any, ...]:
        toks = tuple(tuple(dict.fromkeys(tokens(spec[5]))) for spec in full)
        df: dict[str, int] = defaultdict(int)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, node_tokens in enumerate(toks):
            for t in node_tokens:
                df[t] += 1
                postings[t].append(i)
        n = len(toks)
        idf = {t: math.log(1 + n / c) * (CONCEPT_BOOST if t.startswith("#") else 1.0) for t, c in df.items()}
        weights = [sum(idf[t] for t in node_tokens) for node_tokens in toks]
        return toks, idf, dict(postings), weights

    found = stored.get(index, vocabulary_id(), len(specs)) if use_cache else None
    if found is None:
        toks, idf, postings, weights = compute()
        if use_cache:
            stored.put(index, vocabulary_id(), toks, idf, postings, weights)
    else:
        toks, idf, postings, weights = found
    return MapModel(index.map_id, index.title, _Nodes(specs, toks), idf, postings, list(weights))


def match_statement(model: MapModel, statement: Statement, *, threshold: float = DEFAULT_THRESHOLD,
                    top: int = DEFAULT_TOP) -> StatementResult:
    scored = score_all(model, statement.text)
    kept = [m for m in scored if m.score >= threshold][:top]
    return StatementResult(statement, kept)


def score_all(model: MapModel, text: str) -> list[Match]:
    """Every candidate node with its score, best first."""
    from rapidfuzz import fuzz

    stoks = set(tokens(text))
    if not stoks:
        return []
    s_weight = sum(model.w(t) for t in stoks)
    cap = max(CANDIDATE_CAP, len(model.nodes) // 100)
    known = [t for t in stoks if t in model.postings]
    rare = [t for t in known if len(model.postings[t]) <= cap]
    common = [t for t in known if len(model.postings[t]) > cap]
    acc: dict[int, float] = defaultdict(float)
    for t in rare:
        for i in model.postings[t]:
            acc[i] += model.idf[t]
    if not acc and common:  # nothing rare to go by: the least common token's first nodes are the candidates
        for i in model.postings[min(common, key=lambda t: len(model.postings[t]))][:cap]:
            acc[i] += 0.0
    if common:
        # Membership in each common token's postings (a set made once per run), so candidates' tokens need not
        # be read: on a large map that would be thousands of nodes per statement.
        sets = [(model.idf[t], model.posting_set(t)) for t in common]
        for i in acc:
            shared_w = sum(w for w, s in sets if i in s)
            if shared_w:
                acc[i] += shared_w
    if not acc:
        return []
    beta2 = RECALL_BETA ** 2
    prelim = []
    for i, shared_w in acc.items():
        recall = shared_w / s_weight
        precision = shared_w / model.weight[i]
        overlap = (1 + beta2) * recall * precision / (beta2 * precision + recall)
        prelim.append((overlap, i))
    prelim.sort(reverse=True)
    s_norm = " ".join(sorted(stoks))
    out = []
    for overlap, i in prelim[:RESCORE]:
        node = model.nodes[i]
        fuzzy = fuzz.token_set_ratio(s_norm, " ".join(sorted(node.tokens))) / 100.0
        score = 100.0 * (OVERLAP_WEIGHT * overlap + (1 - OVERLAP_WEIGHT) * fuzzy)
        shared = tuple(sorted(stoks & node.tokens, key=lambda t: -model.idf.get(t, 0)))
        out.append(Match(node.id, node.kind, node.text, round(score, 1), shared))
    out.sort(key=lambda m: (-m.score, MATCH_KINDS.index(m.kind)))
    return out


def match_all(model: MapModel, statements: Sequence[Statement], *, threshold: float = DEFAULT_THRESHOLD,
              top: int = DEFAULT_TOP) -> list[StatementResult]:
    return [match_statement(model, s, threshold=threshold, top=top) for s in statements]


def readable(shared: Iterable[str]) -> list[str]:
    """Shared tokens as words a reader recognises: concepts without their mark."""
    return [t.lstrip("#") for t in shared]

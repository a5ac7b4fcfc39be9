"""Match the statements of a role description against a map: every statement scored against every KSB,
function and key area, with the words they share.

Scoring (0-100), on normalised tokens (nos_cli.diff.textnorm), for a statement S and a node N:
- N's vocabulary is its own words, its aliases, and the words it borrows (nos_cli.diff.nodes); borrowed words,
  and the words of an alias the statement does not say in full, count BORROWED of their weight; candidates
  come from an inverted index over the vocabularies, so a map of 100,000 KSBs is not compared pair by pair;
- recall: the IDF-weighted share of S's meaning that N's vocabulary explains;
- precision: the best, over N's own text and each alias, of the share of that text S names; a text shorter
  than SHORT_TEXT times the map's largest IDF counts as that long, so a short KSB cannot win on one word;
- overlap: the weighted harmonic mean of the two (recall counts RECALL_BETA times as much: a duty need not
  restate the whole KSB);
- a node sharing one word only (and no whole alias) keeps SINGLE_WORD of its overlap (SINGLE_CONCEPT for a
  concept);
- rapidfuzz's token-set ratio of S and the best text rescores the best candidates;
- score = 100 * (OVERLAP_WEIGHT * overlap + (1 - OVERLAP_WEIGHT) * fuzzy).
``lexical_scores`` exposes the score of every candidate, so another matcher can fuse it with its own.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from nos_cli.diff.nodes import MATCH_KINDS, node_texts
from nos_cli.diff.role import Statement, employment_detail
from nos_cli.diff.textnorm import STOP_WORDS, stem, surface_tokens, tokens, words
from nos_cli.maps.index import MapIndex
from nos_cli.model import FUNCTION

#: Defaults chosen on ../shared/diff-dev, checked fold against fold (see docs/diff.md for how).
DEFAULT_THRESHOLD = 28.0
DEFAULT_TOP = 3
OVERLAP_WEIGHT = 0.85
RECALL_BETA = 2.0
BORROWED = 0.8  # a word a node borrows from a linked node is weaker evidence than its own
SHORT_TEXT = 1.5  # a text weighs at least this many of the rarest word: short KSBs do not win on one word
NEAR = 2.0  # points within which a KSB is named rather than a function that links it
RESCORE = 40  # candidates rescored with rapidfuzz per statement
#: A token in more nodes than this (or 1% of the map, if more) does not create candidates, it only adds to
#: candidates that rarer tokens found: on large maps, common words would otherwise make every node a candidate.
CANDIDATE_CAP = 1000
CONCEPT_BOOST = 2.0  # a shared concept (pupil ~ learner) is stronger evidence than a shared word
#: A node that shares a single word with a statement (and no whole alias) keeps this share of its overlap: one
#: word in common ("time", "opportunities") is how short KSBs won lines about pay and hours.
SINGLE_WORD = 0.6
SINGLE_CONCEPT = 0.85  # the same for one concept alone ("staff" in "a staff canteen"), less: a concept means more
UNKNOWN_WEIGHT = 0.7  # a word the map never uses weighs this share of the rarest word's weight
#: Bump when what the model caches changes shape.
MODEL_VERSION = 7


@dataclass(frozen=True, slots=True)  # slots: a 100,000-KSB map holds 100,000 of these
class Candidate:
    """A node of the map as the matcher holds it (not nos_cli.model.Node): its words as tokens, ready to score."""

    id: str
    kind: str
    text: str
    tokens: frozenset[str]  # its own text's
    areas: tuple[str, ...]
    ksbs: tuple[str, ...] = ()  # for a function: the KSBs it links
    aliases: tuple[str, ...] = ()
    views: tuple[frozenset[str], ...] = ()  # the tokens of each alias, in order
    alias_words: tuple[frozenset[str], ...] = ()  # the stemmed words of each alias, in order
    weight: float = 0.0  # the IDF weight of its own text's tokens
    #: its own tokens with the words it borrows and its aliases' words (which count BORROWED); the very set of
    #: its own tokens when it has no others, so a large map of plain KSBs holds one set a node
    vocab: frozenset[str] = frozenset()

    def factor(self, token: str) -> float:
        """How much a token the node has counts: its own words fully, borrowed and alias words less."""
        return 1.0 if token in self.tokens else BORROWED if token in self.vocab else 0.0

    def vocabulary(self, statement: set[str]) -> set[str]:
        """The statement's tokens the node has, its own or weak."""
        return statement & self.vocab


@dataclass(frozen=True)
class Match:
    id: str
    kind: str
    text: str
    score: float
    shared: tuple[str, ...]  # the statement's words that the node shares, as the statement writes them
    via: str | None = None  # the alias that matched, when an alias explained the statement best


@dataclass
class StatementResult:
    statement: Statement
    matches: list[Match]  # best first, all at or above the threshold (the report shows the first --top)

    @property
    def matched(self) -> bool:
        return bool(self.matches)


@dataclass
class MapModel:
    """The map prepared for matching: nodes, their tokens, IDF weights and an inverted index."""

    map_id: str
    title: str
    nodes: list[Candidate]
    idf: dict[str, float]
    postings: dict[str, list[int]]
    path: str = ""
    _by_id: dict[str, Candidate] | None = None

    def by_id(self, node_id: str) -> Candidate | None:
        if self._by_id is None:
            self._by_id = {n.id: n for n in self.nodes}
        return self._by_id.get(node_id)

    def function_ksbs(self) -> dict[str, tuple[str, ...]]:
        """Each function's linked KSBs."""
        return {n.id: n.ksbs for n in self.nodes if n.ksbs}

    def w(self, token: str) -> float:
        return self.idf.get(token, UNKNOWN_WEIGHT * self.max_idf)

    @property
    def max_idf(self) -> float:
        return math.log(1 + len(self.nodes))


def build_model(index: MapIndex, *, use_cache: bool = True) -> MapModel:
    """The map ready for matching: each node's tokens (its own, its aliases' and the words it borrows), the IDF
    weights and the inverted index, made from the map's records in the index database. Working them out takes
    seconds on a 100k-KSB map, so they are kept beside the records (one compressed JSON value per file and
    vocabulary), every value checked when read back; ``use_cache=False`` neither reads nor writes it."""
    def compute() -> tuple[Any, ...]:
        specs = node_texts(index)
        own = [tuple(dict.fromkeys(tokens(n.text))) for n in specs]
        views = [tuple(tuple(dict.fromkeys(tokens(a))) for a in n.aliases) for n in specs]
        weak: list[tuple[str, ...]] = []
        for n, o, v in zip(specs, own, views, strict=True):
            # An alias's words, when the statement does not say all of it, are weak evidence, like borrowed ones.
            mine = set(o)
            weak.append(tuple(t for t in dict.fromkeys((*(t for b in n.borrowed for t in tokens(b)),
                                                         *(t for a in v for t in a))) if t not in mine))
        df: dict[str, int] = defaultdict(int)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, (o, w) in enumerate(zip(own, weak, strict=True)):
            for t in (*o, *w):
                df[t] += 1
                postings[t].append(i)
        size = len(own)
        idf = {t: math.log(1 + size / c) * (CONCEPT_BOOST if t.startswith("#") else 1.0) for t, c in df.items()}
        return tuple(n.as_tuple() for n in specs), tuple(own), tuple(views), tuple(weak), idf, dict(postings)

    from nos_cli.diff.textnorm import vocabulary_id

    key = f"{vocabulary_id()}-{MODEL_VERSION}"
    found = _stored_model(index, key) if use_cache else None
    if found is None:
        found = compute()
        if use_cache:
            _store_model(index, key, found)
    specs, own, views, weak, idf, postings = found
    nodes = []
    for s, o, v, w in zip(specs, own, views, weak, strict=True):
        mine = frozenset(o)
        nodes.append(Candidate(s[0], s[1], s[2], mine, tuple(s[3]), tuple(s[4]), tuple(s[5]),
                          views=tuple(frozenset(a) for a in v),
                          alias_words=tuple(_content_stems(a) for a in s[5]),
                          weight=sum(idf[t] for t in o), vocab=mine.union(w) if w else mine))
    return MapModel(index.map_id, index.title, nodes, idf, postings, index.path)


#: The largest stored model read back, uncompressed (a 100k-KSB map's is about 40 MB).
MAX_MODEL_BYTES = 512 << 20


def _store_model(index: MapIndex, key: str, model: tuple[Any, ...]) -> None:
    import json
    import zlib

    index.store.put_model_blob(index.file_id, key, zlib.compress(json.dumps(model).encode("utf-8"), 1))


def _stored_model(index: MapIndex, key: str) -> tuple[Any, ...] | None:
    """The stored model, when every value of it has the type and range it must have; else None (computed anew).
    JSON, not pickle or marshal: what is read back can be wrong, never run."""
    import json
    import zlib

    blob = index.store.model_blob(index.file_id, key)
    if blob is None:
        return None
    try:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(blob, MAX_MODEL_BYTES)
        if inflater.unconsumed_tail:
            return None
        data = json.loads(raw)
    except (zlib.error, ValueError, RecursionError):
        return None
    return tuple(data) if _valid_model(data) else None


def _strs(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _valid_model(data: Any) -> bool:
    if not (isinstance(data, list) and len(data) == 6):
        return False
    specs, own, views, weak, idf, postings = data
    n = len(specs) if isinstance(specs, list) else -1
    return (n >= 0 and all(isinstance(s, list) and len(s) == 6 and all(isinstance(v, str) for v in s[:3])
                           and all(_strs(v) for v in s[3:]) for s in specs)
            and isinstance(own, list) and len(own) == n and all(_strs(o) for o in own)
            and isinstance(weak, list) and len(weak) == n and all(_strs(w) for w in weak)
            and isinstance(views, list) and len(views) == n
            and all(isinstance(v, list) and all(_strs(a) for a in v) for v in views)
            and isinstance(idf, dict) and all(isinstance(k, str) and isinstance(v, (int, float))
                                              and not isinstance(v, bool) for k, v in idf.items())
            and isinstance(postings, dict)
            and all(isinstance(k, str) and isinstance(v, list) and all(type(i) is int and 0 <= i < n for i in v)
                    for k, v in postings.items()))


def _content_stems(text: str) -> frozenset[str]:
    """The stems of a text's words that are not stop words: what "the statement says the alias's words" means."""
    return frozenset(stem(w) for w in words(text) if w not in STOP_WORDS)


def match_statement(model: MapModel, statement: Statement, *, threshold: float = DEFAULT_THRESHOLD) -> StatementResult:
    """Every match of one statement at or above the threshold, best first (how many to show is the
    renderer's choice: coverage never depends on it). A term of the job ("Salary: ...", "Responsible to:
    ...") matches nothing."""
    if employment_detail(statement.text):
        return StatementResult(statement, [])  # "Responsible to: Head of Inclusion" is not a duty
    kept = [m for m in score_all(model, statement.text, floor=threshold) if m.score >= threshold]
    return StatementResult(statement, distinct(model, kept))


def distinct(model: MapModel, matches: list[Match]) -> list[Match]:
    """Matches that each say something the better ones have not: a function after one of the KSBs it links,
    or a KSB after a function that links it, stands for what is already listed (F9 after S9 names S9 again),
    so it gives its place to the next part of the map."""
    out: list[Match] = []
    listed: set[str] = set()  # KSBs listed, and the KSBs of the functions listed
    score = {m.id: m.score for m in matches}
    # A KSB within NEAR points of a function that links it is named instead: it says more precisely what the
    # statement evidences (S7 rather than F7 "Keep learners' records" when both score alike).
    rank = {m.id: max((score[k] for k in _links(model, m) if score.get(k, -1.0) >= m.score - NEAR), default=m.score)
            for m in matches}
    for m in sorted(matches, key=lambda m: (-rank[m.id], m.kind == FUNCTION)):
        node = model.by_id(m.id) if m.kind == "function" else None
        family = set(node.ksbs) if node is not None else {m.id}
        if (node is not None and family & listed) or (node is None and m.id in listed):
            continue
        listed |= family
        out.append(m)
    return out


def _links(model: MapModel, m: Match) -> tuple[str, ...]:
    node = model.by_id(m.id) if m.kind == "function" else None
    return node.ksbs if node is not None else ()


def lexical_scores(model: MapModel, text: str) -> dict[str, float]:
    """The lexical score (0-100) of every candidate node for a text, by node id: what a fused matcher combines
    with its own scores. Nodes that share no word with the text are absent (score 0)."""
    return {m.id: m.score for m in score_all(model, text)}


def score_all(model: MapModel, text: str, *, floor: float = 0.0) -> list[Match]:
    """Every candidate node with its score, best first; with ``floor``, candidates that cannot score that much
    are left out without being rescored (a candidate's overlap bounds its score)."""
    from rapidfuzz import fuzz

    surface = surface_tokens(text)
    stoks = {t for t, _ in surface}
    said_words = _content_stems(text)
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
            acc[i] += model.idf[t] * model.nodes[i].factor(t)
    if not acc and common:  # nothing rare to go by: the least common token's first nodes are the candidates
        for i in model.postings[min(common, key=lambda t: len(model.postings[t]))][:cap]:
            acc[i] += 0.0
    if common:
        common_set = frozenset(common)
        for i in acc:  # one C-level intersection per candidate, not a Python loop over common tokens
            node = model.nodes[i]
            acc[i] += sum(model.idf[t] * node.factor(t) for t in common_set & node.vocab)
    if not acc:
        return []
    beta2 = RECALL_BETA ** 2
    floor = SHORT_TEXT * model.max_idf
    prelim = []
    for i, shared_w in acc.items():
        node = model.nodes[i]
        own = node.tokens & stoks
        best = sum(model.idf[t] for t in own) / max(node.weight, floor) if own else 0.0
        via = -1
        # An alias is evidence only when the statement says all of it: "pastoral support" is not matched by
        # "support" alone. Its words then count in full, and it can stand for the node's text.
        extra: set[str] = set()
        rank: tuple[float, float] = (-1.0, 0.0)
        view_at = -1  # the alias that explains the statement best, when one does better than the node's text
        own_best = best
        for v, view in enumerate(node.views):
            if view and view <= stoks:
                extra |= view
                weight = sum(model.idf[t] for t in view)
                p = weight / max(weight, floor)
                if p > best:
                    best, view_at = p, v
                # The alias named is the one the statement words most alike, and only when it says at least
                # half of the alias's own words: one matched through synonyms ("risk of harm" for
                # "safeguarding") is used, but naming it would not tell the reader why.
                alias_words = node.alias_words[v]
                alike = len(alias_words & said_words) / len(alias_words) if alias_words else 0.0
                candidate = (alike, p)
                if alike >= 0.5 and p >= own_best and candidate > rank:
                    rank, via = candidate, v
        if extra:
            shared_w += sum(model.idf[t] * (1.0 - node.factor(t)) for t in extra)
        recall = min(shared_w / s_weight, 1.0)
        overlap = (1 + beta2) * recall * best / (beta2 * best + recall) if best and recall else 0.0
        in_common = node.vocabulary(stoks)
        if not extra and len(in_common) == 1:
            overlap *= SINGLE_CONCEPT if next(iter(in_common)).startswith("#") else SINGLE_WORD
        prelim.append((overlap, i, via, view_at))
    prelim.sort(key=lambda x: (-x[0], x[1]))
    s_norm = " ".join(sorted(stoks))
    said: dict[str, list[str]] = {}  # the statement's words that made each token, in its order
    for t, w in surface:
        if w not in said.setdefault(t, []):
            said[t].append(w)
    out = []
    for overlap, i, via, view_at in prelim[:RESCORE]:
        if 100.0 * (OVERLAP_WEIGHT * overlap + (1 - OVERLAP_WEIGHT)) < floor - 0.05:
            break  # fuzzy is at most 1 and prelim is sorted by overlap: none from here rounds up to the floor
        node = model.nodes[i]
        view = node.views[view_at] if view_at >= 0 else node.tokens
        fuzzy = fuzz.token_set_ratio(s_norm, " ".join(sorted(view))) / 100.0
        score = 100.0 * (OVERLAP_WEIGHT * overlap + (1 - OVERLAP_WEIGHT) * fuzzy)
        shared = sorted(node.vocabulary(stoks), key=lambda t: (-model.idf.get(t, 0), t))
        out.append(Match(node.id, node.kind, node.text, round(score, 1), tuple(w for t in shared for w in said[t]),
                         node.aliases[via] if via >= 0 else None))
    out.sort(key=lambda m: (-m.score, MATCH_KINDS.index(m.kind)))
    return out


def match_all(model: MapModel, statements: Sequence[Statement], *,
              threshold: float = DEFAULT_THRESHOLD) -> list[StatementResult]:
    # A statement repeated (a pasted list, a generated description) is scored once: its matches depend only on
    # its text.
    seen: dict[str, list[Match]] = {}
    out = []
    for s in statements:
        matches = seen.get(s.text)
        if matches is None:
            matches = seen[s.text] = match_statement(model, s, threshold=threshold).matches
        out.append(StatementResult(s, matches))
    return out


def readable(shared: Iterable[str]) -> list[str]:
    """Shared words as the report shows them (they are already the statement's own words)."""
    return list(shared)

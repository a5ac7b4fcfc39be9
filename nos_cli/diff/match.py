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

from nos_cli.diff.nodes import MATCH_KINDS
from nos_cli.diff.role import Statement, employment_detail
from nos_cli.diff.stored import BORROWED, SMALL_MODEL, NodeRow, Source, cap_of
from nos_cli.diff.textnorm import STOP_WORDS, stem, surface_tokens, words
from nos_cli.maps.index import MapIndex
from nos_cli.model import FUNCTION

#: Defaults chosen on ../shared/diff-dev, checked fold against fold (see docs/diff.md for how).
DEFAULT_THRESHOLD = 28.0
DEFAULT_TOP = 3
OVERLAP_WEIGHT = 0.85
RECALL_BETA = 2.0
SHORT_TEXT = 1.5  # a text weighs at least this many of the rarest word: short KSBs do not win on one word
NEAR = 2.0  # points within which a KSB is named rather than a function that links it
RESCORE = 40  # candidates rescored with rapidfuzz per statement
#: A node that shares a single word with a statement (and no whole alias) keeps this share of its overlap: one
#: word in common ("time", "opportunities") is how short KSBs won lines about pay and hours.
SINGLE_WORD = 0.6
SINGLE_CONCEPT = 0.85  # the same for one concept alone ("staff" in "a staff canteen"), less: a concept means more
UNKNOWN_WEIGHT = 0.7  # a word the map never uses weighs this share of the rarest word's weight


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
    weak: frozenset[str] = frozenset()  # vocab less its own tokens: the words that count BORROWED
    norm: str = ""  # its own tokens sorted and joined, as rapidfuzz compares them

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


class MapModel:
    """The map prepared for matching: nodes, their tokens, IDF weights and postings, read from their source
    (nos_cli.diff.stored) only as statements need them, and kept for the next statement."""

    def __init__(self, map_id: str, title: str, source: Source, path: str = "") -> None:
        self.map_id, self.title, self.path = map_id, title, path
        self.source = source
        self.size = source.size
        self.cap = cap_of(self.size)
        self.max_idf = math.log(1 + self.size)
        self._stats: dict[str, tuple[int, float] | None] = {}
        self._postings: dict[str, tuple[Sequence[int], Sequence[int]]] = {}
        self._bits: dict[str, int] = {}
        self._nodes: dict[int, Candidate] = {}
        self._all: list[Candidate] | None = None
        self._ids: dict[str, int] = {}
        self._weights: Sequence[float] | None = None
        self._complete = False  # every token's row is held (complete())

    @property
    def weights(self) -> Sequence[float]:
        """The IDF weight of each node's own words, in map order: how short (so how precise) a node is."""
        if self._weights is None:
            self._weights = self.source.weights()
        return self._weights

    def stats(self, tokens: Iterable[str]) -> dict[str, tuple[int, float]]:
        """(document frequency, IDF) of each of these tokens the map has."""
        missing = [t for t in tokens if t not in self._stats]
        if missing and self._complete:  # every token of the map is held: these are not in it
            self._stats.update(dict.fromkeys(missing))
        elif missing:
            found = self.source.stats(missing)
            for t in missing:
                self._stats[t] = found.get(t)
        return {t: v for t in tokens if (v := self._stats[t]) is not None}

    def w(self, token: str) -> float:
        found = self.stats((token,)).get(token)
        return found[1] if found is not None else UNKNOWN_WEIGHT * self.max_idf

    def postings(self, token: str) -> tuple[Sequence[int], Sequence[int]]:
        if token not in self._postings:
            self._postings[token] = self.source.postings(token)
        return self._postings[token]

    def bitmap(self, token: str) -> int:
        if token not in self._bits:
            self._bits[token] = self.source.bitmap(token)
        return self._bits[token]

    def complete(self) -> None:
        """Read the whole model: every node, every token's row and, for tokens in more nodes than the cap, its
        bitmap and the nodes' weights. A map of at most SMALL_MODEL nodes is read so on first use (a few
        queries, not one a statement), and forked workers then never touch the database."""
        if self._complete:
            return
        self.nodes  # noqa: B018 - every node, in one query
        for t, df, idf, own, weak in self.source.tokens():
            self._stats[t] = (df, idf)
            self._postings[t] = (own, weak)
            if df > self.cap:
                self.bitmap(t)
        if any(v is not None and v[0] > self.cap for v in self._stats.values()):
            self.weights  # noqa: B018
        self._complete = True

    def load(self, indices: Iterable[int]) -> None:
        """Read the nodes not yet read, in one go."""
        if self._all is not None:
            return
        missing = [i for i in indices if i not in self._nodes]
        if missing:
            if self.size <= SMALL_MODEL:
                self.complete()  # a small map is read whole: a few queries, not some every statement
                return
            for i, row in self.source.rows(missing).items():
                self._nodes[i] = self._candidate(i, row)

    def node(self, i: int) -> Candidate:
        if i not in self._nodes:
            self.load((i,))
        return self._nodes[i]

    @property
    def nodes(self) -> list[Candidate]:
        """Every node, in map order (the semantic matcher embeds them all)."""
        if self._all is None:
            self._all = [self._nodes.get(i) or self._candidate(i, row)
                         for i, row in enumerate(self.source.all_rows())]
            self._nodes = dict(enumerate(self._all))
        return self._all

    def _candidate(self, i: int, row: NodeRow) -> Candidate:
        mine = frozenset(row.own)
        self._ids.setdefault(row.id, i)
        return Candidate(row.id, row.kind, row.text, mine, row.areas, row.ksbs, row.aliases,
                         views=tuple(frozenset(a) for a in row.views),
                         alias_words=tuple(_content_stems(a) for a in row.aliases),
                         weight=row.weight, vocab=mine.union(row.weak) if row.weak else mine,
                         weak=frozenset(row.weak), norm=" ".join(sorted(mine)))

    def by_id(self, node_id: str) -> Candidate | None:
        i = self._ids.get(node_id)
        if i is None:
            i = self.source.find(node_id)
        return self.node(i) if i is not None else None

    def links(self, node_id: str) -> tuple[str, ...]:
        """The KSBs a function links (nothing for any other node)."""
        node = self.by_id(node_id)
        return node.ksbs if node is not None else ()


def build_model(index: MapIndex, *, use_cache: bool = True) -> MapModel:
    """The map ready for matching. Working it out takes seconds on a 100k-KSB map, so it is kept beside the
    map's records in the index database (nos_cli.diff.stored) and read back a token and a node at a time;
    ``use_cache=False`` neither reads nor writes it."""
    from nos_cli.diff import stored
    from nos_cli.diff.textnorm import vocabulary_id

    key = f"{vocabulary_id()}-{stored.MODEL_VERSION}"
    source: Source | None = stored.stored(index.store, index.file_id, key) if use_cache else None
    if source is None:
        computed = stored.compute(index)
        if use_cache:
            stored.store(index.store, index.file_id, key, computed)
        source = computed
    return MapModel(index.map_id, index.title, source, index.path)


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
    stats = model.stats(stoks)
    idf = {t: v[1] for t, v in stats.items()}
    s_weight = sum(idf.get(t, UNKNOWN_WEIGHT * model.max_idf) for t in stoks)
    rare = [t for t in stats if stats[t][0] <= model.cap]
    common = sorted((t for t in stats if stats[t][0] > model.cap), key=lambda t: (stats[t][0], t))
    acc: dict[int, float] = defaultdict(float)
    for t in rare:
        own_nodes, weak_nodes = model.postings(t)
        for i in own_nodes:
            acc[i] += idf[t]
        weak_w = idf[t] * BORROWED
        for i in weak_nodes:
            acc[i] += weak_w
    if not acc and common:
        for i in _narrowed(model, common):  # nothing rare to go by: the nodes that have the least common words
            acc[i] += 0.0
    if acc and floor > 0:
        # Nodes that could not reach the floor even if they had every common word in full are dropped before
        # their rows are read: a bound on recall bounds the overlap and so the score (the margin absorbs the
        # rounding of sums taken in another order).
        least = _least_recall(floor) * s_weight * (1 - 1e-9) - sum(idf[t] for t in common)
        acc = defaultdict(float, {i: v for i, v in acc.items() if v / BORROWED >= least})
    if not acc:
        return []
    model.load(acc)
    beta2 = RECALL_BETA ** 2
    short = SHORT_TEXT * model.max_idf
    weight_of = idf.__getitem__  # every token a node has is in the map, so in idf
    prelim = []
    for i in acc:
        # The shared weight is worked out from the node's own sets, not accumulated token by token: two C-level
        # intersections a candidate, however many of the statement's words are common.
        node = model.node(i)
        own = node.tokens & stoks
        own_w = sum(map(weight_of, own)) if own else 0.0
        weak = node.weak & stoks if node.weak else _NONE
        shared_w = own_w + BORROWED * sum(map(weight_of, weak)) if weak else own_w
        best = own_w / max(node.weight, short) if own else 0.0
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
                weight = sum(idf.get(t, 0.0) for t in view)
                p = weight / max(weight, short)
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
            shared_w += sum(idf.get(t, 0.0) * (1.0 - node.factor(t)) for t in extra)
        recall = min(shared_w / s_weight, 1.0)
        overlap = (1 + beta2) * recall * best / (beta2 * best + recall) if best and recall else 0.0
        if not extra and len(own) + len(weak) == 1:
            (word,) = own or weak
            overlap *= SINGLE_CONCEPT if word.startswith("#") else SINGLE_WORD
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
        node = model.node(i)
        view_text = " ".join(sorted(node.views[view_at])) if view_at >= 0 else node.norm
        fuzzy = fuzz.token_set_ratio(s_norm, view_text) / 100.0
        score = 100.0 * (OVERLAP_WEIGHT * overlap + (1 - OVERLAP_WEIGHT) * fuzzy)
        if round(score, 1) < floor:
            continue  # below the floor: the caller drops it, so it is not made (200k statements make millions)
        shared = sorted(node.vocabulary(stoks), key=lambda t: (-idf.get(t, 0), t))
        out.append(Match(node.id, node.kind, node.text, round(score, 1), tuple(w for t in shared for w in said[t]),
                         node.aliases[via] if via >= 0 else None))
    out.sort(key=lambda m: (-m.score, MATCH_KINDS.index(m.kind)))
    return out


#: Candidates of a statement whose every word is common (in more nodes than the cap).
FALLBACK = 3 * RESCORE
#: Of the nodes that have those words, at most this many (in map order) are ranked by length to choose them.
FALLBACK_POOL = 4 * FALLBACK


def _narrowed(model: MapModel, common: list[str]) -> list[int]:
    """Candidates for a statement whose every word is common: the nodes that have its least common word, then
    also its next least common, and so on while more than FALLBACK remain (bitmaps ANDed in C); of those, the
    shortest, since among nodes that share the same words the shorter ones are the more precise matches. When
    an AND would leave fewer than RESCORE, those few come first and the rest follow from the larger set."""
    bits = model.bitmap(common[0])
    count = bits.bit_count()
    first: list[int] = []
    for t in common[1:]:
        if count <= FALLBACK:
            break
        narrower = bits & model.bitmap(t)
        n = narrower.bit_count()
        if n < RESCORE:
            first = _set_bits(narrower, n)
            break
        bits, count = narrower, n
    seen = set(first)
    pool = [i for i in _set_bits(bits, FALLBACK_POOL) if i not in seen]
    if len(pool) > FALLBACK - len(first):
        pool.sort(key=model.weights.__getitem__)  # stable: equal weights stay in map order
    return first + pool[:FALLBACK - len(first)]


_NONE: frozenset[str] = frozenset()


def _set_bits(bits: int, limit: int) -> list[int]:
    """The numbers of the lowest ``limit`` set bits, ascending: found with str.rfind in C on the binary digits
    (lowest last), not bit by bit in Python."""
    digits = bin(bits)
    last = len(digits) - 1
    out: list[int] = []
    at = len(digits)
    while len(out) < limit:
        at = digits.rfind("1", 2, at)
        if at < 0:
            break
        out.append(last - at)
    return out


def _least_recall(floor: float) -> float:
    """The least recall with which a node can score ``floor``: with precision 1, the overlap is
    (1 + b^2) r / (b^2 + r), and the score at most 100 (OVERLAP_WEIGHT * overlap + 1 - OVERLAP_WEIGHT)."""
    overlap = ((floor - 0.05) / 100.0 - (1 - OVERLAP_WEIGHT)) / OVERLAP_WEIGHT
    if overlap <= 0:
        return 0.0
    beta2 = RECALL_BETA ** 2
    return overlap * beta2 / (1 + beta2 - overlap) if overlap < 1 + beta2 else math.inf


def match_all(model: MapModel, statements: Sequence[Statement], *, threshold: float = DEFAULT_THRESHOLD,
              keep: int | None = None) -> list[StatementResult]:
    """Each statement's matches, the best ``keep`` of them (all, if None): a report of 200k statements that
    kept 40 matches each held 8 million of them. A long role is matched on every core (nos_cli.diff.parallel)."""
    from nos_cli.diff.parallel import match_texts

    # A statement repeated (a pasted list, a generated description) is scored once: its matches depend only on
    # its text.
    texts = list(dict.fromkeys(s.text for s in statements))
    found = match_texts(model, texts, threshold, keep)
    if found is not None:
        seen = dict(zip(texts, found, strict=True))
    else:
        seen = {t: match_statement(model, Statement(t, 0), threshold=threshold).matches[:keep] for t in texts}
    return [StatementResult(s, seen[s.text]) for s in statements]


def readable(shared: Iterable[str]) -> list[str]:
    """Shared words as the report shows them (they are already the statement's own words)."""
    return list(shared)

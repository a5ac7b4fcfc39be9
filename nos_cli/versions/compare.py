"""``nos compare OLD NEW``: what changed between two maps or two versions of a standard.

Key areas, functions and KSBs are paired old to new in three passes, each on what is still unpaired:
1. identity: the same ``source_ref`` (the IfATE GUID) where both sides have one;
2. the same text (case and white space folded);
3. similar text: rapidfuzz ``token_sort_ratio`` at ``--threshold`` (default 80) or more, the best-scoring
   pairs first (a greedy assignment on sorted scores: each node is paired at most once, with its best
   available partner). Every unpaired pair is scored up to EXACT_BUDGET comparisons of statement-length texts;
   above it only pairs sharing rare words are (see ``_blocked``), so two maps of 100k KSBs compare in linear
   time. Each text is scored on its first SCORED_CHARS characters, and a word diff of texts of thousands of
   words is exact only where they start and end alike (WORD_DIFF_BUDGET), so no one text costs minutes.
A pair is *reworded* when its text changed (shown as a word diff), *renumbered* when its id changed, *moved*
when a function now sits in another key area or a KSB is linked by other functions; a pair can be all three.
What stays unpaired is *removed* (old) or *added* (new).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from nos_cli.maps.graph import FunctionalMap
from nos_cli.model import AREA, FUNCTION, KSB_KINDS, Node

DEFAULT_THRESHOLD = 80.0
GROUPS = (("key area", (AREA,)), ("function", (FUNCTION,)), ("KSB", KSB_KINDS))
CATEGORIES = ("added", "removed", "reworded", "renumbered", "moved")


@dataclass(frozen=True)
class Change:
    category: str
    level: str  # key area, function, KSB
    old: Node | None
    new: Node | None
    detail: str = ""  # a word diff, or where it moved from and to
    how: str = ""  # how the pair was found: source_ref, text, similar (NN%)
    words: tuple[tuple[str, str], ...] = ()  # a reworded text's word diff as data (see word_pieces)


@dataclass
class Comparison:
    old: FunctionalMap
    new: FunctionalMap
    changes: list[Change] = field(default_factory=list)
    unchanged: dict[str, int] = field(default_factory=dict)

    def of(self, category: str) -> list[Change]:
        return [c for c in self.changes if c.category == category]

    @property
    def differ(self) -> bool:
        return bool(self.changes)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


#: Up to this many comparisons, every unpaired old node is compared with every unpaired new one (exact), as long
#: as the texts are of a statement's length: a comparison's cost grows with the product of the two lengths, so
#: the product of the two sides' total lengths may not exceed EXACT_BUDGET comparisons of 150 characters each.
EXACT_BUDGET = 4_000_000
EXACT_CHARS = 150 * 150
#: Texts are scored on their first SCORED_CHARS folded characters. A statement of a standard is a tenth of that;
#: a text of a whole file would make one comparison take minutes.
SCORED_CHARS = 2_000
#: Above it, only nodes that share one of their PREFIX rarest words are compared (each word looking at no more
#: than POSTINGS_CAP nodes), and of those the RESCORE sharing the most, so the cost grows with the number of
#: nodes, not with its square.
PREFIX = 4
POSTINGS_CAP = 32
RESCORE = 8


def pair(old: list[Node], new: list[Node], threshold: float) -> tuple[list[tuple[Node, Node, str]], list[Node],
                                                                         list[Node]]:
    pairs: list[tuple[Node, Node, str]] = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    # Sets of positions, not list.remove: on maps of 100k KSBs each removal would scan the list (quadratic).
    by_ref: dict[str, int] = {}
    for j, n in enumerate(new):
        if n.source_ref:
            by_ref[n.source_ref] = j  # the last of a repeated GUID, as before
    for i, o in enumerate(old):
        r = by_ref.get(o.source_ref) if o.source_ref else None
        if r is not None and r not in taken_new:
            pairs.append((o, new[r], "source_ref"))
            taken_old.add(i)
            taken_new.add(r)
    # Each text folded once: the folded texts of what is still unpaired are what the similarity pass compares.
    old_norm = {i: _norm(o.text) for i, o in enumerate(old) if i not in taken_old}
    new_norm = {j: _norm(n.text) for j, n in enumerate(new) if j not in taken_new}
    by_text: dict[str, list[int]] = {}
    for j in reversed(new_norm):  # reversed, so pop() gives the first in file order
        by_text.setdefault(new_norm[j], []).append(j)
    for i, text in old_norm.items():
        same = by_text.get(text)
        if same:
            k = same.pop()
            pairs.append((old[i], new[k], "text"))
            taken_old.add(i)
            taken_new.add(k)
    left_at = [i for i in old_norm if i not in taken_old]
    right_at = [j for j in new_norm if j not in taken_new]
    left, right = [old[i] for i in left_at], [new[j] for j in right_at]
    if left and right:
        candidates = _similar([old_norm[i] for i in left_at], [new_norm[j] for j in right_at], threshold)
        used_l: set[int] = set()
        used_r: set[int] = set()
        for score, i, j in candidates:
            if i not in used_l and j not in used_r:
                used_l.add(i)
                used_r.add(j)
                pairs.append((left[i], right[j], f"similar ({score:.0f}%)"))
        left = [o for i, o in enumerate(left) if i not in used_l]
        right = [n for j, n in enumerate(right) if j not in used_r]
    return pairs, left, right


def _similar(left: list[str], choices: list[str], threshold: float) -> list[tuple[float, int, int]]:
    """(score, left index, right index) of every compared pair of folded texts at or over the threshold, best
    first."""
    from rapidfuzz import fuzz, process

    left = [t[:SCORED_CHARS] for t in left]
    choices = [t[:SCORED_CHARS] for t in choices]
    if len(left) * len(choices) <= EXACT_BUDGET and \
            sum(map(len, left)) * sum(map(len, choices)) <= EXACT_BUDGET * EXACT_CHARS:
        # process.extract needs no numpy (process.cdist does).
        found: Iterable[tuple[float, int, int]] = ((float(score), i, j) for i, text in enumerate(left)
                 for _, score, j in process.extract(text, choices, scorer=fuzz.token_sort_ratio,
                                                    score_cutoff=threshold, limit=None))
    else:
        found = _blocked(left, choices, threshold)
    return sorted(found, key=lambda t: (-t[0], t[1], t[2]))


def _blocked(left: list[str], choices: list[str], threshold: float) -> list[tuple[float, int, int]]:
    """Similar pairs among nodes that share rare words: a reworded statement keeps most of its rare words. Each
    old node is scored against at most RESCORE new ones, those sharing the most of its PREFIX rarest words, so
    the cost is linear in the number of nodes."""
    from collections import Counter
    from itertools import chain

    from rapidfuzz import fuzz

    postings: dict[str, list[int]] = {}
    for j, text in enumerate(choices):
        for t in set(text.split()):
            postings.setdefault(t, []).append(j)
    out: list[tuple[float, int, int]] = []
    scorer = fuzz.token_sort_ratio
    for i, text in enumerate(left):
        words = sorted((w for w in set(text.split()) if w in postings), key=lambda w: (len(postings[w]), w))
        hits = Counter(chain.from_iterable(postings[w][:POSTINGS_CAP] for w in words[:PREFIX]))
        for j, _n in hits.most_common(RESCORE):
            score = scorer(text, choices[j], score_cutoff=threshold)
            if score:
                out.append((float(score), i, j))
    return out


#: Words and single punctuation marks, as ``git diff --word-diff-regex='[[:alnum:]_]+|[^[:space:]]'`` splits
#: them: splitting on white space alone (git's default) marks ``concerns`` -> ``concerns,`` as a changed word,
#: where a reader sees only the added comma.
_WORD = re.compile(r"(\s*)(\w+|[^\w\s])")
#: The pieces of a word diff: kept text, removed text, added text.
KEPT, REMOVED, ADDED = " ", "-", "+"


def _tokens(text: str) -> list[tuple[str, str]]:
    """(space before, token) pairs; any run of white space counts as one space, as the old word diff did."""
    return [(" " if m.group(1) else "", m.group(2)) for m in _WORD.finditer(text)]


def _joined(tokens: list[tuple[str, str]]) -> str:
    return "".join(space + tok if k else tok for k, (space, tok) in enumerate(tokens))


#: Above this many token pairs (old tokens times new), a word diff aligns only what the texts share at their
#: start and end, and marks the middle as removed and added whole: difflib's matcher grows faster than the
#: square of the text (a 4,000-word statement took 1 s; one of 100k words, minutes). A statement of a standard
#: is well under 500 words, so its word diff is always exact.
WORD_DIFF_BUDGET = 250_000


def _opcodes(a: list[str], b: list[str]) -> Sequence[tuple[str, int, int, int, int]]:
    """difflib's opcodes turning ``a`` into ``b``; over WORD_DIFF_BUDGET, linear and coarser (see there)."""
    if len(a) * len(b) <= WORD_DIFF_BUDGET:
        return difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    ops: list[tuple[str, int, int, int, int]] = []
    if start:
        ops.append(("equal", 0, start, 0, start))
    i2, j2 = len(a) - end, len(b) - end
    if (i2 - start) * (j2 - start) <= WORD_DIFF_BUDGET:
        ops += [(op, start + i1, start + i2_, start + j1, start + j2_) for op, i1, i2_, j1, j2_ in
                difflib.SequenceMatcher(a=a[start:i2], b=b[start:j2], autojunk=False).get_opcodes()]
    elif i2 > start or j2 > start:
        op = "replace" if i2 > start and j2 > start else "delete" if i2 > start else "insert"
        ops.append((op, start, i2, start, j2))
    if end:
        ops.append(("equal", i2, len(a), j2, len(b)))
    return ops


def word_pieces(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The word diff as data: (KEPT|REMOVED|ADDED, text) pieces; joined, they read as the new text with each
    change marked. Punctuation is a token of its own, so ``concerns`` -> ``concerns, including`` marks only
    ``, including``."""
    a, b = _tokens(old), _tokens(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in _opcodes([t for _, t in a], [t for _, t in b]):
        # a space where either text had one, so that neither text's words run together when read back
        space = (a[i1][0] if i2 > i1 else "") or (b[j1][0] if j2 > j1 else "")
        if out and space:
            out.append((KEPT, space))
        if op == "equal":
            out.append((KEPT, _joined(b[j1:j2])))
            continue
        if i2 > i1:
            out.append((REMOVED, _joined(a[i1:i2])))
        if j2 > j1:
            out.append((ADDED, _joined(b[j1:j2])))
    merged: list[tuple[str, str]] = []
    for kind, text in out:  # a space between two kept runs belongs to them
        if merged and merged[-1][0] == kind == KEPT:
            merged[-1] = (KEPT, merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return tuple(merged)


def marked(pieces: tuple[tuple[str, str], ...]) -> str:
    """``[-removed-]{+added+}`` in the manner of ``git diff --word-diff`` (plain)."""
    return "".join(text if kind == KEPT else f"[-{text}-]" if kind == REMOVED else f"{{+{text}+}}"
                   for kind, text in pieces)


def word_diff(old: str, new: str) -> str:
    """``[-removed words-]{+added words+}`` in the manner of ``git diff --word-diff``."""
    return marked(word_pieces(old, new))


def compare(old: FunctionalMap, new: FunctionalMap, *, threshold: float = DEFAULT_THRESHOLD) -> Comparison:
    from nos_cli.gcpause import paused_gc

    with paused_gc():  # pairs, changes and word diffs by the hundred thousand, none in a cycle
        return _compare(old, new, threshold)


def _compare(old: FunctionalMap, new: FunctionalMap, threshold: float) -> Comparison:
    result = Comparison(old, new)
    mapping: dict[str, str] = {}  # old id -> new id, for every paired node
    paired: dict[str, list[tuple[Node, Node, str]]] = {}
    for level, kinds in GROUPS:
        pairs, removed, added = pair(old.nodes(*kinds), new.nodes(*kinds), threshold)
        paired[level] = pairs
        mapping.update({o.id: n.id for o, n, _ in pairs})
        result.changes += [Change("removed", level, o, None) for o in removed]
        result.changes += [Change("added", level, None, n) for n in added]
    old_links, new_links = _Links(old), _Links(new)
    for level, _kinds in GROUPS:
        unchanged = 0
        for o, n, how in paired[level]:
            changed = False
            if o.text != n.text:  # any change, white space and case too (equal texts fold equal)
                pieces = word_pieces(o.text, n.text)
                result.changes.append(Change("reworded", level, o, n, marked(pieces), how, pieces))
                changed = True
            if o.id != n.id:
                result.changes.append(Change("renumbered", level, o, n, f"{o.id} -> {n.id}", how))
                changed = True
            moved = _moved(old_links, new_links, o, n, level, mapping)
            if moved:
                result.changes.append(Change("moved", level, o, n, moved, how))
                changed = True
            unchanged += not changed
        result.unchanged[level] = unchanged
    order = {c: i for i, c in enumerate(CATEGORIES)}
    levels = {g: i for i, (g, _) in enumerate(GROUPS)}
    result.changes.sort(key=lambda c: (order[c.category], levels[c.level],
                                       (c.new or c.old).line if (c.new or c.old) else 0))  # type: ignore[union-attr]
    return result


class _Links:
    """Which functions link each KSB, and each function's key area, built once per map: asking the graph per
    KSB walks every function each time, which is quadratic on large maps."""

    def __init__(self, fmap: FunctionalMap) -> None:
        self.functions: dict[str, list[str]] = {}
        self.area: dict[str, str] = {}
        for area in fmap.areas():
            for fn in fmap.functions(area.id):
                self.area[fn.id] = area.id
                for ksb in fmap.links(fn.id):
                    self.functions.setdefault(ksb.id, []).append(fn.id)


def _moved(old: _Links, new: _Links, o: Node, n: Node, level: str, mapping: dict[str, str]) -> str:
    if level == "function":
        was, now = old.area.get(o.id), new.area.get(n.id)
        if was is not None and now is not None and mapping.get(was) != now:
            return f"from key area {was} to {now}"
    if level == "KSB":
        before = old.functions.get(o.id, [])
        was_fns = {mapping.get(f, f"(removed {f})") for f in before}
        now_fns = set(new.functions.get(n.id, []))
        if was_fns != now_fns:
            return (f"linked by {', '.join(sorted(before)) or 'nothing'} before, "
                    f"{', '.join(sorted(now_fns)) or 'nothing'} now")
    return ""

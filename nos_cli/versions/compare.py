"""``nos compare OLD NEW``: what changed between two maps or two versions of a standard.

Key areas, functions and KSBs are paired old to new in three passes, each on what is still unpaired:
1. identity: the same ``source_ref`` (the IfATE GUID) where both sides have one;
2. the same text (case and white space folded);
3. similar text: rapidfuzz ``token_sort_ratio`` at ``--threshold`` (default 80) or more, the best-scoring
   pairs first (a greedy assignment on sorted scores: each node is paired at most once, with its best
   available partner).
A pair is *reworded* when its text changed (shown as a word diff), *renumbered* when its id changed, *moved*
when a function now sits in another key area or a KSB is linked by other functions; a pair can be all three.
What stays unpaired is *removed* (old) or *added* (new).
"""

from __future__ import annotations

import difflib
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


def pair(old: list[Node], new: list[Node], threshold: float) -> tuple[list[tuple[Node, Node, str]], list[Node],
                                                                         list[Node]]:
    from rapidfuzz import fuzz, process

    pairs: list[tuple[Node, Node, str]] = []
    left, right = list(old), list(new)
    by_ref = {n.source_ref: n for n in right if n.source_ref}
    for o in list(left):
        n = by_ref.get(o.source_ref) if o.source_ref else None
        if n is not None and n in right:
            pairs.append((o, n, "source_ref"))
            left.remove(o)
            right.remove(n)
    by_text: dict[str, list[Node]] = {}
    for n in right:
        by_text.setdefault(_norm(n.text), []).append(n)
    for o in list(left):
        same = by_text.get(_norm(o.text))
        if same:
            n = same.pop(0)
            pairs.append((o, n, "text"))
            left.remove(o)
            right.remove(n)
    if left and right:
        # Only what text and identity left unpaired is compared, so this stays small; process.extract needs
        # no numpy (process.cdist does).
        choices = [_norm(n.text) for n in right]
        candidates = sorted(((float(score), i, j) for i, o in enumerate(left)
                             for _, score, j in process.extract(_norm(o.text), choices, scorer=fuzz.token_sort_ratio,
                                                                score_cutoff=threshold, limit=None)),
                            key=lambda t: (-t[0], t[1], t[2]))
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


def word_diff(old: str, new: str) -> str:
    """``[-removed words-]{+added words+}`` in the manner of ``git diff --word-diff``."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def compare(old: FunctionalMap, new: FunctionalMap, *, threshold: float = DEFAULT_THRESHOLD) -> Comparison:
    result = Comparison(old, new)
    mapping: dict[str, str] = {}  # old id -> new id, for every paired node
    paired: dict[str, list[tuple[Node, Node, str]]] = {}
    for level, kinds in GROUPS:
        pairs, removed, added = pair(old.nodes(*kinds), new.nodes(*kinds), threshold)
        paired[level] = pairs
        mapping.update({o.id: n.id for o, n, _ in pairs})
        result.changes += [Change("removed", level, o, None) for o in removed]
        result.changes += [Change("added", level, None, n) for n in added]
    for level, _kinds in GROUPS:
        unchanged = 0
        for o, n, how in paired[level]:
            changed = False
            if _norm(o.text) != _norm(n.text) or o.text != n.text:
                result.changes.append(Change("reworded", level, o, n, word_diff(o.text, n.text), how))
                changed = True
            if o.id != n.id:
                result.changes.append(Change("renumbered", level, o, n, f"{o.id} -> {n.id}", how))
                changed = True
            moved = _moved(old, new, o, n, level, mapping)
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


def _moved(old: FunctionalMap, new: FunctionalMap, o: Node, n: Node, level: str, mapping: dict[str, str]) -> str:
    if level == "function":
        was, now = old.area_of(o.id), new.area_of(n.id)
        if was is not None and now is not None and mapping.get(was.id) != now.id:
            return f"from key area {was.id} to {now.id}"
    if level == "KSB":
        was_fns = {mapping.get(f.id, f"(removed {f.id})") for f in old.functions_for(o.id)}
        now_fns = {f.id for f in new.functions_for(n.id)}
        if was_fns != now_fns:
            return (f"linked by {', '.join(sorted(f.id for f in old.functions_for(o.id))) or 'nothing'} before, "
                    f"{', '.join(sorted(now_fns)) or 'nothing'} now")
    return ""

"""No two KSB statements are the same or nearly the same (a similarity of 92 or more, rapidfuzz's
token-sort ratio, after case and punctuation are folded). Near-duplicates are usually a statement pasted
twice with an edit, or two kinds that say one thing.

It scales to maps of 100,000 KSBs: exact duplicates are found by hashing; fuzzy candidates share one of their
two rarest words (a word shared by more than 500 statements is not rare), and within such a block each statement
is compared only with the next few of similar length (texts 92% alike differ in length by a fifth at most), so
the work grows with the number of statements, not with its square."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from nos_cli.maps.nodes import RawNode
from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule

THRESHOLD = 92.0
WINDOW = 8  # neighbours of similar length compared within a block
MAX_BLOCK = 500  # a word shared by more statements than this is not rare: its block says nothing
LENGTH_RATIO = 1.25
_WORD = re.compile(r"[a-z0-9]+")


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def check(ctx: MapContext) -> Iterator[Problem]:
    ksbs = [(n, _norm(n.text)) for n in ctx.of("ksb") if n.text and n.text.strip()]
    if len(ksbs) < 2:
        return
    reported: set[int] = set()
    first: dict[str, RawNode] = {}
    for i, (node, norm) in enumerate(ksbs):
        if norm in first:
            reported.add(i)
            yield ctx.problem((*node.path, "text"), RULE,
                              f"{node.id} says the same as {first[norm].id} (line "
                              f"{ctx.doc.mark((*first[norm].path, 'text')).line})")
        else:
            first[norm] = node
    yield from _fuzzy(ctx, ksbs, reported)


def _fuzzy(ctx: MapContext, ksbs: list[tuple[RawNode, str]], reported: set[int]) -> Iterator[Problem]:
    from rapidfuzz import fuzz

    freq: dict[str, int] = defaultdict(int)
    words = [set(norm.split()) for _, norm in ksbs]
    for ws in words:
        for w in ws:
            freq[w] += 1
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        for w in sorted(ws, key=lambda w: (freq[w], w))[:2]:
            blocks[w].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if not 1 < len(members) <= MAX_BLOCK:
            continue
        by_len = sorted(members, key=lambda i: len(ksbs[i][1]))
        for x, a in enumerate(by_len):
            limit = len(ksbs[a][1]) * LENGTH_RATIO
            for b in by_len[x + 1:x + 1 + WINDOW]:
                if len(ksbs[b][1]) > limit:
                    break
                pairs.add((min(a, b), max(a, b)))
    for a, b in sorted(pairs):
        if b in reported or ksbs[a][1] == ksbs[b][1]:
            continue
        score = fuzz.token_sort_ratio(ksbs[a][1], ksbs[b][1], score_cutoff=THRESHOLD)
        if score:
            reported.add(b)
            first, second = ksbs[a][0], ksbs[b][0]
            yield ctx.problem((*second.path, "text"), RULE,
                              f"{second.id} is nearly the same as {first.id} ({score:.0f}% alike, line "
                              f"{ctx.doc.mark((*first.path, 'text')).line})")


RULE = rule("near-duplicate", Level.WARNING, "two KSB statements that are the same or nearly the same", __doc__,
            check)

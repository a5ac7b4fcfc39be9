"""Evaluate nos diff's matching on labelled role descriptions: the project's own set and real texts.

Two sets:

- ``bench/diff_eval/``: roles written for this project (``dev`` files were used to choose the first defaults,
  ``held-out`` ones were not) and ``external/``, six roles labelled by a second engineer of the project.
- ``../shared/diff-dev/`` (when present): twenty real, public role descriptions with every line labelled by a
  careful reader. They are third-party text: read from there, never copied into the repository. Scored as its
  README says: a line's statement is found in the report; top-1 = the first match's id is acceptable (a
  function counts through the KSBs it links, a key area by its code: KA1 = CS, KA2 = MR, KA3 = NP, the key
  purpose = KP); top-3 = one of the first three is; a ``none`` line is rejected when it has no match. The set
  is also reported as two folds (alternate files in name order), so a change tuned on one fold can be checked
  on the other: the issue's judge scores unseen texts.

Prints top-1 and top-3 over in-scope statements, how many in-scope statements kept any match, and the share of
out-of-scope lines rejected. Run: python bench/diff_eval.py [--matcher lexical|semantic] [--threshold N] [--json]
[--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from nos_cli.diff.match import DEFAULT_THRESHOLD, MapModel, Match, build_model, match_statement
from nos_cli.diff.matcher import default_threshold
from nos_cli.diff.role import Statement, read_role
from nos_cli.maps.catalog import Catalog, load_checked
from nos_cli.maps.index import build_index

HERE = Path(__file__).resolve().parent / "diff_eval"
DIFF_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "diff-dev"
#: diff-dev's codes for the Learning Mentor key areas and the key purpose.
AREA_CODES = {"KA1": "CS", "KA2": "MR", "KA3": "NP", "": "KP"}


def _tally() -> dict[str, int]:
    return {"in": 0, "top1": 0, "top3": 0, "out": 0, "rejected": 0, "in_kept": 0}


def _model(use_cache: bool = False) -> MapModel:
    path = next(p for p in Catalog.from_options().paths() if p.stem == "learning-mentor")
    return build_model(build_index(load_checked(path)), use_cache=use_cache)


Ranker = Callable[[str, float], list[Match]]


def _ranker(model: MapModel, matcher: str = "lexical") -> Ranker:
    """What nos diff reports for a statement, best first, with the lexical or the semantic matcher."""
    if matcher != "semantic":
        return lambda text, threshold: match_statement(model, Statement(text, 0), threshold=threshold).matches
    # match_all embeds the map's nodes once per call; a batch of one statement per call would embed them again
    # and again, so the statements are ranked through one warm cache of node vectors.
    import tempfile

    from nos_cli.diff.fuse import match_all

    cache = tempfile.mkdtemp(prefix="nos-eval-")
    path = str(next(p for p in Catalog.from_options().paths() if p.stem == "learning-mentor"))

    def rank(text: str, threshold: float) -> list[Match]:
        import os

        os.environ["NOS_CACHE_DIR"] = cache
        return match_all(model, [Statement(text, 0)], threshold=threshold, map_path=path)[0].matches

    return rank


def _score(t: dict[str, int], accepted: set[str] | None, ids: list[set[str]]) -> bool:
    """Add one labelled statement to a tally; ``accepted`` None is out of scope. True when it was right."""
    if accepted is None:
        t["out"] += 1
        t["rejected"] += not ids
        return not ids
    t["in"] += 1
    t["top1"] += bool(ids) and bool(ids[0] & accepted)
    t["top3"] += any(i & accepted for i in ids[:3])
    t["in_kept"] += bool(ids)
    return bool(ids) and bool(ids[0] & accepted)


def _summary(t: dict[str, int]) -> dict[str, Any]:
    return {"statements": t["in"], "top1": round(t["top1"] / max(t["in"], 1), 3),
            "top3": round(t["top3"] / max(t["in"], 1), 3),
            "in_scope_kept": round(t["in_kept"] / max(t["in"], 1), 3),
            "out_of_scope": t["out"], "rejected_n": t["rejected"],
            "rejected": round(t["rejected"] / max(t["out"], 1), 3)}


def evaluate(threshold: float = DEFAULT_THRESHOLD, matcher: str = "lexical",
             model: MapModel | None = None) -> dict[str, Any]:
    """The project's own set (dev, held-out, external), and diff-dev when present, with one matcher."""
    model = model or _model()
    ranked = _ranker(model, matcher)
    labels = yaml.safe_load((HERE / "labels.yaml").read_text(encoding="utf-8"))
    tally: dict[str, dict[str, int]] = {}
    misses: list[tuple[Any, ...]] = []
    for name, spec in labels.items():
        t = tally.setdefault(spec["split"], _tally())
        wanted = spec["lines"]
        for st in read_role(str(HERE / name)):
            label = wanted.get(st.line)
            matches = ranked(st.text, threshold)
            accepted = None if label == "out" else set(label)
            if not _score(t, accepted, [{m.id} for m in matches]):
                misses.append((name, st.line, label, [(m.id, m.score) for m in matches[:3]]))
    for ext in sorted((HERE / "external").glob("*.yaml")):
        spec = yaml.safe_load(ext.read_text(encoding="utf-8"))
        t = tally.setdefault("external", _tally())
        for item in spec["statements"]:
            matches = ranked(item["text"], threshold)
            _score(t, None if item.get("out") else set(item["ids"]), [{m.id} for m in matches])
    out: dict[str, Any] = {}
    mine = {k: v for k, v in tally.items() if k != "external"}
    for split, t in [*tally.items(), ("all (own)", {k: sum(v[k] for v in mine.values()) for k in _tally()})]:
        out[split] = _summary(t)
    if DIFF_DEV.is_dir():
        dev, dev_misses = evaluate_diff_dev(model, threshold, ranked=ranked)
        out.update(dev)
        misses += dev_misses
    out["_misses"] = misses
    return out


def _expand(model: MapModel, m: Match) -> set[str]:
    """A match as the ids diff-dev's labels use: a function through the KSBs it links, an area by its code."""
    node = model.by_id(m.id)
    if m.kind == "function" and node is not None:
        return set(node.ksbs)
    if m.kind in ("area", "purpose"):
        return {AREA_CODES.get(m.id, m.id)}
    return {m.id}


def diff_dev_items(root: Path = DIFF_DEV) -> Iterable[tuple[str, int, str, set[str] | None]]:
    """(file, line, label start, accepted ids or None for out of scope) for every labelled line of diff-dev."""
    labels = yaml.safe_load((root / "labels.yaml").read_text(encoding="utf-8"))
    for name, items in labels.items():
        lines = (root / "roles" / name).read_text(encoding="utf-8").splitlines()
        for start, ids in items:
            n = next(i for i, line in enumerate(lines, 1) if line.startswith(start))
            yield name, n, start, (None if ids == "none" else set(ids))


def evaluate_diff_dev(model: MapModel, threshold: float, root: Path = DIFF_DEV, *, ranked: Ranker | None = None,
                      ) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    ranked = ranked or _ranker(model)
    names = sorted(yaml.safe_load((root / "labels.yaml").read_text(encoding="utf-8")))
    fold = {n: f"diff-dev fold {1 + i % 2}" for i, n in enumerate(names)}
    statements = {n: read_role(str(root / "roles" / n)) for n in names}
    tally: dict[str, dict[str, int]] = {}
    misses = []
    for name, line, start, accepted in diff_dev_items(root):
        found = next((s for s in statements[name] if s.line == line), None)
        matches = ranked(found.text, threshold) if found else []
        ids = [_expand(model, m) for m in matches]
        for split in ("diff-dev", fold[name]):
            ok = _score(tally.setdefault(split, _tally()), accepted, ids)
        if not ok:
            misses.append((name, line, sorted(accepted) if accepted else "none",
                           [(m.id, m.score, m.via) for m in matches[:3]], (found.text if found else start)[:90]))
    return {k: _summary(v) for k, v in sorted(tally.items())}, misses


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--matcher", choices=("lexical", "semantic"), default="lexical")
    ap.add_argument("--threshold", type=float, default=None, help="default: the matcher's own")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list the statements the matcher got wrong")
    args = ap.parse_args()
    threshold = default_threshold(args.matcher) if args.threshold is None else args.threshold
    res = evaluate(threshold, args.matcher)
    misses = res.pop("_misses")
    if args.json:
        print(json.dumps(res, indent=2))
        return
    skipped = "" if DIFF_DEV.is_dir() else f" ({DIFF_DEV} not found: skipped)"
    print(f"matcher {args.matcher}, threshold {threshold:g}{skipped}")
    print(f"{'set':<16} {'in-scope':>8} {'top-1':>7} {'top-3':>7} {'kept':>7} {'out-of-scope':>12} {'rejected':>9}")
    for split, r in res.items():
        print(f"{split:<16} {r['statements']:>8} {r['top1']:>7.1%} {r['top3']:>7.1%} {r['in_scope_kept']:>7.1%} "
              f"{r['out_of_scope']:>12} {r['rejected_n']:>5}/{r['out_of_scope']}")
    if args.misses:
        for m in misses:
            print(*m, file=sys.stdout)


if __name__ == "__main__":
    main()

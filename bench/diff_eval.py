"""Evaluate nos diff's matching on the labelled role descriptions in bench/diff_eval/.

The labelled roles in diff_eval/ are the project's own (dev: used to choose the defaults; held-out: not used).
diff_eval/external/ holds six more roles labelled independently by a second engineer of the project for a
separate implementation; this matcher was never tuned on them, so "external" is its most honest figure.

Prints top-1 and top-3 accuracy over the in-scope statements (the best match, or one of the best three, is an
acceptable id), and how many out-of-scope lines were rejected (no match reaches the threshold), for the
development and held-out halves. Run: python bench/diff_eval.py [--matcher lexical|semantic] [--threshold N] [--json]

"diff-dev" is ../shared/diff-dev (twenty real, third-party role descriptions, labelled line by line; never copied
into this repository), scored as its README says: each line of a role is a statement, a function counts through
the KSBs it links and a key area by its code (MR = KA2, CS = KA1, NP = KA3). Skipped where it is absent.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import yaml

from nos_cli.diff.match import MapModel, Match, build_model, score_all
from nos_cli.diff.matcher import default_threshold
from nos_cli.diff.role import read_role
from nos_cli.maps.catalog import Catalog, load_checked
from nos_cli.maps.index import build_index

HERE = Path(__file__).resolve().parent / "diff_eval"
DIFF_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "diff-dev"
AREA_CODES = {"KA1": "CS", "KA2": "MR", "KA3": "NP"}


def scorer(model: MapModel, matcher: str) -> Callable[[str], list[Match]]:
    """Every node scored for a statement, best first, by the named matcher."""
    if matcher == "lexical":
        return lambda text: score_all(model, text)
    from nos_cli.diff.fuse import fused, node_texts
    from nos_cli.diff.semantic import encoder

    enc = encoder()
    node_vectors = enc.encode(node_texts(model))
    return lambda text: fused(model, text, [float(c) for c in (enc.encode([text]) @ node_vectors.T)[0]])


def evaluate_diff_dev(model: MapModel, score: Callable[[str], list[Match]], threshold: float) -> dict[str, int]:
    from nos_cli.diff.role import Statement

    linked = {n.id: set(n.ksbs) for n in model.nodes if n.ksbs}

    def right(node_id: str, wanted: set[str]) -> bool:
        return node_id in wanted or AREA_CODES.get(node_id) in wanted or bool(linked.get(node_id, set()) & wanted)

    t = {"in": 0, "top1": 0, "top3": 0, "out": 0, "rejected": 0, "in_kept": 0}
    labels = yaml.safe_load((DIFF_DEV / "labels.yaml").read_text(encoding="utf-8"))
    for name, rows in labels.items():
        lines = (DIFF_DEV / "roles" / name).read_text(encoding="utf-8").splitlines()
        statements = [Statement(text.strip(), i) for i, text in enumerate(lines, 1) if i > 1 and text.strip()]
        for start, ids in rows:
            st = next(s for s in statements if s.text.startswith(start.strip()))
            ranked = [m.id for m in score(st.text) if m.score >= threshold]
            if ids == "none":
                t["out"] += 1
                t["rejected"] += not ranked
                continue
            t["in"] += 1
            t["top1"] += bool(ranked) and right(ranked[0], set(ids))
            t["top3"] += any(right(i, set(ids)) for i in ranked[:3])
            t["in_kept"] += bool(ranked)
    return t


def evaluate(threshold: float, matcher: str = "lexical") -> dict[str, dict[str, float]]:
    labels = yaml.safe_load((HERE / "labels.yaml").read_text(encoding="utf-8"))
    path = next(p for p in Catalog.from_options().paths() if p.stem == "learning-mentor")
    model = build_model(build_index(load_checked(path)))
    score = scorer(model, matcher)
    tally: dict[str, dict[str, int]] = {}
    misses = []
    for name, spec in labels.items():
        t = tally.setdefault(spec["split"], {"in": 0, "top1": 0, "top3": 0, "out": 0, "rejected": 0,
                                             "in_kept": 0})
        wanted = spec["lines"]
        for st in read_role(str(HERE / name)):
            label = wanted.get(st.line)
            matches = [m for m in score(st.text) if m.score >= threshold]
            if label == "out":
                t["out"] += 1
                t["rejected"] += not matches
                if matches:
                    misses.append((name, st.line, "kept out-of-scope", matches[0].id, matches[0].score))
                continue
            t["in"] += 1
            ids = [m.id for m in matches]
            t["top1"] += bool(ids) and ids[0] in label
            t["top3"] += any(i in label for i in ids[:3])
            t["in_kept"] += bool(ids)
            if not ids or ids[0] not in label:
                misses.append((name, st.line, "top1", ids[:3], [m.score for m in matches[:3]]))
    for ext in sorted((HERE / "external").glob("*.yaml")):
        spec = yaml.safe_load(ext.read_text(encoding="utf-8"))
        t = tally.setdefault("external", {"in": 0, "top1": 0, "top3": 0, "out": 0, "rejected": 0, "in_kept": 0})
        for item in spec["statements"]:
            matches = [m for m in score(item["text"]) if m.score >= threshold]
            if item.get("out"):
                t["out"] += 1
                t["rejected"] += not matches
                continue
            ids = [m.id for m in matches]
            t["in"] += 1
            t["top1"] += bool(ids) and ids[0] in item["ids"]
            t["top3"] += any(i in item["ids"] for i in ids[:3])
            t["in_kept"] += bool(ids)
    if (DIFF_DEV / "labels.yaml").is_file():
        tally["diff-dev"] = evaluate_diff_dev(model, score, threshold)
    out = {}
    mine = {k: v for k, v in tally.items() if k not in ("external", "diff-dev")}
    for split, t in [*tally.items(), ("all (own)", {k: sum(v[k] for v in mine.values()) for k in tally["dev"]})]:
        out[split] = {"statements": t["in"], "top1": round(t["top1"] / t["in"], 3),
                      "top3": round(t["top3"] / t["in"], 3),
                      "in_scope_kept": round(t["in_kept"] / t["in"], 3),
                      "out_of_scope": t["out"], "rejected": round(t["rejected"] / t["out"], 3)}
    out["_misses"] = misses  # type: ignore[assignment]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--matcher", choices=("lexical", "semantic"), default="lexical")
    ap.add_argument("--threshold", type=float, help="default: the matcher's own")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list the statements the matcher got wrong")
    args = ap.parse_args()
    threshold = default_threshold(args.matcher) if args.threshold is None else args.threshold
    res = evaluate(threshold, args.matcher)
    misses = res.pop("_misses")
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print(f"matcher {args.matcher}, threshold {threshold:g}")
    print(f"{'split':<10} {'in-scope':>8} {'top-1':>7} {'top-3':>7} {'kept':>7} {'out-of-scope':>12} {'rejected':>9}")
    for split, r in res.items():
        print(f"{split:<10} {r['statements']:>8} {r['top1']:>7.1%} {r['top3']:>7.1%} {r['in_scope_kept']:>7.1%} "
              f"{r['out_of_scope']:>12} {r['rejected']:>9.1%}")
    if args.misses:
        for m in misses:
            print(*m)


if __name__ == "__main__":
    main()

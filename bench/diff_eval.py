"""Evaluate nos diff's matching on the labelled role descriptions in bench/diff_eval/.

The labelled roles in diff_eval/ are the project's own (dev: used to choose the defaults; held-out: not used).
diff_eval/external/ holds six more roles labelled independently by a second engineer of the project for a
separate implementation; this matcher was never tuned on them, so "external" is its most honest figure.

Prints top-1 and top-3 accuracy over the in-scope statements (the best match, or one of the best three, is an
acceptable id), and how many out-of-scope lines were rejected (no match reaches the threshold), for the
development and held-out halves. Run: python bench/diff_eval.py [--threshold N] [--json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from nos_cli.diff.match import DEFAULT_THRESHOLD, build_model, score_all
from nos_cli.diff.role import read_role
from nos_cli.maps.catalog import Catalog, load_checked
from nos_cli.maps.index import build_index

HERE = Path(__file__).resolve().parent / "diff_eval"


def evaluate(threshold: float) -> dict[str, dict[str, float]]:
    labels = yaml.safe_load((HERE / "labels.yaml").read_text(encoding="utf-8"))
    path = next(p for p in Catalog.from_options().paths() if p.stem == "learning-mentor")
    model = build_model(build_index(load_checked(path)))
    tally: dict[str, dict[str, int]] = {}
    misses = []
    for name, spec in labels.items():
        t = tally.setdefault(spec["split"], {"in": 0, "top1": 0, "top3": 0, "out": 0, "rejected": 0,
                                             "in_kept": 0})
        wanted = spec["lines"]
        for st in read_role(str(HERE / name)):
            label = wanted.get(st.line)
            matches = [m for m in score_all(model, st.text) if m.score >= threshold]
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
            matches = [m for m in score_all(model, item["text"]) if m.score >= threshold]
            if item.get("out"):
                t["out"] += 1
                t["rejected"] += not matches
                continue
            ids = [m.id for m in matches]
            t["in"] += 1
            t["top1"] += bool(ids) and ids[0] in item["ids"]
            t["top3"] += any(i in item["ids"] for i in ids[:3])
            t["in_kept"] += bool(ids)
    out = {}
    mine = {k: v for k, v in tally.items() if k != "external"}
    for split, t in [*tally.items(), ("all (own)", {k: sum(v[k] for v in mine.values()) for k in tally["dev"]})]:
        out[split] = {"statements": t["in"], "top1": round(t["top1"] / t["in"], 3),
                      "top3": round(t["top3"] / t["in"], 3),
                      "in_scope_kept": round(t["in_kept"] / t["in"], 3),
                      "out_of_scope": t["out"], "rejected": round(t["rejected"] / t["out"], 3)}
    out["_misses"] = misses  # type: ignore[assignment]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list the statements the matcher got wrong")
    args = ap.parse_args()
    res = evaluate(args.threshold)
    misses = res.pop("_misses")
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print(f"threshold {args.threshold:g}")
    print(f"{'split':<10} {'in-scope':>8} {'top-1':>7} {'top-3':>7} {'kept':>7} {'out-of-scope':>12} {'rejected':>9}")
    for split, r in res.items():
        print(f"{split:<10} {r['statements']:>8} {r['top1']:>7.1%} {r['top3']:>7.1%} {r['in_scope_kept']:>7.1%} "
              f"{r['out_of_scope']:>12} {r['rejected']:>9.1%}")
    if args.misses:
        for m in misses:
            print(*m)


if __name__ == "__main__":
    main()

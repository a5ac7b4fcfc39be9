"""Time and peak memory of ``nos diff --matcher semantic`` on a 30-line role, as the issue's targets state them.

"First run": a fresh cache folder, so the map's node vectors are encoded (and cached); "after": the same
folder again, so they are read. Each run is the installed ``nos`` in a subprocess (start-up, model loading and
its SHA-256 check included); peak memory is that child's own maximum resident set (os.wait4). The role is the
first 30 statements of the project's own roles in bench/diff_eval/. The lexical matcher is measured alike for
comparison. Needs the extra: pip install "nos-cli[semantic]".

``--phases`` also says where the CPU time of a run after the first goes: the same command, each run in a child
that times the semantic matcher's steps (the imports, reading and checking the model, the onnxruntime session,
encoding the statements, the lexical scoring and fusion); the rest is Python, typer, the index and the report,
then the interpreter's exit after the output (the child's whole CPU time from os.wait4, less its own count).

Run: python bench/semantic_perf.py [--runs N] [--phases]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nos_cli.diff.role import read_role

HERE = Path(__file__).resolve().parent
TARGETS = {"first": 3.0, "after": 1.0, "peak_mb": 400.0}


def _nos() -> list[str]:
    script = Path(sys.executable).with_name("nos")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nos_cli"]


def role(folder: Path, lines: int = 30) -> Path:
    statements = [s.text for md in sorted((HERE / "diff_eval").glob("*.md")) for s in read_role(str(md))][:lines]
    path = folder / "role-30.md"
    path.write_text("".join(f"- {s}\n" for s in statements), encoding="utf-8")
    return path


def run(argv: list[str], cache: str) -> tuple[float, float, float]:
    env = {**os.environ, "NOS_CACHE_DIR": cache, "NO_COLOR": "1"}
    env.pop("NOS_NO_CACHE", None)
    env.pop("NOS_MATCHER", None)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        sys.exit(f"{' '.join(argv)} failed: {err.strip()}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


#: Run in each child of --phases: times the steps of the semantic matcher by wrapping them, then runs nos.
PHASES = """
import json, resource, sys, time
spent = {}

def timed(owner, name, label):
    real = getattr(owner, name)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - start
    setattr(owner, name, wrapper)

def imported(label, load):
    start = time.process_time()
    load()
    spent[label] = time.process_time() - start

from nos_cli.diff import fuse, semantic, vectors
imported("import numpy", semantic.load_numpy)
imported("import onnxruntime", lambda: __import__("onnxruntime"))
imported("import tokenizers", lambda: __import__("tokenizers"))
import onnxruntime
timed(semantic, "verified", "read + SHA-256 of model and tokenizer")
timed(onnxruntime, "InferenceSession", "onnxruntime session")
timed(semantic.Encoder, "__init__", "encoder")
timed(semantic.Encoder, "encode", "encode the statements")
timed(vectors, "read", "read the cached node vectors")
timed(fuse, "fused", "lexical scores + fusion")
sys.argv = ["nos", *sys.argv[1:]]
from nos_cli.__main__ import main
try:
    main()
except SystemExit:
    pass
usage = resource.getrusage(resource.RUSAGE_SELF)
spent["total"] = usage.ru_utime + usage.ru_stime
sys.stderr.write("PHASES " + json.dumps(spent) + "\\n")
"""


def phases(argv: list[str], cache: str, runs: int) -> dict[str, float]:
    """Median CPU seconds of each step of a run after the first (``cache`` already holds the node vectors)."""
    env = {**os.environ, "NOS_CACHE_DIR": cache, "NO_COLOR": "1"}
    env.pop("NOS_NO_CACHE", None)
    seen: dict[str, list[float]] = {}
    for _ in range(runs):
        proc = subprocess.Popen([sys.executable, "-c", PHASES, *argv], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        err = proc.stderr.read() if proc.stderr else ""
        _, status, usage = os.wait4(proc.pid, 0)
        line = next((x for x in err.splitlines() if x.startswith("PHASES ")), None)
        if os.waitstatus_to_exitcode(status) != 0 or line is None:
            sys.exit(f"the phase run failed: {err.strip()}")
        spent = json.loads(line.removeprefix("PHASES "))
        # the child's whole CPU time, less what it had spent when the command returned: the interpreter's exit
        spent["exit"] = usage.ru_utime + usage.ru_stime - spent["total"]
        for label, seconds in spent.items():
            seen.setdefault(label, []).append(seconds)
    got = {label: statistics.median(values) for label, values in seen.items()}
    # the encoder's own time less its parts timed apart: parsing the tokenizer, the session options
    rest = got.pop("encoder") - got["read + SHA-256 of model and tokenizer"] - got["onnxruntime session"]
    ordered = {label: got.pop(label) for label in ("import numpy", "import onnxruntime", "import tokenizers",
                                                   "read + SHA-256 of model and tokenizer", "onnxruntime session")}
    ordered["the tokenizer and the rest of the encoder"] = rest
    total = got.pop("total")
    exiting = got.pop("exit")
    ordered.update(got)
    ordered["Python, typer, the index, the report"] = total - sum(ordered.values())
    ordered["Python's exit, after the output"] = exiting
    ordered["total"] = total + exiting
    return ordered


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--phases", action="store_true", help="also time the steps of a run after the first")
    args = ap.parse_args()
    split: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = role(Path(tmp))
        rows = {}
        for matcher in ("semantic", "lexical"):
            argv = [*_nos(), "diff", str(path), "--matcher", matcher, "--format", "json"]
            first, after, first_cpu, after_cpu, peaks = [], [], [], [], []
            for i in range(args.runs):
                cache = str(Path(tmp) / f"cache-{matcher}-{i}")
                t, cpu, mb = run(argv, cache)  # a fresh cache: node vectors encoded and cached
                first.append(t)
                first_cpu.append(cpu)
                peaks.append(mb)
                t, cpu, mb = run(argv, cache)  # the same cache: node vectors read
                after.append(t)
                after_cpu.append(cpu)
                peaks.append(mb)
            if matcher == "semantic" and args.phases:
                split = phases(argv[len(_nos()):], str(Path(tmp) / "cache-semantic-0"), args.runs)
            rows[matcher] = (statistics.median(first), statistics.median(after), max(peaks),
                             statistics.median(first_cpu), statistics.median(after_cpu))
    print(f"nos diff of a 30-line role, median of {args.runs} runs each, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs\n")
    print(f"load average {os.getloadavg()[0]:.1f} (wall time grows with it; CPU time, user + system, much less)\n")
    print(f"{'matcher':<10} {'first run':>10} {'after':>8} {'first CPU':>10} {'after CPU':>10} {'peak RSS':>9}")
    for matcher, (first_s, after_s, peak, first_cpu, after_cpu) in rows.items():
        print(f"{matcher:<10} {first_s:>9.2f}s {after_s:>7.2f}s {first_cpu:>9.2f}s {after_cpu:>9.2f}s {peak:>6.0f} MB")
    if split:
        print(f"\nwhere the CPU time of a semantic run after the first goes (median of {args.runs} runs):\n")
        for label, seconds in split.items():
            if label != "total":
                print(f"  {label:<42} {seconds * 1000:>5.0f} ms")
        print(f"  {'total':<42} {split['total'] * 1000:>5.0f} ms")
    first_s, after_s, peak, _, _ = rows["semantic"]
    checks = [("first run", first_s, TARGETS["first"], "s"), ("after", after_s, TARGETS["after"], "s"),
              ("peak RSS", peak, TARGETS["peak_mb"], " MB")]
    print()
    for what, value, limit, unit in checks:
        verdict = "ok" if value < limit else "MISSED"
        print(f"semantic {what:<10} {value:>8.2f}{unit} target < {limit:g}{unit}  {verdict}")


if __name__ == "__main__":
    main()

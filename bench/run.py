"""Run every benchmark of nos and print medians and the target ratios, all taken in one run on one machine.

Each case is a whole command run in a subprocess (start-up included, as a user meets it). Cases are run
round-robin, so a machine that slows down part way through slows every case alike, and the ratios hold on a
noisy machine. Peak memory is each child's own maximum resident set (os.wait4). Generated maps go to
bench/out/ (made on first use by bench/generate.py); the index cache lives in a temporary folder, warmed once
before timing.

Run: python bench/run.py [--quick] [--only TEXT ...] [--json FILE]
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
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


@dataclass
class Case:
    name: str
    argv: list[str]
    heavy: bool = False
    cold: bool = False  # each run starts from an empty index cache (a first build)
    seconds: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)
    failed: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def peak(self) -> int:
        return max(self.peak_kb) if self.peak_kb else 0


def _nos() -> list[str]:
    script = Path(sys.executable).with_name("nos")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nos_cli"]


def _run(case: Case, env: dict[str, str]) -> None:
    if case.cold:
        with tempfile.TemporaryDirectory() as empty:
            _timed(case, {**env, "NOS_CACHE_DIR": empty})
        return
    _timed(case, env)


def _timed(case: Case, env: dict[str, str]) -> None:
    start = time.perf_counter()
    proc = subprocess.Popen(case.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        case.failed = f"exit {code}: {err.strip().splitlines()[-1] if err.strip() else ''}"
        return
    case.seconds.append(elapsed)
    case.peak_kb.append(usage.ru_maxrss)


def ensure_data() -> None:
    needed = {"100k": OUT / "map-100k.yaml", "many": OUT / "many", "1m": OUT / "corpus-1m", "role": OUT / "role-200.md"}
    missing = [label for label, p in needed.items() if not p.exists()]
    if missing:
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", str(OUT), "--only", ",".join(missing)],
                       check=True)


def cases() -> list[Case]:
    nos = _nos()
    big, many, role = str(OUT / "map-100k.yaml"), str(OUT / "many"), str(OUT / "role-200.md")
    corpus = str(OUT / "corpus-1m")
    return [
        Case("python -c 'import typer'", [sys.executable, "-c", "import typer"]),
        Case("nos --version", [*nos, "--version"]),
        Case("nos --help", [*nos, "--help"]),
        Case("nos search (bundled)", [*nos, "search", "safeguarding"]),
        Case("nos search (100k map, warm)", [*nos, "search", "--map", big, "safeguarding"]),
        Case("nos search (700 maps, warm)", [*nos, "search", "--maps-dir", many, "safeguarding"]),
        Case("nos search (1M corpus, warm)", [*nos, "search", "--maps-dir", corpus, "safeguarding"]),
        Case("nos show (bundled)", [*nos, "show", "S9"]),
        Case("nos show (100k map, warm)", [*nos, "show", "S1007", "--map", big]),
        # Every corpus map has S1..S643 (bench/generate.py: 45% of its 1,429 KSBs are skills), so this finds a node.
        Case("nos show (1M corpus, warm)", [*nos, "show", "S500", "--maps-dir", corpus, "--map", "big-350"]),
        Case("nos search (100k map, first build)", [*nos, "search", "--map", big, "safeguarding"], heavy=True,
             cold=True),
        Case("yaml.load CSafeLoader (100k)", [sys.executable, "-c",
                                              f"import yaml; yaml.load(open({big!r}), Loader=yaml.CSafeLoader)"],
             heavy=True),
        Case("nos validate (100k map)", [*nos, "validate", big], heavy=True),
        Case("nos diff 200 (bundled)", [*nos, "diff", role, "--matcher", "lexical"]),
        Case("nos diff 200 (100k map, warm)", [*nos, "diff", role, "--map", big, "--matcher", "lexical"], heavy=True),
    ]


TARGETS = [
    # (what, numerator, denominator, limit, kind)
    ("--version / import typer", "nos --version", "python -c 'import typer'", 1.3, "time"),
    ("--help / import typer", "nos --help", "python -c 'import typer'", 1.3, "time"),
    ("search (bundled) / import typer", "nos search (bundled)", "python -c 'import typer'", 2.0, "time"),
    ("validate 100k / bare yaml.load", "nos validate (100k map)", "yaml.load CSafeLoader (100k)", 1.5, "time"),
    ("validate 100k / bare yaml.load, peak memory", "nos validate (100k map)", "yaml.load CSafeLoader (100k)",
     3.0, "memory"),
    ("search 100k warm / search bundled", "nos search (100k map, warm)", "nos search (bundled)", 2.0, "time"),
    ("search 700 maps warm / search bundled", "nos search (700 maps, warm)", "nos search (bundled)", 2.0, "time"),
    # issue 17: queries whose cost follows the answer, not the corpus
    ("search 100k warm / search bundled (17)", "nos search (100k map, warm)", "nos search (bundled)", 1.2, "time"),
    ("search 1M warm / search bundled", "nos search (1M corpus, warm)", "nos search (bundled)", 1.5, "time"),
    ("search 100k warm / bundled, peak memory", "nos search (100k map, warm)", "nos search (bundled)", 1.5,
     "memory"),
    ("search 1M warm / bundled, peak memory", "nos search (1M corpus, warm)", "nos search (bundled)", 1.5, "memory"),
    ("show 1M warm / search bundled", "nos show (1M corpus, warm)", "nos search (bundled)", 1.2, "time"),
    ("first build 100k / validate 100k", "nos search (100k map, first build)", "nos validate (100k map)", 1.0,
     "time"),
    ("diff 200 vs 100k / diff 200 vs bundled", "nos diff 200 (100k map, warm)", "nos diff 200 (bundled)", 3.0,
     "time"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (3 heavy, 7 light instead of 5, 15)")
    ap.add_argument("--only", metavar="TEXT", action="append", default=[],
                    help="run only the cases whose name holds TEXT (repeatable); a ratio needs both its cases")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = ap.parse_args()
    ensure_data()
    light, heavy = (7, 3) if args.quick else (15, 5)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NOS_CACHE_DIR": cache, "NO_COLOR": "1"}
        env.pop("NOS_NO_CACHE", None)
        all_cases = [c for c in cases() if not args.only or any(t in c.name for t in args.only)]
        for case in all_cases:  # warm-up: fills the index cache, pages in the interpreter
            print(f"warming up: {case.name}", file=sys.stderr, flush=True)
            _run(case, env)
            case.seconds.clear()
            case.peak_kb.clear()
        for rnd in range(light):
            for case in all_cases:
                if not case.failed and (not case.heavy or rnd < heavy):
                    _run(case, env)
    by_name = {c.name: c for c in all_cases}
    print(f"nos benchmarks: {light} runs of each light case and {heavy} of each heavy one, round-robin, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
    print(f"{'case':<34} {'median':>10} {'peak RSS':>10}")
    for c in all_cases:
        shown = "not available: " + c.failed if c.failed else f"{c.median * 1000:>8.0f} ms {c.peak / 1024:>7.0f} MB"
        print(f"{c.name:<34} {shown}")
    print(f"\n{'ratio':<46} {'measured':>9} {'target':>8}  result")
    results = []
    for what, num, den, limit, kind in TARGETS:
        if num not in by_name or den not in by_name:
            continue  # left out by --only
        a, b = by_name[num], by_name[den]
        if a.failed or b.failed:
            print(f"{what:<46} {'n/a':>9} {limit:>7.1f}x  not available")
            continue
        ratio = (a.peak / b.peak) if kind == "memory" else (a.median / b.median)
        ok = ratio <= limit
        results.append({"ratio": what, "measured": round(ratio, 2), "target": limit, "pass": ok})
        print(f"{what:<46} {ratio:>8.2f}x {limit:>7.1f}x  {'PASS' if ok else 'FAIL'}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "cases": [{"name": c.name, "median_ms": round(c.median * 1000, 1), "peak_mb": round(c.peak / 1024, 1),
                       "runs": len(c.seconds), "failed": c.failed} for c in all_cases],
            "ratios": results}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

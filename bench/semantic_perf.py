"""Time and peak memory of ``nos diff --matcher semantic`` on a 30-line role, as the issue's targets state them.

"First run": a fresh cache folder, so the map's node vectors are encoded (and cached); "after": the same
folder again, so they are read. Each run is the installed ``nos`` in a subprocess (start-up, model loading and
its SHA-256 check included); peak memory is that child's own maximum resident set (os.wait4). The role is the
first 30 statements of the project's own roles in bench/diff_eval/. The lexical matcher is measured alike for
comparison. Needs the extra: pip install "nos-cli[semantic]".

Run: python bench/semantic_perf.py [--runs N]
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
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
            rows[matcher] = (statistics.median(first), statistics.median(after), max(peaks),
                             statistics.median(first_cpu), statistics.median(after_cpu))
    print(f"nos diff of a 30-line role, median of {args.runs} runs each, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs\n")
    print(f"load average {os.getloadavg()[0]:.1f} (wall time grows with it; CPU time, user + system, much less)\n")
    print(f"{'matcher':<10} {'first run':>10} {'after':>8} {'first CPU':>10} {'after CPU':>10} {'peak RSS':>9}")
    for matcher, (first_s, after_s, peak, first_cpu, after_cpu) in rows.items():
        print(f"{matcher:<10} {first_s:>9.2f}s {after_s:>7.2f}s {first_cpu:>9.2f}s {after_cpu:>9.2f}s {peak:>6.0f} MB")
    first_s, after_s, peak, _, _ = rows["semantic"]
    checks = [("first run", first_s, TARGETS["first"], "s"), ("after", after_s, TARGETS["after"], "s"),
              ("peak RSS", peak, TARGETS["peak_mb"], " MB")]
    print()
    for what, value, limit, unit in checks:
        verdict = "ok" if value < limit else "MISSED"
        print(f"semantic {what:<10} {value:>8.2f}{unit} target < {limit:g}{unit}  {verdict}")


if __name__ == "__main__":
    main()

"""What each hostile or broken file costs ``nos validate``: wall time and peak memory, each in its own process.

Every case must end with its expected exit code (1, problems found; 0 for a huge but valid file), no traceback
and no internal error, within LIMIT_S seconds and LIMIT_MB of memory; the table says how far under the bounds
each stayed. Each file is written by a separate process: a child forked from a parent that had built a 70 MB
input would report the parent's memory as its own peak. A benchmark, not a unit test: figures depend on the
machine. Run: python bench/hazards.py
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LIMIT_S = 5.0
LIMIT_MB = 300
HEAD = "nos_map: 1\nid: h\ntitle: H\nkind: functional-map\nsources: [{id: s, title: S}]\nkey_areas: []\n"


def _laughs() -> bytes:
    rows = [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = bytes([96 + i]), bytes([97 + i])
        rows.append(cur + b": &" + cur + b" [" + b",".join([b"*" + prev] * 9) + b"]")
    return b"\n".join(rows) + b"\n"


# name -> (the file's bytes, the exit code nos must end with)
CASES: dict[str, tuple[Callable[[], bytes], int]] = {k: (v, 0 if k == "5 MB on one line" else 1) for k, v in {
    "alias bomb (billion laughs)": _laughs,
    "flow nesting 30,000 deep": lambda: b"a: " + b"[" * 30_000 + b"]" * 30_000 + b"\n",
    "block nesting 2,000 deep": lambda: "".join("  " * i + f"k{i}:\n" for i in range(2_000)).encode() + b"  x\n",
    "integer of 1,000,000 digits": lambda: HEAD.encode() + b"notes: [" + b"9" * 1_000_000 + b"]\n",
    "100,000 duplicate keys": lambda: HEAD.encode() + b"".join(b"x: 1\n" for _ in range(100_000)),
    "5 MB on one line": lambda: HEAD.encode() + b"description: " + b"a" * 5_000_000 + b"\n",
    "10,000 unsafe tags": lambda: HEAD.encode() + b"notes:\n" + b"".join(
        b"  - !!python/object/apply:os.system [echo]\n" for _ in range(10_000)),
    "tabs for indentation": lambda: HEAD.replace("key_areas: []", "key_areas:\n\t- id: A").encode(),
    "UTF-16 file": lambda: HEAD.encode("utf-16"),
    "5 MB of random bytes": lambda: random.Random(1).randbytes(5_000_000),
    "10,000 YAML documents": lambda: b"---\na: 1\n" * 10_000,
    "empty file": lambda: b"",
    "over the size limit (70 MB)": lambda: b"# " + b"x" * (70 * 1024 * 1024) + b"\n",
}.items()}


def _nos() -> list[str]:
    script = Path(sys.executable).with_name("nos")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nos_cli"]


def main() -> None:
    print(f"{'hazard':<32} {'exit':>4} {'time':>8} {'peak':>8}  result")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, (_make, expected) in CASES.items():
            path = Path(tmp) / "case.yaml"
            subprocess.run([sys.executable, __file__, "--write", name, str(path)], check=True)
            start = time.perf_counter()
            proc = subprocess.Popen([*_nos(), "validate", "-f", "concise", str(path)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            code = os.waitstatus_to_exitcode(status)
            mb = usage.ru_maxrss / 1024
            ok = code == expected and "Traceback" not in err and "internal error" not in err and elapsed <= LIMIT_S \
                and mb <= LIMIT_MB
            failures += not ok
            print(f"{name:<32} {code:>4} {elapsed:>7.2f}s {mb:>6.0f}MB  {'ok' if ok else 'FAIL ' + err[-120:]}")
    print(f"\nbounds: {LIMIT_S:g} s and {LIMIT_MB} MB per file; {failures} failed\n")
    failures += writes()
    sys.exit(1 if failures else 0)


# --- writes: mapping review --accept on big files, and many runs at once on one file ------------------------

WRITE_LIMIT_S = 30.0
KSB_IDS = [f"K{i}" for i in range(1, 12)] + [f"S{i}" for i in range(1, 12)] + [f"B{i}" for i in range(1, 6)]


def _mapping(path: Path, items: int) -> Path:
    rows = "".join(f"  - id: I{i}  # item {i}\n    title: item {i}\n"
                   f"    ksbs: [{KSB_IDS[i % 27]}, {KSB_IDS[(i + 5) % 27]}]\n" for i in range(items))
    path.write_text(f"nos_mapping: 1\nmap: learning-mentor\nmap_version: \"0.9\"\ntitle: Big\nitems:\n{rows}",
                    encoding="utf-8")
    return path


def writes() -> int:
    """``mapping review --accept`` on 5,000 and 10,000 items (bounded at WRITE_LIMIT_S, every link written), and
    20 ``--accept --only`` runs at once on one file, three times (every reported edit present)."""
    print(f"{'write case':<32} {'exit':>4} {'time':>8}  result")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for items in (5_000, 10_000):
            path = _mapping(Path(tmp) / f"m{items}.yaml", items)
            start = time.perf_counter()
            proc = subprocess.run([*_nos(), "mapping", "review", str(path), "--accept"], capture_output=True,
                                  text=True)
            elapsed = time.perf_counter() - start
            text = path.read_text(encoding="utf-8")
            ok = proc.returncode == 0 and f"accepted {2 * items} links" in proc.stdout and \
                text.count("fingerprints: {") == items and text.count("# item ") == items and elapsed <= WRITE_LIMIT_S
            failures += not ok
            print(f"{f'accept {items:,} items':<32} {proc.returncode:>4} {elapsed:>7.2f}s  "
                  f"{'ok' if ok else 'FAIL ' + proc.stderr[-120:]}")
        for trial in range(3):
            path = _mapping(Path(tmp) / "race.yaml", 20)
            start = time.perf_counter()
            procs = [subprocess.Popen([*_nos(), "mapping", "review", str(path), "--accept", "--only", f"I{i}:"
                                       f"{KSB_IDS[i % 27]}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True) for i in range(20)]
            outs = [p.communicate() for p in procs]
            elapsed = time.perf_counter() - start
            reported = sum(p.returncode == 0 and "accepted 1 link" in out
                           for p, (out, _) in zip(procs, outs, strict=True))
            written = path.read_text(encoding="utf-8").count("fingerprints:")
            ok = reported == written == 20
            failures += not ok
            print(f"{f'20 accepts at once, trial {trial + 1}':<32} {max(p.returncode for p in procs):>4} "
                  f"{elapsed:>7.2f}s  {'ok' if ok else f'FAIL: {reported} reported, {written} written'}")
    print(f"\nbound: {WRITE_LIMIT_S:g} s per accept; {failures} failed")
    return failures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        Path(sys.argv[3]).write_bytes(CASES[sys.argv[2]][0]())
    else:
        main()

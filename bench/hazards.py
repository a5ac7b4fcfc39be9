"""What each hostile or broken file costs ``nos validate``: wall time and peak memory, each in its own process.

Every case must end with its expected exit code (1, problems found; 0 for a huge but valid file), no traceback
and no internal error, within LIMIT_S seconds and LIMIT_MB of memory; the table says how far under the bounds
each stayed. Each file is written by a separate process: a child forked from a parent that had built a 70 MB
input would report the parent's memory as its own peak. A benchmark, not a unit test: figures depend on the
machine. Run: python bench/hazards.py

``--big`` runs the slow table instead: big and hostile input for every reader (role text as one long paragraph,
200k bullets, compare of maps with 3k, 10k and 100k differing KSBs, compare of two 100k maps of which 3k or 10k
KSBs differ, compare of one reworded KSB of 100k words, CSV export of a 100k map (each KSB's functions), 300 MB
and /dev/zero on standard input, a 50 MB map against a bare CSafeLoader load), each bounded at BIG_LIMIT_S
seconds (issue 12). It writes about 200 MB of input to a temporary folder and takes minutes.
Run: python bench/hazards.py --big [--only NAME,...]
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


BIG_LIMIT_S = 30.0


def _big_inputs(folder: Path, wanted: set[str]) -> None:
    """Write the inputs of the big cases that are wanted (each once)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import generate_map, generate_role, reword_map

    def need(name: str) -> bool:
        return any(name in w for w in wanted) and not (folder / name).exists()

    for n in (2_000, 20_000):
        if need(f"para-{n}.txt"):  # one paragraph: every line is part of the same run of sentences
            (folder / f"para-{n}.txt").write_text("\n".join(f"the mentor supports learner {i} with care. They plan"
                                                            for i in range(n)) + "\n")
    if need("role-200k.md"):
        (folder / "role-200k.md").write_text(generate_role(200_000, 3))
    for n in (3_000, 10_000, 100_000):
        for side, seed in (("a", 1), ("b", 2)):  # other seeds: every KSB text differs
            if need(f"{side}-{n}.yaml"):
                (folder / f"{side}-{n}.yaml").write_text(generate_map(n, "big", seed))
    for n in (3_000, 10_000):  # the 100k map with n KSB texts changed (reworded, or rewritten)
        if need(f"a-100000-{n // 1000}k.yaml"):
            base = folder / "a-100000.yaml"
            if not base.exists():
                base.write_text(generate_map(100_000, "big", 1))
            (folder / f"a-100000-{n // 1000}k.yaml").write_text(reword_map(base.read_text(), n, n))
    if need("long-a.yaml"):  # one statement of 100k words (560 KB), and the same with every 50th word changed
        rng = random.Random(4)
        vocabulary = ["learners", "support", "plan", "the", "and", "to"] + [f"w{i}" for i in range(3_000)]
        words = [rng.choice(vocabulary) for _ in range(100_000)]
        for side, text in (("a", words), ("b", ["changed" if k % 50 == 0 else w for k, w in enumerate(words)])):
            (folder / f"long-{side}.yaml").write_text(
                f"nos_map: 1\nid: long-{side}\ntitle: Long\nkind: functional-map\nsources: [{{id: s, title: S}}]\n"
                "key_areas:\n  - id: KA1\n    title: Area\n    source: s\n    functions:\n"
                "      - {id: F1, title: Function, source: s, ksbs: [K1]}\n"
                f"ksbs:\n  - {{id: K1, kind: knowledge, source: s, text: \"{' '.join(text)}\"}}\n")
    if need("map-50mb.yaml"):
        (folder / "map-50mb.yaml").write_text(generate_map(250_000, "big", 5))


# name -> (input files it needs, shell command line with {d} for the folder, expected exit code)
BIG: dict[str, tuple[str, str, int]] = {
    "diff: one paragraph of 2,000 lines": ("para-2000.txt", "{nos} diff {d}/para-2000.txt", 0),
    "diff: one paragraph of 20,000 lines": ("para-20000.txt", "{nos} diff {d}/para-20000.txt -f json", 0),
    "diff: 200k bullets (20 MB)": ("role-200k.md", "{nos} diff {d}/role-200k.md -f json", 0),
    "diff: 300 MB on stdin": ("", "head -c 300000000 /dev/zero | {nos} diff -", 2),
    "validate: 300 MB on stdin": ("", "head -c 300000000 /dev/zero | {nos} validate -", 1),
    "validate: /dev/zero on stdin": ("", "{nos} validate - < /dev/zero", 1),
    "compare: 3k differing KSBs": ("a-3000.yaml b-3000.yaml", "{nos} compare {d}/a-3000.yaml {d}/b-3000.yaml", 0),
    "compare: 10k differing KSBs": ("a-10000.yaml b-10000.yaml",
                                    "{nos} compare {d}/a-10000.yaml {d}/b-10000.yaml", 0),
    "compare: 100k differing KSBs": ("a-100000.yaml b-100000.yaml",
                                     "{nos} compare {d}/a-100000.yaml {d}/b-100000.yaml -f json", 0),
    "compare: 100k maps, 3k KSBs differ": ("a-100000.yaml a-100000-3k.yaml",
                                           "{nos} compare {d}/a-100000.yaml {d}/a-100000-3k.yaml", 0),
    "compare: 100k maps, 10k KSBs differ": ("a-100000.yaml a-100000-10k.yaml",
                                            "{nos} compare {d}/a-100000.yaml {d}/a-100000-10k.yaml", 0),
    "compare: one KSB of 100k words": ("long-a.yaml long-b.yaml", "{nos} compare {d}/long-a.yaml {d}/long-b.yaml", 0),
    "export: CSV of a 100k map": ("a-100000.yaml", "{nos} export {d}/a-100000.yaml -f csv", 0),
    "bare CSafeLoader load, 50 MB map": ("map-50mb.yaml", f"{sys.executable} -c 'import yaml,sys; "
                                         "yaml.load(open(sys.argv[1], \"rb\"), Loader=yaml.CSafeLoader)' "
                                         "{d}/map-50mb.yaml", 0),
    "validate: 50 MB map": ("map-50mb.yaml", "{nos} validate -f concise {d}/map-50mb.yaml", 0),
}


def big(only: set[str]) -> None:
    cases = {k: v for k, v in BIG.items() if not only or any(o in k for o in only)}
    nos = " ".join(_nos())
    print(f"{'case':<36} {'exit':>4} {'time':>8} {'peak':>8}  result")
    failures = 0
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # Written by another process: a child forked from a parent holding 50 MB of text reports it as its own peak.
        files = sorted({f for names, _, _ in cases.values() for f in names.split()})
        if files:
            subprocess.run([sys.executable, __file__, "--big-inputs", tmp, ",".join(files)], check=True)
        for name, (_files, cmd, expected) in cases.items():
            err_path = Path(tmp) / "stderr"
            start = time.perf_counter()
            with err_path.open("wb") as err_file:  # wait4 gives this case's own peak memory (its children's too)
                proc = subprocess.Popen(["timeout", str(int(BIG_LIMIT_S * 4)), "sh", "-c", cmd.format(nos=nos, d=tmp)],
                                        stdout=subprocess.DEVNULL, stderr=err_file)
                _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            times[name] = elapsed
            err = err_path.read_text("utf-8", "replace")
            code = os.waitstatus_to_exitcode(status)
            ok = code == expected and "Traceback" not in err and "internal error" not in err \
                and elapsed <= BIG_LIMIT_S
            failures += not ok
            print(f"{name:<36} {code:>4} {elapsed:>7.1f}s {usage.ru_maxrss / 1024:>6.0f}MB  "
                  f"{'ok' if ok else 'FAIL ' + err[-120:].strip()}", flush=True)
    bare, full = times.get("bare CSafeLoader load, 50 MB map"), times.get("validate: 50 MB map")
    if bare and full:
        print(f"\nvalidate of a 50 MB map: {full / bare:.2f}x a bare CSafeLoader load (bound: 2x)")
    print(f"bound: {BIG_LIMIT_S:g} s per case; {failures} failed")
    sys.exit(1 if failures else 0)


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


#: The report follows the write at once: everything it says is settled before the file is replaced, so a run
#: stopped after the write has nothing slow left to do (issue 12). The bound covers printing it and exiting.
AFTER_WRITE_S = 1.0


def writes() -> int:
    """``mapping review --accept`` on 5,000 and 10,000 items (bounded at WRITE_LIMIT_S, every link written, the
    process gone within AFTER_WRITE_S of the write), and 20 ``--accept --only`` runs at once on one file, three
    times (every reported edit present)."""
    print(f"{'write case':<32} {'exit':>4} {'time':>8} {'after write':>11}  result")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for items in (5_000, 10_000):
            path = _mapping(Path(tmp) / f"m{items}.yaml", items)
            start = time.perf_counter()
            proc = subprocess.run([*_nos(), "mapping", "review", str(path), "--accept"], capture_output=True,
                                  text=True)
            elapsed = time.perf_counter() - start
            after = time.time() - path.stat().st_mtime  # from the write to the end of the run, report printed
            text = path.read_text(encoding="utf-8")
            ok = proc.returncode == 0 and f"accepted {2 * items} links" in proc.stdout and \
                text.count("fingerprints: {") == items and text.count("# item ") == items and \
                elapsed <= WRITE_LIMIT_S and after <= AFTER_WRITE_S
            failures += not ok
            print(f"{f'accept {items:,} items':<32} {proc.returncode:>4} {elapsed:>7.2f}s {after:>10.2f}s  "
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
                  f"{elapsed:>7.2f}s {'':>11}  {'ok' if ok else f'FAIL: {reported} reported, {written} written'}")
    print(f"\nbounds: {WRITE_LIMIT_S:g} s per accept, done {AFTER_WRITE_S:g} s after its write; {failures} failed")
    return failures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        Path(sys.argv[3]).write_bytes(CASES[sys.argv[2]][0]())
    elif sys.argv[1:2] == ["--big-inputs"]:
        _big_inputs(Path(sys.argv[2]), set(sys.argv[3].split(",")))
    elif sys.argv[1:2] == ["--big"]:
        big(set(sys.argv[3].split(",")) if sys.argv[2:3] == ["--only"] and len(sys.argv) > 3 else set())
    else:
        main()

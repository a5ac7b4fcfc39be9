"""The index under load, as real processes: searches while the map is rewritten, a build killed half way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
AWKWARD = FIXTURES / "search" / "brackets.yaml"


def _nos(*args: str, cache: Path, **kw: object) -> subprocess.Popen[str]:
    env = {**os.environ, "NOS_CACHE_DIR": str(cache)}
    return subprocess.Popen([sys.executable, "-m", "nos_cli", *args], env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)  # type: ignore[call-overload]


def _big_map(n: int) -> str:
    lines = ["nos_map: 1", "id: big", 'title: "Big"', "kind: functional-map", 'version: "1.0.0"',
             "sources:", '  - {id: s, title: "S"}', "key_areas:", "  - id: KA1", '    title: "Area"',
             "    source: s", "    functions:", '      - {id: F1, title: "Function", source: s, ksbs: [K1]}', "ksbs:"]
    lines += [f'  - {{id: K{i}, kind: knowledge, source: s, text: "know how to record evidence number {i}"}}'
              for i in range(1, n + 1)]
    return "\n".join(lines) + "\n"


def test_twenty_searches_while_the_map_is_rewritten(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    m = tmp_path / "m.yaml"
    base = AWKWARD.read_text(encoding="utf-8")
    versions = [base.replace("observation", "zuluzulu000"), base.replace("observation", "yankeeyank0")]
    m.write_text(versions[0], encoding="utf-8")
    first = m.stat()
    stop = threading.Event()

    def rewrite() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            tmp = tmp_path / f".m.{i}"
            tmp.write_text(versions[i % 2], encoding="utf-8")
            os.utime(tmp, ns=(first.st_atime_ns, first.st_mtime_ns))  # same size and mtime every time
            tmp.replace(m)
            time.sleep(0.01)

    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        procs = [_nos("search", "-c", "-E", "zuluzulu000|yankeeyank0", "--map", str(m), cache=cache)
                 for _ in range(20)]
        results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    finally:
        stop.set()
        writer.join()
    for code, out, err in results:
        assert (code, out) == (0, "1\n"), err  # always exactly one of the two: never a half-state
        assert "warning" not in err and "error" not in err
    final = "zuluzulu000" if "zuluzulu000" in m.read_text(encoding="utf-8") else "yankeeyank0"
    last = _nos("search", "-c", final, "--map", str(m), cache=cache)
    assert last.communicate(timeout=60)[0] == "1\n"
    db = sqlite3.connect(cache / "index.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_build_killed_half_way_leaves_the_previous_index_usable(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    m = tmp_path / "m.yaml"
    m.write_text(AWKWARD.read_text(encoding="utf-8"), encoding="utf-8")
    assert _nos("search", "-c", "observation", "--map", str(m), cache=cache).communicate(timeout=60)[0] == "1\n"
    db_path = cache / "index.sqlite3"
    before = sqlite3.connect(db_path).execute("SELECT sha256 FROM files WHERE path = ?", (str(m.resolve()),)).fetchone()
    m.write_text(_big_map(30_000), encoding="utf-8")
    proc = _nos("search", "-c", "evidence", "--map", str(m), cache=cache)
    wal = Path(f"{db_path}-wal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 1_000_000:
            break  # rows are streaming in: the transaction is open
        time.sleep(0.005)
    if proc.poll() is not None:
        proc.communicate()
        pytest.fail("the build finished before it could be killed; make the map bigger")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    after = db.execute("SELECT sha256 FROM files WHERE path = ?", (str(m.resolve()),)).fetchone()
    assert after == before  # the killed build committed nothing
    db.close()
    other = _nos("search", "-c", "-i", "learner", cache=cache)  # the rest of the index is whole
    assert other.communicate(timeout=60) == ("22\n", "")
    again = _nos("search", "-c", "evidence", "--map", str(m), cache=cache)
    out, err = again.communicate(timeout=300)
    assert (again.returncode, out, err) == (0, "30000\n", "")


def test_a_slow_build_shows_progress_on_a_terminal_and_nothing_on_a_pipe(tmp_path: Path) -> None:
    import pty

    m = tmp_path / "big.yaml"
    m.write_text(_big_map(30_000), encoding="utf-8")
    piped = _nos("search", "-c", "evidence", "--map", str(m), cache=tmp_path / "piped")
    assert piped.communicate(timeout=300) == ("30000\n", "")
    master, slave = pty.openpty()
    # The loader builds even this map in under the one second a display waits for: show it at once.
    env = {**os.environ, "NOS_CACHE_DIR": str(tmp_path / "tty"), "TERM": "xterm", "NOS_PROGRESS_DELAY": "0"}
    with subprocess.Popen([sys.executable, "-m", "nos_cli", "search", "-c", "evidence", "--map", str(m)], env=env,
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, text=True) as proc:
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        assert proc.communicate(timeout=300)[0] == "30000\n"
    os.close(master)
    assert b"indexing big.yaml" in shown and b"nodes" in shown
    assert shown.rstrip().endswith(b"\x1b[2K")  # transient: the line is erased at the end

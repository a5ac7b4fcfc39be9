"""nos import ifate as a shell user runs it: --out-dir, what was skipped and why, -q, progress on a terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, run_cli

ONE = FIXTURES / "ifate" / "standard.json"
SCRIPT = Path(sys.executable).with_name("nos")


def _standard() -> dict[str, Any]:
    return json.loads(ONE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _array(tmp_path: Path, items: list[Any]) -> Path:
    path = tmp_path / "all.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def test_every_element_that_is_not_a_standard_is_named_with_why(tmp_path: Path) -> None:
    std = _standard()
    src = _array(tmp_path, [std, "ST0002", {"title": "no reference"}, None, {"referenceNumber": ""}, [1]])
    r = run_cli("import", "ifate", str(src), "--out-dir", str(tmp_path / "maps"))
    assert r.exit_code == 1
    skipped = [line for line in r.stderr.splitlines() if line.startswith("skipped")]
    assert skipped == ["skipped element [1]: not an object but a string (not a standard)",
                       "skipped element [2]: no referenceNumber (not a standard)",
                       "skipped element [3]: not an object but null (not a standard)",
                       "skipped element [4]: an empty referenceNumber (not a standard)",
                       "skipped element [5]: not an object but an array (not a standard)"]
    assert r.stderr.endswith("nos import: 1 written, 5 skipped\n")
    assert [p.name for p in (tmp_path / "maps").iterdir()] == ["st9001-v1-1.yaml"]


def test_an_array_with_no_standard_is_an_error(tmp_path: Path) -> None:
    r = run_cli("import", "ifate", str(_array(tmp_path, [{"title": "x"}])), "--out-dir", str(tmp_path))
    assert r.exit_code == 2
    assert r.stderr == ("nos: no standard found: expected an object with referenceNumber, or an array of them "
                        "(element [0]: no referenceNumber)\n")


def test_quiet_prints_only_what_was_skipped(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    r = run_cli("import", "ifate", str(ONE), "--out-dir", str(out), "-q")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    r = run_cli("import", "ifate", str(ONE), "--out-dir", str(out), "--quiet")
    assert r.exit_code == 1 and r.stderr == f"skipped {out / 'st9001-v1-1.yaml'} (exists; --force to overwrite)\n"
    bad = run_cli("import", "ifate", str(tmp_path / "missing.json"), "--out-dir", str(out), "-q")
    assert bad.exit_code == 2 and bad.stderr.startswith("nos: ") and bad.stderr.count("\n") == 1


def test_out_is_a_hidden_deprecated_name_for_out_dir(tmp_path: Path) -> None:
    r = run_cli("import", "ifate", str(ONE), "--out", str(tmp_path / "old"))
    assert r.exit_code == 0 and r.stderr.startswith("nos: --out is deprecated; use --out-dir\n")
    assert (tmp_path / "old" / "st9001-v1-1.yaml").is_file()
    both = run_cli("import", "ifate", str(ONE), "--out", "a", "--out-dir", "b")
    assert both.exit_code == 2 and "give --out-dir only" in both.stderr
    assert "--out " not in run_cli("import", "ifate", "--help").stdout
    assert run_cli("import", "ifate", str(ONE), "-o", str(tmp_path)).exit_code == 2  # -o is never a folder


def test_out_dir_defaults_to_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run_cli("import", "ifate", str(ONE))
    assert r.exit_code == 0 and (tmp_path / "st9001-v1-1.yaml").is_file() and "created" not in r.stderr


def test_a_duty_keeps_its_dutyid_so_versions_pair_by_it(tmp_path: Path) -> None:
    old, new = _standard(), _standard()
    new["version"] = "1.2"
    for duty in new["duties"]:
        if duty.get("dutyID") == "d-1":
            duty["dutyDetail"] = "Work safely with widgets and their tools"
    run_cli("import", "ifate", str(_array(tmp_path, [old, new])), "--out-dir", str(tmp_path))
    doc = json.loads(run_cli("compare", str(tmp_path / "st9001-v1-1.yaml"), str(tmp_path / "st9001-v1-2.yaml"),
                             "-f", "json").stdout)
    reworded = [c for c in doc["changes"] if c["category"] == "reworded"]
    assert [(c["new"]["id"], c["new"]["source_ref"], c["paired_by"], c["detail"]) for c in reworded] == [
        ("D2", "d-1", "source_ref", "Work safely with widgets {+and their tools+}")]


def _big(tmp_path: Path, n: int) -> Path:
    items = []
    for i in range(n):
        std = _standard()
        std["referenceNumber"] = f"ST{i:04d}"
        items.append(std)
    return _array(tmp_path, items)


@pytest.mark.slow
def test_no_progress_display_on_a_pipe(tmp_path: Path) -> None:
    if not SCRIPT.exists():
        pytest.skip("nos is not installed beside this Python")
    r = subprocess.run([str(SCRIPT), "import", "ifate", str(_big(tmp_path, 300)), "--out-dir", str(tmp_path / "m"),
                        "-q"], capture_output=True, timeout=120)
    assert (r.returncode, r.stdout, r.stderr) == (0, b"", b"")


@pytest.mark.slow
def test_a_long_import_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    import pty
    import threading

    if not SCRIPT.exists():
        pytest.skip("nos is not installed beside this Python")
    src = _big(tmp_path, 400)
    master, slave = pty.openpty()
    seen = bytearray()

    def drain() -> None:  # a terminal's buffer is small: read while nos writes
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    # Every write is an fsync'd atomic replace: 400 of them take well over the display's one second here.
    proc = subprocess.run([str(SCRIPT), "import", "ifate", str(src), "--out-dir", str(tmp_path / "m")],
                          stdout=subprocess.PIPE, stderr=slave, env=env, timeout=300, check=False)
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    assert proc.returncode == 0 and proc.stdout == b""
    assert b"importing" in seen and b"/400" in seen
    assert seen.rstrip().endswith(b"nos import: 400 written, 0 skipped")

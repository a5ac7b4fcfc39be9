"""nos import ifate as a shell user runs it: --out-dir, what was skipped and why, -q, progress on a terminal."""

from __future__ import annotations

import json
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
    r = subprocess.run([str(SCRIPT), "import", "ifate", str(_big(tmp_path, 300)), "--out-dir", str(tmp_path / "m")],
                       capture_output=True, timeout=120)
    assert r.returncode == 0 and r.stdout == b"" and b"\x1b" not in r.stderr and b"importing" not in r.stderr
    assert r.stderr.endswith(b"nos import: 300 written, 0 skipped\n")
    quiet = subprocess.run([str(SCRIPT), "import", "ifate", str(_big(tmp_path, 3)), "--out-dir", str(tmp_path / "q"),
                            "-q"], capture_output=True, timeout=120)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, b"", b"")


def test_the_import_drives_the_progress_display(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The display itself (a second's wait, terminals only, erased at the end) is tested in test_ci.py on a real
    terminal; here, that the import feeds it: its label, the number of standards and each one as it starts.
    A pty test of a whole import would hang on this machine's speed: a fast run never reaches the second."""
    from contextlib import contextmanager

    from nos_cli.render import progress as prog

    calls: list[tuple[Any, ...]] = []

    @contextmanager
    def recording(total: int, *, enabled: bool = True, label: str = "checking", **_: Any) -> Any:
        calls.append(("start", total, enabled, label))
        yield lambda n, name: calls.append(("tick", n, name))
        calls.append(("end",))

    monkeypatch.setattr(prog, "progress", recording)
    assert run_cli("import", "ifate", str(_big(tmp_path, 3)), "--out-dir", str(tmp_path / "m")).exit_code == 0
    assert calls == [("start", 3, True, "importing"), ("tick", 0, "st0000-v1-1"), ("tick", 1, "st0001-v1-1"),
                     ("tick", 2, "st0002-v1-1"), ("end",)]
    calls.clear()
    assert run_cli("import", "ifate", str(ONE), "--out-dir", str(tmp_path / "q"), "-q").exit_code == 0
    assert calls[0] == ("start", 1, False, "importing")  # -q: no display

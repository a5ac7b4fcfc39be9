"""The installed ``nos`` script, run for real in a subprocess from another directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("nos")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "NOS_MAPS_PATH")}
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not SCRIPT.exists(), reason="nos is not installed beside this Python")
def test_installed_script_finds_the_bundled_maps_from_any_directory(tmp_path: Path) -> None:
    r = _run("map", "show", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "S9  be vigilant in safeguarding learners and others in contact with them" in r.stdout
    assert "\x1b[" not in r.stdout
    doc = json.loads(_run("map", "show", "--format", "json", cwd=tmp_path).stdout)
    assert len(doc["map"]["ksbs"]) == 27
    assert len(json.loads(_run("map", "list", "--format", "json", cwd=tmp_path).stdout)["maps"]) >= 2


@pytest.mark.skipif(not SCRIPT.exists(), reason="nos is not installed beside this Python")
def test_installed_script_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("a: [1\n", encoding="utf-8")
    r = _run("map", "show", "bad.yaml", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith("nos: bad.yaml:2:1:") and r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr


def test_python_dash_m_works(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "nos_cli", "--version"], capture_output=True, text=True, timeout=60,
                       cwd=Path(__file__).resolve().parent.parent)
    assert r.returncode == 0 and r.stdout.startswith("nos ")


@pytest.mark.skipif(not SCRIPT.exists(), reason="nos is not installed beside this Python")
def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    r = subprocess.run(f"'{SCRIPT}' map show --format mermaid | head -1", shell=True, cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.stdout == "flowchart LR\n"
    assert r.stderr == ""

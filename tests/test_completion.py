"""Shell completion as a shell drives it: a real ``nos`` process with typer's completion variables set."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from nos_cli.cli.complete import map_files, node_ids

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ("ldss-learning-mentor-mentoring", "learning-mentor", "nos-learning-development-2010")
HEAVY = ("networkx", "rapidfuzz", "yaml", "rich")


#: A cache folder of the tests' own: completion must not read (or be disturbed by) the user's index database.
_CACHE = tempfile.mkdtemp(prefix="nos-completion-")


def _nos(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nos_cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "NOS_CACHE_DIR": _CACHE, **(env or {})})


def _complete(line: str, *, shell: str = "bash", env: dict[str, str] | None = None, cwd: Path = ROOT) -> list[str]:
    """What the shell would offer for the last word of ``line`` (a trailing space: a new, empty word)."""
    words = line.split(" ")
    extra = ({"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)} if shell == "bash"
             else {"_TYPER_COMPLETE_ARGS": line})
    r = _nos(env={"_NOS_COMPLETE": f"complete_{shell}", **extra, **(env or {})}, cwd=cwd)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return [w for w in r.stdout.splitlines() if w]  # bash gets one empty line for "nothing"


def test_map_ids_complete_for_dash_m_and_map_arguments() -> None:
    assert _complete("nos show -M ") == list(BUNDLED)
    assert _complete("nos search x --map learning") == ["learning-mentor"]
    assert _complete("nos map show n") == ["nos-learning-development-2010"]
    assert _complete("nos compare learning-mentor l") == ["ldss-learning-mentor-mentoring", "learning-mentor"]
    assert _complete("nos export ") == list(BUNDLED)
    assert _complete("nos matrix le") == ["learning-mentor"]
    assert _complete("nos diff role.md -M nos") == ["nos-learning-development-2010"]
    assert _complete("nos show -M zzz") == []


def test_maps_dir_and_nos_maps_path_add_their_maps(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("nos_map: 1\nid: my-own-map\ntitle: Mine\n", encoding="utf-8")
    assert _complete(f"nos show --maps-dir {tmp_path} -M my") == ["my-own-map"]
    assert _complete("nos export my", env={"NOS_MAPS_PATH": str(tmp_path)}) == ["my-own-map"]
    # a folder that does not exist completes nothing, and says nothing into the command line
    assert _complete(f"nos show --maps-dir {tmp_path / 'gone'} -M ") == []


def test_a_map_by_path_completes_folders_and_yaml_files(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "a.yaml").write_text("id: a\n", encoding="utf-8")
    (tmp_path / "maps" / "notes.txt").write_text("x\n", encoding="utf-8")
    assert _complete("nos export ./", cwd=tmp_path) == ["./maps/"]
    assert _complete("nos export ./maps/", cwd=tmp_path) == ["./maps/a.yaml"]


def test_node_ids_complete_for_show_from_every_map_or_the_chosen_one() -> None:
    every = _complete("nos show K1")
    assert "K1" in every and "K10" in every and all(i.startswith("K1") for i in every)
    assert len(every) == len(set(every))  # an id in several maps is offered once
    assert _complete("nos show -M nos-learning-development-2010 ") == node_ids(
        next(p for p in map_files() if p.stem == "nos-learning-development-2010"))
    lm = node_ids(next(p for p in map_files() if p.stem == "learning-mentor"))
    assert _complete("nos show learning-mentor:S1") == [f"learning-mentor:{i}" for i in lm if i.startswith("S1")]
    assert "learning-mentor:S10" in _complete("nos show learning-mentor:S1")
    assert _complete("nos show no-such-map:S") == []


def test_zsh_completion_answers_too() -> None:
    out = "\n".join(_complete("nos show -M learning", shell="zsh"))
    assert "learning-mentor" in out and "ldss-learning-mentor-mentoring" not in out


@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_node_ids_from_the_cache_or_the_file_agree_with_the_index(cache: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from nos_cli.maps.indexes import close, select

    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path))
    for path in map_files():
        if cache == "warm":
            close(select([str(path)], []))  # indexes the file in the database
        fresh = select([str(path)], [], use_cache=False)
        want = sorted(r[0] for r in fresh[0].records if r[0])
        close(fresh)
        assert sorted(node_ids(path)) == want


def test_completion_imports_nothing_heavy() -> None:
    code = ("import os, sys, runpy\nos.environ.update(_NOS_COMPLETE='complete_bash', COMP_WORDS='nos show S', "
            "COMP_CWORD='2')\nsys.argv = ['nos']\ntry:\n    runpy.run_module('nos_cli', run_name='__main__')\n"
            f"except SystemExit:\n    pass\nsys.stderr.write(repr([m for m in {HEAVY!r} if m in sys.modules]))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "S9" in r.stdout.split() and r.stderr == "[]"


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o default -F _nos_completion nos"),
                                           ("zsh", "#compdef nos"), ("fish", "complete --command nos")])
def test_show_completion_prints_the_named_shells_script(shell: str, marker: str) -> None:
    r = _nos("--show-completion", shell)
    assert r.returncode == 0 and marker in r.stdout and "_NOS_COMPLETE=complete_" + shell in r.stdout


def test_show_completion_refuses_an_unknown_shell() -> None:
    r = _nos("--show-completion", "tcsh")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == "nos: --show-completion: unknown shell 'tcsh'; one of bash, zsh, fish, powershell, pwsh\n"


def test_install_completion_writes_to_the_users_shell_files(tmp_path: Path) -> None:
    r = _nos("--install-completion", "bash", env={"HOME": str(tmp_path)})
    assert r.returncode == 0 and "bash completion installed in" in r.stdout
    assert "nos" in (tmp_path / ".bashrc").read_text(encoding="utf-8")


def test_help_lists_the_completion_options() -> None:
    r = _nos("--help")
    assert "--install-completion" in r.stdout and "--show-completion" in r.stdout

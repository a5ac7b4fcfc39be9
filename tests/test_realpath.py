"""Resolving many files at one resolve per folder gives what ``Path.resolve()`` gives, links and all; a map
reached by several routes is one entry of the index."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli


def _tree(tmp_path: Path) -> list[Path]:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "outside.yaml").write_text("x", encoding="utf-8")
    (real / "in.yaml").symlink_to(real / "a.yaml")
    (real / "rel.yaml").symlink_to("a.yaml")
    (real / "out.yaml").symlink_to(tmp_path / "outside.yaml")
    (real / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (real / "loop1.yaml").symlink_to(real / "loop2.yaml")
    (real / "loop2.yaml").symlink_to(real / "loop1.yaml")
    (real / "sub").mkdir()
    (tmp_path / "linked").symlink_to(real)  # the folder itself reached through a link
    names = ["a.yaml", "in.yaml", "rel.yaml", "out.yaml", "dangling.yaml", "loop1.yaml", "missing.yaml", "sub",
             "sub/../a.yaml", "..", "."]
    return [folder / name for folder in (real, tmp_path / "linked", Path("linked"), Path("real")) for name in names]


def _outcome(resolve: object, path: Path) -> str:
    try:
        return str(resolve(path))  # type: ignore[operator]
    except (OSError, RuntimeError) as exc:
        return type(exc).__name__


def test_real_paths_are_what_resolve_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nos_cli.files.realpath import RealPaths

    monkeypatch.chdir(tmp_path)
    paths = _tree(tmp_path)
    real = RealPaths()
    for path in paths + paths:  # the second time from what was remembered
        assert _outcome(real, path) == _outcome(Path.resolve, path), path


def test_yaml_files_keep_only_links_that_stay_inside(tmp_path: Path) -> None:
    from nos_cli.files.realpath import RealPaths
    from nos_cli.maps.catalog import yaml_files

    _tree(tmp_path)
    for folder in (tmp_path / "real", tmp_path / "linked"):
        real = RealPaths()
        found = yaml_files(folder, real)
        assert [p.name for p in found] == ["a.yaml", "in.yaml", "rel.yaml"]
        assert [real(p) for p in found] == [p.resolve() for p in found]


def test_a_map_reached_by_several_routes_is_one_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("NOS_CACHE_DIR", str(cache))
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "m.yaml").write_text((FIXTURES / "search" / "brackets.yaml").read_text(encoding="utf-8"),
                                 encoding="utf-8")
    (tmp_path / "via").symlink_to(maps)
    monkeypatch.chdir(tmp_path)
    answers = {run_cli("search", *route, "-c", "assess").stdout for route in (
        ["--maps-dir", str(maps), "-M", "brackets"], ["--maps-dir", "via", "-M", "brackets"],
        ["--map", "via/m.yaml"], ["--map", "maps/../via/m.yaml"])}
    assert answers == {run_cli("search", "--map", str(maps / "m.yaml"), "--no-cache", "-c", "assess").stdout}
    db = sqlite3.connect(cache / "index.sqlite3")
    paths = [p for (p,) in db.execute("SELECT path FROM files") if p.endswith("m.yaml")]
    db.close()
    assert paths == [str((maps / "m.yaml").resolve())]
    shown = json.loads(run_cli("search", "--json", "--map", "via/m.yaml", "assessment").stdout.splitlines()[0])
    assert shown["data"]["path"]["text"] == "via/m.yaml"  # the user's name for it, not the resolved one

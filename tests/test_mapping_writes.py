"""``nos mapping review --accept`` edits a person's file: every comment, line ending and byte order mark stays,
concurrent runs lose nothing, and a file it should not touch is left alone."""

from __future__ import annotations

import fcntl
import json
import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli

KSBS = [f"K{i}" for i in range(1, 12)] + [f"S{i}" for i in range(1, 12)] + [f"B{i}" for i in range(1, 6)]
STALE = "000000000000"
TABLES = ("none", "block", "flow", "flow-multiline", "empty", "flow-item")


def _map_version() -> str:
    from nos_cli.maps.catalog import Catalog

    return Catalog.from_options((), ()).get("learning-mentor").info.version


def _links(path: Path) -> dict[str, str]:
    r = run_cli("mapping", "review", str(path), "--format", "json")
    assert r.exit_code in (0, 1), r.stderr
    return {f"{x['item']}:{x['ksb']}": x["status"] for x in json.loads(r.stdout)["links"]}


@dataclass(frozen=True)
class Style:
    """One way an editor (or a person) lays out a mapping file."""

    newline: str
    bom: bool
    final_newline: bool
    dash: str  # how an item starts: "  - ", "- ", "  -   "
    block_ksbs: bool
    tables: tuple[str, ...]  # the fingerprints of each item: see TABLES
    comments: bool
    markers: bool = False  # a `---` document start and a `...` document end


def _render(style: Style) -> tuple[str, list[tuple[str, bool]]]:
    """The file's text and its lines, each with whether --accept may change it."""
    n = iter(range(1000))

    def c(where: str) -> str:
        return f"  # c{next(n)} {where}" if style.comments else ""

    lines: list[tuple[str, bool]] = []
    if style.comments:
        lines.append((f"# c{next(n)} header", False))
    if style.markers:
        lines.append(("---", False))
    lines += [("nos_mapping: 1", False), ("map: learning-mentor" + c("map"), False),
              ('map_version: "0.9"' + c("version"), True), ("title: Stylé – 😀 “quoted”", False),
              ("items:" + c("items"), False)]
    pad = " " * len(style.dash)
    for i, table in enumerate(style.tables):
        a, b = KSBS[(2 * i) % len(KSBS)], KSBS[(2 * i + 1) % len(KSBS)]
        if table == "flow-item":
            lines.append((f"{style.dash}{{id: I{i}, title: t{i}, ksbs: [{a}, {b}]}}" + c("flow item"), True))
        else:
            lines += [(f"{style.dash}id: I{i}" + c("id"), False), (f"{pad}title: t{i}", False)]
            if style.block_ksbs:
                lines += [(f"{pad}ksbs:", False), (f"{pad}  - {a}" + c("ksb"), False), (f"{pad}  - {b}", False)]
            else:
                lines.append((f"{pad}ksbs: [{a}, {b}]" + c("ksbs"), False))
        if table == "block":
            lines += [(f"{pad}fingerprints:" + c("table"), False), (f'{pad}  {a}: "{STALE}"' + c("inside"), True)]
            if style.comments:
                lines.append((f"{pad}  # c{next(n)} last in the table", False))
        elif table == "flow":
            lines.append((f'{pad}fingerprints: {{{a}: "{STALE}"}}' + c("flow"), True))
        elif table == "flow-multiline":
            lines += [(f'{pad}fingerprints: {{{a}: "{STALE}",' + c("in flow"), True), (f"{pad}  }}", True)]
        elif table == "empty":
            lines.append((f"{pad}fingerprints: {{}}" + c("empty"), True))
        if style.comments:
            lines.append((f"{pad}# c{next(n)} after item {i}", False))
    if style.markers:
        lines.append(("...", False))
    if style.comments:
        lines.append((f"# c{next(n)} at the end", False))
    text = style.newline.join(x for x, _ in lines) + (style.newline if style.final_newline else "")
    return ("\ufeff" if style.bom else "") + text, lines


def _accept_and_check(path: Path, style: Style) -> None:
    text, lines = _render(style)
    path.write_bytes(text.encode("utf-8"))
    before = yaml.safe_load(text.lstrip("\ufeff"))
    r = run_cli("mapping", "review", str(path), "--accept")
    assert r.exit_code == 0, r.stdout + r.stderr
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == style.bom
    new = raw.decode("utf-8").lstrip("\ufeff")
    if style.newline == "\r\n":
        assert "\n" not in new.replace("\r\n", "")
    else:
        assert "\r" not in new
    assert new.endswith(style.newline) == style.final_newline
    assert re.findall(r"# c\d+ [^\r\n]*", new) == re.findall(r"# c\d+ [^\r\n]*", text)
    kept = iter(new.splitlines())
    for line, may_change in lines:
        if not may_change:
            assert any(line == got for got in kept), f"line lost or moved: {line!r}"
    if style.comments:  # each new fingerprint is written inside its item, before the comment that follows it
        for i in range(len(style.tables)):
            start = new.index(f"id: I{i}")
            own = new[start:new.index(f"after item {i}", start)]
            a, b = KSBS[(2 * i) % len(KSBS)], KSBS[(2 * i + 1) % len(KSBS)]
            assert f"{a}: " in own.split("fingerprints:", 1)[-1] and f"{b}: " in own.split("fingerprints:", 1)[-1]
    after = yaml.safe_load(new)
    assert after["map_version"] == _map_version()
    for old, now in zip(before["items"], after["items"], strict=True):
        assert {k: v for k, v in old.items() if k != "fingerprints"} == {
            k: v for k, v in now.items() if k != "fingerprints"}
    assert set(_links(path).values()) == {"ok"}


STYLES = st.builds(
    Style,
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    final_newline=st.booleans(),
    dash=st.sampled_from(["  - ", "- ", "  -   "]),
    block_ksbs=st.booleans(),
    tables=st.lists(st.sampled_from(TABLES), min_size=1, max_size=6).map(tuple),
    comments=st.booleans(),
    markers=st.booleans(),
)


@settings(max_examples=40, deadline=None)
@example(Style("\n", False, True, "  - ", False, ("block", "none"), True))  # the comment-deleting case of issue 12
@example(Style("\r\n", True, False, "- ", True, TABLES, True))
@given(style=STYLES)
def test_accept_keeps_every_comment_and_layout(tmp_path_factory: pytest.TempPathFactory, style: Style) -> None:
    _accept_and_check(tmp_path_factory.mktemp("styles") / "m.yaml", style)


def _write(path: Path, items: int, *, version: str = "0.9") -> Path:
    body = "".join(f"  - id: I{i}\n    title: t\n    ksbs: [K1, S1]\n" for i in range(items))
    path.write_text(f'map: learning-mentor\nmap_version: "{version}"\ntitle: T\nitems:\n{body}', encoding="utf-8")
    return path


def test_map_version_moves_only_when_every_link_is_current(tmp_path: Path) -> None:
    m = _write(tmp_path / "m.yaml", 2)
    r = run_cli("mapping", "review", str(m), "--accept", "--only", "I0:K1")
    assert r.exit_code == 0 and "map_version set" not in r.stdout
    assert 'map_version: "0.9"' in m.read_text(encoding="utf-8")
    r = run_cli("mapping", "review", str(m), "--accept", "--format", "json")
    assert json.loads(r.stdout)["map_version_set"] == _map_version()
    assert f'map_version: "{_map_version()}"' in m.read_text(encoding="utf-8")
    assert run_cli("validate", "--strict", str(m)).exit_code == 0


def test_an_old_map_version_alone_is_accepted(tmp_path: Path) -> None:
    m = _write(tmp_path / "m.yaml", 1)
    assert run_cli("mapping", "review", str(m), "--accept").exit_code == 0
    m.write_text(m.read_text(encoding="utf-8").replace(_map_version(), "0.1"), encoding="utf-8")
    r = run_cli("mapping", "review", str(m), "--accept")
    assert r.exit_code == 0 and f"map_version set to {_map_version()}" in r.stdout


def test_nothing_to_accept_leaves_the_file_untouched(tmp_path: Path) -> None:
    m = _write(tmp_path / "m.yaml", 1, version=_map_version())
    assert run_cli("mapping", "review", str(m), "--accept").exit_code == 0
    before = m.stat()
    r = run_cli("mapping", "review", str(m), "--accept", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["written"] is False
    assert (m.stat().st_ino, m.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_format_version_2_is_refused_as_validate_does(tmp_path: Path) -> None:
    m = tmp_path / "m.yaml"
    m.write_text("nos_mapping: 2\nmap: learning-mentor\ntitle: T\nitems: []\n", encoding="utf-8")
    expected = f"{m}:1:14: mapping format version 2 is not supported; this nos reads version 1 [format-version]"
    for args in (("mapping", "review", str(m)), ("mapping", "review", str(m), "--accept"),
                 ("matrix", "--against", str(m))):
        r = run_cli(*args)
        assert (r.exit_code, r.stderr) == (2, f"nos: {expected}\n"), args
    assert f"{m}:1:14: error [format-version]" in run_cli("validate", "-f", "concise", str(m)).stdout


def test_a_read_only_mapping_needs_force(tmp_path: Path) -> None:
    m = _write(tmp_path / "m.yaml", 1)
    m.chmod(0o444)
    before = m.read_bytes()
    r = run_cli("mapping", "review", str(m), "--accept")
    assert r.exit_code == 2 and r.stderr == f"nos: {m}: is read-only; nothing was written (--force replaces it)\n"
    assert m.read_bytes() == before and "updated" not in r.stdout
    assert run_cli("mapping", "review", str(m), "--accept", "--force").exit_code == 0
    assert stat.S_IMODE(m.stat().st_mode) == 0o444 and set(_links(m).values()) == {"ok"}


def test_a_symlinked_mapping_is_edited_through_the_link(tmp_path: Path) -> None:
    real = _write(tmp_path / "real.yaml", 1)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert run_cli("mapping", "review", str(link), "--accept").exit_code == 0
    assert link.is_symlink() and "fingerprints" in real.read_text(encoding="utf-8")


def test_a_held_lock_fails_with_the_reason_and_changes_nothing(tmp_path: Path) -> None:
    m = _write(tmp_path / "m.yaml", 1)
    before = m.read_bytes()
    with m.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        r = run_cli("mapping", "review", str(m), "--accept", env={"NOS_LOCK_TIMEOUT": "0.3"})
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == (f"nos: {m}: another process (a second nos run?) is editing this file and still held its "
                        "lock after 0.3 s; nothing was changed (try again, or raise NOS_LOCK_TIMEOUT)\n")
    assert m.read_bytes() == before


@pytest.mark.parametrize("value", ["nan", "-1", "abc", "inf"])
def test_a_bad_lock_timeout_is_an_error(tmp_path: Path, value: str) -> None:
    r = run_cli("mapping", "review", str(_write(tmp_path / "m.yaml", 1)), "--accept", env={"NOS_LOCK_TIMEOUT": value})
    assert r.exit_code == 2 and r.stderr == f"nos: NOS_LOCK_TIMEOUT={value!r} is not a number of seconds (0 or more)\n"


def test_duplicate_item_ids_are_refused_with_their_place(tmp_path: Path) -> None:
    m = tmp_path / "m.yaml"
    m.write_text("map: learning-mentor\ntitle: T\nitems:\n  - {id: A, title: a, ksbs: [K1]}\n"
                 "  - {id: A, title: b, ksbs: [K2]}\n", encoding="utf-8")
    before = m.read_bytes()
    r = run_cli("mapping", "review", str(m), "--accept")
    assert r.exit_code == 2 and r.stderr == (f"nos: {m}:5:10: item id 'A' is already used at line 4; give each item "
                                             "its own id before accepting [mapping-duplicate]\n")
    assert m.read_bytes() == before


def test_closed_stdout_stops_an_accept_before_it_changes_the_file(tmp_path: Path) -> None:
    m = _write(tmp_path / "m.yaml", 1)
    before = m.read_bytes()
    r = subprocess.run(["bash", "-c", '"$0" -m nos_cli mapping review "$1" --accept >&-', sys.executable, str(m)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr == "nos: cannot write the output: standard output is closed; nothing was changed\n"
    assert m.read_bytes() == before


def test_twenty_concurrent_accepts_lose_no_edit(tmp_path: Path) -> None:
    """Real processes, each accepting a different link of one file at the same moment."""
    m = _write(tmp_path / "m.yaml", 20)
    env = {**os.environ, "NOS_LOCK_TIMEOUT": "300"}
    procs = [subprocess.Popen([sys.executable, "-m", "nos_cli", "mapping", "review", str(m), "--accept",
                               "--only", f"I{i}:K1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for i in range(20)]
    reported = set()
    for i, proc in enumerate(procs):
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
        assert f"accepted 1 link: I{i}:K1;" in out.decode()
        reported.add(f"I{i}:K1")
    links = _links(m)
    assert {k for k, v in links.items() if v == "ok"} == reported
    assert {k for k, v in links.items() if v == "unchecked"} == {f"I{i}:S1" for i in range(20)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.yaml"]  # no temporary file left behind


@pytest.mark.parametrize("how", ["in place", "by a rename"])
def test_an_editor_saving_meanwhile_is_not_overwritten(tmp_path: Path, how: str) -> None:
    """An editor takes no lock: a save between nos's read and its rename must win, and nos must say so."""
    from nos_cli.errors import NosError
    from nos_cli.files.lock import edit

    m = _write(tmp_path / "m.yaml", 1)
    saved = b"# the editor's save\n" + m.read_bytes()

    def change(data: bytes) -> tuple[bytes, None]:
        if how == "in place":
            with m.open("r+b") as fh:
                fh.write(saved)
        else:
            (tmp_path / "swap").write_bytes(saved)
            (tmp_path / "swap").replace(m)
        return data + b"# nos's edit\n", None

    with pytest.raises(NosError, match="the file changed while nos was working on it; nothing was changed"):
        edit(m, change)
    assert m.read_bytes() == saved

"""Files nos writes (``-o``, ``import``) end up as the user would want: through links, modes and owners kept,
read-only files and folders refused, devices and FIFOs written to and never replaced."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

ONE = str(FIXTURES / "ifate" / "standard.json")
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (mknod, chown)")


@contextlib.contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _csv(out: Path, *extra: str) -> tuple[int, str]:
    r = run_cli("matrix", "--format", "csv", "--output", str(out), *extra)
    return r.exit_code, r.stderr


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_files_get_the_umask_permissions(tmp_path: Path, mask: int, mode: int) -> None:
    with _umask(mask):
        assert _csv(tmp_path / "m.csv")[0] == 0
        assert run_cli("export", "--format", "csv", "-o", str(tmp_path / "e.csv")).exit_code == 0
        assert run_cli("import", "ifate", ONE, "--out-dir", str(tmp_path)).exit_code == 0
    for name in ("m.csv", "e.csv", "st9001-v1-1.yaml"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    assert _csv(out)[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text(encoding="utf-8").startswith("group,KSB")


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "m.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert _csv(link)[0] == 0
    assert link.is_symlink() and link.readlink() == real
    assert real.read_text(encoding="utf-8").startswith("group,KSB")
    assert sorted(p.name for p in real.parent.iterdir()) == ["m.csv"]  # no temporary file left behind


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "new.csv")
    assert _csv(link)[0] == 0
    assert link.is_symlink() and (tmp_path / "new.csv").read_text(encoding="utf-8").startswith("group,KSB")


def test_a_read_only_file_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    out.write_text("keep me\n", encoding="utf-8")
    out.chmod(0o444)
    code, err = _csv(out)
    assert code == 2 and f"nos: {out}: is read-only; nothing was written (--force replaces it)" in err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert run_cli("export", "-o", str(out)).exit_code == 2
    assert _csv(out, "--force")[0] == 0
    assert out.read_text(encoding="utf-8").startswith("group,KSB") and stat.S_IMODE(out.stat().st_mode) == 0o444


def test_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    code, err = _csv(tmp_path)
    assert code == 2 and err == f"nos: {tmp_path}: is a folder; give the name of a file to write\n"
    r = run_cli("export", "-o", str(tmp_path / "missing" / "x.json"))
    assert r.exit_code == 2 and "does not exist" in r.stderr


def test_impossible_names_are_clear_errors(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(loop)
    for name, reason in ((tmp_path / ("a" * 300), "File name too long"), (loop, "Too many levels of symbolic links"),
                         (Path(FIXTURES / "ifate" / "standard.json" / "x"), "Not a directory")):
        code, err = _csv(name)
        assert (code, err) == (2, f"nos: {name}: cannot write: {reason}\n")


def test_hard_links_are_named_and_the_other_name_keeps_the_old_text(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    out.write_text("old\n", encoding="utf-8")
    other = tmp_path / "other.csv"
    other.hardlink_to(out)
    code, err = _csv(out)
    assert code == 0 and f"nos: {out} had 1 other hard link; it keeps the old content" in err
    assert other.read_text(encoding="utf-8") == "old\n" and out.read_text(encoding="utf-8").startswith("group")


def test_a_fifo_is_written_to_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert _csv(fifo)[0] == 0
    reader.join(10)
    assert stat.S_ISFIFO(fifo.stat().st_mode) and got[0].startswith(b"group,KSB")


@ROOT_ONLY
def test_a_device_is_written_to_and_a_full_one_is_an_error(tmp_path: Path) -> None:
    # Nodes of our own with /dev/full's and /dev/null's numbers: a regression replaces these, not the system's.
    full, null = tmp_path / "full", tmp_path / "null"
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    code, err = _csv(full)
    assert code == 2 and err == f"nos: {full}: cannot write: No space left on device\n"
    assert _csv(null)[0] == 0
    assert stat.S_ISCHR(full.stat().st_mode) and stat.S_ISCHR(null.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "null"]


@ROOT_ONLY
def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    out.write_text("old\n", encoding="utf-8")
    os.chown(out, 4321, 4322)
    assert _csv(out)[0] == 0
    st = out.stat()
    assert (st.st_uid, st.st_gid) == (4321, 4322) and out.read_text(encoding="utf-8").startswith("group")


@pytest.mark.parametrize("device", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_a_link_to_standard_output_writes_to_it(tmp_path: Path, device: str) -> None:
    # Only links of our own: run as root, a regression would otherwise replace the system's /dev/stdout.
    link = tmp_path / "out"
    link.symlink_to(device)
    for to_file in (False, True):
        with (tmp_path / "captured").open("wb") as captured:
            r = subprocess.run([sys.executable, "-m", "nos_cli", "matrix", "-f", "csv", "-o", str(link)],
                               stdout=captured if to_file else subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        text = (tmp_path / "captured").read_bytes() if to_file else r.stdout
        assert r.returncode == 0 and text.startswith(b"group,KSB"), r.stderr
        assert link.is_symlink() and str(link.readlink()) == device


def test_import_leaves_a_dangling_symlink_without_force(tmp_path: Path) -> None:
    link = tmp_path / "st9001-v1-1.yaml"
    link.symlink_to(tmp_path / "elsewhere.yaml")
    r = run_cli("import", "ifate", ONE, "--out-dir", str(tmp_path))
    assert r.exit_code == 1 and f"skipped {link} (exists; --force to overwrite)" in r.stderr
    assert link.is_symlink() and not (tmp_path / "elsewhere.yaml").exists()
    assert run_cli("import", "ifate", ONE, "--out-dir", str(tmp_path), "--force").exit_code == 0
    assert link.is_symlink() and "nos_map: 1" in (tmp_path / "elsewhere.yaml").read_text(encoding="utf-8")

"""Docs that cannot drift: every ```console block of README.md and docs/*.md runs, and prints what it shows.

A block is a list of commands (lines starting ``$ ``; a line ending in ``\\`` continues the command) each
followed by its expected output (stdout and stderr together, in the order nos writes them). The blocks of one
Markdown file run in order, in one scratch copy of the repository's ``examples/`` and ``data/`` (so a file
that one block writes, such as an import's output, is there for the next), each command through
``bash -c`` with ``set -o pipefail`` so that pipes, redirections and ``cd`` work as a reader's shell does (a
``cd`` holds for the commands after it in the same file).

The environment is fixed, so that a reader's run and the test agree: ``NO_COLOR=1``, no ``COLUMNS``,
``TERM=dumb``, ``NOS_CACHE_DIR`` and ``HOME`` in the scratch folder, ``NOS_MATCHER=lexical`` (the semantic
extra, when installed, would change ``nos diff``'s answers), unbuffered Python (so stderr lands where it was
written among stdout), and ``nos`` and ``python`` from the Python running the tests.

The only normalisations, applied to what the command printed:
- trailing spaces on each line, and blank lines at the end, are dropped (on both sides);
- the scratch folder's absolute path is shown as the doc shows paths relative to the repository: removed;
- the bundled maps' folder (inside the installed package, ``.../nos_cli/_maps``, or data/functional_maps/ of a
  checkout) is shown as ``data/functional_maps``.
And in the expected text, a line that is only ``...`` stands for any number of lines (doctest's ELLIPSIS).

Exit codes: a command followed by ``$ echo $?`` must exit with the number shown there; any other command
must exit 0. A block opts out only with a marker comment on the line before it, which names the reason:
``<!-- doc-test: skip (timings of this machine) -->``; ``<!-- doc-test: requires PROGRAM -->`` skips it
when PROGRAM is not on PATH. Skipped blocks are reported by pytest (``-ra``) with their reasons.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MARKER = re.compile(r"<!--\s*doc-test:\s*(skip|requires)\b\s*(.*?)\s*-->")
ECHO_STATUS = "echo $?"


@dataclass
class Step:
    command: str
    expected: list[str] = field(default_factory=list)
    status: int = 0  # from a following `$ echo $?`


@dataclass
class Block:
    doc: Path
    line: int  # 1-based line of the opening fence
    steps: list[Step]
    skip: str | None  # the reason, when the block opts out

    @property
    def name(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def parse(doc: Path) -> list[Block]:
    """The console blocks of one Markdown file, with the marker comment before each, if any."""
    lines = doc.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("```console"):
            i += 1
            continue
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        blocks.append(Block(doc, start + 1, _steps(body), _skip_reason(lines, start)))
        i += 1
    return blocks


def _skip_reason(lines: list[str], fence: int) -> str | None:
    before = next((lines[j] for j in range(fence - 1, -1, -1) if lines[j].strip()), "")
    found = MARKER.search(before)
    if not found:
        return None
    kind, arg = found.group(1), found.group(2).strip("() ")
    if kind == "skip":
        return arg or "no reason given"
    missing = [program for program in arg.split() if shutil.which(program) is None]
    return f"needs {', '.join(missing)} on PATH" if missing else None


def _steps(body: list[str]) -> list[Step]:
    steps: list[Step] = []
    pending: Step | None = None  # the command an `echo $?` reports on
    i = 0
    while i < len(body):
        line = body[i]
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\") and i + 1 < len(body):
                i += 1
                command = command[:-1] + "\n" + body[i]
            if command.strip() == ECHO_STATUS and steps:
                pending = steps[-1]
            else:
                steps.append(Step(command))
                pending = None
        elif pending is not None:
            if line.strip():
                pending.status = int(line.strip())
        elif steps:
            steps[-1].expected.append(line)
        i += 1
    return steps


BLOCKS = [block for doc in DOCS for block in parse(doc)]


def test_the_docs_have_console_examples() -> None:
    assert len(BLOCKS) >= 20, [b.name for b in BLOCKS]
    assert all(b.steps or b.skip for b in BLOCKS), [b.name for b in BLOCKS if not b.steps and not b.skip]


def test_parse_reads_commands_output_and_status(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text(
        "<!-- doc-test: skip (timings) -->\n```console\n$ a\nout\n```\n\n"
        "```console\n$ b | c \\\n  -d\none\n\ntwo\n$ echo $?\n1\n$ e\n```\n",
        encoding="utf-8",
    )
    first, second = parse(doc)
    assert (first.line, first.skip, first.steps[0].command, first.steps[0].expected) == (2, "timings", "a", ["out"])
    assert second.skip is None
    assert [(s.command, s.expected, s.status) for s in second.steps] == [
        ("b | c \n  -d", ["one", "", "two"], 1),
        ("e", [], 0),
    ]


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30)
_OUTPUT_LINE = _TEXT.filter(lambda s: not s.startswith(("$ ", "```")))
_COMMAND = _TEXT.map(lambda s: "nos " + s.rstrip("\\")).filter(lambda s: s.strip() != ECHO_STATUS)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_COMMAND, st.lists(_OUTPUT_LINE, max_size=4), st.none() | st.integers(0, 2)),
                min_size=1, max_size=5))
def test_parse_gives_back_any_block(steps: list[tuple[str, list[str], int | None]]) -> None:
    """Whatever the commands and their output, parse returns what was written, in order."""
    import tempfile

    lines = ["```console"]
    for command, output, status in steps:
        lines += ["$ " + command, *output]
        if status is not None:
            lines += ["$ echo $?", str(status)]
    with tempfile.TemporaryDirectory() as folder:
        doc = Path(folder) / "x.md"
        doc.write_text("\n".join([*lines, "```", ""]), encoding="utf-8")
        (block,) = parse(doc)
    assert [(s.command, s.expected, s.status) for s in block.steps] == [
        (command, output, status or 0) for command, output, status in steps
    ]


def _environment(scratch: Path) -> dict[str, str]:
    bin_dir = scratch / ".bin"
    bin_dir.mkdir()
    installed = Path(sys.executable).with_name("nos")
    nos = bin_dir / "nos"
    if installed.exists():
        nos.symlink_to(installed)
    else:  # a checkout without pip install: the module is what the script would run
        nos.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m nos_cli "$@"\n', encoding="utf-8")
        nos.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    return {
        "PATH": os.pathsep.join([str(bin_dir), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": str(scratch / ".home"),
        "NOS_CACHE_DIR": str(scratch / ".cache"),
        "NOS_MATCHER": "lexical",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONPATH": str(ROOT),
        "TZ": "UTC",
    }


class Scratch:
    """One Markdown file's scratch copy; blocks run in document order, earlier ones replayed when needed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir()
        for part in ("examples", "data"):
            if (ROOT / part).is_dir():
                shutil.copytree(ROOT / part, folder / part)
        self.env = _environment(folder)
        self.done = 0  # how many blocks of the file have run here
        self.cwd = folder  # a `cd` in one command holds for the next, as in the reader's shell
        self._cwd_file = folder / ".bin" / "cwd"

    def run(self, step: Step) -> tuple[int, str]:
        script = f'set -o pipefail\ntrap \'pwd > "$0"\' EXIT\n{step.command}'
        proc = subprocess.run(
            ["bash", "-c", script, str(self._cwd_file)],
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=300,
        )
        if self._cwd_file.exists():
            self.cwd = Path(self._cwd_file.read_text(encoding="utf-8").strip() or self.folder)
        return proc.returncode, proc.stdout.decode("utf-8", errors="replace")


def test_cd_pipes_and_status_work_as_in_a_shell(tmp_path: Path) -> None:
    scratch = Scratch(tmp_path / "repo")
    assert scratch.run(Step("mkdir -p out/sub && cd out")) == (0, "")
    status, printed = scratch.run(Step("pwd; ls"))
    assert (status, normalise(printed, scratch.folder)) == (0, ["out", "sub"])
    assert scratch.run(Step("false | cat"))[0] == 1  # pipefail: a failing nos before a pipe is seen
    status, printed = scratch.run(Step("nos show NOPE99"))
    assert status != 0 and printed.startswith("nos: ")


def _bundled() -> str:
    from nos_cli.maps.catalog import bundled_dir

    return str(bundled_dir().resolve())


_INSTALLED_MAPS = re.compile(r"""[^\s"']*/nos_cli/_maps(?=/)""")  # a pip-installed copy, whichever Python


def normalise(text: str, scratch: Path) -> list[str]:
    text = _INSTALLED_MAPS.sub("data/functional_maps", text.replace(_bundled(), "data/functional_maps"))
    for folder in {str(scratch), str(scratch.resolve())}:
        text = text.replace(folder + os.sep, "").replace(folder, ".")
    return _trim(text.split("\n"))


def _trim(lines: list[str]) -> list[str]:
    out = [line.rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line, where an expected line of just ``...`` stands for any number of lines."""
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"\n" for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


def test_normalise_shows_the_bundled_maps_and_the_scratch_folder_as_the_docs_do(tmp_path: Path) -> None:
    printed = (f'{{"path": "/venv/lib/python3.11/site-packages/nos_cli/_maps/learning-mentor.yaml"}}  \n'
               f"{_bundled()}/learning-mentor.yaml\nwrote {tmp_path}/maps/a.yaml\n\n")
    assert normalise(printed, tmp_path) == [
        '{"path": "data/functional_maps/learning-mentor.yaml"}',
        "data/functional_maps/learning-mentor.yaml",
        "wrote maps/a.yaml",
    ]


def test_matches_with_ellipsis() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "b"], ["a", "b"])
    assert not matches(["a", "...", "d"], ["a", "b", "c"])
    assert not matches(["a"], ["a", "b"])


@pytest.fixture(scope="session")
def scratches(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Scratch]:
    return {}


@pytest.mark.slow
@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_console_example(
    block: Block, scratches: dict[Path, Scratch], tmp_path_factory: pytest.TempPathFactory
) -> None:
    if block.skip:
        pytest.skip(f"{block.name}: {block.skip}")
    if block.doc not in scratches:
        scratches[block.doc] = Scratch(tmp_path_factory.mktemp("doc") / "repo")
    scratch = scratches[block.doc]
    siblings = [b for b in BLOCKS if b.doc == block.doc]
    here = siblings.index(block)
    for earlier in siblings[scratch.done:here]:  # replay what this block may rely on (run alone with -k)
        if not earlier.skip:
            for step in earlier.steps:
                scratch.run(step)
    scratch.done = here + 1
    failures = []
    for step in block.steps:
        status, output = scratch.run(step)
        actual = normalise(output, scratch.folder)
        expected = _trim(step.expected)
        if status != step.status or not matches(expected, actual):
            failures.append(
                f"$ {step.command}\nexit {status}, the doc implies {step.status}\n"
                f"--- the doc shows\n" + "\n".join(expected) + "\n--- nos printed\n" + "\n".join(actual)
            )
    assert not failures, f"{block.name}:\n" + "\n\n".join(failures)

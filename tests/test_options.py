"""One meaning per option, and ids that flow between commands (issue 15).

The option walk reads the real click command tree, so a command added later is held to the same names,
short flags, types and help without this file changing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import given
from hypothesis import strategies as st

from nos_cli.cli.app import app
from nos_cli.maps.lookup import NodeRef, parse_ref
from tests.conftest import ROOT, run_cli

BUNDLED = ROOT / "data" / "functional_maps"
SHARED = ("--map", "--maps-dir", "--format", "--color", "--output", "--fail-under", "--force", "--no-cache")
#: The short flag each shared option has, and the only option that short flag may mean anywhere.
SHORT = {"--map": "-M", "--format": "-f", "--output": "-o"}


# typer 0.28 vendors click (typer._click), older ones import it: the tree is read by duck typing, not by class
Command = Any


def _is_option(param: Any) -> bool:
    return bool(param.param_type_name == "option")


def _commands(cmd: Command, path: tuple[str, ...] = ()) -> list[tuple[str, Command]]:
    if hasattr(cmd, "commands"):
        out: list[tuple[str, Command]] = []
        for name, sub in cmd.commands.items():
            out += _commands(sub, (*path, name))
        return out
    return [(" ".join(path), cmd)]


COMMANDS = _commands(typer.main.get_command(app))


#: Where a short flag means what grep says it means instead: search's -f is grep's pattern file (--file) and -o
#: grep's --only-matching, so
#: search's --format has no short form there (docs/search.md). (command, short flag) -> what it means there.
GREP_SHORT = {("search", "-f"): "--file", ("search", "-o"): "--only-matching"}
#: search's formats are grep's text lines and rg's JSON messages, not a registry's renderers.
OWN_FORMATS = {"search"}


def _shape(param: Any) -> dict[str, Any]:
    return {"flags": sorted(param.opts + param.secondary_opts), "type": param.type.name,
            "multiple": param.multiple, "is_flag": param.is_flag, "metavar": param.metavar, "help": param.help}


def test_the_walk_finds_every_command() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"show", "map show", "map list", "matrix", "diff", "export", "mapping review", "import ifate", "site",
            "compare", "validate", "search"} <= names


@pytest.mark.parametrize("option", SHARED)
def test_a_shared_option_reads_the_same_everywhere(option: str) -> None:
    seen = {name: _shape(p) for name, cmd in COMMANDS for p in cmd.params
            if _is_option(p) and option in p.opts and not p.hidden}
    assert len(seen) >= 2, f"{option} is shared by at least two commands"
    for name, shape in seen.items():  # grep's meaning of the short flag wins on search (GREP_SHORT)
        if option in SHORT and (name, SHORT[option]) in GREP_SHORT:
            shape["flags"] = sorted({*shape["flags"], SHORT[option]})
    if option == "--format":  # the choices differ by command: the help is the command's registry's, always
        from nos_cli.render.registry import ALL

        for name, shape in seen.items():
            text = shape.pop("help")
            assert name in OWN_FORMATS or any(text.endswith(f.help()) for f in ALL), \
                f"nos {name}: --format help is its own"
    first = next(iter(seen.values()))
    differing = {name: shape for name, shape in seen.items() if shape != first}
    assert not differing, f"{option} differs from {next(iter(seen))}'s: {differing}"
    if option in SHORT:
        assert SHORT[option] in first["flags"]


@pytest.mark.parametrize(("long", "short"), SHORT.items())
def test_a_short_flag_has_one_meaning(long: str, short: str) -> None:
    for name, cmd in COMMANDS:
        for p in cmd.params:
            if _is_option(p) and short in p.opts + p.secondary_opts:
                want = GREP_SHORT.get((name, short), long)
                assert want in p.opts, f"nos {name}: {short} means {p.opts}, not {want}"


def test_every_command_that_prints_takes_format_or_color() -> None:
    """--format where there is more than one form of output, and --color on every command that prints."""
    quiet = {"map schema", "rule"}  # schema prints fixed JSON; rule prints a document text
    for name, cmd in COMMANDS:
        flags = {o for p in cmd.params if _is_option(p) for o in p.opts}
        if name not in quiet:
            assert "--color" in flags, f"nos {name} has no --color"
        if "--output" in flags:
            assert "--format" in flags, f"nos {name} writes a file but has no --format"


# --- -M by id or path, and one map for one-map commands -------------------------------------------------------

ONE_MAP = [
    ("map", "show", "--depth", "1"),
    ("matrix",),
    ("export", "-f", "csv"),
    ("diff", "README.md"),
]


@pytest.mark.parametrize("command", ONE_MAP, ids=lambda c: c[0])
def test_map_by_id_with_M(command: tuple[str, ...]) -> None:
    r = run_cli(*command, "-M", "nos-learning-development-2010")
    assert r.exit_code in (0, 1), r.stderr  # diff and matrix may answer "no" (coverage); never "no such file"
    assert "no such file" not in r.stderr
    assert "nos-learning-development-2010" in r.stdout or "nos-learning-development-2010" in r.stderr


@pytest.mark.parametrize("command", ONE_MAP, ids=lambda c: c[0])
def test_a_second_map_is_a_usage_error(command: tuple[str, ...]) -> None:
    r = run_cli(*command, "-M", "learning-mentor", "-M", "nos-learning-development-2010")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert "reads one map" in r.stderr and "nos-learning-development-2010" in r.stderr


def test_matrix_map_and_a_different_M_is_refused_not_ignored() -> None:
    r = run_cli("matrix", "learning-mentor", "-M", "nos-learning-development-2010")
    assert r.exit_code == 2
    assert "learning-mentor, nos-learning-development-2010" in r.stderr


def test_the_same_map_twice_is_one_map() -> None:
    path = str(BUNDLED / "learning-mentor.yaml")
    r = run_cli("matrix", path, "-M", path, "-M", path)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == run_cli("matrix", "learning-mentor").stdout


def test_mapping_review_refuses_a_second_map() -> None:
    r = run_cli("mapping", "review", "examples/learning-mentor-programme.yaml", "-M", "learning-mentor",
                "-M", "ldss-learning-mentor-mentoring")
    assert r.exit_code == 2 and "reads one map" in r.stderr


def test_an_unknown_map_id_after_M_is_an_error() -> None:
    r = run_cli("map", "show", "-M", "no-such-map")
    assert r.exit_code == 2
    assert "no map with id 'no-such-map'" in r.stderr and "learning-mentor" in r.stderr


def test_site_takes_out_dir_only(tmp_path: Path) -> None:
    r = run_cli("site", "learning-mentor", "-o", str(tmp_path / "s"))
    assert r.exit_code == 2 and "-o" in r.stderr
    assert not (tmp_path / "s").exists()


# --- nos show: ID, MAP:ID, several, every map ----------------------------------------------------------------


def test_show_map_colon_id_and_several() -> None:
    both = run_cli("show", "learning-mentor:S9", "K9")
    assert both.exit_code == 0, both.stderr
    s9, k9 = run_cli("show", "S9", "-M", "learning-mentor"), run_cli("show", "K9", "-M", "learning-mentor")
    assert both.stdout == s9.stdout + "\n" + k9.stdout


def test_show_several_as_json_is_one_document_with_a_list() -> None:
    r = run_cli("show", "learning-mentor:S9", "K9", "-f", "json")
    doc = json.loads(r.stdout)
    assert doc["format"] == "nos-nodes"
    assert [(n["map"], n["id"]) for n in doc["nodes"]] == [("learning-mentor", "S9"), ("learning-mentor", "K9")]
    one = json.loads(run_cli("show", "learning-mentor:S9", "-f", "json").stdout)
    assert one["format"] == "nos-node" and one["node"] == doc["nodes"][0]


def test_an_id_in_one_map_needs_no_M() -> None:
    # "1" is a function of the 2010 NOS only: found there without -M, though learning-mentor is the default map
    r = run_cli("show", "1", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["node"]["map"] == "nos-learning-development-2010"


def test_an_id_in_no_map_exits_1_with_close_ids_as_map_id() -> None:
    r = run_cli("show", "S99")
    assert r.exit_code == 1 and r.stdout == ""
    assert "learning-mentor:S9" in r.stderr


def test_an_ambiguous_id_lists_the_candidates_and_exits_2(tmp_path: Path) -> None:
    copy = (BUNDLED / "learning-mentor.yaml").read_text(encoding="utf-8").replace(
        "\nid: learning-mentor\n", "\nid: lm-copy\n", 1)
    (tmp_path / "lm-copy.yaml").write_text(copy, encoding="utf-8")
    r = run_cli("show", "S9", "--maps-dir", str(tmp_path))
    assert r.exit_code == 2 and r.stdout == ""
    assert "learning-mentor:S9" in r.stderr and "lm-copy:S9" in r.stderr
    chosen = run_cli("show", "lm-copy:S9", "--maps-dir", str(tmp_path), "-f", "json")
    assert json.loads(chosen.stdout)["node"]["map"] == "lm-copy"
    narrowed = run_cli("show", "S9", "--maps-dir", str(tmp_path), "-M", "lm-copy", "-f", "json")
    assert json.loads(narrowed.stdout)["node"]["map"] == "lm-copy"


def test_show_by_map_path_colon_id() -> None:
    r = run_cli("show", f"{BUNDLED / 'learning-mentor.yaml'}:S9", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["node"]["id"] == "S9"


@pytest.mark.skipif(shutil.which("xargs") is None or shutil.which("cut") is None, reason="needs xargs and cut")
def test_search_ids_flow_into_show() -> None:
    """What search prints as an id, show accepts: the README's pipe, as a shell runs it."""
    nos = f"{sys.executable} -m nos_cli"
    pipe = subprocess.run(f"{nos} search -i safeguard | cut -f1 | xargs {nos} show -f json", shell=True,
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert pipe.returncode == 0, pipe.stderr
    listed = subprocess.run(f"{nos} search -i safeguard | cut -f1", shell=True, cwd=ROOT, capture_output=True,
                            text=True, timeout=60).stdout.split()
    doc = json.loads(pipe.stdout)
    nodes = doc["nodes"] if "nodes" in doc else [doc["node"]]
    assert [f"{n['map']}:{n['id']}" for n in nodes] == listed


ids = st.text(st.characters(blacklist_characters=":", blacklist_categories=("Cs",)), min_size=1)


@given(map_ref=ids, node_id=ids)
def test_parse_ref_splits_map_and_id(map_ref: str, node_id: str) -> None:
    assert parse_ref(f"{map_ref}:{node_id}") == NodeRef(map_ref, node_id)
    assert parse_ref(node_id) == NodeRef(None, node_id)

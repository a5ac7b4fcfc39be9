"""nos compare as git users read it: the word diff, its colours and the header naming both versions."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nos_cli.versions.compare import ADDED, KEPT, REMOVED, _tokens, word_diff, word_pieces
from tests.conftest import ROOT, run_cli

LM = ROOT / "data" / "functional_maps" / "learning-mentor.yaml"
S9_OLD = "be vigilant in safeguarding learners and others in contact with them"


def _edited(tmp_path: Path, new_s9: str, version: str = "2.0") -> Path:
    text = LM.read_text(encoding="utf-8")
    assert S9_OLD in text and 'version: "1.0.0"' in text
    path = tmp_path / "lm-2.yaml"
    path.write_text(text.replace(S9_OLD, new_s9).replace('version: "1.0.0"', f'version: "{version}"'),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, expected", [
    ("safeguarding concerns", "safeguarding concerns, including online harms",
     "safeguarding concerns{+, including online harms+}"),
    ("learners and others in contact", "learners and everyone in contact",
     "learners and [-others-]{+everyone+} in contact"),
    ("a cat sat.", "a dog sat!", "a [-cat-]{+dog+} sat[-.-]{+!+}"),
    ("the learner's needs", "the learners' needs", "the [-learner-]{+learners+}'[-s-] needs"),
    ("same words", "same words", "same words"),
    ("", "all new", "{+all new+}"),
])
def test_word_diff_marks_only_the_changed_words(old: str, new: str, expected: str) -> None:
    assert word_diff(old, new) == expected


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("old, new", [
    ("safeguarding concerns", "safeguarding concerns, including online harms"),
    ("a cat sat.", "a dog sat!"),
    ("Plan, deliver and review (with others) learning", "Plan and review (with learners) learning; record it"),
    ("Work safely with widgets", "Work safely with widgets and their tools"),
])
def test_word_diff_agrees_with_git_word_diff(old: str, new: str, tmp_path: Path) -> None:
    (tmp_path / "a").write_text(old + "\n", encoding="utf-8")
    (tmp_path / "b").write_text(new + "\n", encoding="utf-8")
    git = subprocess.run(["git", "diff", "--no-index", "--word-diff", r"--word-diff-regex=[[:alnum:]_]+|[^[:space:]]",
                          "a", "b"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert git.stdout.splitlines()[-1] == word_diff(old, new)


_text = st.lists(st.sampled_from(["learners", "learner's", "safe", ",", ".", "(", ")", "and", "others", "’", "x1"]),
                 max_size=12).map(" ".join) | st.text(max_size=40)


@settings(max_examples=150, deadline=None)
@given(_text, _text)
def test_word_pieces_rebuild_both_texts(old: str, new: str) -> None:
    """Kept and removed pieces are the old text's words, kept and added the new text's, in order."""
    pieces = word_pieces(old, new)
    assert [t for _, t in _tokens("".join(t for k, t in pieces if k != ADDED))] == [t for _, t in _tokens(old)]
    assert [t for _, t in _tokens("".join(t for k, t in pieces if k != REMOVED))] == [t for _, t in _tokens(new)]
    assert all(t for _, t in pieces) and all(k in (KEPT, ADDED, REMOVED) for k, _ in pieces)


def test_header_names_both_maps_with_version_and_file(tmp_path: Path) -> None:
    new = _edited(tmp_path, "be vigilant in safeguarding learners and everyone in contact with them")
    r = run_cli("compare", "learning-mentor", str(new))
    lines = r.stdout.splitlines()
    assert lines[0] == f"--- learning-mentor version 1.0.0 ({LM})"
    assert lines[1] == f"+++ learning-mentor version 2.0 ({new})"
    assert lines[2] == "0 added, 0 removed, 1 reworded, 0 renumbered, 0 moved; 40 unchanged"
    assert ("  ~ KSB S9: be vigilant in safeguarding learners and [-others-]{+everyone+} in contact with them  "
            "[similar (88%)]") in lines
    doc = __import__("json").loads(run_cli("compare", "learning-mentor", str(new), "-f", "json").stdout)
    assert (doc["old_version"], doc["new_version"]) == ("1.0.0", "2.0")
    md = run_cli("compare", "learning-mentor", str(new), "-f", "markdown").stdout
    assert "- new: learning-mentor version 2.0" in md


def test_colour_is_red_and_green_like_git_and_off_by_default_in_a_pipe(tmp_path: Path) -> None:
    new = _edited(tmp_path, "be vigilant, in safeguarding learners and everyone in contact with them")
    plain = run_cli("compare", "learning-mentor", str(new)).stdout
    assert "\x1b" not in plain and "be vigilant{+,+} in" in plain
    assert run_cli("compare", "learning-mentor", str(new), "--color", "never").stdout == plain
    coloured = run_cli("compare", "learning-mentor", str(new), "--color", "always").stdout
    assert "be vigilant\x1b[32m,\x1b[m in safeguarding learners and \x1b[31mothers\x1b[m\x1b[32meveryone\x1b[m in" \
        in coloured
    assert "[-" not in coloured and "{+" not in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured).splitlines()[0] == plain.splitlines()[0]
    assert run_cli("compare", "learning-mentor", str(new), "--color", "always", "-f", "json").stdout.count(
        "\x1b") == 0
    assert "\x1b" in run_cli("compare", "learning-mentor", str(new), env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b" not in run_cli("compare", "learning-mentor", str(new), "--color", "auto",
                                 env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_a_map_text_cannot_write_escapes_even_in_colour(tmp_path: Path) -> None:
    # written as YAML escapes (the loader refuses raw control characters), so the map holds real ESC and BEL
    new = _edited(tmp_path, "be vigilant in safeguarding \\x1b]0;pwned\\x07 learners and everyone")
    r = run_cli("compare", "learning-mentor", str(new), "--color", "always")
    assert "\x1b]0;" not in r.stdout and "\x07" not in r.stdout and "\\x1b]0;pwned\\x07" in r.stdout
    line = run_cli("compare", "learning-mentor", _edited(tmp_path, "::error::forged").as_posix()).stdout
    assert "  + KSB S9: ::error::forged" in line and not any(x.lstrip().startswith("::") for x in line.splitlines())


def test_bad_color_value_is_a_usage_error() -> None:
    r = run_cli("compare", "learning-mentor", "learning-mentor", "--color", "sometimes")
    assert r.exit_code == 2 and "'sometimes' is not one of auto, always, never" in r.stderr

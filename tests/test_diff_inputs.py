"""nos diff reads role descriptions as trainers have them: Word, PDF, text saved on Windows, one duty a line,
titles and section labels that are not duties."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nos_cli.diff.role import parse_text
from tests.conftest import FIXTURES, ROOT, run_cli

ROLES = FIXTURES / "diff"
DUTIES = ["Report safeguarding concerns to the designated safeguarding lead",
          "Keep accurate and confidential records in line with GDPR",
          "Agree SMART targets with each pupil and review them every half term"]


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path / "cache"))


def _json(*args: str, input: str | None = None) -> dict:  # type: ignore[type-arg]
    r = run_cli("diff", *args, "--format", "json", input=input)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", ["role.docx", "role.pdf"])
def test_word_and_pdf_files_are_read_as_their_duties(name: str) -> None:
    pytest.importorskip("docx" if name.endswith("docx") else "pypdf", reason="needs the docs extra")
    doc = _json(str(ROLES / name))
    texts = [s["text"] for s in doc["statements"]]
    assert doc["role"]["format"] == name.rsplit(".", 1)[1]
    # the all-capitals title and the "Main purpose of the job" label are not duties, nor glued onto one
    assert not any("JOB DESCRIPTION" in t or "Main purpose" in t for t in texts), texts
    assert texts[0] == "To remove barriers to learning for pupils at risk of underachievement"
    assert texts[1:4] == DUTIES
    best = {s["text"]: s["matches"][0]["id"] for s in doc["statements"] if s["matches"]}
    assert best[DUTIES[0]] in ("S9", "K9", "F9") and best[DUTIES[1]] in ("S7", "K7", "F7")
    assert best[DUTIES[2]] in ("S8", "K8", "F8")


def test_missing_docs_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now raises ImportError
    monkeypatch.setitem(sys.modules, "pypdf", None)
    for name in ("role.docx", "role.pdf"):
        r = run_cli("diff", str(ROLES / name))
        assert r.exit_code == 2
        assert r.stderr == f'nos: {ROLES / name}: reading {"Word" if name.endswith("x") else "PDF"} files needs ' \
                           'the docs extra: pip install "nos-cli[docs]"\n'


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_a_damaged_document_is_one_line_and_exit_2(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("docx" if suffix == ".docx" else "pypdf", reason="needs the docs extra")
    bad = tmp_path / f"role{suffix}"
    bad.write_bytes(b"PK\x03\x04 not really a document" if suffix == ".docx" else b"%PDF-1.4\n garbage")
    r = run_cli("diff", str(bad))
    assert r.exit_code == 2 and r.stderr.startswith(f"nos: {bad}: ") and r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.stderr


def test_old_word_format_is_refused_with_advice(tmp_path: Path) -> None:
    old = tmp_path / "role.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    r = run_cli("diff", str(old))
    assert r.exit_code == 2 and "save it as .docx or as text" in r.stderr


def test_windows_text_says_which_encoding_it_assumed() -> None:
    r = run_cli("diff", str(ROLES / "role-cp1252.txt"), "--format", "json")
    assert r.exit_code == 0
    assert r.stderr == f"nos: {ROLES / 'role-cp1252.txt'}: not UTF-8; read as cp1252\n"
    doc = json.loads(r.stdout)
    assert doc["role"]["encoding"] == "cp1252"
    texts = [s["text"] for s in doc["statements"]]
    assert texts == ["Support pupils’ well-being and keep parents informed",
                     "Promote pupils’ confidence and self-esteem", "Salary: £21,000"]
    assert "K5" in [m["id"] for m in doc["statements"][0]["matches"]]  # "keep parents informed"
    assert not doc["statements"][2]["matches"]


def test_latin1_bytes_that_cp1252_lacks_fall_back_to_latin1(tmp_path: Path) -> None:
    f = tmp_path / "role.txt"
    f.write_bytes("- Keep records of pupils\x81 progress\n".encode("latin-1"))
    r = run_cli("diff", str(f))
    assert r.exit_code == 0 and r.stderr.endswith("read as latin-1\n")


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    f = tmp_path / "role.txt"
    f.write_bytes("- Report safeguarding concerns\n".encode("utf-16"))
    doc = _json(str(f))
    assert doc["role"]["encoding"] == "utf-16" and doc["statements"][0]["text"] == "Report safeguarding concerns"


def test_one_duty_a_line_stays_one_statement() -> None:
    text = ("identifying children who would benefit from one-to-one tutoring\n"
            "discovering the reasons behind a child's underachievement\n"
            "Be there to support and offer guidance to the learner\n"
            "Attend the progress review with each learner\n")
    assert [s.line for s in parse_text(text)] == [1, 2, 3, 4]


def test_wrapped_lines_are_joined() -> None:
    text = ("The mentor will work closely with teachers, the SENCO and\n"
            "heads of year to agree targets for each pupil, and will keep\n"
            "parents informed of progress every half term.\n")
    got = parse_text(text)
    assert len(got) == 1 and got[0].line == 1 and got[0].text.endswith("every half term.")


def test_hard_wrapped_prose_joins_lower_case_continuations() -> None:
    text = ("Learning mentors work with pupils who face barriers to learning, helping them\n"
            "settle into school life and make progress; they keep careful notes of every\n"
            "session and share concerns with the designated safeguarding lead promptly.\n")
    assert len(parse_text(text)) == 1


@pytest.mark.parametrize("title", ["LEARNING MENTOR - GRADE 4", "Main purpose of the job", "Key Responsibilities",
                                   "Job purpose:", "PERSON SPECIFICATION", "Duties and responsibilities"])
def test_titles_and_labels_are_never_duties_nor_glued_on(title: str) -> None:
    got = parse_text(f"{title}\nSupport pupils with their learning\nKeep records up to date\n")
    assert [(s.line, s.text) for s in got] == [(2, "Support pupils with their learning"),
                                             (3, "Keep records up to date")]


def test_short_duties_are_kept() -> None:
    got = parse_text("Safeguarding duties:\nChain of escalation\nResponding to disclosure\n")
    assert [s.text for s in got] == ["Chain of escalation", "Responding to disclosure"]


def test_unmatched_lines_are_listed_once_each() -> None:
    text = "Parking is free. Lunch is provided.\nSalary: £21,000\n"
    doc = _json("-", input=text)
    assert [u["line"] for u in doc["unmatched"]] == [1, 2]
    assert doc["unmatched"][0]["text"] == "Parking is free. Lunch is provided."
    out = run_cli("diff", "-", input=text).stdout
    assert "Not in the standard: 3 statements (lines 1, 2)" in out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="cp1252"), max_size=60), max_size=8))
def test_any_cp1252_text_reads_without_error(lines: list[str]) -> None:
    data = "\n".join(lines).encode("cp1252")
    from nos_cli.diff.documents import decode_text

    text, encoding = decode_text(data, "x")
    assert encoding in ("utf-8", "cp1252", "latin-1", "utf-16")
    assert all(s.line >= 1 for s in parse_text(text))


@pytest.mark.slow
def test_installed_nos_reads_a_word_file() -> None:
    pytest.importorskip("docx", reason="needs the docs extra")
    r = subprocess.run([sys.executable, "-m", "nos_cli", "diff", str(ROLES / "role.docx"), "--format", "json"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["role"]["format"] == "docx"

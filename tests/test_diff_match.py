"""The lexical matcher on the words real job descriptions use: no concept traps, hyphens split, aliases that
say which of them matched, short KSBs that do not win on one word, shared words as the statement writes them."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nos_cli.diff.match import DEFAULT_THRESHOLD, MapModel, build_model, lexical_scores, score_all
from nos_cli.diff.textnorm import CONCEPTS, STOP_WORDS, tokens, words
from nos_cli.maps.catalog import bundled_dir, load_checked
from nos_cli.maps.index import build_index
from tests.conftest import run_cli


@lru_cache(maxsize=1)
def _model() -> MapModel:
    return build_model(build_index(load_checked(bundled_dir() / "learning-mentor.yaml")), use_cache=False)


def _ranked(text: str) -> list[str]:
    return [m.id for m in score_all(_model(), text) if m.score >= DEFAULT_THRESHOLD]


@pytest.mark.parametrize(("word", "not_concept"), [
    ("attendance", "#barrier"), ("challenge", "#resilient"), ("secure", "#record"), ("monitoring", "#quality"),
    ("coach", "#colleague"), ("training provider", "#cpd"), ("send", "#equality"), ("engagement", "#barrier"),
])
def test_words_real_texts_use_otherwise_are_not_in_the_trap_concepts(word: str, not_concept: str) -> None:
    assert not_concept not in tokens(word)


def test_hyphenated_words_are_split() -> None:
    assert words("confidence-building off-the-job co-ordinate") == ["confidence", "building", "off", "the", "job",
                                                                    "coordinate"]
    assert "#motivate" in tokens("confidence-building") and "#workplace" in tokens("off-the-job")


def test_every_concept_phrase_is_reachable() -> None:
    """A phrase the tokenizer can never produce would be dead vocabulary: each one must come back as its concept."""
    for phrase, concept in CONCEPTS.items():
        assert tokens(phrase) == [concept], phrase
    assert not STOP_WORDS & set(CONCEPTS)


@pytest.mark.parametrize(("duty", "wanted", "not_first"), [
    ("Promote equality, diversity and inclusion and challenge discriminatory language", {"B3"}, "B4"),
    ("Keep parents informed of their child's progress", {"K5", "S5", "F5"}, None),
    ("Be a positive role model for apprentices", {"B1", "S1", "F1"}, None),
    ("Facilitate and plan off-the-job activities", {"S3", "K3", "F3"}, None),
    ("Agree SMART targets with each learner", {"S8", "K8", "F8"}, None),
    ("Act as a key adult for vulnerable pupils", {"KA2", "S9", "K9", "F9"}, None),
    ("Give learners regular constructive feedback", {"S2", "F2", "K2"}, None),
    ("Work with pupils to improve attendance and punctuality", {"KA1", "S5"}, "S4"),
])
def test_workplace_words_find_their_ksb(duty: str, wanted: set[str], not_first: str | None) -> None:
    ranked = _ranked(duty)
    assert ranked and ranked[0] in wanted, ranked[:3]
    assert not_first is None or ranked[0] != not_first


def test_coverage_of_keep_parents_informed_includes_k5() -> None:
    r = run_cli("diff", "-", "--format", "json", input="- Keep parents informed\n")
    doc = json.loads(r.stdout)
    k5 = next(k for k in doc["ksbs"] if k["id"] == "K5")
    assert k5["covered_by"] == [1] and "K5" not in doc["uncovered"]


def test_the_report_names_the_alias_that_matched() -> None:
    r = run_cli("diff", "-", "--format", "json", input="- Set SMART targets with each learner\n")
    best = json.loads(r.stdout)["statements"][0]["matches"][0]
    assert best["via"] == {"alias": "SMART targets", "editorial": True}
    assert "smart targets" in best["shared"]
    text = run_cli("diff", "-", input="- Set SMART targets with each learner\n").stdout
    assert 'via alias (editorial) "SMART targets"' in " ".join(text.split())


def test_an_alias_matches_only_when_the_statement_says_all_of_it() -> None:
    """"pastoral support" (an alias of S1) is not named by "support" alone."""
    for m in score_all(_model(), "Support the school office with filing"):
        assert m.via != "pastoral support"


def test_shared_words_are_the_statements_own_words() -> None:
    m = score_all(_model(), "Report safeguarding concerns and keep children safe")[0]
    assert set(m.shared) <= {"safeguarding", "concerns", "report", "keep", "children", "safe"}
    assert not any(w.startswith("#") or w in ("safeguard", "knowledg", "servic") for w in m.shared)


@pytest.mark.parametrize("line", [
    "Salary: Grade 5, term time only", "Join our friendly team in a lovely seaside town",
    "An enhanced DBS disclosure is required for this post", "37 hours a week, Monday to Friday",
    "Free parking on site and a staff canteen",
])
def test_pay_hours_place_and_one_common_word_are_not_matched(line: str) -> None:
    assert _ranked(line) == [], [(m.id, m.score, m.shared) for m in score_all(_model(), line)[:3]]


@pytest.mark.parametrize("line", ["Responsible to: Head of Inclusion", "Salary: safeguarding allowance included",
                                  "Contract of employment: apprentices need a contract of employment"])
def test_terms_of_the_job_are_never_duties(line: str) -> None:
    doc = json.loads(run_cli("diff", "-", "--format", "json", input=f"- {line}\n- Purpose of position: to keep "
                                                                   "parents informed\n").stdout)
    assert [s["matched"] for s in doc["statements"]] == [False, True]


def test_a_short_ksb_does_not_win_on_one_shared_word() -> None:
    for line in ("Identify opportunities for pupils to take part in clubs",
                 "Create a welcoming environment in the learning base"):
        ranked = _ranked(line)
        assert not ranked or ranked[0] not in ("K10", "K11"), ranked


def test_lexical_scores_expose_every_candidate_for_fusion() -> None:
    scores = lexical_scores(_model(), "Report safeguarding concerns to the DSL")
    assert scores["K9"] == max(scores.values()) or scores["S9"] == max(scores.values())
    assert all(0 <= v <= 100 for v in scores.values())
    assert lexical_scores(_model(), "") == {}


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_any_text_scores_between_0_and_100_best_first(text: str) -> None:
    got = score_all(_model(), text)
    assert all(0 <= m.score <= 100 for m in got)
    assert [m.score for m in got] == sorted((m.score for m in got), reverse=True)


def test_the_model_is_the_same_each_time_it_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOS_CACHE_DIR", str(tmp_path))
    index = build_index(load_checked(bundled_dir() / "learning-mentor.yaml"))
    first = build_model(index)
    again = build_model(index)
    fresh = _model()
    line = "Agree SMART targets and keep parents informed"
    assert score_all(first, line) == score_all(again, line) == score_all(fresh, line)


def test_the_vocabulary_table_in_the_docs_is_current() -> None:
    from nos_cli.diff.textnorm import concept_table
    from tests.conftest import ROOT

    page = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    begin = page.index("-->\n", page.index("<!-- vocabulary:begin")) + 4
    assert page[begin:page.index("<!-- vocabulary:end")] == concept_table()


def test_a_function_counts_its_nos_elements() -> None:
    """In a NOS suite the elements say what a unit's title only names: 311's title never says "review", its
    element 311.4 does."""
    r = run_cli("diff", "-", "--map", "ldss-learning-mentor-mentoring", "--format", "json",
                input="- Review the effectiveness of mentoring with each young person\n")
    assert json.loads(r.stdout)["statements"][0]["matches"][0]["id"] == "311"


def test_a_skill_borrows_its_knowledge_twins_words(tmp_path: Path) -> None:
    m = tmp_path / "twins.yaml"
    m.write_text("""nos_map: 1
id: twins
title: Twins
kind: functional-map
sources: [{id: src, title: A standard}]
key_areas:
  - id: A1
    title: Support learners
    source: src
    functions:
      - {id: F1, title: Records, editorial: true, ksbs: [S1, K1]}
      - {id: F2, title: Safety, editorial: true, ksbs: [S2, K2]}
ksbs:
  - {id: K1, kind: knowledge, source: src, text: "the law on data protection"}
  - {id: S1, kind: skill, source: src, text: "maintain learner files"}
  - {id: K2, kind: knowledge, source: src, text: "signs of harm"}
  - {id: S2, kind: skill, source: src, text: "keep learners safe"}
""", encoding="utf-8")
    model = build_model(build_index(load_checked(m)), use_cache=False)
    got = {x.id: x for x in score_all(model, "Maintain files in line with data protection law")}
    assert "S1" in got and ("S2" not in got or got["S1"].score > got["S2"].score)
    assert "law" in got["S1"].shared  # a word only K1, its twin through F1, says
    assert "S2" not in got or "law" not in got["S2"].shared


def test_matches_each_name_a_different_part_of_the_map() -> None:
    """F9 after S9 (or S9 after F9) would name the same thing twice: it gives its place to the next match."""
    from nos_cli.diff.match import match_statement
    from nos_cli.diff.role import Statement

    model = _model()
    for line in ("Report safeguarding concerns to the DSL", "Keep confidential records in line with GDPR",
                 "Agree SMART targets with each pupil and keep parents informed"):
        ids = [m.id for m in match_statement(model, Statement(line, 1)).matches]
        covered: set[str] = set()
        for i in ids:
            node = model.by_id(i)
            family = set(node.ksbs) if node is not None and node.kind == "function" else {i}
            assert not family & covered, (line, ids)
            covered |= family

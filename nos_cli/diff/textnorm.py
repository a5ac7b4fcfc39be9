"""Normalising text for matching duties against a standard: case, punctuation, stop words, word endings,
British and American spellings, and a small vocabulary of the field's synonyms.

Synonyms become *concept* tokens (``#learner`` for pupil, student, apprentice, young person, ...), so "report
concerns about a pupil" and "channels for reporting concerns" about learners share what they mean. The
vocabulary is documented in docs/diff.md; it is deliberately small and general to the education and training
workforce, not tuned to one map's wording.
"""

from __future__ import annotations

import re
from functools import lru_cache

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be been being below between both but by
can could did do does doing down during each etc few for from further had has have having he her here hers
him his how i if in into is it its itself just may me more most must my no nor not of off on once only or
other our ours out over own per same she should so some such than that the their theirs them then there these
they this those through to too under until up upon us very via was we were what when where which while who
whom why will with within would you your yours e.g eg i.e ie including include includes whilst ensure
ensuring able across well way ways role job post successful candidate e g
mentor mentors mentor's
""".split())

#: American spelling -> British (the standards are British); -ize/-yze endings are handled by rule.
SPELLING = {
    "behavior": "behaviour", "behaviors": "behaviours", "behavioral": "behavioural", "center": "centre",
    "centers": "centres", "counseling": "counselling", "counselor": "counsellor", "program": "programme",
    "programs": "programmes", "license": "licence", "color": "colour", "favor": "favour", "honor": "honour",
    "labor": "labour", "enrollment": "enrolment", "fulfill": "fulfil", "judgment": "judgement",
    "practicing": "practising", "practiced": "practised", "traveling": "travelling", "modeling": "modelling",
    "skillful": "skilful", "catalog": "catalogue", "dialog": "dialogue",
}

#: Phrases (lower case, space-separated words) -> concept token. Longest phrases are matched first.
CONCEPTS: dict[str, str] = {}


_WORD = re.compile(r"1:1|[a-z0-9]+(?:'[a-z0-9]+)*")


def words(text: str) -> list[str]:
    """Lower-case words; a hyphen separates words ("confidence-building", "off-the-job"), so each part can
    match, and "co-ordinate" is "coordinate"."""
    text = _CO.sub("co", text.lower().replace("’", "'"))
    return _WORD.findall(text.replace("-", " ").replace("/", " "))


_CO = re.compile(r"\bco-(?=[a-z])")


def _concept(token: str, *phrases: str) -> None:
    for phrase in phrases:
        CONCEPTS[" ".join(words(phrase))] = token


# Reviewed against real job descriptions (../shared/diff-dev): a word joins a concept only when, in the
# workplace's usage, it nearly always means that concept. Left out on purpose, because real texts use them
# otherwise: attendance and engagement (a duty of their own, not a barrier), challenge and change ("challenge
# discriminatory language" is about equality, not resilience), secure ("secure good outcomes"), monitoring
# (of progress, not quality assurance), coach (a Learning Coach is the mentor's own role), training (a
# "training provider" is not professional development), current, send (a verb far more often than SEND),
# mentor (the job holder, named in every other line).
_concept("#learner", "learner", "learners", "pupil", "pupils", "student", "students", "apprentice",
         "apprentices", "trainee", "trainees", "young person", "young people", "child", "children", "mentee",
         "mentees", "candidate learners", "learner's", "learners'", "child's", "children's", "pupil's",
         "student's", "apprentice's")
_concept("#family", "parent", "parents", "carer", "carers", "family", "families", "guardian", "guardians",
         "those engaged with them", "parental", "home")
_concept("#safeguard", "safeguarding", "safeguard", "child protection", "protection", "at risk", "risk",
         "risks", "harm", "abuse", "vulnerable", "prevent duty", "designated safeguarding lead", "dsl",
         "vigilant", "disclosure", "disclosures", "danger", "safety", "keeping children safe")
_concept("#wellbeing", "well being", "wellbeing", "welfare", "mental health", "pastoral", "emotional",
         "emotions", "worries", "struggling", "semh", "social emotional and mental health")
_concept("#cpd", "cpd", "continuing professional development", "professional development", "up to date",
         "currency", "keep skills current", "training sessions", "training courses", "staff training",
         "attend training")
_concept("#record", "record", "records", "recording", "record keeping", "notes", "data protection", "gdpr",
         "data policy", "confidentiality", "confidential", "tracking system", "e portfolio", "information system",
         "storing", "logging", "online tracking")
_concept("#assess", "assessment", "assessments", "assessor", "assessors", "assess", "exam", "exams",
         "examination", "examinations", "coursework", "end point assessment", "epa", "gateway", "formative",
         "summative")
_concept("#quality", "quality assurance", "qa", "ofsted", "inspection", "audit", "standardisation",
         "standardization", "sampling", "internal quality assurance", "external quality assurance", "iqa", "eqa")
_concept("#communicate", "listen", "listening", "active listening", "question", "questions", "questioning",
         "talk", "conversation", "conversations", "communicate", "communication", "assertiveness", "assertive",
         "rapport")
_concept("#advise", "advice", "advise", "guidance", "guide", "guiding", "counsel", "supervise", "next steps",
         "signposting to advice")
_concept("#plan", "plan", "plans", "planning", "action plan", "action plans", "individual learning plan",
         "individual learning plans", "ilp", "targets", "goals", "actions agreed", "smart targets",
         "target setting", "goal setting", "objectives")
_concept("#progress", "progress", "attainment", "achievement", "achievements", "outcomes", "successes",
         "achieve", "progression")
_concept("#barrier", "barrier", "barriers", "obstacle", "obstacles", "disengaged", "underachievement",
         "under achievement", "under achieving", "underachieving")
_concept("#colleague", "colleague", "colleagues", "staff", "teacher", "teachers", "tutor", "tutors",
         "employer", "employers", "senco", "heads of year", "line manager", "line managers", "curriculum teams",
         "support team", "pastoral team", "education providers", "education provider", "workplace colleagues",
         "learner support team", "training provider", "training providers")
_concept("#agency", "agency", "agencies", "outside agencies", "external agencies", "camhs", "social care",
         "social services", "multi agency", "partnerships", "partners", "networks", "educational psychologist")
_concept("#refer", "refer", "referral", "referrals", "signpost", "escalate", "escalation", "report",
         "reporting", "share information", "kept informed", "keep informed", "informed", "concerns", "concern")
_concept("#equality", "equality", "diversity", "inclusion", "inclusive", "equal opportunities",
         "equality of opportunity", "special educational needs", "disabilities", "disability",
         "learning difficulties", "fairly", "whatever their background", "discrimination", "discriminatory")
_concept("#motivate", "motivation", "motivate", "motivated", "aspiration", "aspirations", "aspire",
         "ambition", "confidence", "self esteem", "enthusiasm", "passion", "inspire", "encourage")
_concept("#ethics", "ethical", "ethically", "ethics", "legal", "law", "boundaries", "boundary",
         "code of conduct", "integrity", "professional boundaries")
_concept("#resilient", "resilient", "resilience", "adaptable", "calm", "patient", "patience", "persistence",
         "self control", "in control")
_concept("#respect", "respect", "respectful", "mutual respect", "courteous", "dignity")
_concept("#workplace", "workplace", "work placement", "work placements", "placement", "placements",
         "work experience", "on the job", "off the job", "work settings", "work environments")
# A DBS check is a condition of employment, not safeguarding practice: "an enhanced DBS disclosure is required".
_concept("#dbs", "dbs", "dbs check", "dbs checks", "dbs disclosure", "enhanced dbs disclosure", "dbs certificate",
         "dbs clearance", "dbs clearances", "enhanced dbs", "enhanced dbs check", "disclosure and barring service")
# "role" is a stop word ("the role of the mentor"), but a role model is a thing of its own.
_concept("#role-model", "role model", "role models", "positive role model", "modelling behaviour")
_concept("#mentor", "mentoring", "one to one", "1:1", "relationship", "relationships")

_MAX_PHRASE = max(len(p.split()) for p in CONCEPTS)
#: The words a concept phrase can start with: most words start none, and skipping the phrase lookups for them
#: makes tokenising 200k statements about twice as fast.
_FIRST_WORDS = frozenset(p.split()[0] for p in CONCEPTS)
_SUFFIXES = ("isations", "isation", "ational", "ations", "ation", "ments", "ment", "ings", "ing", "ities", "ity",
             "ives", "ive", "ness", "ers", "er", "ors", "or", "ies", "ied", "es", "ed", "ly", "al", "s", "e")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stemmer: learning, learners, learn -> learn. Both sides of a comparison go
    through it, so consistency matters more than linguistic accuracy."""
    word = SPELLING.get(word, word)
    word = re.sub(r"(?<=.{3})(i|y)z(e|es|ed|ing|ation|ations)$", r"\1s\2", word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    """Concept tokens for the field's synonyms, stems for the other words, stop words dropped."""
    return [t for t, _ in surface_tokens(text)]


def surface_tokens(text: str) -> list[tuple[str, str]]:
    """(token, the words of the text it was made from): the words are what a report shows a reader."""
    ws = words(text)
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(ws):
        for size in range(min(_MAX_PHRASE, len(ws) - i) if ws[i] in _FIRST_WORDS else 0, 0, -1):
            phrase = " ".join(ws[i:i + size])
            concept = CONCEPTS.get(phrase)
            if concept:
                out.append((concept, phrase))
                i += size
                break
        else:
            w = ws[i].strip("'")
            if w not in STOP_WORDS and len(w) > 1 and not w.isdigit():
                out.append((stem(w.replace("'", "")), w))
            i += 1
    return out


@lru_cache(maxsize=1)
def vocabulary_id() -> str:
    """A fingerprint of everything that decides tokens: cached tokens are keyed by it, so changing the
    vocabulary or the stemmer can never serve stale ones."""
    import hashlib

    material = repr((sorted(STOP_WORDS), sorted(SPELLING.items()), sorted(CONCEPTS.items()), _SUFFIXES))
    return hashlib.sha1(material.encode("utf-8")).hexdigest()[:12]


def concept_table() -> str:
    """The vocabulary as the Markdown table in docs/diff.md (a test keeps the page equal to it)."""
    groups: dict[str, list[str]] = {}
    for phrase, concept in CONCEPTS.items():
        groups.setdefault(concept, []).append(phrase)
    rows = [f"| `{c}` | {', '.join(sorted(p))} |" for c, p in groups.items()]
    return "\n".join(["| concept | words and phrases |", "| --- | --- |", *rows]) + "\n"

"""Renderers for ``nos validate``: text, concise, github, json, sarif, junit; and the rule list.

Machine formats are built from the same ``ValidationResult`` as the text, so they carry the same problems.
"""

from __future__ import annotations

from typing import Any

from nos_cli._version import __version__
from nos_cli.envelope import json_document
from nos_cli.model import Level, Problem
from nos_cli.render.markdown import md_escape
from nos_cli.rules import REGISTRY, Rule
from nos_cli.rules.docs import rule_url
from nos_cli.rules.run import FileResult, ValidationResult
from nos_cli.rules.walk import Skipped
from nos_cli.textsafe import json_dumps, no_command, shown, xml_text

VALIDATE_JSON_VERSION = 1
LEVEL_STYLE = {Level.ERROR: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.INFO: "\x1b[36m"}
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def concise(result: ValidationResult, color: bool) -> str:
    """``path:line:col: level [rule-id] message``, one line a problem."""
    return "".join(_line(p, color) + "\n" for p in result.problems)


def text(result: ValidationResult, color: bool) -> str:
    """Each problem with the line of the file it points at and a caret under the column.

    The echoed line comes from the bytes that were checked (``FileResult.lines``), never from reading a path
    again; it and every file name and message go through shown(), so nothing in a file can move the
    cursor, recolour the terminal or start a line of its own."""
    out: list[str] = []
    for f in result.files:
        if f.map_file is not None:  # a mapping first names the map it was checked against
            out.append(_map_header(f))
        for p in f.problems:
            out.append(_line(p, color))
            source = f.lines.get(p.line)
            if source is not None:
                src = source.replace("\t", " ")
                start = max(p.column - 100, 0) if len(src) > 200 else 0
                out.append(f"  {p.line:>5} | {shown(src[start:start + 200], keep='')}")
                # the caret goes under the column as shown: an escape such as \x1b is four columns wide
                caret = " " * len(shown(src[start:max(p.column - 1, start)], keep="")) + "^"
                out.append(f"        | {LEVEL_STYLE[p.level] + caret + RESET if color else caret}")
    return "".join(line + "\n" for line in out)


def _map_header(f: FileResult) -> str:
    from nos_cli.maps.catalog import shown_path

    return no_command(shown(f"{f.path}: checked against the map in {shown_path(f.map_file or '')}", keep=""))


def _shown(path: str) -> str:
    from nos_cli.maps.catalog import shown_path

    return shown_path(path)


def without_info(result: ValidationResult) -> ValidationResult:
    """The result with info-level findings left out (the summary line counts them instead)."""
    from dataclasses import replace

    files = [replace(f, problems=[p for p in f.problems if p.level is not Level.INFO]) for f in result.files]
    return replace(result, files=files)


def skipped_notes(skipped: list[Skipped]) -> str:
    """One stderr line for each file or entry a folder walk passed over (under --verbose)."""
    return "".join(shown(f"nos validate: passed over {s.path}: {s.reason}", keep="") + "\n" for s in skipped)


def _line(p: Problem, color: bool) -> str:
    """One problem on one line: a line break or escape sequence in a file name or a quoted text is shown
    as ``\\n`` or ``\\x1b``, so a file name cannot forge a line (``::error ...`` at column 0 in CI)."""
    if not color:
        return no_command(shown(str(p), keep=""))
    path = no_command(shown(p.path, keep=""))
    return (f"{BOLD}{path}:{p.line}:{p.column}:{RESET} {LEVEL_STYLE[p.level]}{p.level}{RESET} "
            f"{DIM}[{p.rule}]{RESET} {shown(p.message, keep='')}")


def summary(result: ValidationResult, *, verbose: bool = True) -> str:
    """One line for stderr: what was checked and what was found (info findings counted by rule unless shown)."""
    n = len(result.files)
    e, w = result.count(Level.ERROR), result.count(Level.WARNING)
    bad = sum(1 for f in result.files if any(p.level is not Level.INFO for p in f.problems))
    if not e and not w:
        line = f"nos validate: {n} file{'s' * (n != 1)} checked, no problems"
    else:
        line = (f"nos validate: {n} file{'s' * (n != 1)} checked, {e} error{'s' * (e != 1)} and "
                f"{w} warning{'s' * (w != 1)} in {bad} file{'s' * (bad != 1)}")
    infos = [p.rule for p in result.problems if p.level is Level.INFO]
    if infos and not verbose:
        by_rule = ", ".join(f"{infos.count(r)} {r}" for r in sorted(set(infos)))
        line += f" ({len(infos)} info: {by_rule}; --verbose lists them)"
    return line


# --- CI formats ---------------------------------------------------------------------------------------


def _gh_escape(value: str, *, prop: bool = False) -> str:
    """GitHub's workflow-command escaping (``%``, CR, LF; ``:`` and ``,`` in properties) over text that has
    been through shown(keep="\\r\\n"): the runner turns ``%0A`` back into a line break inside the annotation,
    but an escape sequence never reaches the log raw."""
    value = shown(value, keep="\r\n")
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


_GH_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def github(result: ValidationResult, color: bool) -> str:
    """GitHub Actions workflow commands: ``::error file=P,line=L,col=C,title=T::MESSAGE``."""
    out = []
    for p in result.problems:
        props = (f"file={_gh_escape(p.path, prop=True)},line={p.line},col={p.column},"
                 f"title={_gh_escape(p.rule, prop=True)}")
        out.append(f"::{_GH_LEVEL[p.level]} {props}::{_gh_escape(p.message)}\n")
    return "".join(out)


def as_json(result: ValidationResult, color: bool) -> str:
    doc = {
        "nos_version": __version__,
        "summary": {"files": len(result.files), "errors": result.count(Level.ERROR),
                    "warnings": result.count(Level.WARNING), "infos": result.count(Level.INFO)},
        "rules_disabled": list(result.rules_disabled),
        "files": [{"path": f.path, "kind": f.kind, **({"map_file": _shown(f.map_file)} if f.map_file else {}),
                   "problems": [{"line": p.line, "column": p.column, "level": str(p.level), "rule": p.rule,
                                 "message": p.message} for p in f.problems]} for f in result.files],
        "passed_over": [{"path": s.path, "reason": s.reason} for s in result.skipped],
    }
    return json_document("nos-validate", VALIDATE_JSON_VERSION, doc)


_SARIF_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def sarif(result: ValidationResult, color: bool) -> str:
    """SARIF 2.1.0, with every rule listed so code-scanning tools can show their documentation."""
    rules = list(REGISTRY.values())
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    for p in result.problems:
        item: dict[str, Any] = {
            "ruleId": p.rule, "level": _SARIF_LEVEL[p.level], "message": {"text": p.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(p.path)},
                                                "region": {"startLine": p.line, "startColumn": p.column}}}],
        }
        if p.rule in index:
            item["ruleIndex"] = index[p.rule]
        results.append(item)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "nos", "version": __version__, "semanticVersion": __version__,
                "rules": [{"id": r.id, "name": r.id, "shortDescription": {"text": r.summary},
                           "fullDescription": {"text": r.doc}, "helpUri": rule_url(r.id),
                           "help": {"text": r.doc},
                           "defaultConfiguration": {"level": _SARIF_LEVEL[r.level]}} for r in rules],
            }},
            "results": results,
            "artifacts": [{"location": {"uri": _uri(f.path)}} for f in result.files],
        }],
    }
    return json_dumps(doc, indent=2) + "\n"


def _uri(path: str) -> str:
    """A relative URI reference: bytes outside printable ASCII (a file name that is not UTF-8 included, by
    way of surrogateescape) and the characters URIs reserve are percent-encoded, so SARIF stays valid UTF-8."""
    import os
    from urllib.parse import quote

    return quote(os.fsencode(path.replace("\\", "/")), safe="/")


def junit(result: ValidationResult, color: bool) -> str:
    """JUnit XML: one test case per file. A file whose problems fail the run has a ``<failure>`` listing them;
    warnings and infos that do not fail it (no ``--strict``) are ``<properties>`` and ``<system-out>``, so a
    green run never shows red test cases."""
    import xml.etree.ElementTree as ET

    failures = sum(1 for f in result.files if result.file_fails(f))
    suites = ET.Element("testsuites", name="nos validate", tests=str(len(result.files)), failures=str(failures))
    suite = ET.SubElement(suites, "testsuite", name="nos validate", tests=str(len(result.files)),
                          failures=str(failures), errors="0", skipped="0")
    for f in result.files:
        case = ET.SubElement(suite, "testcase", classname="nos.validate", name=xml_text(f.path))
        if not f.problems:
            continue
        if result.file_fails(f):
            worst = min(f.problems, key=lambda p: list(Level).index(p.level))
            failure = ET.SubElement(case, "failure", type=worst.rule,
                                    message=f"{len(f.problems)} problem{'s' * (len(f.problems) != 1)}: "
                                            f"{f.count(Level.ERROR)} errors, {f.count(Level.WARNING)} warnings")
            failure.text = "\n".join(xml_text(_line(p, False)) for p in f.problems)
            continue
        props = ET.SubElement(case, "properties")
        for p in f.problems:
            ET.SubElement(props, "property", name=f"{p.level} [{p.rule}] {p.line}:{p.column}",
                          value=xml_text(p.message))
        ET.SubElement(case, "system-out").text = "\n".join(xml_text(_line(p, False)) for p in f.problems)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"




def step_summary(result: ValidationResult) -> str:
    """A Markdown summary for $GITHUB_STEP_SUMMARY: GitHub shows only ten annotations of each level per step,
    so the full list goes here."""
    lines = ["### nos validate", "", summary(result).removeprefix("nos validate: ").capitalize() + ".", ""]
    if result.problems:
        lines += ["| file | line | col | level | rule | message |", "| --- | --- | --- | --- | --- | --- |"]
        for p in result.problems:
            # shown() first: md_escape folds a line break to a space, but an escape sequence would stay raw
            lines.append(f"| {_md_code(p.path)} | {p.line} | {p.column} | {p.level} | `{p.rule}` | "
                         f"{md_escape(shown(p.message, keep=''))} |")
    return "\n".join(lines) + "\n\n"


def _md_code(value: str) -> str:
    """A file name as inline code in a table cell, one row whatever it holds: shown() keeps line breaks and
    escapes from it, the pipe is escaped, and the fence is longer than any run of backticks in it."""
    import re

    cell = shown(value, keep="").replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", cell)), default=0) + 1)
    return f"{fence}{cell}{fence}" if fence == "`" else f"{fence} {cell} {fence}"


# --- the rule list ------------------------------------------------------------------------------------


def rules_text(color: bool) -> str:
    width = max(len(r) for r in REGISTRY)
    return "".join(f"{r.id:<{width}}  {r.level!s:<7}  {r.summary}\n" for r in REGISTRY.values())


def rules_json(color: bool) -> str:
    doc = {"rules": [{"id": r.id, "level": str(r.level), "summary": r.summary, "doc": r.doc, "applies_to": r.target}
                     for r in REGISTRY.values()]}
    return json_document("nos-rules", 1, doc)


def rules_markdown() -> str:
    """The rule table and one section per rule (the anchors SARIF's helpUri points at) of docs/validate.md;
    a test keeps the page in step with the registry."""
    rows = ["| rule | level | applies to | what it finds |", "| --- | --- | --- | --- |"]
    for r in REGISTRY.values():
        rows.append(f"| [`{r.id}`](#{r.id}) | {r.level} | {r.target} | {r.summary.replace('|', '/')} |")
    for r in REGISTRY.values():
        rows += ["", f"### {r.id}", "", f"*{r.level}, applies to: {r.target}.* {r.summary[0].upper()}{r.summary[1:]}.",
                 "", r.doc]
    return "\n".join(rows) + "\n"


def rule_text(r: Rule) -> str:
    """One rule's documentation for ``nos rule``: its docstring as paragraphs, then how to silence it."""
    import textwrap

    out = [f"{r.id} ({r.level}, applies to: {r.target})", "", f"{r.summary[0].upper()}{r.summary[1:]}.", ""]
    for para in r.doc.split("\n\n"):
        for line in para.split("\n"):
            indent = "  " if line.startswith("- ") else ""
            out.append(textwrap.fill(line, 100, subsequent_indent=indent, break_on_hyphens=False))
        out.append("")
    out += [
        "Silence it:",
        f"  on one line        # nos: disable={r.id}   (at the end of the line, or alone on the line before)",
        f"  in one file        # nos: disable-file={r.id}",
        f"  in a project       disable = [\"{r.id}\"]   (under [tool.nos] in pyproject.toml, or in nos.toml)",
        f"  for one run        nos validate --disable {r.id}",
        "",
        f"Documentation: {rule_url(r.id)}",
    ]
    return "\n".join(out) + "\n"


def rule_json(r: Rule) -> str:
    return json_document("nos-rule", 1, {"id": r.id, "level": str(r.level), "applies_to": r.target,
                                         "summary": r.summary, "doc": r.doc, "help_uri": rule_url(r.id)})

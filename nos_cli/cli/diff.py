"""``nos diff``: a role or job description against a map."""

import os
from typing import Annotated

import typer

from nos_cli.cli.options import (
    ColorOpt,
    FailUnderOpt,
    MapsDirOpt,
    MapsOpt,
    NoCacheOpt,
    check_choice,
    check_color,
    check_format,
    finite,
    format_option,
    one_map,
)
from nos_cli.cli.output import check_fail_under, emit, say
from nos_cli.render.registry import DIFF


def diff(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(
        metavar="ROLE", help="The role description: text or Markdown (UTF-8, else cp1252/Latin-1), Word .docx or "
                             "PDF (with the docs extra), or a YAML/JSON list of statements; - for stdin.")],
    maps: MapsOpt = None,
    fmt: Annotated[str, format_option(DIFF)] = DIFF.default,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", metavar="SCORE", min=0, max=100, callback=finite,
        help="Lowest score (0-100) that counts as a match (default: the matcher's own, named in the report).")]
    = None,
    matcher: Annotated[str | None, typer.Option(
        "--matcher", metavar="MATCHER",
        help='lexical, semantic (needs pip install "nos-cli[semantic]") or auto: semantic when installed. '
             "Default: NOS_MATCHER, else auto.")]
    = None,
    top: Annotated[int, typer.Option(
        "--top", metavar="N", min=1, help="Matches shown per statement (display only: coverage never changes).")] = 3,
    fail_under: FailUnderOpt = None,
    no_cache: NoCacheOpt = False,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Match each statement of a role description against the map's KSBs, functions and key areas: what the
    role covers, the KSBs it never touches (the gap), and the duties the standard does not name.

    Example: nos diff job-description.md --format markdown --matcher lexical
    """
    check_format(fmt, DIFF)
    check_color(color)
    map_ref = one_map(None, maps)
    # read here, not with typer's envvar=: typer 0.26, within the supported range, ignores it
    matcher = check_choice(matcher or os.environ.get("NOS_MATCHER") or "auto", ("lexical", "semantic", "auto"),
                           "--matcher")
    from nos_cli.diff.matcher import resolve
    from nos_cli.diff.report import diff as diff_role
    from nos_cli.diff.role import load_role
    from nos_cli.maps.catalog import DEFAULT_MAP
    from nos_cli.search.grep import select_indexes

    read = load_role(role)
    statements = read.statements
    if read.encoding not in (None, "utf-8"):
        say(f"nos: {role}: not UTF-8; read as {read.encoding}")
    from nos_cli.maps.indexes import close as close_indexes
    from nos_cli.maps.store import guarded
    from nos_cli.render.progress import build_progress

    with build_progress() as progress:
        index = select_indexes([map_ref or DEFAULT_MAP], maps_dir or (), use_cache=not no_cache, progress=progress)[0]
    ctx.call_on_close(lambda: close_indexes([index]))  # in-process runs (the tests) leave no connection open
    chosen = resolve(matcher, index.count, len(statements))
    from nos_cli.gcpause import paused_gc

    # The collector paused: a long role's report is millions of objects without cycles (statements, matches,
    # JSON values), and collections over them cost seconds of a 200k-line role (measured).
    with paused_gc():
        with guarded(index.store):
            report = diff_role(index, statements, threshold=threshold, top=top, matcher=chosen,
                               use_cache=not no_cache, role=read.info(), every_ksb=fmt == "json")
        emit(DIFF.renderer(fmt)(report), color)  # text and Markdown list the first 60 gap KSBs
    if not statements:
        say(f"nos: {role}: no statements found")
    check_fail_under(report.overall.percent, fail_under)


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)

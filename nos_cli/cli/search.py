"""``nos search``: grep competencies from the shell."""

import sys
from typing import Annotated

import typer

from nos_cli.cli.options import ColorOpt, MapsDirOpt, MapsOpt, check_color, finite
from nos_cli.cli.output import finish, say

Flag = typer.Option


def search(
    ctx: typer.Context,
    pattern: Annotated[str, typer.Argument(metavar="PATTERN", help="What to look for (literal unless -E).")],
    ignore_case: Annotated[bool, Flag("--ignore-case", "-i", help="Ignore case.")] = False,
    word: Annotated[bool, Flag("--word-regexp", "-w", help="Match whole words only.")] = False,
    whole: Annotated[bool, Flag("--line-regexp", "-x", help="Match the whole text only.")] = False,
    regex: Annotated[bool, Flag("--extended-regexp", "-E", help="PATTERN is a regular expression (Python re).")]
    = False,
    fixed: Annotated[bool, Flag("--fixed-strings", "-F", help="PATTERN is a literal string (the default).")]
    = False,
    invert: Annotated[bool, Flag("--invert-match", "-v", help="Select texts that do not match.")] = False,
    count: Annotated[bool, Flag("--count", "-c", help="Print only the number of matches.")] = False,
    files: Annotated[bool, Flag("--files-with-matches", "-l", help="Print only the ids of maps with a match.")]
    = False,
    quiet: Annotated[bool, Flag("--quiet", "-q", help="Print nothing; the exit code says whether it matched.")]
    = False,
    max_count: Annotated[int | None, Flag("--max-count", "-m", metavar="N", min=0, help="Stop after N matches.")]
    = None,
    fuzzy: Annotated[bool, Flag("--fuzzy", help="Typo-tolerant matching (rapidfuzz), best score first.")] = False,
    threshold: Annotated[float, Flag("--threshold", metavar="SCORE", min=0, max=100, callback=finite,
                                     help="Lowest fuzzy score that matches, 0-100.")] = 80.0,
    kind: Annotated[list[str] | None, Flag(
        "--kind", "-k", metavar="KIND",
        help="Only these kinds: knowledge, skill, behaviour, ksb, function, element, area, purpose.")] = None,
    area: Annotated[str | None, Flag("--area", "-a", metavar="ID", help="Only texts in this key area.")] = None,
    as_json: Annotated[bool, Flag("--json", help="JSON Lines: one object a match, then a summary.")] = False,
    no_map: Annotated[bool, Flag("--no-map", help="Print ID instead of MAP:ID.")] = False,
    no_cache: Annotated[bool, Flag("--no-cache", help="Do not read or write the index cache.")] = False,
    maps: MapsOpt = None,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Search every text of the maps (key purposes, key areas, functions, elements, KSBs and their ids) like
    grep: one MAP:ID<TAB>TEXT line a match. Exit 0 on a match, 1 on none, 2 on an error.

    Example: nos search -i safeguarding | cut -f1
    """
    check_color(color)
    if regex and fixed:
        raise typer.BadParameter("-E and -F cannot be used together", param_hint="-E/-F")
    if fuzzy and (invert or regex):
        raise typer.BadParameter("--fuzzy cannot be combined with -v or -E", param_hint="--fuzzy")
    from nos_cli.render import search as render
    from nos_cli.search.grep import Query, expand_kinds, select_indexes, suggestions
    from nos_cli.search.grep import search as run
    from nos_cli.term import use_color
    from nos_cli.textsafe import shown

    query = Query(pattern, regex=regex, fuzzy=fuzzy, ignore_case=ignore_case, word=word, whole=whole,
                  invert=invert, threshold=threshold, kinds=expand_kinds(kind or ()), area=area,
                  max_count=max_count)
    from nos_cli.maps.indexes import close as close_indexes
    from nos_cli.render.progress import build_progress

    with build_progress() as progress:
        indexes = select_indexes(maps or (), maps_dir or (), use_cache=not no_cache, progress=progress)
    ctx.call_on_close(lambda: close_indexes(indexes))  # in-process runs (the tests) leave no connection open
    colored = use_color(color, sys.stdout) and not as_json
    out = sys.stdout
    n = 0
    maps_hit: dict[str, None] = {}
    for hit in run(indexes, query):
        n += 1
        if quiet:
            break
        if files:
            if hit.map_id not in maps_hit:
                maps_hit[hit.map_id] = None
                out.write(shown(hit.map_id, keep="") + "\n")
        elif as_json:
            out.write(render.json_match(hit))
        elif not count:
            out.write(render.line(hit, color=colored, with_map=not no_map))
    if count and not quiet:
        out.write(f"{n}\n")
    if as_json:
        out.write(render.json_summary(n, len(indexes), sum(ix.count for ix in indexes), pattern))
    out.flush()
    if n == 0 and not quiet and not fuzzy and not invert:
        close = suggestions(indexes, pattern)
        hint = f"; close: {', '.join(close)} (or try --fuzzy)" if close else ""
        say(f"nos: no match for {pattern!r}{hint}")
    finish(n == 0)


def register(app: typer.Typer) -> None:
    app.command("search")(search)

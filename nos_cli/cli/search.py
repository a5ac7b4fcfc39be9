"""``nos search``: grep competencies from the shell."""

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Any, TextIO

import typer

from nos_cli.cli.options import ColorOpt, MapsDirOpt, MapsOpt, check_choice, check_color, finite
from nos_cli.cli.output import finish, say
from nos_cli.errors import NosError

#: -f reads a list of patterns, not a document: a cap far above any real list keeps a wrong file from filling memory.
MAX_PATTERN_FILE = 1 << 20

Flag = typer.Option


def search(
    ctx: typer.Context,
    pattern: Annotated[str | None, typer.Argument(
        metavar="[PATTERN]", help="What to look for (literal unless -E); or give -e or -f.", show_default=False)]
    = None,
    regexp: Annotated[list[str] | None, Flag(
        "--regexp", "-e", metavar="PATTERN", help="A pattern; repeat for several (a text matching any matches).")]
    = None,
    pattern_file: Annotated[str | None, Flag(
        "--file", "-f", metavar="FILE", help="Read patterns from FILE, one a line (- for standard input).")] = None,
    only_matching: Annotated[bool, Flag(
        "--only-matching", "-o", help="Print only the matched parts, one MAP:ID<TAB>MATCH line each.")] = False,
    ignore_case: Annotated[bool, Flag(
        "--ignore-case", "-i", help="Ignore case; ’ and ', “ and \", – and - read alike.")] = False,
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
    as_json: Annotated[bool, Flag("--json", help="ripgrep's JSON Lines (begin, match, end, summary).")] = False,
    fmt: Annotated[str, Flag("--format", metavar="FORMAT",
                             help="text (MAP:ID<TAB>TEXT lines) or json (the --json stream).")] = "text",
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
    check_choice(fmt, ("text", "json"), "--format")
    as_json = as_json or fmt == "json"
    if as_json:
        for flag, given in (("-c/--count", count), ("-l/--files-with-matches", files), ("-q/--quiet", quiet)):
            if given:  # as rg: a count or a list of maps is not a JSON message
                raise typer.BadParameter(f"{flag} cannot be used with --json", param_hint="--json")
    patterns = _patterns(pattern, regexp, pattern_file, regex=regex)
    if fuzzy and len(patterns) != 1:
        raise typer.BadParameter("--fuzzy takes exactly one pattern", param_hint="--fuzzy")
    if regex and fixed:
        raise typer.BadParameter("-E and -F cannot be used together", param_hint="-E/-F")
    if fuzzy and (invert or regex):
        raise typer.BadParameter("--fuzzy cannot be combined with -v or -E", param_hint="--fuzzy")
    from nos_cli.render import search as render
    from nos_cli.search.grep import Query, area_ids, expand_kinds, select_indexes, suggestions
    from nos_cli.search.grep import search as run
    from nos_cli.term import use_color
    from nos_cli.textsafe import shown

    try:
        kinds = expand_kinds(kind or ())
    except NosError as exc:
        raise typer.BadParameter(str(exc), param_hint="--kind") from None
    query = Query(patterns[0] if patterns else "", regex=regex, fuzzy=fuzzy, ignore_case=ignore_case,
                  word=word, whole=whole, invert=invert, threshold=threshold, kinds=kinds, area=area,
                  max_count=max_count, others=patterns[1:], nothing=not patterns)
    from nos_cli.maps.indexes import close as close_indexes
    from nos_cli.render.progress import build_progress

    with build_progress() as progress:
        indexes = select_indexes(maps or (), maps_dir or (), use_cache=not no_cache, progress=progress)
    ctx.call_on_close(lambda: close_indexes(indexes))  # in-process runs (the tests) leave no connection open
    if area is not None:
        valid = area_ids(indexes)
        if area not in valid:
            raise typer.BadParameter(f"{area!r} is not a key area of the maps searched: {', '.join(valid)}",
                                     param_hint="--area")
    colored = use_color(color, sys.stdout) and not as_json
    out = sys.stdout
    n = 0
    maps_hit: dict[str, None] = {}
    if as_json:
        hits = run(indexes, query)
        if fuzzy:  # best score first across maps; rg's stream has one begin..end a file, so group by map
            hits = _grouped(hits)
        n = _json(out, render, hits, indexes, patterns)
    for hit in () if as_json else run(indexes, query):
        n += 1
        if quiet:
            break
        if files:
            if hit.map_id not in maps_hit:
                maps_hit[hit.map_id] = None
                out.write(shown(hit.map_id, keep="") + "\n")
        elif only_matching:
            out.write(render.only_matching(hit, color=colored, with_map=not no_map))
        elif not count:
            out.write(render.line(hit, color=colored, with_map=not no_map))
    if count and not quiet:
        out.write(f"{n}\n")
    out.flush()
    # grep and rg print nothing on no match; a person at a terminal gets a hint, a script's log stays clean
    if n == 0 and not quiet and not fuzzy and not invert and len(patterns) == 1 and sys.stderr.isatty():
        close = suggestions(indexes, patterns[0])
        hint = f"; close: {', '.join(close)} (or try --fuzzy)" if close else " (try -i or --fuzzy)"
        say(f"nos: no match for {patterns[0]!r}{hint}")
    finish(n == 0)


def _patterns(pattern: str | None, regexp: list[str] | None, pattern_file: str | None, *,
              regex: bool) -> tuple[str, ...]:
    """PATTERN, or every -e and every line of -f (grep's rules: an empty line matches every text)."""
    if pattern is not None and (regexp or pattern_file is not None):
        raise typer.BadParameter("give PATTERN or -e/-f, not both (search reads no files)", param_hint="PATTERN")
    if pattern is not None:
        return (pattern,)
    if not regexp and pattern_file is None:
        raise typer.BadParameter("give a PATTERN, -e PATTERN or -f FILE", param_hint="PATTERN")
    found = list(regexp or ())
    if pattern_file is not None:
        from nos_cli.files.read import decode_text, read_input

        got = read_input(pattern_file, max_bytes=MAX_PATTERN_FILE)
        if got.over:
            raise NosError(f"{got.name}: over {MAX_PATTERN_FILE // 1024} KiB; a pattern file is a list of words")
        text = decode_text(got.data, got.name)
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # the final line break ends the last pattern; it does not add an empty one
        lines = [line.removesuffix("\r") for line in lines]
        if regex:
            _check_regexes(got.name, lines)
        found += lines
    return tuple(found)


def _check_regexes(name: str, lines: list[str]) -> None:
    """A bad regular expression in a pattern file is named by file, line and column."""
    import re

    for number, line in enumerate(lines, 1):
        try:
            re.compile(line)
        except re.error as exc:
            col = (exc.pos or 0) + 1
            raise NosError(f"{name}:{number}:{col}: bad regular expression {line!r}: {exc.msg}") from None


def _grouped(hits: Iterable[Any]) -> Iterator[Any]:
    """Hits grouped by map, the map of the best hit first, each map's hits in their order."""
    by_path: dict[str, list[Any]] = {}
    for hit in hits:
        by_path.setdefault(hit.path, []).append(hit)
    for group in by_path.values():
        yield from group


def _json(out: TextIO, render: Any, hits: Iterable[Any], indexes: Sequence[Any], patterns: tuple[str, ...]) -> int:
    """The --json stream: begin, matches and end for each map with a match, then the summary."""
    import time

    started = time.perf_counter()
    total = render.Stats(searches=len(indexes))
    path: str | None = None
    one = render.Stats()
    for hit in hits:
        if hit.path != path:
            if path is not None:
                one.elapsed = time.perf_counter() - started
                out.write(render.json_end(path, one))
            path, one = hit.path, render.Stats(searches=1, searches_with_match=1)
            total.searches_with_match += 1
            out.write(render.json_begin(path))
        out.write(render.json_match(hit))
        for stats in (one, total):
            stats.matched_lines += 1
            stats.matches += len(hit.spans)
    total.elapsed = time.perf_counter() - started
    if path is not None:
        one.elapsed = total.elapsed
        out.write(render.json_end(path, one))
    out.write(render.json_summary(total, records=sum(ix.count for ix in indexes), patterns=patterns))
    return int(total.matched_lines)


def register(app: typer.Typer) -> None:
    app.command("search")(search)

"""``nos validate``: CI-grade checks of map YAML."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from nos_cli.cli.options import ColorOpt, MapsDirOpt, check_color, check_format, format_option
from nos_cli.cli.output import finish, say
from nos_cli.render.registry import VALIDATE


def validate(
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="[PATH]...", help="Map and mapping files, folders (searched for *.yaml, *.yml files with a "
        "nos_map: or nos_mapping: key) or - for standard input. Default: the folders of --maps-dir, else the "
        "project's paths setting, else NOS_MAPS_PATH, else the bundled maps.")] = None,
    fmt: Annotated[str, format_option(VALIDATE, first="auto: github under GitHub Actions, else text;")] = "auto",
    strict: Annotated[bool | None, typer.Option(
        "--strict/--no-strict", help="Warnings fail too (exit 1); also reports unused suppressions. Default: the "
        "project's strict setting, else off.", show_default=False)] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Report only: exit 0 even when problems are found.")]
    = False,
    disable: Annotated[list[str] | None, typer.Option(
        "--disable", "-d", metavar="RULE", help="Turn a rule off by id; repeat or separate with commas.")] = None,
    list_rules: Annotated[bool, typer.Option("--list-rules", help="List every rule: id, level, summary.")] = False,
    max_size: Annotated[int | None, typer.Option(
        "--max-size", metavar="BYTES", min=1, help="Largest file to read (default 64 MiB; NOS_MAX_FILE_SIZE).")]
    = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Also list info-level findings, and name on stderr each file a folder walk "
        "passed over, with why.")] = False,
    force_exclude: Annotated[bool, typer.Option(
        "--force-exclude", help="Pass over files given by path that are not nos maps or mappings, as folders "
        "do (for pre-commit, which passes every YAML file).")] = False,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Check map files for YAML hazards, format errors, broken links and text problems, as CI expects.

    Problems print as path:line:col: level [rule-id] message. Exit 0 when no error is found (no warning either,
    with --strict), 1 when problems are found, 2 when a path cannot be read or there is nothing to check.
    Settings: [tool.nos] in pyproject.toml or nos.toml (docs/validate.md); a rule's documentation: nos rule RULE.

    Example: nos validate --strict maps/
    """
    check_format(fmt, VALIDATE, "auto")
    check_color(color)
    from nos_cli.rules import REGISTRY

    off = [r.strip() for item in (disable or []) for r in item.split(",") if r.strip()]
    unknown = [r for r in off if r not in REGISTRY]
    if unknown:
        raise typer.BadParameter(f"no rule {', '.join(map(repr, unknown))}; see nos validate --list-rules",
                                 param_hint="--disable")
    from nos_cli.term import use_color

    colored = use_color(color, sys.stdout)
    if list_rules:
        from nos_cli.render.validate import rules_json, rules_text

        sys.stdout.write((rules_json if fmt == "json" else rules_text)(colored))
        return

    from nos_cli.maps.catalog import max_bytes
    from nos_cli.project import settings_for
    from nos_cli.render.validate import skipped_notes, step_summary, summary, without_info
    from nos_cli.rules.run import ci_format, collect, default_paths, validate_files

    project = settings_for(Path.cwd())
    if strict is None:
        strict = bool(project.strict)
    paths = paths or default_paths(maps_dir or (), project)
    limit = max_size or max_bytes()
    found = collect(paths, force_exclude=force_exclude, max_bytes=limit)
    if verbose:
        where = f"settings from {project.source}" if project.source else "no settings file ([tool.nos], nos.toml)"
        say(f"nos validate: {where}")  # the settings file's path is a file name like any other: shown
        sys.stderr.write(skipped_notes(found.skipped))
    if not found.files:
        from nos_cli.errors import NosError

        passed = f" ({len(found.skipped)} passed over; --verbose names them)" if found.skipped and not verbose else ""
        if force_exclude and all(p != "-" and Path(p).is_file() for p in paths):
            sys.stderr.write(f"nos validate: no nos maps or mappings among the files given{passed}\n")
            finish(False)  # pre-commit gave only other YAML files: nothing of ours changed
        raise NosError(f"no files to check: no nos maps or mappings in {', '.join(paths)}{passed}")
    fmt = ci_format(fmt, os.environ)
    from nos_cli.render.progress import progress

    with progress(len(found.files), enabled=fmt in ("text", "concise") and not os.environ.get("CI")) as tick:
        result = validate_files(found.files, disabled=off, max_bytes=limit, maps_dirs=maps_dir or (), strict=strict,
                     on_file=tick)
    result.skipped = found.skipped
    shown = result if verbose or fmt not in ("text", "concise") else without_info(result)
    sys.stdout.write(VALIDATE.renderer(fmt)(shown, colored and fmt in ("text", "concise")))
    sys.stdout.flush()
    sys.stderr.write(summary(result, verbose=verbose or fmt not in ("text", "concise")) + "\n")
    step_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_file:
        _append(step_file, step_summary(result))
    finish(result.failed() and not exit_zero)


def _append(path: str, text: str) -> None:
    # GitHub gives each step its own summary file; appending keeps what earlier commands of the step wrote.
    try:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        say(f"nos: cannot write the step summary to {path}: {exc.strerror}")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)

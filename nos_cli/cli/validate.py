"""``nos validate``: CI-grade checks of map YAML."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from nos_cli.cli.options import ColorOpt, MapsDirOpt, catalog, check_color, check_format, format_option
from nos_cli.cli.output import finish, say
from nos_cli.render.registry import VALIDATE


def validate(
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="[PATH]...", help="Map files, folders (searched for *.yaml, *.yml) or - for standard input. "
        "Default: the folders of --maps-dir and NOS_MAPS_PATH, else the bundled maps.")] = None,
    fmt: Annotated[str, format_option(VALIDATE, first="auto: github under GitHub Actions, else text;")] = "auto",
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Report only: exit 0 even when problems are found.")]
    = False,
    disable: Annotated[list[str] | None, typer.Option(
        "--disable", "-d", metavar="RULE", help="Turn a rule off by id; repeat or separate with commas.")] = None,
    list_rules: Annotated[bool, typer.Option("--list-rules", help="List every rule: id, level, summary.")] = False,
    max_size: Annotated[int | None, typer.Option(
        "--max-size", metavar="BYTES", min=1, help="Largest file to read (default 64 MiB; NOS_MAX_FILE_SIZE).")]
    = None,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Check map files for YAML hazards, format errors, broken links and text problems, as CI expects.

    Problems print as path:line:col: level [rule-id] message. Exit 0 when no error is found (no warning either,
    with --strict), 1 when problems are found, 2 when a path cannot be read.

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
    from nos_cli.render.validate import step_summary, summary
    from nos_cli.rules.run import collect
    from nos_cli.rules.run import validate as run

    if not paths:
        folders = catalog(None, maps_dir).user_folders()
        paths = [str(f) for f in folders]
    files = collect(paths)
    result = run(files, disabled=off, max_bytes=max_size or max_bytes(), maps_dirs=maps_dir or ())
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    sys.stdout.write(VALIDATE.renderer(fmt)(result, colored and fmt in ("text", "concise")))
    sys.stdout.flush()
    sys.stderr.write(summary(result) + "\n")
    step_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_file:
        _append(step_file, step_summary(result))
    finish(result.failed(strict=strict) and not exit_zero)


def _append(path: str, text: str) -> None:
    # GitHub gives each step its own summary file; appending keeps what earlier commands of the step wrote.
    try:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        say(f"nos: cannot write the step summary to {path}: {exc.strerror}")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)

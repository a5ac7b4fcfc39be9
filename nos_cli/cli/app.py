"""The ``nos`` typer application: the root command, its error boundary and the command registry.

Each command group lives in its own module with a ``register(app)`` function; ``COMMAND_MODULES`` lists
them. Command modules import only typer and the standard library at the top; everything heavy (yaml,
networkx, rapidfuzz, rich) is imported inside the command that needs it, so ``--help`` and ``--version``
stay fast (see docs/performance.md).
"""

import importlib
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from nos_cli._version import __version__
from nos_cli.errors import EXIT_ERROR, EXIT_OK, NosError

# typer's own names, so this works whether typer uses click or (0.2x) its vendored copy of it.
_PASS_THROUGH: tuple[type[BaseException], ...] = (
    typer.Exit, typer.Abort, next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"))

COMMAND_MODULES = ("maps", "search", "validate", "rule", "diff", "matrix", "mapping", "interop", "site")


class NosGroup(TyperGroup):
    """The error boundary: the project's errors become one line on stderr and their exit code; anything
    unexpected becomes "internal error" with exit 2 (a traceback only with NOS_DEBUG=1); a closed pipe ends
    quietly, as ``nos search x | head -1`` should."""

    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                result = super().invoke(ctx)
            except typer.Exit:
                _flush_stdout()
                raise
            _flush_stdout()  # here, not at exit: a full disk or closed stdout must change the exit code
            return result
        except _PASS_THROUGH:
            raise
        except NosError as exc:
            _stderr(f"nos: {exc.message}")
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(EXIT_OK) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except Exception as exc:
            if os.environ.get("NOS_DEBUG"):
                raise
            _stderr(f"nos: internal error: {type(exc).__name__}: {exc} (set NOS_DEBUG=1 for the traceback)")
            raise typer.Exit(EXIT_ERROR) from None


def _flush_stdout() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def _stderr(line: str) -> None:
    # Messages quote ids, texts and file names from files; shown() keeps them from commanding the terminal.
    from nos_cli.textsafe import shown

    try:
        sys.stderr.write(shown(line.replace("\n", " ")) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that flush cannot fail loudly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


app = typer.Typer(
    name="nos",
    cls=NosGroup,
    help="Query National Occupational Standards functional maps and UK apprenticeship standards.",
    epilog="Exit codes: 0 success, 1 the answer is no (no match, problems found), 2 error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help and one-line usage errors: rich panels cost ~50 ms of start-up and wrap errors in boxes.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"nos {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool | None,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """Query National Occupational Standards functional maps and UK apprenticeship standards.

    Example: nos map show
    """


for _name in COMMAND_MODULES:
    importlib.import_module(f"nos_cli.cli.{_name}").register(app)


_USAGE_ERROR: type[BaseException] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
_ABORT: type[BaseException] = typer.Abort


def run() -> None:
    """Run the app and end with its exit code. Usage errors are one line, as every nos error is (click's
    default is a usage block, a blank line and the error): ``nos: <what is wrong>`` and where to read more."""
    from nos_cli.files.streams import prepare

    prepare()
    try:
        code = app(prog_name="nos", standalone_mode=False)
    except _USAGE_ERROR as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # "nos map" alone: the help is the answer
            sys.stdout.write(exc.format_message() + "\n")  # type: ignore[attr-defined]
            sys.exit(EXIT_ERROR)
        command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "nos"  # type: ignore[attr-defined]
        _stderr(f"nos: {exc.format_message()}")  # type: ignore[attr-defined]
        _stderr(f"Try '{command} --help' for help.")
        code = EXIT_ERROR
    except _ABORT:
        _stderr("nos: aborted")
        code = 130
    except NosError as exc:  # outside a command (help to a stdout that cannot be written)
        _stderr(f"nos: {exc.message}")
        code = exc.exit_code
    sys.exit(code if isinstance(code, int) else EXIT_OK)

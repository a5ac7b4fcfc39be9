"""``python -m nos_cli`` and the ``nos`` console script."""

from __future__ import annotations


def main() -> None:
    import sys

    from nos_cli.files.streams import prepare, silence_stdout

    prepare()
    if sys.argv[1:] in (["--version"], ["-V"]):
        # The answer needs no command line parser: skip building the typer app (about 20 ms). The root
        # callback in cli/app.py answers the same for every other way of asking.
        from nos_cli._version import __version__
        from nos_cli.errors import NosError

        try:
            sys.stdout.write(f"nos {__version__}\n")
            sys.stdout.flush()
        except NosError as exc:
            sys.stderr.write(f"nos: {exc.message}\n")
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            silence_stdout()
        return
    from nos_cli.cli.app import run

    try:
        run()
    finally:
        # The answer is written: the objects left are only freed at exit, so the collector's last passes over
        # them are skipped (20 ms of a lexical diff, 60-80 ms of a semantic one, measured here).
        import gc

        gc.freeze()


if __name__ == "__main__":
    main()

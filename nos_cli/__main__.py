"""``python -m nos_cli`` and the ``nos`` console script."""

from __future__ import annotations


def main() -> None:
    import sys

    if sys.argv[1:] in (["--version"], ["-V"]):
        # The answer needs no command line parser: skip building the typer app (about 20 ms). The root
        # callback in cli/app.py answers the same for every other way of asking.
        from nos_cli._version import __version__

        sys.stdout.write(f"nos {__version__}\n")
        return
    from nos_cli.cli.app import run

    run()


if __name__ == "__main__":
    main()

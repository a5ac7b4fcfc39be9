"""``python -m nos_cli`` and the ``nos`` console script."""

from __future__ import annotations


def main() -> None:
    from nos_cli.cli.app import run

    run()


if __name__ == "__main__":
    main()

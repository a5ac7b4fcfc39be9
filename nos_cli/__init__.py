"""nos: query National Occupational Standards functional maps and UK apprenticeship standards.

The public API is small on purpose; the command line is the main interface (see README.md).
Nothing heavy is imported here, so ``nos --version`` and ``nos --help`` stay fast.
"""

from nos_cli._version import __version__

__all__ = ["__version__"]

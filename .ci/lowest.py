"""Print pip constraints pinning every direct dependency (and the test extra) to its declared lower bound.

The lowest versions pyproject.toml allows must pass the tests as the newest do; this is uv's
``--resolution lowest-direct`` for pip: direct dependencies at their floor, everything else as resolved.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
for requirement in requirements:
    spec, _, marker = requirement.partition(";")
    found = re.match(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*.*?>=\s*([0-9][^,\s]*)", spec)
    if found is None:
        sys.exit(f"no lower bound in {requirement!r}: declare one")
    print(f"{found.group(1)}=={found.group(2)}" + (f"; {marker.strip()}" if marker.strip() else ""))

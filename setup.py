"""Ships the repository's data/functional_maps/ inside the package as nos_cli._maps.

The top-level data folder is fixed by the project's design, but a non-editable install must carry the
bundled maps; pyproject.toml alone cannot map a folder outside the package into it, so this one line does.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["nos_cli*"]), "nos_cli._maps"],
    package_dir={"nos_cli._maps": "data/functional_maps"},
    package_data={"nos_cli._maps": ["*.yaml"]},
)

"""``nos site``: a static web site of maps and coverage pages."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from nos_cli.cli.options import ColorOpt, ForceOpt, MapsDirOpt, MapsOpt, catalog, check_color


def site(
    map_refs: Annotated[list[str] | None, typer.Argument(
        metavar="[MAPS]...", help="Map ids or paths (default: every available map).")] = None,
    out_dir: Annotated[Path, typer.Option(
        "--out-dir", metavar="DIR", help="The folder to write the site into (created if missing).")]
    = Path("site"),
    against: Annotated[list[Path] | None, typer.Option(
        "--against", metavar="FILE", help="A mapping file (repeatable): one coverage page each.")] = None,
    force: ForceOpt = False,
    maps: MapsOpt = None,
    maps_dir: MapsDirOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """Write a static web site: an index page, one page per map, one coverage page per mapping file and a
    search across all maps, with relative links only (open index.html from disk or publish the folder). A folder
    that already has files needs --force (nos's own pages are replaced, other files kept).

    Example: nos site --against examples/learning-mentor-programme.yaml --out-dir public
    """
    check_color(color)  # only a one-line note on stderr prints: accepted so every printing command takes it
    from nos_cli.render.html_site import site_pages
    from nos_cli.site import collect, write_pages

    content = collect(map_refs or [], against or [], catalog(maps, maps_dir))
    written = write_pages(out_dir, site_pages(content), force=force)
    sys.stderr.write(f"nos: wrote {written} files to {out_dir} (open {out_dir / 'index.html'})\n")


def register(app: typer.Typer) -> None:
    app.command("site")(site)

"""A map as an inline SVG picture that nos draws itself (no Graphviz): key purpose on top, then each key area
as a band with its functions as boxes under it, each box listing the ids of its elements and KSBs.

Drawn for A4: the picture is 760 units wide and scales to the page; at A4 width the text is about 9 pt.
KSBs appear as ids inside their functions rather than as nodes with edges, so no line crosses another and
"which function links which KSB" reads off the box; the page's tree and KSB list give the texts.
Text is wrapped on an estimate of its width (0.58 em per character, which covers DejaVu Sans and Helvetica).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from nos_cli.maps.graph import FunctionalMap
from nos_cli.model import AREA, ELEMENT, FUNCTION, KSB_KINDS, PURPOSE, Node
from nos_cli.render.html_base import KIND_COLOURS, KIND_WORD, anchor, esc

WIDTH = 760
PAD = 12
GAP = 12
FONT = 13
LINE = 17
EM = 0.58  # estimated advance of one character, in em
COLUMNS = 3


def wrap(text: str, width_px: float, font: float = FONT) -> list[str]:
    """Lines of ``text`` that fit ``width_px`` at ``font``; never cut, words longer than a line are broken."""
    chars = max(8, int(width_px / (font * EM)))
    return textwrap.wrap(" ".join(text.split()), chars, break_long_words=True, break_on_hyphens=False) or [""]


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float


def _text(x: float, y: float, lines: list[str], *, fill: str, bold_first: str = "", size: int = FONT) -> str:
    out = [f'<text x="{x:.0f}" y="{y:.0f}" fill="{fill}" font-size="{size}">']
    for i, line in enumerate(lines):
        dy = 0 if i == 0 else LINE
        out.append(f'<tspan x="{x:.0f}" dy="{dy}">')
        if i == 0 and bold_first:
            out.append(f'<tspan font-weight="700">{esc(bold_first)}</tspan> ')
        out.append(f"{esc(line)}</tspan>")
    out.append("</text>")
    return "".join(out)


def _chips(x: float, y: float, w: float, nodes: list[Node]) -> tuple[list[str], float]:
    """Id chips coloured by kind, wrapped to ``w``; returns the SVG parts and the height used."""
    parts: list[str] = []
    cx, cy, h = x, y, 18
    for n in nodes:
        cw = len(n.id) * 7.5 + 10
        if cx + cw > x + w and cx > x:
            cx, cy = x, cy + h + 4
        bg, fg = KIND_COLOURS[n.kind]
        parts.append(f'<a href="#{anchor(n.id)}"><title>{esc(KIND_WORD[n.kind])} {esc(n.id)}</title>'
                     f'<rect x="{cx:.0f}" y="{cy:.0f}" width="{cw:.0f}" height="{h}" '
                     f'rx="8" fill="{bg}" stroke="{fg}" stroke-width="0.6"/><text x="{cx + cw / 2:.0f}" '
                     f'y="{cy + 13:.0f}" text-anchor="middle" font-size="11" font-weight="700" fill="{fg}">'
                     f"{esc(n.id)}</text></a>")
        cx += cw + 4
    return parts, (cy - y + h) if nodes else 0


def diagram(fmap: FunctionalMap, area: str | None = None, *, ksbs: bool = True, depth: int | None = None) -> str:
    """The map's picture as an ``<svg>`` element (escaped; links to the page's anchors). ``depth`` 1 draws the
    key areas only, 2 adds the functions, 3 or None their elements and KSBs, as ``nos map show --depth``."""
    contents = depth is None or depth > 2
    def held(fn: Node) -> list[Node]:
        """The ids a function's box lists: none when the page leaves the functions' contents out."""
        if not contents:
            return []
        return [*fmap.children(fn.id), *(fmap.links(fn.id) if ksbs else [])]

    held_all = [n for a in fmap.areas() if area is None or a.id == area for fn in fmap.functions(a.id)
                for n in held(fn)]
    parts: list[str] = []
    y: float = PAD
    inner = WIDTH - 2 * PAD
    # key purpose
    head = wrap(fmap.title, inner - 2 * PAD, 15)
    purpose = wrap(f"{fmap.level_name(PURPOSE)}: {fmap.root.text}", inner - 2 * PAD) if fmap.root.text else []
    h = PAD + len(head) * 20 + len(purpose) * LINE + PAD
    bg, fg = KIND_COLOURS[PURPOSE]
    parts.append(f'<rect x="{PAD}" y="{y}" width="{inner}" height="{h}" rx="6" fill="{bg}"/>')
    parts.append(_text(2 * PAD, y + PAD + 14, head, fill=fg, size=15).replace("<text ", '<text font-weight="700" '))
    if purpose:
        parts.append(_text(2 * PAD, y + PAD + len(head) * 20 + 12, purpose, fill=fg))
    spine_x = PAD + 10
    spine_top = y + h
    y += h + GAP
    col_w = (inner - 20 - GAP * (COLUMNS - 1)) / COLUMNS
    for a in fmap.areas():
        if area is not None and a.id != area:
            continue
        bg, fg = KIND_COLOURS[AREA]
        lines = wrap(a.text, inner - 20 - 2 * PAD - len(a.id) * 9, 14)
        ah = PAD + len(lines) * LINE + PAD - 4
        parts.append(f'<line x1="{spine_x}" y1="{spine_top}" x2="{spine_x}" y2="{y + ah / 2:.0f}" stroke="#4a5260" '
                     'stroke-width="2"/>')
        parts.append(f'<line x1="{spine_x}" y1="{y + ah / 2:.0f}" x2="{PAD + 20}" y2="{y + ah / 2:.0f}" '
                     'stroke="#4a5260" stroke-width="2"/>')
        label = _text(PAD + 20 + PAD, y + PAD + 10, lines, fill=fg, bold_first=a.id, size=14)
        parts.append(f'<a href="#{anchor(a.id)}"><rect x="{PAD + 20}" y="{y}" width="{inner - 20}" height="{ah}" '
                     f'rx="4" fill="{bg}"/>{label}</a>')
        y += ah + 8
        fns = fmap.functions(a.id) if depth is None or depth > 1 else []
        for row in range(0, len(fns), COLUMNS):
            boxes: list[tuple[Node, list[str], list[str], float]] = []
            for fn in fns[row:row + COLUMNS]:
                tl = wrap(f"{fn.id}  {fn.text}", col_w - 2 * 8 - 12)  # 12: the bold id is wider than counted
                chip_parts, chip_h = _chips(0, 0, col_w - 16, held(fn))
                boxes.append((fn, tl, chip_parts, chip_h))
            bh = max(8 + len(tl) * LINE + (chip_h + 8 if chip_h else 0) + 4 for _, tl, _, chip_h in boxes)
            for i, (fn, tl, _, _chip_h) in enumerate(boxes):
                bx = PAD + 20 + i * (col_w + GAP)
                fbg, ffg = KIND_COLOURS[FUNCTION]
                parts.append(f'<rect x="{bx:.0f}" y="{y:.0f}" width="{col_w:.0f}" height="{bh:.0f}" rx="4" '
                             f'fill="{fbg}" stroke="#8a93a3"/>')
                first, *rest = tl
                title = [first[len(fn.id):].strip(), *rest]
                parts.append(f'<a href="#{anchor(fn.id)}">'
                             f'{_text(bx + 8, y + 8 + 12, title, fill=ffg, bold_first=fn.id)}</a>')
                chips, _ = _chips(bx + 8, y + 8 + len(tl) * LINE + 2, col_w - 16,
                                  held(fn))
                parts += chips
            y += bh + GAP
        y += 4
    # legend: every kind the picture uses, colour and word together
    used = {PURPOSE, AREA, FUNCTION} | {n.kind for n in held_all}
    lx: float = PAD
    parts.append(f'<text x="{lx}" y="{y + 13}" font-size="12" fill="#1d2430" font-weight="700">Legend:</text>')
    lx += 60
    for kind in (PURPOSE, AREA, FUNCTION, ELEMENT, *KSB_KINDS):
        if kind not in used:
            continue
        bg, fg = KIND_COLOURS[kind]
        word = KIND_WORD[kind]
        w = len(word) * 7.2 + 14
        parts.append(f'<rect x="{lx:.0f}" y="{y}" width="{w:.0f}" height="18" rx="8" fill="{bg}" stroke="{fg}" '
                     f'stroke-width="0.6"/><text x="{lx + w / 2:.0f}" y="{y + 13}" text-anchor="middle" '
                     f'font-size="12" fill="{fg}">{esc(word)}</text>')
        lx += w + 6
    y += 18 + PAD
    n_fns = sum(len(fmap.functions(a.id)) for a in fmap.areas() if area is None or a.id == area)
    desc = (f"{len(fmap.areas())} key areas and {n_fns} functions; each function box lists the ids of the "
            "elements and KSBs it holds")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {y:.0f}" width="{WIDTH}" '
            f'height="{y:.0f}" role="img" aria-labelledby="svg-title svg-desc" class="diagram" '
            f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">'
            f'<title id="svg-title">Diagram of {esc(fmap.title)}</title><desc id="svg-desc">{esc(desc)}</desc>'
            + "".join(parts) + "</svg>")

"""What every nos web page shares: escaping, anchors, the colours of each kind of node, the base stylesheet
and the page shell.

Map files and mapping files come from anyone, so every text that reaches a page goes through :func:`esc`,
every fragment id through :func:`anchor`, and only http(s) addresses become links (:func:`safe_href`). Pages
carry a Content-Security-Policy that allows nothing from the network: they are meant to be opened from a file
system as well as a web server, and a page that fetched nothing cannot leak who read it.
"""

from __future__ import annotations

import html
import re

from nos_cli.model import AREA, BEHAVIOUR, ELEMENT, FUNCTION, KNOWLEDGE, PURPOSE, SKILL

#: (background, text) of each kind of node: badges, diagram boxes and legend. Every pair passes WCAG AA
#: (4.5:1) for normal text; tests/test_html.py measures each pair.
KIND_COLOURS: dict[str, tuple[str, str]] = {
    PURPOSE: ("#1d2430", "#ffffff"),
    AREA: ("#1a3d7c", "#ffffff"),
    FUNCTION: ("#eef1f6", "#1d2430"),
    ELEMENT: ("#f4f4f4", "#333333"),
    KNOWLEDGE: ("#dff1f7", "#0b4a63"),
    SKILL: ("#e3f3e6", "#1c5128"),
    BEHAVIOUR: ("#f5e6f6", "#651a69"),
}
#: The words beside each colour, so colour is never the only signal.
KIND_WORD = {PURPOSE: "map", AREA: "key area", FUNCTION: "function", ELEMENT: "element",
             KNOWLEDGE: "knowledge", SKILL: "skill", BEHAVIOUR: "behaviour"}
#: Text and background pairs used by the stylesheets below, also measured by the tests.
TEXT_PAIRS: dict[str, tuple[str, str]] = {
    "body": ("#1d2430", "#ffffff"),
    "muted": ("#4a5260", "#ffffff"),
    "link": ("#0b57a4", "#ffffff"),
    "gap": ("#a4001d", "#ffffff"),
    "gap-row": ("#a4001d", "#fdeef0"),
    "editorial": ("#6b4400", "#fff3d6"),
    "header": ("#1d2430", "#f3f5f9"),
}


def esc(text: object) -> str:
    """Text for HTML content and quoted attributes (``&``, ``<``, ``>``, ``"`` and ``'`` escaped)."""
    return html.escape(str(text), quote=True)


_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def anchor(node_id: str, prefix: str = "n-") -> str:
    """A fragment id for a node: letters, digits and ``-`` kept, anything else (``_`` too) as ``_hex_``, so two
    ids never share an anchor and no id can break out of an attribute."""
    return prefix + _UNSAFE.sub(lambda m: f"_{ord(m.group()):x}_", node_id)


def safe_href(address: object) -> str | None:
    """An address fit for ``href``: http(s) only (a map could hold ``javascript:``), else None."""
    if isinstance(address, str) and re.match(r"^https?://[^\s\"'<>]+$", address.strip()):
        return address.strip()
    return None


def kind_badge(kind: str, label: str | None = None) -> str:
    return f'<span class="badge k-{esc(kind)}">{esc(label or KIND_WORD.get(kind, kind))}</span>'


def kind_css() -> str:
    return "".join(f".k-{k}{{background:{bg};color:{fg}}}" for k, (bg, fg) in KIND_COLOURS.items())


BASE_CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;margin:0;color:#1d2430;
 background:#fff}
main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.5rem;margin:.6rem 0 .3rem;line-height:1.25}
h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #d8dde6;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:0}h4{font-size:1rem;margin:0}
a{color:#0b57a4}a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #0b57a4;outline-offset:2px;border-radius:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.4rem .8rem}.skip:focus{left:.5rem}
nav.site{background:#f3f5f9;border-bottom:1px solid #d8dde6;padding:.5rem 1.5rem}
nav.site a{margin-right:1.2rem}
.muted{color:#4a5260}
.badge{display:inline-block;font-size:.78rem;font-weight:600;padding:0 .4rem;border-radius:.6rem;
 vertical-align:.08em;white-space:nowrap}
.editorial{display:inline-block;font-size:.75rem;font-weight:600;font-style:italic;color:#6b4400;
 background:#fff3d6;border:1px dashed #a0700a;padding:0 .35rem;border-radius:.3rem;margin-left:.3rem}
.nid{font-weight:700;font-variant-numeric:tabular-nums;margin-right:.35rem;white-space:nowrap}
.gap{color:#a4001d;font-weight:700}
input[type=search]{font:inherit;padding:.35rem .5rem;border:2px solid #6b7280;border-radius:.3rem;width:22rem;
 max-width:100%}
button{font:inherit;padding:.3rem .7rem;border:1px solid #6b7280;border-radius:.3rem;background:#fff;
 color:#1d2430;cursor:pointer}
@media print{
 nav.site,.skip,.no-print{display:none!important}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 @page{size:A4;margin:14mm}
 body{font-size:10.5pt}
 main{max-width:none;padding:0}
 a{color:inherit;text-decoration:none}
}
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline' 'self' file:; "
       "img-src data:; base-uri 'none'; form-action 'self' file:")


def page(title: str, body: str, *, css: str = "", script: str = "", head: str = "", nav: str = "") -> str:
    """A whole HTML document: everything inline, nothing from the network."""
    js = f"<script>{script}</script>" if script else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="generator" content="nos">
<title>{esc(title)}</title>
<style>{BASE_CSS}{kind_css()}{css}</style>{head}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
{nav}<main id="main">
{body}
</main>
{js}
</body></html>
"""

"""``nos map show --format html`` (and each map page of ``nos site``): one self-contained page per map.

The page holds the title, key purpose and sources; a diagram (:mod:`nos_cli.render.svg_map`); the tree of key
areas, functions, elements and KSBs as ``<details>`` that fold; every KSB with the functions and key areas
that link it; and a search box that filters as you type. Printing unfolds everything and starts each key area
on a new page. The script is small, vanilla and inline; with scripts off, the page is still whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from nos_cli.maps.graph import FunctionalMap
from nos_cli.model import AREA, ELEMENT, FUNCTION, KSB_KINDS, PURPOSE, Node
from nos_cli.render.html_base import KIND_WORD, anchor, esc, kind_badge, page, safe_href
from nos_cli.render.svg_map import diagram

KIND_HEADING = {"knowledge": "Knowledge", "skill": "Skills", "behaviour": "Behaviours"}


@dataclass(frozen=True)
class SiteLinks:
    """Where a map page sits in a ``nos site``: relative links back to the index and search, and the
    coverage pages of mappings against this map as (title, href)."""

    index: str
    search: str
    coverage: tuple[tuple[str, str], ...] = ()


CSS = """
.purpose{font-size:1.05rem;margin:.4rem 0 1rem}
.controls{position:sticky;top:0;z-index:3;background:#fff;padding:.6rem 0;border-bottom:1px solid #d8dde6;
 display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.controls label{font-weight:600}
figure.diagram-wrap{margin:0;overflow-x:auto}
svg.diagram{max-width:100%;height:auto}
svg.diagram a:focus-visible rect{stroke:#0b57a4;stroke-width:3}
details{margin:.25rem 0}
summary{cursor:pointer;padding:.25rem .3rem;border-radius:.3rem}
summary:hover{background:#f3f5f9}
summary h3,summary h4{display:inline}
details.area{border-left:4px solid #1a3d7c;padding-left:.6rem;margin:.8rem 0}
details.function{margin-left:1.2rem}
ul.items{list-style:none;margin:.2rem 0 .5rem 2.2rem;padding:0}
ul.items li{margin:.15rem 0}
.why{margin:.1rem 0 .3rem 2.2rem;font-style:italic;color:#4a5260}
.ksb-entry{padding:.4rem 0;border-bottom:1px solid #eef1f5}
.ksb-entry p{margin:.15rem 0}
.linked{color:#4a5260;font-size:.92rem}
.sources li{margin:.3rem 0}
.note{font-size:.9rem;color:#4a5260}
@media screen{.out{display:none!important}}
@media print{
 .controls{display:none}
 details::details-content{content-visibility:visible;display:contents}
 summary{list-style:none}summary::-webkit-details-marker{display:none}
 @page{size:A4;margin:14mm 14mm 16mm}
 details.area+details.area{break-before:page}
 section.tree{break-before:page}
 figure.diagram-wrap{break-inside:avoid}
 h2,h3,h4,summary{break-after:avoid}
 li,.ksb-entry{break-inside:avoid}
 section.ksbs{break-before:page}
}
"""

SCRIPT = r"""
(function(){
var q=document.getElementById('q');if(!q)return;
var count=document.getElementById('count');
var nodes=[].slice.call(document.querySelectorAll('[data-search]'));
var kids=new Map();nodes.forEach(function(n){kids.set(n,[]);});
nodes.forEach(function(n){var p=n.parentElement&&n.parentElement.closest('[data-search]');if(p)kids.get(p).push(n);});
var roots=nodes.filter(function(n){var p=n.parentElement&&n.parentElement.closest('[data-search]');return !p;});
function norm(s){return s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g,'');}
var hay=new Map();nodes.forEach(function(n){hay.set(n,norm(n.getAttribute('data-search')));});
var words=[];var hits={};
function walk(n,inherited){
  var own=words.length>0&&words.every(function(w){return hay.get(n).indexOf(w)>=0;});
  if(own)hits[n.getAttribute('data-node')]=1;
  var any=false;kids.get(n).forEach(function(k){if(walk(k,inherited||own))any=true;});
  var show=!words.length||own||inherited||any;
  n.classList.toggle('out',!show);n.classList.toggle('hit',own);
  if(show&&any&&n.tagName==='DETAILS')n.open=true;
  return own||any;
}
function apply(){
  words=norm(q.value).split(/\s+/).filter(Boolean);hits={};
  roots.forEach(function(r){walk(r,false);});
  var n=Object.keys(hits).length;
  count.textContent=words.length?(n+' match'+(n===1?'':'es')):'';
}
q.addEventListener('input',apply);
var m=/[?#&]q=([^&#]*)/.exec(location.search+location.hash);
if(m){q.value=decodeURIComponent(m[1].replace(/\+/g,' '));apply();}
function all(open){[].forEach.call(document.querySelectorAll('details'),function(d){d.open=open;});}
var u=document.getElementById('unfold'),f=document.getElementById('fold');
if(u)u.addEventListener('click',function(){all(true);});
if(f)f.addEventListener('click',function(){all(false);});
var was=[];
window.addEventListener('beforeprint',function(){was=[].map.call(document.querySelectorAll('details'),
  function(d){return d.open;});all(true);});
window.addEventListener('afterprint',function(){[].forEach.call(document.querySelectorAll('details'),
  function(d,i){d.open=was[i]!==false;});});
})();
"""


def _search(node: Node) -> str:
    """The attributes the search box reads: the words to match, and the node's id so that a KSB met in the
    tree and in the KSB list counts as one match."""
    return f'data-search="{esc(node.id + " " + node.text)}" data-node="{esc(node.id)}"'


def _editorial(node: Node) -> str:
    return '<span class="editorial">editorial</span>' if node.editorial else ""


def _node_line(node: Node) -> str:
    return f'<span class="nid">{esc(node.id)}</span> {esc(node.text)}{_editorial(node)}'


def _ksb_item(k: Node) -> str:
    return (f'<li class="ksb" {_search(k)}><a class="nid" href="#{anchor(k.id)}">{esc(k.id)}</a> '
            f"{kind_badge(k.kind)} {esc(k.text)}</li>")


def _function(fmap: FunctionalMap, fn: Node, depth: int | None, ksbs: bool) -> str:
    parts = [f'<details class="function" id="{anchor(fn.id)}" {_search(fn)} open>',
             f"<summary><h4>{_node_line(fn)}</h4></summary>"]
    if depth is not None and depth < 3:
        return "".join([*parts, "</details>"])
    if fn.rationale:
        parts.append(f'<p class="why">Why: {esc(fn.rationale)}</p>')
    items = [f'<li class="element" id="{anchor(el.id)}" {_search(el)}>{kind_badge(ELEMENT)} '
             f"{_node_line(el)}</li>" for el in fmap.children(fn.id)]
    items += [_ksb_item(k) for k in fmap.links(fn.id)] if ksbs else []
    if items:
        parts.append(f'<ul class="items">{"".join(items)}</ul>')
    parts.append("</details>")
    return "".join(parts)


def _tree(fmap: FunctionalMap, area: str | None, depth: int | None, ksbs: bool) -> str:
    levels = [f"{fmap.level_name(AREA)}s", f"{fmap.level_name(FUNCTION).lower()}s"]
    if fmap.ksbs() and ksbs and (depth is None or depth > 2):
        levels.append("KSBs")
    heading = ", ".join(levels[:-1]) + " and " + levels[-1]
    out = ['<section class="tree" aria-labelledby="h-tree">', f'<h2 id="h-tree">{esc(heading)}</h2>']
    for a in fmap.areas():
        if area is not None and a.id != area:
            continue
        out.append(f'<details class="area" id="{anchor(a.id)}" {_search(a)} open>'
                   f"<summary><h3>{_node_line(a)}</h3></summary>")
        if depth is None or depth > 1:
            out += [_function(fmap, fn, depth, ksbs) for fn in fmap.functions(a.id)]
        out.append("</details>")
    out.append("</section>")
    return "\n".join(out)


def _links(nodes: list[Node], shown: set[str]) -> str:
    return ", ".join((f'<a href="#{anchor(n.id)}">{esc(n.id)}</a>' if n.id in shown else esc(n.id))
                     + f" {esc(n.text)}" for n in nodes) or '<span class="gap">none (no function links it)</span>'


def _linkers(fmap: FunctionalMap) -> dict[str, tuple[list[Node], list[Node]]]:
    """KSB id -> (the functions that link it, their key areas), in map order, from one pass over the map
    (asking the graph per KSB walks every function each time: minutes for a 10,000-KSB map)."""
    out: dict[str, tuple[list[Node], list[Node]]] = {}
    for area in fmap.areas():
        for fn in fmap.functions(area.id):
            for k in fmap.links(fn.id):
                fns, areas = out.setdefault(k.id, ([], []))
                if fn not in fns:
                    fns.append(fn)
                if area not in areas:
                    areas.append(area)
    return out


def _ksbs(fmap: FunctionalMap, area: str | None) -> str:
    """The KSB list: every KSB, or with ``area`` those its functions link; links only to nodes on the page."""
    if not fmap.ksbs():
        return ""
    linkers = _linkers(fmap)
    shown = {a.id for a in fmap.areas() if area is None or a.id == area}
    shown |= {f.id for a in shown for f in fmap.functions(a)}
    out = ['<section class="ksbs" aria-labelledby="h-ksbs"><h2 id="h-ksbs">KSBs and what links them</h2>']
    for kind in KSB_KINDS:
        ksbs = [k for k in fmap.ksbs(kind)
                if area is None or shown & {n.id for n in linkers.get(k.id, ([], []))[0]}]
        if not ksbs:
            continue
        out.append(f"<h3>{KIND_HEADING[kind]}</h3>")
        for k in ksbs:
            fns, areas = linkers.get(k.id, ([], []))
            src = f" (numbered {esc(k.source_ref)} in its source)" if k.source_ref else ""
            out.append(
                f'<article class="ksb-entry" id="{anchor(k.id)}" {_search(k)}>'
                f'<h4><span class="nid">{esc(k.id)}</span> {kind_badge(k.kind)}{_editorial(k)}</h4>'
                f"<p>{esc(k.text)}{src}</p>"
                f'<p class="linked">{esc(fmap.level_name(FUNCTION))}s: {_links(fns, shown)}</p>'
                + (f'<p class="linked">{esc(fmap.level_name(AREA))}s: {_links(areas, shown)}</p>' if fns else "")
                + (f'<p class="note">Note: {esc(k.note)}</p>' if k.note else "")
                + "</article>")
    out.append("</section>")
    return "\n".join(out)


def _sources(fmap: FunctionalMap) -> str:
    items = []
    for s in fmap.info.sources:
        title = esc(s.get("title") or s.get("id") or "")
        href = safe_href(s.get("address"))
        title = f'<a href="{esc(href)}" rel="noreferrer noopener">{title}</a>' if href else title
        facts = ", ".join(esc(s[k]) for k in ("publisher", "reference", "version", "date", "status") if s.get(k))
        taken = f'<br><span class="note">Taken: {esc(s["taken"])}</span>' if s.get("taken") else ""
        items.append(f'<li><span class="nid">{esc(s.get("id", ""))}</span> {title}'
                     f'{f" ({facts})" if facts else ""}{taken}</li>')
    if not items:
        return ""
    return ('<section class="sources" aria-labelledby="h-sources"><h2 id="h-sources">Sources</h2>'
            f'<ul>{"".join(items)}</ul><p class="note">Text marked <span class="editorial">editorial</span> is '
            "this project's wording or linking, not the standard's.</p></section>")


def map_html(fmap: FunctionalMap, area: str | None = None, site: SiteLinks | None = None, *,
             depth: int | None = None, ksbs: bool = True) -> str:
    """The whole page for one map (or one key area of it; ``depth`` and ``ksbs`` as ``nos map show``'s
    ``--depth`` and ``--no-ksbs``)."""
    info = fmap.info
    counts = fmap.counts()
    summary = ", ".join(f"{counts[k]} {KIND_WORD[k]}{'s' if counts[k] != 1 and k != 'knowledge' else ''}"
                        for k in (AREA, FUNCTION, ELEMENT, *KSB_KINDS) if counts[k])
    head = [f"<h1>{esc(info.title)}</h1>",
            f'<p class="muted"><code>{esc(info.id)}</code>{" · partial map" if info.partial else ""}'
            f"{' · version ' + esc(info.version) if info.version else ''} · {esc(summary)}</p>"]
    if fmap.root.text:
        head.append(f'<p class="purpose"><strong>{esc(fmap.level_name(PURPOSE))}:</strong> {esc(fmap.root.text)}'
                    f"{_editorial(fmap.root)}</p>")
    if info.description:
        head.append(f'<p class="note">{esc(info.description)}</p>')
    if site and site.coverage:
        head.append('<p>Coverage: ' + ", ".join(f'<a href="{esc(h)}">{esc(t)}</a>' for t, h in site.coverage)
                    + "</p>")
    controls = ('<div class="controls no-print" role="search"><label for="q">Search this map</label>'
                '<input id="q" type="search" autocomplete="off" placeholder="words in an id or text">'
                '<span id="count" aria-live="polite"></span>'
                '<button type="button" id="unfold">Unfold all</button>'
                '<button type="button" id="fold">Fold all</button></div>')
    picture = diagram(fmap, area, ksbs=ksbs, depth=depth)
    figure = ('<section class="diagram" aria-labelledby="h-diagram"><h2 id="h-diagram">Diagram</h2>'
              f'<figure class="diagram-wrap">{picture}</figure></section>')
    body = "\n".join([*head, controls, figure, _tree(fmap, area, depth, ksbs),
                      _ksbs(fmap, area) if ksbs and (depth is None or depth > 2) else "", _sources(fmap)])
    nav = ""
    if site:
        nav = (f'<nav class="site" aria-label="Site"><a href="{esc(site.index)}">All maps</a>'
               f'<a href="{esc(site.search)}">Search all maps</a></nav>\n')
    return page(info.title, body, css=CSS, script=SCRIPT, nav=nav)

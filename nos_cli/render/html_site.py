"""``nos site``: the pages of a static site of maps and coverage, as data (relative path -> text).

The command writes them; this module only builds them. Every link is relative, so the folder works from a
file system, GitHub Pages or any web server. Search across maps reads a prebuilt index: ``search-index.json``
for other tools, and the same data as ``search-index.js`` (a script sets ``window.NOS_SEARCH``), because
browsers refuse ``fetch()`` of a file beside a page opened from the file system but load a script from there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from nos_cli.maps.graph import FunctionalMap
from nos_cli.model import AREA, ELEMENT, FUNCTION, KSB_KINDS, kind_name
from nos_cli.render.html_base import KIND_WORD, anchor, esc, page
from nos_cli.render.html_map import SiteLinks, map_html
from nos_cli.site import CoveragePage, SiteContent

SEARCH_VERSION = 1


def file_name(name: str, taken: set[str]) -> str:
    """A safe, unique file name stem: lower case letters, digits, ``.``, ``_`` and ``-`` only."""
    stem = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-.") or "page"
    out, n = stem, 2
    while out in taken:
        out, n = f"{stem}-{n}", n + 1
    taken.add(out)
    return out


def _nav(prefix: str) -> str:
    return (f'<nav class="site" aria-label="Site"><a href="{prefix}index.html">All maps</a>'
            f'<a href="{prefix}search.html">Search all maps</a></nav>\n')


INDEX_CSS = """
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #e3e7ee;vertical-align:top}
th{background:#f3f5f9}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
form.search{margin:1rem 0}
"""


def _index(maps: list[tuple[FunctionalMap, str]], coverage: list[tuple[CoveragePage, str]]) -> str:
    rows = []
    for m, href in maps:
        c = m.counts()
        partial = " (partial)" if m.info.partial and "partial" not in m.title.lower() else ""
        rows.append(f'<tr><td><a href="{esc(href)}">{esc(m.title)}</a>{partial}</td>'
                    f"<td><code>{esc(m.id)}</code></td>"
                    + "".join(f'<td class="num">{c[k]}</td>' for k in (AREA, FUNCTION, ELEMENT, *KSB_KINDS))
                    + "</tr>")
    heads = "".join(f'<th scope="col" class="num">{esc(kind_name(k, plural=True))}</th>'
                    for k in (AREA, FUNCTION, ELEMENT, *KSB_KINDS))
    body = ["<h1>Functional maps</h1>",
            '<form class="search no-print" action="search.html" method="get" role="search">'
            '<label for="q">Search all maps</label> <input id="q" name="q" type="search"> '
            '<button type="submit">Search</button></form>',
            '<h2 id="h-maps">Maps</h2><table aria-labelledby="h-maps"><thead><tr><th scope="col">title</th>'
            f'<th scope="col">id</th>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>']
    if coverage:
        crow = []
        for cp, href in coverage:
            cov = cp.matrix.coverage
            gaps = len(cov.uncovered)
            crow.append(f'<tr><td><a href="{esc(href)}">{esc(cp.title)}</a><br><span class="muted">'
                        f"{esc(Path(cp.source).name)}</span></td><td><code>{esc(cp.matrix.map_id)}</code></td>"
                        f'<td class="num">{cov.overall.covered}/{cov.overall.total}</td>'
                        f'<td class="num">{cov.overall.percent:g}%</td>'
                        f'<td class="num">{f"<span class=gap>{gaps} gaps</span>" if gaps else "no gaps"}</td></tr>')
        body.append('<h2 id="h-cov">Coverage of curricula</h2><table aria-labelledby="h-cov"><thead><tr>'
                    '<th scope="col">mapping</th><th scope="col">map</th><th scope="col" class="num">KSBs covered'
                    '</th><th scope="col" class="num">coverage</th><th scope="col" class="num">gaps</th></tr>'
                    f'</thead><tbody>{"".join(crow)}</tbody></table>')
    body.append('<p class="muted">Made by nos. Every page works offline; links are relative.</p>')
    return page("Functional maps", "\n".join(body), css=INDEX_CSS)


SEARCH_CSS = """
ol.results{list-style:none;padding:0}ol.results li{padding:.4rem 0;border-bottom:1px solid #eef1f5}
.where{font-size:.9rem}
"""

SEARCH_SCRIPT = r"""
(function(){
var data=window.NOS_SEARCH||{nodes:[],maps:[]};
var q=document.getElementById('q'),out=document.getElementById('results'),count=document.getElementById('count');
var titles={};data.maps.forEach(function(m){titles[m.id]=m.title;});
function norm(s){return s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g,'');}
var hay=data.nodes.map(function(n){return norm(n.id+' '+n.text);});
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text)e.textContent=text;return e;}
function apply(){
  var words=norm(q.value).split(/\s+/).filter(Boolean);out.textContent='';
  if(!words.length){count.textContent=data.nodes.length+' nodes in '+data.maps.length+' maps';return;}
  var n=0;
  data.nodes.forEach(function(node,i){
    if(!words.every(function(w){return hay[i].indexOf(w)>=0;}))return;
    n++;if(n>500)return;
    var li=el('li'),a=el('a','nid',node.id);a.href=node.href;li.appendChild(a);
    li.appendChild(el('span','badge k-'+node.kind,node.kind_word));
    li.appendChild(document.createTextNode(' '+node.text));
    li.appendChild(el('div','where muted','in '+(titles[node.map]||node.map)));out.appendChild(li);
  });
  count.textContent=n+' match'+(n===1?'':'es')+(n>500?' (first 500 shown)':'');
}
q.addEventListener('input',apply);
var m=/[?#&]q=([^&#]*)/.exec(location.search+location.hash);
if(m)q.value=decodeURIComponent(m[1].replace(/\+/g,' '));
apply();
})();
"""


def _search_page() -> str:
    body = ('<h1>Search all maps</h1><form class="no-print" role="search" action="search.html" method="get">'
            '<label for="q">Words in an id or text</label> <input id="q" name="q" type="search" autocomplete="off">'
            ' <span id="count" aria-live="polite"></span></form>'
            '<noscript><p>Searching needs JavaScript; the <a href="search-index.json">index</a> is plain JSON.</p>'
            '</noscript><ol class="results" id="results"></ol>')
    return page("Search all maps", body, css=SEARCH_CSS, script=SEARCH_SCRIPT, nav=_nav(""),
                head='\n<script src="search-index.js"></script>')


def search_index(maps: list[tuple[FunctionalMap, str]]) -> dict[str, object]:
    """Every node of every map with the relative address of its place on its map's page."""
    nodes = []
    for m, href in maps:
        for n in m.in_order():
            nodes.append({"map": m.id, "id": n.id, "kind": n.kind, "kind_word": KIND_WORD[n.kind], "text": n.text,
                          "href": f"{href}#{anchor(n.id)}"})
    return {"format": "nos-site-search", "format_version": SEARCH_VERSION,
            "maps": [{"id": m.id, "title": m.title, "href": href} for m, href in maps], "nodes": nodes}


def site_pages(content: SiteContent) -> dict[str, str]:
    """Every file of the site: relative path -> text."""
    from nos_cli.render.matrix import as_html as matrix_html

    maps, coverage = content.maps, content.coverage
    taken: set[str] = set()
    map_href = {m.id: f"maps/{file_name(m.id, taken)}.html" for m in maps}
    taken = set()
    cov_href = [(cp, f"coverage/{file_name(Path(cp.source).stem, taken)}.html") for cp in coverage]
    pages: dict[str, str] = {}
    for m in maps:
        mine = tuple((cp.title, "../" + h) for cp, h in cov_href if cp.matrix.map_id == m.id)
        pages[map_href[m.id]] = map_html(m, site=SiteLinks("../index.html", "../search.html", mine))
    for cp, href in cov_href:
        back = f'<p><a href="../{esc(map_href[cp.matrix.map_id])}">The map: {esc(cp.matrix.title)}</a></p>'
        pages[href] = matrix_html(cp.matrix, nav=_nav("../"), intro=back)
    listed = [(m, map_href[m.id]) for m in maps]
    pages["index.html"] = _index(listed, cov_href)
    pages["search.html"] = _search_page()
    index = search_index(listed)
    text = json.dumps(index, ensure_ascii=False, indent=1, sort_keys=False)
    pages["search-index.json"] = text + "\n"
    # "<" escaped so the data can never close a script element, whichever way a page includes it
    pages["search-index.js"] = "window.NOS_SEARCH=" + json.dumps(index, ensure_ascii=False).replace("<", "\\u003c") \
        + ";\n"
    return pages

"""A self-contained interactive HTML page of a projection: inline SVG and a little JavaScript."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

import networkx as nx

from kg.atomic import write_atomic
from kg.network.labels import place_labels
from kg.network.layout import Picture, default_title, edge_widths, picture

__all__ = ["page_html", "write_html", "write_page"]

_WIDTH, _HEIGHT, _MARGIN = 1000.0, 700.0, 40.0
_CHAR_WIDTH, _LINE_HEIGHT = 6.8, 14.0
"""A generous width per character and a line height for the 11px labels, in SVG units."""
_NODE_FIELDS = ("type", "kind", "description", "date", "stance", "status")
_EDGE_FIELDS = ("type", "via", "relation_types", "roles", "weight", "documents")

_STYLE = """
body { font: 14px system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
header { padding: 10px 16px; border-bottom: 1px solid #ddd; background: #fff; }
h1 { font-size: 18px; margin: 0 0 4px; } header p { margin: 0; color: #666; font-size: 12px; }
#legend span { display: inline-block; margin-right: 14px; }
#legend i { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  margin-right: 4px; vertical-align: -1px; }
svg { width: 100%; height: calc(100vh - 90px); display: block; cursor: grab; }
line { stroke: #999; stroke-opacity: .55; }
circle { stroke: #fff; stroke-width: 1.5; cursor: pointer; }
text { font-size: 11px; pointer-events: none; paint-order: stroke; stroke: #fff;
  stroke-width: 3px; text-anchor: middle; dominant-baseline: central; }
path.lead { stroke: #555; stroke-width: .6; fill: none; }
.dim { opacity: .15; } .hot { stroke: #222; stroke-opacity: .9; }
#tip { position: fixed; display: none; max-width: 340px; background: #fff; padding: 8px 10px;
  border: 1px solid #bbb; border-radius: 4px; box-shadow: 0 2px 6px rgba(0,0,0,.15);
  font-size: 12px; pointer-events: none; }
#tip b { font-size: 13px; } #tip td { padding: 0 6px 0 0; vertical-align: top; }
"""

_SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var svg = document.getElementById("graph"), tip = document.getElementById("tip");
  var nodes = {}, lines = Array.prototype.slice.call(svg.querySelectorAll("line"));
  svg.querySelectorAll("g.node").forEach(function (g) { nodes[g.dataset.id] = g; });
  function esc(s) { var d = document.createElement("div"); d.textContent = String(s);
    return d.innerHTML; }
  function table(info) { var rows = "";
    Object.keys(info).forEach(function (k) {
      rows += "<tr><td>" + esc(k) + "</td><td>" + esc(info[k]) + "</td></tr>"; });
    return "<table>" + rows + "</table>"; }
  function show(ev, html) { tip.innerHTML = html; tip.style.display = "block";
    tip.style.left = (ev.clientX + 14) + "px"; tip.style.top = (ev.clientY + 14) + "px"; }
  function hide() { tip.style.display = "none"; }
  function focus(id) {
    var near = {}; near[id] = true;
    lines.forEach(function (l) { var on = l.dataset.s === id || l.dataset.t === id;
      if (on) { near[l.dataset.s] = near[l.dataset.t] = true; }
      l.classList.toggle("dim", !on); l.classList.toggle("hot", on); });
    Object.keys(nodes).forEach(function (k) { nodes[k].classList.toggle("dim", !near[k]); });
  }
  function unfocus() { lines.forEach(function (l) { l.classList.remove("dim", "hot"); });
    Object.keys(nodes).forEach(function (k) { nodes[k].classList.remove("dim"); }); }
  var view = data.view.slice(), drag = null, pan = null;
  function setView() { svg.setAttribute("viewBox", view.join(" ")); }
  function point(ev) { var r = svg.getBoundingClientRect();
    var s = Math.max(view[2] / r.width, view[3] / r.height);
    var ox = (r.width * s - view[2]) / 2, oy = (r.height * s - view[3]) / 2;
    return [view[0] - ox + (ev.clientX - r.left) * s, view[1] - oy + (ev.clientY - r.top) * s]; }
  function move(id, x, y) { var g = nodes[id];
    g.setAttribute("transform", "translate(" + x + "," + y + ")");
    lines.forEach(function (l) {
      if (l.dataset.s === id) { l.setAttribute("x1", x); l.setAttribute("y1", y); }
      if (l.dataset.t === id) { l.setAttribute("x2", x); l.setAttribute("y2", y); } }); }
  Object.keys(nodes).forEach(function (id) { var g = nodes[id], n = data.nodes[id];
    g.addEventListener("mouseenter", function (ev) { focus(id);
      show(ev, "<b>" + esc(n.name) + "</b><br>" + table(n.info)); });
    g.addEventListener("mousemove", function (ev) { if (!drag) {
      show(ev, "<b>" + esc(n.name) + "</b><br>" + table(n.info)); } });
    g.addEventListener("mouseleave", function () { if (!drag) { unfocus(); hide(); } });
    g.addEventListener("mousedown", function (ev) { drag = id; ev.stopPropagation();
      ev.preventDefault(); });
  });
  lines.forEach(function (l, i) { var e = data.edges[i];
    l.addEventListener("mousemove", function (ev) { if (!drag && !pan) {
      show(ev, "<b>" + esc(e.names) + "</b><br>" + table(e.info)); } });
    l.addEventListener("mouseleave", hide); });
  svg.addEventListener("mousedown", function (ev) { pan = [ev.clientX, ev.clientY, view[0],
    view[1]]; svg.style.cursor = "grabbing"; });
  window.addEventListener("mousemove", function (ev) {
    if (drag) { var p = point(ev); move(drag, p[0], p[1]); }
    else if (pan) { var r = svg.getBoundingClientRect();
      var s = Math.max(view[2] / r.width, view[3] / r.height);
      view[0] = pan[2] - (ev.clientX - pan[0]) * s; view[1] = pan[3] - (ev.clientY - pan[1]) * s;
      setView(); } });
  window.addEventListener("mouseup", function () {
    if (drag) { unfocus(); hide(); } drag = null; pan = null; svg.style.cursor = ""; });
  svg.addEventListener("wheel", function (ev) { ev.preventDefault();
    var p = point(ev), f = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
    view = [p[0] - (p[0] - view[0]) * f, p[1] - (p[1] - view[1]) * f, view[2] * f, view[3] * f];
    setView(); }, { passive: false });
  svg.dataset.ready = "1";
})();
"""


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _xy(pic: Picture, node: str) -> tuple[float, float]:
    x, y = pic.positions[node]
    return (
        round(_MARGIN + x * (_WIDTH - 2 * _MARGIN), 1),
        round(_MARGIN + (1 - y) * (_HEIGHT - 2 * _MARGIN), 1),
    )


def _svg(pic: Picture, radii: Mapping[str, float]) -> str:
    parts = [f'<svg id="graph" viewBox="0 0 {_WIDTH:g} {_HEIGHT:g}" role="img">']
    graph = pic.graph
    edges = list(graph.edges(data=True))
    widths = edge_widths(graph, 1.0, 6.0)
    for u, v, _ in edges:
        (x1, y1), (x2, y2) = _xy(pic, u), _xy(pic, v)
        width = widths[(u, v)]
        parts.append(
            f'<line data-s="{escape(str(u))}" data-t="{escape(str(v))}" x1="{x1}" y1="{y1}" '
            f'x2="{x2}" y2="{y2}" stroke-width="{width:.2f}"/>'
        )
    labels = _labels(pic, radii)
    for node in sorted(graph.nodes, key=lambda n: pic.scores[n]):
        x, y = _xy(pic, node)
        radius = radii[node]
        label = labels.get(node, "")
        parts.append(
            f'<g class="node" data-id="{escape(str(node))}" transform="translate({x},{y})">'
            f'<circle r="{radius:.1f}" fill="{pic.colour(node)}"/>{label}</g>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _labels(pic: Picture, radii: Mapping[str, float]) -> dict[str, str]:
    """SVG text (and a leader line when set apart) for each labelled node that has room,
    relative to its node, placed by ``place_labels`` with widths estimated from the
    characters (the page's font is 11px)."""
    names = [pic.label(node) for node in pic.labelled]
    # y is negated so that the placer's first choice, "above", is above on the page too.
    anchors = [(x, -y, radii[n]) for n in pic.labelled for x, y in [_xy(pic, n)]]
    sizes = [(len(name) * _CHAR_WIDTH + 4, _LINE_HEIGHT) for name in names]
    bounds = (0.0, -_HEIGHT, _WIDTH, 0.0)
    found = {}
    for node, name, (x, y, _), spot in zip(
        pic.labelled, names, anchors, place_labels(anchors, sizes, bounds), strict=True
    ):
        if spot is None:
            continue
        dx, dy = spot.x - x, -(spot.y - y)
        lead = f'<path class="lead" d="M0,0L{dx:.1f},{dy:.1f}"/>' if spot.far else ""
        found[node] = f'{lead}<text x="{dx:.1f}" y="{dy:.1f}">{escape(name)}</text>'
    return found


def _data(pic: Picture) -> dict[str, Any]:
    graph = pic.graph
    nodes: dict[str, Any] = {}
    for node, attrs in graph.nodes(data=True):
        info = {"id": node, pic.measure: _text(pic.scores[node]), "neighbours": graph.degree(node)}
        info.update({k: _text(attrs[k]) for k in _NODE_FIELDS if attrs.get(k) not in (None, "")})
        nodes[str(node)] = {"name": pic.name(node), "info": info}
    edges = []
    for u, v, attrs in graph.edges(data=True):
        info = {k: _text(attrs[k]) for k in _EDGE_FIELDS if attrs.get(k) not in (None, "", [])}
        edges.append({"names": f"{pic.name(u)} – {pic.name(v)}", "info": info})
    return {"nodes": nodes, "edges": edges, "view": [0, 0, _WIDTH, _HEIGHT]}


def page_html(pic: Picture, title: str) -> str:
    """The page as text: title, legend, the SVG, its data as JSON and the inline script.

    It references no URL at all, so it opens offline; hover shows details and highlights
    neighbours, nodes drag, the wheel zooms and the background pans.
    """
    radii = pic.sizes(4.0, 26.0)
    legend = "".join(
        f'<span><i style="background:{colour}"></i>{escape(name)}</span>'
        for name, colour in pic.colours.items()
    )
    subtitle = (
        f"{escape(pic.summary())}; size = {escape(pic.measure)}. "
        "Hover for details, drag nodes, scroll to zoom, drag to pan."
    )
    data = json.dumps(_data(pic), ensure_ascii=False).replace("<", "\\u003c")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<header><h1>{escape(title)}</h1><p>{subtitle}</p><p id="legend">{legend}</p>'
        f'</header>\n{_svg(pic, radii)}\n<div id="tip"></div>\n'
        f'<script type="application/json" id="graph-data">{data}</script>\n'
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def write_html(
    nxgraph: nx.Graph,
    path: Path,
    *,
    scores: Mapping[str, float] | None = None,
    measure: str = "pagerank",
    weighted: bool = False,
    title: str | None = None,
    labels: int = 40,
    type_order: Sequence[str] = (),
) -> None:
    """Write an interactive page of ``nxgraph`` to ``path`` that needs no network to open:
    positions are computed here (seeded ForceAtlas2 layout), drawn as inline SVG, with a small
    hand-written script for hover details, dragging, zoom and pan. Graphs above
    ``layout.MAX_NODES`` nodes show their highest scoring nodes only."""
    pic = picture(
        nxgraph,
        scores=scores,
        measure=measure,
        weighted=weighted,
        labels=labels,
        type_order=type_order,
    )
    write_page(pic, nxgraph, path, title or default_title(nxgraph, pic.measure))


def write_page(pic: Picture, nxgraph: nx.Graph, path: Path, title: str) -> None:
    """Write the page of a prepared ``Picture`` of ``nxgraph`` (see ``write_html``)."""
    _carry_edges(nxgraph, pic)
    text = page_html(pic, title)
    write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def _carry_edges(nxgraph: nx.Graph, pic: Picture) -> None:
    """Copy the source graph's edge attributes that tooltips show onto the picture's edges
    (the picture's simple graph keeps only weights); merged multi-edges list their types."""
    for u, v, attrs in pic.graph.edges(data=True):
        if nxgraph.is_multigraph():
            found = [*(nxgraph.get_edge_data(u, v) or {}).values()]
            if nxgraph.is_directed():
                found += [*(nxgraph.get_edge_data(v, u) or {}).values()]
            attrs["type"] = sorted({str(d.get("type")) for d in found if d.get("type")})
            continue
        source = nxgraph.get_edge_data(u, v) or {}
        for key in _EDGE_FIELDS:
            if key in source and key != "weight":
                attrs[key] = source[key]

"""Pictures of a projection: a PNG drawn with matplotlib (Agg, no display needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import networkx as nx

from kg.model import Graph
from kg.network.actors import Weights
from kg.network.export import write_atomic
from kg.network.layout import Picture, default_title, edge_widths, picture
from kg.network.page import write_page
from kg.network.project import to_networkx
from kg.network.window import DateLike
from kg.schema import Schema

__all__ = ["draw_graph", "draw_png", "render_png"]


def draw_png(
    nxgraph: nx.Graph,
    path: Path,
    *,
    scores: Mapping[str, float] | None = None,
    measure: str = "pagerank",
    weighted: bool = False,
    title: str | None = None,
    labels: int = 25,
    type_order: Sequence[str] = (),
    size: tuple[float, float] = (12.0, 9.0),
    dpi: int = 120,
) -> None:
    """Draw ``nxgraph`` to a PNG: nodes coloured by ``type`` and sized by ``scores`` (default:
    ``measure``), edge width by weight, the ``labels`` top nodes labelled, a legend, a title.
    Graphs above ``layout.MAX_NODES`` nodes show their highest scoring nodes only.

    Uses matplotlib's object API with the Agg canvas, so it never opens a window and never
    changes the pyplot backend of the caller.
    """
    pic = picture(
        nxgraph,
        scores=scores,
        measure=measure,
        weighted=weighted,
        labels=labels,
        type_order=type_order,
    )
    render_png(pic, path, title or default_title(nxgraph, pic.measure), size=size, dpi=dpi)


def render_png(
    pic: Picture,
    path: Path,
    title: str,
    *,
    size: tuple[float, float] = (12.0, 9.0),
    dpi: int = 120,
) -> None:
    """Draw a prepared ``Picture`` (see ``draw_png``) to ``path``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    graph, pos = pic.graph, pic.positions
    figure = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.02, 0.06, 0.96, 0.86))
    axes.set_axis_off()
    axes.set_xlim(-0.08, 1.08)
    axes.set_ylim(-0.08, 1.08)
    edges = list(graph.edges(data=True))
    if edges:
        widths = edge_widths(graph, 0.8, 5.0)
        segments = [(pos[u], pos[v]) for u, v, _ in edges]
        lines = LineCollection(
            segments,
            linewidths=[widths[(u, v)] for u, v, _ in edges],
            colors="#8a8a8a",
            alpha=0.55,
            zorder=1,
        )
        axes.add_collection(lines)
    nodes = sorted(graph.nodes, key=lambda n: pic.scores[n])  # big nodes drawn last, on top
    sizes = pic.sizes(30.0, 1400.0)  # marker areas
    if nodes:
        axes.scatter(
            [pos[n][0] for n in nodes],
            [pos[n][1] for n in nodes],
            s=[sizes[n] for n in nodes],
            c=[pic.colour(n) for n in nodes],
            edgecolors="white",
            linewidths=0.8,
            zorder=2,
        )
    for node in pic.labelled:
        radius = sizes[node] ** 0.5 / 2  # marker area is in points squared
        axes.annotate(
            pic.label(node),
            pos[node],
            xytext=(0, radius + 1.5),
            textcoords="offset points",
            fontsize=8.5,
            ha="center",
            va="bottom",
            zorder=3,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=9, color=colour, label=name)
        for name, colour in pic.colours.items()
    ]
    if handles:
        figure.legend(
            handles=handles, loc="lower center", ncols=len(handles), frameon=False, fontsize=9
        )
    figure.suptitle(title, fontsize=14)
    axes.set_title(
        f"{pic.summary()}; labels on the top {len(pic.labelled)} by {pic.measure}",
        fontsize=9,
        color="#555555",
    )
    write_atomic(path, lambda p: figure.savefig(p, format="png", dpi=dpi))


def draw_graph(
    graph: Graph,
    schema: Schema,
    *,
    png: Path | None = None,
    html: Path | None = None,
    projection: str = "actors",
    measure: str = "pagerank",
    weighted: bool = False,
    since: DateLike | None = None,
    until: DateLike | None = None,
    weights: Weights | None = None,
    labels: int = 25,
    title: str | None = None,
) -> nx.Graph:
    """Project ``graph`` and draw it to ``png`` and/or ``html``; returns the projection.

    Node types take colours in schema order, so a type keeps its colour across pictures;
    the layout and scores are computed once for both files.
    """
    nxgraph = to_networkx(graph, schema, projection, since=since, until=until, weights=weights)
    pic = picture(
        nxgraph, measure=measure, weighted=weighted, labels=labels, type_order=list(schema.types)
    )
    heading = title or default_title(nxgraph, measure)
    if png is not None:
        render_png(pic, png, heading)
    if html is not None:
        write_page(pic, nxgraph, html, heading)
    return nxgraph

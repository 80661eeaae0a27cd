"""Pictures of a projection: a PNG drawn with matplotlib (Agg, no display needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from kg.atomic import write_atomic
from kg.model import Graph
from kg.network.actors import Weights
from kg.network.labels import place_labels
from kg.network.layout import Picture, default_title, edge_widths, picture
from kg.network.page import write_page
from kg.network.project import to_networkx
from kg.network.window import DateLike
from kg.schema import Schema

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["draw_graph", "draw_png", "png_figure", "render_png"]

_FONT_SIZE = 8.5


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
    figure = png_figure(pic, title, size=size, dpi=dpi)
    write_atomic(path, lambda p: figure.savefig(p, format="png", dpi=dpi))


def png_figure(
    pic: Picture, title: str, *, size: tuple[float, float] = (12.0, 9.0), dpi: int = 120
) -> Figure:
    """The matplotlib figure of ``render_png`` (Agg canvas): edges, nodes, labels placed
    where they overlap neither each other nor a labelled node, legend and titles."""
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
        widths = edge_widths(graph, 0.6 if len(edges) > 150 else 0.8, 5.0)
        segments = [(pos[u], pos[v]) for u, v, _ in edges]
        lines = LineCollection(
            segments,
            linewidths=[widths[(u, v)] for u, v, _ in edges],
            colors="#8a8a8a",
            alpha=max(0.15, min(0.55, 0.55 * (100 / len(edges)) ** 0.5)),  # fainter when many
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
    shown = _draw_labels(axes, pic, sizes, dpi)
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=9, color=colour, label=name)
        for name, colour in pic.colours.items()
    ]
    if handles:
        figure.legend(
            handles=handles, loc="lower center", ncols=len(handles), frameon=False, fontsize=9
        )
    figure.suptitle(title, fontsize=14)
    wanted = len(pic.labelled)
    labels = f"labels on the top {shown} by {pic.measure}"
    if shown < wanted:
        labels = f"labels on {shown} of the top {wanted} by {pic.measure} (no room for the rest)"
    axes.set_title(f"{pic.summary()}; {labels}", fontsize=9, color="#555555")
    return figure


def _draw_labels(axes: Axes, pic: Picture, sizes: Mapping[str, float], dpi: int) -> int:
    """Label ``pic.labelled`` in order, each at the first free spot around its node (see
    ``place_labels``), joined to it by a thin line when set apart; a label with no free
    spot is left out. Returns how many labels were drawn."""
    renderer = axes.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    to_pixels, to_data = axes.transData.transform, axes.transData.inverted().transform
    pad = 0.15 * _FONT_SIZE * dpi / 72  # the label box's padding, in pixels
    texts, anchors, extents = [], [], []
    for node in pic.labelled:
        text = axes.text(
            *pic.positions[node],
            pic.label(node),
            fontsize=_FONT_SIZE,
            ha="center",
            va="center",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
        )
        extent = text.get_window_extent(renderer)
        x, y = to_pixels(pic.positions[node])
        texts.append(text)
        anchors.append((float(x), float(y), sizes[node] ** 0.5 / 2 * dpi / 72))
        extents.append((extent.width + 2 * pad + 1, extent.height + 2 * pad + 1))
    frame = axes.get_window_extent(renderer)
    spots = place_labels(anchors, extents, (frame.x0, frame.y0, frame.x1, frame.y1))
    for text, (x, y, _), spot in zip(texts, anchors, spots, strict=True):
        if spot is None:
            text.remove()
            continue
        at = to_data((spot.x, spot.y))
        text.set_position((float(at[0]), float(at[1])))
        if spot.far:
            axes.plot(
                *zip(to_data((x, y)), to_data((spot.x, spot.y)), strict=True),
                color="#555555",
                linewidth=0.6,
                zorder=3,
            )
    return sum(spot is not None for spot in spots)


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

"""What pictures share: node positions, colours by type, sizes by score, which nodes get labels."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

import networkx as nx

from kg.network.attributes import shorten
from kg.network.centrality import centrality, simple_graph
from kg.network.window import DateWindow

K = TypeVar("K", bound=Hashable)

__all__ = [
    "LAYOUT_SEED",
    "MAX_NODES",
    "PALETTE",
    "Picture",
    "default_title",
    "edge_widths",
    "picture",
    "spread",
    "type_colours",
]

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)
"""Colours (matplotlib's tab10, reordered) given to node types in order."""
LAYOUT_SEED = 7
MAX_NODES = 400
"""Pictures show at most this many nodes by default (the highest scoring)."""


def type_colours(types: Sequence[str], order: Sequence[str] = ()) -> dict[str, str]:
    """A colour per type: types in ``order`` (e.g. the schema's) first, the rest sorted.

    >>> type_colours(["Person", "Country"], ["Person", "Organisation", "Country"])
    {'Person': '#1f77b4', 'Country': '#2ca02c'}
    """
    ranked = [*order, *sorted(set(types) - set(order))]
    present = set(types)
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(ranked) if t in present}


def spread(values: Mapping[K, float], low: float, high: float) -> dict[K, float]:
    """Values mapped linearly from their minimum (``low``) to their maximum (``high``); when
    all are equal, each gets a value a third of the way up.

    >>> spread({"a": 1.0, "b": 2.0, "c": 3.0}, 10, 20)
    {'a': 10.0, 'b': 15.0, 'c': 20.0}
    >>> spread({"a": 0.5, "b": 0.5}, 0, 3)
    {'a': 1.0, 'b': 1.0}
    """
    least, most = min(values.values(), default=0.0), max(values.values(), default=0.0)
    if most <= least:
        return dict.fromkeys(values, low + (high - low) / 3)
    return {k: low + (high - low) * (v - least) / (most - least) for k, v in values.items()}


def edge_widths(graph: nx.Graph, low: float, high: float) -> dict[tuple[str, str], float]:
    """Edge widths from ``low`` (lightest edge) to ``high`` (heaviest); equal weights all get
    a thin width, a third of the way up.

    >>> g = nx.Graph(); g.add_edge("a", "b", weight=1.0); g.add_edge("b", "c", weight=3.0)
    >>> edge_widths(g, 1.0, 5.0)
    {('a', 'b'): 1.0, ('b', 'c'): 5.0}
    """
    return spread(
        {(u, v): float(d.get("weight", 1.0)) for u, v, d in graph.edges(data=True)}, low, high
    )


def default_title(nxgraph: nx.Graph, measure: str) -> str:
    """``Actor network (2004-07..2004-08): size = pagerank``-style title from graph attributes."""
    projection = str(nxgraph.graph.get("projection", "graph"))
    window = DateWindow.parse(nxgraph.graph.get("since"), nxgraph.graph.get("until")).describe()
    names = {"actors": "Actor network", "bipartite": "Actors and incidents", "full": "Full graph"}
    text = names.get(projection, projection)
    if window:
        text += f" ({window})"
    return f"{text}: size = {measure}"


class Picture:
    """A drawable graph: simple undirected edges, positions in 0..1, colours, scores, labels."""

    def __init__(
        self,
        graph: nx.Graph,
        positions: dict[str, tuple[float, float]],
        scores: dict[str, float],
        colours: dict[str, str],
        labelled: list[str],
        measure: str,
        total: int | None = None,
    ) -> None:
        self.graph = graph
        self.total = total if total is not None else graph.number_of_nodes()
        self.positions = positions
        self.scores = scores
        self.colours = colours
        self.labelled = labelled
        self.measure = measure

    def summary(self) -> str:
        """``21 nodes, 22 edges``, or ``top 400 of 2000 nodes by pagerank, 900 edges``."""
        shown, edges = self.graph.number_of_nodes(), self.graph.number_of_edges()
        if shown < self.total:
            return f"top {shown} of {self.total} nodes by {self.measure}, {edges} edges"
        return f"{shown} nodes, {edges} edges"

    def sizes(self, low: float, high: float) -> dict[str, float]:
        """Node sizes from ``low`` (lowest score) to ``high`` (highest), where ``high``
        shrinks towards ``low`` as the picture holds more than 40 nodes."""
        crowding = min(1.0, 40 / max(self.graph.number_of_nodes(), 1)) ** 0.5
        return spread(self.scores, low, max(high * crowding, low * 2))

    def colour(self, node: str) -> str:
        return self.colours.get(str(self.graph.nodes[node].get("type")), PALETTE[-1])

    def name(self, node: str) -> str:
        """The full name, for tooltips."""
        return str(self.graph.nodes[node].get("name", node))

    def label(self, node: str, limit: int = 36) -> str:
        """A short label to draw: the ``label`` attribute (or name), cut at ``limit``."""
        attrs = self.graph.nodes[node]
        return shorten(str(attrs.get("label") or attrs.get("name") or node), limit)


def _unit(raw: Mapping[str, Sequence[float]]) -> dict[str, tuple[float, float]]:
    """Positions rescaled to fill 0..1 on both axes (a single node sits at the centre)."""
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    return {
        n: (
            (float(p[0]) - min(xs)) / span_x if span_x else 0.5,
            (float(p[1]) - min(ys)) / span_y if span_y else 0.5,
        )
        for n, p in raw.items()
    }


def _positions(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each connected component laid out on its own (seeded ForceAtlas2, so pictures repeat;
    unlike a spring layout it keeps a dense core spread out instead of a hairball) in a
    square whose side grows with the square root of its size; squares are packed in rows,
    largest first, and isolated nodes go in a grid along the bottom. Positions are finally
    rescaled to 0..1 on both axes."""
    if graph.number_of_nodes() == 0:
        return {}
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c))))
    linked = [c for c in parts if len(c) > 1]
    isolated = sorted((n for c in parts if len(c) == 1 for n in c), key=str)
    sides = [len(c) ** 0.5 for c in linked]
    row_width = max([*sides, sum(s * s for s in sides) ** 0.5 * 1.2, 1.0])
    placed: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for component, side in zip(linked, sides, strict=True):
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height * 1.15, 0.0
        sub = graph.subgraph(component)
        raw = nx.forceatlas2_layout(sub, seed=LAYOUT_SEED, max_iter=300, scaling_ratio=2.0)
        for node, (ux, uy) in _unit(raw).items():
            placed[node] = (x + ux * side, -(y + (1 - uy) * side))
        x += side * 1.15
        row_height = max(row_height, side)
    if isolated:
        top = y + row_height * 1.15 + (0.6 if linked else 0.0)
        per_row = max(int(row_width / 0.45), 1)
        for index, node in enumerate(isolated):
            row, column = divmod(index, per_row)
            placed[node] = (column * 0.45, -(top + row * 0.3))
    return _unit(placed)


def picture(
    nxgraph: nx.Graph,
    *,
    scores: Mapping[str, float] | None = None,
    measure: str = "pagerank",
    weighted: bool = False,
    labels: int = 25,
    type_order: Sequence[str] = (),
    max_nodes: int = MAX_NODES,
) -> Picture:
    """Everything a drawing needs; ``scores`` default to ``measure`` on the whole graph.

    A graph of more than ``max_nodes`` nodes is cut to the ``max_nodes`` highest scoring
    (the subtitle says so): a larger picture is unreadable and slow to lay out. The
    ``labels`` highest scoring nodes are labelled; when there are more nodes than that,
    nodes scoring 0 get no label.
    """
    graph = simple_graph(nxgraph)
    found = dict(scores) if scores is not None else centrality(graph, measure, weighted=weighted)
    found = {n: float(found.get(n, 0.0)) for n in graph.nodes}
    ranked = sorted(graph.nodes, key=lambda n: (-found[n], str(n)))
    total = len(ranked)
    if total > max_nodes:
        ranked = ranked[:max_nodes]
        graph = graph.subgraph(ranked).copy()
        found = {n: found[n] for n in ranked}
    labelled = ranked if len(ranked) <= labels else [n for n in ranked if found[n] > 0]
    types = [str(data.get("type")) for _, data in graph.nodes(data=True)]
    return Picture(
        graph,
        _positions(graph),
        found,
        type_colours(types, type_order),
        labelled[: max(labels, 0)],
        measure,
        total,
    )

"""A compiled centrality engine (rustworkx) for the measures where it agrees with networkx."""

from __future__ import annotations

import importlib.util
from collections.abc import Hashable, Sequence
from typing import Any

import networkx as nx

from kg.errors import InputError

__all__ = [
    "ENGINES",
    "engine_available",
    "engine_notes",
    "rustworkx_centrality",
    "rustworkx_supports",
    "to_rustworkx",
]

ENGINES = ("networkx", "rustworkx", "gds")
"""``networkx`` (pure Python, every measure), ``rustworkx`` (compiled, parallel) or ``gds``
(Neo4j Graph Data Science, in the database: see ``kg.network.gds``)."""

_TOLERANCE = 1e-10
"""PageRank stops when the summed change is below this (networkx allows n * 1e-6, so its
scores are the less precise of the two; both approximate the same vector)."""


def engine_available(engine: str) -> bool:
    """Whether ``engine`` can run here (rustworkx is an optional dependency; whether a
    server has GDS is only known by asking it)."""
    if engine not in ENGINES:
        raise InputError(f"unknown centrality engine {engine!r} (one of {', '.join(ENGINES)})")
    return engine != "rustworkx" or importlib.util.find_spec("rustworkx") is not None


def rustworkx_supports(measure: str, *, weighted: bool, k: int | None) -> bool:
    """Whether rustworkx computes ``measure`` as networkx defines it here.

    PageRank, closeness and degree always; betweenness only exact and unweighted (rustworkx
    has neither sampling nor distances for it). Eigenvector centrality stays with networkx
    (kg scores each component on its own).

    >>> rustworkx_supports("pagerank", weighted=True, k=None)
    True
    >>> rustworkx_supports("betweenness", weighted=False, k=100)
    False
    """
    if measure == "betweenness":
        return not weighted and k is None
    return measure in ("pagerank", "closeness", "degree")


def engine_notes(
    engine: str, measures: Sequence[str], *, weighted: bool, k: int | None, size: int
) -> list[str]:
    """Which measures networkx computed although another engine was asked for, and why."""
    if engine == "gds":
        from kg.network.gds import gds_notes

        return gds_notes(measures, weighted=weighted, k=k, size=size)
    if engine != "rustworkx":
        return []
    sample = k if k is not None and k < size else None
    notes = []
    for measure in measures:
        if rustworkx_supports(measure, weighted=weighted, k=sample):
            continue
        if measure == "betweenness":
            why = "rustworkx has no sampled betweenness" if sample else "no weighted betweenness"
        else:
            why = "kg scores it per connected component" if measure == "eigenvector" else "n/a"
        notes.append(f"engine: {measure} computed with networkx ({why})")
    return notes


def to_rustworkx(graph: nx.Graph, *, directed: bool = False) -> tuple[Any, list[Hashable]]:
    """A rustworkx copy of a simple undirected graph (edge payload: ``weight``), and the
    networkx node of each rustworkx index. ``directed`` gives both directions of each edge."""
    import rustworkx as rx

    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v], float(w)) for u, v, w in graph.edges(data="weight", default=1.0)]
    if directed:
        out: Any = rx.PyDiGraph(multigraph=False)
        edges = edges + [(v, u, w) for u, v, w in edges]
    else:
        out = rx.PyGraph(multigraph=False)
    out.add_nodes_from(range(len(nodes)))
    out.extend_from_weighted_edge_list(edges)
    return out, nodes


def _by_node(scores: Any, nodes: list[Hashable]) -> dict[Any, float]:
    return {nodes[i]: float(value) for i, value in scores.items()}


def rustworkx_centrality(
    graph: nx.Graph, measure: str, *, weighted: bool = False
) -> dict[Any, float]:
    """One measure on a simple undirected graph (see ``kg.network.centrality.simple_graph``),
    with networkx's definitions: PageRank (damping 0.85, both directions of each edge,
    iterated to a tighter tolerance than networkx's), normalised exact betweenness,
    Wasserman-Faust closeness (distance 1/weight when weighted), degree centrality or strength.
    """
    import rustworkx as rx

    if not rustworkx_supports(measure, weighted=weighted, k=None):
        raise InputError(f"rustworkx does not compute {measure} here; use the networkx engine")
    if graph.number_of_nodes() == 0:
        return {}
    if measure == "degree":
        if weighted:
            return {n: float(d) for n, d in graph.degree(weight="weight")}
        return dict(nx.degree_centrality(graph)) if len(graph) > 1 else dict.fromkeys(graph, 0.0)
    if measure == "pagerank":
        digraph, nodes = to_rustworkx(graph, directed=True)
        weight_fn = float if weighted else None
        return _by_node(
            rx.pagerank(digraph, alpha=0.85, weight_fn=weight_fn, tol=_TOLERANCE), nodes
        )
    simple, nodes = to_rustworkx(graph)
    if measure == "betweenness":
        return _by_node(rx.betweenness_centrality(simple, normalized=True), nodes)
    if weighted:
        found = rx.newman_weighted_closeness_centrality(simple, weight_fn=float, wf_improved=True)
    else:
        found = rx.closeness_centrality(simple, wf_improved=True)
    return _by_node(found, nodes)

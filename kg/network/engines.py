"""A compiled centrality engine (rustworkx) for the measures where it agrees with networkx;
its exact betweenness is python-igraph's (C) when installed: the same scores, 2.5x less CPU."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Hashable, Sequence
from typing import Any

import networkx as nx

from kg.errors import InputError
from kg.forked import in_ranges
from kg.gcpause import gc_paused

__all__ = [
    "ENGINES",
    "engine_available",
    "engine_notes",
    "exact_betweenness",
    "rustworkx_centrality",
    "rustworkx_supports",
    "to_rustworkx",
]

ENGINES = ("networkx", "rustworkx", "gds")
"""``networkx`` (pure Python, every measure), ``rustworkx`` (compiled, parallel) or ``gds``
(Neo4j Graph Data Science, in the database: see ``kg.network.gds``)."""

_IGRAPH_FORK_NODES = 2_000
"""Nodes from which :func:`exact_betweenness` splits the sources over the machine's cores."""

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


def exact_betweenness(graph: nx.Graph, jobs: int = 0) -> dict[Any, float]:
    """Normalised exact unweighted betweenness of a simple undirected graph, as networkx
    defines it: python-igraph's Brandes (C, one core) when installed, the sources split over
    ``jobs`` forked processes (0: every core from _IGRAPH_FORK_NODES nodes) and the parts
    summed in order, else rustworkx's. Either equals networkx's up to the last bits."""
    if importlib.util.find_spec("igraph") is None:
        import rustworkx as rx

        simple, nodes = to_rustworkx(graph)
        return _by_node(rx.betweenness_centrality(simple, normalized=True), nodes)
    import igraph

    nodes = list(graph.nodes)
    size = len(nodes)
    if size <= 2:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    simple = igraph.Graph(n=size, edges=[(index[u], index[v]) for u, v in graph.edges])
    if jobs < 1:
        jobs = (os.cpu_count() or 1) if size >= _IGRAPH_FORK_NODES else 1
    if jobs <= 1:
        raw = list(simple.betweenness(directed=False))
    else:

        def from_sources(start: int, stop: int) -> list[float]:
            """The betweenness of every node counting the shortest paths from these sources."""
            with gc_paused():  # a forked copy: a collection would touch (and copy) every page
                return list(simple.betweenness(directed=False, sources=range(start, stop)))

        parts = in_ranges(from_sources, [size * k // jobs for k in range(jobs + 1)])
        raw = [sum(values) for values in zip(*parts, strict=True)]
    scale = 2.0 / ((size - 1) * (size - 2))  # each pair counted once; networkx normalises so
    return {node: value * scale for node, value in zip(nodes, raw, strict=True)}


def _by_node(scores: Any, nodes: list[Hashable]) -> dict[Any, float]:
    return {nodes[i]: float(value) for i, value in scores.items()}


def rustworkx_centrality(
    graph: nx.Graph, measure: str, *, weighted: bool = False
) -> dict[Any, float]:
    """One measure on a simple undirected graph (see ``kg.network.centrality.simple_graph``),
    with networkx's definitions: PageRank (damping 0.85, both directions of each edge,
    iterated to a tighter tolerance than networkx's), normalised exact betweenness,
    Wasserman-Faust closeness (distance 1/weight when weighted), degree centrality or strength.
    Exact betweenness is :func:`exact_betweenness`'s (python-igraph when installed).
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
    if measure == "betweenness":
        return exact_betweenness(graph)
    simple, nodes = to_rustworkx(graph)
    if weighted:
        found = rx.newman_weighted_closeness_centrality(simple, weight_fn=float, wf_improved=True)
    else:
        found = rx.closeness_centrality(simple, wf_improved=True)
    return _by_node(found, nodes)

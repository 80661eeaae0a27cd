"""Centrality measures on any projection, and the ranked table of actors built from them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import InputError
from kg.gcpause import gc_paused
from kg.model import Graph
from kg.network.actors import Weights
from kg.network.engines import (
    ENGINES,
    engine_available,
    engine_notes,
    rustworkx_centrality,
    rustworkx_supports,
)
from kg.network.project import to_networkx

if TYPE_CHECKING:
    from kg.network.gds import Database
from kg.network.window import DateLike
from kg.schema import Schema

__all__ = [
    "BETWEENNESS_SEED",
    "ENGINES",
    "MEASURES",
    "CentralityReport",
    "all_scores",
    "centrality",
    "centrality_notes",
    "centrality_report",
    "centrality_table",
    "parse_measures",
    "rank_nodes",
    "simple_graph",
]

MEASURES = ("degree", "betweenness", "pagerank", "eigenvector", "closeness")
BETWEENNESS_SEED = 42
"""Seed of the sampled (``k``) betweenness approximation, so that it is deterministic."""


def parse_measures(measures: str | Sequence[str]) -> tuple[str, ...]:
    """Measure names, with ``all`` standing for every one; unknown names are an InputError.

    >>> parse_measures("all") == MEASURES, parse_measures(["pagerank", "degree"])
    (True, ('pagerank', 'degree'))
    """
    names = [measures] if isinstance(measures, str) else list(measures)
    out: list[str] = []
    for name in names:
        for item in MEASURES if name == "all" else (name,):
            if item not in MEASURES:
                raise InputError(f"unknown measure {item!r} (one of {', '.join(MEASURES)}, all)")
            if item not in out:
                out.append(item)
    if not out:
        raise InputError("no centrality measure given")
    return tuple(out)


def simple_graph(nxgraph: nx.Graph) -> nx.Graph:
    """An undirected simple graph for the measures: parallel edges and both directions merged.

    The ``weight`` of a merged edge is the sum of its edges' weights (1.0 for an edge without
    one); ``distance`` is ``1 / weight`` (strong ties are short). Self-loops and edges whose
    summed weight is not positive are left out; every node is kept with its attributes.
    A graph this function made is returned as it is (the measures call it on their input).
    """
    if nxgraph.graph.get(_SIMPLE):
        return nxgraph
    out = nx.Graph(**{_SIMPLE: True})
    out.add_nodes_from(nxgraph.nodes(data=True))
    summed: dict[tuple[Any, Any], float] = {}  # by the pair's first direction met
    for u, v, weight in nxgraph.edges(data="weight", default=1.0):
        if u != v:
            pair = (v, u) if (v, u) in summed else (u, v)
            summed[pair] = summed.get(pair, 0.0) + float(weight)
    out.add_edges_from(
        (u, v, {"weight": weight, "distance": 1.0 / weight})
        for (u, v), weight in summed.items()
        if not weight <= 0  # a NaN stays, as networkx would keep it
    )
    return out


_SIMPLE = "simple_graph"
"""Graph attribute marking a graph ``simple_graph`` made."""


def _eigenvector(graph: nx.Graph, weight: str | None) -> dict[str, float]:
    """Eigenvector centrality of each connected component, scaled by its share of the nodes.

    On a connected graph this is networkx's ``eigenvector_centrality``. On a disconnected
    one, networkx's single eigenvector would give zero to every component but the dominant
    one (or fail to converge), so each component gets its own (unit-norm) eigenvector,
    multiplied by ``component size / node count``. Isolated nodes score 0.
    """
    scores = dict.fromkeys(graph.nodes, 0.0)
    total = graph.number_of_nodes()
    for component in nx.connected_components(graph):
        if len(component) < 2:
            continue
        sub = graph.subgraph(component)
        try:
            found = nx.eigenvector_centrality(sub, max_iter=1000, tol=1e-9, weight=weight)
        except nx.PowerIterationFailedConvergence:
            found = nx.eigenvector_centrality_numpy(sub, weight=weight)
        share = len(component) / total
        scores.update({node: abs(value) * share for node, value in found.items()})
    return scores


def centrality(
    nxgraph: nx.Graph,
    measure: str,
    *,
    weighted: bool = False,
    k: int | None = None,
    seed: int = BETWEENNESS_SEED,
    engine: str = "networkx",
) -> dict[str, float]:
    """One measure for every node of any projection (multigraphs collapse via simple_graph).

    ``engine="rustworkx"`` computes pagerank, closeness, degree and exact unweighted
    betweenness with rustworkx (same definitions; see ``kg.network.engines``); the other
    measures, and sampled or weighted betweenness, fall back to networkx.

    - ``degree``: share of the other nodes linked to (networkx ``degree_centrality``);
      weighted, the strength instead: the sum of the node's edge weights.
    - ``betweenness``: normalised; ``k`` samples that many source nodes (seeded);
      weighted, shortest paths use ``distance = 1 / weight``.
    - ``closeness``: Wasserman-Faust variant (works on disconnected graphs); weighted,
      with ``distance = 1 / weight``.
    - ``pagerank``: damping 0.85; weighted, transitions follow ``weight``.
    - ``eigenvector``: per connected component, see ``_eigenvector``.
    """
    graph = simple_graph(nxgraph)
    if graph.number_of_nodes() == 0:
        return {}
    if engine == "gds":
        raise InputError("the gds engine computes in Neo4j: use all_scores with a database")
    if engine != "networkx":
        if not engine_available(engine):
            raise InputError(f"the {engine} engine is not installed (pip install {engine})")
        sample = k if k is not None and k < len(graph) else None
        if measure in MEASURES and rustworkx_supports(measure, weighted=weighted, k=sample):
            return rustworkx_centrality(graph, measure, weighted=weighted)
    if measure == "degree":
        if weighted:
            return {n: float(d) for n, d in graph.degree(weight="weight")}
        return dict(nx.degree_centrality(graph)) if len(graph) > 1 else {n: 0.0 for n in graph}
    if measure == "betweenness":
        if k is not None and k < 1:
            raise InputError(f"--k must be at least 1, not {k}")
        sample = k if k is not None and k < len(graph) else None
        distance = "distance" if weighted else None
        return dict(nx.betweenness_centrality(graph, k=sample, weight=distance, seed=seed))
    if measure == "closeness":
        return dict(nx.closeness_centrality(graph, distance="distance" if weighted else None))
    if measure == "pagerank":
        return dict(nx.pagerank(graph, weight="weight" if weighted else None))
    if measure == "eigenvector":
        return _eigenvector(graph, "weight" if weighted else None)
    raise InputError(f"unknown measure {measure!r} (one of {', '.join(MEASURES)})")


def centrality_notes(
    nxgraph: nx.Graph,
    measures: Sequence[str],
    *,
    weighted: bool = False,
    k: int | None = None,
    engine: str = "networkx",
) -> list[str]:
    """What a reader of the scores must know: sampling, distances, the eigenvector method,
    and which measures another engine than the one asked for computed."""
    size = len(nxgraph)  # simple_graph keeps every node
    notes = engine_notes(engine, measures, weighted=weighted, k=k, size=size)
    if "betweenness" in measures and k is not None and 1 <= k < size:
        notes.append(
            f"betweenness: approximated from k={k} of {size} source nodes "
            f"(random seed {BETWEENNESS_SEED}, so repeated runs agree)"
        )
    if weighted and {"betweenness", "closeness"} & set(measures):
        notes.append("betweenness/closeness: weighted paths use distance = 1/weight")
    if weighted and "degree" in measures:
        notes.append("degree: weighted, so the score is the strength (sum of edge weights)")
    graph = simple_graph(nxgraph) if "eigenvector" in measures and size else None
    if graph is not None and not nx.is_connected(graph):
        parts = nx.number_connected_components(graph)
        notes.append(
            f"eigenvector: the graph has {parts} components; each is scored on its own and "
            "scaled by its share of the nodes (isolated nodes score 0)"
        )
    if nxgraph.is_multigraph() or nxgraph.is_directed():
        notes.append("the multigraph was collapsed to a simple undirected graph (weights summed)")
    return notes


def all_scores(
    nxgraph: nx.Graph,
    measures: Sequence[str],
    *,
    weighted: bool = False,
    k: int | None = None,
    engine: str = "networkx",
    database: Database | None = None,
) -> dict[str, Mapping[Any, float]]:
    """Every measure for every node; ``engine="gds"`` computes in ``database`` what GDS
    supports (``kg.network.gds``) and the rest with networkx."""
    from_gds: dict[str, Mapping[Any, float]] = {}
    if engine == "gds":
        if database is None:
            raise InputError("the gds engine computes in Neo4j: it needs a database connection")
        from kg.network.gds import gds_centrality

        simple = simple_graph(nxgraph)
        from_gds.update(gds_centrality(simple, measures, database, weighted=weighted, k=k))
    local = "networkx" if engine == "gds" else engine
    return {
        m: from_gds[m] if m in from_gds else centrality(
            nxgraph, m, weighted=weighted, k=k, engine=local
        )
        for m in measures
    }  # fmt: skip


def rank_nodes(
    nxgraph: nx.Graph,
    measures: Sequence[str],
    *,
    weighted: bool = False,
    k: int | None = None,
    top: int | None = None,
    actors_only: bool = True,
    engine: str = "networkx",
    database: Database | None = None,
    scores: Mapping[str, Mapping[Any, float]] | None = None,
) -> list[dict[str, Any]]:
    """Rows ``rank, id, name, type, neighbours, <measure>...`` ranked by the first of
    pagerank or the first measure (ties by id); ``actors_only`` lists actor nodes only."""
    measures = parse_measures(measures)
    if scores is None:
        scores = all_scores(
            nxgraph, measures, weighted=weighted, k=k, engine=engine, database=database
        )
    ranking = "pagerank" if "pagerank" in measures else measures[0]
    graph = simple_graph(nxgraph)
    nodes = [n for n, data in graph.nodes(data=True) if data.get("actor") or not actors_only]
    nodes.sort(key=lambda n: (-scores[ranking][n], str(n)))
    rows: list[dict[str, Any]] = []
    for rank, node in enumerate(nodes[:top] if top else nodes, start=1):
        data = graph.nodes[node]
        row: dict[str, Any] = {
            "rank": rank,
            "id": node,
            "name": data.get("name", node),
            "type": data.get("type"),
            "neighbours": graph.degree(node),
        }
        row.update({m: scores[m][node] for m in measures})
        rows.append(row)
    return rows


@dataclass(frozen=True)
class CentralityReport:
    """Ranked rows and the notes (sampling, distances, method) a reader must see with them."""

    rows: list[dict[str, Any]]
    measures: tuple[str, ...]
    notes: list[str] = field(default_factory=list)
    scores: Mapping[str, Mapping[Any, float]] = field(default_factory=dict)
    """Every node's score per measure (not only the ranked rows), for ``write_scores``."""
    graph: nx.Graph | None = None
    """The simple undirected graph the scores were computed on."""


def centrality_report(
    graph: Graph,
    schema: Schema,
    measures: str | Sequence[str] = ("pagerank",),
    *,
    projection: str = "actors",
    weighted: bool = False,
    k: int | None = None,
    top: int | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    weights: Weights | None = None,
    actors_only: bool = True,
    engine: str = "networkx",
    database: Database | None = None,
) -> CentralityReport:
    """``centrality_table`` rows with their notes (see ``centrality_notes``) and every
    node's scores. ``engine="gds"`` needs ``database`` (see ``kg.network.gds``)."""
    chosen = parse_measures(measures)
    if engine not in ENGINES:
        raise InputError(f"unknown centrality engine {engine!r} (one of {', '.join(ENGINES)})")
    with gc_paused():  # many acyclic dicts and tuples: the collector would only rescan them
        projected = to_networkx(
            graph, schema, projection, since=since, until=until, weights=weights
        )
        notes = centrality_notes(projected, chosen, weighted=weighted, k=k, engine=engine)
        nxgraph = simple_graph(projected)
        del projected
    scores = all_scores(nxgraph, chosen, weighted=weighted, k=k, engine=engine, database=database)
    rows = rank_nodes(nxgraph, chosen, top=top, actors_only=actors_only, scores=scores)
    return CentralityReport(rows, chosen, notes, scores, nxgraph)


def centrality_table(
    graph: Graph,
    schema: Schema,
    measures: str | Sequence[str] = ("pagerank",),
    *,
    projection: str = "actors",
    weighted: bool = False,
    k: int | None = None,
    top: int | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    weights: Weights | None = None,
    actors_only: bool = True,
    engine: str = "networkx",
) -> list[dict[str, Any]]:
    """Actors ranked by centrality in a projection of ``graph`` (see ``rank_nodes``).

    Rows hold ``rank``, ``id``, ``name``, ``type``, ``neighbours`` (linked nodes) and one
    column per measure; ``top`` keeps the first rows. The other arguments are those of
    ``to_networkx`` and ``centrality``.
    """
    return centrality_report(
        graph,
        schema,
        measures,
        projection=projection,
        weighted=weighted,
        k=k,
        top=top,
        since=since,
        until=until,
        weights=weights,
        actors_only=actors_only,
        engine=engine,
    ).rows

"""Centrality in Neo4j with Graph Data Science (GDS), on the very projection networkx ranks."""

from __future__ import annotations

import secrets
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import Neo4jError

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings
    from kg.schema import Schema

__all__ = [
    "SCORE_PREFIX",
    "Database",
    "gds_centrality",
    "gds_notes",
    "gds_supports",
    "write_scores",
]

SCORE_PREFIX = "centrality_"
"""``--write`` stores a measure as the node property ``centrality_<measure>``."""

_BETWEENNESS_PAIRS = 2.0
"""networkx's raw undirected betweenness counts each pair of nodes from both ends, GDS's once."""
_MISSING = (
    "Graph Data Science is not installed in Neo4j at {uri}: for the server of 'kg neo4j start'"
    " run 'kg neo4j stop' then 'kg neo4j start --gds'; for Docker add"
    " NEO4J_PLUGINS='[\"graph-data-science\"]' (docs/neo4j.md); or use --engine networkx"
)


@dataclass(frozen=True)
class Database:
    """A checked connection (``kg.neo4j.connection.connect``) and its settings."""

    driver: Driver
    settings: Neo4jSettings


def gds_supports(measure: str, *, weighted: bool) -> bool:
    """Whether GDS computes ``measure`` as networkx defines it here.

    Degree, PageRank and betweenness (sampled or weighted too); closeness unweighted only
    (GDS closeness has no weights). Eigenvector stays with networkx (kg scores each
    connected component on its own, GDS the whole graph at once).

    >>> gds_supports("closeness", weighted=True), gds_supports("betweenness", weighted=True)
    (False, True)
    """
    if measure == "closeness":
        return not weighted
    return measure in ("degree", "pagerank", "betweenness")


def gds_notes(measures: Sequence[str], *, weighted: bool, k: int | None, size: int) -> list[str]:
    """What a reader of GDS scores must know: measures left to networkx, sampling."""
    notes = []
    for measure in measures:
        if not gds_supports(measure, weighted=weighted):
            why = "GDS closeness has no weights" if measure == "closeness" else (
                "kg scores it per connected component"
            )  # fmt: skip
            notes.append(f"engine: {measure} computed with networkx ({why})")
    if "betweenness" in measures and k is not None and k < size:
        notes.append("engine: GDS samples its own k source nodes, so betweenness differs")
    return notes


def _rows(graph: nx.Graph, index: Mapping[Hashable, int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for u, v, weight in graph.edges(data="weight", default=1.0):
        rows.append({"source": index[u], "target": index[v], "weight": float(weight),
                     "distance": 1.0 / float(weight)})  # fmt: skip
    rows += [{"source": index[n], "target": None} for n in graph.nodes if graph.degree(n) == 0]
    return rows


def _config(measure: str, *, weighted: bool, k: int | None, seed: int) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if measure == "pagerank":
        config = {"dampingFactor": 0.85, "maxIterations": 1000, "tolerance": 1e-10}
        config["scaler"] = "L1Norm"  # sums to 1, as networkx's
    if measure == "closeness":
        config["useWassermanFaust"] = True
    if measure == "betweenness" and k is not None:
        config.update(samplingSize=k, samplingSeed=seed)
    if weighted and measure in ("degree", "pagerank"):
        config["relationshipWeightProperty"] = "weight"
    if weighted and measure == "betweenness":
        config["relationshipWeightProperty"] = "distance"
    return config


def gds_centrality(
    graph: nx.Graph,
    measures: Sequence[str],
    database: Database,
    *,
    weighted: bool = False,
    k: int | None = None,
    seed: int = 42,
) -> dict[str, dict[Hashable, float]]:
    """Scores of each measure GDS supports, for every node of a simple undirected graph.

    The graph is projected into GDS under a throwaway name and dropped afterwards. Scores
    are scaled to networkx's definitions: degree divided by n - 1 (unless weighted),
    PageRank summing to 1, betweenness normalised as networkx normalises it.
    """
    from kg.neo4j.connection import database_errors, session
    from kg.neo4j.cypher import statement

    chosen = [m for m in measures if gds_supports(m, weighted=weighted)]
    nodes = list(graph.nodes)
    if not chosen or not nodes:
        return {m: dict.fromkeys(nodes, 0.0) for m in chosen}
    index = {node: i for i, node in enumerate(nodes)}
    name = f"kg-centrality-{secrets.token_hex(6)}"  # a scratch name, never stored
    settings = database.settings
    sample = k if k is not None and k < len(nodes) else None
    scores: dict[str, dict[Hashable, float]] = {}
    with database_errors(settings), session(database.driver, settings, write=True) as s:
        if not s.run(statement("gds_installed")).single(strict=True)["procedures"]:
            raise Neo4jError(_MISSING.format(uri=settings.uri))
        s.run(statement("gds_project"), graph=name, rows=_rows(graph, index)).consume()
        try:
            for measure in chosen:
                config = _config(measure, weighted=weighted, k=sample, seed=seed)
                found = s.run(statement(f"gds_{measure}"), graph=name, config=config)
                scores[measure] = {nodes[r["nodeId"]]: float(r["score"]) for r in found}
        finally:
            s.run(statement("gds_drop"), graph=name).consume()
    return _scaled(scores, len(nodes), weighted=weighted, k=sample)


def _scaled(
    scores: dict[str, dict[Hashable, float]], n: int, *, weighted: bool, k: int | None
) -> dict[str, dict[Hashable, float]]:
    factor = {"degree": 1.0 if weighted else 1.0 / max(n - 1, 1)}
    if n > 2:  # networkx's normalisation; with k sampled sources, scaled up by n / k
        factor["betweenness"] = _BETWEENNESS_PAIRS / ((n - 1) * (n - 2)) * (n / k if k else 1.0)
    return {
        m: {node: value * factor.get(m, 1.0) for node, value in found.items()}
        for m, found in scores.items()
    }


def write_scores(
    database: Database,
    schema: Schema,
    graph: nx.Graph,
    scores: Mapping[str, Mapping[Hashable, float]],
) -> tuple[int, int]:
    """Store each score as ``centrality_<measure>`` on the node with the same kg id.

    Nodes are matched by label (their ``type``) and id; returns (written, not found), the
    latter being projection nodes that are not in the database (not loaded yet).
    """
    from kg.neo4j.connection import database_errors, session
    from kg.neo4j.cypher import render

    by_label: dict[str, list[dict[str, Any]]] = {}
    for node, data in graph.nodes(data=True):
        values = {f"{SCORE_PREFIX}{m}": float(found[node]) for m, found in scores.items()}
        by_label.setdefault(str(data.get("type")), []).append({"id": node, "scores": values})
    settings, written, total = database.settings, 0, graph.number_of_nodes()
    with database_errors(settings), session(database.driver, settings, write=True) as s:
        for label, rows in sorted(by_label.items()):
            query = render("write_scores", schema, label=label)
            written += s.execute_write(_write, query, rows)
    return written, total - written


def _write(tx: Any, query: Any, rows: list[dict[str, Any]]) -> int:
    record = tx.run(query, rows=rows).single()
    return int(record[0]) if record is not None else 0

"""Centrality measures against hand-worked values and networkx, and invariants on the seed."""

from __future__ import annotations

import math
import statistics

import networkx as nx
import pytest

from kg.errors import InputError
from kg.model import Graph
from kg.network import MEASURES, centrality, centrality_report, centrality_table, simple_graph
from kg.network.centrality import BETWEENNESS_SEED, centrality_notes, parse_measures, rank_nodes
from kg.schema import Schema


def star() -> nx.Graph:
    """A centre c and four leaves."""
    return nx.star_graph(["c", "l1", "l2", "l3", "l4"])


def weighted_triangle() -> nx.Graph:
    """a-b and b-c strong (weight 4, distance 0.25), a-c weak (weight 1, distance 1)."""
    g = nx.Graph()
    g.add_edge("a", "b", weight=4.0)
    g.add_edge("b", "c", weight=4.0)
    g.add_edge("a", "c", weight=1.0)
    return g


def approx(values: dict[str, float]) -> dict[str, object]:
    return {k: pytest.approx(v) for k, v in values.items()}


def test_star_by_hand() -> None:
    g = star()
    assert centrality(g, "degree") == approx(
        {"c": 1.0, "l1": 0.25, "l2": 0.25, "l3": 0.25, "l4": 0.25}
    )
    # Every leaf-to-leaf shortest path (6 pairs of 6) runs through the centre.
    assert centrality(g, "betweenness") == approx({"c": 1.0, "l1": 0, "l2": 0, "l3": 0, "l4": 0})
    # Closeness: (n-1) / sum of distances: centre 4/4; a leaf 4/(1 + 2*3) = 4/7.
    assert centrality(g, "closeness") == approx(
        {"c": 1.0, **dict.fromkeys(["l1", "l2", "l3", "l4"], 4 / 7)}
    )
    pagerank = centrality(g, "pagerank")
    assert pagerank == approx(nx.pagerank(g))
    assert math.isclose(sum(pagerank.values()), 1.0) and pagerank["c"] > pagerank["l1"]


def test_path_by_hand() -> None:
    g = nx.path_graph(["a", "b", "c"])
    assert centrality(g, "betweenness") == approx({"a": 0.0, "b": 1.0, "c": 0.0})
    assert centrality(g, "closeness") == approx({"a": 2 / 3, "b": 1.0, "c": 2 / 3})
    # Principal eigenvector of the path P3: (1, sqrt 2, 1) / 2.
    assert centrality(g, "eigenvector") == approx({"a": 0.5, "b": math.sqrt(2) / 2, "c": 0.5})


def test_weighted_paths_use_distance_one_over_weight() -> None:
    g = weighted_triangle()
    # Unweighted, a-c is direct, so b lies on no shortest path between the others.
    assert centrality(g, "betweenness")["b"] == pytest.approx(0.0)
    # Weighted, a-b-c costs 0.25 + 0.25 < 1 for a-c: b is on the only shortest a..c path.
    assert centrality(g, "betweenness", weighted=True)["b"] == pytest.approx(1.0)
    closeness = centrality(g, "closeness", weighted=True)
    assert closeness["b"] == pytest.approx(2 / (0.25 + 0.25))
    assert closeness["a"] == pytest.approx(2 / (0.25 + 0.5))
    assert centrality(g, "degree", weighted=True) == approx({"a": 5.0, "b": 8.0, "c": 5.0})
    assert centrality(g, "pagerank", weighted=True) == approx(nx.pagerank(g, weight="weight"))
    assert centrality(g, "eigenvector", weighted=True) == approx(
        nx.eigenvector_centrality(g, weight="weight", max_iter=1000, tol=1e-9)
    )


def test_multigraphs_collapse_with_summed_weights() -> None:
    multi = nx.MultiDiGraph()
    multi.add_edge("a", "b", key="r1")  # no weight: counts 1
    multi.add_edge("b", "a", key="r2", weight=2.0)
    multi.add_edge("b", "c", key="r3")
    multi.add_edge("c", "c", key="loop")
    simple = simple_graph(multi)
    assert type(simple) is nx.Graph
    assert sorted(simple.edges(data="weight")) == [("a", "b", 3.0), ("b", "c", 1.0)]
    assert simple["a"]["b"]["distance"] == pytest.approx(1 / 3)
    assert centrality(multi, "degree", weighted=True) == approx({"a": 3.0, "b": 4.0, "c": 1.0})
    assert centrality(multi, "degree") == approx({"a": 0.5, "b": 1.0, "c": 0.5})
    for measure in MEASURES:  # every measure runs on a multigraph instead of failing
        assert set(centrality(multi, measure)) == {"a", "b", "c"}
    notes = centrality_notes(multi, ["pagerank"])
    assert any("collapsed" in n for n in notes)


def test_eigenvector_per_component_on_a_disconnected_graph() -> None:
    g = nx.Graph()
    g.add_edges_from([("t1", "t2"), ("t2", "t3"), ("t3", "t1")])  # triangle: 3 of 6 nodes
    g.add_edge("e1", "e2")  # an edge: 2 of 6 nodes
    g.add_node("alone")
    scores = centrality(g, "eigenvector")
    assert scores["t1"] == pytest.approx(1 / math.sqrt(3) * 3 / 6)
    assert scores["e1"] == pytest.approx(1 / math.sqrt(2) * 2 / 6)
    assert scores["alone"] == 0.0
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    notes = centrality_notes(g, ["eigenvector"])
    assert any("3 components" in n for n in notes)
    for measure in MEASURES:  # disconnected graphs work for every measure
        assert set(centrality(g, measure)) == set(g)


def test_eigenvector_of_a_connected_graph_is_networkx() -> None:
    g = nx.karate_club_graph()
    assert centrality(g, "eigenvector") == approx(
        nx.eigenvector_centrality(g, max_iter=1000, tol=1e-9)
    )
    assert centrality_notes(g, ["eigenvector"]) == []


def test_sampled_betweenness_is_seeded_and_noted() -> None:
    g = nx.karate_club_graph()
    first = centrality(g, "betweenness", k=10)
    assert first == centrality(g, "betweenness", k=10)
    assert first == approx(nx.betweenness_centrality(g, k=10, seed=BETWEENNESS_SEED))
    assert first != approx(nx.betweenness_centrality(g))
    notes = centrality_notes(g, ["betweenness"], k=10)
    assert any("k=10 of 34" in n and str(BETWEENNESS_SEED) in n for n in notes)
    # k at or above the node count is exact, and not noted as sampled.
    assert centrality(g, "betweenness", k=34) == approx(nx.betweenness_centrality(g))
    assert centrality_notes(g, ["betweenness"], k=34) == []
    with pytest.raises(InputError):
        centrality(g, "betweenness", k=0)


def test_measure_names() -> None:
    assert parse_measures("all") == MEASURES
    assert parse_measures(["degree", "all"])[0] == "degree"
    with pytest.raises(InputError, match="unknown measure 'fame'"):
        parse_measures("fame")
    with pytest.raises(InputError):
        centrality(star(), "fame")
    assert centrality(nx.Graph(), "pagerank") == {}


def test_rank_nodes_orders_filters_and_cuts() -> None:
    g = star()
    for node in g:
        g.nodes[node].update(name=node.upper(), type="Person", actor=node != "l4")
    rows = rank_nodes(g, ["degree", "pagerank"], top=3)
    assert [r["id"] for r in rows] == ["c", "l1", "l2"]  # by pagerank, ties by id
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert rows[0] | {} == rows[0] and rows[0]["name"] == "C" and rows[0]["neighbours"] == 4
    assert set(rows[0]) == {"rank", "id", "name", "type", "neighbours", "degree", "pagerank"}
    assert "l4" not in {r["id"] for r in rank_nodes(g, ["degree"])}  # not an actor
    assert "l4" in {r["id"] for r in rank_nodes(g, ["degree"], actors_only=False)}
    by_betweenness = rank_nodes(g, ["betweenness"])
    assert by_betweenness[0]["id"] == "c"


# ------------------------------------------------------------------------- the seed


def test_seed_scores_are_in_range(seed_graph: Graph, schema: Schema) -> None:
    rows = centrality_table(seed_graph, schema, "all")
    assert rows and {r["type"] for r in rows} <= set(schema.actor_types)
    for row in rows:
        for measure in ("degree", "betweenness", "eigenvector", "closeness"):
            assert 0.0 <= row[measure] <= 1.0, (row["id"], measure)
        assert 0.0 < row["pagerank"] < 1.0
    assert math.isclose(sum(r["pagerank"] for r in rows), 1.0)
    pageranks = [r["pagerank"] for r in rows]
    assert pageranks == sorted(pageranks, reverse=True)  # "all" is ranked by pagerank


def test_seed_rankings_follow_the_graph(seed_graph: Graph, schema: Schema) -> None:
    by_degree = centrality_table(seed_graph, schema, "degree")
    neighbours = [r["neighbours"] for r in by_degree]
    assert neighbours == sorted(neighbours, reverse=True)  # degree order is the degree order
    n = len(by_degree)
    assert all(r["degree"] == pytest.approx(r["neighbours"] / (n - 1)) for r in by_degree)
    top = centrality_table(seed_graph, schema, "pagerank", top=1)[0]
    assert top["neighbours"] >= statistics.median(neighbours)
    # Isolated actors have no paths: zero betweenness, closeness and eigenvector.
    for row in centrality_table(seed_graph, schema, "all"):
        if row["neighbours"] == 0:
            assert row["betweenness"] == row["closeness"] == row["eigenvector"] == 0.0
        if row["neighbours"] == 1:
            assert row["betweenness"] == 0.0  # a leaf lies on no path between others


def test_seed_report_notes(seed_graph: Graph, schema: Schema) -> None:
    report = centrality_report(seed_graph, schema, "all", weighted=True, k=3, top=5)
    assert len(report.rows) == 5 and report.measures == MEASURES
    assert any("k=3" in n for n in report.notes)
    assert any("distance = 1/weight" in n for n in report.notes)
    full = centrality_table(seed_graph, schema, "degree", projection="full")
    assert {r["type"] for r in full} <= set(schema.actor_types)

"""GraphML, GEXF and node-link JSON exports of the seed graph read back with networkx."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.errors import InputError
from kg.model import Graph
from kg.network import GRAPH_FORMATS, PROJECTIONS, export_graph, to_networkx, write_graph
from kg.network.export import GEXF_RENAMED, export_ready, format_for, write_atomic
from kg.schema import Schema


def read_back(path: Path, fmt: str, like: nx.Graph) -> nx.Graph:
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=like.is_multigraph())
    if fmt == "gexf":
        return nx.read_gexf(path)
    data = json.loads(path.read_text("utf-8"))
    return nx.node_link_graph(
        data, directed=like.is_directed(), multigraph=like.is_multigraph(), edges="links"
    )


def decoded(value: Any, original: Any) -> Any:
    """A read-back value in the original's terms: JSON text back to a list, ints to floats."""
    if isinstance(original, list) and isinstance(value, str):
        return json.loads(value)
    if isinstance(original, float) and isinstance(value, int | float):
        return float(value)
    return value


def same_attributes(original: dict[str, Any], back: dict[str, Any], fmt: str) -> None:
    for key, value in original.items():
        name = GEXF_RENAMED.get(key, key) if fmt == "gexf" else key
        assert name in back, f"{key} missing"
        assert decoded(back[name], value) == value, key


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
@pytest.mark.parametrize("projection", PROJECTIONS)
def test_exports_read_back_with_the_same_nodes_edges_and_attributes(
    seed_graph: Graph, schema: Schema, tmp_path: Path, projection: str, fmt: str
) -> None:
    path = tmp_path / f"graph.{fmt}"
    original = export_graph(seed_graph, schema, path, fmt, projection=projection)
    back = read_back(path, fmt, original)
    assert back.number_of_nodes() == original.number_of_nodes() > 0
    assert back.number_of_edges() == original.number_of_edges() > 0
    assert set(back.nodes) == set(original.nodes)
    for node, data in original.nodes(data=True):
        same_attributes(data, back.nodes[node], fmt)
    if original.is_multigraph() and back.is_multigraph():
        for u, v, key, data in original.edges(keys=True, data=True):
            same_attributes(data, back.edges[u, v, key], fmt)  # keys survive: relation ids
    elif original.is_multigraph():  # read_gexf makes a DiGraph when no edges are parallel
        by_key = {(u, v, d["kg_key"]): d for u, v, d in back.edges(data=True)}
        for u, v, key, data in original.edges(keys=True, data=True):
            same_attributes(data, by_key[u, v, key], fmt)
    else:
        for u, v, data in original.edges(data=True):
            same_attributes(data, back.edges[u, v], fmt)


def test_full_graphml_keeps_relation_ids_as_keys(
    seed_graph: Graph, schema: Schema, tmp_path: Path
) -> None:
    path = tmp_path / "full.graphml"
    write_graph(to_networkx(seed_graph, schema, "full"), path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(back, nx.MultiDiGraph)
    relation_keys = {k for *_, k, t in back.edges(keys=True, data="type") if t in schema.relations}
    assert relation_keys == set(seed_graph.relations)
    assert "<data" in path.read_text("utf-8") and "null" not in path.read_text("utf-8").lower()


def test_node_link_json_keeps_lists_as_lists(
    seed_graph: Graph, schema: Schema, tmp_path: Path
) -> None:
    path = tmp_path / "actors.json"
    write_graph(to_networkx(seed_graph, schema, "actors"), path)
    data = json.loads(path.read_text("utf-8"))
    assert {"nodes", "links"} <= set(data) and data["graph"]["projection"] == "actors"
    knb = next(n for n in data["nodes"] if n["id"] == "org:knb")
    assert isinstance(knb["aliases"], list) and "KNB" in knb["aliases"]
    assert all(isinstance(link["via"], list) for link in data["links"])


def test_export_ready_makes_every_value_writable() -> None:
    g = nx.Graph(note=None, weights={"a": 1})
    g.add_node("a", tags=["x", "y"], missing=None, n=1)
    g.add_node("b", n=2.5, flag=True)
    g.add_node("c", flag="yes")
    g.add_edge("a", "b", type="t", start="2004", ids=("r1",))
    ready = export_ready(g, "gexf")
    assert export_ready(nx.MultiGraph([("a", "b", "r1")]), "gexf").edges["a", "b", "r1"] == {
        "kg_key": "r1"
    }
    assert ready.nodes["a"] == {"tags": '["x", "y"]', "n": 1.0}  # None dropped, int -> float
    assert ready.nodes["b"]["flag"] == "True" and ready.nodes["c"]["flag"] == "yes"
    assert ready.edges["a", "b"] == {"kg_type": "t", "kg_start": "2004", "ids": '["r1"]'}
    assert ready.graph == {"weights": '{"a": 1}'}
    assert g.nodes["a"]["tags"] == ["x", "y"]  # the original is untouched
    assert export_ready(g, "graphml").edges["a", "b"]["type"] == "t"


def test_format_from_suffix_and_errors(tmp_path: Path) -> None:
    assert format_for(Path("a.GEXF")) == "gexf"
    with pytest.raises(InputError, match="cannot tell the format"):
        format_for(Path("graph.txt"))
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(InputError, match="cannot write"):
        write_graph(nx.Graph(), blocker / "graph.graphml")


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "g.graphml"

    def half_then_fail(path: Path) -> None:
        path.write_text("<graphml>")
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError, match="No space left"):
        write_atomic(target, half_then_fail)
    assert list(target.parent.iterdir()) == []
    target.write_text("old")
    with pytest.raises(InputError):
        write_atomic(target, half_then_fail)
    assert target.read_text() == "old"  # the previous file is untouched

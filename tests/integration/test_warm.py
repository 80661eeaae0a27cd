"""The warm-up after a large load (kg.neo4j.warm): it leaves the database as it was."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from kg.model import Graph
from kg.neo4j import loader
from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.loader import count_graph, load_graph, read_digests
from kg.neo4j.reader import read_graph
from kg.neo4j.warm import SCRATCH, warm_up
from kg.schema import Schema

pytestmark = pytest.mark.integration


def _state(driver: Driver, settings: Neo4jSettings, schema: Schema) -> Any:
    """Everything a load wrote: the graph read back, the counts, every node's and relation's
    kg properties and the documents' digests."""
    with driver.session(database=settings.database) as s:
        query = "MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
        found = [(str(r["id"]), sorted(r["labels"]), r["props"]) for r in s.run(query)]
        nodes = sorted(found, key=lambda node: (node[0], node[1]))
        links = s.run("MATCH ()-[r]->() RETURN count(r) AS n").single(strict=True)["n"]
    return (read_graph(driver, settings, schema), count_graph(driver, settings), nodes, links,
            read_digests(driver, settings, schema))  # fmt: skip


def test_the_warm_up_leaves_the_database_as_it_was(
    loaded: Driver, neo4j_settings: Neo4jSettings, schema: Schema, seed_graph: Graph
) -> None:
    before = _state(loaded, neo4j_settings, schema)
    assert before[0] == seed_graph
    assert warm_up(loaded, neo4j_settings, schema, list(seed_graph.documents)[:1])
    after = _state(loaded, neo4j_settings, schema)
    assert after == before
    assert not [n for n in after[2] if str(n[0]).startswith(SCRATCH)]


def test_a_first_load_warms_the_server_up_and_a_small_reload_does_not(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    seed_graph: Graph,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[list[str]] = []

    def recorded(driver: Driver, settings: Neo4jSettings, schema: Schema,
                 docs: list[str]) -> bool:  # fmt: skip
        calls.append(list(docs))
        return warm_up(driver, settings, schema, docs)

    monkeypatch.setattr(loader, "warm_up", recorded)
    load_graph(empty_db, neo4j_settings, seed_graph, schema)
    assert calls == [list(seed_graph.documents)[:1]]
    assert read_graph(empty_db, neo4j_settings, schema) == seed_graph
    load_graph(empty_db, neo4j_settings, seed_graph, schema)  # unchanged: reads no record
    assert len(calls) == 1

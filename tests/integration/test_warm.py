"""The warm-up after a large load (kg.neo4j.warm): it leaves the database as it was."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from neo4j import Driver

from kg.model import Graph
from kg.neo4j import loader
from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.loader import count_graph, load_graph, read_digests
from kg.neo4j.reader import read_graph
from kg.neo4j.warm import SCRATCH, warm_scratch, warm_stored
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
    assert warm_scratch(loaded, neo4j_settings, schema)
    assert warm_stored(loaded, neo4j_settings, schema, list(seed_graph.documents)[:1])
    after = _state(loaded, neo4j_settings, schema)
    assert after == before
    assert not [n for n in after[2] if str(n[0]).startswith(SCRATCH)]


def test_the_scratch_part_touches_no_record_the_database_holds(
    loaded: Driver, neo4j_settings: Neo4jSettings, schema: Schema
) -> None:
    """It runs beside a load's writes: a transaction holding a write lock on every node does
    not stop it (the part on stored records waits for that transaction)."""
    before = _state(loaded, neo4j_settings, schema)
    done: list[bool] = []
    with loaded.session(database=neo4j_settings.database) as s, s.begin_transaction() as tx:
        tx.run("MATCH (n) SET n.kg_locked = true").consume()
        warming = threading.Thread(target=lambda: done.append(
            warm_scratch(loaded, neo4j_settings, schema)), daemon=True)  # fmt: skip
        warming.start()
        warming.join(120)  # a scratch part that waited for a lock would wait for ever
        finished = list(done)
        tx.rollback()
    warming.join()
    assert finished == [True]
    assert _state(loaded, neo4j_settings, schema) == before


def test_a_first_load_warms_the_server_up_and_a_small_reload_does_not(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    seed_graph: Graph,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, list[str]]] = []

    def scratch(driver: Driver, settings: Neo4jSettings, schema: Schema) -> bool:
        calls.append(("scratch", []))
        return warm_scratch(driver, settings, schema)

    def stored(driver: Driver, settings: Neo4jSettings, schema: Schema,
               docs: list[str]) -> bool:  # fmt: skip
        calls.append(("stored", list(docs)))
        return warm_stored(driver, settings, schema, docs)

    monkeypatch.setattr(loader, "warm_scratch", scratch)
    monkeypatch.setattr(loader, "warm_stored", stored)
    load_graph(empty_db, neo4j_settings, seed_graph, schema)
    assert calls == [("scratch", []), ("stored", list(seed_graph.documents)[:1])]
    assert read_graph(empty_db, neo4j_settings, schema) == seed_graph
    load_graph(empty_db, neo4j_settings, seed_graph, schema)  # unchanged: reads no record
    assert len(calls) == 2

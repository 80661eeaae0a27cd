"""The batched loader's pipeline against a real server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from neo4j import Driver

from kg.model import Graph
from kg.neo4j import loader
from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.loader import count_graph, load_graph
from kg.neo4j.plan import Plan
from kg.schema import Schema

pytestmark = pytest.mark.integration


def test_the_first_documents_are_built_while_the_last_entities_are_written(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    seed_graph: Graph,
    schema: Schema,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One pipeline for entities and documents: the entities' (one) batch is written while
    the first batch of documents is built, not before it starts."""
    built = threading.Event()
    waited: list[bool] = []
    document_batches = Plan.document_batches

    def documents(self: Plan, batch_size: int) -> Iterator[Any]:
        for batch in document_batches(self, batch_size):
            built.set()
            yield batch

    write = loader._write

    def entities_wait(tx: Any, batch: Any, schema: Schema, parts: tuple[str, ...],
                      *spent: Any) -> Any:  # fmt: skip
        if "relations" not in parts:  # the entities' batch: the documents' is built meanwhile
            waited.append(built.wait(timeout=30))
        return write(tx, batch, schema, parts, *spent)

    monkeypatch.setattr(Plan, "document_batches", documents)
    monkeypatch.setattr(loader, "_write", entities_wait)
    report = load_graph(empty_db, neo4j_settings, seed_graph, schema)
    assert waited == [True]
    monkeypatch.undo()
    assert report.batches == 1 and report.changes["documents_added"] == len(seed_graph.documents)
    assert (report.nodes, report.relationships) == count_graph(empty_db, neo4j_settings)


def test_dates_read_back_as_the_dates_of_the_graph(
    empty_db: Driver, neo4j_settings: Neo4jSettings, seed_graph: Graph, schema: Schema
) -> None:
    """The loader sends dates in the driver's own wire form (``loader._sent_dates``): the
    server stores Date values, the days of each record's date."""
    load_graph(empty_db, neo4j_settings, seed_graph, schema)
    records = {**seed_graph.incidents, **seed_graph.claims}
    want = {i: (r.date.first_day(), r.date.last_day()) for i, r in records.items() if r.date}
    with empty_db.session(database=neo4j_settings.database) as s:
        rows = s.run("MATCH (n) WHERE n.id IN $ids RETURN n.id AS id, n.date_start AS start,"
                     " n.date_end AS end", ids=list(want)).data()  # fmt: skip
    got = {r["id"]: (r["start"].to_native(), r["end"].to_native()) for r in rows}
    assert want and got == want

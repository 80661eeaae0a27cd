"""Load a Graph into Neo4j: constraints first, then batched, idempotent MERGE per document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, ManagedTransaction

from kg.links import link_kinds
from kg.model import Graph
from kg.neo4j.connection import Neo4jSettings, database_errors, session
from kg.neo4j.cypher import render
from kg.neo4j.rows import Batch, batches
from kg.schema import ENTITY_LABEL, Schema

__all__ = ["LoadReport", "count_graph", "ensure_constraints", "load_graph", "wipe"]

_COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
             "properties_set")  # fmt: skip


@dataclass
class LoadReport:
    """What a load did and what the database holds afterwards."""

    documents: int = 0
    batches: int = 0
    counters: Counter[str] = field(default_factory=Counter)
    nodes: int = 0
    relationships: int = 0


def _link_types(schema: Schema) -> list[str]:
    return [schema.link_type(kind) for kind in link_kinds(schema)]


def ensure_constraints(driver: Driver, settings: Neo4jSettings, schema: Schema) -> int:
    """A uniqueness constraint on ``id`` for every label the schema defines (IF NOT EXISTS)."""
    labels = [*schema.types, ENTITY_LABEL]
    with database_errors(settings), session(driver, settings, write=True) as s:
        for label in labels:
            s.run(render("constraint", schema, label=label)).consume()
    return len(labels)


def _run(tx: ManagedTransaction, query: Any, counters: Counter[str], **params: Any) -> None:
    summary = tx.run(query, **params).consume()
    for name in _COUNTERS:
        counters[name] += getattr(summary.counters, name)


def _write(tx: ManagedTransaction, batch: Batch, schema: Schema,
           parts: tuple[str, ...]) -> Counter[str]:  # fmt: skip
    """All statements of one batch, in one transaction: nodes, links, evidence, relations.

    Returns the counters of this attempt; the caller adds them up once the transaction has
    committed, so a retried attempt is not counted twice.
    """
    counters: Counter[str] = Counter()
    if "nodes" in parts:
        for label, rows in batch.nodes.items():
            entity = schema.types[label].category == "entity"
            query = render("merge_entities" if entity else "merge_nodes", schema, label=label)
            _run(tx, query, counters, rows=rows)
    if "links" in parts:
        types = _link_types(schema)
        for label, ids in batch.cleared.items():
            _run(tx, render("clear_links", schema, label=label), counters, ids=ids, types=types)
        for (rel_type, label, target), rows in batch.links.items():
            query = render("create_links", schema, label=label, target=target, type=rel_type)
            _run(tx, query, counters, rows=rows)
        for label, rows in batch.evidence.items():
            _run(tx, render("create_evidence", schema, label=label), counters, rows=rows)
    if "relations" in parts:
        for (rel_type, source, target), rows in batch.relations.items():
            query = render("merge_relations", schema, source=source, target=target, type=rel_type)
            _run(tx, query, counters, rows=rows)
        for document_type in schema.of_category("document") if batch.documents else ():
            query = render("stamp_documents", schema, label=document_type.name)
            _run(tx, query, counters, ids=batch.documents)
    return counters


def load_graph(
    driver: Driver,
    settings: Neo4jSettings,
    graph: Graph,
    schema: Schema,
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> LoadReport:
    """Load (or reload) a graph; loading twice leaves node and relationship counts unchanged.

    Entities are written first; then each batch of whole documents is one managed write
    transaction (retried on transient errors), so a document is loaded completely or not at
    all. ``progress`` is called with the number of documents finished after each batch.
    """
    report = LoadReport(documents=len(graph.documents))
    # Rows first: a label outside the schema is refused before any statement runs.
    entity_batches, document_batches = batches(graph, schema, batch_size)
    ensure_constraints(driver, settings, schema)
    everything = ("nodes", "links", "relations")
    with database_errors(settings), session(driver, settings, write=True) as s:
        # A record's node is written (and so locked) in the same transaction that redraws its
        # links: a concurrent load waits for it, then sees its links, and never draws them twice.
        # A link to an entity of a later batch MERGEs a stub that the later batch fills in.
        for batch in entity_batches:
            report.counters += s.execute_write(_write, batch, schema, ("nodes", "links"))
        for batch in document_batches:
            report.counters += s.execute_write(_write, batch, schema, everything)
            report.batches += 1
            if progress is not None:
                progress(len(batch.documents))
    report.nodes, report.relationships = count_graph(driver, settings)
    return report


def count_graph(driver: Driver, settings: Neo4jSettings) -> tuple[int, int]:
    """Numbers of nodes and relationships in the database."""
    with database_errors(settings), session(driver, settings) as s:
        nodes = s.run("MATCH (n) RETURN count(n) AS c").single(strict=True)["c"]
        rels = s.run("MATCH ()-[r]->() RETURN count(r) AS c").single(strict=True)["c"]
    return int(nodes), int(rels)


def wipe(driver: Driver, settings: Neo4jSettings, schema: Schema) -> int:
    """Delete every node carrying a schema label (and its relationships); returns the count."""
    labels = [*schema.types, ENTITY_LABEL]
    query = (
        "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) "
        "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
    )
    with database_errors(settings), session(driver, settings, write=True) as s:
        summary = s.run(query, labels=labels).consume()
    return int(summary.counters.nodes_deleted)

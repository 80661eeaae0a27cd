"""The naive way to load: one MERGE per row, each in its own (auto-commit) transaction.

It sends the loader's own statements (kg/neo4j/cypher/*.cypher) with a single row each, in
the same order (nodes, then links and evidence, then relations), so it writes the same graph
as kg.neo4j.loader.load_graph; only the batching and the transactions differ.
"""

from __future__ import annotations

import time
from typing import Any

from neo4j import Driver

from kg.links import link_kinds
from kg.model import Graph
from kg.neo4j.bulk import unique_batches
from kg.neo4j.connection import Neo4jSettings, session
from kg.neo4j.cypher import render
from kg.neo4j.loader import ensure_constraints
from kg.neo4j.plan import batches
from kg.neo4j.rows import document_label
from kg.schema import Schema

__all__ = ["naive_load", "statements"]


def statements(graph: Graph, schema: Schema) -> list[tuple[Any, dict[str, Any]]]:
    """(query, one row) pairs: every node first, then every link, evidence and relation."""
    entity_batches, document_batches = batches(graph, schema, batch_size=1 << 62)
    everything = list(unique_batches([*entity_batches, *document_batches]))
    nodes: list[tuple[Any, dict[str, Any]]] = []
    edges: list[tuple[Any, dict[str, Any]]] = []
    for batch in everything:
        for label, rows in batch.nodes.items():
            entity = schema.types[label].category == "entity"
            query = render("merge_entities" if entity else "merge_nodes", schema, label=label)
            nodes.extend((query, row) for row in rows)
        for (rel_type, label, target), rows in batch.links.items():
            query = render("create_links", schema, label=label, target=target, type=rel_type)
            edges.extend((query, row) for row in rows)
        for label, rows in batch.evidence.items():
            query = render("create_evidence", schema, label=label, document=document_label(schema))
            edges.extend((query, row) for row in rows)
        for (rel_type, source, target), rows in batch.relations.items():
            query = render("merge_relations", schema, source=source, target=target, type=rel_type)
            edges.extend((query, row) for row in rows)
    return nodes + edges


def naive_load(
    driver: Driver,
    settings: Neo4jSettings,
    graph: Graph,
    schema: Schema,
    *,
    constraints: bool = True,
    prepared: list[tuple[Any, dict[str, Any]]] | None = None,
    deadline: float | None = None,
) -> int:
    """Load row by row, one auto-commit transaction each; returns the number of statements
    sent, fewer than all of them if ``deadline`` (a ``time.perf_counter`` value) passed."""
    if constraints:
        ensure_constraints(driver, settings, schema)
    todo = prepared if prepared is not None else statements(graph, schema)
    # The node statements also delete the links a stored record no longer draws, of these
    # types (none here: every record is new to the database); the others ignore it.
    types = [schema.link_type(kind) for kind in link_kinds(schema)]
    with session(driver, settings, write=True) as s:
        for done, (query, row) in enumerate(todo):
            if deadline is not None and done % 100 == 0 and time.perf_counter() > deadline:
                return done
            s.run(query, batch={"rows": [row]}, types=types).consume()
    return len(todo)

"""Warm the server up for the re-loads after a large load.

A re-load runs branches of the loader's statements that a first load never reaches: a node
the database holds is updated and loses the links it no longer draws (``merge_nodes``,
``merge_entities``), evidence is merged rather than created (``create_evidence``), the state
is read by document and by bucket (index seeks in ``read_state_nodes`` and
``read_state_relations``), digests are taken away and stamped. On a fresh server the first
run of each costs the server 0.01-0.15 s (bench/RESULTS.md, the +1 re-load), more than
writing one article. The warm-up runs those branches once, each part in a transaction that
is rolled back: nothing is written, no other query sees what it did, the database is left
exactly as it was. It runs the loader's own statement texts and no other.

It comes in two parts, so that a load need not wait for it:

- :func:`warm_scratch`, on scratch records only (ids starting with a space): it touches no
  record the database holds, so it runs beside the load's own writes, from the moment the
  load knows it is large (the server is idle while the load plans);
- :func:`warm_stored`, on records the database holds (one node of each label set again as it
  is; the state of a document read): it runs once they are written, beside the load's last
  commit (the digests' stamp) and count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import Driver, Transaction
from neo4j.exceptions import DriverError, Neo4jError

from kg.links import link_kinds
from kg.neo4j.connection import Neo4jSettings, session
from kg.neo4j.cypher import load_statement
from kg.neo4j.rows import document_label
from kg.schema import ENTITY_LABEL, Schema

__all__ = ["SCRATCH", "warm_scratch", "warm_stored"]

SCRATCH = " kg-warm-up"
"""The ids of the scratch records start with this (no record or document id starts with a
space; the buckets of the records of no document are ' <n>')."""


def warm_scratch(driver: Driver, settings: Neo4jSettings, schema: Schema) -> bool:
    """Run a re-load's branches of the loader's statements on scratch records only, in one
    transaction that is rolled back: no record the database holds is read, written or
    locked, so a load's writes may run at the same time. False if the server refused (a
    warm-up is never needed: the load goes on without it)."""
    return _rolled_back(driver, settings, _scratch, schema)


def warm_stored(
    driver: Driver, settings: Neo4jSettings, schema: Schema, docs: Sequence[str] = ()
) -> bool:
    """Run the branches a re-load reaches on records the database holds, in one transaction
    that is rolled back: one node of each label but the documents set again as it is (the
    only records it locks), and the state read as a re-load of the documents ``docs`` (and
    of the first bucket of the records of no document) would read it. False if the server
    refused."""
    return _rolled_back(driver, settings, _stored, schema, list(docs))


def _rolled_back(driver: Driver, settings: Neo4jSettings, work: Any, *args: Any) -> bool:
    try:
        with session(driver, settings, write=True) as s, s.begin_transaction() as tx:
            work(tx, *args)
            tx.rollback()
    except (Neo4jError, DriverError):
        return False
    return True


def _runner(tx: Transaction, schema: Schema) -> Any:
    def run(name: str, names: dict[str, str], **params: Any) -> Any:
        return tx.run(load_statement(name, schema, **names), **params)

    return run


def _scratch(tx: Transaction, schema: Schema) -> None:
    run = _runner(tx, schema)
    types = [schema.link_type(kind) for kind in link_kinds(schema)]
    document = document_label(schema)
    doc = f"{SCRATCH} {document}"
    for label, etype in schema.types.items():
        entity = etype.category == "entity"
        merge = "merge_entities" if entity else "merge_nodes"
        node = f"{SCRATCH} {label}"
        row = {"id": node, "props": {"kg_hash": "", "kg_keys": []}, "keep": None}
        run(merge, {"label": label}, batch={"rows": [row]}, types=types).consume()
        if label == document:
            continue
        # Evidence merged on a record the database may hold; then the record updated, and
        # the link it no longer draws deleted.
        evidence = {"record": node, "document": doc, "key": "k", "props": {}}
        run("create_evidence",
            {"label": ENTITY_LABEL if entity else label, "document": document},
            batch={"rows": [evidence], "records": [], "new": []}).consume()  # fmt: skip
        row = {"id": node, "props": {"kg_hash": "x", "kg_keys": []}, "keep": {}}
        run(merge, {"label": label}, batch={"rows": [row]}, types=types).consume()
    digests = [{"id": doc, "digest": None}, {"id": doc, "digest": "x"}]
    run("stamp_digests", {"label": document}, batch={"rows": digests}).consume()


def _stored(tx: Transaction, schema: Schema, docs: list[str]) -> None:
    run = _runner(tx, schema)
    types = [schema.link_type(kind) for kind in link_kinds(schema)]
    document = document_label(schema)
    # The load's last commit stamps the documents: left alone. Each statement is sent before
    # the one before it is waited for (the server runs them in order): a few round trips,
    # not one per statement, at the end of the load that waits for them.
    labels = [label for label in schema.types if label != document]
    # A node the database holds, its properties set again as they are: the first read of a
    # stored node's values (long strings, lists) in a write.
    found = [(label, run("warm_node", {"label": label})) for label in labels]
    sent = []
    for label, result in found:
        held = result.single()
        if held is not None:
            entity = schema.types[label].category == "entity"
            row = {"id": held["id"], "props": held["props"], "keep": None}
            sent.append(run("merge_entities" if entity else "merge_nodes", {"label": label},
                            batch={"rows": [row]}, types=types))  # fmt: skip
    doc = f"{SCRATCH} {document}"
    scope = {"every": False, "orphans": False, "docs": [doc, *docs], "buckets": [" 0"]}
    sent.append(run("read_state_nodes",
        {"labels": "|".join(schema.types), "document": document, "entity": ENTITY_LABEL},
        sources=False, scope=scope))  # fmt: skip
    relation_types = sorted({r.neo4j_type for r in schema.relations.values()})
    if relation_types:
        sent.append(run("read_state_relations", {"types": "|".join(relation_types)},
                        sources=False, scope={**scope, "keys": [doc, *docs, " 0"]}))  # fmt: skip
    for result in sent:
        result.consume()

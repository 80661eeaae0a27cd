"""Load a Graph into Neo4j: constraints first, then batched, idempotent MERGE per document."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, ManagedTransaction, Result, Session

try:  # the value the driver sends for a date, which its packer writes without calling Python
    from neo4j._codec.packstream import Structure as _Structure
except ImportError:  # pragma: no cover - a driver without it: dates are sent as they are
    _Structure = None

from kg.gcpause import gc_paused
from kg.links import link_kinds
from kg.model import Graph
from kg.neo4j.connection import Neo4jSettings, database_errors, session
from kg.neo4j.cypher import load_statement, render, statement
from kg.neo4j.plan import Plan, Reading, Stored, changed_buckets, plan, split
from kg.neo4j.rows import BUCKETS, Batch, LinkKey, document_label
from kg.neo4j.warm import warm_scratch, warm_stored
from kg.schema import ENTITY_LABEL, Schema

__all__ = [
    "LoadReport",
    "count_graph",
    "ensure_constraints",
    "load_graph",
    "read_digests",
    "read_keys",
    "read_stored",
    "wipe",
]

_SWITCH_INTERVAL = 0.0005
"""Seconds a thread holding the GIL runs before one waiting for it gets it, during a load."""

_COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
             "properties_set")  # fmt: skip


@dataclass
class LoadReport:
    """What a load changed, and what the database holds afterwards."""

    documents: int = 0
    batches: int = 0
    counters: Counter[str] = field(default_factory=Counter)
    nodes: int = 0
    relationships: int = 0
    changes: Counter[str] = field(default_factory=Counter)
    """documents_added, documents_replaced, documents_removed, documents_unchanged,
    nodes_created, nodes_updated, nodes_deleted, relationships_created,
    relationships_updated, relationships_deleted."""

    def summary(self) -> str:
        """One line: what changed."""
        c = self.changes
        return (
            f"documents {c['documents_added']} added, {c['documents_replaced']} replaced,"
            f" {c['documents_removed']} removed, {c['documents_unchanged']} unchanged;"
            f" nodes {c['nodes_created']} created, {c['nodes_updated']} updated,"
            f" {c['nodes_deleted']} deleted; relationships {c['relationships_created']} created,"
            f" {c['relationships_updated']} updated, {c['relationships_deleted']} deleted"
        )


def _link_types(schema: Schema) -> list[str]:
    return [schema.link_type(kind) for kind in link_kinds(schema)]


def _relation_types(schema: Schema) -> list[str]:
    return sorted({r.neo4j_type for r in schema.relations.values()})


def ensure_constraints(driver: Driver, settings: Neo4jSettings, schema: Schema) -> int:
    """A uniqueness constraint on ``id`` for every label the schema defines, and an index on
    ``kg_doc`` for every relation type and the Entity label (IF NOT EXISTS; a new index is
    waited for, so the statements planned next use it)."""
    labels = [*schema.types, ENTITY_LABEL]
    with database_errors(settings), session(driver, settings, write=True) as s:
        have = {(row["node"], row["name"], row["property"])
                for row in s.run(statement("id_constraints"))}  # fmt: skip
        for label in labels:
            if (True, label, "id") not in have:
                s.run(render("constraint", schema, label=label)).consume()
        missing = [t for t in _relation_types(schema) if (False, t, "kg_doc") not in have]
        for rel_type in missing:
            s.run(render("doc_index", schema, type=rel_type)).consume()
        if (True, ENTITY_LABEL, "kg_doc") not in have:  # the entities of no document
            s.run(render("entity_doc_index", schema, label=ENTITY_LABEL)).consume()
            missing.append(ENTITY_LABEL)
        if missing:
            s.run("CALL db.awaitIndexes(300)").consume()
    return len(labels)


def _shared(schema: Schema, found: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """Rows keyed by node label, those of every entity type under the Entity label (which has
    its own uniqueness constraint): one statement for all entities, planned once, where a
    statement per type cost the server about 0.1 s of planning each on its first use."""
    merged: dict[str, list[Any]] = defaultdict(list)
    for label, rows in found.items():
        entity = schema.types[label].category == "entity"
        merged[ENTITY_LABEL if entity else label].extend(rows)
    return dict(merged)


class _Parameters(dict[str, Any]):
    """A statement's ``$batch``: a dict with a short repr. The driver formats the debug line
    of every statement it sends (its text and the repr of its parameters) whether or not
    the line is logged: the repr of the batches cost the writing thread about 0.3 s per
    load of 92,579 rows, while the server waited for the statement."""

    def __repr__(self) -> str:
        return f"<$batch of {len(self.get('rows', ()))} rows, {len(self.get('new', ()))} targets>"


def _counted(result: Result, counters: Counter[str]) -> list[Any]:
    """Wait for a statement sent (``tx.run``); add its counters; return the values of its one
    row (if any)."""
    record = result.single()
    summary = result.consume()
    for name in _COUNTERS:
        counters[name] += getattr(summary.counters, name)
    return [] if record is None else list(record.values())


@dataclass
class _Sent:
    """A statement sent (``_send``), and the ``$batch`` it was sent with."""

    result: Result
    batch: _Parameters

    def wait(self, counters: Counter[str]) -> list[Any]:
        """``_counted``; then the ``$batch`` lets go of its rows. The driver keeps the
        parameters with the statement's summary, in reference cycles of its own objects:
        with the collector paused during a load (``load_graph``), every batch's rows would
        stay until the load ends (+540 MiB at 10,000 articles). The batch keeps them for a
        retried transaction."""
        try:
            return _counted(self.result, counters)
        finally:
            self.batch.clear()


def _send(tx: ManagedTransaction, query: Any, batch: Mapping[str, Any], **params: Any) -> _Sent:
    """Send one statement of a batch, without waiting for it: the server runs the statements
    of a transaction in the order they were sent. ``batch`` is sent as ``$batch``."""
    shell = _Parameters(batch)  # its own: emptied once the statement has run (``_Sent``)
    return _Sent(tx.run(query, batch=shell, **params), shell)


def _run(tx: ManagedTransaction, query: Any, counters: Counter[str], **params: Any) -> list[Any]:
    """Run one statement; add its counters; return the values of its one row (if any)."""
    return _counted(tx.run(query, **params), counters)


def _split(rows: list[dict[str, Any]], new: Collection[str], end: str) -> dict[str, Any]:
    """Link or evidence rows as ``$batch``: of the records ``new`` (created), by their target
    (the row's ``end``): ``records`` (each new record once), ``new`` (``{id, links}`` per
    target, each link ``[record, key, props]``, ``record`` its position in ``records``: a
    list, cheaper to make and to send than a map); of the others (merged), ``rows`` as they
    are."""
    if not new:
        return {"rows": rows, "records": [], "new": []}
    positions: dict[str, int] = {}
    targets: dict[str, list[list[Any]]] = defaultdict(list)
    merged = []
    for row in rows:
        record = row["record"]
        if record not in new:
            merged.append(row)
            continue
        position = positions.setdefault(record, len(positions))
        targets[row[end]].append([position, row["key"], row["props"]])
    grouped = [{"id": target, "links": links} for target, links in targets.items()]
    return {"rows": merged, "records": list(positions), "new": grouped}


def _grouped(batch: Batch, key: LinkKey | str, rows: list[dict[str, Any]], new: set[str],
             end: str) -> dict[str, Any]:  # fmt: skip
    """The ``$batch`` of the links or evidence ``rows`` (``_split`` by ``new``): as the
    building thread grouped them (``_group``), unless ``new`` is no longer the batch's."""
    found = batch.grouped.get(key) if new is batch.new else None
    return _split(rows, new, end) if found is None else found


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _sent_dates(props: dict[str, Any]) -> None:
    """Replace each date among ``props`` by what the driver sends for it: Bolt's Date
    structure (tag ``D``, days since 1970-01-01, as the driver's own dehydration makes it),
    which its packer writes without calling back into Python. A date object costs a call of
    the driver's Python hook as the statement is packed, on the writing thread, while the
    server waits for the statement, and each call lets the building thread take the GIL:
    packing the node statement of 5,000 incidents took 40 ms alone, 91-97 ms beside a busy
    thread, against 10-11 ms with the structures (bench/RESULTS.md, round twenty-three).
    A datetime (a subclass of date) is left as it is."""
    if _Structure is None:
        return
    for key, value in props.items():
        if type(value) is dt.date:
            props[key] = _Structure(b"D", value.toordinal() - _EPOCH)


def _group(batch: Batch, schema: Schema) -> Batch:
    """Group the links and evidence of a batch's new records by target (``_split``), and put
    the dates of its nodes and relations in the form the driver sends (``_sent_dates``), in
    the thread that built it, while the batch before it is written: the writing thread,
    which the server waits for between two statements, only sends them."""
    for rows in [*batch.nodes.values(), *batch.relations.values()]:
        for row in rows:
            _sent_dates(row["props"])
    for key, rows in batch.links.items():
        batch.grouped[key] = _split(rows, batch.new, "target")
    for label, rows in _shared(schema, batch.evidence).items():
        batch.grouped[label] = _split(rows, batch.new, "document")
    return batch


def _write(tx: ManagedTransaction, batch: Batch, schema: Schema, parts: tuple[str, ...],
           spent: list[Batch] | None = None) -> Counter[str]:  # fmt: skip
    """All statements of one batch, in one transaction: nodes, links, evidence, relations.

    Each statement is sent before the one before it has finished (the server runs them in
    order): the server runs one while the next one is packed and sent. The node statements
    are waited for before any link is sent (what they return decides how links are written).
    ``spent`` holds the batch written before this one (``_pipelined``): let go of once the
    node statements are sent, while the server runs them (without them, once the attempt
    ends, still on this thread).

    Returns the counters of this attempt; the caller adds them up once the transaction has
    committed, so a retried attempt is not counted twice.
    """
    counters: Counter[str] = Counter()
    # Links are created only for records whose node statement ran (and checked) in this transaction.
    new = batch.new if "nodes" in parts else set()
    if "nodes" in parts:  # and the links a record the database holds no longer draws
        types = _link_types(schema)
        sent = []
        for label, rows in batch.nodes.items():
            entity = schema.types[label].category == "entity"
            query = load_statement(
                "merge_entities" if entity else "merge_nodes", schema, label=label
            )
            sent.append(_send(tx, query, batch={"rows": rows}, types=types))
        if spent:
            spent.clear()
        for done in sent:
            held = done.wait(counters)
            if held and held[0]:  # written by a concurrent load since the plan read them
                new = new - set(held[0])
    sent = []
    if "links" in parts:
        for key, rows in batch.links.items():
            rel_type, label, target = key
            query = load_statement(
                "create_links", schema, label=label, target=target, type=rel_type
            )
            sent.append(_send(tx, query, batch=_grouped(batch, key, rows, new, "target")))
        # The evidence of every entity type in one statement on the Entity label.
        for label, rows in _shared(schema, batch.evidence).items():
            query = load_statement(
                "create_evidence", schema, label=label, document=document_label(schema)
            )
            sent.append(_send(tx, query, batch=_grouped(batch, label, rows, new, "document")))
    if "relations" in parts:
        for (rel_type, source, target), rows in batch.relations.items():
            query = load_statement(
                "merge_relations", schema, source=source, target=target, type=rel_type
            )
            sent.append(_send(tx, query, batch={"rows": rows}))
        for document_type in schema.of_category("document") if batch.documents else ():
            query = load_statement("stamp_documents", schema, label=document_type.name)
            sent.append(_send(tx, query, batch={"rows": batch.documents}))
    for done in sent:
        done.wait(counters)
    return counters


def _unstamped_first(tx: ManagedTransaction, batch: Batch, schema: Schema,
                     parts: tuple[str, ...], unstamp: list[str]) -> Counter[str]:  # fmt: skip
    """The first batch of a load, in the transaction that first takes away the ``kg_digest``
    of the documents ``unstamp`` (sent first, so the server runs it first; not counted): one
    transaction fewer than a transaction of its own, and as safe (nothing is written unless
    that is)."""
    stamp = load_statement("stamp_digests", schema, label=document_label(schema))
    taken = tx.run(stamp, batch={"rows": [{"id": doc, "digest": None} for doc in unstamp]})
    counters = _write(tx, batch, schema, parts)
    taken.consume()
    return counters


def _pipelined(s: Session, schema: Schema, work: Iterable[tuple[Batch, tuple[str, ...]]],
               unstamp: list[str] | None = None,
               ) -> Iterator[tuple[Counter[str], int, tuple[str, ...]]]:  # fmt: skip
    """Write the batches of ``work`` (each with the parts of it to write) one after the other,
    each in its own transaction, while the next one is built: one thread writes batch N (the
    driver releases the GIL while it waits for the server) as this one builds batch N+1 (and
    groups its links, ``_group``). Yields each batch's counters and number of documents once
    it has committed, in order. At most three batches are in memory: the one written, the one
    built, and the one before until the writing thread lets go of it. An error stops the load
    at that batch. The documents ``unstamp`` lose their digest in the first batch's
    transaction, before it writes anything (``_unstamped_first``); the caller does it if
    there is no batch.

    A batch committed is let go of by the writing thread, once it has sent the next batch's
    node statements (``_write``), not here: freeing the rows of 20,000 (some 20 ms, holding
    the GIL) between two transactions kept the server waiting each time."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-load") as pool:
        pending: tuple[Future[Counter[str]], Batch, tuple[str, ...]] | None = None
        for batch, parts in work:
            if "links" in parts:
                _group(batch, schema)
            spent: list[Batch] = []  # the batch before, once committed: the writer's to let go
            finished = None
            if pending is not None:
                future, done, done_parts = pending
                pending = None
                finished = future.result(), len(done.documents), done_parts
                spent.append(done)
                del done
            if unstamp:
                future = pool.submit(s.execute_write, _unstamped_first, batch, schema, parts,
                                     unstamp)  # fmt: skip
                unstamp = None
            else:
                future = pool.submit(s.execute_write, _write, batch, schema, parts, spent)
            pending = future, batch, parts
            if finished is not None:
                yield finished
        if pending is not None:
            yield pending[0].result(), len(pending[1].documents), pending[2]


def read_digests(driver: Driver, settings: Neo4jSettings, schema: Schema) -> dict[str, str | None]:
    """Every document's ``kg_digest`` (None: none stamped), by document id."""
    found: dict[str, str | None] = {}
    with database_errors(settings), session(driver, settings) as s:
        for document_type in schema.of_category("document"):
            query = load_statement("read_digests", schema, label=document_type.name)
            found.update(s.run(query).single(strict=True)["digests"])
    return found


def read_stored(
    driver: Driver,
    settings: Neo4jSettings,
    schema: Schema,
    *,
    sources: bool = False,
    docs: Collection[str] | None = None,
    digests: Mapping[str, str | None] | None = None,
    orphans: Collection[str] | None = None,
) -> Stored:
    """Every kg node and relation in the database with the hash it was written with (and,
    with ``sources``, the documents of each one's evidence). One query for the nodes of every
    label, one for every relation type: ids and hashes only (the property keys are read for
    what is rewritten). Both run on a first load and on a re-load: one plan each.

    With ``docs``, only the documents ``docs``, the records whose evidence cites one of them
    and those of no document (entities, and relations of types whose evidence is optional)
    of the buckets ``orphans`` (``kg_doc``, ``rows.bucket``; None: all of them, found by
    their lack of evidence), with the names the nodes' ``kg_keys`` list: the
    ``Stored.scope`` of a re-load, ``digests`` (as read by :func:`read_digests`) telling the
    plan which documents need no comparison. With no document in ``docs`` and no bucket in
    ``orphans``, nothing is read: every digest is the graph's."""
    nodes: dict[str, tuple[str, str | None, tuple[str, ...] | None]] = {}
    relations: dict[str, tuple[str, str | None]] = {}
    documents: dict[str, tuple[str, ...]] = {}
    some = None if docs is None else sorted(docs)
    buckets = None if orphans is None else sorted(orphans)
    if some == [] and buckets == []:
        return Stored(digests=dict(digests or {}), scope=frozenset(), orphans=frozenset())
    every = some is None
    scope = {"every": every, "orphans": buckets is None, "docs": some or [],
             "buckets": [] if every else buckets or []}  # fmt: skip
    types = _relation_types(schema)

    def read_relations() -> dict[str, Any] | None:
        if not types:
            return None
        # Relations by their kg_doc: the documents in scope, and the buckets read.
        every_bucket = [f" {n}" for n in range(BUCKETS)]
        keys = [*(some or []), *(every_bucket if buckets is None else buckets)]
        query = load_statement("read_state_relations", schema, types="|".join(types))
        with database_errors(settings), session(driver, settings) as s:
            row = s.run(query, sources=sources, scope={**scope, "keys": [] if every else keys})
            return dict(row.single(strict=True))

    # The relations are read in a session of their own while the nodes are read: the
    # server runs both at once (the driver releases the GIL while it waits for it).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-read-relations") as pool:
        pending = pool.submit(read_relations)
        with database_errors(settings), session(driver, settings) as s:
            query = load_statement("read_state_nodes", schema, labels="|".join(schema.types),
                                   document=document_label(schema),
                                   entity=ENTITY_LABEL)  # fmt: skip
            for found, node_id, keys, cited, *labels in s.run(
                query, sources=sources, scope=scope
            ).single(strict=True)[0]:
                label = next(name for name in labels if name in schema.types)
                nodes[node_id] = (label, found or None, None if keys is None else tuple(keys))
                if cited is not None:
                    documents[node_id] = tuple(cited)
        row = pending.result()
    if row is not None:
        for item in row["hashes"]:
            rel_type, found, rel_id = item.split(" ", 2)
            relations[rel_id] = (rel_type, found or None)
        documents.update((i, tuple(cited)) for i, cited in row["documents"])
    held = None if some is None else frozenset(some)
    return Stored(nodes, relations, documents if sources else {}, dict(digests or {}), held,
                  None if buckets is None else frozenset(buckets))  # fmt: skip


def read_keys(
    driver: Driver, settings: Neo4jSettings, schema: Schema, ids: dict[str, list[str]]
) -> dict[str, tuple[str, ...]]:
    """The names the nodes' ``kg_keys`` list (label -> ids), to null those kg no longer writes."""
    keys: dict[str, tuple[str, ...]] = {}
    if not ids:
        return keys  # nothing rewritten that was read without its keys (most re-loads)
    with database_errors(settings), session(driver, settings) as s:
        for label, some in _shared(schema, ids).items():
            query = load_statement("read_keys", schema, label=label)
            for row in s.run(query, batch={"rows": some}):
                keys[row["id"]] = tuple(row["keys"] or ())
    return keys


def _delete(tx: ManagedTransaction, stale: dict[str, list[str]], schema: Schema) -> Counter[str]:
    counters: Counter[str] = Counter()
    for name, ids in stale.items():
        if name in schema.types:
            query = load_statement("delete_nodes", schema, label=name)
        else:
            query = load_statement("delete_relations", schema, type=name)
        _run(tx, query, counters, batch={"rows": ids})
    return counters


def _stamp(tx: ManagedTransaction, digests: Mapping[str, str | None], schema: Schema) -> None:
    """Set (or, for None, take away) documents' ``kg_digest``: not a change the report counts."""
    rows = [{"id": doc, "digest": value} for doc, value in digests.items()]
    tx.run(load_statement("stamp_digests", schema, label=document_label(schema)),
           batch={"rows": rows}).consume()  # fmt: skip


def _finish(tx: ManagedTransaction, todo: Plan, schema: Schema) -> Counter[str]:
    """Delete what the graph no longer has, then stamp the documents' new digests."""
    counters = _delete(tx, todo.stale, schema)
    if todo.digests:
        _stamp(tx, todo.digests, schema)
    return counters


def load_graph(
    driver: Driver,
    settings: Neo4jSettings,
    graph: Graph,
    schema: Schema,
    *,
    batch_size: int = 20_000,
    progress: Callable[[int], None] | None = None,
    keep_others: bool = False,
    fingerprints: Mapping[str, str] | None = None,
) -> LoadReport:
    """Make the database equal to ``graph``, writing only what differs, each fact once.

    The loader compares the content hash of every record (and of every document, which
    covers the records it supports) with the one the database holds: unchanged documents are
    skipped, changed ones replaced, and records the graph no longer has deleted. Only the
    records of documents whose digest (``kg_digest``: the document and every record citing
    it) differs from the database's are read and compared, and those of no document. Entities are
    written first; then each batch of whole documents is one managed write transaction
    (retried on transient errors) holding every fact first written with them, so a fact is
    in the database iff one of its documents is complete. ``progress`` is called with the
    number of documents finished after each batch. ``keep_others`` keeps what other graphs
    loaded into the same database (see ``kg.neo4j.plan.plan``). ``fingerprints`` (record
    id -> digest, such as the build keeps) spares hashing those records (``plan``).
    """
    # The graph's objects stay as they are during the load: the collector need not scan them
    # again and again while the rows are built (a quarter of the time at 1,000 articles).
    # Nor need it scan the rows (acyclic, freed as they are sent): some 500 passes and 0.3 s
    # per load of 92,579 rows, holding the GIL the writing thread waits for.
    gc.freeze()
    # The writing thread needs the GIL for a moment whenever the server answers, while this
    # thread builds the next batch: by default it waits up to 5 ms for it each time, and so
    # does the server (bench/RESULTS.md, round twenty-one).
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, _SWITCH_INTERVAL))
    try:
        with gc_paused():
            return _load(
                driver, settings, graph, schema, batch_size, progress, keep_others, fingerprints
            )
    finally:
        sys.setswitchinterval(switch)
        gc.unfreeze()


def _load(
    driver: Driver,
    settings: Neo4jSettings,
    graph: Graph,
    schema: Schema,
    batch_size: int,
    progress: Callable[[int], None] | None,
    keep_others: bool,
    fingerprints: Mapping[str, str] | None,
) -> LoadReport:
    report = LoadReport(documents=len(graph.documents))

    def digests() -> dict[str, str | None]:
        ensure_constraints(driver, settings, schema)
        return read_digests(driver, settings, schema)

    # The documents' digests are read (and the constraints made) while the plan hashes the
    # graph: the driver releases the GIL while it waits for the server. Then only the records
    # of the documents whose digest differs are read, unless they are many (then reading
    # every label is cheaper than following their evidence) or other graphs share the
    # database (whose loads stamp no digest). When the database holds no digest (a first
    # load), every record is read whatever the graph's digests: as soon as that is known
    # (asked while the plan hashes the graph), and the plan compares what it read (on an
    # empty database: the entities first, the rest while they are written). Nothing is written
    # before the plan is made (or its entities' part, into an empty database).
    # After a large load, the server runs the branches of its statements that only re-loads
    # reach, once, rolled back (kg.neo4j.warm), so that the first re-load after it does not
    # pay for them: on scratch records from the moment the load knows it is large (the server
    # is idle while the plan is made and the first batch built; the load's writes may run
    # beside it), on records the database holds once they are written, beside the last
    # commit and the count. The load waits for both.
    large: list[bool] = []  # whether the plan read every record (a first load)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-warm") as warming:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-read") as pool:
            held = pool.submit(digests)

            def read(some: Collection[str] | None, before: Mapping[str, str | None],
                     orphans: frozenset[str] | None) -> Stored:  # fmt: skip
                large.append(some is None and bool(graph.documents))
                if large[0]:
                    warming.submit(warm_scratch, driver, settings, schema)
                return read_stored(driver, settings, schema, sources=keep_others, docs=some,
                                   digests=before, orphans=orphans)  # fmt: skip

            def early() -> Stored | None:
                """Every record the database holds, once the digests read shows that it
                holds no digest (what is read then depends on none of the graph's): read at
                once, the plan waiting (None: not known yet, or it holds some)."""
                if keep_others or not held.done() or held.result():
                    return None
                return read(None, {}, None)

            def database(now: Mapping[str, str]) -> Reading:
                before = held.result()
                (was, lone_was), (own, lone) = split(before), split(now)
                scope = {d for d, v in own.items() if was.get(d) != v}
                scope.update(d for d in before if d not in now)
                some = None if keep_others or not now or 4 * len(scope) > len(now) else scope
                # The records of no document have digests of their own, by bucket (in the first
                # document's): only the buckets whose digest differs are read. Read while the
                # plan prepares its side of the comparison.
                orphans = changed_buckets(lone_was, lone)
                reading = pool.submit(read, some, before, orphans)
                return Reading(None if some is None else frozenset(some), orphans,
                               reading.result)  # fmt: skip

            todo = plan(graph, schema, database, keep_others=keep_others,
                        fingerprints=fingerprints, early=early)  # fmt: skip
        todo.keys = read_keys(driver, settings, schema, todo.rewritten())
        everything = ("nodes", "links", "relations")
        with database_errors(settings), session(driver, settings, write=True) as s:
            # A record's node is written (and so locked) in the same transaction that redraws
            # its links: a concurrent load waits for it, then sees its links, and never draws
            # them twice. A link to an entity of a later batch MERGEs a stub that the later
            # batch fills in. The entities, then the documents, in one pipeline: the first
            # batch of documents is built while the last of entities is written (no pause).
            work = itertools.chain(
                ((batch, ("nodes", "links")) for batch in todo.entity_batches(batch_size)),
                ((batch, everything) for batch in todo.document_batches(batch_size)),
            )
            written = False
            for counters, documents, parts in _pipelined(s, schema, work, todo.unstamp):
                report.counters += counters
                written = True
                if parts is everything:
                    report.batches += 1
                    if progress is not None:
                        progress(documents)
            if large and large[0]:
                warming.submit(warm_stored, driver, settings, schema, list(graph.documents)[:1])
            if todo.unstamp and not written:  # else taken away with the first batch
                s.execute_write(_stamp, dict.fromkeys(todo.unstamp), schema)
            if todo.stale or todo.digests:
                report.counters += s.execute_write(_finish, todo, schema)
            report.nodes, report.relationships = count_graph(driver, settings)
    nodes_updated, relations_updated = todo.updated
    c = report.counters
    report.changes.update(
        documents_added=todo.count("added"),
        documents_replaced=todo.count("replaced"),
        documents_unchanged=todo.count("unchanged"),
        documents_removed=todo.removed,
        nodes_created=c["nodes_created"],
        nodes_updated=nodes_updated,
        nodes_deleted=c["nodes_deleted"],
        relationships_created=c["relationships_created"],
        relationships_updated=relations_updated,
        relationships_deleted=c["relationships_deleted"],
    )
    return report


def count_graph(driver: Driver, settings: Neo4jSettings) -> tuple[int, int]:
    """Numbers of nodes and relationships in the database."""
    with database_errors(settings), session(driver, settings) as s:
        row = s.run(  # one statement: one to plan, one round trip (both from the count store)
            "CALL { MATCH (n) RETURN count(n) AS nodes } "
            "CALL { MATCH ()-[r]->() RETURN count(r) AS relationships } "
            "RETURN nodes, relationships"
        ).single(strict=True)
    return int(row["nodes"]), int(row["relationships"])


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

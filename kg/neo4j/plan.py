"""What a load writes: each record whose content hash differs from the database's, once.

Every node and relation the loader writes carries ``kg_hash``, the hash of all it writes (its
properties, links and evidence); a Document's hash also covers its own part of every record
its evidence supports: its quotes and the values it states (a record is shared by many
documents: a new quote elsewhere rewrites the record, not this document).
Comparing them with the graph's gives the difference to apply: records to
write (each in one batch, the first of its documents in load order), documents added,
replaced, removed or unchanged, and the records the graph no longer has.

A Document also carries ``kg_digest``, a digest of the document and of the fingerprint of
every record its evidence supports; the first document's is followed by the digests of the
records of no document, in ``rows.BUCKETS`` buckets by id (see :func:`split`): a re-load
reads those first, and then only the records of the documents and buckets whose digest
differs (by their ``kg_doc``), not every record.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, KeysView, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Generic, TypeVar, cast, overload

from kg.model import Graph, Relation
from kg.neo4j.rows import BUCKETS, Batch, Record, Rows, Writer, bucket
from kg.schema import Schema

__all__ = [
    "Plan",
    "Reading",
    "Stored",
    "batches",
    "changed_buckets",
    "document_digest",
    "plan",
    "split",
]

_DOCUMENT = attrgetter("document")


@dataclass(frozen=True)
class Stored:
    """What the database holds: every kg node and relation, with the hash it was written with."""

    nodes: Mapping[str, tuple[str, str | None, tuple[str, ...] | None]] = field(
        default_factory=dict
    )
    """id -> (label, kg_hash or None for a stub or an older load, the names its ``kg_keys``
    lists, or None when they were not read)"""
    relations: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)
    """id -> (relationship type, kg_hash)"""
    documents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """id -> the documents its evidence comes from (read only to keep other graphs' facts)"""
    digests: Mapping[str, str | None] = field(default_factory=dict)
    """Document id -> its ``kg_digest`` (None: none stamped), for every document held."""
    scope: frozenset[str] | None = None
    """The documents whose records ``nodes`` and ``relations`` hold (those and, when
    ``orphans``, the records of no document, besides the documents): the others' digests are
    the graph's. ``relations`` holds only those whose first document (``kg_doc``, the one whose
    digest covers them) is in scope. None: every record is there."""
    orphans: frozenset[str] | None = None
    """The buckets (``kg_doc`` of the records of no document, ``rows.bucket``) whose records
    a ``scope`` holds (None: every record of no document): a bucket needs reading only when
    its digest (in the first document's, :func:`split`) differs."""

    def hash(self, record_id: str) -> str | None:
        found = self.nodes.get(record_id) or self.relations.get(record_id)
        return found[1] if found else None


@dataclass(frozen=True)
class Reading:
    """The database being read: what ``plan``'s ``stored`` may return instead of the
    :class:`Stored`, so that the plan prepares the graph's side of the comparison meanwhile
    (the records in scope, their fingerprints and each document's part of them)."""

    scope: frozenset[str] | None
    """The ``Stored.scope`` of what is read."""
    orphans: frozenset[str] | None
    """The ``Stored.orphans`` of what is read."""
    result: Callable[[], Stored]
    """Waits for the read; what it read."""


_T = TypeVar("_T")


class _Later(Generic[_T]):
    """A part of a :class:`Plan` that a plan into an empty database makes when first asked
    for: reading it (``plan.changed``) completes the plan (``Plan.complete``), then gives
    the field of the same name with a leading underscore."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = f"_{name}"

    @overload
    def __get__(self, plan: None, owner: type) -> _Later[_T]: ...
    @overload
    def __get__(self, plan: Plan, owner: type | None = None) -> _T: ...
    def __get__(self, plan: Plan | None, owner: type | None = None) -> _T | _Later[_T]:
        if plan is None:  # read on the class (help, introspection): the descriptor
            return self
        return cast(_T, getattr(plan.complete(), self.field))


@dataclass
class Plan:
    """The difference between a graph and the database, and the batches that apply it."""

    graph: Graph
    writer: Writer
    stored: Stored
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Node id -> the names its ``kg_keys`` lists (read for ``rewritten`` only): the schema's
    properties and a document's metadata kg wrote on it; the names every node of its kind has
    are known without it (``rows.owned_props``)."""
    unstamp: list[str] = field(default_factory=list)
    """Documents whose ``kg_digest`` goes before anything is written: a load that stops
    half way leaves them to be compared record by record, not skipped."""
    _changed: set[str] = field(default_factory=set)
    _by_document: dict[str | None, list[str]] = field(default_factory=dict)
    _supports: dict[str, list[str]] = field(default_factory=dict)
    _documents: dict[str, str] = field(default_factory=dict)
    _stale: dict[str, list[str]] = field(default_factory=dict)
    _digests: dict[str, str] = field(default_factory=dict)
    _rest: Callable[[], None] | None = None
    _unchanged: set[str] | None = None

    def complete(self) -> Plan:
        """Make what the plan left for later, if anything (into an empty database: all but
        the entities, see :func:`plan`); every part of the plan but the entities' asks for it."""
        rest, self._rest = self._rest, None
        if rest is not None:
            rest()
        return self

    changed = _Later[set[str]]()
    """Ids of the records and relations to write."""
    by_document = _Later[dict[str | None, list[str]]]()
    """Document (None: no evidence) -> incidents, claims and relations written with it."""
    supports = _Later[dict[str, list[str]]]()
    """Document -> its own part of every record its evidence supports (quotes, values)."""
    documents = _Later[dict[str, str]]()
    """Document -> added, replaced or unchanged."""
    stale = _Later[dict[str, list[str]]]()
    """Node label or relationship type -> ids the graph no longer has."""
    digests = _Later[dict[str, str]]()
    """Document -> its new ``kg_digest``, stamped once everything is written."""

    def count(self, state: str) -> int:
        return sum(1 for s in self.documents.values() if s == state)

    @property
    def removed(self) -> int:
        """Documents in the database that the graph no longer has."""
        labels = {t.name for t in self.writer.schema.of_category("document")}
        gone = [i for i in self.stored.nodes if i not in self.graph.documents]
        return sum(1 for i in gone if self.stored.nodes[i][0] in labels and self.stored.hash(i))

    @property
    def updated(self) -> tuple[int, int]:
        """Nodes and relations this plan rewrites that the database already had."""
        docs = [d for d, s in self.documents.items() if s == "replaced"]
        nodes = sum(1 for i in [*self.changed, *docs] if self.stored.hash(i) is not None
                    and i in self.stored.nodes)  # fmt: skip
        return nodes, sum(1 for i in self.changed if i in self.stored.relations)

    def rewritten(self) -> dict[str, list[str]]:
        """Label -> ids of the nodes the database has that this plan writes again, whose
        property keys were not read with their hash."""
        if not self.stored.nodes:
            return {}  # none held: asked before the rest of a plan into an empty database
        found: dict[str, list[str]] = defaultdict(list)
        docs = [d for d, s in self.documents.items() if s == "replaced"]
        for node_id in [*self.changed, *docs]:
            previous = self.stored.nodes.get(node_id)
            if previous is not None and previous[2] is None:
                found[previous[0]].append(node_id)
        return {label: sorted(ids) for label, ids in sorted(found.items())}

    def _add(self, batch: Batch, rows: Rows) -> None:
        previous = self.stored.nodes.get(rows.id)
        gone = self.keys.get(rows.id) or (previous[2] or () if previous else ())
        # A record's quotes in an unchanged document are in the database as they are (the
        # document's hash covers them): a popular entity gains only its new evidence.
        held = self.unchanged if previous and previous[1] else ()
        batch.add(rows, gone, stored=previous is not None, held=held)

    @property
    def unchanged(self) -> set[str]:
        """Documents whose hash the database holds as it is."""
        if self._unchanged is None:
            self._unchanged = {d for d, s in self.documents.items() if s == "unchanged"}
        return self._unchanged

    def entity_batches(self, batch_size: int) -> Iterator[Batch]:
        """The entities to write (shared by all documents), before any document. The first
        batch is a tenth of the others: the server starts writing as soon as it is built,
        and the next one is built meanwhile. What a plan into an empty database left for
        later (:func:`plan`) is made once the second is sent: while the server writes it,
        the longest it works alone before the documents."""
        batch, limit, changed = Batch(), max(batch_size // 10, 1), self._changed
        sent = 0
        for entity in self.graph.entities.values():  # compared before the plan returned
            if entity.id in changed:
                self._add(batch, self.writer.rows(entity))
                if batch.size >= limit:
                    yield batch
                    batch, limit, sent = Batch(), batch_size, sent + 1
                    if sent == 2:  # the rest of the plan, while the server writes this one
                        self.complete()
        if batch.size:
            yield batch

    def document_batches(self, batch_size: int) -> Iterator[Batch]:
        """Batches of whole documents: each document to write with the facts first written
        with it, then the facts with no evidence. Built as they are written (bounded memory)."""
        graph, batch = self.graph, Batch()
        documents, by_document, supports = self.documents, self.by_document, self.supports
        for doc_id, state in documents.items():
            if doc_id not in by_document:
                continue  # unchanged, and none of its facts to write
            if state != "unchanged":  # else only facts first written with it
                batch.documents.append(doc_id)
                document = graph.documents[doc_id]
                self._add(batch, self.writer.document(document, supports[doc_id]))
            for record_id in by_document.get(doc_id, ()):
                self._add(batch, self.writer.rows(_record(graph, record_id)))
            if batch.size >= batch_size:
                yield batch
                batch = Batch()
        for record_id in by_document.get(None, ()):
            self._add(batch, self.writer.rows(_record(graph, record_id)))
        if batch.size or batch.documents:
            yield batch


def _record(graph: Graph, record_id: str) -> Record | Relation:
    for table in (graph.incidents, graph.claims, graph.relations):
        found = table.get(record_id)
        if found is not None:
            return found
    raise KeyError(record_id)


def _cited(record: Record | Relation, known: KeysView[str]) -> list[str]:
    """The documents of the graph that a record's evidence cites, sorted."""
    cited = set(map(_DOCUMENT, record.evidence))
    return sorted(cited if cited <= known else cited & known)


def split(
    digests: Mapping[str, str | None],
) -> tuple[dict[str, str | None], dict[str, str] | None]:
    """Documents' ``kg_digest`` as the documents' own digests, and the digests of the records
    of no document by bucket (``rows.bucket``: ' <n>'; the rest of the first document's;
    None without them)."""
    own = {d: None if v is None else v.split(" ", 1)[0] for d, v in digests.items()}
    value = digests[min(digests)] if digests else None
    lone = [] if value is None else value.split(" ")[1:]
    return own, {f" {n}": v for n, v in enumerate(lone)} if len(lone) == BUCKETS else None


def changed_buckets(
    before: dict[str, str] | None, now: dict[str, str] | None
) -> frozenset[str] | None:
    """The buckets of the records of no document whose digest differs (None: every one, when
    the database holds none, such as after a load that stopped half way)."""
    if before is None or now is None:
        return None
    return frozenset(k for k, v in now.items() if before.get(k) != v)


def document_digest(salt: str, document: object, parts: list[str], given: str | None = None) -> str:
    """A document's ``kg_digest``: the document (or ``given``, the build's digest of it) and
    ``parts`` (what it covers of the records citing it), with the schema and row format
    (``salt``)."""
    parts.sort()
    text = "\n".join([salt, repr(document) if given is None else "\0" + given, *parts])
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def plan(
    graph: Graph,
    schema: Schema,
    stored: Stored | Callable[[Mapping[str, str]], Stored | Reading] | None = None,
    *,
    keep_others: bool = False,
    fingerprints: Mapping[str, str] | None = None,
    early: Callable[[], Stored | None] | None = None,
) -> Plan:
    """The plan that makes the database (``stored``; empty if None) equal to ``graph``.

    ``stored`` may also be a function of the documents' digests (id -> ``kg_digest``) that
    returns it (such as a pending read): it is called once every record is fingerprinted
    and every document digested, so the database can be read meanwhile, and it may hold only
    the records of the documents whose digest differs (``Stored.scope``): the others are the
    database's as they are. It may also return a :class:`Reading` of it: the plan then
    prepares its side of the comparison while the database is read. ``early`` (such as a
    read of a database that holds no digest, which depends on none of the graph's) is asked
    for it while the records are fingerprinted, until it gives it (then ``stored`` is not
    called).

    Into a database that holds nothing of kg's (a first load), the plan returned has
    compared the entities only, which are written first, and checked every record against
    the schema: the rest (the other records, the documents and their digests) is made when
    first asked for (``Plan.complete``), while the server writes the entities.

    With ``keep_others``, the database may also hold other graphs (several workspaces loaded
    into one database): a record the graph lacks is deleted only if every document of its
    evidence is one of the graph's (a fact those documents no longer state), and documents the
    graph lacks stay. Such a load stamps no digest (another graph may rewrite the records of
    a document) and takes away those it finds.

    Here each record is only fingerprinted (cheap); the batches build the rows of the
    records written, as they are written. ``fingerprints`` (record id -> digest of the
    record and its statements, such as the build keeps) spares hashing the records it names;
    the others are hashed here. Those it holds for documents (document id -> digest of what
    the document was read from) stand for the documents in their digests. A load with and
    one without them differ in every hash (the first rewrites everything once), so a caller
    gives them on every load or never.
    """
    making = _Making(graph, schema, fingerprints)
    held = making.scan(early)  # None: every record fingerprinted, ``early`` gave nothing
    if held is None:
        found = stored(making.digests()) if callable(stored) else stored
        if isinstance(found, Reading):  # the comparison prepared while the database is read
            making.prepare(found.scope, found.orphans)
            found = found.result()
        held = found or Stored()
    result = Plan(graph, making.writer, held)
    if (
        making.prepared is None
        and held.scope is None
        and not (held.nodes or held.relations or held.digests)
    ):
        making.entities_first(result)
        result._rest = lambda: making.finish(result, keep_others, entities_compared=True)
    else:
        making.finish(result, keep_others)
    return result


class _Making:
    """A plan being made: the graph's own part first (what each record hashes to, each
    document's digest), then the comparison with the database."""

    def __init__(self, graph: Graph, schema: Schema, fingerprints: Mapping[str, str] | None):
        self.graph = graph
        self.writer = writer = Writer(graph, schema, fingerprints)
        self.order = {doc: i for i, doc in enumerate(graph.documents)}
        self.records: list[Record | Relation] = [
            *graph.entities.values(), *graph.incidents.values(), *graph.claims.values(),
            *graph.relations.values(),
        ]  # fmt: skip
        self.entities = len(graph.entities)
        self.relations = len(self.records) - len(graph.relations)
        self.citing: dict[str, list[int]] = defaultdict(list)
        self.orphans: dict[str, list[int]] = defaultdict(list)  # bucket -> records of no document
        self.parts: dict[str, list[str]] = defaultdict(list)
        self.lone: dict[str, list[str]] = defaultdict(list)  # bucket -> their fingerprints
        self.shared: set[str] = set()
        self.scanned = 0  # records fingerprinted so far
        self._digests: dict[str, str] | None = None
        self.given, self.fingerprint_of = writer.given, writer.fingerprint
        self.known = graph.documents.keys()
        self.supports: dict[str, list[str]] = defaultdict(list)
        self.by_document: dict[str | None, list[str]] = defaultdict(list)
        self.prepared: (
            tuple[tuple[frozenset[str] | None, frozenset[str] | None],
                  list[tuple[int, list[str], str]], dict[str, str]] | None
        ) = None  # fmt: skip

    def scan(self, early: Callable[[], Stored | None] | None, step: int = 1024) -> Stored | None:
        """Fingerprint the records not yet fingerprinted, asking ``early`` for the database
        before each ``step`` of them: what it gives, once it does (then some are left)."""
        # A document's digest covers the fingerprint of every record only it cites, and its
        # own part of each record several documents cite (its quotes and the values it
        # states): such a record (an entity, a relation between two countries) is often
        # quoted by many documents, and a new quote elsewhere changes only the digest of the
        # first of them (in id order), whose digest covers the record's fingerprint. So
        # whatever a document's node holds (its hash) changes only with its digest, and a
        # changed or removed record changes the digest of a document it cites (or cited). A
        # record's fingerprint stands in the digests as the build's digest of it when given
        # (the salt is in the digest): the fingerprint proper is made only for what is
        # compared. The records of no document (an entity declared without evidence, a
        # relation whose evidence is optional) have a digest of their own, carried by the
        # first document's after its own (``split``): the first document is often in scope
        # (it is the first of many popular entities' documents), the records of no document
        # are read only when they changed. When no digest differs, nothing but the digests
        # is read.
        # One pass over every record, as cheap per record as it can be (a +1 re-load's
        # Python cost is this pass and what is in scope): a record quoted once (most are)
        # costs a lookup and two appends; its position is kept under each document it
        # cites, so the records of the documents in scope are found without going over the
        # others again.
        records, order, known = self.records, self.order, self.known
        citing, orphans, parts, lone, shared = (
            self.citing, self.orphans, self.parts, self.lone, self.shared,
        )  # fmt: skip
        given, fingerprint_of = self.given, self.fingerprint_of
        while self.scanned < len(records):
            if early is not None:
                found = early()
                if found is not None:
                    return found
            start = self.scanned
            end = self.scanned = min(start + step, len(records))
            for i, record in enumerate(records[start:end], start):
                evidence = record.evidence
                if len(evidence) == 1:
                    doc = evidence[0].document
                    if doc in order:
                        parts[doc].append(given.get(record.id) or fingerprint_of(record))
                        citing[doc].append(i)
                        continue
                rid = record.id
                cited = set(map(_DOCUMENT, evidence))  # the order of neither list matters
                if not cited <= known:
                    cited &= known
                if not cited:
                    key = bucket(rid)
                    lone[key].append(given.get(rid) or fingerprint_of(record))
                    orphans[key].append(i)
                    continue
                for doc in cited:
                    citing[doc].append(i)
                parts[min(cited)].append(given.get(rid) or fingerprint_of(record))
                if len(cited) == 1:
                    continue
                shared.add(rid)
                for ev in evidence:
                    if ev.document in order:
                        parts[ev.document].append(
                            f"{rid}\t{ev.start}\t{ev.end}\t{ev.source}\t{ev.quote}"
                        )
        return None

    def digests(self) -> dict[str, str]:
        """Every document's digest (the records' own part of the plan, made once)."""
        if self._digests is not None:
            return self._digests
        self.scan(None)
        graph, order, parts, shared = self.graph, self.order, self.parts, self.shared
        for value in graph.statements:
            if value.record in shared:
                for doc in value.documents:
                    if doc in order:
                        parts[doc].append(f"{value.record}\t{value.property}\t{value.value}")
        # A document as the build's digest of it when given (its repr, with its text and
        # every sentence's span, cost half of making the digests).
        salt, given = self.writer.salt, self.given
        digests = {
            doc_id: document_digest(salt, document, parts.get(doc_id, []), given.get(doc_id))
            for doc_id, document in graph.documents.items()
        }
        if digests:
            lone = self.lone
            buckets = [document_digest(salt, None, lone.get(f" {n}", [])) for n in range(BUCKETS)]
            digests[min(digests)] += " " + " ".join(buckets)
        self._digests = digests
        return digests

    def entities_first(self, result: Plan) -> None:
        """Into an empty database: the entities to write (every one), and every record
        checked against the schema, before anything is written."""
        writer, held, changed = self.writer, result.stored, result._changed
        fingerprint_of, check = self.fingerprint_of, writer.check
        for record in self.graph.entities.values():
            if held.hash(record.id) != fingerprint_of(record):
                check(record)
                changed.add(record.id)
        for i in range(self.entities, len(self.records)):
            check(self.records[i])  # every one is written

    def prepare(self, scope: frozenset[str] | None, orphans: frozenset[str] | None) -> None:
        """The graph's side of the comparison with the database, which depends only on what
        is read of it (``Stored.scope`` and ``Stored.orphans``, known before it is read): the
        records compared, with the documents they cite and their fingerprints, each
        document's part of them, and the hashes of the documents in scope. Made while the
        database is read (:class:`Reading`); else ``finish`` makes it as it compares."""
        compared = list(self._compared(scope, orphans, False))
        document_hash, supports = self.writer.document_hash, self.supports
        hashes = {
            doc_id: document_hash(document, supports.setdefault(doc_id, []))
            for doc_id, document in self.graph.documents.items()
            if scope is None or doc_id in scope
        }
        self.prepared = (scope, orphans), compared, hashes

    def _compared(
        self, scope: frozenset[str] | None, orphans: frozenset[str] | None, entities_compared: bool
    ) -> Iterator[tuple[int, list[str], str]]:
        """The records to compare: each one's position, the documents it cites and its
        fingerprint, its part of each document's hash taken as it is given."""
        records, known, fingerprint_of = self.records, self.known, self.fingerprint_of
        wanted: Container[str] = self.order
        if scope is None:
            compared: Iterable[int] = range(len(records))
        else:  # the others' digests are the database's: so are their records
            found = {i for doc in scope for i in self.citing.get(doc, ())}
            for key in self.orphans if orphans is None else orphans:
                found.update(self.orphans.get(key, ()))
            compared, wanted = sorted(found), scope
        if entities_compared:
            for each in self.graph.entities.values():
                self._support(each, True, _cited(each, known), wanted)
            compared = range(self.entities, len(records))
        entities, support = self.entities, self._support
        for i in compared:
            record = records[i]
            docs = _cited(record, known)
            support(record, i < entities, docs, wanted)
            yield i, docs, fingerprint_of(record)

    def finish(self, result: Plan, keep_others: bool, entities_compared: bool = False) -> None:
        """The comparison with the database: of every record, or of those in scope (and
        those of no document, if they were read: when their digest differs); the documents;
        what the database holds that the graph no longer has. ``entities_compared``: by
        ``entities_first`` (into an empty database)."""
        graph, writer, held, records = self.graph, self.writer, result.stored, self.records
        digests = self.digests()
        scope = held.scope
        compared: Iterable[tuple[int, list[str], str]]
        hashes: dict[str, str] | None = None
        if self.prepared is None:  # made as it is compared (not kept: a first load's is long)
            compared = self._compared(scope, held.orphans, entities_compared)
        elif self.prepared[0] == (scope, held.orphans) and not entities_compared:
            _, compared, hashes = self.prepared
        else:
            raise ValueError("the database was read for another scope than the plan prepared")
        order, relations = self.order, self.relations
        by_document = self.by_document
        changed = result._changed
        for i, docs, fingerprint in compared:
            record = records[i]
            if (i >= relations and scope is not None and docs and docs[0] not in scope
                    and record.id not in held.relations):  # fmt: skip
                # Read by its first document (``kg_doc``), which is not in scope: that
                # document's digest, which covers the relation, is the database's, and so is
                # the relation.
                continue
            if held.hash(record.id) == fingerprint:
                continue
            if not entities_compared:  # else checked then
                writer.check(record)  # before anything is written
            changed.add(record.id)
            if i >= self.entities:
                by_document[min(docs, key=order.__getitem__) if docs else None].append(record.id)
        supports = self.supports
        for doc_id, document in graph.documents.items():
            if scope is not None and doc_id not in scope:
                result._documents[doc_id] = "unchanged"
                continue
            doc_hash = (
                writer.document_hash(document, supports.setdefault(doc_id, []))
                if hashes is None
                else hashes[doc_id]
            )
            before = held.hash(doc_id)
            result._documents[doc_id] = (
                "added" if before is None else "unchanged" if before == doc_hash else "replaced"
            )
            if before != doc_hash:
                by_document.setdefault(doc_id, [])
        result._by_document, result._supports = dict(by_document), dict(supports)
        if not keep_others:
            result._digests = {d: v for d, v in digests.items() if held.digests.get(d) != v}
        result.unstamp = sorted(
            d for d, v in held.digests.items()
            if v is not None and (keep_others or digests.get(d) != v)
        )  # fmt: skip
        stale: dict[str, list[str]] = defaultdict(list)
        nodes = (graph.documents, graph.entities, graph.incidents, graph.claims)

        def owned(record_id: str) -> bool:
            docs = held.documents.get(record_id, ())
            return not keep_others or (bool(docs) and all(d in graph.documents for d in docs))

        for node_id, (label, _, _) in held.nodes.items():
            if not any(node_id in table for table in nodes) and owned(node_id):
                stale[label].append(node_id)
        for rel_id, (rel_type, _) in held.relations.items():
            if rel_id not in graph.relations and owned(rel_id):
                stale[rel_type].append(rel_id)
        result._stale = {k: sorted(v) for k, v in sorted(stale.items())}

    def _support(
        self, record: Record | Relation, entity: bool, docs: list[str], wanted: Container[str]
    ) -> None:
        """A record's part of the hash of each document (``wanted``) that cites it."""
        if len(docs) == 1 and not entity:
            self.supports[docs[0]].append(self.fingerprint_of(record))  # all from this document
        elif docs:
            # An entity, or a fact several documents state: a document covers only its own
            # part (its quotes, the values it states), so a new document citing the record
            # rewrites the record, never the other documents that cite it. A quote as a tuple
            # of its fields: its text is made in C, not by the dataclass's __repr__.
            quotes: dict[str, list[tuple[object, ...]]] = defaultdict(list)
            for ev in record.evidence:
                if ev.document in wanted:  # only the documents whose hash is made
                    quotes[ev.document].append((ev.start, ev.end, ev.quote, ev.source))
            values = self.writer.statements.get(record.id, ())
            for doc, quoted in quotes.items():
                stated = [(v.property, v.value) for v in values if doc in v.documents]
                self.supports[doc].append(repr((record.id, quoted, stated)))


def batches(
    graph: Graph, schema: Schema, batch_size: int, fingerprints: Mapping[str, str] | None = None
) -> tuple[list[Batch], list[Batch]]:
    """All the batches of a load into an empty database: entities, then whole documents
    (``fingerprints`` as in :func:`plan`)."""
    todo = plan(graph, schema, fingerprints=fingerprints)
    return list(todo.entity_batches(batch_size)), list(todo.document_batches(batch_size))

"""The Graph as parameter rows for Neo4j: node properties, links, evidence and relations."""

from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.dates import PartialDate
from kg.errors import SchemaError
from kg.links import EVIDENCE_LINK, link_kinds, record_links
from kg.model import (
    Claim,
    Document,
    Entity,
    Evidence,
    Graph,
    Incident,
    Relation,
    Statement,
    Value,
)
from kg.schema import Schema

__all__ = [
    "BUCKETS",
    "META_PREFIX",
    "Batch",
    "LinkKey",
    "RelationKey",
    "Rows",
    "Writer",
    "bucket",
    "digest",
    "document_label",
    "documents_of",
    "link_key",
    "node_props",
    "owned_props",
    "read_statements",
    "search_key",
    "statement_props",
]

ROWS_VERSION = "kg-rows-4"
"""Part of every record's fingerprint: change it when the rows of a record change shape, so
the next load rewrites everything."""
BUCKETS = 64
"""The records of no document are digested (and read) in this many buckets by id."""
META_PREFIX = "meta_"
"""Document metadata keys are stored as node properties with this prefix."""

LinkKey = tuple[str, str, str]
"""(relationship type, record label, target label)."""
RelationKey = tuple[str, str, str]
"""(relationship type, source label, target label)."""
Record = Entity | Incident | Claim


def bucket(record_id: str) -> str:
    """The ``kg_doc`` of a record of no document: its bucket, by a stable hash of its id, as
    ' <n>' (no document id starts with a space).

    >>> bucket("per:x") == bucket("per:x") and bucket("per:x").startswith(" ")
    True
    """
    found = hashlib.blake2b(record_id.encode("utf-8"), digest_size=8).digest()
    return f" {int.from_bytes(found, 'big') % BUCKETS}"


def search_key(text: str) -> str:
    """Lower case without accents, for case- and accent-insensitive search.

    >>> search_key("Nazarbáyev"), search_key("KNB")
    ('nazarbayev', 'knb')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _date_props(name: str, date: PartialDate | None) -> dict[str, Any]:
    if date is None:
        return {}
    props: dict[str, Any] = {name: date.isoformat(), f"{name}_precision": date.precision}
    if name == "date":
        props["date_start"], props["date_end"] = date.first_day(), date.last_day()
    return props


def _plain(props: Mapping[str, Value], skip: Iterable[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in props.items():
        if key in skip:
            continue
        if isinstance(value, PartialDate):
            out.update(_date_props(key, value))
        else:
            out[key] = list(value) if isinstance(value, tuple) else value
    return out


def _drop_none(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


def _refs(schema: Schema, category: str) -> set[str]:
    """The ref properties of the type of a category (drawn as links, not stored as values)."""
    found = [t.name for t in schema.types.values() if t.category == category]
    return set(schema.ref_properties(found[0])) if found else set()


_DATES = ("date", "date_precision", "date_start", "date_end")
"""What ``_date_props`` writes for ``date``."""
_WRITER_OWNS = frozenset({"disputed", "statements", "kg_doc"})
"""Node properties ``Writer.rows`` adds to a record's ``node_props``."""


def _node_parts(record: Record | Document, schema: Schema) -> tuple[dict[str, Any], dict[str, Any]]:
    """A node's properties in two parts: those of its kind (every name, None where it has no
    value, but the date's), then the schema's properties of its type or a document's metadata."""
    if isinstance(record, Entity):
        refs = schema.ref_properties(record.type)
        fixed: dict[str, Any] = {
            "id": record.id,
            "name": record.name,
            "aliases": list(record.aliases),
            "kind": record.kind,
            "description": record.description,
            "note": record.note,
            "search_names": sorted({search_key(n) for n in record.names}),
        }
        return fixed, _plain(record.properties, skip=refs)
    if isinstance(record, Incident):
        kinds = schema.vocabulary("incident_kinds").terms
        fixed = {
            "id": record.id,
            "kind": record.kind,
            "title": record.title,
            "cameo": kinds[record.kind].cameo if record.kind in kinds else None,
            "description": record.description,
            "note": record.note,
            **_date_props("date", record.date),
        }
        return fixed, _plain(record.properties, skip=_refs(schema, "incident"))
    if isinstance(record, Claim):
        stances = schema.vocabulary("stances").terms
        fixed = {
            "id": record.id,
            "stance": record.stance,
            "content": record.content,
            "polarity": stances[record.stance].polarity if record.stance in stances else None,
            "status": record.status,
            "note": record.note,
            **_date_props("date", record.date),
        }
        return fixed, _plain(record.properties, skip=_refs(schema, "claim"))
    fixed = {
        "id": record.id,
        "title": record.title,
        "text": record.text,
        "path": record.path,
        "sentence_starts": [s for s, _ in record.sentences],
        "sentence_ends": [e for _, e in record.sentences],
        "load_state": "complete",
        **_date_props("date", record.date),
    }
    return fixed, {META_PREFIX + k: v for k, v in record.metadata.items()}


def node_props(record: Record | Document, schema: Schema) -> dict[str, Any]:
    """The properties a record's node carries (links and evidence are drawn separately)."""
    return _node(record, schema)[0]


def owned_props(record: Record | Document, schema: Schema) -> frozenset[str]:
    """The property names kg owns on a node of this kind whatever the schema (those of
    ``node_props`` but the schema's properties and a document's metadata; for a record, those
    ``Writer.rows`` adds): a load nulls those it does not write on a node it rewrites, and
    lists only the others in ``kg_keys``."""
    return _node(record, schema)[1]


def _node(record: Record | Document, schema: Schema) -> tuple[dict[str, Any], frozenset[str]]:
    """``node_props`` and ``owned_props`` of a record, made once."""
    fixed, extra = _node_parts(record, schema)
    dated, written = not isinstance(record, Entity), not isinstance(record, Document)
    return _drop_none({**fixed, **extra}), _owned_names(tuple(fixed), dated, written)


@functools.cache
def _owned_names(fixed: tuple[str, ...], dated: bool, written: bool) -> frozenset[str]:
    """``fixed``, with every name of a date if its kind has one (``dated``) and what
    ``Writer.rows`` adds for a record (``written``)."""
    return frozenset([*fixed, *(_DATES if dated else ()), *(_WRITER_OWNS if written else ())])


def statement_props(statements: Iterable[Statement]) -> dict[str, Any]:
    """A record's statements as properties: ``disputed`` (property names) and ``statements``
    (one JSON text each: property, value, documents, chosen), queryable with Cypher."""
    items = sorted(statements)
    if not items:
        return {}
    return {
        "disputed": sorted({s.property for s in items if not s.chosen}) or None,
        "statements": [
            json.dumps(
                {
                    "property": s.property,
                    "value": s.value,
                    "documents": list(s.documents),
                    "chosen": s.chosen,
                },
                ensure_ascii=False,
            )
            for s in items
        ],
    }


def read_statements(record_id: str, props: Mapping[str, Any]) -> list[Statement]:
    """The statements ``statement_props`` wrote for a record."""
    found = []
    for text in props.get("statements") or ():
        data = json.loads(text)
        found.append(
            Statement(
                record_id,
                data["property"],
                data["value"],
                tuple(data["documents"]),
                bool(data["chosen"]),
            )
        )
    return found


def _evidence_props(ev: Evidence) -> dict[str, Any]:
    return _drop_none({"quote": ev.quote, "start": ev.start, "end": ev.end, "source": ev.source})


def _relation_props(rel: Relation) -> dict[str, Any]:
    props = _plain(rel.properties)
    props.update(
        {
            "id": rel.id,
            "note": rel.note,
            "evidence_document": [e.document for e in rel.evidence],
            "evidence_quote": [e.quote for e in rel.evidence],
            "evidence_start": [e.start for e in rel.evidence],
            "evidence_end": [e.end for e in rel.evidence],
            "evidence_source": [e.source or "" for e in rel.evidence],
        }
    )
    return _drop_none(props)


def digest(*parts: Any) -> str:
    """A content hash of rows (JSON with sorted keys; dates as ISO text)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def link_key(target: str, props: Mapping[str, Any]) -> str:
    """The stable key a link is merged on, unique among a record's links: a digest (16 hex
    digits) of its target and its ``role`` or ``position``; evidence: of document, offsets
    and cited source. Short enough for Neo4j to store inline with the relationship's other
    properties (the text itself, 73 characters for evidence on average, took a record of the
    string store more per link).

    >>> link_key("per:x", {"role": "victim"}) == link_key("per:x", {"role": "victim"})
    True
    >>> len({link_key("doc:a", {"start": 4, "end": 9}), link_key("doc:a", {"start": 49}),
    ...      link_key("doc:a|4", {"end": 9})})
    3
    """
    parts = (target, *((k, props[k]) for k in ("role", "position", "start", "end", "source")
                       if k in props))  # fmt: skip
    # The repr keeps the parts apart (no target or value can spell another link's parts), and
    # is half the cost of json.dumps.
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=8).hexdigest()


@dataclass
class Rows:
    """Everything one record (or relation) writes, and the content hash of it all."""

    id: str
    label: str
    """The node label; for a relation, its relationship type."""
    node: dict[str, Any] | None = None
    """``{id, props}`` of a record's node."""
    links: list[tuple[LinkKey, dict[str, Any]]] = field(default_factory=list)
    """``{record, target, key, props}`` of each link but evidence; ``key`` is stable."""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    """``{record, document, key, props}`` of each evidence link."""
    relation: tuple[RelationKey, dict[str, Any]] | None = None
    """``{id, source, target, props}`` of a relation."""
    hash: str = ""
    """The record's fingerprint (``Writer.fingerprint``), stored as ``kg_hash``."""
    owned: frozenset[str] = frozenset()
    """A record's ``owned_props``: not listed in ``kg_keys``."""
    draws_links: bool = True
    """False for a document: nothing to clear before writing it."""


@dataclass
class Batch:
    """Rows for one write transaction: every fact of the documents it names, or background.

    Each record is in one batch only: the first, in load order, of a document it comes from.
    """

    documents: list[str] = field(default_factory=list)
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    """label -> [{id, props, keep}]: ``keep`` (a map, or None for a record new to the
    database) holds the keys of the links a record draws; its other links are deleted"""
    links: dict[LinkKey, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    evidence: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    relations: dict[RelationKey, list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    new: set[str] = field(default_factory=set)
    """Records new to the database (it held no node of theirs when the plan read it): their
    links and evidence are created, not merged, unless their node statement finds a link
    from them (a concurrent load wrote them meanwhile)."""
    size: int = 0
    grouped: dict[LinkKey | str, dict[str, Any]] = field(default_factory=dict)
    """The ``$batch`` of each link statement (by ``links`` key) and evidence statement (by
    label), grouped by ``new`` (``kg.neo4j.loader``) in the thread that built the batch,
    while the one before it is written; empty until then."""

    def add(
        self,
        rows: Rows,
        gone: Iterable[str] = (),
        *,
        stored: bool = True,
        held: Container[str] = (),
    ) -> None:
        """A record's rows; ``gone`` names node properties it had and no longer has.
        ``stored``: the database may hold the record, so links it no longer draws are
        deleted (a record new to the database has none, and its links are created: ``new``).
        ``held``: documents whose evidence of this record the database holds as it is (kept,
        not written again)."""
        if rows.relation is not None:
            key, row = rows.relation
            self.relations[key].append(row)
            self.size += 1
            return
        if rows.node is not None:
            written = rows.node["props"]
            props = dict.fromkeys(gone)
            if stored:  # kg may have written any of them: those it no longer writes go
                props.update(dict.fromkeys(rows.owned))
            props.update(written)
            props["kg_hash"] = rows.hash
            # kg_keys lists only the others (a node's text array costs the server a record
            # more): null if none, on a node written before (an older load listed them all).
            listed = sorted(k for k in written if k not in rows.owned)
            if listed or stored:
                props["kg_keys"] = listed or None
            keep = None
            if rows.draws_links and stored:
                keep = dict.fromkeys([row["key"] for _, row in rows.links], True)
                keep.update(dict.fromkeys([row["key"] for row in rows.evidence], True))
            elif rows.draws_links:
                self.new.add(rows.id)
            self.nodes[rows.label].append({"id": rows.id, "props": props, "keep": keep})
        for key, row in rows.links:
            self.links[key].append(row)
        evidence = [row for row in rows.evidence if row["document"] not in held]
        self.evidence[rows.label].extend(evidence)
        self.size += 1 + len(rows.links) + len(evidence)


class Writer:
    """The rows of a record, with everything drawn from it."""

    def __init__(
        self, graph: Graph, schema: Schema, fingerprints: Mapping[str, str] | None = None
    ) -> None:
        self.graph, self.schema = graph, schema
        self.given: Mapping[str, str] = fingerprints or {}
        """Record id -> a digest of what the record's rows are made from, known beforehand
        (the build's): used instead of hashing the record, combined with ``salt``."""
        self.link_types = {kind: schema.link_type(kind) for kind in link_kinds(schema)}
        self.salt = digest(
            ROWS_VERSION, repr((schema.types, schema.relations, schema.vocabularies))
        )
        self.statements: dict[str, list[Statement]] = defaultdict(list)
        for statement in graph.statements:
            self.statements[statement.record].append(statement)
        self._labels: dict[str, str] = {}
        self._hashes: dict[str, str] = {}
        self._documents: dict[str, str] = {}

    def label(self, record_id: str) -> str:
        """The node label of a record: a type the schema defines, or SchemaError."""
        found = self._labels.get(record_id)
        if found is None:
            type_name = self.graph.type_of(record_id)
            if type_name is None:
                raise KeyError(record_id)
            found = self._labels[record_id] = self.schema.label(type_name)
        return found

    def check(self, record: Record | Relation) -> None:
        """SchemaError (or KeyError) unless every label and type a record writes is the
        schema's: checked for the whole graph before anything is written."""
        if isinstance(record, Relation):
            self.schema.relationship_type(record.type)
            self.label(record.source), self.label(record.target)
        else:
            self.label(record.id)

    def fingerprint(self, record: Record | Relation) -> str:
        """A hash of everything a record's rows are made from (the record, its statements,
        the schema and the row format), far cheaper than building the rows. Kept: the plan
        computes it, the rows reuse it. A digest given for the record (``given``) is used
        instead of the record's text, with the schema and row format (``salt``): a change of
        either still changes every fingerprint."""
        found = self._hashes.get(record.id)
        if found is None:
            given = self.given.get(record.id)
            text = (
                f"{self.salt} {given}"
                if given is not None
                else repr((self.salt, record, self.statements.get(record.id)))
            )
            text += "\t" + self.first_document(record)  # its ``kg_doc`` is part of what it writes
            found = hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
            self._hashes[record.id] = found
        return found

    def first_document(self, record: Record | Relation) -> str:
        """A record's ``kg_doc``: the first (in id order) of the graph's documents its
        evidence cites, whose digest covers the record's fingerprint, or for none its
        ``bucket``, whose digest covers it. A re-load reads the relations of the documents
        and buckets whose digest differs by it (an index per relationship type), not every
        relation. A node carries it only for a bucket (the entities of no document, read by
        the index on the Entity label)."""
        known = self.graph.documents
        found = min((ev.document for ev in record.evidence if ev.document in known), default="")
        return found or bucket(record.id)

    def document_hash(self, document: Document, records: Iterable[str]) -> str:
        """A document's fingerprint: the document and the ``records`` items it supports (one
        line each: a record's fingerprint or the repr of its part, neither holding a line
        break). Kept: the plan compares it, the document's rows reuse it."""
        found = self._documents.get(document.id)
        if found is None:
            text = "\n".join([self.salt, repr(document), *sorted(records)])
            found = hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
            self._documents[document.id] = found
        return found

    def document(self, document: Document, records: Iterable[str]) -> Rows:
        """A document's node, with its fingerprint."""
        rows = Rows(document.id, self.label(document.id), draws_links=False)
        props, rows.owned = _node(document, self.schema)
        rows.node = {"id": document.id, "props": props}
        rows.hash = self.document_hash(document, records)
        return rows

    def rows(self, record: Record | Relation) -> Rows:
        statements = statement_props(self.statements.get(record.id, ()))
        if isinstance(record, Relation):
            key = (record.type.upper(), self.label(record.source), self.label(record.target))
            props = _drop_none({**_relation_props(record), **statements})
            ends = {"id": record.id, "source": record.source, "target": record.target}
            props["kg_hash"] = self.fingerprint(record)
            props["kg_doc"] = self.first_document(record)
            return Rows(record.id, key[0], relation=(key, {**ends, "props": props}))
        label = self.label(record.id)
        props, owned = _node(record, self.schema)
        props.update(_drop_none(statements))
        first = self.first_document(record)
        if first.startswith(" "):  # a record of no document: read by its bucket
            props["kg_doc"] = first
        rows = Rows(record.id, label, node={"id": record.id, "props": props})
        rows.hash = self.fingerprint(record)
        rows.owned = owned
        for link in record_links(record, self.schema):
            if link.kind == EVIDENCE_LINK:
                ev = link.evidence[0]
                values = _evidence_props(ev)
                stable = link_key(ev.document, values)
                rows.evidence.append(
                    {"record": record.id, "document": ev.document, "key": stable, "props": values}
                )
            else:
                rel_type = self.link_types[link.kind]
                values = _plain(link.properties)
                stable = link_key(link.target, values)
                row = {"record": record.id, "target": link.target, "key": stable, "props": values}
                rows.links.append(((rel_type, label, self.label(link.target)), row))
        return rows


def document_label(schema: Schema) -> str:
    """The node label of documents: the schema's type of the document category."""
    found = schema.of_category("document")
    if not found:
        raise SchemaError("the schema defines no type of category 'document'")
    return schema.label(found[0].name)


def documents_of(record: Record | Relation) -> list[str]:
    """The documents a record's evidence comes from, sorted."""
    return sorted({ev.document for ev in record.evidence})

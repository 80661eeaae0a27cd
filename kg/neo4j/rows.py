"""The Graph as parameter rows for Neo4j: node properties, links, evidence and relations."""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.dates import PartialDate
from kg.links import EVIDENCE_LINK, record_links
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
    "META_PREFIX",
    "Batch",
    "LinkKey",
    "RelationKey",
    "batches",
    "node_props",
    "read_statements",
    "search_key",
    "statement_props",
]

META_PREFIX = "meta_"
"""Document metadata keys are stored as node properties with this prefix."""

LinkKey = tuple[str, str, str]
"""(relationship type, record label, target label)."""
RelationKey = tuple[str, str, str]
"""(relationship type, source label, target label)."""
Record = Entity | Incident | Claim


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


def node_props(record: Record | Document, schema: Schema) -> dict[str, Any]:
    """The properties a record's node carries (links and evidence are drawn separately)."""
    if isinstance(record, Entity):
        refs = schema.ref_properties(record.type)
        props = {
            "id": record.id,
            "name": record.name,
            "aliases": list(record.aliases),
            "kind": record.kind,
            "description": record.description,
            "note": record.note,
            "search_names": sorted({search_key(n) for n in record.names}),
            **_plain(record.properties, skip=refs),
        }
    elif isinstance(record, Incident):
        kinds = schema.vocabulary("incident_kinds").terms
        props = {
            "id": record.id,
            "kind": record.kind,
            "title": record.title,
            "cameo": kinds[record.kind].cameo if record.kind in kinds else None,
            "description": record.description,
            "note": record.note,
            **_date_props("date", record.date),
            **_plain(record.properties, skip=_refs(schema, "incident")),
        }
    elif isinstance(record, Claim):
        stances = schema.vocabulary("stances").terms
        props = {
            "id": record.id,
            "stance": record.stance,
            "content": record.content,
            "polarity": stances[record.stance].polarity if record.stance in stances else None,
            "status": record.status,
            "note": record.note,
            **_date_props("date", record.date),
            **_plain(record.properties, skip=_refs(schema, "claim")),
        }
    else:
        props = {
            "id": record.id,
            "title": record.title,
            "text": record.text,
            "path": record.path,
            "sentence_starts": [s for s, _ in record.sentences],
            "sentence_ends": [e for _, e in record.sentences],
            "load_state": "complete",
            **_date_props("date", record.date),
            **{META_PREFIX + k: v for k, v in record.metadata.items()},
        }
    return _drop_none(props)


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


@dataclass
class Batch:
    """Rows for one write transaction: every fact of the documents it names, or background."""

    documents: list[str] = field(default_factory=list)
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    """label -> [{id, props}]"""
    cleared: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """label -> ids whose outgoing links are redrawn"""
    links: dict[LinkKey, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    evidence: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    relations: dict[RelationKey, list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    added: set[str] = field(default_factory=set)
    """Ids of the records already in this batch (a record shared by two documents is added once)."""

    @property
    def size(self) -> int:
        groups: list[Mapping[Any, list[Any]]] = [
            self.nodes,
            self.links,
            self.evidence,
            self.relations,
        ]
        return sum(len(rows) for group in groups for rows in group.values())


class _Writer:
    """Adds a record, with everything drawn from it, to a batch."""

    def __init__(self, graph: Graph, schema: Schema) -> None:
        self.graph, self.schema = graph, schema
        self.statements: dict[str, list[Statement]] = defaultdict(list)
        for statement in graph.statements:
            self.statements[statement.record].append(statement)

    def label(self, record_id: str) -> str:
        """The node label of a record: a type the schema defines, or SchemaError."""
        type_name = self.graph.type_of(record_id)
        if type_name is None:
            raise KeyError(record_id)
        return self.schema.label(type_name)

    def add(self, batch: Batch, record: Record | Relation) -> None:
        if record.id in batch.added:
            return
        batch.added.add(record.id)
        if isinstance(record, Relation):
            key = (record.type.upper(), self.label(record.source), self.label(record.target))
            batch.relations[key].append(
                {
                    "id": record.id,
                    "source": record.source,
                    "target": record.target,
                    "props": _drop_none(
                        {
                            **_relation_props(record),
                            **statement_props(self.statements.get(record.id, ())),
                        }
                    ),
                }
            )
            return
        label = self.label(record.id)
        props = node_props(record, self.schema)
        props.update(_drop_none(statement_props(self.statements.get(record.id, ()))))
        batch.nodes[label].append({"id": record.id, "props": props})
        batch.cleared[label].append(record.id)
        for link in record_links(record, self.schema):
            if link.kind == EVIDENCE_LINK:
                ev = link.evidence[0]
                batch.evidence[label].append(
                    {"record": record.id, "document": ev.document, "props": _evidence_props(ev)}
                )
            else:
                key = (self.schema.link_type(link.kind), label, self.label(link.target))
                row = {"record": record.id, "target": link.target, "props": _plain(link.properties)}
                batch.links[key].append(row)


def _documents_of(record: Record | Relation) -> set[str]:
    return {ev.document for ev in record.evidence}


def batches(graph: Graph, schema: Schema, batch_size: int) -> tuple[list[Batch], list[Batch]]:
    """Entities first (shared by all documents), then batches of whole documents.

    Each document's facts (incidents, claims and relations it gives evidence for) fall in
    exactly one batch with the document itself, so a transaction per batch loads a document
    completely or not at all. Facts with no evidence (background geography) come last.
    """
    writer = _Writer(graph, schema)
    entities = [Batch()]
    for entity in graph.entities.values():
        if entities[-1].size >= batch_size:
            entities.append(Batch())
        writer.add(entities[-1], entity)
    by_document: dict[str | None, list[Record | Relation]] = defaultdict(list)
    records: list[Record | Relation] = [
        *graph.incidents.values(),
        *graph.claims.values(),
        *graph.relations.values(),
    ]
    for record in records:
        docs: list[str | None] = [*sorted(_documents_of(record))] or [None]
        for doc in docs:
            by_document[doc].append(record)
    result: list[Batch] = []
    current = Batch()
    for doc_id, document in graph.documents.items():
        current.documents.append(doc_id)
        current.nodes["Document"].append({"id": doc_id, "props": node_props(document, schema)})
        for record in by_document.get(doc_id, []):
            writer.add(current, record)
        if current.size >= batch_size:
            result.append(current)
            current = Batch()
    background = by_document.get(None, [])
    for record in background:
        writer.add(current, record)
    if current.size or current.documents:
        result.append(current)
    return entities, result

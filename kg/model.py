"""The typed graph model shared by every stage: documents, entities, incidents, claims..."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from kg.dates import PartialDate
from kg.errors import pickled_by_fields

__all__ = [
    "Claim",
    "Document",
    "Entity",
    "Evidence",
    "Graph",
    "Incident",
    "Participant",
    "Relation",
    "Statement",
    "Value",
]

Value = str | int | float | bool | PartialDate | tuple[str, ...]
"""A property value: scalars, partial dates, or lists of strings (stored as tuples)."""


@pickled_by_fields
@dataclass(frozen=True, order=True)
class Evidence:
    """Where a fact comes from: an exact quote in a document and its character offsets."""

    document: str
    start: int
    end: int
    quote: str
    source: str | None = None
    """Id of the Source the article cites for this quote, e.g. ``src:liter-2004-08-06``."""


@pickled_by_fields
@dataclass(frozen=True)
class Document:
    """An article: its text, sentence spans and metadata."""

    id: str
    title: str
    text: str
    sentences: tuple[tuple[int, int], ...]
    date: PartialDate | None = None
    path: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    """publication, publisher, volume, issue, url, language, date_note and any other header keys."""


@pickled_by_fields
@dataclass(frozen=True)
class Entity:
    """A person, organisation, country, place, group, source, or a user-defined entity type."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    description: str | None = None
    note: str | None = None
    properties: Mapping[str, Value] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@pickled_by_fields
@dataclass(frozen=True, order=True)
class Participant:
    """An entity taking part in an incident in a role (perpetrator, victim, detainee...)."""

    entity: str
    role: str


@pickled_by_fields
@dataclass(frozen=True)
class Incident:
    """Something that happened, with a kind, a partial date, a place and participants."""

    id: str
    kind: str
    title: str
    date: PartialDate | None = None
    place: str | None = None
    participants: tuple[Participant, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    description: str | None = None
    note: str | None = None
    properties: Mapping[str, Value] = field(default_factory=dict)
    """Other properties the schema declares for the incident type (e.g. ``casualties``)."""


@pickled_by_fields
@dataclass(frozen=True)
class Claim:
    """An attributed statement: speaker, stance, content, subjects, date and source."""

    id: str
    speaker: str
    stance: str
    content: str
    about: tuple[str, ...] = ()
    date: PartialDate | None = None
    source: str | None = None
    status: str | None = None
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None
    properties: Mapping[str, Value] = field(default_factory=dict)
    """Other properties the schema declares for the claim type."""


@pickled_by_fields
@dataclass(frozen=True)
class Relation:
    """A typed, evidenced link between two records."""

    id: str
    type: str
    source: str
    target: str
    properties: Mapping[str, Value] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None


Record = Entity | Incident | Claim | Document


@pickled_by_fields
@dataclass(frozen=True, order=True)
class Statement:
    """One value of one property of a record, and the documents that state it.

    A graph keeps statements where documents add to or disagree about a record: each item of
    a list property of a record described by several documents, and every value of a single
    property that documents disagree on (``chosen`` marks the value the record shows).
    """

    record: str
    property: str
    value: str
    """The value as graph.json writes it (dates in ISO form, participants as ``entity role``)."""
    documents: tuple[str, ...]
    chosen: bool = True


@pickled_by_fields
@dataclass(frozen=True)
class Graph:
    """The validated knowledge graph. Every sink (Neo4j, RDF, NetworkX) reads this object."""

    documents: Mapping[str, Document] = field(default_factory=dict)
    entities: Mapping[str, Entity] = field(default_factory=dict)
    incidents: Mapping[str, Incident] = field(default_factory=dict)
    claims: Mapping[str, Claim] = field(default_factory=dict)
    relations: Mapping[str, Relation] = field(default_factory=dict)
    statements: tuple[Statement, ...] = ()
    """Per-document values where documents add to or disagree about a record (sorted)."""

    def disputed(self) -> dict[tuple[str, str], list[Statement]]:
        """The values of each ``(record, property)`` that documents disagree on."""
        found: dict[tuple[str, str], list[Statement]] = {}
        for statement in self.statements:
            found.setdefault((statement.record, statement.property), []).append(statement)
        return {k: v for k, v in found.items() if any(not s.chosen for s in v)}

    def get(self, record_id: str) -> Record | None:
        """Any record (entity, incident, claim or document) by id."""
        for table in (self.entities, self.incidents, self.claims, self.documents):
            found = table.get(record_id)
            if found is not None:
                return found
        return None

    def type_of(self, record_id: str) -> str | None:
        """The schema type name of a record id (``Incident``, ``Person``...)."""
        record = self.get(record_id)
        if isinstance(record, Entity):
            return record.type
        names = {Incident: "Incident", Claim: "Claim", Document: "Document"}
        return names.get(type(record)) if record is not None else None

    def find(self, name: str) -> list[Entity]:
        """Entities whose name or an alias matches ``name`` (case-insensitive)."""
        wanted = name.casefold()
        return [e for e in self.entities.values() if any(n.casefold() == wanted for n in e.names)]

    def all_evidence(self) -> Iterator[Evidence]:
        """Every evidence item of every record and relation."""
        for table in (self.entities, self.incidents, self.claims, self.relations):
            for record in table.values():
                yield from record.evidence

"""Links: the edges that record fields draw, defined once for Neo4j, NetworkX and RDF.

A relation is annotated; a *link* is drawn from a field of a record: an incident's
participants, every ``ref`` property the schema declares (``Incident.place``,
``Claim.speaker``, ``Claim.about``, ``Claim.source``, ``Source.outlet``, and any ref property a
workspace adds), and each evidence item (record -> document).

Direction convention, the same in every sink: a link goes **from the record that holds the
field to the record the field names**:

- ``(incident) -participant-> (entity)`` with the ``role``
- ``(incident) -place-> (place)``, ``(claim) -speaker-> (actor)``,
  ``(claim) -about-> (subject)`` with its ``position`` in the list, ``(claim) -source-> (source)``,
  ``(source) -outlet-> (organisation)``
- ``(record) -evidence-> (document)``, one link per quote

Neo4j writes the kind in upper case as the relationship type (``PLACE``), NetworkX as the
edge ``type``, RDF as the predicate of the holder's field (``kg:place``; participants through
``kg:hasParticipation``, evidence through ``kg:hasEvidence``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields

from kg.model import Claim, Entity, Evidence, Graph, Incident, Value
from kg.schema import EVIDENCE, PARTICIPANT, Schema

__all__ = [
    "EVIDENCE_LINK",
    "LINK_LABELS",
    "PARTICIPANT_LINK",
    "Link",
    "link_kinds",
    "links",
    "record_links",
    "record_type",
    "ref_targets",
]

PARTICIPANT_LINK = PARTICIPANT.lower()
"""Kind of the link from an incident to an entity taking part in it."""
EVIDENCE_LINK = EVIDENCE.lower()
"""Kind of the link from a record to the document one of its quotes comes from."""

LINK_LABELS = {
    PARTICIPANT_LINK: "has participant",
    "place": "took place at",
    "speaker": "said by",
    "about": "is about",
    "source": "carried by",
    "outlet": "published by",
    EVIDENCE_LINK: "evidenced in",
}
"""Human labels of the links of the default schema; other kinds are labelled by their name."""

Holder = Entity | Incident | Claim
_FIELDS = {cls: {f.name for f in fields(cls)} for cls in (Entity, Incident, Claim)}


@dataclass(frozen=True)
class Link:
    """One edge drawn from a field of the ``source`` record to the ``target`` record."""

    kind: str
    """``participant``, ``evidence``, or the name of a ref property (``place``, ``about``...)."""
    source: str
    target: str
    properties: Mapping[str, Value] = field(default_factory=dict)
    """``role`` of a participant, ``position`` of an item of a list-valued ref property."""
    evidence: tuple[Evidence, ...] = ()
    """What supports the link: the quote of an evidence link, the holder's evidence otherwise."""

    @property
    def label(self) -> str:
        return LINK_LABELS.get(self.kind, self.kind.replace("_", " "))


def record_type(record: Holder, schema: Schema) -> str:
    """The schema type name of a record (an incident's or claim's type is its category's)."""
    if isinstance(record, Entity):
        return record.type
    found = schema.of_category("incident" if isinstance(record, Incident) else "claim")
    return found[0].name


def ref_targets(record: Holder, name: str) -> tuple[str, ...]:
    """The ids a ref property of a record names: a model field, else ``record.properties``."""
    value = getattr(record, name) if name in _FIELDS[type(record)] else record.properties.get(name)
    if value is None or value == "":
        return ()
    return tuple(str(v) for v in value) if isinstance(value, tuple) else (str(value),)


def record_links(record: Holder, schema: Schema) -> Iterator[Link]:
    """Every link a record draws: participants, then ref properties in schema order, then
    one evidence link per quote (in the record's order)."""
    if isinstance(record, Incident):
        for p in record.participants:
            yield Link(PARTICIPANT_LINK, record.id, p.entity, {"role": p.role}, record.evidence)
    for name, spec in schema.ref_properties(record_type(record, schema)).items():
        for position, target in enumerate(ref_targets(record, name)):
            props: dict[str, Value] = {"position": position} if spec.list else {}
            yield Link(name, record.id, target, props, record.evidence)
    for ev in record.evidence:
        yield Link(EVIDENCE_LINK, record.id, ev.document, {}, (ev,))


def links(graph: Graph, schema: Schema) -> Iterator[Link]:
    """Every link of the graph: entities', incidents' and claims' (each table in its order).

    >>> from kg.model import Incident, Participant
    >>> from pathlib import Path
    >>> from kg import defaults
    >>> from kg.schema import load_schema
    >>> schema = load_schema(Path(str(defaults.schema())))
    >>> inc = Incident("inc:a", "bombing", "A", place="plc:x",
    ...                participants=(Participant("per:b", "victim"),))
    >>> [(l.kind, l.source, l.target) for l in links(Graph(incidents={inc.id: inc}), schema)]
    [('participant', 'inc:a', 'per:b'), ('place', 'inc:a', 'plc:x')]
    """
    for table in (graph.entities, graph.incidents, graph.claims):
        for record in table.values():
            yield from record_links(record, schema)


def link_kinds(schema: Schema) -> tuple[str, ...]:
    """Every link kind a graph of this schema may hold (sorted)."""
    refs = {p for t in schema.types for p in schema.ref_properties(t)}
    return tuple(sorted(refs | {PARTICIPANT_LINK, EVIDENCE_LINK}))

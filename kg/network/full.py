"""The full projection: every record as a node, every link as a keyed edge of a MultiDiGraph."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from kg.model import Evidence, Graph
from kg.network.attributes import (
    Attrs,
    claim_attrs,
    document_attrs,
    entity_attrs,
    incident_attrs,
    relation_attrs,
)
from kg.network.window import DateWindow
from kg.schema import Schema

__all__ = ["LINK_TYPES", "full_graph"]

LINK_TYPES = {
    "participant": "takes part in",
    "place": "took place at",
    "speaker": "said",
    "about": "is about",
    "source": "carried by",
    "evidence": "evidenced in",
}
"""Edge ``type`` of the links that are not schema relations, named after the model fields
(``Incident.participants``, ``Incident.place``, ``Claim.speaker``, ``Claim.about``,
``Claim.source``, ``Evidence.document``), with the ``label`` each edge carries.
Ref-valued entity properties of the schema (``Source.outlet``) add edges typed by the
property name."""


def _link(graph: nx.MultiDiGraph, source: str, target: str, kind: str, **extra: object) -> None:
    key = kind if "role" not in extra else f"{kind}:{extra['role']}"
    graph.add_edge(source, target, key=key, type=kind, label=LINK_TYPES.get(kind, kind), **extra)


def _evidence_links(graph: nx.MultiDiGraph, record: str, evidence: tuple[Evidence, ...]) -> None:
    by_document: dict[str, list[str]] = defaultdict(list)
    for ev in evidence:
        by_document[ev.document].append(ev.quote)
    for document, quotes in sorted(by_document.items()):
        _link(graph, record, document, "evidence", evidence_count=len(quotes), quotes=quotes)


def full_graph(graph: Graph, schema: Schema, window: DateWindow | None = None) -> nx.MultiDiGraph:
    """Every entity, incident, claim and document, with all attributes, as a ``MultiDiGraph``.

    Relations are edges keyed by relation id (``type`` = relation name). The other edges are
    keyed by their ``type`` (see ``LINK_TYPES``; participations by ``participant:ROLE``):
    entity -> incident (``role``), incident -> place, speaker -> claim, claim -> about,
    claim -> source, entity -> outlet-like refs, and record -> document for evidence (with
    ``evidence_count`` and ``quotes``). ``window`` keeps only the incidents and claims whose
    dates overlap it (undated ones are dropped when it has an end); all other records stay.
    """
    window = window or DateWindow()
    out = nx.MultiDiGraph()
    for document in graph.documents.values():
        out.add_node(document.id, **document_attrs(document, schema))
    for entity in graph.entities.values():
        out.add_node(entity.id, **entity_attrs(entity, schema))
    incidents = [i for i in graph.incidents.values() if window.contains(i.date)]
    claims = [c for c in graph.claims.values() if window.contains(c.date)]
    dropped = (graph.incidents.keys() - {i.id for i in incidents}) | (
        graph.claims.keys() - {c.id for c in claims}
    )
    for incident in incidents:
        out.add_node(incident.id, **incident_attrs(incident, schema))
    for claim in claims:
        out.add_node(claim.id, **claim_attrs(claim, schema))

    for entity in graph.entities.values():
        specs = schema.properties_of(entity.type) if entity.type in schema.types else {}
        for key, value in sorted(entity.properties.items()):
            spec = specs.get(key)
            if spec is not None and spec.type == "ref":
                for target in (value,) if isinstance(value, str) else value:  # type: ignore[union-attr]
                    _link(out, entity.id, str(target), key)
        _evidence_links(out, entity.id, entity.evidence)
    for incident in incidents:
        for participant in incident.participants:
            _link(out, participant.entity, incident.id, "participant", role=participant.role)
        if incident.place:
            _link(out, incident.id, incident.place, "place")
        _evidence_links(out, incident.id, incident.evidence)
    for claim in claims:
        _link(out, claim.speaker, claim.id, "speaker", stance=claim.stance)
        for subject in claim.about:
            if subject not in dropped:
                _link(out, claim.id, subject, "about")
        if claim.source:
            _link(out, claim.id, claim.source, "source")
        _evidence_links(out, claim.id, claim.evidence)
    for relation in graph.relations.values():
        if relation.source not in dropped and relation.target not in dropped:
            attrs: Attrs = relation_attrs(relation, schema)
            out.add_edge(relation.source, relation.target, key=relation.id, **attrs)
    return out

"""The full projection: every record as a node, every link as a keyed edge of a MultiDiGraph."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from kg.links import EVIDENCE_LINK, LINK_LABELS, Link, record_links
from kg.model import Claim, Entity, Graph, Incident
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

__all__ = ["full_graph"]


def _add_links(out: nx.MultiDiGraph, record_links: Iterable[Link], dropped: set[str]) -> None:
    """A record's links as edges (see ``kg.links``); its evidence links become one edge per
    document, with ``evidence_count`` and ``quotes``. Links to dropped records are left out."""
    quotes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for link in record_links:
        if link.target in dropped:
            continue
        if link.kind == EVIDENCE_LINK:
            quotes[link.source, link.target].extend(ev.quote for ev in link.evidence)
            continue
        role = link.properties.get("role")
        key = link.kind if role is None else f"{link.kind}:{role}"
        attrs = {k: v for k, v in link.properties.items() if k != "position"}
        out.add_edge(link.source, link.target, key=key, type=link.kind, label=link.label, **attrs)
    for (source, document), found in sorted(quotes.items()):
        out.add_edge(
            source,
            document,
            key=EVIDENCE_LINK,
            type=EVIDENCE_LINK,
            label=LINK_LABELS[EVIDENCE_LINK],
            evidence_count=len(found),
            quotes=found,
        )


def full_graph(graph: Graph, schema: Schema, window: DateWindow | None = None) -> nx.MultiDiGraph:
    """Every entity, incident, claim and document, with all attributes, as a ``MultiDiGraph``.

    Relations are edges keyed by relation id (``type`` = relation name). The other edges are
    the links of ``kg.links``, in its direction (from the record holding the field), keyed by
    their kind (participations by ``participant:ROLE``): incident -> entity (``role``),
    incident -> place, claim -> speaker, claim -> about, claim -> source, source -> outlet and
    any other ref property, and record -> document for evidence (one edge per document, with
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
    dropped = set(graph.incidents.keys() - {i.id for i in incidents}) | (
        graph.claims.keys() - {c.id for c in claims}
    )
    for incident in incidents:
        out.add_node(incident.id, **incident_attrs(incident, schema))
    for claim in claims:
        out.add_node(claim.id, **claim_attrs(claim, schema))

    holders: list[Entity | Incident | Claim] = [*graph.entities.values(), *incidents, *claims]
    for record in holders:
        _add_links(out, record_links(record, schema), dropped)
    for relation in graph.relations.values():
        if relation.source not in dropped and relation.target not in dropped:
            attrs: Attrs = relation_attrs(relation, schema)
            out.add_edge(relation.source, relation.target, key=relation.id, **attrs)
    return out

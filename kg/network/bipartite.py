"""The bipartite projection: actors on one side, incidents on the other, roles on the edges."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from kg.model import Graph
from kg.network.actors import actor_ids
from kg.network.attributes import entity_attrs, incident_attrs
from kg.network.window import DateWindow
from kg.schema import Schema

__all__ = ["bipartite_graph"]


def bipartite_graph(graph: Graph, schema: Schema, window: DateWindow | None = None) -> nx.Graph:
    """Actors (``bipartite=0``) and incidents (``bipartite=1``), the networkx convention.

    An edge joins an actor to each incident it takes part in; ``roles`` lists its roles
    there (sorted; one edge even when it has several), ``weight`` is 1.0 and ``documents``
    counts the documents evidencing the incident. Participants that are not actors (groups,
    places) are left out. ``window`` keeps the incidents whose dates overlap it (undated
    ones are dropped when it has an end). Every actor is a node, linked or not.
    """
    window = window or DateWindow()
    is_actor = set(actor_ids(graph, schema))
    out = nx.Graph(projection="bipartite")
    for actor in sorted(is_actor):
        out.add_node(actor, bipartite=0, **entity_attrs(graph.entities[actor], schema))
    for incident in graph.incidents.values():
        if not window.contains(incident.date):
            continue
        out.add_node(incident.id, bipartite=1, **incident_attrs(incident, schema))
        roles: dict[str, set[str]] = defaultdict(set)
        for participant in incident.participants:
            if participant.entity in is_actor:
                roles[participant.entity].add(participant.role)
        documents = len({ev.document for ev in incident.evidence})
        for actor, found in sorted(roles.items()):
            out.add_edge(actor, incident.id, roles=sorted(found), weight=1.0, documents=documents)
    return out

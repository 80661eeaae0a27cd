"""``to_networkx``: the one entry point that turns a Graph into a chosen NetworkX projection."""

from __future__ import annotations

from typing import Literal

import networkx as nx

from kg.errors import InputError
from kg.model import Graph
from kg.network.actors import Weights, actor_graph
from kg.network.bipartite import bipartite_graph
from kg.network.full import full_graph
from kg.network.window import DateLike, DateWindow
from kg.schema import Schema

__all__ = ["PROJECTIONS", "Projection", "to_networkx"]

Projection = Literal["full", "actors", "bipartite"]
PROJECTIONS: tuple[Projection, ...] = ("full", "actors", "bipartite")


def to_networkx(
    graph: Graph,
    schema: Schema,
    projection: str = "full",
    since: DateLike | None = None,
    until: DateLike | None = None,
    weights: Weights | None = None,
) -> nx.Graph:
    """The graph as NetworkX, in one of three projections.

    - ``full``: a ``MultiDiGraph`` of every entity, incident, claim and document, relation
      edges keyed by relation id (see ``kg.network.full.full_graph``);
    - ``actors``: an undirected weighted ``Graph`` of actors (``kg.network.actors``);
    - ``bipartite``: actors x incidents with roles on the edges (``kg.network.bipartite``).

    ``since``/``until`` (PartialDate, date, or text such as ``2004-08``) keep only the
    incidents and claims whose dates overlap the window; when either is given, undated
    incidents and claims are excluded. Entities, documents and relations are not dated and
    always stay. ``weights`` applies to the actor projection only.

    The graph attributes record the projection and the window (``since``, ``until``).
    """
    window = DateWindow.parse(since, until)
    out: nx.Graph
    if projection == "full":
        out = full_graph(graph, schema, window)
    elif projection == "actors":
        out = actor_graph(graph, schema, window, weights)
    elif projection == "bipartite":
        out = bipartite_graph(graph, schema, window)
    else:
        raise InputError(f"unknown projection {projection!r} (one of {', '.join(PROJECTIONS)})")
    out.graph["projection"] = projection
    if window.since is not None:
        out.graph["since"] = window.since.isoformat()
    if window.until is not None:
        out.graph["until"] = window.until.isoformat()
    return out

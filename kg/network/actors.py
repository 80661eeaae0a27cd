"""The actor projection: actors linked by relations, shared incidents and claims, with weights."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from kg.errors import InputError
from kg.model import Evidence, Graph
from kg.network.attributes import entity_attrs
from kg.network.window import DateWindow
from kg.schema import Schema

__all__ = ["SUPPORT_KINDS", "Weights", "actor_graph", "actor_ids"]

SUPPORT_KINDS = ("relation", "incident", "claim")
"""What links two actors: a relation, a shared incident, a claim by one about the other."""


@dataclass(frozen=True)
class Weights:
    """Weight of one supporting relation, shared incident and claim; an edge sums them.

    >>> Weights.parse(["incident=0.5"])
    Weights(relation=1.0, incident=0.5, claim=1.0)
    >>> Weights(relation=2).total({"relation": 2, "incident": 1, "claim": 0})
    5.0
    """

    relation: float = 1.0
    incident: float = 1.0
    claim: float = 1.0

    def __post_init__(self) -> None:
        for kind in SUPPORT_KINDS:
            value = getattr(self, kind)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise InputError(f"weight of {kind} must be a number >= 0, not {value!r}")

    @classmethod
    def parse(cls, items: Iterable[str]) -> Weights:
        """Weights from ``KIND=NUMBER`` items (kinds: relation, incident, claim)."""
        values: dict[str, float] = {}
        for item in items:
            kind, sep, number = item.partition("=")
            kind = kind.strip()
            if not sep or kind not in SUPPORT_KINDS:
                raise InputError(
                    f"bad weight {item!r}: expected KIND=NUMBER with KIND one of "
                    f"{', '.join(SUPPORT_KINDS)}"
                )
            try:
                values[kind] = float(number)
            except ValueError:
                raise InputError(
                    f"bad weight {item!r}: {number.strip()!r} is not a number"
                ) from None
        return cls(**values)

    def total(self, counts: dict[str, int]) -> float:
        """The weighted sum of support counts by kind."""
        return float(sum(getattr(self, kind) * counts.get(kind, 0) for kind in SUPPORT_KINDS))

    def as_dict(self) -> dict[str, float]:
        return {kind: float(getattr(self, kind)) for kind in SUPPORT_KINDS}


@dataclass
class _Support:
    """The facts behind one actor pair, by kind, and the documents that evidence them."""

    ids: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in SUPPORT_KINDS})
    relation_types: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)

    def add(self, kind: str, record_id: str, evidence: tuple[Evidence, ...]) -> None:
        self.ids[kind].add(record_id)
        self.documents.update(ev.document for ev in evidence)


def actor_ids(graph: Graph, schema: Schema) -> list[str]:
    """Ids of the entities whose schema type is an actor type (``actor: true``), sorted."""
    actor_types = set(schema.actor_types)
    return sorted(e.id for e in graph.entities.values() if e.type in actor_types)


def actor_graph(
    graph: Graph,
    schema: Schema,
    window: DateWindow | None = None,
    weights: Weights | None = None,
) -> nx.Graph:
    """Actors (schema types with ``actor: true``) linked by what connects them, undirected.

    An edge joins two distinct actors when at least one of these supports it:

    - a relation between them (any schema relation type, either direction);
    - an incident in which both take part (co-participation, whatever their roles);
    - a claim spoken by one that is about the other.

    Each edge records ``relations``, ``incidents`` and ``claims`` (sorted id lists),
    ``relation_types``, ``via`` (which of the kinds occur), ``documents`` (the number of
    distinct documents whose evidence supports any of these facts) and ``document_ids``.
    ``weight`` is ``weights.relation * #relations + weights.incident * #incidents +
    weights.claim * #claims``; an edge whose weight is 0 is left out, so a zero weight
    drops a kind. ``window`` keeps the incidents and claims whose dates overlap it
    (undated ones are dropped when it has an end); relations are not dated and always
    count. Every actor is a node, linked or not.
    """
    window = window or DateWindow()
    weights = weights or Weights()
    actors = actor_ids(graph, schema)
    is_actor = set(actors)
    out = nx.Graph(projection="actors", **{f"weight_{k}": v for k, v in weights.as_dict().items()})
    for actor in actors:
        out.add_node(actor, **entity_attrs(graph.entities[actor], schema))
    support: dict[tuple[str, str], _Support] = {}

    def pair(a: str, b: str) -> _Support:
        key = (a, b) if a < b else (b, a)
        return support.setdefault(key, _Support())

    for relation in graph.relations.values():
        source, target = relation.source, relation.target
        if source != target and source in is_actor and target in is_actor:
            found = pair(source, target)
            found.add("relation", relation.id, relation.evidence)
            found.relation_types.add(relation.type)
    for incident in graph.incidents.values():
        if window.contains(incident.date):
            present = sorted({p.entity for p in incident.participants} & is_actor)
            for a, b in combinations(present, 2):
                pair(a, b).add("incident", incident.id, incident.evidence)
    for claim in graph.claims.values():
        if claim.speaker in is_actor and window.contains(claim.date):
            for subject in sorted(is_actor.intersection(claim.about) - {claim.speaker}):
                pair(claim.speaker, subject).add("claim", claim.id, claim.evidence)

    for (a, b), found in sorted(support.items()):
        counts = {kind: len(ids) for kind, ids in found.ids.items()}
        weight = weights.total(counts)
        if weight <= 0:
            continue
        out.add_edge(
            a,
            b,
            weight=weight,
            via=[kind for kind in SUPPORT_KINDS if counts[kind]],
            relations=sorted(found.ids["relation"]),
            relation_types=sorted(found.relation_types),
            incidents=sorted(found.ids["incident"]),
            claims=sorted(found.ids["claim"]),
            documents=len(found.documents),
            document_ids=sorted(found.documents),
        )
    return out

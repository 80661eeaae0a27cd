"""Leave out what refers to records that are not in the graph, with a warning for each.

A reference always resolves against every file's declarations, so a file is never rejected
because another one was; but when the only file declaring a record is rejected, what refers
to that record cannot be drawn. Such a link (or list item) is left out and reported; a
record that cannot exist without it (a claim without its speaker) is left out with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from kg.errors import Location
from kg.model import Claim, Entity, Evidence, Graph, Incident, Relation
from kg.problems import Problem
from kg.schema import Schema

__all__ = ["prune"]


class _Pruner:
    def __init__(self, graph: Graph, schema: Schema, where: Mapping[str, Location]) -> None:
        self.graph, self.schema, self.where = graph, schema, where
        self.known = (
            set(graph.entities) | set(graph.incidents) | set(graph.claims) | set(graph.documents)
        )
        self.problems: list[Problem] = []

    def warn(self, record_id: str, what: str) -> None:
        self.problems.append(
            Problem(
                self.where.get(record_id, Location("?")),
                "left-out",
                f"{record_id}: left out {what}: no accepted file declares it",
                "warning",
            )
        )

    def evidence(self, record_id: str, items: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        out = []
        for ev in items:
            if ev.source is not None and ev.source not in self.known:
                self.warn(record_id, f"evidence source {ev.source}")
                ev = replace(ev, source=None)
            out.append(ev)
        return tuple(out)

    def properties(self, record: Any, type_name: str) -> dict[str, Any] | None:
        """The record's changed fields, {} when unchanged, None when it must go."""
        changes: dict[str, Any] = {}
        for name, spec in self.schema.ref_properties(type_name).items():
            in_props = not hasattr(record, name)
            value = record.properties.get(name) if in_props else getattr(record, name)
            if isinstance(value, tuple):
                kept = tuple(v for v in value if v in self.known)
                for v in value:
                    if v not in self.known:
                        self.warn(record.id, f"{name} {v}")
                new: Any = kept
            elif isinstance(value, str) and value and value not in self.known:
                self.warn(record.id, f"{name} {value}")
                if spec.required:
                    return None
                new = None
            else:
                continue
            if in_props:
                props = dict(changes.get("properties", record.properties))
                if new is None or new == ():
                    props.pop(name, None)
                else:
                    props[name] = new
                changes["properties"] = props
            else:
                changes[name] = new if new is not None or name not in ("about",) else ()
        return changes

    def record(self, record: Any, type_name: str) -> Any:
        changes = self.properties(record, type_name)
        if changes is None:
            return None
        if isinstance(record, Incident):
            kept = tuple(p for p in record.participants if p.entity in self.known)
            for p in record.participants:
                if p.entity not in self.known:
                    self.warn(record.id, f"participant {p.entity}")
            if len(kept) != len(record.participants):
                changes["participants"] = kept
        evidence = self.evidence(record.id, record.evidence)
        if evidence != record.evidence:
            changes["evidence"] = evidence
        return replace(record, **changes) if changes else record

    def run(self) -> Graph:
        graph = self.graph
        incident = next(t.name for t in self.schema.types.values() if t.category == "incident")
        claim = next(t.name for t in self.schema.types.values() if t.category == "claim")
        while True:
            before = len(self.known)
            entities: dict[str, Entity] = {}
            for key, entity in graph.entities.items():
                if (kept := self.record(entity, entity.type)) is not None:
                    entities[key] = kept
            incidents: dict[str, Incident] = {
                k: self.record(v, incident) for k, v in graph.incidents.items()
            }
            claims: dict[str, Claim] = {}
            for key, c in graph.claims.items():
                if (kept_claim := self.record(c, claim)) is not None:
                    claims[key] = kept_claim
            relations: dict[str, Relation] = {}
            for key, rel in graph.relations.items():
                missing = [end for end in (rel.source, rel.target) if end not in self.known]
                for end in missing:
                    self.warn(key, f"the relation to {end}")
                if not missing:
                    relations[key] = replace(rel, evidence=self.evidence(key, rel.evidence))
            self.known = set(entities) | set(incidents) | set(claims) | set(graph.documents)
            graph = replace(
                graph, entities=entities, incidents=incidents, claims=claims, relations=relations
            )
            if len(self.known) == before:
                return graph


def prune(
    graph: Graph, schema: Schema, where: Mapping[str, Location]
) -> tuple[Graph, list[Problem]]:
    """The graph without dangling references, and a warning for each thing left out."""
    if not _dangling(graph, schema):
        return graph, []
    pruner = _Pruner(graph, schema, where)
    pruned = pruner.run()
    unique = {(p.location, p.message): p for p in pruner.problems}
    return pruned, list(unique.values())


def _refs(record: Any, names: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for name in names:
        value = getattr(record, name) if hasattr(record, name) else record.properties.get(name)
        if isinstance(value, tuple):
            found.extend(value)
        elif isinstance(value, str) and value:
            found.append(value)
    return found


def _dangling(graph: Graph, schema: Schema) -> bool:
    """Quick check: does anything refer to an id that is not a record of the graph?"""
    known = set(graph.entities) | set(graph.incidents) | set(graph.claims) | set(graph.documents)
    refs = {t: tuple(schema.ref_properties(t)) for t in schema.types}
    incident = next(t.name for t in schema.types.values() if t.category == "incident")
    claim = next(t.name for t in schema.types.values() if t.category == "claim")
    for rel in graph.relations.values():
        if rel.source not in known or rel.target not in known:
            return True
    for inc in graph.incidents.values():
        ends = [*_refs(inc, refs[incident]), *(p.entity for p in inc.participants)]
        if any(r not in known for r in ends):
            return True
    for c in graph.claims.values():
        if any(r not in known for r in _refs(c, refs[claim])):
            return True
    for entity in graph.entities.values():
        if any(r not in known for r in _refs(entity, refs[entity.type])):
            return True
    for table in (graph.entities, graph.incidents, graph.claims, graph.relations):
        for record in table.values():
            if any(ev.source and ev.source not in known for ev in record.evidence):
                return True
    return False

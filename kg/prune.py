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
from kg.model import Evidence, Incident
from kg.problems import Problem
from kg.schema import Schema

__all__ = ["Pruner", "refs"]


class Pruner:
    """Leaves out, with a warning each, what refers to an id outside ``known``."""

    def __init__(self, schema: Schema, where: Mapping[str, Location]) -> None:
        self.schema, self.where = schema, where
        self.known: set[str] = set()
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


def refs(record: Any, names: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for name in names:
        value = getattr(record, name) if hasattr(record, name) else record.properties.get(name)
        if isinstance(value, tuple):
            found.extend(value)
        elif isinstance(value, str) and value:
            found.append(value)
    return found

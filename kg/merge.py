"""Merge the annotation files: fold the descriptions several files give of one record into
the record and its statements, and the files' records into one graph.

Order-independent and deterministic: descriptions are taken in file order; a list value is
the union of every description's items; a single value documents disagree on is the one
stated by the most documents, ties going to the value of the first file (by path), and
every value is kept as a :class:`~kg.model.Statement` with its documents. (The build,
:mod:`kg.records`, leaves out a file whose records conflict with another's, and merges the
records it described again without it.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import MISSING, Field, fields, replace
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

from kg.dates import PartialDate
from kg.errors import Location
from kg.model import (
    Claim,
    Entity,
    Evidence,
    Incident,
    Participant,
    Relation,
    Statement,
)
from kg.problems import Problem
from kg.schema import Schema

__all__ = ["Description", "fold", "merge_record", "missing_required", "statement_value"]

R = TypeVar("R", Entity, Incident, Claim, Relation)

_IDENTITY = {"type", "source", "target"}
"""Fields that make a record what it is: descriptions that disagree on them conflict."""
_LISTS = {"aliases", "participants", "about"}
_EVIDENCE_ORDER = attrgetter(*(f.name for f in fields(Evidence)))
"""Evidence's order (its fields in turn, as ``order=True`` compares), at C speed."""


class Description(NamedTuple):
    """One file's description of a record: the record as that file gives it, where (the
    values of its :class:`Location`, made only when asked for: by a problem) and its document
    (a named tuple: one is made for each description a build merges)."""

    record: Entity | Incident | Claim | Relation
    at: tuple[str, int | None, str | None]
    document: str

    @property
    def where(self) -> Location:
        return Location(*self.at)


def statement_value(value: object) -> str:
    """How a value is written in a statement (and in graph.json).

    >>> statement_value(Participant("org:knb", "investigator")), statement_value(3)
    ('org:knb investigator', '3')
    """
    if isinstance(value, Participant):
        return f"{value.entity} {value.role}"
    if isinstance(value, PartialDate):
        return value.isoformat()
    return str(value)


_EMPTY = (None, "", ())
"""The values that give nothing: a description without the field."""


def _empty(value: object) -> bool:
    return value in _EMPTY


class _Folder:
    """Folds the descriptions of one record id."""

    def __init__(self, record_id: str, items: Sequence[Description]) -> None:
        self.id, self.items = record_id, items
        self.records = [d.record for d in items]
        self.docs = [d.document for d in items]
        self.documents = sorted(set(self.docs))
        self.statements: list[Statement] = []
        self.problems: list[Problem] = []

    def files(self, docs: Iterable[str]) -> str:
        wanted = set(docs)
        shown = dict.fromkeys(d.where.file for d in self.items if d.document in wanted)
        return ", ".join(shown)

    def single(self, name: str, values: Sequence[object]) -> Any:
        """The value of ``name`` (each description's in ``values``, in order)."""
        distinct = set(values)  # (hashed at C speed: most records' descriptions agree)
        for empty in _EMPTY:
            distinct.discard(empty)
        if len(distinct) <= 1:  # the first of the value given, as below
            return next(iter(distinct), None)
        support: dict[object, dict[str, None]] = {}  # each value's documents, in order
        for value, doc in zip(values, self.docs, strict=True):
            if not _empty(value):
                support.setdefault(value, {})[doc] = None
        order = list(support)
        chosen = max(order, key=lambda v: len(support[v]))  # the first of the most supported
        for value, docs in support.items():
            self.statements.append(
                Statement(
                    self.id, name, statement_value(value), tuple(sorted(docs)), value == chosen
                )
            )
        listed = "; ".join(f"{statement_value(v)!r} ({self.files(support[v])})" for v in order)
        self.problems.append(
            Problem(
                self.items[0].where,
                "disagreement",
                f"{self.id} {name}: documents disagree: {listed}; showing"
                f" {statement_value(chosen)!r} (most documents, then first file)",
                "warning",
            )
        )
        return chosen

    def union(self, name: str, values: list[tuple[tuple[Any, ...], str]]) -> tuple[Any, ...]:
        support: dict[object, dict[str, None]] = {}  # each item's documents, in order
        for items, doc in values:
            for item in items:
                support.setdefault(item, {})[doc] = None
        if len(self.documents) > 1:
            self.statements.extend(
                Statement(self.id, name, statement_value(item), tuple(sorted(docs)))
                for item, docs in support.items()
            )
        return tuple(support)

    def properties(self) -> dict[str, Any]:
        names = dict.fromkeys(k for d in self.items for k in d.record.properties)
        out: dict[str, Any] = {}
        for name in sorted(names):
            values = [r.properties.get(name) for r in self.records]
            if any(isinstance(v, tuple) for v in values):
                out[name] = self.union(
                    name,
                    [
                        (v, doc)
                        for v, doc in zip(values, self.docs, strict=True)
                        if isinstance(v, tuple)
                    ],
                )
            else:
                value = self.single(name, values)
                if value is not None:
                    out[name] = value
        return out


def fold(
    record_id: str, items: Sequence[Description]
) -> tuple[Any, list[Statement], list[Problem]]:
    """The merged record, its statements and its problems (conflicts are errors)."""
    first = items[0].record
    folder = _Folder(record_id, items)
    record_fields, identity, same = _fields(type(first))
    records, docs = folder.records, folder.docs
    mark = same(first)
    for other in items[1:]:
        if same(other.record) == mark:  # (all its identity at once, at C speed)
            continue
        for name in identity:
            if getattr(other.record, name) != getattr(first, name):
                folder.problems.append(
                    Problem(
                        other.where,
                        "conflict",
                        f"{record_id} has {name} {getattr(other.record, name)!r} here but"
                        f" {getattr(first, name)!r} at {items[0].where}",
                    )
                )
    if any(p.severity == "error" for p in folder.problems):
        return first, [], folder.problems
    changes: dict[str, Any] = {}
    # Each evidence once, by its fields (as it hashes and compares), in its order.
    evidence: dict[tuple[Any, ...], Evidence] = {}
    for record in records:
        evidence.update(zip(map(_EVIDENCE_ORDER, record.evidence), record.evidence, strict=True))
    for f in record_fields:
        if f.name in _IDENTITY or f.name in ("id", "evidence"):
            continue
        if f.name == "properties":
            changes["properties"] = folder.properties()
        elif f.name in _LISTS:
            if isinstance(first, Entity) and f.name == "aliases":
                values = [(e.names, d.document) for d in items if isinstance(e := d.record, Entity)]
            else:
                values = list(zip(map(attrgetter(f.name), records), docs, strict=True))
            merged = folder.union(f.name, values)
            changes[f.name] = tuple(sorted(merged)) if f.name != "aliases" else merged
        elif isinstance(first, Entity) and f.name == "name":
            named = [e.name for d in items if isinstance(e := d.record, Entity) and e.name]
            changes["name"] = named[0] if named else ""
        else:
            value = folder.single(f.name, list(map(attrgetter(f.name), records)))
            changes[f.name] = value if value is not None else _default(f)
    if isinstance(first, Entity):
        changes["aliases"] = tuple(a for a in changes["aliases"] if a != changes["name"])
    changes["evidence"] = tuple(map(evidence.__getitem__, sorted(evidence)))
    return replace(first, **changes), folder.statements, folder.problems


_FIELDS: dict[type, tuple[tuple[Field[Any], ...], list[str], Callable[[Any], Any]]] = {}


def _fields(cls: type) -> tuple[tuple[Field[Any], ...], list[str], Callable[[Any], Any]]:
    """The fields of a record class, the names of those in ``_IDENTITY`` (sorted), and
    a function giving a record's values of those (equal when each is): worked out once
    per class, not once per description."""
    found = _FIELDS.get(cls)
    if found is None:
        every = fields(cls)
        identity = sorted(_IDENTITY & {f.name for f in every})
        same = attrgetter(*identity) if identity else _nothing
        found = _FIELDS[cls] = (every, identity, same)
    return found


def _nothing(_: object) -> None:
    """No identity: every description agrees."""


def _default(f: Field[Any]) -> Any:
    """The empty value of a field no description gives (``""`` for a required text)."""
    return "" if f.default is MISSING else f.default


_REQUIRED: list[tuple[Schema, dict[tuple[type, str], list[str]]]] = []
"""The required properties of each record type, in the schema's order (the last schema's:
a build uses one schema)."""


def missing_required(record: Entity | Incident | Claim | Relation, schema: Schema) -> list[str]:
    """Required properties (by the schema) that the merged record still lacks."""
    key: tuple[type, str] = (
        (type(record), record.type)
        if isinstance(record, (Relation, Entity))
        else (type(record), "")
    )
    if not _REQUIRED or _REQUIRED[0][0] is not schema:
        _REQUIRED[:] = [(schema, {})]
    required = _REQUIRED[0][1].get(key)
    if required is None:
        if isinstance(record, Relation):
            specs: Mapping[str, Any] = {
                **schema.relation_properties,
                **schema.relations[record.type].properties,
            }
        else:
            type_name = (
                record.type if isinstance(record, Entity) else _category_type(record, schema)
            )
            specs = schema.properties_of(type_name)
        required = _REQUIRED[0][1][key] = [n for n, spec in specs.items() if spec.required]
    missing = []
    for name in required:
        value = getattr(record, name, None)
        if value is None:
            value = record.properties.get(name)
        if _empty(value):
            missing.append(name)
    if isinstance(record, Incident) and not record.kind:
        missing.insert(0, "kind")
    return missing


def _category_type(record: Incident | Claim, schema: Schema) -> str:
    category = "incident" if isinstance(record, Incident) else "claim"
    return next(t.name for t in schema.types.values() if t.category == category)


def merge_record(
    record_id: str, items: Sequence[Description], schema: Schema
) -> tuple[Any, list[Statement], list[Problem]]:
    """One record from its descriptions: the record, its statements, its problems."""
    found: list[Statement] = []
    trouble: list[Problem] = []
    if len(items) == 1:
        record = items[0].record
    else:
        record, found, trouble = fold(record_id, items)
    for name in missing_required(record, schema) if not trouble else ():
        trouble.extend(
            Problem(
                d.where,
                "missing-property",
                f"{record_id}: required property '{name}' is missing"
                + (" (no accepted file describing it gives one)" if len(items) > 1 else ""),
            )
            for d in items
        )
    return record, found, trouble

"""Node and edge attributes of NetworkX graphs, as plain values built from model records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.dates import PartialDate
from kg.model import Claim, Document, Entity, Evidence, Incident, Relation, Value
from kg.schema import Category, Schema

__all__ = [
    "Attrs",
    "claim_attrs",
    "document_attrs",
    "entity_attrs",
    "evidence_attrs",
    "incident_attrs",
    "plain",
    "relation_attrs",
    "shorten",
    "type_name",
]

Attrs = dict[str, Any]
"""Attributes of one node or edge: str, int, float, bool, or lists of str; never None."""


def plain(value: Value | None) -> Any:
    """A model value as a plain one: dates as ISO text, tuples as lists.

    >>> plain(PartialDate(2004, 8)), plain(("a", "b")), plain(3)
    ('2004-08', ['a', 'b'], 3)
    """
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return value


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis.

    >>> shorten("There are no terrorist training camps on Kazakh territory.", 30)
    'There are no terrorist…'
    >>> shorten("short")
    'short'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def type_name(schema: Schema, category: Category) -> str:
    """The schema type that holds records of a category (``Incident`` for ``incident``)."""
    types = schema.of_category(category)
    return types[0].name if types else category.capitalize()


def _put(attrs: Attrs, key: str, value: Any) -> None:
    """Set ``key`` unless the value is None; a taken key gets a ``property_`` prefix."""
    if value is None:
        return
    if key in attrs:
        key = f"property_{key}"
    attrs[key] = plain(value)


def _documents(evidence: Iterable[Evidence]) -> list[str]:
    return sorted({ev.document for ev in evidence})


def evidence_attrs(evidence: tuple[Evidence, ...]) -> Attrs:
    """``evidence_count`` (quotes) and ``documents`` (distinct document ids, sorted)."""
    return {"evidence_count": len(evidence), "documents": _documents(evidence)}


def _dated(attrs: Attrs, date: PartialDate | None) -> None:
    if date is not None:
        attrs["date"] = date.isoformat()
        attrs["date_precision"] = date.precision


def entity_attrs(entity: Entity, schema: Schema) -> Attrs:
    """Type, category, label, name, aliases, kind, actor flag, properties and evidence."""
    etype = schema.types.get(entity.type)
    attrs: Attrs = {
        "type": entity.type,
        "category": etype.category if etype else "entity",
        "actor": bool(etype and etype.actor),
        "label": entity.name,
        "name": entity.name,
        "aliases": list(entity.aliases),
    }
    _put(attrs, "kind", entity.kind)
    _put(attrs, "description", entity.description)
    _put(attrs, "note", entity.note)
    for key, value in sorted(entity.properties.items()):
        _put(attrs, key, value)
    attrs.update(evidence_attrs(entity.evidence))
    return attrs


def incident_attrs(incident: Incident, schema: Schema) -> Attrs:
    """Kind (and its CAMEO code), title, date and precision, place, participants, evidence."""
    terms = schema.vocabulary("incident_kinds").terms
    attrs: Attrs = {
        "type": type_name(schema, "incident"),
        "category": "incident",
        "actor": False,
        "label": incident.title,
        "name": incident.title,
        "title": incident.title,
        "kind": incident.kind,
    }
    _put(attrs, "cameo", terms[incident.kind].cameo if incident.kind in terms else None)
    _dated(attrs, incident.date)
    _put(attrs, "place", incident.place)
    attrs["participant_count"] = len(incident.participants)
    _put(attrs, "description", incident.description)
    _put(attrs, "note", incident.note)
    for key, value in sorted(incident.properties.items()):
        _put(attrs, key, value)
    attrs.update(evidence_attrs(incident.evidence))
    return attrs


def claim_attrs(claim: Claim, schema: Schema) -> Attrs:
    """Speaker, stance (and its polarity), content, about, date, source, status, evidence."""
    stances = schema.vocabulary("stances").terms
    attrs: Attrs = {
        "type": type_name(schema, "claim"),
        "category": "claim",
        "actor": False,
        "label": shorten(claim.content),
        "name": claim.content,
        "speaker": claim.speaker,
        "stance": claim.stance,
    }
    _put(attrs, "polarity", stances[claim.stance].polarity if claim.stance in stances else None)
    attrs["content"] = claim.content
    attrs["about"] = list(claim.about)
    _dated(attrs, claim.date)
    _put(attrs, "source", claim.source)
    _put(attrs, "status", claim.status)
    _put(attrs, "note", claim.note)
    for key, value in sorted(claim.properties.items()):
        _put(attrs, key, value)
    attrs.update(evidence_attrs(claim.evidence))
    return attrs


def document_attrs(document: Document, schema: Schema) -> Attrs:
    """Title, date and precision, path, every metadata key, and the sentence count."""
    attrs: Attrs = {
        "type": type_name(schema, "document"),
        "category": "document",
        "actor": False,
        "label": document.title,
        "name": document.title,
        "title": document.title,
    }
    _dated(attrs, document.date)
    _put(attrs, "path", document.path)
    for key, value in sorted(document.metadata.items()):
        _put(attrs, key, value)
    attrs["sentence_count"] = len(document.sentences)
    return attrs


def relation_attrs(relation: Relation, schema: Schema) -> Attrs:
    """Id, type, label (from the schema), symmetric flag, properties, note and evidence."""
    rtype = schema.relations.get(relation.type)
    attrs: Attrs = {
        "id": relation.id,
        "type": relation.type,
        "label": rtype.label if rtype else relation.type.replace("_", " "),
        "symmetric": bool(rtype and rtype.symmetric),
    }
    for key, value in sorted(relation.properties.items()):
        _put(attrs, key, value)
    _put(attrs, "note", relation.note)
    attrs.update(evidence_attrs(relation.evidence))
    attrs["quotes"] = [ev.quote for ev in relation.evidence]
    return attrs

"""Turn one annotation file into typed records, collecting every problem with its file:line.

A file may describe only part of a record that other files also describe: required
properties are checked once the descriptions are merged (see :mod:`kg.merge`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.annvalues import Invalid, Resolver, ValueParser, made
from kg.dates import PartialDate
from kg.errors import Location
from kg.ids import make_id, stable_hash
from kg.model import Claim, Document, Entity, Incident, Participant, Relation
from kg.plain import maker
from kg.problems import Problem
from kg.schema import EntityType, PropertySpec, Schema
from kg.yamlio import LineDict

__all__ = ["SECTIONS", "FileRecords", "Resolver", "declared_records", "parse_annotation_file"]

SECTIONS = ("entities", "incidents", "claims", "relations")
_ENTITY_KEYS = {"id", "type", "evidence"}
_INCIDENT_KEYS = {"id", "kind", "participants", "evidence", "description", "note"}
_CLAIM_KEYS = {"id", "evidence", "note"}
_RELATION_KEYS = {"id", "type", "source", "target", "evidence", "note"}
_PARTICIPANT_KEYS = {"entity", "role"}
_ROLE = PropertySpec("role", "vocab", vocabulary="roles")
_NO_SKIP: frozenset[str] = frozenset()
_NOTE = frozenset({"note"})
_LOCATION = maker(Location)  # Location(file, line, key), as ``made`` makes it
_PARTICIPANT = maker(Participant)  # Participant(entity, role)


@dataclass
class FileRecords:
    """What one annotation file contributes, and what is wrong with it."""

    shown: str
    entities: list[tuple[Entity, Location]] = field(default_factory=list)
    incidents: list[tuple[Incident, Location]] = field(default_factory=list)
    claims: list[tuple[Claim, Location]] = field(default_factory=list)
    relations: list[tuple[Relation, Location]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _section(raw: LineDict, name: str) -> list[Any]:
    """The items of a section, or none when it is not a list (parsing reports that)."""
    items = raw.get(name)
    return items if isinstance(items, list) else []


def record_type(schema: Schema, category: str) -> EntityType:
    """The schema type of the incident or claim category (its prefix, its properties)."""
    found = [t for t in schema.types.values() if t.category == category]
    return found[0]


class _Tables:
    """What parsing looks up in the schema for every item, worked out once per schema."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.entities: dict[str, tuple[EntityType, Mapping[str, PropertySpec], set[str], str]] = {}
        for etype in schema.entity_types:
            specs = schema.properties_of(etype.name)
            self.entities[etype.name] = (
                etype, specs, _ENTITY_KEYS | set(specs), etype.prefix + ":"
            )  # fmt: skip
        self.entity_names = schema.entity_types_names
        self.known_entities = ", ".join(t.name for t in schema.entity_types)
        self.incident = record_type(schema, "incident")
        self.incident_specs = schema.properties_of(self.incident.name)
        self.incident_keys = _INCIDENT_KEYS | set(self.incident_specs)
        self.kind = PropertySpec("kind", "vocab", vocabulary=self.incident.kinds)
        self.kind_terms = _terms(schema, self.kind)
        self.role_terms = _terms(schema, _ROLE)
        self.claim = record_type(schema, "claim")
        self.claim_specs = schema.properties_of(self.claim.name)
        self.claim_keys = _CLAIM_KEYS | set(self.claim_specs)
        self.relations: dict[str, tuple[Mapping[str, PropertySpec], set[str], str]] = {}
        for name, rel in schema.relations.items():
            specs = {**schema.relation_properties, **rel.properties}
            self.relations[name] = (specs, _RELATION_KEYS | set(specs), f"relation {rel.name}")


def _terms(schema: Schema, spec: PropertySpec) -> Mapping[str, object]:
    """The terms of a vocabulary property (none when the schema lacks the vocabulary)."""
    found = schema.vocabularies.get(spec.vocabulary or "")
    return found.terms if found is not None else {}


_LAST_TABLES: list[_Tables] = []


def _tables(schema: Schema) -> _Tables:
    """The tables of ``schema`` (the last schema's are kept: a build uses one schema)."""
    if not _LAST_TABLES or _LAST_TABLES[0].schema is not schema:
        _LAST_TABLES[:] = [_Tables(schema)]
    return _LAST_TABLES[0]


def declared_records(raw: LineDict, schema: Schema) -> list[tuple[str, str, list[str]]]:
    """``(id, type, names)`` of each well-formed entity item and of each incident with an id.

    References are resolved against these before any item is parsed, so files may refer to
    each other's records; an incident can be referred to only through an explicit ``id``.
    An entity item that only adds to a record declared elsewhere may give just its ``id``.
    """
    found: list[tuple[str, str, list[str]]] = []
    tables = _tables(schema)
    incident, incident_prefix = tables.incident, tables.incident.prefix + ":"
    for item in _section(raw, "incidents"):
        given = item.get("id") if isinstance(item, LineDict) else None
        if isinstance(given, str) and given.startswith(incident_prefix):
            found.append((given, incident.name, []))
    entity_types = tables.entities
    for item in _section(raw, "entities"):
        type_name = item.get("type") if isinstance(item, LineDict) else None
        known = entity_types.get(type_name) if isinstance(type_name, str) else None
        if known is None:  # not a type, or not an entity's
            continue
        etype = known[0]
        name, given = item.get("name"), item.get("id")
        named = isinstance(name, str) and bool(name.strip())
        if not (named or isinstance(given, str)):
            continue
        aliases = item.get("aliases")
        names = [name] if named else []
        if aliases and isinstance(aliases, list):
            names += [a for a in aliases if isinstance(a, str)]
        entity_id = given if isinstance(given, str) else make_id(etype.prefix, str(name))
        if not entity_id.startswith(known[3]):
            continue
        found.append((entity_id, etype.name, names))
    return found


class _FileParser(ValueParser):
    def __init__(self, schema: Schema, doc: Document, shown: str, resolve: Resolver) -> None:
        super().__init__(schema, doc, shown, resolve)
        self.tables = _tables(schema)

    # -- items ----------------------------------------------------------------------------------
    def entity(self, item: LineDict) -> Entity:
        type_name = item.get("type")
        found = self.tables.entities.get(type_name) if isinstance(type_name, str) else None
        if found is None:
            known = self.tables.known_entities
            raise self.fail(
                item, "type", "unknown-type", f"unknown entity type {type_name!r} (known: {known})"
            )
        etype, specs, allowed, _ = found
        self.check_keys(item, allowed, etype.name)
        if "kind" in item and not etype.kinds:
            raise self.fail(item, "kind", "unknown-key", f"{etype.name} has no kinds")
        props = self.properties(item, specs, _NO_SKIP, etype.kinds)
        name = str(props.pop("name", ""))
        if not name and "id" not in item:
            raise self.fail(
                item, None, "missing-property", "required property 'name' is missing (or an id)"
            )
        raw_aliases = props.pop("aliases", ())
        aliases: tuple[str, ...] = ()
        if raw_aliases and isinstance(raw_aliases, tuple):
            unique = dict.fromkeys(raw_aliases)
            unique.pop(name, None)
            aliases = tuple(unique)
        entity_id = self.record_id(
            item, etype.prefix, None if "id" in item else make_id(etype.prefix, name)
        )
        kind, description = props.pop("kind", None), props.pop("description", None)
        note = props.pop("note", None)
        return made(
            Entity,
            id=entity_id,
            type=etype.name,
            name=name,
            aliases=aliases,
            kind=None if kind is None else str(kind),
            description=None if description is None else str(description),
            note=None if note is None else str(note),
            properties=props,
            evidence=self.evidence(item, required=False),
        )

    def incident(self, item: LineDict) -> Incident:
        itype, specs = self.tables.incident, self.tables.incident_specs
        self.check_keys(item, self.tables.incident_keys, itype.name)
        kind = item.get("kind")
        if type(kind) is not str or kind not in self.tables.kind_terms:  # else: a term, as is
            if kind is not None or "id" not in item:
                kind = str(self.value(item, self.tables.kind, kind))
            else:
                kind = ""
        props = self.properties(item, specs, _NO_SKIP)
        participants = []
        raw_participants = item.get("participants") or []
        if not isinstance(raw_participants, list):
            raise self.fail(item, "participants", "wrong-type", "'participants' must be a list")
        for entry in raw_participants:
            if not isinstance(entry, LineDict):
                raise self.fail(
                    item, "participants", "wrong-type", "participants are {entity, role} mappings"
                )
            self.check_keys(entry, _PARTICIPANT_KEYS, "participant")
            entity = self.ref(entry, "entity", entry.get("entity"), self.tables.entity_names)
            role = entry.get("role")
            if type(role) is not str or role not in self.tables.role_terms:
                role = str(self.value(entry, _ROLE, role))
            participants.append(_PARTICIPANT((entity, role)))
        date, place = _date(props.pop("date", None)), _opt(props.pop("place", None))
        return made(
            Incident,
            id=self.record_id(
                item,
                itype.prefix,
                None
                if "id" in item
                else make_id(itype.prefix, str(date or "undated"), kind, str(place or "")),
            ),
            kind=kind,
            title=str(props.pop("title", "")),
            date=date,
            place=place,
            participants=tuple(participants)
            if len(participants) == 1
            else tuple(sorted(set(participants))),
            evidence=self.evidence(item, required=True),
            description=_text(item.get("description")),
            note=_text(item.get("note")),
            properties=props,
        )

    def claim(self, item: LineDict) -> Claim:
        ctype, specs = self.tables.claim, self.tables.claim_specs
        self.check_keys(item, self.tables.claim_keys, ctype.name)
        props = self.properties(item, specs, _NO_SKIP)
        speaker, content = str(props.pop("speaker", "")), str(props.pop("content", ""))
        date = _date(props.pop("date", None))
        if not (speaker and content) and "id" not in item:
            missing = "speaker" if not speaker else "content"
            raise self.fail(
                item,
                None,
                "missing-property",
                f"required property '{missing}' is missing (or give the claim's id)",
            )
        about = props.pop("about", ())
        return made(
            Claim,
            id=self.record_id(
                item,
                ctype.prefix,
                None
                if "id" in item
                else make_id(
                    ctype.prefix,
                    speaker.split(":")[-1],
                    str(date or ""),
                    stable_hash(content, length=8),
                ),
            ),
            speaker=speaker,
            stance=str(props.pop("stance", "")),
            content=content,
            about=tuple(about) if isinstance(about, tuple) else (str(about),),
            date=date,
            source=_opt(props.pop("source", None)),
            status=_opt(props.pop("status", None)),
            evidence=self.evidence(item, required=True),
            note=_text(item.get("note")),
            properties=props,
        )

    def relation(self, item: LineDict) -> Relation:
        rel_name = item.get("type")
        rel = self.schema.relations.get(rel_name) if isinstance(rel_name, str) else None
        if rel is None:
            raise self.fail(
                item,
                "type",
                "unknown-relation",
                f"unknown relation type {rel_name!r} (known: {', '.join(self.schema.relations)})",
            )
        specs, keys, what = self.tables.relations[str(rel_name)]
        self.check_keys(item, keys, what)
        source = self.ref(item, "source", item.get("source"), ())
        target = self.ref(item, "target", item.get("target"), ())
        for end, ref_id, allowed in (
            ("source", source, rel.source),
            ("target", target, rel.target),
        ):
            found = self.resolved(ref_id)
            ref_type = found[1] if isinstance(found, tuple) else "?"
            if ref_type not in allowed:
                raise self.fail(
                    item,
                    end,
                    "forbidden-pair",
                    f"{rel.name} does not allow {ref_type} as {end} ({ref_id});"
                    f" allowed: {', '.join(allowed)}",
                )
        props = self.properties(item, specs, _NOTE)
        ends = sorted((source, target)) if rel.symmetric else [source, target]
        given = item["id"] if "id" in item else f"rel:{rel.name}:{stable_hash(rel.name, *ends)}"
        if not isinstance(given, str) or not given.startswith("rel:") or not given.isprintable():
            raise self.fail(
                item, "id", "bad-id", f"relation id {given!r} must start with 'rel:' (one line)"
            )
        return made(
            Relation,
            id=given,
            type=rel.name,
            source=source,
            target=target,
            properties=props,
            evidence=self.evidence(item, required=rel.evidence_required),
            note=_text(item.get("note")),
        )


def _text(value: object) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _date(value: object) -> PartialDate | None:
    return value if isinstance(value, PartialDate) else None


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def parse_annotation_file(
    raw: LineDict, schema: Schema, doc: Document, shown: str, resolve: Resolver
) -> FileRecords:
    """Parse every item of one annotation file; invalid items become problems, not records."""
    parser = _FileParser(schema, doc, shown, resolve)
    records = FileRecords(shown)
    handlers: dict[str, Callable[[LineDict], Any]] = {
        "entities": parser.entity,
        "incidents": parser.incident,
        "claims": parser.claim,
        "relations": parser.relation,
    }
    for section, handler in handlers.items():
        items = raw.get(section) or []
        if not isinstance(items, list):
            parser.problems.append(
                Problem(
                    Location(shown, raw.line_of(section)),
                    "wrong-type",
                    f"'{section}' must be a list",
                )
            )
            continue
        target: list[Any] = getattr(records, section)
        for item in items:
            if not isinstance(item, LineDict):
                parser.problems.append(
                    Problem(
                        Location(shown, raw.line_of(section)),
                        "wrong-type",
                        f"each item of '{section}' must be a mapping",
                    )
                )
                continue
            try:
                record = handler(item)
                target.append((record, _LOCATION((shown, item.line, None))))
            except Invalid:
                continue
    records.problems.extend(parser.problems)
    return records

"""The schema as data: record types, relation types and vocabularies read from ``schema/``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kg.errors import InputError, Location, SchemaError
from kg.yamlio import LineDict, display_path, load_yaml

__all__ = [
    "CATEGORIES",
    "ENTITY_LABEL",
    "EVIDENCE",
    "PARTICIPANT",
    "PROPERTY_TYPES",
    "RELATION_PREFIX",
    "EntityType",
    "PropertySpec",
    "RelationType",
    "Schema",
    "Term",
    "Vocabulary",
    "load_schema",
]

Category = Literal["entity", "incident", "claim", "document"]
CATEGORIES: tuple[Category, ...] = ("entity", "incident", "claim", "document")
PROPERTY_TYPES = ("string", "text", "integer", "number", "boolean", "date", "url", "ref", "vocab")
_TYPE_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
_SNAKE_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PREFIX = re.compile(r"[a-z]{2,8}")
RELATION_PREFIX = "rel"
"""The prefix of every relation id (``rel:...``), so no type may have it: a record id names
one record of one section (graph.json, the build store and RDF rely on it)."""
_FILES = ("entities.yaml", "relations.yaml", "vocabularies.yaml")
ENTITY_LABEL = "Entity"
"""Second label of every entity node (persons, organisations, places...) in Neo4j."""
PARTICIPANT = "PARTICIPANT"
"""Link from an incident to an entity taking part in it, with a ``role``."""
EVIDENCE = "EVIDENCE"
"""Link from a record to a document, with the ``quote`` and its offsets."""


@dataclass(frozen=True)
class Term:
    """One vocabulary term, e.g. incident kind ``bombing`` with CAMEO code ``183``."""

    name: str
    label: str
    description: str | None = None
    cameo: str | None = None
    polarity: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    """A named, closed list of terms."""

    name: str
    terms: Mapping[str, Term]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.terms


@dataclass(frozen=True)
class PropertySpec:
    """A typed property of a record or relation type."""

    name: str
    type: str
    required: bool = False
    list: bool = False
    range: tuple[str, ...] = ()
    vocabulary: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class EntityType:
    """A record type: Person, Organisation, ..., Incident, Claim, Document."""

    name: str
    category: Category
    prefix: str
    label: str
    actor: bool = False
    kinds: str | None = None
    description: str | None = None
    properties: Mapping[str, PropertySpec] = field(default_factory=dict)


@dataclass(frozen=True)
class RelationType:
    """A relation between entities, with its allowed source and target types."""

    name: str
    label: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    symmetric: bool = False
    evidence_required: bool = True
    description: str | None = None
    properties: Mapping[str, PropertySpec] = field(default_factory=dict)

    @property
    def neo4j_type(self) -> str:
        """The relationship type in Neo4j: the name in upper case."""
        return self.name.upper()


@dataclass(frozen=True)
class Schema:
    """The whole schema; every other layer derives its names from this object."""

    types: Mapping[str, EntityType]
    relations: Mapping[str, RelationType]
    vocabularies: Mapping[str, Vocabulary]
    common_properties: Mapping[str, PropertySpec]
    relation_properties: Mapping[str, PropertySpec]
    directory: Path | None = None

    def of_category(self, category: Category) -> tuple[EntityType, ...]:
        return tuple(t for t in self.types.values() if t.category == category)

    @property
    def entity_types(self) -> tuple[EntityType, ...]:
        return self.of_category("entity")

    @property
    def entity_types_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.entity_types)

    @property
    def actor_types(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.types.values() if t.actor)

    def type_for_prefix(self, prefix: str) -> EntityType | None:
        return next((t for t in self.types.values() if t.prefix == prefix), None)

    def properties_of(self, type_name: str) -> Mapping[str, PropertySpec]:
        """All properties of a type: the common ones for entities, plus its own."""
        etype = self.types[type_name]
        if etype.category == "entity":
            return {**self.common_properties, **etype.properties}
        return etype.properties

    def vocabulary(self, name: str) -> Vocabulary:
        return self.vocabularies[name]

    def label(self, name: str) -> str:
        """A Neo4j node label, accepted only if it names a schema type.

        This is the one place labels enter Cypher; anything else raises SchemaError.
        """
        if name not in self.types:
            raise SchemaError(f"unknown type {name!r}; known: {', '.join(self.types)}")
        return name

    def relationship_type(self, name: str) -> str:
        """A Neo4j relationship type for a schema relation, or SchemaError."""
        if name not in self.relations:
            raise SchemaError(f"unknown relation type {name!r}")
        return self.relations[name].neo4j_type

    def labels_for(self, type_name: str) -> tuple[str, ...]:
        """Node labels of a record: its type, plus ``Entity`` for every entity type."""
        label = self.label(type_name)
        return (label, ENTITY_LABEL) if self.types[type_name].category == "entity" else (label,)

    def ref_properties(self, type_name: str) -> Mapping[str, PropertySpec]:
        """The properties of a type that point at other records (drawn as links in graphs)."""
        return {n: p for n, p in self.properties_of(type_name).items() if p.type == "ref"}

    def link_type(self, name: str) -> str:
        """The relationship type of a link: PARTICIPANT, EVIDENCE, or a ref property's name.

        Links are what the model draws from fields rather than from annotated relations:
        ``Incident.place`` becomes ``(incident)-[:PLACE]->(place)``.
        """
        if name.upper() in (PARTICIPANT, EVIDENCE):
            return name.upper()
        for etype in self.types.values():
            if name in self.ref_properties(etype.name):
                return name.upper()
        raise SchemaError(f"unknown link {name!r}: not a ref property of any type")

    def all_relationship_types(self) -> tuple[str, ...]:
        """Every relationship type kg may write: relations, ref links, PARTICIPANT, EVIDENCE."""
        names = {r.neo4j_type for r in self.relations.values()} | {PARTICIPANT, EVIDENCE}
        for etype in self.types.values():
            names |= {p.upper() for p in self.ref_properties(etype.name)}
        return tuple(sorted(names))


class _Reader:
    """Turns one schema file's raw YAML into typed objects, naming file:line on errors."""

    def __init__(self, path: Path) -> None:
        self.shown = display_path(path)
        try:
            raw = load_yaml(path)
        except InputError as exc:
            raise SchemaError(exc.message, exc.location) from None
        if not isinstance(raw, LineDict):
            raise SchemaError("expected a mapping at the top level", Location(self.shown, 1))
        self.raw = raw

    def fail(self, message: str, where: LineDict, key: str, path: str) -> SchemaError:
        return SchemaError(message, Location(self.shown, where.line_of(key), path))

    def mapping(self, parent: LineDict, key: str, path: str, *, optional: bool = False) -> LineDict:
        value = parent.get(key)
        if value is None and optional:
            empty = LineDict()
            empty.line, empty.key_lines = parent.line_of(key), {}
            return empty
        if not isinstance(value, LineDict):
            raise self.fail(f"'{key}' must be a mapping", parent, key, path)
        return value

    def text(self, parent: LineDict, key: str, path: str, *, default: str | None = None) -> str:
        value = parent.get(key, default)
        if not isinstance(value, str) or not value:
            raise self.fail(f"'{key}' must be a non-empty string", parent, key, f"{path}.{key}")
        return value

    def optional_text(self, parent: LineDict, key: str, path: str) -> str | None:
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, str | int):
            raise self.fail(f"'{key}' must be a string", parent, key, f"{path}.{key}")
        return str(value)

    def flag(self, parent: LineDict, key: str, path: str, default: bool = False) -> bool:
        value = parent.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false", parent, key, f"{path}.{key}")
        return value

    def names(self, parent: LineDict, key: str, path: str) -> tuple[str, ...]:
        value = parent.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"'{key}' must be a list of type names", parent, key, f"{path}.{key}")
        return tuple(value)

    def only(self, item: LineDict, allowed: set[str], path: str) -> None:
        for key in item:
            if key not in allowed:
                raise self.fail(
                    f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})",
                    item,
                    key,
                    f"{path}.{key}",
                )

    def properties(self, parent: LineDict, key: str, path: str) -> dict[str, PropertySpec]:
        specs: dict[str, PropertySpec] = {}
        block = self.mapping(parent, key, path, optional=True)
        for name, raw in block.items():
            where = f"{path}.{name}"
            if not _SNAKE_NAME.fullmatch(name):
                raise self.fail("property names are snake_case", block, name, where)
            if not isinstance(raw, LineDict):
                raise self.fail("a property must be a mapping with a 'type'", block, name, where)
            allowed = {"type", "required", "list", "range", "vocabulary", "description"}
            self.only(raw, allowed, where)
            ptype = self.text(raw, "type", where)
            if ptype not in PROPERTY_TYPES:
                raise self.fail(
                    f"unknown property type {ptype!r} (one of {', '.join(PROPERTY_TYPES)})",
                    raw,
                    "type",
                    f"{where}.type",
                )
            specs[name] = PropertySpec(
                name=name,
                type=ptype,
                required=self.flag(raw, "required", where),
                list=self.flag(raw, "list", where),
                range=self.names(raw, "range", where),
                vocabulary=self.optional_text(raw, "vocabulary", where),
                description=self.optional_text(raw, "description", where),
            )
        return specs


def _read_types(reader: _Reader) -> tuple[dict[str, PropertySpec], dict[str, EntityType]]:
    common = reader.properties(reader.raw, "common", "common")
    block = reader.mapping(reader.raw, "types", "types")
    types: dict[str, EntityType] = {}
    prefixes: dict[str, str] = {}
    for name, raw in block.items():
        path = f"types.{name}"
        if not _TYPE_NAME.fullmatch(name):
            raise reader.fail("type names are CamelCase", block, name, path)
        if not isinstance(raw, LineDict):
            raise reader.fail("a type must be a mapping", block, name, path)
        allowed = {"category", "prefix", "actor", "label", "kinds", "description", "properties"}
        reader.only(raw, allowed, path)
        category = reader.text(raw, "category", path, default="entity")
        if category not in CATEGORIES:
            raise reader.fail(
                f"unknown category {category!r} (one of {', '.join(CATEGORIES)})",
                raw,
                "category",
                f"{path}.category",
            )
        prefix = reader.text(raw, "prefix", path)
        if not _PREFIX.fullmatch(prefix):
            raise reader.fail("prefix must be 2-8 lowercase letters", raw, "prefix", path)
        if prefix == RELATION_PREFIX:
            raise reader.fail(f"prefix {prefix!r} is kept for relation ids", raw, "prefix", path)
        if prefix in prefixes:
            raise reader.fail(
                f"prefix {prefix!r} already used by {prefixes[prefix]}", raw, "prefix", path
            )
        prefixes[prefix] = name
        types[name] = EntityType(
            name=name,
            category=category,
            prefix=prefix,
            label=reader.text(raw, "label", path, default=name),
            actor=reader.flag(raw, "actor", path),
            kinds=reader.optional_text(raw, "kinds", path),
            description=reader.optional_text(raw, "description", path),
            properties=reader.properties(raw, "properties", path),
        )
    return common, types


def _read_relations(reader: _Reader) -> tuple[dict[str, PropertySpec], dict[str, RelationType]]:
    common = reader.properties(reader.raw, "common", "common")
    block = reader.mapping(reader.raw, "relations", "relations")
    relations: dict[str, RelationType] = {}
    for name, raw in block.items():
        path = f"relations.{name}"
        if not _SNAKE_NAME.fullmatch(name):
            raise reader.fail("relation names are snake_case", block, name, path)
        if not isinstance(raw, LineDict):
            raise reader.fail("a relation must be a mapping", block, name, path)
        allowed = {"label", "source", "target", "symmetric", "evidence", "description"}
        reader.only(raw, allowed | {"properties"}, path)
        evidence = reader.text(raw, "evidence", path, default="required")
        if evidence not in ("required", "optional"):
            raise reader.fail("evidence must be required or optional", raw, "evidence", path)
        relations[name] = RelationType(
            name=name,
            label=reader.text(raw, "label", path, default=name.replace("_", " ")),
            source=reader.names(raw, "source", path),
            target=reader.names(raw, "target", path),
            symmetric=reader.flag(raw, "symmetric", path),
            evidence_required=evidence == "required",
            description=reader.optional_text(raw, "description", path),
            properties=reader.properties(raw, "properties", path),
        )
    return common, relations


def _read_vocabularies(reader: _Reader) -> dict[str, Vocabulary]:
    vocabularies: dict[str, Vocabulary] = {}
    for name, raw in reader.raw.items():
        if not isinstance(raw, LineDict) or not raw:
            raise reader.fail("a vocabulary must be a non-empty mapping", reader.raw, name, name)
        terms: dict[str, Term] = {}
        for term, spec in raw.items():
            path = f"{name}.{term}"
            if not _SNAKE_NAME.fullmatch(term):
                raise reader.fail("terms are snake_case", raw, term, path)
            if not isinstance(spec, LineDict):
                raise reader.fail("a term must be a mapping with a label", raw, term, path)
            reader.only(spec, {"label", "description", "cameo", "polarity"}, path)
            polarity = reader.optional_text(spec, "polarity", path)
            if polarity not in (None, "positive", "negative", "neutral"):
                raise reader.fail(
                    "polarity is positive, negative or neutral", spec, "polarity", path
                )
            terms[term] = Term(
                name=term,
                label=reader.text(spec, "label", path),
                description=reader.optional_text(spec, "description", path),
                cameo=reader.optional_text(spec, "cameo", path),
                polarity=polarity,
            )
        vocabularies[name] = Vocabulary(name, terms)
    return vocabularies


def _check(schema: Schema, files: Mapping[str, _Reader]) -> None:
    """Cross-file consistency: every name a schema file mentions must exist."""
    types_file, relations_file = files["entities.yaml"], files["relations.yaml"]

    def fail(reader: _Reader, message: str, path: str) -> SchemaError:
        return SchemaError(message, Location(reader.shown, None, path))

    for etype in schema.types.values():
        if etype.kinds and etype.kinds not in schema.vocabularies:
            raise fail(types_file, f"unknown vocabulary {etype.kinds!r}", f"types.{etype.name}")
        for spec in etype.properties.values():
            _check_property(schema, spec, lambda m, n=etype.name: fail(types_file, m, f"types.{n}"))
    for rel in schema.relations.values():
        path = f"relations.{rel.name}"
        if not rel.source or not rel.target:
            raise fail(relations_file, "source and target types are required", path)
        for name in rel.source + rel.target:
            if name not in schema.types:
                raise fail(relations_file, f"unknown type {name!r}", path)
        for spec in rel.properties.values():
            _check_property(schema, spec, lambda m, p=path: fail(relations_file, m, p))
    links = {PARTICIPANT, EVIDENCE} | {
        p.upper() for t in schema.types for p in schema.ref_properties(t)
    }
    for rel in schema.relations.values():
        if rel.neo4j_type in links:
            raise fail(
                relations_file,
                f"relation {rel.name!r} clashes with the link {rel.neo4j_type} that a"
                " property or the model draws; rename it",
                f"relations.{rel.name}",
            )
    missing = {"incident_kinds", "roles", "stances", "claim_statuses"} - set(schema.vocabularies)
    if missing:
        raise SchemaError(f"missing vocabularies: {', '.join(sorted(missing))}")


def _check_property(schema: Schema, spec: PropertySpec, fail: Any) -> None:
    if spec.type == "ref":
        if not spec.range:
            raise fail(f"ref property {spec.name!r} needs a range")
        for name in spec.range:
            if name not in schema.types:
                raise fail(f"property {spec.name!r}: unknown type {name!r} in range")
    if spec.type == "vocab" and spec.vocabulary not in schema.vocabularies:
        raise fail(f"property {spec.name!r}: unknown vocabulary {spec.vocabulary!r}")


def load_schema(directory: Path) -> Schema:
    """Read ``entities.yaml``, ``relations.yaml`` and ``vocabularies.yaml`` from a folder."""
    readers: dict[str, _Reader] = {}
    for name in _FILES:
        path = directory / name
        if not path.is_file():
            raise SchemaError("schema file missing", Location(display_path(path)))
        readers[name] = _Reader(path)
    common, types = _read_types(readers["entities.yaml"])
    relation_common, relations = _read_relations(readers["relations.yaml"])
    schema = Schema(
        types=types,
        relations=relations,
        vocabularies=_read_vocabularies(readers["vocabularies.yaml"]),
        common_properties=common,
        relation_properties=relation_common,
        directory=directory,
    )
    _check(schema, readers)
    return schema

"""Entity recognition for one document: names, phrases, and pruning of unnamed leftovers."""

from __future__ import annotations

from kg.errors import SchemaError
from kg.model import Document
from kg.schema import Schema

from .gazetteer import Gazetteer
from .groups import find_groups
from .headed import find_headed
from .names import NameFinder
from .phrases import find_phrases
from .registry import Registry
from .tokens import Token, tokenize

__all__ = ["ROLES", "entity_types", "find_entities"]

ROLES = ("Person", "Organisation", "Country", "Place", "Group", "Source")
"""The entity types the extractor proposes; each must be an entity type of the schema."""


def entity_types(schema: Schema) -> dict[str, str]:
    """Map each extractor role to the schema's type name; a schema without one is an error."""
    missing = [r for r in ROLES if r not in schema.types or schema.types[r].category != "entity"]
    if missing:
        raise SchemaError(f"kg extract needs the entity types {', '.join(missing)} in the schema")
    return {r: r for r in ROLES}


def find_entities(
    doc: Document, schema: Schema, gazetteer: Gazetteer
) -> tuple[Registry, list[Token]]:
    """The entities a document names, with every mention and the country each passage is about."""
    registry = Registry(doc, schema, gazetteer, entity_types(schema))
    tokens = tokenize(doc.text)
    finder = NameFinder(registry, tokens)
    finder.dateline_pass()
    finder.gazetteer_pass()
    finder.acronym_pass()
    finder.run_pass()
    finder.short_mentions()
    find_phrases(registry)
    find_headed(registry)
    find_groups(registry, tokens)
    return registry, tokens


def prune(registry: Registry, keep: set[str]) -> None:
    """Drop entities that no mention names any more (a longer name of the same type took them)."""
    named = {m.key for m in registry.mentions}
    for key in list(registry.entities):
        entity = registry.entities[key]
        if entity.rule == "demonym":
            continue  # a country named by its demonym only ("Finnish", "Belgian passports")
        if key not in named and key not in keep and entity.type != registry.types["Source"]:
            del registry.entities[key]

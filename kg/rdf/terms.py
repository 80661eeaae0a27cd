"""Schema-derived RDF terms: classes, relation and property predicates, vocabulary concepts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, fields, replace
from urllib.parse import quote, unquote

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from kg.errors import InputError, SchemaError
from kg.model import Claim, Document, Entity, Incident
from kg.rdf.namespaces import KG, KG_NS, VOCAB
from kg.schema import EntityType, PropertySpec, Schema

__all__ = ["LABEL_FIELDS", "ROLES", "Terms", "camel"]

LABEL_FIELDS = {"entity": "name", "incident": "title", "document": "title"}
"""The model field each category writes as rdfs:label (claims have none: their text is content)."""

ALIASES_FIELD = "aliases"
"""The entity field written as skos:altLabel."""

ROLES = "roles"
"""The vocabulary of participant roles (the model's ``Participant.role``)."""

_MODEL = {"entity": Entity, "incident": Incident, "claim": Claim, "document": Document}
_STRUCTURAL_FIELDS = {"id", "type", "evidence", "participants", "properties"}


def camel(name: str) -> str:
    """``holds_post`` -> ``HoldsPost``.

    >>> camel("holds_post"), camel("part_of")
    ('HoldsPost', 'PartOf')
    """
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


class Terms:
    """Every kg term an export, ontology or shape uses, minted only for names in the schema."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.property_names = sorted(
            {
                *schema.common_properties,
                *schema.relation_properties,
                *(p for t in schema.types.values() for p in t.properties),
                *(p for r in schema.relations.values() for p in r.properties),
            }
        )
        fixed = set(KG.__annotations__)
        for name in [
            *schema.types,
            *self.property_names,
            *map(self._statement_name, schema.relations),
        ]:
            if name in fixed:
                raise SchemaError(f"schema name {name!r} clashes with kg's RDF term kg:{name}")
        clash = set(schema.types) & {self._statement_name(r) for r in schema.relations}
        if clash:
            raise SchemaError(
                f"type name(s) {', '.join(sorted(clash))} clash with relation classes"
            )
        self._fields: dict[str, dict[str, PropertySpec]] = {}
        self._predicates: dict[tuple[str, str], URIRef] = {}
        self._concepts: dict[tuple[str, str], URIRef] = {}
        self._names: dict[str, URIRef] = {}
        self._known = frozenset(self.property_names)
        self._refs: dict[str, Mapping[str, PropertySpec]] = {}
        self._types_by_class = {self.cls(name): name for name in schema.types}
        self._relations_by_predicate = {self.relation(name): name for name in schema.relations}

    def _kg(self, name: str) -> URIRef:
        """``kg:name``, made once per name (the exports ask for the same terms millions of
        times)."""
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = KG_NS[name]
        return found

    # -- classes -----------------------------------------------------------------------------
    def cls(self, type_name: str) -> URIRef:
        """The class of a schema type: ``Person`` -> ``kg:Person``."""
        if type_name not in self.schema.types:
            raise SchemaError(f"unknown type {type_name!r}")
        return self._kg(type_name)

    def type_of_class(self, iri: object) -> str | None:
        """The schema type a class IRI stands for, or None."""
        return self._types_by_class.get(iri) if isinstance(iri, URIRef) else None

    def record_type(self, category: str) -> EntityType:
        """The schema type of the incident, claim or document category."""
        for etype in self.schema.types.values():
            if etype.category == category:
                return etype
        raise SchemaError(f"the schema has no type of category {category!r}")

    @staticmethod
    def _statement_name(relation: str) -> str:
        return f"{camel(relation)}Statement"

    def statement_class(self, relation: str) -> URIRef:
        """The class of a relation's qualified nodes: ``kg:HoldsPostStatement`` for holds_post."""
        if relation not in self.schema.relations:
            raise SchemaError(f"unknown relation type {relation!r}")
        return self._kg(self._statement_name(relation))

    # -- predicates --------------------------------------------------------------------------
    def relation(self, name: str) -> URIRef:
        """The predicate of a relation type: ``holds_post`` -> ``kg:holds_post``."""
        if name not in self.schema.relations:
            raise SchemaError(f"unknown relation type {name!r}")
        return self._kg(name)

    def relation_of_predicate(self, iri: object) -> str | None:
        return self._relations_by_predicate.get(iri) if isinstance(iri, URIRef) else None

    def property(self, name: str) -> URIRef:
        """The predicate of a schema property: ``date`` -> ``kg:date``."""
        if name not in self._known:
            raise SchemaError(f"unknown property {name!r}")
        return self._kg(name)

    def field(self, type_name: str, name: str) -> URIRef:
        """The predicate of a record field or property, with labels as rdfs:label/skos:altLabel."""
        found = self._predicates.get((type_name, name))
        if found is None:
            found = self._predicates[type_name, name] = self._field(type_name, name)
        return found

    def _field(self, type_name: str, name: str) -> URIRef:
        category = self.schema.types[type_name].category
        if LABEL_FIELDS.get(category) == name:
            return RDFS.label
        if category == "entity" and name == ALIASES_FIELD:
            return SKOS.altLabel
        return self.property(name)

    def ref_properties(self, type_name: str) -> Mapping[str, PropertySpec]:
        """``Schema.ref_properties``, made once per type: do not change it."""
        found = self._refs.get(type_name)
        if found is None:
            found = self._refs[type_name] = self.schema.ref_properties(type_name)
        return found

    def spec(self, type_name: str, name: str) -> PropertySpec | None:
        """The spec of a record field: the type's own, else the common one (``kind`` gets the
        type's ``kinds`` vocabulary)."""
        etype = self.schema.types[type_name]
        spec = etype.properties.get(name) or self.schema.common_properties.get(name)
        if spec is not None and name == "kind":
            spec = replace(spec, vocabulary=etype.kinds, required=False)
        return spec

    def fields_of(self, type_name: str) -> dict[str, PropertySpec]:
        """The record fields and schema properties of a type written as properties, with specs.

        For entities: the common properties and the type's own. For incidents, claims and
        documents: the model's fields that the schema describes, and the type's own properties.
        ``required`` is set where the schema or the model (a field without default) needs it.
        The dict is made once per type: do not change it.
        """
        found = self._fields.get(type_name)
        if found is None:
            found = self._fields[type_name] = self._fields_of(type_name)
        return found

    def _fields_of(self, type_name: str) -> dict[str, PropertySpec]:
        etype = self.schema.types[type_name]
        model = {
            f.name: f.default is MISSING and f.default_factory is MISSING
            for f in fields(_MODEL[etype.category])
            if f.name not in _STRUCTURAL_FIELDS
        }
        names = list(self.schema.properties_of(type_name))
        if etype.category != "entity":
            common = [n for n in model if n in self.schema.common_properties]
            names = [n for n in model if n in etype.properties] + common + names
        specs: dict[str, PropertySpec] = {}
        for name in dict.fromkeys(names):
            spec = self.spec(type_name, name)
            if spec is not None and not (spec.type == "vocab" and not spec.vocabulary):
                specs[name] = replace(spec, required=spec.required or model.get(name, False))
        return specs

    # -- vocabularies ------------------------------------------------------------------------
    def scheme(self, vocabulary: str) -> URIRef:
        if vocabulary not in self.schema.vocabularies:
            raise SchemaError(f"unknown vocabulary {vocabulary!r}")
        return VOCAB[vocabulary]

    def concept(self, vocabulary: str, term: str) -> URIRef:
        """A vocabulary term: ``("stances", "denies")`` -> ``vocab:stances/denies``."""
        found = self._concepts.get((vocabulary, term))
        if found is None:
            found = URIRef(f"{self.scheme(vocabulary)}/{quote(term, safe='')}")
            self._concepts[vocabulary, term] = found
        return found

    def term_of(self, vocabulary: str, iri: object) -> str:
        """The term a concept IRI of ``vocabulary`` names; InputError for anything else."""
        prefix = f"{self.scheme(vocabulary)}/"
        if not isinstance(iri, URIRef) or not str(iri).startswith(prefix):
            raise InputError(f"{iri!r} is not a term of the vocabulary {vocabulary!r}")
        return unquote(str(iri)[len(prefix) :])

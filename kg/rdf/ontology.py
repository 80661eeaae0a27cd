"""The OWL/RDFS ontology generated from the schema: classes, properties, vocabularies as SKOS."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kg.rdf.alignment import (
    ACTOR_SUPERCLASSES,
    CLASS_ALIGNMENT,
    PROPERTY_ALIGNMENT,
    RELATION_ALIGNMENT,
    STATEMENT_ALIGNMENT,
)
from kg.rdf.literals import DATE_TYPES, datatype_of
from kg.rdf.namespaces import KG, KG_NS, OA, ONTOLOGY_IRI, SDO, SEM, XSD, bind_prefixes
from kg.rdf.terms import ROLES, Terms
from kg.schema import PropertySpec, Schema

__all__ = ["build_ontology"]

_CLASSES: list[tuple[URIRef, str, str, tuple[URIRef, ...]]] = [
    (KG.Record, "record", "Anything with a kg id: an entity, incident, claim or document.", ()),
    (
        KG.Entity,
        "entity",
        "A record of the category entity (person, organisation...).",
        (KG.Record,),
    ),
    (
        KG.Actor,
        "actor",
        "An entity of a type that acts (the schema's `actor: true`).",
        ACTOR_SUPERCLASSES,
    ),
    (
        KG.RelationStatement,
        "relation statement",
        "The qualified node of one relation: rdf:subject, rdf:predicate and rdf:object give the "
        "plain triple; the node carries the relation's id, dates, confidence, note and evidence.",
        (RDF.Statement,),
    ),
    (
        KG.Participation,
        "participation",
        "An entity taking part in an incident in a role.",
        (SEM.Role,),
    ),
    (
        KG.Sentence,
        "sentence",
        "A sentence of a document, by character offsets.",
        (OA.TextPositionSelector,),
    ),
    (KG.MetadataEntry, "metadata entry", "A document header key the schema does not name.", ()),
    (
        KG.DocumentGraph,
        "document graph",
        "The named graph of the facts one document supports.",
        (PROV.Entity,),
    ),
]

# (term, object property?, label, comment, domain, range, super-properties)
_PROPERTIES: list[tuple[URIRef, bool, str, str, URIRef | None, URIRef, tuple[URIRef, ...]]] = [
    (
        KG.hasEvidence,
        True,
        "has evidence",
        "A quote that supports the record or relation.",
        None,
        OA.Annotation,
        (),
    ),
    (
        KG.hasParticipation,
        True,
        "has participation",
        "A participant of the incident, in a role.",
        None,
        KG.Participation,
        (),
    ),
    (KG.playedBy, True, "played by", "The entity taking part.", KG.Participation, KG.Entity, ()),
    (
        KG.inRole,
        True,
        "in role",
        "The participant's role (from the roles vocabulary).",
        KG.Participation,
        SKOS.Concept,
        (SEM.roleType,),
    ),
    (
        KG.fullText,
        False,
        "full text",
        "The document's text; evidence offsets count its characters.",
        None,
        XSD.string,
        (),
    ),
    (KG.hasSentence, True, "has sentence", "A sentence of the document.", None, KG.Sentence, ()),
    (
        KG.sentenceIndex,
        False,
        "sentence index",
        "The 0-based position of the sentence.",
        KG.Sentence,
        XSD.integer,
        (),
    ),
    (
        KG.inSentence,
        True,
        "in sentence",
        "The sentence where the quote starts.",
        OA.Annotation,
        KG.Sentence,
        (),
    ),
    (
        KG.sourcePath,
        False,
        "source path",
        "The file the document was read from.",
        None,
        XSD.string,
        (),
    ),
    (
        KG.hasMetadata,
        True,
        "has metadata",
        "A header entry of the document.",
        None,
        KG.MetadataEntry,
        (),
    ),
    (
        KG.metadataKey,
        False,
        "metadata key",
        "The header key; rdf:value holds the value.",
        KG.MetadataEntry,
        XSD.string,
        (),
    ),
    (
        KG.citedSource,
        True,
        "cited source",
        "The source the article cites for the quote.",
        OA.Annotation,
        KG.Entity,
        (),
    ),
    (
        KG.hasSequence,
        True,
        "has sequence",
        "An rdf:Seq keeping the order of a multi-valued property.",
        None,
        RDF.Seq,
        (),
    ),
    (
        KG.ofProperty,
        True,
        "of property",
        "The property whose values the sequence orders.",
        RDF.Seq,
        RDF.Property,
        (),
    ),
    (
        KG.chosen,
        False,
        "chosen",
        "Whether the record shows this value (documents disagree; see docs/corpus.md).",
        RDF.Statement,
        XSD.boolean,
        (),
    ),
    (
        KG.cameoCode,
        False,
        "CAMEO code",
        "The CAMEO event code of an incident kind.",
        SKOS.Concept,
        XSD.string,
        (),
    ),
    (
        KG.polarity,
        False,
        "polarity",
        "positive, negative or neutral: the polarity of a stance.",
        SKOS.Concept,
        XSD.string,
        (),
    ),
]


def _common_superclass(terms: Terms, classes: list[URIRef]) -> URIRef | None:
    """The one class, or kg:Entity / kg:Record / kg:RelationStatement when all share it."""
    if len(set(classes)) == 1:
        return classes[0]
    types = [terms.type_of_class(c) for c in classes]
    if all(types):
        categories = {terms.schema.types[t].category for t in types if t}
        return KG.Entity if categories == {"entity"} else KG.Record
    statements = {terms.statement_class(r) for r in terms.schema.relations}
    if all(c in statements or c == KG.RelationStatement for c in classes):
        return KG.RelationStatement
    return None


def _comment(terms: Terms, uses: list[tuple[URIRef, PropertySpec]]) -> str | None:
    """The property's description; where uses describe it differently, each one, by class."""
    described = {(c, s.description) for c, s in uses if s.description}
    texts = sorted({text for _, text in described})
    if len(texts) <= 1:
        return texts[0] if texts else None
    named = sorted(f"{terms.type_of_class(c) or c.fragment}: {text}" for c, text in described)
    return " ".join(named)


class _Builder:
    def __init__(self, schema: Schema) -> None:
        self.terms = Terms(schema)
        self.schema = schema
        self.graph = bind_prefixes(Graph())

    def term(self, iri: URIRef, kind: URIRef, label: str, comment: str | None) -> None:
        self.graph.add((iri, RDF.type, kind))
        self.graph.add((iri, RDFS.label, Literal(label)))
        if comment:
            self.graph.add((iri, RDFS.comment, Literal(comment)))
        if str(iri).startswith(str(KG_NS)):
            self.graph.add((iri, RDFS.isDefinedBy, ONTOLOGY_IRI))

    def links(self, iri: URIRef, predicate: URIRef, objects: Iterable[URIRef]) -> None:
        for obj in objects:
            self.graph.add((iri, predicate, obj))

    def domain_range(
        self, iri: URIRef, predicate: URIRef, listed: URIRef, classes: list[URIRef]
    ) -> None:
        common = _common_superclass(self.terms, classes) if classes else None
        if common is not None:
            self.graph.add((iri, predicate, common))
        if len(set(classes)) > 1:
            self.links(iri, listed, classes)

    def header(self) -> None:
        self.term(
            ONTOLOGY_IRI,
            OWL.Ontology,
            "kg ontology",
            "Classes and properties of the kg knowledge graph, generated from schema/ by "
            "'kg export ontology'. Do not edit by hand.",
        )
        for iri, label, comment, parents in _CLASSES:
            self.term(iri, OWL.Class, label, comment)
            self.links(iri, RDFS.subClassOf, parents)
        document = self.terms.cls(self.terms.record_type("document").name)
        incident = self.terms.cls(self.terms.record_type("incident").name)
        where = {
            KG.hasParticipation: incident,
            KG.fullText: document,
            KG.hasSentence: document,
            KG.sourcePath: document,
            KG.hasMetadata: document,
        }
        for iri, is_object, label, comment, domain, range_, parents in _PROPERTIES:
            kind = OWL.ObjectProperty if is_object else OWL.DatatypeProperty
            self.term(iri, kind, label, comment)
            self.links(iri, RDFS.domain, [d for d in (domain or where.get(iri),) if d])
            self.links(iri, RDFS.range, [range_])
            self.links(iri, RDFS.subPropertyOf, parents)
        self.graph.add((KG.hasEvidence, OWL.inverseOf, OA.hasBody))

    def types(self) -> None:
        for etype in self.schema.types.values():
            iri = self.terms.cls(etype.name)
            self.term(iri, OWL.Class, etype.label, etype.description)
            parents = [KG.Entity if etype.category == "entity" else KG.Record]
            parents += [KG.Actor] if etype.actor else []
            self.links(iri, RDFS.subClassOf, [*parents, *CLASS_ALIGNMENT.get(etype.name, ())])

    def relations(self) -> None:
        for rel in self.schema.relations.values():
            iri = self.terms.relation(rel.name)
            self.term(iri, OWL.ObjectProperty, rel.label, rel.description)
            if rel.symmetric:
                self.graph.add((iri, RDF.type, OWL.SymmetricProperty))
            self.domain_range(
                iri, RDFS.domain, SDO.domainIncludes, [self.terms.cls(t) for t in rel.source]
            )
            self.domain_range(
                iri, RDFS.range, SDO.rangeIncludes, [self.terms.cls(t) for t in rel.target]
            )
            self.links(iri, RDFS.subPropertyOf, RELATION_ALIGNMENT.get(rel.name, ()))
            statement = self.terms.statement_class(rel.name)
            self.term(
                statement,
                OWL.Class,
                f"{rel.label} (statement)",
                f"A qualified '{rel.label}' relation: its source, target, metadata and evidence.",
            )
            parents = (KG.RelationStatement, *STATEMENT_ALIGNMENT.get(rel.name, ()))
            self.links(statement, RDFS.subClassOf, parents)

    def usages(self) -> dict[URIRef, list[tuple[URIRef, PropertySpec]]]:
        found: dict[URIRef, list[tuple[URIRef, PropertySpec]]] = defaultdict(list)
        for etype in self.schema.types.values():
            for name, spec in self.terms.fields_of(etype.name).items():
                predicate = self.terms.field(etype.name, name)
                if str(predicate).startswith(str(KG_NS)):
                    found[predicate].append((self.terms.cls(etype.name), spec))
        for spec in self.schema.relation_properties.values():
            found[self.terms.property(spec.name)].append((KG.RelationStatement, spec))
        for rel in self.schema.relations.values():
            for spec in rel.properties.values():
                found[self.terms.property(spec.name)].append(
                    (self.terms.statement_class(rel.name), spec)
                )
        return found

    def properties(self) -> None:
        for iri, uses in sorted(self.usages().items()):
            specs = [spec for _, spec in uses]
            links = {s.type in ("ref", "vocab") for s in specs}
            kind = (
                OWL.ObjectProperty
                if links == {True}
                else OWL.DatatypeProperty
                if links == {False}
                else RDF.Property
            )
            comment = _comment(self.terms, uses)
            self.term(iri, kind, specs[0].name.replace("_", " "), comment)
            self.domain_range(
                iri, RDFS.domain, SDO.domainIncludes, list(dict.fromkeys(c for c, _ in uses))
            )
            ranges = list(
                dict.fromkeys(self.terms.cls(t) for s in specs if s.type == "ref" for t in s.range)
            )
            self.domain_range(iri, RDFS.range, SDO.rangeIncludes, ranges)
            if any(s.type == "vocab" and s.vocabulary for s in specs):
                self.graph.add((iri, RDFS.range, SKOS.Concept))
            datatypes = {datatype_of(s.type) for s in specs if s.type not in ("ref", "vocab")}
            if any(s.type == "date" for s in specs):
                self.graph.add((iri, RDFS.range, RDFS.Literal))
                self.links(iri, SDO.rangeIncludes, DATE_TYPES.values())
            elif len(datatypes) == 1 and None not in datatypes:
                self.links(iri, RDFS.range, [d for d in datatypes if d])
            self.links(iri, RDFS.subPropertyOf, PROPERTY_ALIGNMENT.get(specs[0].name, ()))

    def vocabularies(self) -> None:
        event_kinds = self.terms.record_type("incident").kinds
        for vocabulary in self.schema.vocabularies.values():
            scheme = self.terms.scheme(vocabulary.name)
            self.term(scheme, SKOS.ConceptScheme, vocabulary.name.replace("_", " "), None)
            self.graph.add((scheme, SKOS.prefLabel, Literal(vocabulary.name.replace("_", " "))))
            for term in vocabulary.terms.values():
                concept = self.terms.concept(vocabulary.name, term.name)
                self.graph.add((concept, RDF.type, SKOS.Concept))
                extra = {ROLES: SEM.RoleType, event_kinds: SEM.EventType}.get(vocabulary.name)
                if extra is not None:
                    self.graph.add((concept, RDF.type, extra))
                self.graph.add((concept, SKOS.inScheme, scheme))
                self.graph.add((concept, SKOS.topConceptOf, scheme))
                self.graph.add((concept, SKOS.prefLabel, Literal(term.label)))
                self.graph.add((concept, SKOS.notation, Literal(term.name)))
                for predicate, value in (
                    (SKOS.definition, term.description),
                    (KG.cameoCode, term.cameo),
                    (KG.polarity, term.polarity),
                ):
                    if value:
                        self.graph.add((concept, predicate, Literal(value)))


def build_ontology(schema: Schema) -> Graph:
    """The ontology of ``schema`` as an rdflib Graph (no blank nodes; prefixes bound)."""
    builder = _Builder(schema)
    builder.header()
    builder.types()
    builder.relations()
    builder.properties()
    builder.vocabularies()
    return builder.graph

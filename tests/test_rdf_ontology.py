"""The ontology and shapes are generated from the schema, and the committed files match them."""

from __future__ import annotations

import pytest
from rdflib import Graph as RdfGraph
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import FOAF, OWL, RDF, RDFS, SH, SKOS

from kg.errors import SchemaError
from kg.model import Graph
from kg.rdf import build_ontology, build_shapes
from kg.rdf.alignment import (
    CLASS_ALIGNMENT,
    PROPERTY_ALIGNMENT,
    RELATION_ALIGNMENT,
    STATEMENT_ALIGNMENT,
)
from kg.rdf.export import rdf_graph
from kg.rdf.namespaces import KG, KG_NS, SDO, SEM, VOCAB
from kg.rdf.terms import Terms
from kg.schema import Schema, load_schema

from .conftest import ROOT, ScratchWorkspace


@pytest.fixture(scope="module")
def ontology(schema: Schema) -> RdfGraph:
    return build_ontology(schema)


@pytest.mark.parametrize(
    ("name", "build"), [("ontology", build_ontology), ("shapes", build_shapes)]
)
def test_committed_file_matches_the_schema(schema: Schema, name: str, build: object) -> None:
    committed = RdfGraph().parse(ROOT / "schema" / f"{name}.ttl", format="turtle")
    generated = build(schema)  # type: ignore[operator]
    assert isomorphic(committed, generated), f"schema/{name}.ttl is stale: run 'kg export {name}'"


def test_every_type_is_a_labelled_class_aligned_where_it_fits(
    schema: Schema, ontology: RdfGraph
) -> None:
    terms = Terms(schema)
    for etype in schema.types.values():
        cls = terms.cls(etype.name)
        assert (cls, RDF.type, OWL.Class) in ontology
        assert ontology.value(cls, RDFS.label) == Literal(etype.label)
        parents = set(ontology.objects(cls, RDFS.subClassOf))
        assert (KG.Actor in parents) == etype.actor
        assert (KG.Entity in parents) == (etype.category == "entity")
    assert (terms.cls("Person"), RDFS.subClassOf, SDO.Person) in ontology
    assert (terms.cls("Person"), RDFS.subClassOf, FOAF.Person) in ontology
    assert (terms.cls("Incident"), RDFS.subClassOf, SEM.Event) in ontology
    assert (terms.cls("Document"), RDFS.subClassOf, SDO.NewsArticle) in ontology
    assert (terms.cls("Claim"), RDFS.subClassOf, SDO.Claim) in ontology


def test_relations_are_object_properties_with_domains_and_ranges(
    schema: Schema, ontology: RdfGraph
) -> None:
    terms = Terms(schema)
    for rel in schema.relations.values():
        predicate = terms.relation(rel.name)
        assert (predicate, RDF.type, OWL.ObjectProperty) in ontology
        assert ((predicate, RDF.type, OWL.SymmetricProperty) in ontology) == rel.symmetric
        assert ontology.value(predicate, RDFS.domain) is not None
        assert ontology.value(predicate, RDFS.range) is not None
        listed = set(ontology.objects(predicate, SDO.rangeIncludes)) or {
            ontology.value(predicate, RDFS.range)
        }
        assert listed == {terms.cls(t) for t in rel.target}
    holds_post = terms.relation("holds_post")
    assert ontology.value(holds_post, RDFS.domain) == terms.cls("Person")


def test_properties_have_datatypes_and_vocabularies_are_skos(
    schema: Schema, ontology: RdfGraph
) -> None:
    terms = Terms(schema)
    assert (terms.property("count"), RDF.type, OWL.DatatypeProperty) in ontology
    assert (terms.property("speaker"), RDF.type, OWL.ObjectProperty) in ontology
    assert (
        terms.property("date"),
        SDO.rangeIncludes,
        URIRef("http://www.w3.org/2001/XMLSchema#gYear"),
    ) in ontology
    for vocabulary in schema.vocabularies.values():
        for term in vocabulary.terms.values():
            concept = terms.concept(vocabulary.name, term.name)
            assert ontology.value(concept, SKOS.prefLabel) == Literal(term.label)
            assert ontology.value(concept, SKOS.inScheme) == terms.scheme(vocabulary.name)
    bombing = URIRef(f"{VOCAB}incident_kinds/bombing")
    cameo = schema.vocabulary("incident_kinds").terms["bombing"].cameo
    assert ontology.value(bombing, KG.cameoCode) == Literal(cameo)


def test_export_uses_only_terms_the_ontology_declares(
    seed_graph: Graph, schema: Schema, ontology: RdfGraph
) -> None:
    data = rdf_graph(seed_graph, schema)
    used = set(data.predicates()) | set(data.objects(None, RDF.type))
    ours = {t for t in used if str(t).startswith(str(KG_NS))}
    assert ours
    undeclared = {t for t in ours if (t, RDF.type, None) not in ontology}
    assert not undeclared
    concepts = {o for o in data.objects() if str(o).startswith(str(VOCAB))}
    assert concepts and all((c, RDF.type, SKOS.Concept) in ontology for c in concepts)


def test_alignment_tables_name_only_schema_names(schema: Schema) -> None:
    assert set(CLASS_ALIGNMENT) <= set(schema.types)
    assert set(RELATION_ALIGNMENT) | set(STATEMENT_ALIGNMENT) <= set(schema.relations)
    assert set(PROPERTY_ALIGNMENT) <= set(Terms(schema).property_names)


def test_a_new_schema_type_reaches_ontology_and_shapes(scratch: ScratchWorkspace) -> None:
    entities = scratch.root / "schema" / "entities.yaml"
    entities.write_text(
        entities.read_text("utf-8")
        + """
  Vessel:
    category: entity
    prefix: ves
    actor: false
    label: Vessel
    description: A ship.
    properties:
      tonnage:
        type: integer
        required: true
""",
        "utf-8",
    )
    schema = load_schema(scratch.root / "schema")
    terms = Terms(schema)
    ontology, shapes = build_ontology(schema), build_shapes(schema)
    assert (terms.cls("Vessel"), RDF.type, OWL.Class) in ontology
    assert (terms.property("tonnage"), RDFS.domain, terms.cls("Vessel")) in ontology
    shape = next(shapes.subjects(SH.targetClass, terms.cls("Vessel")))
    tonnage = [
        p
        for p in shapes.objects(shape, SH.property)
        if shapes.value(p, SH.path) == terms.property("tonnage")
    ]
    assert len(tonnage) == 1 and shapes.value(tonnage[0], SH.minCount) == Literal(1)


def test_a_schema_name_clashing_with_kg_terms_is_refused(scratch: ScratchWorkspace) -> None:
    entities = scratch.root / "schema" / "entities.yaml"
    entities.write_text(
        entities.read_text("utf-8")
        + """
  Participation:
    category: entity
    prefix: par
    label: Participation
""",
        "utf-8",
    )
    with pytest.raises(SchemaError, match="kg:Participation"):
        Terms(load_schema(scratch.root / "schema"))


def test_shapes_constrain_required_labels_and_vocabularies(schema: Schema) -> None:
    shapes = build_shapes(schema)
    terms = Terms(schema)
    person = next(shapes.subjects(SH.targetClass, terms.cls("Person")))
    label = next(
        p for p in shapes.objects(person, SH.property) if shapes.value(p, SH.path) == RDFS.label
    )
    assert shapes.value(label, SH.minCount) == Literal(1)
    claim = next(shapes.subjects(SH.targetClass, terms.cls("Claim")))
    stance = next(
        p
        for p in shapes.objects(claim, SH.property)
        if shapes.value(p, SH.path) == terms.property("stance")
    )
    listed = list(shapes.items(shapes.value(stance, SH["in"])))
    assert set(listed) == {terms.concept("stances", t) for t in schema.vocabulary("stances").terms}

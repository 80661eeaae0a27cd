"""SHACL shapes generated from the schema: required properties, datatypes, classes, vocabularies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.rdf.literals import DATE_TYPES, datatype_of
from kg.rdf.namespaces import KG, OA, SHAPES, SHAPES_IRI, XSD, bind_prefixes
from kg.rdf.terms import ROLES, Terms
from kg.schema import PropertySpec, Schema

__all__ = ["build_shapes"]

_NUMBER_TYPES = (XSD.double, XSD.integer, XSD.decimal)


class _Shapes:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.terms = Terms(schema)
        self.graph = bind_prefixes(Graph())
        self.entity_classes = [self.terms.cls(t.name) for t in schema.entity_types]
        self.document = self.terms.cls(self.terms.record_type("document").name)

    # -- building blocks ---------------------------------------------------------------------
    def rdf_list(self, items: Sequence[URIRef | BNode | Literal]) -> BNode:
        head = BNode()
        Collection(self.graph, head, list(items))
        return head

    def one_of(self, predicate: URIRef, values: Iterable[URIRef]) -> BNode:
        """``sh:or (shapes:class-kg-A shapes:class-kg-B ...)``: one of several classes or
        datatypes. The member shapes are named (and shared), which keeps blank nodes to the
        lists and makes comparing two shapes graphs fast."""
        members = []
        for value in values:
            kind = predicate.fragment
            member = SHAPES[f"{kind}-{self.graph.namespace_manager.qname(value).replace(':', '-')}"]
            self.graph.add((member, RDF.type, SH.NodeShape))
            self.graph.add((member, predicate, value))
            members.append(member)
        return self.rdf_list(members)

    def node(self, name: str, label: str, target: tuple[URIRef, URIRef]) -> URIRef:
        """A node shape; type shapes are named by the type (CamelCase), relation shapes by the
        relation (snake_case), the fixed ones start in lower case and hold an upper-case letter,
        so no two can clash."""
        shape = SHAPES[name]
        self.graph.add((shape, RDF.type, SH.NodeShape))
        self.graph.add((shape, RDFS.label, Literal(label)))
        self.graph.add((shape, *target))
        return shape

    def prop(
        self,
        owner: URIRef,
        name: str,
        path: URIRef,
        *,
        required: bool = False,
        single: bool = True,
        datatypes: Sequence[URIRef] = (),
        classes: Sequence[URIRef] = (),
        values: Sequence[URIRef] | None = None,
        has_value: URIRef | None = None,
        description: str | None = None,
    ) -> URIRef:
        """A property shape ``shapes:<owner>-<name>`` attached to ``owner``."""
        shape = SHAPES[f"{owner.fragment}-{name}"]
        add = self.graph.add
        add((owner, SH.property, shape))
        add((shape, RDF.type, SH.PropertyShape))
        add((shape, SH.path, path))
        add((shape, SH.name, Literal(name)))
        if description:
            add((shape, SH.description, Literal(description)))
        if required:
            add((shape, SH.minCount, Literal(1)))
        if single:
            add((shape, SH.maxCount, Literal(1)))
        if len(datatypes) == 1:
            add((shape, SH.datatype, datatypes[0]))
        elif datatypes:
            add((shape, SH["or"], self.one_of(SH.datatype, datatypes)))
        if classes or values is not None or has_value is not None:
            add((shape, SH.nodeKind, SH.IRI))
        if len(classes) == 1:
            add((shape, SH["class"], classes[0]))
        elif classes:
            add((shape, SH["or"], self.one_of(SH["class"], classes)))
        if values is not None:
            add((shape, SH["in"], self.rdf_list(list(values))))
        if has_value is not None:
            add((shape, SH.hasValue, has_value))
        return shape

    def spec_prop(self, owner: URIRef, name: str, path: URIRef, spec: PropertySpec) -> None:
        """A property shape for a schema property: its datatype, classes or vocabulary."""
        classes: list[URIRef] = []
        values: list[URIRef] | None = None
        datatypes: list[URIRef] = []
        if spec.type == "ref":
            classes = [self.terms.cls(t) for t in spec.range]
        elif spec.type == "vocab" and spec.vocabulary:
            terms = self.schema.vocabulary(spec.vocabulary).terms
            values = [self.terms.concept(spec.vocabulary, t) for t in terms]
        elif spec.type == "date":
            datatypes = list(DATE_TYPES.values())
        elif spec.type == "number":
            datatypes = list(_NUMBER_TYPES)
        else:
            datatype = datatype_of(spec.type)
            datatypes = [datatype] if datatype else []
        self.prop(
            owner,
            name,
            path,
            required=spec.required,
            single=not spec.list,
            datatypes=datatypes,
            classes=classes,
            values=values,
            description=spec.description,
        )

    # -- shapes ------------------------------------------------------------------------------
    def types(self) -> None:
        for etype in self.schema.types.values():
            cls = self.terms.cls(etype.name)
            shape = self.node(etype.name, f"{etype.label} shape", (SH.targetClass, cls))
            for name, spec in self.terms.fields_of(etype.name).items():
                self.spec_prop(shape, name, self.terms.field(etype.name, name), spec)
            self.prop(shape, "evidence", KG.hasEvidence, single=False, classes=[OA.Annotation])
            if etype.category == "incident":
                self.prop(
                    shape,
                    "participants",
                    KG.hasParticipation,
                    single=False,
                    classes=[KG.Participation],
                )
            if etype.category == "document":
                self.prop(shape, "text", KG.fullText, required=True, datatypes=[XSD.string])
                self.prop(shape, "sentences", KG.hasSentence, single=False, classes=[KG.Sentence])
                self.prop(shape, "path", KG.sourcePath, datatypes=[XSD.string])
                self.prop(
                    shape, "metadata", KG.hasMetadata, single=False, classes=[KG.MetadataEntry]
                )

    def relations(self) -> None:
        predicates = [self.terms.relation(r) for r in self.schema.relations]
        shape = self.node(
            "kgRelationStatement",
            "relation statement shape",
            (SH.targetClass, KG.RelationStatement),
        )
        self.prop(shape, "predicate", RDF.predicate, required=True, values=predicates)
        for rel in self.schema.relations.values():
            predicate = self.terms.relation(rel.name)
            sources = [self.terms.cls(t) for t in rel.source]
            targets = [self.terms.cls(t) for t in rel.target]
            shape = self.node(
                rel.name, f"{rel.label}: source and target types", (SH.targetSubjectsOf, predicate)
            )
            self.graph.add((shape, SH["or"], self.one_of(SH["class"], sources)))
            self.prop(shape, "target", predicate, single=False, classes=targets)
            statement = self.node(
                f"{rel.name}-statement",
                f"{rel.label} (statement) shape",
                (SH.targetClass, self.terms.statement_class(rel.name)),
            )
            self.prop(statement, "source", RDF.subject, required=True, classes=sources)
            self.prop(statement, "type", RDF.predicate, required=True, has_value=predicate)
            self.prop(statement, "target", RDF.object, required=True, classes=targets)
            for spec in {**self.schema.relation_properties, **rel.properties}.values():
                self.spec_prop(statement, spec.name, self.terms.property(spec.name), spec)
            self.prop(
                statement,
                "evidence",
                KG.hasEvidence,
                required=rel.evidence_required,
                single=False,
                classes=[OA.Annotation],
            )

    def structure(self) -> None:
        """Participations, Web Annotations and their selectors, sentences, metadata entries."""
        roles = self.schema.vocabulary(ROLES).terms
        shape = self.node(
            "kgParticipation", "participation shape", (SH.targetClass, KG.Participation)
        )
        self.prop(shape, "entity", KG.playedBy, required=True, classes=self.entity_classes)
        self.prop(
            shape,
            "role",
            KG.inRole,
            required=True,
            values=[self.terms.concept(ROLES, r) for r in roles],
        )
        shape = self.node(
            "oaAnnotation", "evidence annotation shape", (SH.targetClass, OA.Annotation)
        )
        self.prop(shape, "target", OA.hasTarget, required=True, classes=[OA.SpecificResource])
        self.prop(shape, "source", KG.citedSource, classes=self.entity_classes)
        self.prop(shape, "sentence", KG.inSentence, classes=[KG.Sentence])
        shape = self.node(
            "oaSpecificResource", "quoted document shape", (SH.targetClass, OA.SpecificResource)
        )
        self.prop(shape, "document", OA.hasSource, required=True, classes=[self.document])
        self.prop(
            shape,
            "selector",
            OA.hasSelector,
            required=True,
            single=False,
            classes=[OA.TextQuoteSelector, OA.TextPositionSelector],
        )
        shape = self.node(
            "oaTextQuoteSelector", "quote shape", (SH.targetClass, OA.TextQuoteSelector)
        )
        self.prop(shape, "exact", OA.exact, required=True, datatypes=[XSD.string])
        self.prop(shape, "prefix", OA.prefix, datatypes=[XSD.string])
        self.prop(shape, "suffix", OA.suffix, datatypes=[XSD.string])
        for name, cls in (
            ("oaTextPositionSelector", OA.TextPositionSelector),
            ("kgSentence", KG.Sentence),
        ):
            shape = self.node(name, f"{cls.fragment} offsets shape", (SH.targetClass, cls))
            for field, path in (("start", OA.start), ("end", OA.end)):
                prop = self.prop(shape, field, path, required=True, datatypes=[XSD.integer])
                self.graph.add((prop, SH.minInclusive, Literal(0)))
        self.prop(
            SHAPES["kgSentence"], "index", KG.sentenceIndex, required=True, datatypes=[XSD.integer]
        )
        shape = self.node(
            "kgMetadataEntry", "metadata entry shape", (SH.targetClass, KG.MetadataEntry)
        )
        self.prop(shape, "key", KG.metadataKey, required=True, datatypes=[XSD.string])
        self.prop(shape, "value", RDF.value, required=True, datatypes=[XSD.string])


def build_shapes(schema: Schema) -> Graph:
    """The SHACL shapes of ``schema`` as an rdflib Graph (lists and sh:or members are blank)."""
    shapes = _Shapes(schema)
    shapes.graph.add((SHAPES_IRI, RDF.type, OWL.Ontology))
    shapes.graph.add((SHAPES_IRI, RDFS.label, Literal("kg SHACL shapes")))
    shapes.graph.add(
        (
            SHAPES_IRI,
            RDFS.comment,
            Literal("Generated from schema/ by 'kg export shapes'. Do not edit by hand."),
        )
    )
    shapes.types()
    shapes.relations()
    shapes.structure()
    return shapes.graph

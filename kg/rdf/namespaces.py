"""The RDF namespaces kg uses, defined once: kg's own, SEM, Web Annotation, and the prefixes."""

from __future__ import annotations

from typing import Any

import rdflib.namespace
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID

__all__ = [
    "DEFAULT_BASE",
    "KG",
    "KG_NS",
    "OA",
    "ONTOLOGY_IRI",
    "PREFIXES",
    "SDO",
    "SEM",
    "SHAPES",
    "SHAPES_IRI",
    "VOCAB",
    "XSD",
    "bind_prefixes",
    "cached",
]

DEFAULT_BASE = "https://kg.example.org/id/"
"""Where record IRIs live by default: ``org:knb`` becomes ``https://kg.example.org/id/org:knb``."""

ONTOLOGY_IRI = URIRef("https://kg.example.org/ontology")
KG_NS = Namespace(f"{ONTOLOGY_IRI}#")
"""Classes and properties: fixed terms (``KG``) and the ones derived from the schema."""

VOCAB = Namespace("https://kg.example.org/vocab/")
"""SKOS concept schemes of the schema's vocabularies: ``vocab:stances/denies``."""

SHAPES_IRI = URIRef("https://kg.example.org/shapes")
SHAPES = Namespace(f"{SHAPES_IRI}#")
"""SHACL shapes derived from the schema."""


class KG(rdflib.namespace.DefinedNamespace):
    """kg's structural terms: the ones the schema does not define (the schema's own are minted
    from its type, relation and property names by :class:`kg.rdf.terms.Terms`)."""

    _NS = KG_NS
    _fail = True

    # classes
    Record: URIRef  # anything with an id: an entity, incident, claim or document
    Entity: URIRef  # a record of the category "entity"
    Actor: URIRef  # an entity type marked `actor` in the schema
    RelationStatement: URIRef  # the qualified (n-ary) node of one relation, with its metadata
    Participation: URIRef  # an entity taking part in an incident in a role
    Sentence: URIRef  # a sentence of a document, by character offsets
    MetadataEntry: URIRef  # a document header key the schema does not name
    DocumentGraph: URIRef  # the named graph of the facts one document supports

    # properties
    hasEvidence: URIRef  # record or statement -> oa:Annotation
    hasParticipation: URIRef  # incident -> Participation
    playedBy: URIRef  # Participation -> entity
    inRole: URIRef  # Participation -> role concept
    fullText: URIRef  # document -> its text
    hasSentence: URIRef  # document -> Sentence
    sentenceIndex: URIRef  # Sentence -> its 0-based position
    inSentence: URIRef  # oa:Annotation -> the Sentence holding the quote's start
    sourcePath: URIRef  # document -> the file it was read from
    hasMetadata: URIRef  # document -> MetadataEntry
    metadataKey: URIRef  # MetadataEntry -> the header key (the value is rdf:value)
    citedSource: URIRef  # oa:Annotation -> the Source entity the article cites for the quote
    hasSequence: URIRef  # record -> rdf:Seq keeping the order of a multi-valued property
    ofProperty: URIRef  # rdf:Seq -> the property whose values it orders
    cameoCode: URIRef  # incident kind concept -> its CAMEO code
    polarity: URIRef  # stance concept -> positive, negative or neutral
    chosen: URIRef  # rdf:Statement -> whether the record shows this value of its property


class SEM(rdflib.namespace.DefinedNamespace):
    """The Simple Event Model (events, actors, places, times, roles)."""

    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    _fail = True

    Event: URIRef
    Actor: URIRef
    Place: URIRef
    Time: URIRef
    Role: URIRef
    RoleType: URIRef
    EventType: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTime: URIRef
    hasTimeStamp: URIRef
    eventType: URIRef
    roleType: URIRef


class OA(rdflib.namespace.DefinedNamespace):
    """W3C Web Annotation: annotations, specific resources and text selectors."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef


class SDO(rdflib.namespace.DefinedNamespace):
    """The schema.org terms kg aligns to (rdflib's SDO and XSD are open: any name passes with a
    warning; these closed subsets make a misspelt term fail at import time)."""

    _NS = Namespace("https://schema.org/")
    _fail = True

    Person: URIRef
    Organization: URIRef
    Country: URIRef
    Place: URIRef
    Event: URIRef
    Claim: URIRef
    NewsArticle: URIRef
    CreativeWork: URIRef
    about: URIRef
    author: URIRef
    containedInPlace: URIRef
    description: URIRef
    domainIncludes: URIRef
    endDate: URIRef
    identifier: URIRef
    location: URIRef
    nationality: URIRef
    publisher: URIRef
    rangeIncludes: URIRef
    relatedTo: URIRef
    startDate: URIRef
    text: URIRef
    url: URIRef


class XSD(rdflib.namespace.DefinedNamespace):
    """The XML Schema datatypes kg writes or reads."""

    _NS = Namespace("http://www.w3.org/2001/XMLSchema#")
    _fail = True

    string: URIRef
    boolean: URIRef
    integer: URIRef
    int: URIRef
    long: URIRef
    nonNegativeInteger: URIRef
    decimal: URIRef
    double: URIRef
    float: URIRef
    anyURI: URIRef
    date: URIRef
    gYearMonth: URIRef
    gYear: URIRef


PREFIXES: dict[str, Namespace | str] = {
    "kg": KG_NS,
    "vocab": VOCAB,
    "shapes": SHAPES,
    "schema": Namespace(str(SDO._NS)),
    "foaf": Namespace(str(FOAF._NS)),
    "org": Namespace(str(ORG._NS)),
    "sem": Namespace(str(SEM._NS)),
    "prov": Namespace(str(PROV._NS)),
    "oa": Namespace(str(OA._NS)),
    "skos": Namespace(str(SKOS._NS)),
    "dcterms": Namespace(str(DCTERMS._NS)),
    "void": Namespace(str(VOID._NS)),
    "owl": Namespace(str(OWL._NS)),
    "rdf": Namespace(str(RDF._NS)),
    "rdfs": Namespace(str(RDFS._NS)),
    "xsd": Namespace(str(XSD._NS)),
    "sh": Namespace(str(SH._NS)),
}
"""Prefix -> namespace, bound on every graph kg writes (so Turtle and TriG read well)."""


def bind_prefixes(graph: Graph, base: str | None = None) -> Graph:
    """Bind kg's prefixes (and ``id:`` for the record base, if given) on ``graph``."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    if base is not None:
        graph.bind("id", Namespace(base), override=True, replace=True)
    return graph


class _Cached:
    """A namespace whose terms are looked up once: rdflib resolves ``RDF.type`` in Python on
    every use, which the exports do millions of times."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        found: URIRef = getattr(self._namespace, name)
        setattr(self, name, found)
        return found

    def __getitem__(self, name: str) -> URIRef:
        found: URIRef = self._namespace[name]
        return found


def cached(namespace: Any) -> Any:
    """``namespace`` (an rdflib namespace) with each term looked up once, then kept.

    >>> cached(RDF).type == RDF.type, cached(RDF)["_1"] == RDF["_1"]
    (True, True)
    """
    return _Cached(namespace)

"""Read RDF written by ``kg export rdf`` back into the Graph model, losslessly."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any, TypeVar

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib import Graph as RdfGraph
from rdflib.exceptions import Error as RdflibError
from rdflib.namespace import PROV, RDF, VOID
from rdflib.term import Node

from kg.errors import InputError, Location
from kg.model import (
    Claim,
    Document,
    Entity,
    Evidence,
    Graph,
    Incident,
    Participant,
    Relation,
    Statement,
)
from kg.rdf.export import format_for_path
from kg.rdf.iris import Minter
from kg.rdf.literals import literal_value
from kg.rdf.namespaces import DEFAULT_BASE, KG, KG_NS, OA, ONTOLOGY_IRI
from kg.rdf.order import canonical, evidence_key, participant_key, value_key
from kg.rdf.terms import ROLES, Terms
from kg.schema import PropertySpec, Schema

__all__ = ["detect_base", "graph_from_rdf", "load_rdf"]

T = TypeVar("T")
_DOCUMENT_FIELDS = {f.name for f in fields(Document)}


def load_rdf(source: Path | RdfGraph) -> RdfGraph:
    """One rdflib Graph holding every triple of a file (named graphs merged) or of a graph."""
    if isinstance(source, RdfGraph) and not isinstance(source, Dataset):
        return source
    dataset = source if isinstance(source, Dataset) else Dataset()
    if isinstance(source, Path):
        fmt = format_for_path(source)
        try:
            dataset.parse(source, format=fmt.rdflib)
        except (SyntaxError, RdflibError, ValueError, OSError) as exc:
            message = " ".join(str(exc).split())[:300]
            raise InputError(
                f"cannot read as {fmt.name}: {message}", Location(str(source))
            ) from None
    union = RdfGraph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def detect_base(rdf: RdfGraph) -> str | None:
    """The record base an export declared (its void:Dataset using kg's ontology), if any."""
    bases = sorted(str(s) for s in rdf.subjects(VOID.vocabulary, ONTOLOGY_IRI))
    if len(bases) > 1:
        raise InputError(f"several kg datasets in one input: {', '.join(bases)}; give --base-iri")
    return bases[0] if bases else None


class _Reader:
    def __init__(self, rdf: RdfGraph, schema: Schema, base: str) -> None:
        self.rdf = rdf
        self.terms = Terms(schema)
        self.schema = schema
        self.mint = Minter(base)
        self._evidence: dict[Node, Evidence] = {}

    # -- nodes and values -------------------------------------------------------------------
    def one(self, subject: Node, predicate: URIRef, *, required: bool = False) -> Node | None:
        values = list(self.rdf.objects(subject, predicate))
        if len(values) > 1:
            raise InputError(
                f"{subject.n3()} has {len(values)} values for {predicate.n3()}, expected one"
            )
        if not values and required:
            raise InputError(f"{subject.n3()} has no {predicate.n3()}")
        return values[0] if values else None

    def id_of(self, node: Node | None) -> str:
        return self.mint.id_of(node)

    def value(self, node: Node, spec: PropertySpec | None) -> Any:
        if isinstance(node, Literal):
            return literal_value(node)
        if isinstance(node, URIRef) and spec is not None:
            if spec.type == "ref":
                return self.mint.id_of(node)
            if spec.type == "vocab" and spec.vocabulary:
                return self.terms.term_of(spec.vocabulary, node)
        raise InputError(
            f"unexpected {node.n3() if not isinstance(node, BNode) else 'blank node'} "
            f"as a value of {spec.name if spec else 'a property'}"
        )

    def ordered(
        self,
        subject: Node,
        predicate: URIRef,
        convert: Callable[[Node], T],
        key: Callable[[T], Any],
    ) -> tuple[T, ...]:
        """The values in the order of the subject's rdf:Seq for ``predicate``, else canonical."""
        nodes = set(self.rdf.objects(subject, predicate))
        for seq in self.rdf.objects(subject, KG.hasSequence):
            if self.one(seq, KG.ofProperty) == predicate:
                members = sorted(
                    (int(str(p).rsplit("_", 1)[1]), o)
                    for p, o in self.rdf.predicate_objects(seq)
                    if str(p).startswith(f"{RDF._NS}_") and str(p).rsplit("_", 1)[1].isdigit()
                )
                listed = [o for _, o in members]
                rest = canonical([convert(n) for n in nodes - set(listed)], key)
                return (*[convert(n) for n in listed], *rest)
        return tuple(canonical([convert(n) for n in nodes], key))

    def fields(self, subject: Node, type_name: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, spec in self.terms.fields_of(type_name).items():
            found = self.property(subject, self.terms.field(type_name, name), spec)
            if found is not None:
                values[name] = found
        return values

    def property(self, subject: Node, predicate: URIRef, spec: PropertySpec) -> Any:
        """The value of a property (a tuple for a list), or None when the RDF has none."""
        if spec.list:
            found = self.ordered(subject, predicate, lambda n: self.value(n, spec), value_key)
            return found or None
        node = self.one(subject, predicate)
        return None if node is None else self.value(node, spec)

    def build(self, cls: type[T], subject: Node, values: dict[str, Any]) -> T:
        """A model object; a required field the RDF lacks is an InputError naming the node."""
        for field in fields(cls):  # type: ignore[arg-type]
            if (
                field.name not in values
                and field.default is MISSING
                and field.default_factory is MISSING
            ):
                raise InputError(f"{subject.n3()} lacks {field.name!r}")
        return cls(**values)

    # -- evidence ---------------------------------------------------------------------------
    def annotation(self, node: Node) -> Evidence:
        if node not in self._evidence:
            target = self.one(node, OA.hasTarget, required=True)
            document = self.id_of(self.one(target, OA.hasSource, required=True))  # type: ignore[arg-type]
            quote, start, end = None, None, None
            for selector in self.rdf.objects(target, OA.hasSelector):
                types = set(self.rdf.objects(selector, RDF.type))
                if OA.TextQuoteSelector in types:
                    quote = str(self.one(selector, OA.exact, required=True))
                if OA.TextPositionSelector in types:
                    start = int(str(self.one(selector, OA.start, required=True)))
                    end = int(str(self.one(selector, OA.end, required=True)))
            if quote is None or start is None or end is None:
                raise InputError(
                    f"{node.n3()}: an annotation needs a quote and a position selector"
                )
            source = self.one(node, KG.citedSource)
            self._evidence[node] = Evidence(
                document, start, end, quote, self.id_of(source) if source is not None else None
            )
        return self._evidence[node]

    def evidence(self, subject: Node) -> tuple[Evidence, ...]:
        return self.ordered(subject, KG.hasEvidence, self.annotation, evidence_key)

    # -- records ----------------------------------------------------------------------------
    def subjects(self, type_name: str) -> list[URIRef]:
        found = self.rdf.subjects(RDF.type, self.terms.cls(type_name))
        return sorted(s for s in found if isinstance(s, URIRef))

    def entities(self) -> dict[str, Entity]:
        entities: dict[str, Entity] = {}
        names = {f.name for f in fields(Entity)}
        for etype in self.schema.entity_types:
            for subject in self.subjects(etype.name):
                values = self.fields(subject, etype.name)
                record_id = self.id_of(subject)
                if record_id in entities:
                    raise InputError(
                        f"{subject.n3()} is typed both {entities[record_id].type} and {etype.name}"
                    )
                properties = {k: v for k, v in values.items() if k not in names}
                kept = {k: v for k, v in values.items() if k in names}
                entities[record_id] = self.build(
                    Entity,
                    subject,
                    {
                        **kept,
                        "id": record_id,
                        "type": etype.name,
                        "properties": properties,
                        "evidence": self.evidence(subject),
                    },
                )
        return entities

    def incidents(self) -> dict[str, Incident]:
        incidents: dict[str, Incident] = {}
        type_name = self.terms.record_type("incident").name
        for subject in self.subjects(type_name):
            participants = self.ordered(
                subject, KG.hasParticipation, self.participant, participant_key
            )
            incidents[self.id_of(subject)] = self.build(
                Incident,
                subject,
                {
                    **_split(Incident, self.fields(subject, type_name)),
                    "id": self.id_of(subject),
                    "participants": participants,
                    "evidence": self.evidence(subject),
                },
            )
        return incidents

    def participant(self, node: Node) -> Participant:
        entity = self.id_of(self.one(node, KG.playedBy, required=True))
        role = self.terms.term_of(ROLES, self.one(node, KG.inRole, required=True))
        return Participant(entity, role)

    def claims(self) -> dict[str, Claim]:
        claims: dict[str, Claim] = {}
        type_name = self.terms.record_type("claim").name
        for subject in self.subjects(type_name):
            claims[self.id_of(subject)] = self.build(
                Claim,
                subject,
                {
                    **_split(Claim, self.fields(subject, type_name)),
                    "id": self.id_of(subject),
                    "evidence": self.evidence(subject),
                },
            )
        return claims

    def statements(self) -> tuple[Statement, ...]:
        """The reified statements: values documents add to or disagree about."""
        nodes = self.rdf.subjects(RDF.type, RDF.Statement)
        return tuple(sorted(_statement(self, n) for n in set(nodes)))

    def relations(self) -> dict[str, Relation]:
        relations: dict[str, Relation] = {}
        found = self.rdf.subjects(RDF.type, KG.RelationStatement)
        for subject in sorted(s for s in found if isinstance(s, URIRef)):
            predicate = self.one(subject, RDF.predicate, required=True)
            name = self.terms.relation_of_predicate(predicate)
            if name is None:
                raise InputError(f"{subject.n3()}: {predicate!r} is not a relation of the schema")
            specs = {**self.schema.relation_properties, **self.schema.relations[name].properties}
            properties: dict[str, Any] = {}
            for prop, spec in specs.items():
                value = self.property(subject, self.terms.property(prop), spec)
                if value is not None:
                    properties[prop] = value
            note = properties.pop("note", None)
            relations[self.id_of(subject)] = Relation(
                self.id_of(subject),
                name,
                self.id_of(self.one(subject, RDF.subject, required=True)),
                self.id_of(self.one(subject, RDF.object, required=True)),
                properties,
                self.evidence(subject),
                note,
            )
        return relations

    def documents(self) -> dict[str, Document]:
        documents: dict[str, Document] = {}
        type_name = self.terms.record_type("document").name
        for subject in self.subjects(type_name):
            values = self.fields(subject, type_name)
            metadata = {k: str(v) for k, v in values.items() if k not in _DOCUMENT_FIELDS}
            for entry in self.rdf.objects(subject, KG.hasMetadata):
                key = self.one(entry, KG.metadataKey, required=True)
                metadata[str(key)] = str(self.one(entry, RDF.value, required=True))
            sentences = sorted(
                (
                    int(str(self.one(node, KG.sentenceIndex, required=True))),
                    int(str(self.one(node, OA.start, required=True))),
                    int(str(self.one(node, OA.end, required=True))),
                )
                for node in self.rdf.objects(subject, KG.hasSentence)
            )
            path = self.one(subject, KG.sourcePath)
            text = self.one(subject, KG.fullText, required=True)
            documents[self.id_of(subject)] = self.build(
                Document,
                subject,
                {
                    "id": self.id_of(subject),
                    "title": values.get("title"),
                    "date": values.get("date"),
                    "text": str(text),
                    "sentences": tuple((s, e) for _, s, e in sentences),
                    "path": str(path) if path is not None else None,
                    "metadata": metadata,
                },
            )
        return documents


def _statement(reader: _Reader, node: Node) -> Statement:
    predicate = str(reader.one(node, RDF.predicate, required=True))
    chosen = reader.one(node, KG.chosen, required=True)
    return Statement(
        reader.id_of(reader.one(node, RDF.subject, required=True)),
        "participants" if predicate == str(KG.hasParticipation) else predicate[len(KG_NS) :],
        str(reader.one(node, RDF.object, required=True)),
        tuple(sorted(reader.id_of(d) for d in reader.rdf.objects(node, PROV.wasDerivedFrom))),
        isinstance(chosen, Literal) and chosen.toPython() is True,
    )


def _split(cls: type[Incident | Claim], values: dict[str, Any]) -> dict[str, Any]:
    """Values of the model's fields, the others (schema-declared) under ``properties``."""
    names = {f.name for f in fields(cls)}
    kept = {k: v for k, v in values.items() if k in names}
    kept["properties"] = dict(sorted((k, v) for k, v in values.items() if k not in names))
    return kept


def _sorted(table: Iterable[tuple[str, T]]) -> dict[str, T]:
    return dict(sorted(table))


def graph_from_rdf(source: Path | RdfGraph, schema: Schema, base_iri: str | None = None) -> Graph:
    """The Graph an RDF export holds (any format kg writes, or an rdflib graph or dataset).

    ``base_iri`` defaults to the base the export declares, else ``DEFAULT_BASE``. Triples kg
    does not write (other vocabularies, inferred types) are ignored.
    """
    rdf = load_rdf(source)
    reader = _Reader(rdf, schema, base_iri or detect_base(rdf) or DEFAULT_BASE)
    where = Location(str(source)) if isinstance(source, Path) else None
    try:
        return Graph(
            documents=_sorted(reader.documents().items()),
            entities=_sorted(reader.entities().items()),
            incidents=_sorted(reader.incidents().items()),
            claims=_sorted(reader.claims().items()),
            relations=_sorted(reader.relations().items()),
            statements=reader.statements(),
        )
    except InputError as exc:
        raise InputError(exc.message, exc.location or where) from None

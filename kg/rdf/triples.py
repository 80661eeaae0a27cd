"""The Graph as RDF quads, record by record: the one mapping every RDF format is written from."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any

from rdflib import Literal, URIRef
from rdflib import namespace as _ns
from rdflib.term import Node

from kg.errors import InputError
from kg.ids import stable_hash
from kg.links import EVIDENCE_LINK, PARTICIPANT_LINK, Link, record_links
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
    Value,
)
from kg.rdf.iris import Minter
from kg.rdf.literals import value_literal
from kg.rdf.namespaces import DEFAULT_BASE, KG_NS, ONTOLOGY_IRI, cached
from kg.rdf.namespaces import KG as _KG
from kg.rdf.namespaces import OA as _OA
from kg.rdf.namespaces import SEM as _SEM
from kg.rdf.ntriples import TermTexts, escape_string, term
from kg.rdf.order import evidence_key, is_canonical, participant_key, value_key
from kg.rdf.terms import ROLES, Terms
from kg.schema import PropertySpec, Schema

__all__ = ["CONTEXT_CHARS", "Quad", "QuadMaker", "record_fields"]

Quad = tuple[Node, Node, Node, URIRef | None]
"""Subject, predicate, object and graph (None for the default graph)."""

CONTEXT_CHARS = 32
"""Characters of text around a quote kept as oa:prefix and oa:suffix."""

RDF, PROV, VOID, KG, OA, SEM = (cached(n) for n in (_ns.RDF, _ns.PROV, _ns.VOID, _KG, _OA, _SEM))
_STRUCTURAL = {"id", "type", "evidence", "participants", "properties"}
_DOCUMENT_FIELDS = {f.name for f in fields(Document)}


def record_fields(record: Entity | Incident | Claim) -> dict[str, Any]:
    """A record's fields that are written as properties (its ``properties`` included)."""
    values = {f.name: getattr(record, f.name) for f in fields(record) if f.name not in _STRUCTURAL}
    clash = set(values) & set(record.properties)
    if clash:
        raise InputError(f"{record.id}: property {sorted(clash)[0]!r} shadows a field")
    values.update(record.properties)
    return values


class _Chunk:
    """The quads of one record, each added to the record's graphs."""

    def __init__(self) -> None:
        self.out: list[Any] = []

    def add(self, s: Node, p: Node, o: Node, graphs: Sequence[URIRef | None]) -> None:
        for graph in graphs:
            self.out.append((s, p, o, graph))

    def add_all(self, triples: Iterable[tuple[Any, Any, Any]], graphs: Sequence[Any]) -> None:
        """Each triple in each of ``graphs``."""
        self.out.extend((s, p, o, g) for s, p, o in triples for g in graphs)


class _LineChunk(_Chunk):
    """The N-Triples or N-Quads lines of one record, made as its quads are added (no quad
    objects); a line may repeat (``QuadMaker.line_chunks`` makes them distinct)."""

    def __init__(self, texts: TermTexts, quads: bool) -> None:
        super().__init__()
        self.texts, self.quads = texts, quads

    def add(self, s: Any, p: Any, o: Any, graphs: Sequence[URIRef | None]) -> None:
        self.add_all(((s, p, o),), graphs)

    def add_all(self, triples: Iterable[tuple[Any, Any, Any]], graphs: Sequence[Any]) -> None:
        get, new, append = self.texts.texts.get, self.texts.add, self.out.append
        if self.quads:  # the end of each line: its graph, if any
            ends = [" .\n" if g is None else f" {get(id(g)) or new(g)} .\n" for g in graphs]
        else:
            ends = [" .\n"]  # the same triple in several graphs: one line
        for s, p, o in triples:
            head = (
                f"{s if s.__class__ is str else get(id(s)) or new(s)} "
                f"{get(id(p)) or new(p)} "
                f"{o if o.__class__ is str else get(id(o)) or new(o)}"
            )
            for end in ends:
                append(head + end)


class QuadMaker:
    """Turns a Graph into chunks of quads, one chunk per record, in a deterministic order.

    Entities and documents live in the default graph; incidents, claims and relations in the
    named graph of each document whose evidence supports them (the default graph if none does);
    evidence annotations in their document's graph.
    """

    def __init__(
        self, graph: Graph, schema: Schema, base: str = DEFAULT_BASE, *, text: bool = False
    ) -> None:
        self.graph = graph
        self.terms = Terms(schema)
        self.mint = Minter(base, text=text)
        self.text = text
        """When True, the parts of records (annotations and their parts, sentences,
        participations...) and the literals of annotations and sentences are given as their
        N-Triples text (``str``) rather than as rdflib terms: for writers of lines only."""
        self._annotations: set[Any] = set()
        self._integers: dict[int, Any] = {}
        self._chunk: Callable[[], _Chunk] = _Chunk
        self._sentences: dict[str, tuple[list[int], Sequence[tuple[int, int]]]] = {}

    def integer(self, number: int) -> Any:
        """``Literal(number)`` (or its text), made once per number (offsets, indexes repeat)."""
        found = self._integers.get(number)
        if found is None:
            found = Literal(number)
            found = self._integers[number] = term(found) if self.text else found
        return found

    def string(self, value: str) -> Any:
        """``Literal(value)``, or its N-Triples text."""
        return f'"{escape_string(value)}"' if self.text else Literal(value)

    def chunks(self) -> Iterator[list[Quad]]:
        """Header, documents, entities, incidents, claims, relations; each table by id."""
        self._annotations = set()
        yield self.header()
        g = self.graph
        yield from (self.document(g.documents[k]) for k in sorted(g.documents))
        yield from (self.entity(g.entities[k]) for k in sorted(g.entities))
        yield from (self.incident(g.incidents[k]) for k in sorted(g.incidents))
        yield from (self.claim(g.claims[k]) for k in sorted(g.claims))
        yield from (self.relation(g.relations[k]) for k in sorted(g.relations))
        yield from (self.statement(s) for s in g.statements)

    def quads(self) -> Iterator[Quad]:
        for chunk in self.chunks():
            yield from chunk

    def line_chunks(self, quads: bool) -> Iterator[list[str]]:
        """The N-Quads (``quads``) or N-Triples lines of each chunk, sorted and distinct
        (needs ``text=True``)."""
        if not self.text:
            raise ValueError("line_chunks needs QuadMaker(text=True)")
        texts = TermTexts()

        def chunk() -> _Chunk:
            texts.trim()
            return _LineChunk(texts, quads)

        self._chunk = chunk
        try:
            for lines in self.chunks():  # lists of str here
                yield sorted(set[str](lines))  # type: ignore[arg-type]
        finally:
            self._chunk = _Chunk

    def statement(self, statement: Statement) -> list[Quad]:
        """A value documents add to or disagree about, as a reified rdf:Statement with the
        documents stating it (prov:wasDerivedFrom) and whether the record shows it."""
        chunk, subject = self._chunk(), self.mint.record(statement.record)
        node = URIRef(
            f"{subject}/statement/{statement.property}/{stable_hash(statement.value, length=12)}"
        )
        predicate = (
            KG.hasParticipation
            if statement.property == "participants"
            else KG_NS[statement.property]
        )
        chunk.add(node, RDF.type, RDF.Statement, [None])
        chunk.add(node, RDF.subject, subject, [None])
        chunk.add(node, RDF.predicate, predicate, [None])
        chunk.add(node, RDF.object, self.string(statement.value), [None])
        chunk.add(node, KG.chosen, Literal(statement.chosen), [None])
        for doc in statement.documents:
            chunk.add(node, PROV.wasDerivedFrom, self.mint.record(doc), [None])
        return chunk.out

    # -- shared pieces ---------------------------------------------------------------------
    def header(self) -> list[Quad]:
        chunk, dataset = self._chunk(), self.mint.dataset
        chunk.add(dataset, RDF.type, VOID.Dataset, [None])
        chunk.add(dataset, VOID.vocabulary, ONTOLOGY_IRI, [None])
        return chunk.out

    def homes(self, evidence: Sequence[Evidence]) -> list[URIRef | None]:
        graphs = sorted({self.mint.document_graph(ev.document) for ev in evidence})
        return list(graphs) or [None]

    def obj(self, spec: PropertySpec | None, value: Value, owner: str) -> Any:
        if isinstance(value, tuple):
            raise InputError(f"{owner}: a list inside a list: {value!r}")
        if spec is not None and isinstance(value, str):
            if spec.type == "ref":
                return self.mint.record(value)
            if spec.type == "vocab" and spec.vocabulary:
                return self.terms.concept(spec.vocabulary, value)
        if type(value) is str and (spec is None or spec.type != "url"):
            return self.string(value)  # the literal value_literal makes, or its text
        return value_literal(value, spec.type if spec else None)

    def converter(self, spec: PropertySpec | None, owner: str) -> Callable[[Any], Node]:
        """Value -> RDF term under ``spec`` (for the items of a list)."""
        return lambda value: self.obj(spec, value, owner)

    def ordered(
        self,
        chunk: _Chunk,
        subject: URIRef,
        field: str,
        predicate: URIRef,
        items: Sequence[Any],
        node: Callable[[Any], Node],
        key: Callable[[Any], Any],
        graphs: Sequence[URIRef | None],
    ) -> None:
        """``subject predicate node(item)`` per item, plus an rdf:Seq when the order is not the
        canonical one (or an item repeats), so that reading the RDF back restores it."""
        objects = [node(item) for item in items]
        for obj in objects:
            chunk.add(subject, predicate, obj, graphs)
        if not is_canonical(items, key):
            self.sequence(chunk, subject, field, predicate, objects, graphs)

    def sequence(
        self,
        chunk: _Chunk,
        subject: URIRef,
        field: str,
        predicate: URIRef,
        objects: Sequence[Node],
        graphs: Sequence[URIRef | None],
    ) -> None:
        """The rdf:Seq of a field's values, in the order the Graph holds them."""
        seq = self.mint.sequence(subject, field)
        chunk.add(subject, KG.hasSequence, seq, graphs)
        chunk.add(seq, RDF.type, RDF.Seq, graphs)
        chunk.add(seq, KG.ofProperty, predicate, graphs)
        for position, obj in enumerate(objects, start=1):
            chunk.add(seq, RDF[f"_{position}"], obj, graphs)

    def values(
        self,
        chunk: _Chunk,
        subject: URIRef,
        type_name: str,
        values: Mapping[str, Any],
        graphs: Sequence[URIRef | None],
        owner: str,
    ) -> None:
        specs = self.terms.fields_of(type_name)
        for name, value in values.items():
            if value is None or value == ():
                continue
            if name not in specs:
                raise InputError(f"{owner}: {type_name} has no property {name!r}")
            spec, predicate = specs[name], self.terms.field(type_name, name)
            if isinstance(value, tuple):
                self.ordered(
                    chunk,
                    subject,
                    name,
                    predicate,
                    value,
                    self.converter(spec, owner),
                    value_key,
                    graphs,
                )
            else:
                chunk.add(subject, predicate, self.obj(spec, value, owner), graphs)

    def evidence(
        self,
        chunk: _Chunk,
        subject: URIRef,
        items: Sequence[Evidence],
        order_graphs: Sequence[URIRef | None],
    ) -> None:
        """Links to one Web Annotation per quote, each in its document's graph."""
        for ev in items:
            annotation, graph = self.mint.annotation(ev), [self.mint.document_graph(ev.document)]
            chunk.add_all(
                (
                    (subject, KG.hasEvidence, annotation),
                    (annotation, OA.hasBody, subject),
                    (subject, PROV.wasDerivedFrom, self.mint.record(ev.document)),
                ),
                graph,
            )
            if annotation not in self._annotations:
                self._annotations.add(annotation)
                self.annotation(chunk, annotation, ev, graph)
        if not is_canonical(items, evidence_key):
            annotations = [self.mint.annotation(ev) for ev in items]
            self.sequence(chunk, subject, "evidence", KG.hasEvidence, annotations, order_graphs)

    def annotation(
        self, chunk: _Chunk, iri: URIRef, ev: Evidence, graph: Sequence[URIRef | None]
    ) -> None:
        part = self.mint.annotation_part
        target, quote, position = (part(iri, p) for p in ("target", "quote", "position"))
        triples = [
            (iri, RDF.type, OA.Annotation),
            (iri, OA.hasTarget, target),
            (target, RDF.type, OA.SpecificResource),
            (target, OA.hasSource, self.mint.record(ev.document)),
            (target, OA.hasSelector, quote),
            (target, OA.hasSelector, position),
            (quote, RDF.type, OA.TextQuoteSelector),
            (quote, OA.exact, self.string(ev.quote)),
            (position, RDF.type, OA.TextPositionSelector),
            (position, OA.start, self.integer(ev.start)),
            (position, OA.end, self.integer(ev.end)),
        ]
        if ev.source is not None:
            triples.append((iri, KG.citedSource, self.mint.record(ev.source)))
        doc = self.graph.documents.get(ev.document)
        if doc is not None and doc.text[ev.start : ev.end] == ev.quote:
            text = doc.text
            triples.append(
                (quote, OA.prefix, self.string(text[max(0, ev.start - CONTEXT_CHARS) : ev.start]))
            )
            triples.append((quote, OA.suffix, self.string(text[ev.end : ev.end + CONTEXT_CHARS])))
            index = self.sentence_index(doc, ev.start)
            if index is not None:
                triples.append((iri, KG.inSentence, self.mint.sentence(doc.id, index)))
        chunk.add_all(triples, graph)

    def sentence_index(self, doc: Document, offset: int) -> int | None:
        """As :func:`kg.text.sentence_index` on the document's sentences (starts listed once)."""
        found = self._sentences.get(doc.id)
        if found is None:
            found = self._sentences[doc.id] = ([s for s, _ in doc.sentences], doc.sentences)
        starts, spans = found
        i = bisect.bisect_right(starts, offset) - 1
        return i if i >= 0 and spans[i][0] <= offset < spans[i][1] else None

    # -- records ---------------------------------------------------------------------------
    def record(
        self, record: Entity | Incident | Claim, type_name: str, graphs: list[URIRef | None]
    ) -> tuple[_Chunk, URIRef]:
        """A record's class and values, then its links (``kg.links``): participations, ref
        properties and evidence, each from the record to what its field names."""
        chunk, subject = self._chunk(), self.mint.record(record.id)
        chunk.add(subject, RDF.type, self.terms.cls(type_name), graphs)
        refs = self.terms.schema.ref_properties(type_name)
        values = {k: v for k, v in record_fields(record).items() if k not in refs}
        self.values(chunk, subject, type_name, values, graphs, record.id)
        by_kind: dict[str, list[Link]] = {}
        for link in record_links(record, self.terms.schema):
            by_kind.setdefault(link.kind, []).append(link)
        for kind, found in by_kind.items():
            if kind == EVIDENCE_LINK:
                self.evidence(chunk, subject, [link.evidence[0] for link in found], graphs)
            elif kind == PARTICIPANT_LINK:
                self.participations(chunk, subject, record.id, found, graphs)
            else:
                predicate, targets = self.terms.field(type_name, kind), [x.target for x in found]
                if refs[kind].list:
                    self.ordered(
                        chunk,
                        subject,
                        kind,
                        predicate,
                        targets,
                        self.mint.record,
                        value_key,
                        graphs,
                    )
                else:
                    chunk.add(subject, predicate, self.mint.record(targets[0]), graphs)
        return chunk, subject

    def participations(
        self,
        chunk: _Chunk,
        subject: URIRef,
        incident: str,
        found: Sequence[Link],
        graphs: Sequence[URIRef | None],
    ) -> None:
        """An incident's participant links: sem:hasActor, and a kg:Participation node each."""

        def participation(p: Participant) -> Any:
            node, actor = self.mint.participation(incident, p), self.mint.record(p.entity)
            chunk.add(subject, SEM.hasActor, actor, graphs)
            chunk.add(node, RDF.type, KG.Participation, graphs)
            chunk.add(node, KG.playedBy, actor, graphs)
            chunk.add(node, KG.inRole, self.terms.concept(ROLES, p.role), graphs)
            return node

        items = [Participant(x.target, str(x.properties["role"])) for x in found]
        self.ordered(
            chunk,
            subject,
            "participants",
            KG.hasParticipation,
            items,
            participation,
            participant_key,
            graphs,
        )

    def entity(self, entity: Entity) -> list[Quad]:
        if self.terms.schema.types.get(entity.type, None) is None:
            raise InputError(f"{entity.id}: unknown type {entity.type!r}")
        return self.record(entity, entity.type, [None])[0].out

    def incident(self, incident: Incident) -> list[Quad]:
        graphs = self.homes(incident.evidence)
        return self.record(incident, self.terms.record_type("incident").name, graphs)[0].out

    def claim(self, claim: Claim) -> list[Quad]:
        graphs = self.homes(claim.evidence)
        return self.record(claim, self.terms.record_type("claim").name, graphs)[0].out

    def relation(self, relation: Relation) -> list[Quad]:
        rel = self.terms.schema.relations.get(relation.type)
        if rel is None:
            raise InputError(f"{relation.id}: unknown relation type {relation.type!r}")
        specs = {**self.terms.schema.relation_properties, **rel.properties}
        graphs, chunk = self.homes(relation.evidence), self._chunk()
        subject, predicate = self.mint.record(relation.id), self.terms.relation(rel.name)
        source, target = self.mint.record(relation.source), self.mint.record(relation.target)
        chunk.add(source, predicate, target, graphs)
        chunk.add(subject, RDF.type, KG.RelationStatement, graphs)
        chunk.add(subject, RDF.type, self.terms.statement_class(rel.name), graphs)
        chunk.add(subject, RDF.subject, source, graphs)
        chunk.add(subject, RDF.predicate, predicate, graphs)
        chunk.add(subject, RDF.object, target, graphs)
        values: dict[str, Any] = dict(relation.properties)
        if relation.note is not None:
            if "note" in values:
                raise InputError(f"{relation.id}: 'note' is both a field and a property")
            values["note"] = relation.note
        for name, value in values.items():
            if name not in specs:
                raise InputError(f"{relation.id}: {rel.name} has no property {name!r}")
            if isinstance(value, tuple):
                self.ordered(
                    chunk,
                    subject,
                    name,
                    self.terms.property(name),
                    value,
                    self.converter(specs[name], relation.id),
                    value_key,
                    graphs,
                )
            else:
                chunk.add(
                    subject,
                    self.terms.property(name),
                    self.obj(specs[name], value, relation.id),
                    graphs,
                )
        self.evidence(chunk, subject, relation.evidence, graphs)
        return chunk.out

    def document(self, doc: Document) -> list[Quad]:
        chunk, subject, home = self._chunk(), self.mint.record(doc.id), [None]
        type_name = self.terms.record_type("document").name
        specs = self.terms.fields_of(type_name)
        chunk.add(subject, RDF.type, self.terms.cls(type_name), home)
        self.values(chunk, subject, type_name, {"title": doc.title, "date": doc.date}, home, doc.id)
        chunk.add(subject, KG.fullText, self.string(doc.text), home)
        if doc.path is not None:
            chunk.add(subject, KG.sourcePath, self.string(doc.path), home)
        for index, (start, end) in enumerate(doc.sentences):
            sentence = self.mint.sentence(doc.id, index)
            chunk.add_all(
                (
                    (subject, KG.hasSentence, sentence),
                    (sentence, RDF.type, KG.Sentence),
                    (sentence, KG.sentenceIndex, self.integer(index)),
                    (sentence, OA.start, self.integer(start)),
                    (sentence, OA.end, self.integer(end)),
                ),
                home,
            )
        for key, value in doc.metadata.items():
            spec = specs.get(key)
            if (
                spec is not None
                and key not in _DOCUMENT_FIELDS
                and spec.type in ("string", "text", "url")
            ):
                chunk.add(subject, self.terms.property(key), value_literal(value, spec.type), home)
                continue
            entry = self.mint.metadata(doc.id, key)
            chunk.add(subject, KG.hasMetadata, entry, home)
            chunk.add(entry, RDF.type, KG.MetadataEntry, home)
            chunk.add(entry, KG.metadataKey, self.string(key), home)
            chunk.add(entry, RDF.value, self.string(value), home)
        graph = self.mint.document_graph(doc.id)
        chunk.add(graph, RDF.type, KG.DocumentGraph, home)
        chunk.add(graph, PROV.wasDerivedFrom, subject, home)
        return chunk.out

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
from kg.rdf.iris import Minter, encode_segment
from kg.rdf.literals import value_literal
from kg.rdf.namespaces import DEFAULT_BASE, KG_NS, ONTOLOGY_IRI, cached
from kg.rdf.namespaces import KG as _KG
from kg.rdf.namespaces import OA as _OA
from kg.rdf.namespaces import SEM as _SEM
from kg.rdf.ntriples import escape_string, term
from kg.rdf.order import evidence_key, is_canonical, participant_key, value_key
from kg.rdf.terms import ROLES, Terms
from kg.schema import PropertySpec, Schema

__all__ = ["CONTEXT_CHARS", "Chunk", "Quad", "QuadMaker", "record_fields"]

Quad = tuple[Node, Node, Node, URIRef | None]
"""Subject, predicate, object and graph (None for the default graph)."""

CONTEXT_CHARS = 32
"""Characters of text around a quote kept as oa:prefix and oa:suffix."""

_NAMESPACES = (_ns.RDF, _ns.PROV, _ns.VOID, _KG, _OA, _SEM)
_STRUCTURAL = {"id", "type", "evidence", "participants", "properties"}
_DOCUMENT_FIELDS = {f.name for f in fields(Document)}
_FIELDS = {
    cls: tuple(f.name for f in fields(cls) if f.name not in _STRUCTURAL)
    for cls in (Entity, Incident, Claim)
}
_VALUES_KEPT = 100_000
"""Texts of values' literals (dates mostly) a line writer remembers at most."""


def record_fields(record: Entity | Incident | Claim) -> dict[str, Any]:
    """A record's fields that are written as properties (its ``properties`` included)."""
    values = {name: getattr(record, name) for name in _FIELDS[record.__class__]}
    clash = set(values) & set(record.properties)
    if clash:
        raise InputError(f"{record.id}: property {sorted(clash)[0]!r} shadows a field")
    values.update(record.properties)
    return values


class Chunk:
    """The quads of one record, each added to the record's graphs."""

    def __init__(self) -> None:
        self.out: list[Any] = []

    def add(self, s: Node, p: Node, o: Node, graphs: Sequence[URIRef | None]) -> None:
        for graph in graphs:
            self.out.append((s, p, o, graph))

    def add_all(self, triples: Iterable[tuple[Any, Any, Any]], graphs: Sequence[Any]) -> None:
        """Each triple in each of ``graphs``."""
        self.out.extend((s, p, o, g) for s, p, o in triples for g in graphs)


class _LineChunk(Chunk):
    """The N-Triples lines of one record, made as its triples are added (every term given as
    its text already); a line may repeat (``QuadMaker.line_chunks`` makes them distinct)."""

    def add(self, s: Any, p: Any, o: Any, graphs: Sequence[URIRef | None]) -> None:
        self.out.append(f"{s} {p} {o} .\n")  # the same triple in several graphs: one line

    def add_all(self, triples: Iterable[tuple[Any, Any, Any]], graphs: Sequence[Any]) -> None:
        self.out.extend([f"{s} {p} {o} .\n" for s, p, o in triples])


class _QuadLineChunk(Chunk):
    """The N-Quads lines of one record: a line per triple and graph (the graph's text once)."""

    def __init__(self, graph_text: Callable[[URIRef], str]) -> None:
        super().__init__()
        self.graph_text = graph_text

    def add(self, s: Any, p: Any, o: Any, graphs: Sequence[URIRef | None]) -> None:
        self.add_all(((s, p, o),), graphs)

    def add_all(self, triples: Iterable[tuple[Any, Any, Any]], graphs: Sequence[Any]) -> None:
        ends = [" .\n" if g is None else f" {self.graph_text(g)} .\n" for g in graphs]
        self.out.extend([f"{s} {p} {o}{end}" for s, p, o in triples for end in ends])


class _TextNamespace:
    """A namespace whose terms are given as their N-Triples text, each made once."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        found = term(getattr(self._namespace, name))
        setattr(self, name, found)
        return found

    def __getitem__(self, name: str) -> str:
        return term(self._namespace[name])


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
        """When True, every term (records and their parts, predicates, classes, literals) is
        given as its N-Triples text (``str``) rather than as an rdflib term: for writers of
        lines only. The same code makes both: the triples are defined once."""
        spaces: list[Any] = [_TextNamespace(n) if text else cached(n) for n in _NAMESPACES]
        self.RDF, self.PROV, self.VOID, self.KG, self.OA, self.SEM = spaces
        self._texts: dict[URIRef, str] = {}
        self._records: dict[str, str] = {}
        self._values: dict[tuple[type, Any, str | None], str] = {}
        self.rec: Callable[[str], Any] = self._record_text if text else self.mint.record
        """A record's IRI (``Minter.record``), or its text."""
        self._annotations: set[Any] = set()
        self._integers: dict[int, Any] = {}
        self._chunk: Callable[[], Chunk] = Chunk
        self._sentences: dict[str, tuple[list[int], Sequence[tuple[int, int]]]] = {}

    def integer(self, number: int) -> Any:
        """``Literal(number)`` (or its text), made once per number (offsets, indexes repeat)."""
        found = self._integers.get(number)
        if found is None:
            found = Literal(number)
            found = self._integers[number] = term(found) if self.text else found
        return found

    def iri(self, node: URIRef) -> Any:
        """A term of the schema or the base (classes, predicates, concepts, graphs), or its
        text, made once per term."""
        if not self.text:
            return node
        found = self._texts.get(node)
        if found is None:
            found = self._texts[node] = term(node)
        return found

    def single(self, node: Node) -> Any:
        """A term made for one use (a value's literal, a statement's IRI), or its text."""
        return term(node) if self.text else node

    def _record_text(self, record_id: str) -> str:
        found = self._records.get(record_id)
        if found is None:
            found = self._records[record_id] = f"<{self.mint.base}{encode_segment(record_id)}>"
        return found

    def string(self, value: str) -> Any:
        """``Literal(value)``, or its N-Triples text."""
        return f'"{escape_string(value)}"' if self.text else Literal(value)

    def records(self) -> list[tuple[Callable[[Any], list[Quad]], Any]]:
        """Header, documents, entities, incidents, claims, relations, statements (each table
        by id): the method making each one's chunk, and the record."""
        g = self.graph
        found: list[tuple[Callable[[Any], list[Quad]], Any]] = [(self.header, None)]
        for make, table in (
            (self.document, g.documents),
            (self.entity, g.entities),
            (self.incident, g.incidents),
            (self.claim, g.claims),
            (self.relation, g.relations),
        ):
            found.extend((make, table[k]) for k in sorted(table))
        found.extend((self.statement, s) for s in g.statements)
        return found

    @staticmethod
    def count(graph: Graph) -> int:
        """How many :meth:`records` a maker of ``graph`` lists (the header counts as one)."""
        g = graph
        tables = (g.documents, g.entities, g.incidents, g.claims, g.relations, g.statements)
        return 1 + sum(map(len, tables))

    def chunks(self, start: int = 0) -> Iterator[list[Quad]]:
        """The chunk of each record (:meth:`records`) from the ``start``-th on; the shared
        annotations of the ones before it count as written (their quotes' IRIs)."""
        records = self.records()
        seen = self._annotations = set()
        for _, record in records[:start]:
            seen.update(map(self.mint.annotation, getattr(record, "evidence", ())))
        for make, record in records[start:]:
            yield make(record)

    def quads(self) -> Iterator[Quad]:
        for chunk in self.chunks():
            yield from chunk

    def line_chunks(self, quads: bool, start: int = 0) -> Iterator[list[str]]:
        """The N-Quads (``quads``) or N-Triples lines of each chunk from the ``start``-th on
        (:meth:`chunks`), sorted and distinct (needs ``text=True``)."""
        make: Callable[[], Chunk] = (lambda: _QuadLineChunk(self.iri)) if quads else _LineChunk
        for lines in self.text_chunks(make, start):  # lists of str here
            yield sorted(set(lines))

    def text_chunks(self, make: Callable[[], Chunk], start: int = 0) -> Iterator[list[Any]]:
        """What a chunk from ``make`` holds after each record from the ``start``-th on was
        added to it (:meth:`chunks`; needs ``text=True``: the terms given are their texts)."""
        if not self.text:
            raise ValueError("text_chunks needs QuadMaker(text=True)")
        self._chunk = make
        try:
            yield from self.chunks(start)
        finally:
            self._chunk = Chunk

    def statement(self, statement: Statement) -> list[Quad]:
        """A value documents add to or disagree about, as a reified rdf:Statement with the
        documents stating it (prov:wasDerivedFrom) and whether the record shows it."""
        chunk, subject = self._chunk(), self.rec(statement.record)
        node = self.single(
            URIRef(
                f"{self.mint.record(statement.record)}/statement/{statement.property}/"
                f"{stable_hash(statement.value, length=12)}"
            )
        )
        predicate = (
            self.KG.hasParticipation
            if statement.property == "participants"
            else self.iri(KG_NS[statement.property])
        )
        chunk.add(node, self.RDF.type, self.RDF.Statement, [None])
        chunk.add(node, self.RDF.subject, subject, [None])
        chunk.add(node, self.RDF.predicate, predicate, [None])
        chunk.add(node, self.RDF.object, self.string(statement.value), [None])
        chunk.add(node, self.KG.chosen, self.single(Literal(statement.chosen)), [None])
        for doc in statement.documents:
            chunk.add(node, self.PROV.wasDerivedFrom, self.rec(doc), [None])
        return chunk.out

    # -- shared pieces ---------------------------------------------------------------------
    def header(self, _: None = None) -> list[Quad]:
        chunk, dataset = self._chunk(), self.iri(self.mint.dataset)
        chunk.add(dataset, self.RDF.type, self.VOID.Dataset, [None])
        chunk.add(dataset, self.VOID.vocabulary, self.iri(ONTOLOGY_IRI), [None])
        return chunk.out

    def homes(self, evidence: Sequence[Evidence]) -> list[URIRef | None]:
        graphs = sorted({self.mint.document_graph(ev.document) for ev in evidence})
        return list(graphs) or [None]

    def obj(self, spec: PropertySpec | None, value: Value, owner: str) -> Any:
        if isinstance(value, tuple):
            raise InputError(f"{owner}: a list inside a list: {value!r}")
        if spec is not None and isinstance(value, str):
            if spec.type == "ref":
                return self.rec(value)
            if spec.type == "vocab" and spec.vocabulary:
                return self.iri(self.terms.concept(spec.vocabulary, value))
        if type(value) is str and (spec is None or spec.type != "url"):
            return self.string(value)  # the literal value_literal makes, or its text
        if not self.text or value.__class__ is float:  # 0.0 == -0.0: not a key
            return self.single(value_literal(value, spec.type if spec else None))
        key = (value.__class__, value, spec.type if spec else None)
        found = self._values.get(key)
        if found is None:
            if len(self._values) >= _VALUES_KEPT:
                self._values.clear()
            found = self._values[key] = term(value_literal(value, key[2]))
        return found

    def converter(self, spec: PropertySpec | None, owner: str) -> Callable[[Any], Node]:
        """Value -> RDF term under ``spec`` (for the items of a list)."""
        return lambda value: self.obj(spec, value, owner)

    def ordered(
        self,
        chunk: Chunk,
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
        chunk: Chunk,
        subject: URIRef,
        field: str,
        predicate: URIRef,
        objects: Sequence[Node],
        graphs: Sequence[URIRef | None],
    ) -> None:
        """The rdf:Seq of a field's values, in the order the Graph holds them."""
        seq = self.mint.sequence(subject, field)
        chunk.add(subject, self.KG.hasSequence, seq, graphs)
        chunk.add(seq, self.RDF.type, self.RDF.Seq, graphs)
        chunk.add(seq, self.KG.ofProperty, predicate, graphs)
        for position, obj in enumerate(objects, start=1):
            chunk.add(seq, self.RDF[f"_{position}"], obj, graphs)

    def values(
        self,
        chunk: Chunk,
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
            spec, predicate = specs[name], self.iri(self.terms.field(type_name, name))
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
        chunk: Chunk,
        subject: URIRef,
        items: Sequence[Evidence],
        order_graphs: Sequence[URIRef | None],
    ) -> None:
        """Links to one Web Annotation per quote, each in its document's graph."""
        has_evidence, has_body, derived = (
            self.KG.hasEvidence,
            self.OA.hasBody,
            self.PROV.wasDerivedFrom,
        )
        mint, seen, rec = self.mint, self._annotations, self.rec
        for ev in items:
            annotation, graph = mint.annotation(ev), [mint.document_graph(ev.document)]
            document = rec(ev.document)
            chunk.add_all(
                (
                    (subject, has_evidence, annotation),
                    (annotation, has_body, subject),
                    (subject, derived, document),
                ),
                graph,
            )
            if annotation not in seen:
                seen.add(annotation)
                self.annotation(chunk, annotation, ev, graph, document)
        if not is_canonical(items, evidence_key):
            annotations = [self.mint.annotation(ev) for ev in items]
            self.sequence(
                chunk, subject, "evidence", self.KG.hasEvidence, annotations, order_graphs
            )

    def annotation(
        self,
        chunk: Chunk,
        iri: URIRef,
        ev: Evidence,
        graph: Sequence[URIRef | None],
        document: Any,
    ) -> None:
        """The Web Annotation of one quote (``document``: ``self.rec(ev.document)``)."""
        rdf_type, oa, string = self.RDF.type, self.OA, self.string
        target, quote, position = self.mint.annotation_parts(iri)
        integers, integer = self._integers.get, self.integer
        start, end = ev.start, ev.end
        triples = [
            (iri, rdf_type, oa.Annotation),
            (iri, oa.hasTarget, target),
            (target, rdf_type, oa.SpecificResource),
            (target, oa.hasSource, document),
            (target, oa.hasSelector, quote),
            (target, oa.hasSelector, position),
            (quote, rdf_type, oa.TextQuoteSelector),
            (quote, oa.exact, string(ev.quote)),
            (position, rdf_type, oa.TextPositionSelector),
            (position, oa.start, integers(start) or integer(start)),
            (position, oa.end, integers(end) or integer(end)),
        ]
        if ev.source is not None:
            triples.append((iri, self.KG.citedSource, self.rec(ev.source)))
        doc = self.graph.documents.get(ev.document)
        if doc is not None and doc.text[start:end] == ev.quote:
            text = doc.text
            triples.append((quote, oa.prefix, string(text[max(0, start - CONTEXT_CHARS) : start])))
            triples.append((quote, oa.suffix, string(text[end : end + CONTEXT_CHARS])))
            index = self.sentence_index(doc, start)
            if index is not None:
                triples.append((iri, self.KG.inSentence, self.mint.sentence(doc.id, index)))
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
    ) -> tuple[Chunk, URIRef]:
        """A record's class and values, then its links (``kg.links``): participations, ref
        properties and evidence, each from the record to what its field names."""
        chunk, subject = self._chunk(), self.rec(record.id)
        chunk.add(subject, self.RDF.type, self.iri(self.terms.cls(type_name)), graphs)
        refs = self.terms.ref_properties(type_name)
        values = {k: v for k, v in record_fields(record).items() if k not in refs}
        self.values(chunk, subject, type_name, values, graphs, record.id)
        by_kind: dict[str, list[Link]] = {}
        for link in record_links(record, self.terms.schema):
            if link.kind == EVIDENCE_LINK:
                break  # the last links, one per quote: the record's evidence (no Link each)
            by_kind.setdefault(link.kind, []).append(link)
        for kind, found in by_kind.items():
            if kind == PARTICIPANT_LINK:
                self.participations(chunk, subject, record.id, found, graphs)
            else:
                predicate, targets = (
                    self.iri(self.terms.field(type_name, kind)),
                    [x.target for x in found],
                )
                if refs[kind].list:
                    self.ordered(
                        chunk,
                        subject,
                        kind,
                        predicate,
                        targets,
                        self.rec,
                        value_key,
                        graphs,
                    )
                else:
                    chunk.add(subject, predicate, self.rec(targets[0]), graphs)
        if record.evidence:
            self.evidence(chunk, subject, record.evidence, graphs)
        return chunk, subject

    def participations(
        self,
        chunk: Chunk,
        subject: URIRef,
        incident: str,
        found: Sequence[Link],
        graphs: Sequence[URIRef | None],
    ) -> None:
        """An incident's participant links: sem:hasActor, and a kg:Participation node each."""

        def participation(p: Participant) -> Any:
            node, actor = self.mint.participation(incident, p), self.rec(p.entity)
            chunk.add(subject, self.SEM.hasActor, actor, graphs)
            chunk.add(node, self.RDF.type, self.KG.Participation, graphs)
            chunk.add(node, self.KG.playedBy, actor, graphs)
            chunk.add(node, self.KG.inRole, self.iri(self.terms.concept(ROLES, p.role)), graphs)
            return node

        items = [Participant(x.target, str(x.properties["role"])) for x in found]
        self.ordered(
            chunk,
            subject,
            "participants",
            self.KG.hasParticipation,
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
        subject, predicate = self.rec(relation.id), self.iri(self.terms.relation(rel.name))
        source, target = self.rec(relation.source), self.rec(relation.target)
        chunk.add(source, predicate, target, graphs)
        chunk.add(subject, self.RDF.type, self.KG.RelationStatement, graphs)
        chunk.add(subject, self.RDF.type, self.iri(self.terms.statement_class(rel.name)), graphs)
        chunk.add(subject, self.RDF.subject, source, graphs)
        chunk.add(subject, self.RDF.predicate, predicate, graphs)
        chunk.add(subject, self.RDF.object, target, graphs)
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
                    self.iri(self.terms.property(name)),
                    value,
                    self.converter(specs[name], relation.id),
                    value_key,
                    graphs,
                )
            else:
                chunk.add(
                    subject,
                    self.iri(self.terms.property(name)),
                    self.obj(specs[name], value, relation.id),
                    graphs,
                )
        self.evidence(chunk, subject, relation.evidence, graphs)
        return chunk.out

    def document(self, doc: Document) -> list[Quad]:
        chunk, subject, home = self._chunk(), self.rec(doc.id), [None]
        type_name = self.terms.record_type("document").name
        specs = self.terms.fields_of(type_name)
        chunk.add(subject, self.RDF.type, self.iri(self.terms.cls(type_name)), home)
        self.values(chunk, subject, type_name, {"title": doc.title, "date": doc.date}, home, doc.id)
        chunk.add(subject, self.KG.fullText, self.string(doc.text), home)
        if doc.path is not None:
            chunk.add(subject, self.KG.sourcePath, self.string(doc.path), home)
        for index, (start, end) in enumerate(doc.sentences):
            sentence = self.mint.sentence(doc.id, index)
            chunk.add_all(
                (
                    (subject, self.KG.hasSentence, sentence),
                    (sentence, self.RDF.type, self.KG.Sentence),
                    (sentence, self.KG.sentenceIndex, self.integer(index)),
                    (sentence, self.OA.start, self.integer(start)),
                    (sentence, self.OA.end, self.integer(end)),
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
                chunk.add(
                    subject,
                    self.iri(self.terms.property(key)),
                    self.single(value_literal(value, spec.type)),
                    home,
                )
                continue
            entry = self.mint.metadata(doc.id, key)
            chunk.add(subject, self.KG.hasMetadata, entry, home)
            chunk.add(entry, self.RDF.type, self.KG.MetadataEntry, home)
            chunk.add(entry, self.KG.metadataKey, self.string(key), home)
            chunk.add(entry, self.RDF.value, self.string(value), home)
        graph = self.iri(self.mint.document_graph(doc.id))
        chunk.add(graph, self.RDF.type, self.KG.DocumentGraph, home)
        chunk.add(graph, self.PROV.wasDerivedFrom, subject, home)
        return chunk.out

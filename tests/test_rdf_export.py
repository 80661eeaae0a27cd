"""RDF export of the seed graph: every format parses, facts hold in SPARQL, output is stable."""

from __future__ import annotations

import io
from pathlib import Path
from string import Template

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib import Graph as RdfGraph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS

from kg.dates import PartialDate
from kg.model import Graph
from kg.rdf import DEFAULT_BASE, FORMATS, export_rdf
from kg.rdf.iris import Minter
from kg.rdf.namespaces import KG, KG_NS, OA, VOCAB, XSD
from kg.rdf.terms import Terms
from kg.schema import Schema, load_schema

from .conftest import ROOT

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")

MINT = Minter(DEFAULT_BASE)
T = Terms(load_schema(ROOT / "schema"))
TASHKENT = MINT.record("inc:2004-07-30-tashkent-bombings")
SHAYUSUPOV = MINT.record("per:abbas-shayusupov")
PREFIXES = f"""
PREFIX kg: <{KG_NS}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX rdf: <{RDF}>
PREFIX xsd: <{XSD}>
PREFIX oa: <{OA._NS}>
"""


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory, seed_graph: Graph, schema: Schema
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rdf")
    paths = {}
    for name, fmt in FORMATS.items():
        paths[name] = folder / f"graph{fmt.suffix}"
        export_rdf(seed_graph, schema, name, paths[name])
    return paths


def parse(path: Path, fmt: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(path, format=FORMATS[fmt].rdflib)
    return dataset


def merged(dataset: Dataset) -> RdfGraph:
    graph = RdfGraph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@pytest.fixture(scope="module")
def rdf(exported: dict[str, Path]) -> RdfGraph:
    return merged(parse(exported["turtle"], "turtle"))


IRIS = {
    "tashkent": TASHKENT,
    "shayusupov": SHAYUSUPOV,
    "bombing": URIRef(f"{VOCAB}incident_kinds/bombing"),
    "denies": URIRef(f"{VOCAB}stances/denies"),
}


def ask(rdf: RdfGraph, query: str) -> list[tuple[object, ...]]:
    """Rows of a SPARQL query; ``$name`` stands for the IRI ``IRIS[name]``."""
    text = Template(PREFIXES + query).substitute({k: v.n3() for k, v in IRIS.items()})
    return [tuple(row) for row in rdf.query(text)]  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_parses_to_the_same_triples(exported: dict[str, Path], fmt: str) -> None:
    reference = merged(parse(exported["nt"], "nt"))
    graph = merged(parse(exported[fmt], fmt))
    assert len(graph) > 1000
    assert isomorphic(graph, reference)


def test_tashkent_bombings_is_an_incident_dated_by_day_at_tashkent(rdf: RdfGraph) -> None:
    rows = ask(
        rdf,
        """
        SELECT ?date ?place WHERE {
          $tashkent a kg:Incident ; kg:date ?date ;
              kg:place ?p ; kg:kind $bombing .
          ?p rdfs:label ?place .
        }""",
    )
    assert rows == [(Literal("2004-07-30", datatype=XSD.date), Literal("Tashkent"))]


def test_borduzha_claim_speaker_stance_source_outlet_and_quote(rdf: RdfGraph) -> None:
    rows = ask(
        rdf,
        """
        SELECT ?claim ?outlet ?exact ?start ?end ?text WHERE {
          ?claim a kg:Claim ; kg:speaker ?speaker ; kg:stance $denies ;
                 kg:source ?source ; kg:hasEvidence ?annotation .
          ?speaker rdfs:label "Nikolai Borduzha" .
          ?source kg:outlet ?o . ?o rdfs:label ?outlet .
          ?annotation oa:hasTarget ?target .
          ?target oa:hasSource ?doc ; oa:hasSelector ?q, ?pos .
          ?q a oa:TextQuoteSelector ; oa:exact ?exact .
          ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
          ?doc kg:fullText ?text .
        }""",
    )
    assert rows, "Borduzha's denial is missing"
    for claim, outlet, exact, start, end, text in rows:
        assert claim == MINT.record("clm:borduzha-no-camps")
        assert str(outlet) == "Liter"
        assert str(text)[int(start) : int(end)] == str(exact)  # type: ignore[call-overload]


def test_dates_are_typed_by_precision(rdf: RdfGraph, seed_graph: Graph) -> None:
    expected = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
    dated = [i for i in seed_graph.incidents.values() if i.date is not None]
    assert any(i.date.precision == "year" for i in dated if i.date)
    for incident in dated:
        assert isinstance(incident.date, PartialDate)
        value = rdf.value(MINT.record(incident.id), T.property("date"))
        assert isinstance(value, Literal) and value.datatype == expected[incident.date.precision]
        assert str(value) == incident.date.isoformat()
    year = rdf.value(MINT.record("inc:2004-ebrd-aid-cut-uzbekistan"), T.property("date"))
    assert year == Literal("2004", datatype=XSD.gYear)
    short = ask(
        rdf, "SELECT ?d WHERE { ?s ?p ?d FILTER(datatype(?d) = xsd:date && strlen(str(?d)) < 10) }"
    )
    assert short == []


def test_participations_carry_actor_and_role(rdf: RdfGraph) -> None:
    rows = ask(
        rdf,
        """
        SELECT ?role WHERE {
          $tashkent kg:hasParticipation ?p .
          ?p a kg:Participation ; kg:playedBy $shayusupov ; kg:inRole ?role .
        }""",
    )
    assert rows == [(URIRef(f"{VOCAB}roles/suspect"),)]
    assert (
        MINT.record("inc:2004-07-30-tashkent-bombings"),
        None,
        MINT.record("per:abbas-shayusupov"),
    ) in rdf


def test_relation_keeps_a_plain_triple_and_a_qualified_node(
    rdf: RdfGraph, seed_graph: Graph
) -> None:
    posts = [
        r
        for r in seed_graph.relations.values()
        if r.type == "holds_post" and r.source == "per:nikolai-borduzha"
    ]
    assert posts
    for relation in posts:
        node = MINT.record(relation.id)
        source, target = MINT.record(relation.source), MINT.record(relation.target)
        assert (source, T.relation("holds_post"), target) in rdf
        assert (node, RDF.type, KG.RelationStatement) in rdf
        assert (node, RDF.type, T.statement_class("holds_post")) in rdf
        assert rdf.value(node, RDF.subject) == source and rdf.value(node, RDF.object) == target
        assert str(rdf.value(node, T.property("title"))) == relation.properties["title"]
        assert len(set(rdf.objects(node, KG.hasEvidence))) == len(relation.evidence)
    weak = next(r for r in seed_graph.relations.values() if "confidence" in r.properties)
    value = rdf.value(MINT.record(weak.id), T.property("confidence"))
    assert isinstance(value, Literal) and value.toPython() == weak.properties["confidence"]


def test_every_entity_has_type_label_and_aliases(rdf: RdfGraph, seed_graph: Graph) -> None:
    for entity in seed_graph.entities.values():
        subject = MINT.record(entity.id)
        assert (subject, RDF.type, T.cls(entity.type)) in rdf
        assert rdf.value(subject, RDFS.label) == Literal(entity.name)
        assert {str(a) for a in rdf.objects(subject, SKOS.altLabel)} == set(entity.aliases)
        if entity.kind:
            assert rdf.value(subject, T.property("kind")) is not None
    borduzha = MINT.record("per:nikolai-borduzha")
    assert Literal("Bordyuzha") in set(rdf.objects(borduzha, SKOS.altLabel))


def test_annotations_hold_the_evidence_offsets_and_context(
    rdf: RdfGraph, seed_graph: Graph
) -> None:
    doc = next(iter(seed_graph.documents.values()))
    for evidence in seed_graph.all_evidence():
        annotation = MINT.annotation(evidence)
        assert (annotation, RDF.type, OA.Annotation) in rdf
        target = rdf.value(annotation, OA.hasTarget)
        assert rdf.value(target, OA.hasSource) == MINT.record(evidence.document)
        position = MINT.annotation_part(annotation, "position")
        assert (rdf.value(position, OA.start), rdf.value(position, OA.end)) == (
            Literal(evidence.start),
            Literal(evidence.end),
        )
        quote = MINT.annotation_part(annotation, "quote")
        prefix = str(rdf.value(quote, OA.prefix))
        assert (
            doc.text[: evidence.start].endswith(prefix)
            and str(rdf.value(quote, OA.exact)) == evidence.quote
        )


def test_named_graphs_hold_each_documents_facts(
    exported: dict[str, Path], seed_graph: Graph
) -> None:
    trig, nquads = parse(exported["trig"], "trig"), parse(exported["nquads"], "nquads")
    doc_id = next(iter(seed_graph.documents))
    named = MINT.document_graph(doc_id)

    def graphs_of(dataset: Dataset) -> dict[str, set[tuple[object, ...]]]:
        found: dict[str, set[tuple[object, ...]]] = {}
        for s, p, o, g in dataset.quads((None, None, None, None)):
            key = str(g.identifier if hasattr(g, "identifier") else g)
            found.setdefault("named" if key == str(named) else "default", set()).add((s, p, o))
        return found

    for dataset in (trig, nquads):
        graphs = graphs_of(dataset)
        assert set(graphs) == {"named", "default"}
        incident = MINT.record("inc:2004-07-30-tashkent-bombings")
        assert (incident, RDF.type, T.cls("Incident")) in graphs["named"]
        assert (incident, RDF.type, T.cls("Incident")) not in graphs["default"]
        kazakhstan = MINT.record("cty:kazakhstan")
        assert (kazakhstan, RDF.type, T.cls("Country")) in graphs["default"]
        background = next(r for r in seed_graph.relations.values() if not r.evidence)
        assert (MINT.record(background.id), RDF.type, KG.RelationStatement) in graphs["default"]
    assert graphs_of(trig) == graphs_of(nquads)


def test_ntriples_are_byte_identical_and_independent_of_input_order(
    seed_graph: Graph, schema: Schema
) -> None:
    first, second, shuffled = io.BytesIO(), io.BytesIO(), io.BytesIO()
    export_rdf(seed_graph, schema, "nt", first)
    export_rdf(seed_graph, schema, "nt", second)
    reversed_graph = Graph(
        **{
            table: dict(reversed(list(getattr(seed_graph, table).items())))
            for table in ("documents", "entities", "incidents", "claims", "relations")
        }
    )
    export_rdf(reversed_graph, schema, "nt", shuffled)
    assert first.getvalue() == second.getvalue() == shuffled.getvalue()
    lines = first.getvalue().decode("utf-8").splitlines()
    assert len(lines) == len(set(lines))


def test_ntriples_are_streamed_without_an_rdflib_graph(
    seed_graph: Graph, schema: Schema, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("N-Triples export built an rdflib graph")

    monkeypatch.setattr("kg.rdf.export.RdfGraph", refuse)
    monkeypatch.setattr("kg.rdf.export.Dataset", refuse)
    for fmt in ("nt", "nquads"):
        out = io.StringIO()
        export_rdf(seed_graph, schema, fmt, out)
        assert out.getvalue().count("\n") > 1000


def test_base_iri_is_configurable(seed_graph: Graph, schema: Schema) -> None:
    out = io.BytesIO()
    export_rdf(seed_graph, schema, "nt", out, base_iri="urn:example:kg/")
    text = out.getvalue().decode("utf-8")
    assert "<urn:example:kg/org:knb>" in text and DEFAULT_BASE not in text


def test_odd_ids_are_percent_encoded_and_reversible() -> None:
    for odd in (
        "per:a b",
        'org:"quoted"',
        "grp:<x>",
        "plc:new\nline",
        "per:Назарбаев",
        "x/y#z",
        ".",
    ):
        iri = MINT.record(odd)
        assert not set(str(iri)) & set(' <>"\n{}|^`\\') and str(iri).isascii()
        assert MINT.id_of(iri) == odd
    assert len({MINT.record(i) for i in ("a/b", "a%2Fb", "a:b")}) == 3


def assert_lines_equal_lines_of_rdflib_terms(graph: Graph, schema: Schema) -> list[set[str]]:
    """The lines a line writer makes from text (``QuadMaker(text=True)``) are the lines of the
    rdflib terms the same triples are made of, record by record, as N-Triples and N-Quads."""
    from kg.rdf.ntriples import nquads_line, ntriples_line
    from kg.rdf.triples import QuadMaker

    chunks = list(QuadMaker(graph, schema).chunks())
    for quads in (False, True):
        as_text = [set(c) for c in QuadMaker(graph, schema, text=True).line_chunks(quads)]
        as_terms = [
            {nquads_line(s, p, o, g) if quads else ntriples_line(s, p, o) for s, p, o, g in c}
            for c in chunks
        ]
        assert as_text == as_terms
    return [{ntriples_line(s, p, o) for s, p, o, _ in c} for c in chunks]


def test_lines_written_as_text_equal_lines_of_rdflib_terms(
    seed_graph: Graph, schema: Schema
) -> None:
    from dataclasses import replace

    from kg.model import Statement

    incident = next(i for i in seed_graph.incidents.values() if i.evidence)
    odd = replace(incident.evidence[0], quote='a "quoted" \\ word\nand\ta tab \x01', start=7, end=9)
    incidents = {**seed_graph.incidents, incident.id: replace(incident, evidence=(odd,))}
    entity = next(e for e in seed_graph.entities.values() if len(e.aliases) > 1)
    claim = next(c for c in seed_graph.claims.values() if len(c.evidence) > 1)
    document = next(iter(seed_graph.documents.values()))
    graph = replace(
        seed_graph,
        incidents=incidents,
        # orders that are not canonical: written with an rdf:Seq
        entities={**seed_graph.entities, entity.id: replace(entity, aliases=entity.aliases[::-1])},
        claims={**seed_graph.claims, claim.id: replace(claim, evidence=claim.evidence[::-1])},
        documents={document.id: replace(document, metadata={"feed": "x", "url": "u"})},
        statements=(Statement(incident.id, "title", "Another title", (document.id,), False),),
    )
    for table in ("documents", "entities", "incidents", "claims", "relations", "statements"):
        assert getattr(graph, table), table
    lines = assert_lines_equal_lines_of_rdflib_terms(graph, schema)
    text = "".join(line for chunk in lines for line in chunk)
    assert '\\"quoted\\" \\\\ word\\nand\\ta tab \\u0001' in text
    assert "/order/aliases>" in text and "/order/evidence>" in text and "/metadata/" in text


def test_lines_of_schema_added_properties_equal_lines_of_rdflib_terms(
    tmp_path: Path,
) -> None:
    from .test_links import ref_workspace

    ws = ref_workspace(tmp_path / "ws")
    schema = ws.load_schema()
    result = ws.build(schema, cached=False)
    assert result.ok, [str(p) for p in result.problems]
    lines = assert_lines_equal_lines_of_rdflib_terms(result.graph, schema)
    text = "".join(line for chunk in lines for line in chunk)
    for name in ("vehicle", "operators", "seats", "casualties"):
        assert f"<{KG_NS[name]}>" in text, name

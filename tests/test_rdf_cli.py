"""The RDF commands: export rdf, ontology and shapes, import rdf; errors are one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset
from rdflib import Graph as RdfGraph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.graphjson import graph_to_dict
from kg.model import Graph
from kg.rdf import build_ontology, build_shapes
from kg.rdf.reader import load_rdf
from kg.schema import Schema

from .conftest import ROOT

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")


def named_triples(graph: RdfGraph) -> set[tuple[object, ...]]:
    """The triples without blank nodes (comparing those is enough here, and fast)."""
    return {t for t in graph if not any(isinstance(term, BNode) for term in t)}


def kg(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--workspace", str(ROOT), *args])
    return result.exit_code, result.stdout, result.stderr


def test_export_rdf_then_import_rdf_gives_back_the_graph(
    tmp_path: Path, seed_graph: Graph, schema: Schema
) -> None:
    trig = tmp_path / "graph.trig"
    code, _, err = kg("export", "rdf", "-o", str(trig))
    assert code == 0 and f"wrote {trig} (trig)" in err
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    assert len(list(dataset.graphs())) > 1  # named graphs: the format came from the suffix
    out = tmp_path / "graph.json"
    code, _, err = kg("import", "rdf", str(trig), "-o", str(out))
    assert code == 0, err
    assert json.loads(out.read_text("utf-8")) == graph_to_dict(seed_graph, schema)


def test_export_rdf_to_standard_output_and_import_from_it(
    tmp_path: Path, seed_graph: Graph
) -> None:
    code, out, _ = kg("export", "rdf", "--format", "nt", "--base-iri", "urn:kg:")
    assert code == 1  # a base must end with / or #
    code, out, err = kg("export", "rdf", "--format", "nt", "--base-iri", "urn:kg:test/")
    assert code == 0 and err == ""
    assert "<urn:kg:test/org:knb>" in out
    path = tmp_path / "graph.nt"
    path.write_text(out, "utf-8")
    code, printed, _ = kg("import", "rdf", str(path))
    assert code == 0
    assert len(json.loads(printed)["entities"]) == len(seed_graph.entities)


def test_export_ontology_and_shapes_write_turtle(tmp_path: Path, schema: Schema) -> None:
    for name, build in (("ontology", build_ontology), ("shapes", build_shapes)):
        target = tmp_path / f"{name}.ttl"
        code, out, _ = kg("export", name, "-o", str(target))
        assert code == 0 and out.startswith(f"wrote {target}")
        written, expected = RdfGraph().parse(target, format="turtle"), build(schema)
        assert len(written) == len(expected) and named_triples(written) == named_triples(expected)
    code, out, _ = kg("export", "ontology", "-o", "-")
    assert code == 0 and isomorphic(
        RdfGraph().parse(data=out, format="turtle"), build_ontology(schema)
    )


def test_bad_input_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix : <x> . this is not turtle", "utf-8")
    code, out, err = kg("import", "rdf", str(bad))
    assert code == 1 and out == ""
    assert err.startswith(f"kg: error: {bad}: cannot read as turtle") and err.count("\n") == 1
    odd = tmp_path / "graph.xyz"
    odd.write_text("", "utf-8")
    code, _, err = kg("shacl", str(odd))
    assert code == 1 and "unknown RDF file suffix '.xyz'" in err


def test_import_reads_what_any_format_wrote(tmp_path: Path, seed_graph: Graph) -> None:
    for fmt, suffix in (("jsonld", ".jsonld"), ("nquads", ".nq")):
        path = tmp_path / f"graph{suffix}"
        assert kg("export", "rdf", "--format", fmt, "-o", str(path))[0] == 0
        assert len(load_rdf(path)) > 1000
        code, out, _ = kg("import", "rdf", str(path))
        assert code == 0 and len(json.loads(out)["claims"]) == len(seed_graph.claims)


def test_export_rdf_shacl_checks_the_written_file(tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    code, _, err = kg("export", "rdf", "--shacl", "-o", str(out))
    assert code == 0, err
    assert f"ok: {out} conforms to the SHACL shapes" in err
    assert len(RdfGraph().parse(out)) > 500
    code, out_text, err = kg("export", "rdf", "--shacl", "--format", "nt")
    assert code == 0 and "ok: the export conforms" in err
    assert out_text.count(" .\n") > 500  # the triples still go to standard output


def test_export_rdf_shacl_reports_violations_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shapes that ask every Person for a birth date the seed never gives: each Person is a
    violation, named on stderr, and the command fails (the file written stays for a look)."""
    strict = RdfGraph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix kg: <https://kg.example.org/ontology#> .
        <urn:x:needs-birth-date> a sh:NodeShape ; sh:targetClass kg:Person ;
            sh:property [ sh:path kg:birthDate ; sh:minCount 1 ] .
        """,
        format="turtle",
    )
    monkeypatch.setattr("kg.cli.rdf.build_shapes", lambda schema: strict)
    out = tmp_path / "graph.ttl"
    code, _, err = kg("export", "rdf", "--shacl", "-o", str(out))
    assert code == 1
    assert "SHACL violation(s)" in err and "Violation: per:nikolai-borduzha kg:birthDate" in err
    assert out.exists()


def test_export_rdf_engine_stream_writes_the_triples_of_n_triples(tmp_path: Path) -> None:
    ttl, nt = tmp_path / "graph.ttl", tmp_path / "graph.nt"
    code, _, err = kg("export", "rdf", "--engine", "stream", "-o", str(ttl))
    assert code == 0, err
    assert ttl.read_text("utf-8").startswith("@prefix ")  # kg's own Turtle, prefixed names
    code, _, err = kg("export", "rdf", "--engine", "stream", "-o", str(nt))
    assert code == 0, err  # N-Triples: streamed by any engine
    turtle, triples = RdfGraph(), RdfGraph()
    turtle.parse(ttl, format="turtle")
    triples.parse(nt, format="nt")
    assert len(turtle) == len(triples) > 1000
    assert isomorphic(turtle, triples)
    code, _, err = kg("export", "rdf", "--engine", "stream", "--format", "trig")
    assert code == 1 and "writes turtle" in err

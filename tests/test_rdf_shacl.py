"""SHACL: the seed export conforms to the generated shapes; broken data is reported clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph as RdfGraph
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.cli import main
from kg.model import Graph
from kg.rdf import (
    DEFAULT_BASE,
    FORMATS,
    Violation,
    build_shapes,
    export_rdf,
    format_violation,
    validate_shacl,
)
from kg.rdf.export import rdf_graph
from kg.rdf.iris import Minter
from kg.rdf.namespaces import KG, VOCAB
from kg.rdf.terms import Terms
from kg.schema import Schema, load_schema

from .conftest import ROOT

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")

MINT = Minter(DEFAULT_BASE)
T = Terms(load_schema(ROOT / "schema"))


@pytest.fixture(scope="module")
def shapes(schema: Schema) -> RdfGraph:
    return build_shapes(schema)


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_seed_export_conforms_to_the_generated_shapes(
    seed_graph: Graph, schema: Schema, shapes: RdfGraph, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"graph{FORMATS[fmt].suffix}"
    export_rdf(seed_graph, schema, fmt, path)
    assert validate_shacl(path, shapes) == []
    assert validate_shacl(path, ROOT / "schema" / "shapes.ttl") == []


def by_focus(violations: list[Violation]) -> dict[tuple[str, str | None], Violation]:
    return {(v.focus, v.path): v for v in violations}


def test_broken_data_is_reported_one_violation_each(
    seed_graph: Graph, schema: Schema, shapes: RdfGraph
) -> None:
    rdf = rdf_graph(seed_graph, schema)
    person = MINT.record("per:nikolai-borduzha")
    incident = MINT.record("inc:2004-07-30-tashkent-bombings")
    claim = MINT.record("clm:borduzha-no-camps")
    group = MINT.record("grp:uzbek-day-laborers")
    post = next(r for r in seed_graph.relations.values() if r.type == "holds_post")
    rdf.remove((person, RDFS.label, None))  # missing label
    rdf.set((incident, T.property("date"), Literal("30 July 2004")))  # wrong datatype
    rdf.set((group, T.property("count"), Literal("nineteen")))  # wrong datatype
    rdf.set((claim, T.property("speaker"), MINT.record("plc:tashkent")))  # wrong target class
    rdf.remove((MINT.record(post.id), KG.hasEvidence, None))  # evidence is required
    rdf.add(
        (MINT.record("cty:kazakhstan"), T.relation("holds_post"), MINT.record("org:knb"))
    )  # bad source
    found = by_focus(validate_shacl(rdf, shapes))
    assert set(found) == {
        ("per:nikolai-borduzha", "rdfs:label"),
        ("inc:2004-07-30-tashkent-bombings", "kg:date"),
        ("grp:uzbek-day-laborers", "kg:count"),
        ("clm:borduzha-no-camps", "kg:speaker"),
        (post.id, "kg:hasEvidence"),
        ("cty:kazakhstan", None),
    }
    assert "Less than 1" in found[("per:nikolai-borduzha", "rdfs:label")].message
    assert "xsd:integer" in found[("grp:uzbek-day-laborers", "kg:count")].message
    assert found[("clm:borduzha-no-camps", "kg:speaker")].value == "plc:tashkent"
    line = format_violation(found[("per:nikolai-borduzha", "rdfs:label")])
    assert line.startswith("Violation: per:nikolai-borduzha rdfs:label: ") and "\n" not in line


def test_vocabulary_terms_are_checked(seed_graph: Graph, schema: Schema, shapes: RdfGraph) -> None:
    rdf = rdf_graph(seed_graph, schema)
    claim = MINT.record("clm:borduzha-no-camps")
    rdf.set((claim, T.property("stance"), URIRef(f"{VOCAB}stances/nods")))
    participation = next(rdf.subjects(RDF.type, KG.Participation))
    rdf.set((participation, KG.inRole, URIRef(f"{VOCAB}roles/bystander")))
    found = by_focus(validate_shacl(rdf, shapes))
    assert set(found) == {
        ("clm:borduzha-no-camps", "kg:stance"),
        (f"<{participation}>", "kg:inRole"),
    }


def test_shacl_command_prints_violations_and_exits_1(
    seed_graph: Graph, schema: Schema, tmp_path: Path
) -> None:
    good = tmp_path / "good.ttl"
    export_rdf(seed_graph, schema, "turtle", good)
    runner = CliRunner()
    result = runner.invoke(main, ["--workspace", str(ROOT), "shacl", str(good)])
    assert result.exit_code == 0 and result.output.startswith("ok:"), result.output
    rdf = rdf_graph(seed_graph, schema)
    rdf.remove((MINT.record("org:knb"), RDFS.label, None))
    bad = tmp_path / "bad.nt"
    rdf.serialize(bad, format="nt", encoding="utf-8")
    shapes_file = ROOT / "schema" / "shapes.ttl"
    result = runner.invoke(
        main, ["--workspace", str(ROOT), "shacl", str(bad), "--shapes", str(shapes_file)]
    )
    assert result.exit_code == 1
    assert "Violation: org:knb rdfs:label: " in result.output
    assert "kg: error: 1 problem(s) found" in result.output

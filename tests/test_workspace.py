"""Workspaces: kg init, discovery, configuration precedence, and user-extended schemas."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import WorkspaceError
from kg.init import init_workspace
from kg.workspace import Workspace, find_workspace

from .conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

VEHICLE_TYPE = """
  Vehicle:
    category: entity
    prefix: veh
    actor: false
    label: Vehicle
    description: A car, truck or other vehicle named in a report.
    properties:
      plate:
        type: string
        description: Registration plate.
      seats:
        type: integer
"""
VEHICLE_RELATION = """
  uses_vehicle:
    label: uses vehicle
    source: [Person, Organisation, Group]
    target: [Vehicle]
    evidence: required
    properties:
      cargo:
        type: string
        description: What the vehicle carried.
"""
CASUALTIES = """      casualties:
        type: integer
        description: People killed or wounded, as the report counts them.
"""
ARTICLE = """---
title: Convoy stopped at the border
date: 2005-05-02
---
Police stopped a white truck with plates 01 KZ 777 that smugglers used near Osh.
"""
ANNOTATION = """document: convoy
entities:
  - id: veh:white-truck
    type: Vehicle
    name: white truck
    plate: 01 KZ 777
    seats: 3
    evidence: [{quote: "a white truck with plates 01 KZ 777"}]
  - id: grp:smugglers
    type: Group
    name: smugglers
relations:
  - type: uses_vehicle
    source: grp:smugglers
    target: veh:white-truck
    cargo: cigarettes
    evidence: [{quote: "a white truck with plates 01 KZ 777 that smugglers used"}]
incidents:
  - id: inc:convoy-stopped
    kind: detention
    title: Police stop a smugglers' truck
    casualties: 2
    evidence: [{quote: "Police stopped a white truck"}]
"""


def extended_workspace(root: Path) -> Workspace:
    """A fresh workspace whose schema adds a Vehicle type and a uses_vehicle relation."""
    init_workspace(root)
    entities = root / "schema" / "entities.yaml"
    text = entities.read_text("utf-8").replace("\n  Incident:\n", VEHICLE_TYPE + "\n  Incident:\n")
    title = "      title:\n        type: string\n        required: true\n"
    assert text.count(title) >= 1
    entities.write_text(text.replace(title, CASUALTIES + title, 1), "utf-8")
    relations = root / "schema" / "relations.yaml"
    relations.write_text(relations.read_text("utf-8") + VEHICLE_RELATION, "utf-8")
    (root / "seeds" / "articles" / "convoy.md").write_text(ARTICLE, "utf-8")
    (root / "seeds" / "annotations" / "convoy.yaml").write_text(ANNOTATION, "utf-8")
    return Workspace(root)


def test_init_creates_the_layout(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    ws = tmp_path / "ws"
    for name in [
        "schema/entities.yaml",
        "schema/relations.yaml",
        "schema/vocabularies.yaml",
        "queries/incidents-timeline.cypher",
        "kg.toml",
        ".gitignore",
        "README.md",
    ]:
        assert (ws / name).is_file(), name
    assert (ws / "seeds" / "articles").is_dir() and (ws / "seeds" / "annotations").is_dir()
    assert (ws / "schema" / "entities.yaml").read_bytes() == (
        ROOT / "schema" / "entities.yaml"
    ).read_bytes()
    assert len(list((ws / "queries").glob("*.cypher"))) == len(
        list((ROOT / "queries").glob("*.cypher"))
    )
    assert tomllib.loads((ws / "kg.toml").read_text("utf-8"))["network"]["projection"] == "actors"
    result = CliRunner().invoke(main, ["--workspace", str(ws), "build"])
    assert result.exit_code == 0 and "0 documents" in result.output


def test_init_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    init_workspace(tmp_path)
    (tmp_path / "kg.toml").write_text("[rdf]\nbase_iri = 'https://mine.example/'\n", "utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert (
        result.exit_code == 1 and "would overwrite" in result.output and "--force" in result.output
    )
    assert "mine.example" in (tmp_path / "kg.toml").read_text("utf-8")
    assert CliRunner().invoke(main, ["init", "--force", str(tmp_path)]).exit_code == 0
    assert "mine.example" not in (tmp_path / "kg.toml").read_text("utf-8")


def test_discovery_walks_up_to_kg_toml(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws")
    deep = tmp_path / "ws" / "seeds" / "articles"
    assert find_workspace(deep).root == (tmp_path / "ws").resolve()
    with pytest.raises(WorkspaceError, match="no kg workspace"):
        find_workspace(tmp_path)


def config_rows(
    ws: Path, *args: str, env: dict[str, str] | None = None
) -> dict[str, dict[str, str]]:
    result = CliRunner().invoke(
        main, ["--workspace", str(ws), "config", "--format", "json", *args], env=env
    )
    assert result.exit_code == 0, result.output
    return {row["setting"]: row for row in json.loads(result.stdout)}


def test_config_precedence_and_origins(tmp_path: Path) -> None:
    init_workspace(tmp_path)
    (tmp_path / "kg.toml").write_text(
        '[neo4j]\ndatabase = "from-file"\nuri = "bolt://file:7687"\n[rdf]\nbase_iri = "https://file.example/"\n',
        "utf-8",
    )
    env = {
        "NEO4J_DATABASE": "from-env",
        "NEO4J_PASSWORD": "s3cret-pass",
        "KG_BASE_IRI": "",
        "NEO4J_URI": "",
        "NEO4J_USERNAME": "",
    }
    rows = config_rows(tmp_path, env=env)
    assert (rows["neo4j.database"]["value"], rows["neo4j.database"]["origin"]) == (
        "from-env",
        "environment (NEO4J_DATABASE)",
    )
    assert (rows["neo4j.uri"]["value"], rows["neo4j.uri"]["origin"]) == (
        "bolt://file:7687",
        "kg.toml",
    )
    assert rows["rdf.base_iri"]["origin"] == "kg.toml"
    assert (rows["neo4j.username"]["value"], rows["neo4j.username"]["origin"]) == (
        "neo4j",
        "default",
    )
    assert rows["neo4j.password"]["value"] == "********"
    result = CliRunner().invoke(main, ["--workspace", str(tmp_path), "config"], env=env)
    assert "s3cret-pass" not in result.output


def test_command_line_option_beats_environment(tmp_path: Path) -> None:
    init_workspace(tmp_path)
    result = CliRunner().invoke(
        main,
        ["--workspace", str(tmp_path), "load", "--uri", "bolt://127.0.0.1:9"],
        env={"NEO4J_URI": "bolt://127.0.0.1:8", "NEO4J_PASSWORD": "x"},
    )
    assert result.exit_code == 2 and "bolt://127.0.0.1:9" in result.output


def test_credentials_and_unknown_keys_are_refused_in_kg_toml(tmp_path: Path) -> None:
    init_workspace(tmp_path)
    (tmp_path / "kg.toml").write_text('[neo4j]\npassword = "oops"\n', "utf-8")
    result = CliRunner().invoke(main, ["--workspace", str(tmp_path), "config"])
    assert (
        result.exit_code == 1
        and "[neo4j.password]: neo4j.password must not be stored in a file" in result.output
    )
    assert "oops" not in result.output
    (tmp_path / "kg.toml").write_text('[neo4j]\nurl = "x"\n', "utf-8")
    result = CliRunner().invoke(main, ["--workspace", str(tmp_path), "config"])
    assert result.exit_code == 1 and "[neo4j.url]: unknown setting" in result.output


def test_user_extended_schema_reaches_graph_json(tmp_path: Path) -> None:
    ws = extended_workspace(tmp_path / "ws")
    runner = CliRunner()
    assert runner.invoke(main, ["--workspace", str(ws.root), "validate"]).exit_code == 0
    result = runner.invoke(main, ["--workspace", str(ws.root), "build"])
    assert result.exit_code == 0, result.output
    data = json.loads((ws.root / "exports" / "graph.json").read_text("utf-8"))
    (truck,) = [e for e in data["entities"] if e["type"] == "Vehicle"]
    assert truck["properties"] == {"plate": "01 KZ 777", "seats": 3}
    (rel,) = data["relations"]
    assert (rel["type"], rel["source"], rel["target"]) == (
        "uses_vehicle",
        "grp:smugglers",
        "veh:white-truck",
    )


def test_extended_schema_still_checks_types(tmp_path: Path) -> None:
    ws = extended_workspace(tmp_path / "ws")
    bad = ANNOTATION.replace("seats: 3", "seats: three")
    (ws.root / "seeds" / "annotations" / "convoy.yaml").write_text(bad, "utf-8")
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "validate"])
    assert result.exit_code == 1 and "'seats' must be a whole number" in result.output


def test_every_package_is_in_the_wheel() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kg").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_user_extended_schema_reaches_rdf(tmp_path: Path) -> None:
    import rdflib

    from kg.rdf import build_shapes, export_rdf, graph_from_rdf, validate_shacl

    ws = extended_workspace(tmp_path / "ws")
    schema = ws.load_schema()
    graph = ws.build(schema).graph
    out = tmp_path / "graph.ttl"
    export_rdf(graph, schema, "turtle", out)
    rdf = rdflib.Graph().parse(out)
    rows = list(
        rdf.query(
            "PREFIX kg: <https://kg.example.org/ontology#> "
            "SELECT ?plate WHERE { ?v a kg:Vehicle ; kg:plate ?plate . ?g kg:uses_vehicle ?v }"
        )
    )
    assert [str(r[0]) for r in rows] == ["01 KZ 777"]
    rows = list(
        rdf.query(
            "PREFIX kg: <https://kg.example.org/ontology#> "
            "SELECT ?n ?cargo WHERE { ?i kg:casualties ?n . ?r kg:cargo ?cargo }"
        )
    )
    assert [(r[0].toPython(), str(r[1])) for r in rows] == [(2, "cigarettes")]
    assert validate_shacl(out, build_shapes(schema)) == []
    assert graph_from_rdf(out, schema) == graph


def test_a_property_added_to_the_schema_reaches_every_sink(tmp_path: Path) -> None:
    """Incident.casualties and uses_vehicle.cargo, declared only in schema/, with no code change:
    graph.json, the ontology and shapes, NetworkX attributes (RDF and Neo4j: other tests)."""
    import json

    from kg.network.full import full_graph
    from kg.rdf import build_ontology, build_shapes

    ws = extended_workspace(tmp_path / "ws")
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "build"])
    assert result.exit_code == 0, result.output
    data = json.loads((ws.exports_dir / "graph.json").read_text("utf-8"))
    assert data["incidents"][0]["properties"] == {"casualties": 2}
    assert data["relations"][0]["properties"] == {"cargo": "cigarettes"}
    schema = ws.load_schema()
    for rdf in (build_ontology(schema), build_shapes(schema)):
        assert "casualties" in rdf.serialize(format="turtle")
        assert "cargo" in rdf.serialize(format="turtle")
    graph = ws.build(schema).graph
    nx_graph = full_graph(graph, schema)
    assert nx_graph.nodes["inc:convoy-stopped"]["casualties"] == 2
    (edge,) = [d for _, _, d in nx_graph.edges(data=True) if d.get("type") == "uses_vehicle"]
    assert edge["cargo"] == "cigarettes"
    bad = ws.root / "seeds" / "annotations" / "convoy.yaml"
    bad.write_text(bad.read_text("utf-8").replace("casualties: 2", "casualtys: 2"), "utf-8")
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "validate"])
    assert result.exit_code == 1 and "unknown key 'casualtys'" in result.output

"""kg export json (graph.json from any source) and '-o -' (standard output) for text formats."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.graphjson import read_graph_json
from kg.schema import Schema

from .conftest import ScratchWorkspace


def test_export_json_from_any_source_never_overwrites(
    scratch: ScratchWorkspace, schema: Schema, tmp_path: Path
) -> None:
    runner = CliRunner()
    base = ["--workspace", str(scratch.root)]
    assert runner.invoke(main, [*base, "build"]).exit_code == 0
    built = scratch.root / "exports" / "graph.json"
    before = built.read_bytes()
    result = runner.invoke(main, [*base, "export", "json"])
    assert result.exit_code == 0, result.output
    default = scratch.root / "exports" / "graph-from-seeds.json"
    assert built.read_bytes() == before
    assert read_graph_json(default, schema) == read_graph_json(built, schema)
    # An existing file, even the build's, is refused without --force, and left as it was.
    for target in (default, built):
        result = runner.invoke(main, [*base, "export", "json", "-o", str(target)])
        assert result.exit_code != 0 and "--force" in result.stderr
        assert "Traceback" not in result.output
    assert built.read_bytes() == before
    # From an RDF export: the same records as the build's graph.json.
    turtle = tmp_path / "g.ttl"
    assert runner.invoke(main, [*base, "export", "rdf", "-o", str(turtle)]).exit_code == 0
    result = runner.invoke(main, [*base, "export", "json", "--from", str(turtle)])
    assert result.exit_code == 0, result.output
    from_rdf = read_graph_json(scratch.root / "exports" / "graph-from-g.json", schema)
    assert set(from_rdf.entities) == set(read_graph_json(built, schema).entities)


def test_dash_means_standard_output(scratch: ScratchWorkspace) -> None:
    runner = CliRunner()
    base = ["--workspace", str(scratch.root)]
    result = runner.invoke(main, [*base, "export", "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{"format"') and '"entities"' in result.stdout
    result = runner.invoke(main, [*base, "export", "graph", "--format", "gexf", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert ET.fromstring(result.stdout).tag.endswith("gexf")
    assert "standard output" in result.stderr
    assert not (scratch.root / "-").exists() and not Path("-").exists()

"""The sink registry (kg.sinks): one interface, and `kg export` / `--from` dispatch through it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphjson import read_graph_json
from kg.model import Graph
from kg.network.export import GRAPH_FORMATS
from kg.rdf.export import FORMATS
from kg.schema import Schema
from kg.sinks import SINKS, readable, sink_for_format, sink_for_path

from .conftest import ROOT


def test_each_sink_declares_what_its_module_writes() -> None:
    assert tuple(SINKS["rdf"].formats) == tuple(FORMATS)
    assert {f.suffix for f in FORMATS.values()} == set(SINKS["rdf"].formats.values())
    assert tuple(SINKS["graph"].formats) == GRAPH_FORMATS
    assert SINKS["neo4j"].reader and SINKS["neo4j"].writer and not SINKS["neo4j"].formats
    assert SINKS["graph"].reader is None


@pytest.mark.parametrize("fmt", ["json", "turtle", "nt", "jsonld", "trig", "nquads"])
def test_every_readable_format_round_trips_through_the_interface(
    fmt: str, seed_graph: Graph, schema: Schema, tmp_path: Path
) -> None:
    sink = sink_for_format(fmt)
    assert sink is not None and sink.reader is not None
    path = tmp_path / sink.default_name(fmt)
    sink.write(seed_graph, schema, path, fmt)
    assert sink_for_path(path, reading=True) is sink
    assert readable(path).read(path, schema) == seed_graph


def test_an_unreadable_suffix_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match=r"kg cannot read \.graphml files \(.*\.ttl"):
        readable(tmp_path / "g.graphml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--workspace", str(ROOT), *args])
    return result.exit_code, result.stdout, result.stderr


def test_export_format_name_dispatches_to_its_sink(tmp_path: Path, schema: Schema) -> None:
    out = tmp_path / "g.trig"
    code, _, err = run("export", "trig", "-o", str(out))
    assert code == 0, err
    assert "(trig)" in err
    code, _, err = run("export", "gexf", "-o", str(tmp_path / "g.gexf"))
    assert code == 0 and (tmp_path / "g.gexf").read_text("utf-8").startswith("<?xml"), err
    code, _, err = run("import", "rdf", str(out), "-o", str(tmp_path / "g.json"))
    assert code == 0, err
    nt = tmp_path / "h.nt"
    code, _, err = run("export", "nt", "--from", str(tmp_path / "g.json"), "-o", str(nt))
    assert code == 0, err
    assert readable(nt).read(nt, schema) == read_graph_json(tmp_path / "g.json", schema)


def test_from_accepts_any_file_a_sink_reads(tmp_path: Path) -> None:
    ttl = tmp_path / "g.ttl"
    assert run("export", "turtle", "-o", str(ttl))[0] == 0
    code, _, err = run(
        "export", "graph", "--format", "json", "--from", str(ttl), "-o", str(tmp_path / "n.json")
    )
    assert code == 0, err
    stray = tmp_path / "g.graphml"
    stray.write_text("<graphml/>", "utf-8")
    code, _, err = run("export", "rdf", "--from", str(stray))
    assert code == 2 and "kg cannot read .graphml files" in err


def test_export_help_lists_the_sinks_without_loading_them() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom kg.cli import main\n"
        "r = CliRunner().invoke(main, ['export', '--help'])\nassert r.exit_code == 0, r.output\n"
        "print(r.output)\nprint(sorted(m for m in ('rdflib', 'networkx', 'neo4j') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]")
    for name in ("rdf", "graph", "ontology", "shapes"):
        assert f"  {name} " in out.stdout

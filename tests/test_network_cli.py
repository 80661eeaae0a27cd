"""The network commands: kg export graph, kg centrality, kg draw (thin over kg.network)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner
from matplotlib.image import imread

from kg.cli import main
from kg.model import Graph
from kg.network import MEASURES, to_networkx
from kg.schema import Schema

from .conftest import ROOT, ScratchWorkspace


def kg(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--workspace", str(ROOT), *args])
    return result.exit_code, result.stdout, result.stderr


def test_export_graph_formats(seed_graph: Graph, schema: Schema, tmp_path: Path) -> None:
    expected = to_networkx(seed_graph, schema, "full")
    code, out, _ = kg("export", "graph", "--format", "graphml", "-o", str(tmp_path / "g.graphml"))
    assert code == 0 and "g.graphml" in out
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        expected.number_of_nodes(),
        expected.number_of_edges(),
    )
    # The format follows the suffix when --format is not given.
    code, _, _ = kg("export", "graph", "--projection", "actors", "-o", str(tmp_path / "a.gexf"))
    assert code == 0 and nx.read_gexf(tmp_path / "a.gexf").number_of_nodes() == len(
        to_networkx(seed_graph, schema, "actors")
    )
    code, _, _ = kg(
        "export",
        "graph",
        "--format",
        "json",
        "--projection",
        "bipartite",
        "--since",
        "2004-08",
        "-o",
        str(tmp_path / "b.json"),
    )
    data = json.loads((tmp_path / "b.json").read_text("utf-8"))
    assert code == 0 and data["graph"] == {"projection": "bipartite", "since": "2004-08"}


def test_export_graph_errors_are_one_line(tmp_path: Path) -> None:
    code, _, err = kg("export", "graph", "-o", str(tmp_path / "g.txt"))
    assert code == 1 and err.startswith("kg: error:") and "--format" in err
    code, _, err = kg("export", "graph", "--until", "2004-02-30", "-o", str(tmp_path / "g.json"))
    assert code == 1 and "--until" in err and "February" in err and err.count("\n") == 1
    assert not (tmp_path / "g.json").exists()


def test_centrality_table_and_formats() -> None:
    code, out, _ = kg("centrality", "--top", "5")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == [
        "rank",
        "id",
        "name",
        "type",
        "neighbours",
        "pagerank",
    ]
    assert len(lines) == 2 + 5
    code, out, _ = kg("centrality", "--measure", "all", "--format", "csv", "--top", "0")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and set(MEASURES) <= set(rows[0])
    pageranks = [float(r["pagerank"]) for r in rows]
    assert pageranks == sorted(pageranks, reverse=True)
    code, out, _ = kg(
        "centrality",
        "--measure",
        "degree",
        "--format",
        "json",
        "--all-nodes",
        "--projection",
        "bipartite",
        "--top",
        "0",
    )
    rows = json.loads(out)
    assert code == 0 and {"Incident"} <= {r["type"] for r in rows}


def test_centrality_notes_go_to_stderr() -> None:
    code, out, err = kg(
        "centrality", "--measure", "betweenness", "--k", "3", "--weighted", "--format", "json"
    )
    assert code == 0 and json.loads(out)  # stdout stays clean data
    assert "note: betweenness: approximated from k=3" in err
    assert "distance = 1/weight" in err


def test_centrality_bad_options() -> None:
    code, _, err = kg("centrality", "--weight", "claims=2")
    assert code == 1 and "bad weight 'claims=2'" in err
    code, _, err = kg("centrality", "--measure", "fame")
    assert code == 2 and "fame" in err  # click's own usage error


def test_draw_png_and_html(tmp_path: Path) -> None:
    png, html = tmp_path / "g.png", tmp_path / "g.html"
    code, out, _ = kg("draw", "-o", str(png), "--html", str(html), "--measure", "degree")
    assert code == 0 and str(png) in out and str(html) in out
    assert imread(png).shape[0] > 100 and "<svg" in html.read_text("utf-8")
    only_html = tmp_path / "only.html"
    code, out, _ = kg("draw", "--html", str(only_html))
    assert code == 0 and only_html.exists() and ".png" not in out


def test_default_outputs_go_to_the_workspace_exports(scratch: ScratchWorkspace) -> None:
    runner = CliRunner()
    base = ["--workspace", str(scratch.root)]
    result = runner.invoke(main, [*base, "draw"])
    assert result.exit_code == 0, result.output
    assert imread(scratch.root / "exports" / "graph.png").shape[0] > 100
    result = runner.invoke(main, [*base, "export", "graph", "--format", "gexf"])
    assert result.exit_code == 0 and (scratch.root / "exports" / "network-full.gexf").is_file()


def test_default_network_json_never_overwrites_graph_json(scratch: ScratchWorkspace) -> None:
    runner = CliRunner()
    base = ["--workspace", str(scratch.root)]
    assert runner.invoke(main, [*base, "build"]).exit_code == 0
    graph_json = scratch.root / "exports" / "graph.json"
    before = graph_json.read_bytes()
    result = runner.invoke(main, [*base, "export", "graph", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert graph_json.read_bytes() == before
    assert json.loads((scratch.root / "exports" / "network-full.json").read_text("utf-8"))["links"]

"""The fast paths agree with the reference ones, and `make bench-quick` writes a results file."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset
from rdflib import Graph as RdfGraph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import InputError
from kg.model import Graph
from kg.neo4j.bulk import ARRAY_DELIMITER, write_csv
from kg.network.centrality import centrality, centrality_notes, centrality_table, simple_graph
from kg.network.engines import (
    engine_available,
    exact_betweenness,
    rustworkx_centrality,
    to_rustworkx,
)
from kg.network.project import to_networkx
from kg.rdf.export import export_rdf
from kg.rdf.fast import engine_available as rdf_engine_available
from kg.schema import Schema
from kg.synth import synth_workspace
from kg.workspace import Workspace

from .conftest import ROOT

needs_rustworkx = pytest.mark.skipif(not engine_available("rustworkx"), reason="no rustworkx")
needs_oxigraph = pytest.mark.skipif(not rdf_engine_available("oxigraph"), reason="no pyoxigraph")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Schema]:
    root = tmp_path_factory.mktemp("bench") / "ws"
    synth_workspace(root, 40, seed=9)
    workspace = Workspace(root)
    schema = workspace.load_schema()
    return workspace.build(schema).graph, schema


def _top(scores: dict[str, float], n: int) -> set[str]:
    return set(sorted(scores, key=lambda v: (-scores[v], v))[:n])


# -- centrality engines ----------------------------------------------------------------------
@needs_rustworkx
@pytest.mark.parametrize("which", ["seed", "generated"])
@pytest.mark.parametrize(
    ("measure", "weighted"),
    [("betweenness", False), ("closeness", False), ("closeness", True), ("degree", True)],
)
def test_rustworkx_equals_networkx(
    which: str,
    measure: str,
    weighted: bool,
    seed_graph: Graph,
    schema: Schema,
    generated: tuple[Graph, Schema],
) -> None:
    graph = seed_graph if which == "seed" else generated[0]
    actors = to_networkx(graph, schema, "actors")
    reference = centrality(actors, measure, weighted=weighted)
    fast = centrality(actors, measure, weighted=weighted, engine="rustworkx")
    assert fast.keys() == reference.keys()
    assert max(abs(fast[n] - reference[n]) for n in reference) < 1e-9


@needs_rustworkx
@pytest.mark.parametrize("which", ["seed", "generated"])
def test_exact_betweenness_engines_agree(
    which: str, seed_graph: Graph, schema: Schema, generated: tuple[Graph, Schema]
) -> None:
    """igraph (whole, or its sources split over 2 processes) and rustworkx give networkx's
    normalised exact betweenness, up to the last bits."""
    import rustworkx as rx

    graph = seed_graph if which == "seed" else generated[0]
    simple = simple_graph(to_networkx(graph, schema, "actors"))
    reference = nx.betweenness_centrality(simple)
    copy, nodes = to_rustworkx(simple)
    fast = rx.betweenness_centrality(copy, normalized=True)
    found = [{nodes[i]: value for i, value in fast.items()}]
    if importlib.util.find_spec("igraph") is not None:
        found += [exact_betweenness(simple, jobs) for jobs in (1, 2)]
    for scores in found:
        assert scores.keys() == reference.keys()
        assert max(abs(scores[n] - reference[n]) for n in reference) < 1e-12
        assert _top(scores, 20) == _top(reference, 20)
    assert exact_betweenness(nx.path_graph(2)) == {0: 0.0, 1: 0.0}


@needs_rustworkx
@pytest.mark.parametrize("which", ["seed", "generated"])
@pytest.mark.parametrize("weighted", [False, True])
def test_rustworkx_pagerank_is_the_exact_pagerank(
    which: str, weighted: bool, seed_graph: Graph, schema: Schema, generated: tuple[Graph, Schema]
) -> None:
    graph = seed_graph if which == "seed" else generated[0]
    simple = simple_graph(to_networkx(graph, schema, "actors"))
    weight = "weight" if weighted else None
    exact = nx.pagerank(simple, weight=weight, tol=1e-14, max_iter=100_000)
    fast = rustworkx_centrality(simple, "pagerank", weighted=weighted)
    default = centrality(simple, "pagerank", weighted=weighted)
    assert max(abs(fast[n] - exact[n]) for n in exact) < 1e-7
    # networkx stops earlier (n * 1e-6 in total), so it is the less precise of the two
    assert max(abs(default[n] - exact[n]) for n in exact) < 1e-3
    top = min(50, len(exact))
    assert len(_top(fast, top) & _top(default, top)) >= 0.9 * top


@needs_rustworkx
def test_engine_falls_back_to_networkx_and_says_so(seed_graph: Graph, schema: Schema) -> None:
    actors = to_networkx(seed_graph, schema, "actors")
    assert centrality(actors, "eigenvector", engine="rustworkx") == centrality(
        actors, "eigenvector"
    )
    sampled = centrality(actors, "betweenness", k=5, engine="rustworkx")
    assert sampled == centrality(actors, "betweenness", k=5)
    notes = centrality_notes(actors, ["eigenvector", "pagerank"], engine="rustworkx")
    assert any(n.startswith("engine: eigenvector computed with networkx") for n in notes)
    assert not any("pagerank" in n for n in notes if n.startswith("engine:"))
    with pytest.raises(InputError, match="unknown centrality engine"):
        centrality_table(seed_graph, schema, "pagerank", engine="igraph")


@needs_rustworkx
def test_cli_centrality_engine_ranks_like_networkx(repo: Workspace) -> None:
    args = ["--workspace", str(repo.root), "centrality", "--measure", "betweenness", "--format"]
    slow = CliRunner().invoke(main, [*args, "csv"])
    fast = CliRunner().invoke(main, [*args, "csv", "--engine", "rustworkx"])
    assert slow.exit_code == fast.exit_code == 0, fast.output
    ids = [line.split(",")[1] for line in slow.output.splitlines()[1:]]
    assert ids == [line.split(",")[1] for line in fast.output.splitlines()[1:]]


# -- RDF fast path ---------------------------------------------------------------------------
@needs_oxigraph
@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_oxigraph_output_is_isomorphic_to_rdflib(
    fmt: str, parser: str, seed_graph: Graph, schema: Schema
) -> None:
    reference, fast = io.BytesIO(), io.BytesIO()
    export_rdf(seed_graph, schema, fmt, reference)
    export_rdf(seed_graph, schema, fmt, fast, engine="oxigraph")
    expected = RdfGraph().parse(data=reference.getvalue(), format=parser)
    found = RdfGraph().parse(data=fast.getvalue(), format=parser)
    assert len(found) == len(expected) > 2000
    assert isomorphic(expected, found)


@needs_oxigraph
def test_oxigraph_trig_keeps_the_named_graphs(seed_graph: Graph, schema: Schema) -> None:
    reference, fast = io.BytesIO(), io.BytesIO()
    export_rdf(seed_graph, schema, "trig", reference)
    export_rdf(seed_graph, schema, "trig", fast, engine="oxigraph")
    expected, found = Dataset(), Dataset()
    expected.parse(data=reference.getvalue(), format="trig")
    found.parse(data=fast.getvalue(), format="trig")
    names = {g.identifier for g in expected.graphs()}
    assert names == {g.identifier for g in found.graphs()}
    for name in names:
        assert isomorphic(expected.graph(name), found.graph(name))


@needs_oxigraph
def test_oxigraph_export_is_byte_stable_and_on_the_cli(tmp_path: Path, repo: Workspace) -> None:
    args = ["--workspace", str(repo.root), "export", "rdf", "--engine", "oxigraph", "-o"]
    for name in ("a.ttl", "b.ttl"):
        result = CliRunner().invoke(main, [*args, str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()


def test_unknown_rdf_engine_is_an_input_error(seed_graph: Graph, schema: Schema) -> None:
    with pytest.raises(InputError, match="unknown RDF engine"):
        export_rdf(seed_graph, schema, "turtle", io.BytesIO(), engine="jena")


# -- bulk import CSV -------------------------------------------------------------------------
def test_bulk_csv_holds_every_record_and_link(
    tmp_path: Path, seed_graph: Graph, schema: Schema
) -> None:
    files = write_csv(seed_graph, schema, tmp_path)
    g = seed_graph
    records = len(g.documents) + len(g.entities) + len(g.incidents) + len(g.claims)
    assert files.node_count == records
    assert files.relationships["HOLDS_POST"].read_text(encoding="utf-8").count("\n") == 1 + sum(
        1 for r in g.relations.values() if r.type == "holds_post"
    )
    participants = sum(len(i.participants) for i in g.incidents.values())
    assert (
        files.relationships["PARTICIPANT"].read_text(encoding="utf-8").count("\n")
        == 1 + participants
    )
    header = files.nodes["Person"].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith('"id:ID",":LABEL"') and '"aliases:string[]"' in header
    assert files.nodes["Document"] in files.multiline
    text = files.nodes["Person"].read_text(encoding="utf-8")
    assert f"Borduzha{ARRAY_DELIMITER}Bordyuzha" in text


# -- the quick benchmark ---------------------------------------------------------------------
def _tables_well_formed(text: str) -> None:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            width = lines[i - 1].count(" | ")
            j = i + 1
            while j < len(lines) and lines[j].startswith("| "):
                cells = re.split(r"(?<!\\)\|", lines[j].strip())[1:-1]
                assert len(cells) == width + 1, lines[j]
                j += 1
            assert j > i + 1, f"empty table after {lines[i - 1]}"


@pytest.mark.slow
@pytest.mark.integration
def test_bench_quick_writes_a_well_formed_results_file(tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("the benchmark starts Neo4j, which needs Java")
    out = tmp_path / "RESULTS.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}  # its own server
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# kg benchmarks")
    for title in ("Machine", "Corpora", "Goals", "Neo4j load", "RDF export", "Centrality",
                  "Extraction", "End to end", "Profiling and fixes: kg build"):  # fmt: skip
        assert f"\n## {title}\n" in text
    assert "**Failed**" not in text
    assert "Same graph written by every path" in text and "**NO**" not in text
    _tables_well_formed(text)

"""Issue 16 against the real server: GDS centrality and --write, load time, query answers."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import Driver

from kg.cli import main
from kg.model import Graph
from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.loader import load_graph
from kg.neo4j.queries import bind, load_query, run_query
from kg.network.centrality import centrality_report
from kg.network.gds import SCORE_PREFIX, Database
from kg.schema import Schema
from kg.synth import synth_workspace
from kg.workspace import Workspace

from ..conftest import ROOT, ScratchWorkspace

pytestmark = pytest.mark.integration

GDS_MEASURES = ("degree", "betweenness", "pagerank", "closeness")
DATA = Path(__file__).parent / "data"


def query(driver: Driver, settings: Neo4jSettings, name: str, **params: str) -> list[Any]:
    named = load_query(ROOT / "queries" / f"{name}.cypher")
    return run_query(driver, settings, named.text, bind(named, params)).rows


def invoke(*args: str, workspace: Path = ROOT) -> Any:
    return CliRunner().invoke(main, ["--workspace", str(workspace), *args])


@pytest.fixture(scope="module")
def gds(driver: Driver, neo4j_settings: Neo4jSettings) -> Database:
    with driver.session(database=neo4j_settings.database) as s:
        names = s.run("SHOW PROCEDURES YIELD name WHERE name = 'gds.pageRank.stream' RETURN name")
        if not names.data():
            message = "the server has no Graph Data Science ('kg neo4j start --gds')"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
    return Database(driver, neo4j_settings)


def top(scores: dict[Any, float], nodes: list[Any], n: int = 50) -> set[Any]:
    return set(sorted(nodes, key=lambda node: (-scores[node], str(node)))[:n])


def agreement(graph: Graph, schema: Schema, database: Database, **options: Any) -> None:
    """GDS and networkx: top-50 overlap >= 0.9 and (nearly) the same scores."""
    reports = {
        engine: centrality_report(
            graph, schema, GDS_MEASURES, engine=engine, database=database, **options
        )
        for engine in ("networkx", "gds")
    }
    ours, theirs = reports["networkx"], reports["gds"]
    assert ours.graph is not None and ours.graph.number_of_nodes() > 10
    nodes = list(ours.graph.nodes)
    for measure in GDS_MEASURES:
        a, b = ours.scores[measure], theirs.scores[measure]
        overlap = len(top(dict(a), nodes) & top(dict(b), nodes)) / min(50, len(nodes))
        assert overlap >= 0.9, (measure, options, overlap)
        assert all(abs(a[n] - b[n]) <= 1e-4 * max(1.0, abs(a[n])) for n in nodes), measure


def test_gds_agrees_with_networkx_on_the_seed(
    gds: Database, seed_graph: Graph, schema: Schema
) -> None:
    for projection in ("actors", "bipartite", "full"):
        agreement(seed_graph, schema, gds, projection=projection)
    agreement(seed_graph, schema, gds, projection="actors", weighted=True)


def test_gds_agrees_with_networkx_on_a_synthetic_graph(
    gds: Database, schema: Schema, tmp_path: Path
) -> None:
    synth_workspace(tmp_path / "synth", 40, seed=3)
    result = Workspace(tmp_path / "synth").build(schema)
    assert result.ok
    graph = result.graph
    assert len(graph.entities) > 150  # more than 50 actors: the top-50 overlap means something
    for projection in ("actors", "bipartite"):
        agreement(graph, schema, gds, projection=projection)


def test_gds_engine_leaves_unsupported_measures_to_networkx(
    gds: Database, seed_graph: Graph, schema: Schema
) -> None:
    report = centrality_report(seed_graph, schema, "all", engine="gds", database=gds)
    local = centrality_report(seed_graph, schema, "all")
    assert report.scores["eigenvector"] == local.scores["eigenvector"]
    assert any("eigenvector computed with networkx" in note for note in report.notes)


@pytest.mark.parametrize("engine", ["networkx", "gds"])
def test_write_stores_scores_as_node_properties(
    engine: str,
    loaded: Driver,
    gds: Database,
    neo4j_settings: Neo4jSettings,
    seed_graph: Graph,
    schema: Schema,
) -> None:
    result = invoke("centrality", "--engine", engine, "--measure", "all", "--write")
    assert result.exit_code == 0, result.output
    expected = centrality_report(seed_graph, schema, "all").scores
    with loaded.session(database=neo4j_settings.database) as s:
        stored = {
            r["id"]: r["props"]
            for r in s.run("MATCH (n:Entity) RETURN n.id AS id, properties(n) AS props")
        }
    for measure, scores in expected.items():
        assert scores, measure
        for node, value in scores.items():
            assert stored[node][f"{SCORE_PREFIX}{measure}"] == pytest.approx(value, abs=1e-4)
    assert f"wrote {SCORE_PREFIX}degree" in result.output


def test_documents_record_when_they_were_loaded(
    empty_db: Driver, neo4j_settings: Neo4jSettings, seed_graph: Graph, schema: Schema
) -> None:
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    load_graph(empty_db, neo4j_settings, seed_graph, schema)
    after = dt.datetime.now(dt.timezone.utc)
    (doc,) = query(empty_db, neo4j_settings, "documents")
    first = dt.datetime.fromisoformat(doc["loaded_at"].replace("Z", "+00:00"))
    assert before <= first <= after
    load_graph(empty_db, neo4j_settings, seed_graph, schema)
    (again,) = query(empty_db, neo4j_settings, "documents")
    assert dt.datetime.fromisoformat(again["loaded_at"].replace("Z", "+00:00")) >= first


def test_contradictions_pair_opposites_about_one_proposition(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, scratch: ScratchWorkspace
) -> None:
    scratch.write("seeds/articles/feud.md", (DATA / "feud.md").read_text(encoding="utf-8"))
    scratch.annotate((DATA / "feud.yaml").read_text(encoding="utf-8"), "feud")
    result = scratch.workspace.build(schema)
    assert result.ok, [str(p) for p in result.problems]
    load_graph(empty_db, neo4j_settings, result.graph, schema)
    rows = query(empty_db, neo4j_settings, "contradictions")
    # The scratch workspace holds the seed too: none of its claims pair up (see below).
    assert {(r["claim_id"], r["denial_id"], r["reason"]) for r in rows} == {
        # the accused denies, the denial has no `about`
        ("clm:prosecutors-accuse-security", "clm:security-denies-sheltering", "accused answers"),
        # opposite stances about exactly the same records
        ("clm:police-militants-trained-in-kazakhstan", "clm:officials-deny-training",
         "same subjects"),
        # a denial without `about` whose quote names the accused
        ("clm:newspaper-accuses-ivanov", "clm:ministry-clears-ivanov", "named in denial"),
    }  # fmt: skip
    assert all(r["says"] != r["denies"] for r in rows)


def test_seed_agreeing_claims_are_not_contradictions(
    loaded: Driver, neo4j_settings: Neo4jSettings
) -> None:
    # "The links are aberrations" (asserts) and the two denials that there are camps all
    # play the links down: they share a subject (Kazakhstan, the bombings), not a proposition.
    assert query(loaded, neo4j_settings, "contradictions") == []


def test_sources_per_fact_minimum_two_shows_cited_outlets(
    loaded: Driver, neo4j_settings: Neo4jSettings
) -> None:
    rows = query(loaded, neo4j_settings, "sources-per-fact", minimum="2")
    assert rows and all(r["sources"] >= 2 for r in rows)
    borduzha = next(r for r in rows if r["id"] == "clm:borduzha-no-camps")
    assert (borduzha["documents"], borduzha["cited_sources"]) == (1, 1)  # the article + Liter
    everything = query(loaded, neo4j_settings, "sources-per-fact")
    assert len(rows) < len(everything)


def test_timeline_takes_months_and_years(loaded: Driver, neo4j_settings: Neo4jSettings) -> None:
    def ids(**params: str) -> list[str]:
        return [r["id"] for r in query(loaded, neo4j_settings, "incidents-timeline", **params)]

    assert ids(since="2004-08") == ids(since="2004-08-01")
    assert "inc:2004-07-30-tashkent-bombings" not in ids(since="2004-08")
    assert "inc:2004-07-30-tashkent-bombings" in ids(until="2004-07")  # to July's last day
    assert ids(since="2004", until="2004") == ids(since="2004-01-01", until="2004-12-31")
    result = invoke("query", "incidents-timeline", "-p", "since=2004-08")
    assert result.exit_code == 0 and "inc:2004-08-06-pavlodar-detention" in result.output


def test_actor_network_depth_outside_its_range_is_refused(loaded: Driver) -> None:
    result = invoke("query", "actor-network", "-p", "actor=KNB", "-p", "depth=5")
    assert result.exit_code == 1
    assert "depth=5 is out of range (depth must be 1 to 3)" in result.output
    assert invoke("query", "actor-network", "-p", "actor=KNB", "-p", "depth=3").exit_code == 0

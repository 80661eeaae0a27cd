"""Loader, reader and named queries against the real Neo4j server."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import Driver

from kg.cli import main
from kg.errors import InputError
from kg.model import Graph
from kg.neo4j.connection import Neo4jSettings, connect
from kg.neo4j.loader import count_graph, load_graph
from kg.neo4j.queries import bind, list_queries, load_query, run_query
from kg.neo4j.reader import read_graph
from kg.schema import Schema

from ..conftest import ROOT, ScratchWorkspace

pytestmark = pytest.mark.integration


def query(
    driver: Driver, settings: Neo4jSettings, name: str, **params: str
) -> list[dict[str, Any]]:
    named = load_query(ROOT / "queries" / f"{name}.cypher")
    return run_query(driver, settings, named.text, bind(named, params)).rows


def test_constraints_exist_for_every_label(
    loaded: Driver, neo4j_settings: Neo4jSettings, schema: Schema
) -> None:
    with loaded.session(database=neo4j_settings.database) as s:
        rows = s.run("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties").data()
    unique = {
        r["labelsOrTypes"][0]
        for r in rows
        if r["type"] == "UNIQUENESS" and r["properties"] == ["id"]
    }
    assert {*schema.types, "Entity"} <= unique


def test_load_twice_gives_identical_counts(
    loaded: Driver, neo4j_settings: Neo4jSettings, seed_graph: Graph, schema: Schema
) -> None:
    first = count_graph(loaded, neo4j_settings)
    report = load_graph(loaded, neo4j_settings, seed_graph, schema, batch_size=7)
    assert (report.nodes, report.relationships) == first
    expected_nodes = sum(
        len(t)
        for t in (
            seed_graph.documents,
            seed_graph.entities,
            seed_graph.incidents,
            seed_graph.claims,
        )
    )
    assert first[0] == expected_nodes
    assert report.counters["nodes_created"] == 0


def test_reader_round_trip(
    loaded: Driver, neo4j_settings: Neo4jSettings, seed_graph: Graph, schema: Schema
) -> None:
    assert read_graph(loaded, neo4j_settings, schema) == seed_graph


def test_neo4j_routing_uri_works(loaded: Driver, neo4j_settings: Neo4jSettings) -> None:
    routing = Neo4jSettings(
        neo4j_settings.uri.replace("bolt://", "neo4j://"),
        neo4j_settings.username,
        neo4j_settings.password,
        neo4j_settings.database,
    )
    driver = connect(routing)
    try:
        assert count_graph(driver, routing) == count_graph(loaded, neo4j_settings)
    finally:
        driver.close()


def test_every_named_query_runs_its_examples(loaded: Driver) -> None:
    queries = list_queries(ROOT / "queries")
    assert len(queries) >= 12
    for named in queries:
        assert named.examples, f"{named.name} has no example"
        for example in named.examples:
            args = shlex.split(example)[1:]
            result = CliRunner().invoke(main, ["--workspace", str(ROOT), *args])
            assert result.exit_code == 0, f"{example}: {result.output}"


def test_timeline_orders_incidents_by_date(loaded: Driver, neo4j_settings: Neo4jSettings) -> None:
    rows = query(loaded, neo4j_settings, "incidents-timeline")
    ids = [r["id"] for r in rows]
    assert ids.index("inc:2004-07-30-tashkent-bombings") < ids.index(
        "inc:2004-08-06-pavlodar-detention"
    )
    bombing = rows[ids.index("inc:2004-07-30-tashkent-bombings")]
    assert (bombing["date"], bombing["place"], bombing["cameo"]) == (
        "2004-07-30",
        "Tashkent",
        "183",
    )
    assert "Abbas Shayusupov (suspect)" in bombing["participants"]
    dated = [r["date"] for r in rows if r["precision"] == "day"]
    assert dated == sorted(dated)
    window = query(
        loaded, neo4j_settings, "incidents-timeline", since="2004-08-01", until="2004-08-10"
    )
    window_ids = {r["id"] for r in window}
    assert "inc:2004-08-06-pavlodar-detention" in window_ids
    assert "inc:2004-07-30-tashkent-bombings" not in window_ids


def test_entity_search_is_case_and_accent_insensitive(
    loaded: Driver, neo4j_settings: Neo4jSettings
) -> None:
    assert [r["id"] for r in query(loaded, neo4j_settings, "entity-search", q="BORDYUZHA")] == [
        "per:nikolai-borduzha"
    ]
    found = {r["id"] for r in query(loaded, neo4j_settings, "entity-search", q="Nazarbáyev")}
    assert "per:dariga-nazarbayeva" in found
    assert {r["id"] for r in query(loaded, neo4j_settings, "entity-search", q="csto")} >= {
        "org:cso"
    }


def test_place_hierarchy_and_leaders(loaded: Driver, neo4j_settings: Neo4jSettings) -> None:
    at_kazakhstan = {
        r["id"] for r in query(loaded, neo4j_settings, "incidents-at-place", place="Kazakhstan")
    }
    assert (
        "inc:2004-08-06-pavlodar-detention" in at_kazakhstan
    )  # Pavlodar -> North Kazakhstan -> Kazakhstan
    assert "inc:shymkent-uzbek-detective-killing" in at_kazakhstan
    assert "inc:2004-07-30-tashkent-bombings" not in at_kazakhstan
    leaders = query(loaded, neo4j_settings, "organisation-leaders", organisation="CSTO")
    assert [(r["person"], r["post"]) for r in leaders] == [
        ("Nikolai Borduzha", "secretary-general")
    ]


def test_claims_queries(loaded: Driver, neo4j_settings: Neo4jSettings) -> None:
    (borduzha,) = query(loaded, neo4j_settings, "claims-by-speaker", speaker="Bordyuzha")
    assert (borduzha["stance"], borduzha["date"], borduzha["source"]) == (
        "denies",
        "2004-08-06",
        "Liter",
    )
    accused = query(loaded, neo4j_settings, "who-accused-or-denied", subject="Shayusupov")
    assert [r["stance"] for r in accused] == ["alleges"]
    about = query(loaded, neo4j_settings, "claims-about", subject="Karimov")
    assert [r["stance"] for r in about] == ["speculates"]


def test_network_queries(loaded: Driver, neo4j_settings: Neo4jSettings) -> None:
    near = query(loaded, neo4j_settings, "actor-network", actor="KNB", depth="1")
    assert {r["id"] for r in near} >= {"cty:kazakhstan", "clm:knb-rejects-training-camps"}
    assert all(r["distance"] == 1 for r in near)
    further = query(loaded, neo4j_settings, "actor-network", actor="KNB", depth="2")
    assert len(further) > len(near)
    (path,) = query(loaded, neo4j_settings, "shortest-path", source="Karimov", target="KNB")
    assert (
        path["chain"][0] == "Islam Karimov" and path["chain"][-1] == "National Security Committee"
    )
    assert "EVIDENCE" not in path["links"] and path["hops"] == len(path["links"])
    pairs = {
        (r["actor"], r["other"])
        for r in query(loaded, neo4j_settings, "co-participants", actor="Shayusupov")
    }
    assert any("Abbas Shayusupov" in pair for pair in pairs)


def test_provenance_quotes_are_in_the_article(
    loaded: Driver, neo4j_settings: Neo4jSettings, seed_graph: Graph
) -> None:
    rows = query(loaded, neo4j_settings, "provenance", entity="Borduzha")
    text = next(iter(seed_graph.documents.values())).text
    assert {r["fact"] for r in rows} >= {"mention", "relation HOLDS_POST", "Claim SPEAKER"}
    for row in rows:
        assert text[row["offset"] : row["offset"] + len(row["quote"])] == row["quote"]
    assert "Liter, August 6" in {r["cited_source"] for r in rows}


def test_corroboration_counts(
    loaded: Driver, neo4j_settings: Neo4jSettings, seed_graph: Graph
) -> None:
    rows = query(loaded, neo4j_settings, "sources-per-fact")
    assert len(rows) == len(seed_graph.incidents) + len(seed_graph.claims) + sum(
        1 for r in seed_graph.relations.values() if r.evidence
    )
    assert all(r["documents"] == 1 and r["quotes"] >= 1 for r in rows)
    assert all(r["sources"] == r["documents"] + r["cited_sources"] for r in rows)
    (doc,) = query(loaded, neo4j_settings, "documents")
    assert doc["state"] == "complete" and doc["facts"] > 50


def test_write_without_flag_is_refused_and_changes_nothing(
    loaded: Driver, neo4j_settings: Neo4jSettings
) -> None:
    before = count_graph(loaded, neo4j_settings)
    for cypher in [
        "CREATE (n:Person {id: 'per:x'})",
        "MATCH (n) DETACH DELETE n",
        "MATCH (n:Person) SET n.name = 'x'",
    ]:
        result = CliRunner().invoke(main, ["--workspace", str(ROOT), "query", "-c", cypher])
        assert result.exit_code == 1 and "pass --write" in result.output
    assert count_graph(loaded, neo4j_settings) == before
    result = CliRunner().invoke(
        main,
        [
            "--workspace",
            str(ROOT),
            "query",
            "--write",
            "-c",
            "MERGE (n:Person {id: 'per:written'}) RETURN n.id AS id",
        ],
    )
    assert result.exit_code == 0 and "per:written" in result.output


def test_hostile_names_round_trip_as_plain_data(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, scratch: ScratchWorkspace
) -> None:
    hostile = 'Evil `}) DETACH DELETE n // "quoted" O\'Neil \\ {brace} МАТЧ'
    scratch.annotate(
        "document: mini\nentities:\n"
        f"  - id: per:hostile\n    type: Person\n    name: {json.dumps(hostile, ensure_ascii=False)}\n"
        '    aliases: ["MATCH (n) DETACH DELETE n", \'$param\', "x`y"]\n'
    )
    result = scratch.workspace.build(schema)
    assert result.ok, [str(p) for p in result.problems]
    load_graph(empty_db, neo4j_settings, result.graph, schema)
    back = read_graph(empty_db, neo4j_settings, schema)
    assert back.entities["per:hostile"].name == hostile
    assert back == result.graph
    assert count_graph(empty_db, neo4j_settings)[0] == len(result.graph.entities) + len(
        result.graph.incidents
    ) + len(result.graph.claims) + len(result.graph.documents)


def test_unreachable_server_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--workspace", str(ROOT), "load"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 2
    assert done.stderr.startswith("kg: error: cannot reach Neo4j at bolt://127.0.0.1:9")
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert elapsed < 30, "an unreachable server must fail fast, not hang"


def test_bad_credentials_exit_2(neo4j_settings: Neo4jSettings) -> None:
    env = {**os.environ, "NEO4J_URI": neo4j_settings.uri, "NEO4J_PASSWORD": "definitely-wrong-1"}
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--workspace", str(ROOT), "query", "documents"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "refused the credentials" in done.stderr
    assert "definitely-wrong-1" not in done.stderr + done.stdout


def test_reader_names_a_node_it_cannot_read(
    loaded: Driver, neo4j_settings: Neo4jSettings, schema: Schema
) -> None:
    with loaded.session(database=neo4j_settings.database) as s:
        s.run("MERGE (n:Person {id: 'per:hand-made'})").consume()
    with pytest.raises(InputError, match=r"node 'per:hand-made' labelled Person: KeyError 'name'"):
        read_graph(loaded, neo4j_settings, schema)

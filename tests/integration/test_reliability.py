"""Reliability against the shared Neo4j: rejected input, retries, concurrency, injection, access.

The fault tests that kill a server run their own (tests/integration/test_faults.py); these
use the shared server of NEO4J_URI and leave it running.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import TransientError

from kg.cli import main
from kg.errors import SchemaError
from kg.model import Entity, Evidence, Graph
from kg.neo4j import loader
from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.cypher import render
from kg.neo4j.loader import count_graph, load_graph, wipe
from kg.neo4j.plan import Stored
from kg.neo4j.reader import read_graph
from kg.schema import Schema
from kg.workspace import Workspace

from ..conftest import MINI_ANNOTATION, ROOT, ScratchWorkspace

pytestmark = pytest.mark.integration


# -- a synthetic workspace of many small documents (shared with test_faults) ---------------------


def synthetic_workspace(root: Path, documents: range) -> Workspace:
    """One small article and annotation per number: a person, an incident, a claim and two
    relations of its own, and organisations, countries and relations shared with others."""
    shutil.copytree(ROOT / "schema", root / "schema")
    articles, annotations = root / "seeds" / "articles", root / "seeds" / "annotations"
    articles.mkdir(parents=True)
    annotations.mkdir(parents=True)
    for i in documents:
        c, o, d = i % 17, i % 23, 1 + i % 28
        text = (
            f"Agent{i} of Unit{o} was detained in Land{c} on March {d}. "
            f"Unit{o} denied that Agent{i} was a member, Land{c} officials said.\n"
        )
        (articles / f"d{i:05d}.md").write_text(
            f"---\ntitle: Report {i}\ndate: 2005-04-01\n---\n{text}", encoding="utf-8"
        )
        (annotations / f"d{i:05d}.yaml").write_text(
            f"""\
document: d{i:05d}
entities:
  - {{id: per:agent-{i}, type: Person, name: Agent{i}, evidence: [{{quote: Agent{i}}}]}}
  - {{id: org:unit-{o}, type: Organisation, kind: militant_group, name: Unit{o},
      evidence: [{{quote: Unit{o}}}]}}
  - {{id: cty:land-{c}, type: Country, name: Land{c}, evidence: [{{quote: Land{c}}}]}}
incidents:
  - id: inc:detention-{i}
    kind: detention
    title: Agent{i} detained
    date: March {d}
    place: cty:land-{c}
    participants: [{{entity: per:agent-{i}, role: detainee}}, {{entity: cty:land-{c}, role: investigator}}]
    evidence: [{{quote: "Agent{i} of Unit{o} was detained in Land{c} on March {d}"}}]
claims:
  - id: clm:unit-{o}-denies-{i}
    speaker: org:unit-{o}
    stance: denies
    content: Agent{i} was not a member of Unit{o}.
    about: [per:agent-{i}, inc:detention-{i}]
    evidence: [{{quote: "Unit{o} denied that Agent{i} was a member"}}]
relations:
  - {{type: member_of, source: per:agent-{i}, target: org:unit-{o},
      evidence: [{{quote: "Agent{i} of Unit{o}"}}]}}
  - {{type: based_in, source: org:unit-{o}, target: cty:land-{c}, evidence: [{{quote: Land{c}}}]}}
""",
            encoding="utf-8",
        )
    return Workspace(root)


def kg_env(settings: Neo4jSettings) -> dict[str, str]:
    """The environment for a ``kg`` subprocess talking to the server of ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=settings.uri, NEO4J_USERNAME=settings.username)
    env["NEO4J_PASSWORD"] = settings.password or ""
    if settings.database:
        env["NEO4J_DATABASE"] = settings.database
    return env


def kg_command(workspace: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kg", "--workspace", str(workspace), *args]


def duplicates(driver: Driver, settings: Neo4jSettings) -> tuple[int, int]:
    """Nodes sharing a label and id, and relationships sharing ends, type and properties."""
    with driver.session(database=settings.database) as s:
        nodes = s.run(
            "MATCH (n) UNWIND labels(n) AS label WITH label, n.id AS id, count(*) AS c"
            " WHERE c > 1 RETURN count(*) AS c"
        ).single(strict=True)["c"]
        rels = s.run(
            "MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, properties(r) AS p, count(*) AS c"
            " WHERE c > 1 RETURN count(*) AS c"
        ).single(strict=True)["c"]
    return int(nodes), int(rels)


# -- bad input never reaches the database --------------------------------------------------------


def test_kg_load_leaves_out_a_rejected_document_and_loads_the_others(
    empty_db: Driver, neo4j_settings: Neo4jSettings, scratch: ScratchWorkspace
) -> None:
    scratch.annotate(MINI_ANNOTATION.replace("    date: March 12\n", "    date: February 30\n"))
    done = subprocess.run(
        kg_command(scratch.root, "load"),
        env=kg_env(neo4j_settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[0] == f"kg: files are named from the workspace {scratch.root.resolve()}"
    assert lines[1].startswith("seeds/annotations/mini.yaml:")
    assert lines[1].endswith(
        "error: 'date': impossible date 2005-02-30 (February has 28 days) [bad-date]"
    )
    assert lines[-1].startswith("kg: error: 1 problem(s) found; not loaded: ")
    assert lines[-1].endswith("mini.yaml") and len(lines) == 3
    with empty_db.session(database=neo4j_settings.database) as s:
        documents = s.run(
            "MATCH (d:Document) WHERE d.load_state = 'complete' RETURN collect(d.id) AS ids"
        ).single(strict=True)["ids"]
        osh = s.run("MATCH (n {id: 'plc:osh'}) RETURN count(n) AS c").single(strict=True)["c"]
    assert documents == ["doc:edm-2004-v1-i75-kazakh-uzbek-security"]
    assert osh == 0


def test_a_rejected_document_never_reaches_neo4j_and_the_others_load(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    seed_graph: Graph,
    scratch: ScratchWorkspace,
) -> None:
    """At the library level: build_graph leaves the bad document out, load_graph loads the rest
    exactly as a load of the good documents alone; fixing the file then loads it completely."""
    scratch.annotate(MINI_ANNOTATION.replace("    place: plc:osh\n", "    place: plc:nowhere\n"))
    partial = scratch.workspace.build(schema)
    assert [Path(r).name for r in partial.rejected] == ["mini.yaml"]
    load_graph(empty_db, neo4j_settings, partial.graph, schema)
    with empty_db.session(database=neo4j_settings.database) as s:
        traces = s.run(
            "MATCH (n) WHERE n.id IN ['doc:mini', 'plc:osh', 'inc:osh-border-post-attack']"
            " OR n.id STARTS WITH 'clm:kyrgyz' RETURN count(n) AS c"
        ).single(strict=True)["c"]
        states = s.run("MATCH (d:Document) RETURN d.id AS id, d.load_state AS state").data()
    assert traces == 0
    assert states == [{"id": next(iter(seed_graph.documents)), "state": "complete"}]
    partial_counts = count_graph(empty_db, neo4j_settings)
    wipe(empty_db, neo4j_settings, schema)
    load_graph(empty_db, neo4j_settings, seed_graph, schema)
    assert count_graph(empty_db, neo4j_settings) == partial_counts

    scratch.annotate(MINI_ANNOTATION)
    fixed = scratch.workspace.build(schema)
    assert fixed.ok
    report = load_graph(empty_db, neo4j_settings, fixed.graph, schema)
    assert read_graph(empty_db, neo4j_settings, schema) == fixed.graph
    wipe(empty_db, neo4j_settings, schema)
    clean = load_graph(empty_db, neo4j_settings, fixed.graph, schema)
    assert (report.nodes, report.relationships) == (clean.nodes, clean.relationships)


# -- transient errors are retried ----------------------------------------------------------------


def test_a_real_deadlock_is_retried_by_a_managed_transaction(
    empty_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """Two writers lock two nodes in opposite orders; the server aborts one with a deadlock
    (a TransientError), and execute_write runs that one again until it commits."""
    db = neo4j_settings.database
    with empty_db.session(database=db) as s:
        s.run(
            "CREATE (:Person {id: 'per:lock-a', n: 0}), (:Person {id: 'per:lock-b', n: 0})"
        ).consume()
    first_has_a, second_has_b = threading.Event(), threading.Event()
    attempts: list[str] = []  # one entry per run of a transaction function
    errors: list[BaseException] = []

    def bump(tx: ManagedTransaction, node: str) -> None:
        tx.run("MATCH (p:Person {id: $id}) SET p.n = p.n + 1", id=node).consume()

    def first() -> None:
        def work(tx: ManagedTransaction) -> None:
            attempts.append("first")
            bump(tx, "per:lock-a")
            first_has_a.set()
            second_has_b.wait(10)
            bump(tx, "per:lock-b")

        try:
            with empty_db.session(database=db) as s:
                s.execute_write(work)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    def second(tx: ManagedTransaction) -> None:
        attempts.append("second")
        first_has_a.wait(10)
        bump(tx, "per:lock-b")
        second_has_b.set()
        bump(tx, "per:lock-a")

    thread = threading.Thread(target=first)
    thread.start()
    try:
        with empty_db.session(database=db) as s:
            s.execute_write(second)
    finally:
        thread.join(60)
    assert not errors, errors
    with empty_db.session(database=db) as s:
        values = [r["n"] for r in s.run("MATCH (p:Person) RETURN p.n AS n ORDER BY p.id")]
    assert values == [2, 2], "each writer committed exactly once"
    # The server aborted one of the two (either may be chosen) and the driver ran it again.
    assert sorted(attempts) in (["first", "first", "second"], ["first", "second", "second"])


def test_the_loader_retries_a_failed_batch_and_counts_it_once(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    seed_graph: Graph,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A TransientError in the middle of a document batch (after some statements ran) rolls
    the batch back; the driver retries it and the report counts its work once."""
    real_send: Callable[..., Any] = loader._send
    calls = {"n": 0}

    def flaky_send(tx: ManagedTransaction, query: Any, **params: Any) -> Any:
        result = real_send(tx, query, **params)
        calls["n"] += 1
        if "Incident" in query and calls.get("failed") is None:
            calls["failed"] = calls["n"]
            raise TransientError("injected: the server asks for a retry")
        return result

    monkeypatch.setattr(loader, "_send", flaky_send)
    report = load_graph(empty_db, neo4j_settings, seed_graph, schema)
    assert calls.get("failed") is not None
    assert report.counters["nodes_created"] == report.nodes
    assert report.counters["relationships_created"] == report.relationships
    assert read_graph(empty_db, neo4j_settings, schema) == seed_graph


# -- concurrency ---------------------------------------------------------------------------------


def load_concurrently(settings: Neo4jSettings, *workspaces: Workspace, keep: bool = False) -> None:
    """Run one ``kg load`` process per workspace, all at once; each must succeed."""
    extra = ["--keep-others"] if keep else []
    runs = [
        subprocess.Popen(
            kg_command(ws.root, "load", "--batch-size", "10", *extra),
            env=kg_env(settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for ws in workspaces
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "Traceback" not in err


def test_the_same_workspace_loaded_twice_at_once_equals_one_load(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, tmp_path: Path
) -> None:
    workspace = synthetic_workspace(tmp_path / "ws", range(150))
    load_concurrently(neo4j_settings, workspace, workspace)
    assert duplicates(empty_db, neo4j_settings) == (0, 0)
    concurrent = count_graph(empty_db, neo4j_settings)
    built = workspace.build(schema)
    assert read_graph(empty_db, neo4j_settings, schema) == built.graph
    wipe(empty_db, neo4j_settings, schema)
    single = load_graph(empty_db, neo4j_settings, built.graph, schema)
    assert concurrent == (single.nodes, single.relationships)


def test_records_written_after_the_plan_read_the_database_are_merged_not_created(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A load that read an empty database creates the links of every record; if another load
    wrote them meanwhile (here: before this one, its read made to see nothing), the node
    statement finds their links and they are merged: nothing is drawn twice."""
    graph = synthetic_workspace(tmp_path / "ws", range(30)).build(schema).graph
    single = load_graph(empty_db, neo4j_settings, graph, schema)
    monkeypatch.setattr(loader, "read_digests", lambda *_: {})
    monkeypatch.setattr(loader, "read_stored", lambda *_, **__: Stored())
    again = load_graph(empty_db, neo4j_settings, graph, schema, batch_size=7)
    assert again.changes["relationships_created"] == 0
    assert duplicates(empty_db, neo4j_settings) == (0, 0)
    assert (again.nodes, again.relationships) == (single.nodes, single.relationships)
    assert read_graph(empty_db, neo4j_settings, schema) == graph


def test_two_workspaces_sharing_documents_loaded_at_once(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, tmp_path: Path
) -> None:
    """Documents 60-119 are in both; each load keeps the other's (--keep-others). Shared
    entities and relations carry the evidence of the workspace that wrote them last; every
    record exists once."""
    left = synthetic_workspace(tmp_path / "left", range(0, 120))
    right = synthetic_workspace(tmp_path / "right", range(60, 180))
    load_concurrently(neo4j_settings, left, right, keep=True)
    assert duplicates(empty_db, neo4j_settings) == (0, 0)
    union = synthetic_workspace(tmp_path / "union", range(0, 180)).build(schema).graph
    back = read_graph(empty_db, neo4j_settings, schema)
    assert back.documents.keys() == union.documents.keys()
    assert (back.incidents, back.claims) == (union.incidents, union.claims)
    assert back.entities.keys() == union.entities.keys()
    assert back.relations.keys() == union.relations.keys()
    with empty_db.session(database=neo4j_settings.database) as s:
        states = s.run("MATCH (d:Document) RETURN collect(DISTINCT d.load_state) AS s").single(
            strict=True
        )["s"]
    assert states == ["complete"]
    concurrent_nodes = count_graph(empty_db, neo4j_settings)[0]
    wipe(empty_db, neo4j_settings, schema)
    assert concurrent_nodes == load_graph(empty_db, neo4j_settings, union, schema).nodes


# -- injection and access ------------------------------------------------------------------------

HOSTILE = st.one_of(
    st.text(min_size=1, max_size=30),
    st.sampled_from(
        [
            "MATCH (n) DETACH DELETE n",
            "x'}) DETACH DELETE n //",
            'a"b\\c`d{e}f',
            "$password",
            "// comment",
            "`Person`",
            "Назарба́ев 李 ☃ \u200b",
            "}]->(x) RETURN 1 UNION MATCH (n) DETACH DELETE n //",
        ]
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=HOSTILE, aliases=st.lists(HOSTILE, max_size=3, unique=True), note=HOSTILE)
def test_hostile_text_loads_as_plain_data(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    seed_graph: Graph,
    name: str,
    aliases: list[str],
    note: str,
) -> None:
    doc = next(iter(seed_graph.documents.values()))
    entity = Entity(
        id="per:hostile",
        type="Person",
        name=name,
        aliases=tuple(a for a in aliases if a != name),
        note=note,
        evidence=(Evidence(doc.id, 0, len(doc.text[:5]), doc.text[:5]),),
    )
    graph = Graph(documents={doc.id: doc}, entities={entity.id: entity})
    wipe(empty_db, neo4j_settings, schema)
    load_graph(empty_db, neo4j_settings, graph, schema)
    assert read_graph(empty_db, neo4j_settings, schema) == graph
    assert count_graph(empty_db, neo4j_settings) == (2, 1)


@pytest.mark.parametrize(
    "crafted",
    ["Person) DETACH DELETE n //", "Person`) DETACH DELETE n //", "person", "Entity:Person", ""],
)
def test_labels_come_only_from_the_schema(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    seed_graph: Graph,
    crafted: str,
) -> None:
    with pytest.raises(SchemaError, match="not a label or relationship type of the schema"):
        render("merge_nodes", schema, label=crafted)
    with pytest.raises(SchemaError):
        render("create_links", schema, label="Incident", target="Place", type=crafted)
    load_graph(empty_db, neo4j_settings, seed_graph, schema)
    before = count_graph(empty_db, neo4j_settings)
    # A graph that skipped validation: its label is refused before its batch runs a query.
    rogue = Entity(id="per:rogue", type=crafted, name="Rogue")
    graph = Graph(documents=seed_graph.documents, entities={**seed_graph.entities, rogue.id: rogue})
    with pytest.raises(SchemaError):
        load_graph(empty_db, neo4j_settings, graph, schema)
    assert count_graph(empty_db, neo4j_settings) == before
    with empty_db.session(database=neo4j_settings.database) as s:
        assert (
            s.run("MATCH (n {id: 'per:rogue'}) RETURN count(n) AS c").single(strict=True)["c"] == 0
        )


@pytest.mark.parametrize(
    "cypher",
    [
        "CALL { CREATE (:Person {id: 'per:sneaky'}) } RETURN 1 AS x",
        "MATCH (n:Person) WITH n LIMIT 1 REMOVE n.name RETURN n.id AS id",
        "MERGE (n:Person {id: 'per:sneaky'}) RETURN n.id AS id",
        "CREATE INDEX sneaky IF NOT EXISTS FOR (n:Person) ON (n.note)",
        "DROP CONSTRAINT sneaky IF EXISTS",
        "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS RETURN 1 AS x",
        "UNWIND [1] AS i FOREACH (x IN [i] | CREATE (:Person {id: 'per:sneaky'}))",
    ],
)
def test_query_refuses_writes_without_the_flag(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    seed_graph: Graph,
    cypher: str,
) -> None:
    load_graph(empty_db, neo4j_settings, seed_graph, schema)
    before = count_graph(empty_db, neo4j_settings)
    with empty_db.session(database=neo4j_settings.database) as s:
        indexes = s.run("SHOW INDEXES YIELD name RETURN collect(name) AS names").single(
            strict=True
        )["names"]
    result = CliRunner().invoke(main, ["--workspace", str(ROOT), "query", "-c", cypher])
    assert result.exit_code == 1, result.output
    assert "pass --write to allow it" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert count_graph(empty_db, neo4j_settings) == before
    with empty_db.session(database=neo4j_settings.database) as s:
        after = s.run("SHOW INDEXES YIELD name RETURN collect(name) AS names").single(strict=True)[
            "names"
        ]
    assert sorted(after) == sorted(indexes)

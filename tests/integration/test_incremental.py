"""Incremental loads: only what changed is written, what was removed is removed, and the
database read back always equals a fresh load of the current graph."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import Driver, ManagedTransaction

from kg.cli import main
from kg.model import Graph
from kg.neo4j import loader
from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.loader import count_graph, load_graph, wipe
from kg.neo4j.reader import read_graph
from kg.schema import Schema
from kg.workspace import Workspace

from .test_reliability import kg_env, synthetic_workspace

pytestmark = pytest.mark.integration

WITNESS = "  - {id: per:witness-3, type: Person, name: Witness, evidence: [{quote: Agent3}]}\n"


def build(ws: Workspace, schema: Schema) -> Graph:
    result = ws.build(schema, cached=False)
    assert result.ok, [str(p) for p in result.problems]
    return result.graph


def edit(ws: Workspace, number: int, change: Callable[[str], str]) -> None:
    path = ws.root / "seeds" / "annotations" / f"d{number:05d}.yaml"
    path.write_text(change(path.read_text("utf-8")), "utf-8")


def fresh(driver: Driver, settings: Neo4jSettings, graph: Graph, schema: Schema) -> Any:
    """What a load into an empty database gives: the graph read back and the counts."""
    wipe(driver, settings, schema)
    load_graph(driver, settings, graph, schema)
    return read_graph(driver, settings, schema), count_graph(driver, settings)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = synthetic_workspace(tmp_path / "ws", range(12))
    edit(workspace, 3, lambda t: t.replace("incidents:\n", WITNESS + "incidents:\n", 1))
    return workspace


def test_an_unchanged_reload_writes_nothing_and_says_so(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, ws: Workspace
) -> None:
    graph = build(ws, schema)
    first = load_graph(empty_db, neo4j_settings, graph, schema)
    assert first.changes["documents_added"] == 12 and first.changes["nodes_created"] > 0
    again = load_graph(empty_db, neo4j_settings, graph, schema)
    assert again.batches == 0 and sum(again.counters.values()) == 0
    assert again.changes["documents_unchanged"] == 12
    assert sum(v for k, v in again.changes.items() if k != "documents_unchanged") == 0
    assert (again.nodes, again.relationships) == (first.nodes, first.relationships)
    assert read_graph(empty_db, neo4j_settings, schema) == graph


def test_deleting_a_relation_and_an_entity_removes_exactly_them(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, ws: Workspace
) -> None:
    before = build(ws, schema)
    load_graph(empty_db, neo4j_settings, before, schema)
    edit(ws, 3, lambda t: t.replace(WITNESS, "").replace(
        "  - {type: member_of, source: per:agent-3, target: org:unit-3,\n"
        "      evidence: [{quote: \"Agent3 of Unit3\"}]}\n", ""))  # fmt: skip
    after = build(ws, schema)
    gone_relations = before.relations.keys() - after.relations.keys()
    assert before.entities.keys() - after.entities.keys() == {"per:witness-3"}
    assert len(gone_relations) == 1
    report = load_graph(empty_db, neo4j_settings, after, schema)
    assert report.changes["documents_replaced"] == 1
    assert report.changes["documents_unchanged"] == 11
    assert report.changes["nodes_deleted"] == 1 and report.changes["nodes_created"] == 0
    # The relation, and the witness's one evidence link (gone with its node).
    assert report.changes["relationships_deleted"] == 2
    back = read_graph(empty_db, neo4j_settings, schema)
    assert back == after
    assert (back, count_graph(empty_db, neo4j_settings)) == fresh(
        empty_db, neo4j_settings, after, schema
    )


def test_added_and_removed_documents(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, ws: Workspace, tmp_path: Path
) -> None:
    load_graph(empty_db, neo4j_settings, build(ws, schema), schema)
    for sub, suffix in (("articles", ".md"), ("annotations", ".yaml")):
        (ws.root / "seeds" / sub / f"d00005{suffix}").unlink()
    extra = synthetic_workspace(tmp_path / "extra", range(12, 13))
    for sub, suffix in (("articles", ".md"), ("annotations", ".yaml")):
        name = f"d00012{suffix}"
        (ws.root / "seeds" / sub / name).write_bytes(
            (extra.root / "seeds" / sub / name).read_bytes()
        )
    graph = build(ws, schema)
    report = load_graph(empty_db, neo4j_settings, graph, schema)
    c = report.changes
    assert (c["documents_added"], c["documents_removed"], c["documents_unchanged"]) == (1, 1, 11)
    assert c["documents_replaced"] == 0
    back = read_graph(empty_db, neo4j_settings, schema)
    assert "doc:d00005" not in back.documents and back == graph
    assert (back, count_graph(empty_db, neo4j_settings)) == fresh(
        empty_db, neo4j_settings, graph, schema
    )


HQ = "  - {id: org:hq, type: Organisation, kind: militant_group, name: %s}\n"


def test_a_record_no_document_cites_is_updated_and_removed(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, ws: Workspace
) -> None:
    """An entity without evidence is covered by no document of its own: the first document's
    digest covers it, so editing or removing it is not skipped as unchanged."""
    edit(ws, 3, lambda t: t.replace("incidents:\n", HQ % "Headquarters" + "incidents:\n", 1))
    before = build(ws, schema)
    assert not before.entities["org:hq"].evidence
    load_graph(empty_db, neo4j_settings, before, schema)
    edit(ws, 3, lambda t: t.replace(HQ % "Headquarters", HQ % "Head Office"))
    renamed = build(ws, schema)
    report = load_graph(empty_db, neo4j_settings, renamed, schema)
    assert report.changes["nodes_updated"] == 1 and report.changes["documents_unchanged"] == 12
    assert read_graph(empty_db, neo4j_settings, schema) == renamed
    edit(ws, 3, lambda t: t.replace(HQ % "Head Office", ""))
    after = build(ws, schema)
    report = load_graph(empty_db, neo4j_settings, after, schema)
    assert report.changes["nodes_deleted"] == 1
    back = read_graph(empty_db, neo4j_settings, schema)
    assert back == after and "org:hq" not in back.entities
    assert (back, count_graph(empty_db, neo4j_settings)) == fresh(
        empty_db, neo4j_settings, after, schema
    )


class Crash(Exception):
    """A load that dies half way (the process killed, the connection gone)."""


def dying_send(tx: ManagedTransaction, query: Any, **params: Any) -> Any:
    """In place of ``loader._send``: a load that dies before its first statement."""
    raise Crash("killed")


def test_a_crash_mid_incremental_load_then_a_rerun_gives_the_fresh_load_graph(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_graph(empty_db, neo4j_settings, build(ws, schema), schema)
    for number in (1, 4, 7, 10):
        edit(
            ws,
            number,
            lambda t, n=number: t.replace(f"title: Agent{n} detained", f"title: Agent{n} held"),
        )
    edit(ws, 3, lambda t: t.replace(WITNESS, ""))
    graph = build(ws, schema)
    real_send = loader._send
    batches = {"n": 0}

    def crashing_send(tx: ManagedTransaction, query: Any, **params: Any) -> Any:
        if "loaded_at" in query:
            batches["n"] += 1
            if batches["n"] == 2:  # the second batch of documents dies before it commits
                raise Crash("killed")
        return real_send(tx, query, **params)

    monkeypatch.setattr(loader, "_send", crashing_send)
    with pytest.raises(Crash):
        load_graph(empty_db, neo4j_settings, graph, schema, batch_size=8)
    half = read_graph(empty_db, neo4j_settings, schema)
    titles = {i.id: i.title for i in half.incidents.values()}
    assert (
        titles["inc:detention-1"] == "Agent1 held"
        and titles["inc:detention-10"] == "Agent10 detained"
    )
    monkeypatch.setattr(loader, "_send", real_send)
    report = load_graph(empty_db, neo4j_settings, graph, schema)
    assert report.changes["documents_unchanged"] >= 8
    back = read_graph(empty_db, neo4j_settings, schema)
    assert back == graph
    assert (back, count_graph(empty_db, neo4j_settings)) == fresh(
        empty_db, neo4j_settings, graph, schema
    )


def test_a_load_that_dies_before_its_first_commit_leaves_every_digest_as_it_was(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The digests a re-load takes away go in its first batch's transaction: a load that
    dies before that commits has changed nothing, not even a digest (the next load then
    skips as many documents as it did)."""
    load_graph(empty_db, neo4j_settings, build(ws, schema), schema)
    digests = loader.read_digests(empty_db, neo4j_settings, schema)
    assert all(digests.values())
    for number in (1, 4, 7):
        edit(ws, number, lambda t, n=number: t.replace(f"Agent{n} detained", f"Agent{n} held"))
    graph = build(ws, schema)

    monkeypatch.setattr(loader, "_send", dying_send)
    with pytest.raises(Crash):
        load_graph(empty_db, neo4j_settings, graph, schema)
    assert loader.read_digests(empty_db, neo4j_settings, schema) == digests


def test_a_load_lets_go_of_its_rows_and_leaves_the_interpreter_as_it_was(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A load pauses the cyclic collector and shortens the GIL's switch interval: both are
    as they were once it is done, or has died. The driver keeps each statement's parameters
    in reference cycles: no batch's rows may stay in them (with the collector paused they
    would pile up until the load ends)."""
    graph = build(ws, schema)
    interval = sys.getswitchinterval()
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds unreachable stays in gc.garbage
    try:
        load_graph(empty_db, neo4j_settings, graph, schema, batch_size=8)
        assert gc.isenabled() and sys.getswitchinterval() == interval
        gc.collect()
        kept = [o for o in gc.garbage if isinstance(o, loader._Parameters) and o]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert kept == []

    edit(ws, 1, lambda t: t.replace("Agent1 detained", "Agent1 held"))
    monkeypatch.setattr(loader, "_send", dying_send)
    with pytest.raises(Crash):
        load_graph(empty_db, neo4j_settings, build(ws, schema), schema)
    assert gc.isenabled() and sys.getswitchinterval() == interval


def test_properties_kg_does_not_own_survive_a_reload(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, ws: Workspace
) -> None:
    load_graph(empty_db, neo4j_settings, build(ws, schema), schema)
    with empty_db.session(database=neo4j_settings.database) as s:
        s.run("MATCH (p:Person {id: 'per:agent-3'}) SET p.centrality_pagerank = 0.5").consume()
    edit(ws, 3, lambda t: t.replace("name: Agent3,", "name: Agent3, description: An agent,"))
    load_graph(empty_db, neo4j_settings, build(ws, schema), schema)
    edit(ws, 3, lambda t: t.replace(" description: An agent,", ""))
    graph = build(ws, schema)
    load_graph(empty_db, neo4j_settings, graph, schema)
    with empty_db.session(database=neo4j_settings.database) as s:
        row = s.run(
            "MATCH (p:Person {id: 'per:agent-3'}) RETURN p.centrality_pagerank AS c, p.description AS d"
        ).single(strict=True)
    assert (row["c"], row["d"]) == (0.5, None)
    assert read_graph(empty_db, neo4j_settings, schema) == graph


def test_bulk_refuses_a_server_it_does_not_run(
    empty_db: Driver, neo4j_settings: Neo4jSettings, ws: Workspace, tmp_path: Path
) -> None:
    """neo4j-admin writes the server's files: --bulk works only on the local server."""
    env = {**kg_env(neo4j_settings), "KG_NEO4J_HOME": str(tmp_path / "not-running")}
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "load", "--bulk", "--yes"],
                                env=env)  # fmt: skip
    assert result.exit_code != 0
    assert "--bulk writes the files of the local server" in result.stderr
    assert count_graph(empty_db, neo4j_settings) == (0, 0)


def test_kg_load_compares_the_builds_fingerprints_whether_it_built_or_reused_the_build(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, ws: Workspace
) -> None:
    """`kg load` hands the loader the build's digests: a load after a fresh build and one after
    a cached build give the same hashes, so only what an edit changed is written again."""
    command = ["--workspace", str(ws.root), "load"]

    def load() -> str:
        result = CliRunner().invoke(main, command, env=kg_env(neo4j_settings))
        assert result.exit_code == 0, result.output
        return result.stdout

    assert "documents 12 added" in load()  # a fresh build: no cache yet
    unchanged = "documents 0 added, 0 replaced, 0 removed, 12 unchanged; nodes 0 created, 0 updated"
    assert unchanged in load()  # the cached build
    witness = (
        "  - {id: per:witness-5, type: Person, name: Witness Five, evidence: [{quote: Agent5}]}\n"
    )
    edit(ws, 5, lambda t: t.replace("incidents:\n", witness + "incidents:\n", 1))
    assert "documents 0 added, 1 replaced, 0 removed, 11 unchanged" in load()  # built again
    assert unchanged in load()
    assert (
        read_graph(empty_db, neo4j_settings, schema)
        == fresh(empty_db, neo4j_settings, build(ws, schema), schema)[0]
    )


SHARED = (
    '  - {type: based_in, source: org:unit-3, target: cty:land-3, evidence: [{quote: "Land%d"}]}\n'
)


def cite_shared(number: int) -> Callable[[str], str]:
    """Document ``number`` also states the relation of document 3 (Unit3 based in Land3)."""
    return lambda t: t + SHARED % (number % 17)


def uncite_shared(number: int) -> Callable[[str], str]:
    return lambda t: t.replace(SHARED % (number % 17), "")


def drop_own(t: str) -> str:
    """Document 3 no longer states its relation."""
    return t.replace(
        "  - {type: based_in, source: org:unit-3, target: cty:land-3, evidence: [{quote: Land3}]}\n",
        "",
    )


TOWN = "  - {id: plc:town-3, type: Place, name: Town3}\n"
LOCATED = "  - {type: located_in, source: plc:town-3, target: cty:land-%d}\n"


def add_town(t: str) -> str:
    """Document 3 declares a place, and where it lies, without evidence: of no document."""
    return t.replace("incidents:\n", TOWN + "incidents:\n", 1) + LOCATED % 3


def move_town(t: str) -> str:
    return t.replace(LOCATED % 3, LOCATED % 4)


def rename_town(t: str) -> str:
    return t.replace("name: Town3}", "name: Town Three}")


def drop_town(t: str) -> str:
    return t.replace(TOWN, "").replace(LOCATED % 3, "")


def quote_town(t: str) -> str:
    """The place of no document gains evidence: it moves to document 3."""
    return t.replace("name: Town3}", "name: Town3, evidence: [{quote: Land3}]}")


def unquote_town(t: str) -> str:
    return t.replace("name: Town3, evidence: [{quote: Land3}]}", "name: Town3}")


def kg_state(driver: Driver, settings: Neo4jSettings, schema: Schema) -> Any:
    """The graph read back, the counts, and what the loader keeps on each relation and node."""
    with driver.session(database=settings.database) as s:
        kept = s.run(
            "CALL { MATCH ()-[r]->() WHERE r.kg_hash IS NOT NULL RETURN r AS x UNION ALL "
            "MATCH (n) WHERE n.kg_hash IS NOT NULL RETURN n AS x } "
            "RETURN collect([x.id, x.kg_doc, x.kg_hash]) AS kept"
        ).single(strict=True)["kept"]
    return read_graph(driver, settings, schema), count_graph(driver, settings), sorted(kept)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param([], [(2, cite_shared(2))], id="an earlier document becomes its first"),
        pytest.param([], [(5, cite_shared(5))], id="a later document cites it too"),
        pytest.param([], [(3, drop_own), (5, cite_shared(5))], id="it moves to a later document"),
        pytest.param(
            [(2, cite_shared(2))],
            [(2, uncite_shared(2))],
            id="its first document no longer cites it",
        ),
        pytest.param([(2, cite_shared(2))], [(2, None)], id="its first document is removed"),
        pytest.param(
            [(5, cite_shared(5))],
            [(5, None), (3, drop_own)],
            id="it and its only other document go",
        ),
        pytest.param([(3, add_town)], [(3, move_town)], id="a relation of no document"),
        pytest.param([], [(3, add_town)], id="records of no document added"),
        pytest.param([(3, add_town)], [(3, rename_town)], id="an entity of no document changes"),
        pytest.param([(3, add_town)], [(3, drop_town)], id="records of no document removed"),
        pytest.param([(3, add_town)], [(3, quote_town)], id="an entity of no document is quoted"),
        pytest.param(
            [(3, add_town), (3, quote_town)], [(3, unquote_town)], id="an entity loses its evidence"
        ),
    ],
)
def test_a_relation_moving_between_documents_is_read_and_written_as_a_fresh_load_would(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    ws: Workspace,
    before: list[tuple[int, Callable[[str], str]]],
    after: list[tuple[int, Callable[[str], str] | None]],
) -> None:
    """A re-load reads a relation by its first document (``kg_doc``): the document whose
    digest covers it. When that document changes (another becomes first, it stops citing the
    relation, it is removed) the database still equals a fresh load, ``kg_doc`` included."""
    for number, change in before:
        edit(ws, number, change)
    load_graph(empty_db, neo4j_settings, build(ws, schema), schema)
    for number, gone in after:
        if gone is None:
            for sub, suffix in (("articles", ".md"), ("annotations", ".yaml")):
                (ws.root / "seeds" / sub / f"d{number:05d}{suffix}").unlink()
        else:
            edit(ws, number, gone)
    graph = build(ws, schema)
    report = load_graph(empty_db, neo4j_settings, graph, schema)
    assert report.changes["documents_unchanged"] >= 9
    incremental = kg_state(empty_db, neo4j_settings, schema)
    assert incremental[0] == graph
    fresh(empty_db, neo4j_settings, graph, schema)
    assert incremental == kg_state(empty_db, neo4j_settings, schema)
    # And a re-load of the same graph finds nothing to write.
    again = load_graph(empty_db, neo4j_settings, graph, schema)
    assert again.batches == 0 and sum(again.counters.values()) == 0

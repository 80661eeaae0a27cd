"""Faults against a real Neo4j of this module's own (the shared server keeps running).

The server is started here, in a temporary state folder on free ports, with a known password:
it is killed with SIGKILL in the middle of a load and restarted, and every command is run
against it to check that the password shows up in no output and no file.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from neo4j import Driver

from kg.cli import main
from kg.model import Claim, Graph, Incident, Relation
from kg.neo4j import server
from kg.neo4j.connection import Neo4jSettings, connect
from kg.neo4j.loader import count_graph, load_graph, wipe
from kg.neo4j.reader import read_graph
from kg.neo4j.server import NEO4J_VERSION, ServerInfo
from kg.schema import Schema

from ..conftest import ROOT, ScratchWorkspace
from .test_reliability import kg_command, kg_env, synthetic_workspace

pytestmark = pytest.mark.integration

PASSWORD = "Fault-" + secrets.token_hex(12)
"""Known to the tests, so they can look for it everywhere; random, so no file has it by chance."""


def _cache_dir() -> Path:
    base = os.environ.get("KG_NEO4J_CACHE") or "~/.cache/kg/neo4j"
    return Path(base).expanduser() / NEO4J_VERSION


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class OwnServer:
    """This module's server: where it lives, how to reach it, how to kill and restart it."""

    state_dir: Path
    ports: tuple[int, int]
    info: ServerInfo

    @property
    def settings(self) -> Neo4jSettings:
        return Neo4jSettings(uri=self.info.uri, password=PASSWORD)

    def env(self) -> dict[str, str]:
        return {**kg_env(self.settings), "KG_NEO4J_HOME": str(self.state_dir)}

    def start(self) -> None:
        bolt, http = self.ports
        self.info = server.start(
            self.state_dir, _cache_dir(), password=PASSWORD, bolt_port=bolt, http_port=http
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown, no checkpoint; Neo4j must recover from its transaction log."""
        os.kill(self.info.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while server.status(self.state_dir).running and time.monotonic() < deadline:
            time.sleep(0.1)


def server_of_its_own(
    tmp_path_factory: pytest.TempPathFactory, name: str, password: str | None
) -> Iterator[OwnServer]:
    """A Neo4j server started in a folder of the test's own, stopped afterwards (fails in CI,
    skips elsewhere, when Java or Maven is missing)."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        message = f"needs {' and '.join(missing)} to run a Neo4j server of its own"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    state_dir = tmp_path_factory.mktemp(name)
    bolt, http = _free_ports(2)
    info = server.start(state_dir, _cache_dir(), password=password, bolt_port=bolt, http_port=http)
    try:
        yield OwnServer(state_dir, (bolt, http), info)
    finally:
        server.stop(state_dir)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnServer]:
    yield from server_of_its_own(tmp_path_factory, "fault-neo4j", PASSWORD)


def _one_error_line(stderr: str, prefix: str) -> None:
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(prefix), stderr


# -- an unreachable server -----------------------------------------------------------------------


@pytest.mark.parametrize("listener", ["nothing", "silent", "http"])
def test_an_unreachable_server_fails_in_one_line_with_exit_2(
    own_server: OwnServer, listener: str
) -> None:
    """A port nothing listens on, a port that accepts connections but never answers (the
    driver gives up after its 5 s connection timeout), and Neo4j's HTTP port (no Bolt)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        if listener == "silent":
            sock.listen(8)
        elif listener == "http":
            port = own_server.ports[1]
        else:
            sock.close()
        env = {**own_server.env(), "NEO4J_URI": f"bolt://127.0.0.1:{port}"}
        done = subprocess.run(
            kg_command(ROOT, "query", "documents"),
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    _one_error_line(done.stderr, f"kg: error: cannot reach Neo4j at bolt://127.0.0.1:{port}")
    assert done.stdout == ""


# -- the password is never shown -----------------------------------------------------------------


def assert_password_in_no_file(*folders: Path) -> None:
    files = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
    assert any(p.parent.name == "logs" and p.stat().st_size for p in files)
    for path in files:
        assert PASSWORD.encode() not in path.read_bytes(), path


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_the_password_appears_in_no_output_and_no_file(
    own_server: OwnServer, scratch: ScratchWorkspace, tmp_path: Path
) -> None:
    """Every command, run with a known password: not in stdout or stderr, not in any file of
    the server (logs, data, configuration) or of the workspace and its exports."""
    shutil.copytree(ROOT / "queries", scratch.root / "queries")
    out = tmp_path / "out"
    out.mkdir()
    bolt, http = (str(port) for port in own_server.ports)
    refused = {"CREATE (n:Person {id: 'per:x'})", "RETURN nonsense("}
    runs = [
        ["neo4j", "start", "--bolt-port", bolt, "--http-port", http],  # already running
        ["neo4j", "status"],
        ["config"],
        ["config", "--format", "json"],
        ["validate"],
        ["build", "-o", str(out / "graph.json")],
        ["stats", "--format", "json"],
        ["load", "--wipe", "--yes", "--batch-size", "50"],
        ["load"],
        ["query", "--list"],
        ["query", "documents"],
        ["query", "incidents-timeline", "--format", "json"],
        ["query", "entity-search", "-p", "q=osh", "--format", "csv"],
        ["query", "-c", "RETURN $x AS x", "-p", "x=3"],
        ["query", "-c", "CREATE (n:Person {id: 'per:x'})"],  # refused: it writes
        ["query", "-c", "RETURN nonsense("],  # refused by the server: a syntax error
        [
            "query",
            "--write",
            "-c",
            "MERGE (n:Person {id: 'per:x'}) SET n.name = 'X' RETURN n.id AS id",
        ],
        ["export", "rdf", "--from", "neo4j", "-o", str(out / "graph.ttl")],
        ["export", "rdf", "--format", "trig", "-o", str(out / "graph.trig")],
        ["export", "graph", "--from", "neo4j", "-o", str(out / "graph.graphml")],
        ["export", "ontology", "-o", str(out / "ontology.ttl")],
        ["export", "shapes", "-o", str(out / "shapes.ttl")],
        ["centrality", "--from", "neo4j", "--top", "3"],
    ]
    runner = CliRunner(env=own_server.env())
    outputs: list[str] = []
    for args in runs:
        result = runner.invoke(main, ["--workspace", str(scratch.root), *args])
        outputs.append(f"$ kg {' '.join(args)}\n{result.output}")
        expected = 1 if args[-1] in refused else 0
        assert result.exit_code == expected, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), args
    # Every command and subcommand explains itself without the password too.
    for path in _commands(main):
        result = runner.invoke(main, ["--workspace", str(scratch.root), *path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        outputs.append(result.output)
    for text in outputs:
        assert PASSWORD not in text, text
    assert_password_in_no_file(own_server.state_dir, scratch.root, out)


# -- kill -9 in the middle of a load -------------------------------------------------------------


def _relation_types(schema: Schema) -> list[str]:
    return [rel.neo4j_type for rel in schema.relations.values()]


def assert_no_document_half_loaded(
    driver: Driver, settings: Neo4jSettings, graph: Graph, schema: Schema
) -> set[str]:
    """The per-document guarantee, checked against the graph that was being loaded.

    With C the documents whose node says ``load_state: "complete"``, and for each fact (an
    incident, a claim or a relation) D(f) the documents its evidence cites:
    (1) a fact is in the database if and only if D(f) meets C: facts of complete documents are
    all there, and no fact is there on behalf of incomplete documents only; (2) a complete
    document has its text, and exactly as many evidence links from incidents and claims as
    the graph gives it; (3) any other Document node is a bare stub (no text), drawn by
    entity evidence. Returns C.
    """
    with driver.session(database=settings.database) as s:
        docs = s.run(
            "MATCH (d:Document) OPTIONAL MATCH (d)<-[e:EVIDENCE]-(f) WHERE f:Incident OR f:Claim"
            " RETURN d.id AS id, d.load_state AS state, d.text AS text, count(e) AS facts"
        ).data()
        stored = {r["id"] for r in s.run("MATCH (n) WHERE n:Incident OR n:Claim RETURN n.id AS id")}
        stored |= {
            r["id"]
            for r in s.run(
                "MATCH ()-[r]->() WHERE type(r) IN $types RETURN r.id AS id",
                types=_relation_types(schema),
            )
        }
    complete = {d["id"] for d in docs if d["state"] == "complete"}
    facts: list[Incident | Claim | Relation] = [
        *graph.incidents.values(),
        *graph.claims.values(),
        *graph.relations.values(),
    ]
    expected = {f.id for f in facts if {ev.document for ev in f.evidence} & complete}
    assert stored == expected, (len(stored - expected), len(expected - stored))
    evidence_count: dict[str, int] = {}
    for fact in facts:
        if isinstance(fact, Relation):
            continue
        for ev in fact.evidence:
            evidence_count[ev.document] = evidence_count.get(ev.document, 0) + 1
    for doc in docs:
        if doc["id"] in complete:
            assert doc["text"] == graph.documents[doc["id"]].text
            assert doc["facts"] == evidence_count[doc["id"]], doc["id"]
        else:
            assert doc["state"] is None and doc["text"] is None and doc["facts"] == 0, doc
    return complete


def test_kill_9_in_the_middle_of_a_load_then_a_rerun_completes(
    own_server: OwnServer,
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    schema: Schema,
    tmp_path: Path,
) -> None:
    workspace = synthetic_workspace(tmp_path / "big", range(300))
    built = workspace.build(schema)
    assert built.ok
    graph = built.graph
    with connect(own_server.settings) as fresh:
        wipe(fresh, own_server.settings, schema)
    load = subprocess.Popen(
        kg_command(workspace.root, "load", "--batch-size", "50"),
        env=own_server.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watcher = connect(own_server.settings)
    try:
        deadline = time.monotonic() + 120
        complete = 0
        while complete < 3 and load.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            with watcher.session() as s:
                complete = s.run(
                    "MATCH (d:Document {load_state: 'complete'}) RETURN count(d) AS c"
                ).single(strict=True)["c"]
    finally:
        watcher.close()
    assert load.poll() is None, "the load finished before the server could be killed"
    own_server.kill()
    _, stderr = load.communicate(timeout=120)  # the driver retries for 10 s, then gives up
    assert load.returncode == 2, stderr
    _one_error_line(stderr, f"kg: error: cannot reach Neo4j at {own_server.info.uri}")

    own_server.start()  # recovery replays the transaction log
    driver = connect(own_server.settings)
    try:
        done = assert_no_document_half_loaded(driver, own_server.settings, graph, schema)
        assert 3 <= len(done) < len(graph.documents), len(done)

        rerun = subprocess.run(
            kg_command(workspace.root, "load"),
            env=own_server.env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert rerun.returncode == 0, rerun.stderr
        assert rerun.stderr == ""
        done = assert_no_document_half_loaded(driver, own_server.settings, graph, schema)
        assert done == set(graph.documents)
        recovered = count_graph(driver, own_server.settings)
        assert read_graph(driver, own_server.settings, schema) == graph
    finally:
        driver.close()
    clean = load_graph(empty_db, neo4j_settings, graph, schema)  # a fresh database
    assert recovered == (clean.nodes, clean.relationships)


def test_stop_after_the_crash_shows_no_password_either(own_server: OwnServer) -> None:
    """Runs last: the server's files now also hold the crash and the recovery."""
    runner = CliRunner(env=own_server.env())
    result = runner.invoke(main, ["--workspace", str(ROOT), "neo4j", "stop"])
    assert result.exit_code == 0 and result.output == "Neo4j stopped\n", result.output
    assert not server.status(own_server.state_dir).running
    assert_password_in_no_file(own_server.state_dir)

"""Integration tests: a real Neo4j Community server run from Maven Central jars (no Docker)."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from kg.errors import Neo4jError, ServerError
from kg.neo4j import server
from kg.neo4j.connection import Neo4jSettings, connect
from kg.neo4j.server import NEO4J_VERSION, ServerInfo
from kg.network.gds import Database, gds_centrality

pytestmark = pytest.mark.integration


def _cache_dir() -> Path:
    base = os.environ.get("KG_NEO4J_CACHE") or "~/.cache/kg/neo4j"
    return Path(base).expanduser() / NEO4J_VERSION


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _require_tools() -> None:
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        message = f"needs {' and '.join(missing)} to run a local Neo4j server"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _return_one(uri: str, password: str) -> int:
    with GraphDatabase.driver(uri, auth=(server.USERNAME, password)) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS x")
    return int(records[0]["x"])


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerInfo]:
    _require_tools()
    state_dir = tmp_path_factory.mktemp("neo4j-state")
    bolt_port, http_port = _free_ports(2)
    info = server.start(
        state_dir, _cache_dir(), password=None, bolt_port=bolt_port, http_port=http_port
    )
    try:
        yield info
    finally:
        server.stop(state_dir)


def test_cypher_runs_with_the_stored_password(running: ServerInfo) -> None:
    password = server.read_password(running.state_dir)
    assert password
    assert running.uri.startswith("bolt://127.0.0.1:")
    assert _return_one(running.uri, password) == 1


def test_routing_uri_works(running: ServerInfo) -> None:
    password = server.read_password(running.state_dir)
    assert password
    assert _return_one(running.uri.replace("bolt://", "neo4j://"), password) == 1


def test_password_file_is_private(running: ServerInfo) -> None:
    assert running.password_file == running.state_dir / "password"
    assert stat.S_IMODE(running.password_file.stat().st_mode) == 0o600


def test_password_is_not_logged(running: ServerInfo) -> None:
    password = server.read_password(running.state_dir)
    assert password
    for log in (running.state_dir / "logs").iterdir():
        assert password not in log.read_text(encoding="utf-8", errors="replace"), log
    assert not list((running.state_dir / "run").glob("initial-password*"))


def test_wrong_password_is_refused(running: ServerInfo) -> None:
    with (
        GraphDatabase.driver(running.uri, auth=(server.USERNAME, "not-the-password")) as driver,
        pytest.raises(AuthError),
    ):
        driver.verify_connectivity()


def test_status_reports_running(running: ServerInfo) -> None:
    state = server.status(running.state_dir)
    assert state.running
    assert state.pid == running.pid
    assert state.uri == running.uri
    assert state.password_file == running.password_file
    assert state.log_file.is_file()


def test_start_again_is_idempotent(running: ServerInfo) -> None:
    again = server.start(running.state_dir, _cache_dir(), password=None)
    assert again.pid == running.pid
    assert again.uri == running.uri


def test_port_in_use_is_reported(running: ServerInfo, tmp_path: Path) -> None:
    bolt_port = int(running.uri.rsplit(":", 1)[1])
    (http_port,) = _free_ports(1)
    with pytest.raises(ServerError, match="already in use"):
        server.start(
            tmp_path, _cache_dir(), password=None, bolt_port=bolt_port, http_port=http_port
        )


def test_browser_is_served(running: ServerInfo) -> None:
    with urllib.request.urlopen(f"{running.http_uri}/browser/", timeout=30) as response:
        page = response.read().decode("utf-8")
        assert response.status == 200
        assert response.headers.get_content_type() == "text/html"
    assert "<title>Neo4j Browser</title>" in page


def test_gds_missing_is_one_clear_error(running: ServerInfo) -> None:
    password = server.read_password(running.state_dir)
    settings = Neo4jSettings(uri=running.uri, password=password)
    driver = connect(settings)
    try:
        with pytest.raises(Neo4jError, match=r"not installed .* 'kg neo4j start --gds'"):
            gds_centrality(nx.path_graph(3), ["pagerank"], Database(driver, settings))
    finally:
        driver.close()


def test_stop_ends_the_server(running: ServerInfo) -> None:
    assert server.stop(running.state_dir) is True
    state = server.status(running.state_dir)
    assert not state.running
    assert state.pid is None
    assert not Path(f"/proc/{running.pid}").exists()
    assert not (running.state_dir / "run" / "neo4j.pid").exists()
    assert server.stop(running.state_dir) is False


def test_given_password_is_used_and_not_stored(tmp_path: Path) -> None:
    _require_tools()
    bolt_port, http_port = _free_ports(2)
    secret = 'given-pass "quoted" -word'
    info = server.start(
        tmp_path, _cache_dir(), password=secret, bolt_port=bolt_port, http_port=http_port
    )
    try:
        assert info.password_file is None
        assert server.read_password(tmp_path) is None
        assert _return_one(info.uri, secret) == 1
    finally:
        assert server.stop(tmp_path) is True
    assert not server.status(tmp_path).running
    assert not Path(f"/proc/{info.pid}").exists()

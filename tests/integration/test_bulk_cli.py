"""`kg load --bulk --yes` through the command line, on a server of the test's own.

--bulk stops the server, imports with neo4j-admin and starts it again: it cannot run against
the shared test server (other tests use it), so this module starts one in a temporary folder,
as `kg neo4j start` does, and stops it at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.neo4j import server
from kg.neo4j.connection import Neo4jSettings, connect
from kg.neo4j.loader import count_graph
from kg.neo4j.reader import read_graph
from kg.schema import Schema

from .test_faults import server_of_its_own
from .test_reliability import kg_env, synthetic_workspace


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Neo4jSettings]]:
    for own in server_of_its_own(tmp_path_factory, "bulk-neo4j", None):
        yield (
            own.state_dir,
            Neo4jSettings(uri=own.info.uri, password=server.read_password(own.state_dir)),
        )


def test_bulk_load_through_the_cli_equals_a_batched_load(
    local_server: tuple[Path, Neo4jSettings], schema: Schema, tmp_path: Path
) -> None:
    state_dir, settings = local_server
    ws = synthetic_workspace(tmp_path / "ws", range(8))
    graph = ws.build(schema, cached=False).graph
    env = {**kg_env(settings), "KG_NEO4J_HOME": str(state_dir)}
    command = ["--workspace", str(ws.root), "load", "--bulk", "--yes"]
    result = CliRunner().invoke(main, command, env=env)
    assert result.exit_code == 0, result.output
    assert "imported" in result.stdout
    driver = connect(settings)
    try:
        assert read_graph(driver, settings, schema) == graph
        bulk_counts = count_graph(driver, settings)
        # The imported nodes carry the batched loader's hashes: a load after it changes nothing.
        loaded = CliRunner().invoke(main, ["--workspace", str(ws.root), "load"], env=env)
        assert loaded.exit_code == 0, loaded.output
        assert "0 removed, 8 unchanged; nodes 0 created, 0 updated, 0 deleted" in loaded.stdout
        assert count_graph(driver, settings) == bulk_counts
        # A second --bulk refuses the database that now holds nodes, and leaves it as it is.
        again = CliRunner().invoke(main, command, env=env)
        assert again.exit_code != 0 and "--bulk needs an empty database" in again.stderr
        assert count_graph(driver, settings) == bulk_counts
    finally:
        driver.close()

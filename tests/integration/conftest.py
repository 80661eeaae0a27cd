"""Integration fixtures: the real Neo4j named by NEO4J_URI (started by make test / .ci/run)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from neo4j import Driver

from kg.model import Graph
from kg.neo4j.connection import Neo4jSettings, connect
from kg.neo4j.loader import load_graph, wipe
from kg.schema import Schema


def _settings() -> Neo4jSettings | None:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return Neo4jSettings(
        uri=uri,
        username=os.environ.get("NEO4J_USERNAME", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD"),
        database=os.environ.get("NEO4J_DATABASE") or None,
    )


@pytest.fixture(scope="session")
def neo4j_settings() -> Neo4jSettings:
    settings = _settings()
    if settings is None:
        message = "NEO4J_URI is not set: run 'make test' (it starts Neo4j) or 'kg neo4j start'"
        if os.environ.get("CI"):
            pytest.fail(f"integration tests need Neo4j in CI: {message}")
        pytest.skip(message)
    return settings


@pytest.fixture(scope="session")
def driver(neo4j_settings: Neo4jSettings) -> Iterator[Driver]:
    driver = connect(neo4j_settings)
    yield driver
    driver.close()


@pytest.fixture
def empty_db(driver: Driver, neo4j_settings: Neo4jSettings, schema: Schema) -> Driver:
    """The database with every kg node removed (the tests share one server)."""
    wipe(driver, neo4j_settings, schema)
    with driver.session(database=neo4j_settings.database) as s:
        s.run("MATCH (n) DETACH DELETE n").consume()
    return driver


@pytest.fixture
def loaded(
    empty_db: Driver, neo4j_settings: Neo4jSettings, seed_graph: Graph, schema: Schema
) -> Driver:
    """The database holding exactly the seed graph."""
    load_graph(empty_db, neo4j_settings, seed_graph, schema)
    return empty_db

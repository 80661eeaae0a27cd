"""Link parity in the real database: every link of kg.links is one relationship, same direction."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from neo4j import Driver

from kg.links import link_kinds, links
from kg.model import Graph
from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.loader import load_graph
from kg.schema import Schema

from ..test_links import ref_workspace

pytestmark = pytest.mark.integration

Row = tuple[str, str, str, str]


def database_links(driver: Driver, settings: Neo4jSettings, schema: Schema) -> Counter[Row]:
    types = [schema.link_type(kind) for kind in link_kinds(schema)]
    with driver.session(database=settings.database) as s:
        rows = s.run(
            "MATCH (a)-[r]->(b) WHERE type(r) IN $types "
            "RETURN type(r) AS type, a.id AS source, b.id AS target, r.role AS role",
            types=types,
        ).data()
    return Counter((r["type"], r["source"], r["target"], r["role"] or "") for r in rows)


def defined(graph: Graph, schema: Schema) -> Counter[Row]:
    return Counter(
        (schema.link_type(x.kind), x.source, x.target, str(x.properties.get("role", "")))
        for x in links(graph, schema)
    )


def test_seed_links_are_the_relationships_of_the_database(
    loaded: Driver, neo4j_settings: Neo4jSettings, seed_graph: Graph, schema: Schema
) -> None:
    assert database_links(loaded, neo4j_settings, schema) == defined(seed_graph, schema)


def test_a_ref_property_added_to_the_schema_is_a_relationship(
    empty_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    ws = ref_workspace(tmp_path / "ws")
    schema = ws.load_schema()
    result = ws.build(schema, cached=False)
    assert result.ok, [str(p) for p in result.problems]
    load_graph(empty_db, neo4j_settings, result.graph, schema)
    found = database_links(empty_db, neo4j_settings, schema)
    assert found == defined(result.graph, schema)
    assert found[("VEHICLE", "inc:convoy-stopped", "veh:white-truck", "")] == 1
    assert found[("OPERATORS", "veh:white-truck", "grp:smugglers", "")] == 1

"""A workspace that adds a type and a relation loads into Neo4j with no code change."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.loader import load_graph
from kg.neo4j.reader import read_graph

from ..test_workspace import extended_workspace

pytestmark = pytest.mark.integration


def test_user_type_and_relation_load_and_read_back(
    empty_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    ws = extended_workspace(tmp_path / "ws")
    schema = ws.load_schema()
    result = ws.build(schema)
    assert result.ok, [str(p) for p in result.problems]
    load_graph(empty_db, neo4j_settings, result.graph, schema)
    with empty_db.session(database=neo4j_settings.database) as s:
        row = s.run(
            "MATCH (g:Group)-[r:USES_VEHICLE]->(v:Vehicle:Entity) RETURN v.plate AS plate, v.seats AS seats, "
            "r.evidence_quote[0] AS quote"
        ).single(strict=True)
    assert (row["plate"], row["seats"]) == ("01 KZ 777", 3)
    assert row["quote"].startswith("a white truck")
    with empty_db.session(database=neo4j_settings.database) as s:
        row = s.run(
            "MATCH (i:Incident) MATCH ()-[r:USES_VEHICLE]->() RETURN i.casualties AS n, r.cargo AS c"
        ).single(strict=True)
    assert (row["n"], row["c"]) == (2, "cigarettes")
    assert read_graph(empty_db, neo4j_settings, schema) == result.graph

"""Statements in Neo4j: disputed properties are queryable, and the graph reads back equal."""

from __future__ import annotations

import json

import pytest
from neo4j import Driver

from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.loader import load_graph
from kg.neo4j.reader import read_graph
from kg.schema import Schema

from ..conftest import ScratchWorkspace
from ..test_statements import BOMBINGS, SECOND_REPORT

pytestmark = pytest.mark.integration


def test_disputed_values_are_queryable_and_read_back(
    empty_db: Driver, neo4j_settings: Neo4jSettings, scratch: ScratchWorkspace, schema: Schema
) -> None:
    scratch.annotate(SECOND_REPORT)
    result = scratch.workspace.build(schema)
    assert result.ok
    load_graph(empty_db, neo4j_settings, result.graph, schema)
    with empty_db.session(database=neo4j_settings.database) as s:
        rows = s.run(
            "MATCH (i:Incident) WHERE 'date' IN i.disputed"
            " RETURN i.id AS id, i.date AS date, i.statements AS statements"
        ).data()
    assert [r["id"] for r in rows] == [BOMBINGS]
    values = {json.loads(t)["value"]: json.loads(t) for t in rows[0]["statements"]}
    assert values["2004-07-31"]["documents"] == ["doc:mini"]
    assert values[rows[0]["date"]]["chosen"] is True
    assert read_graph(empty_db, neo4j_settings, schema) == result.graph

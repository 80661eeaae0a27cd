"""The loader's bookkeeping (short link keys, ``kg_keys`` listing only the schema's and the
metadata's properties): a database an older kg wrote ends, once re-loaded, equal to a fresh
load, and a re-load still nulls what kg wrote and no longer has, and only that."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from kg.model import Graph
from kg.neo4j import rows as rows_module
from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.loader import load_graph, wipe
from kg.neo4j.reader import read_graph
from kg.neo4j.rows import Batch, Rows
from kg.schema import Schema
from kg.workspace import Workspace

from .test_incremental import build, edit
from .test_reliability import synthetic_workspace

pytestmark = pytest.mark.integration


def contents(driver: Driver, settings: Neo4jSettings) -> list[str]:
    """Every node (labels, properties) and relationship (ends, type, properties), all but the
    load clock (``loaded_at``)."""
    items = []
    with driver.session(database=settings.database) as s:
        for r in s.run("MATCH (n) RETURN labels(n) AS l, properties(n) AS p"):
            props = {k: v for k, v in r["p"].items() if k != "loaded_at"}
            items.append(json.dumps([sorted(r["l"]), props], sort_keys=True, default=str))
        query = "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, properties(r) AS p, b.id AS b"
        for r in s.run(query):
            items.append(json.dumps([r["a"], r["t"], r["b"], r["p"]], sort_keys=True, default=str))
    return sorted(items)


def old_link_key(target: str, props: Mapping[str, Any]) -> str:
    """The link keys of kg-rows-3: the parts as text."""
    parts = [target, *(str(props[k]) for k in ("role", "position", "start", "end", "source")
                       if k in props)]  # fmt: skip
    return "|".join(parts)


def test_a_database_an_older_kg_wrote_ends_equal_to_a_fresh_load(
    empty_db: Driver,
    neo4j_settings: Neo4jSettings,
    seed_graph: Graph,
    schema: Schema,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    new_add = Batch.add

    def old_add(batch: Batch, rows: Rows, *args: Any, **kwargs: Any) -> None:
        new_add(batch, rows, *args, **kwargs)
        if rows.node is not None and rows.relation is None:  # every name was listed
            batch.nodes[rows.label][-1]["props"]["kg_keys"] = sorted(rows.node["props"])

    with monkeypatch.context() as old:
        old.setattr(rows_module, "ROWS_VERSION", "kg-rows-3")
        old.setattr(rows_module, "link_key", old_link_key)
        old.setattr(Batch, "add", old_add)
        load_graph(empty_db, neo4j_settings, seed_graph, schema)
    with empty_db.session(database=neo4j_settings.database) as s:
        s.run("MATCH (e:Entity) WITH e LIMIT 1 SET e.centrality_pagerank = 0.5").consume()
        old_keys = s.run("MATCH ()-[r:EVIDENCE]->() RETURN r.key AS k LIMIT 1").single(strict=True)
    assert "|" in old_keys["k"]
    report = load_graph(empty_db, neo4j_settings, seed_graph, schema)
    assert report.changes["documents_replaced"] == len(seed_graph.documents)  # once, everything
    with empty_db.session(database=neo4j_settings.database) as s:
        s.run("MATCH (e:Entity) REMOVE e.centrality_pagerank").consume()
    reloaded = contents(empty_db, neo4j_settings)
    wipe(empty_db, neo4j_settings, schema)
    load_graph(empty_db, neo4j_settings, seed_graph, schema)
    assert reloaded == contents(empty_db, neo4j_settings)
    assert read_graph(empty_db, neo4j_settings, schema) == seed_graph


def test_a_reload_nulls_the_schema_s_properties_kg_wrote_and_keeps_the_others(
    empty_db: Driver, neo4j_settings: Neo4jSettings, schema: Schema, tmp_path: Path
) -> None:
    ws: Workspace = synthetic_workspace(tmp_path / "ws", range(3))
    coded = "name: Land1, "
    edit(ws, 1, lambda t: t.replace(coded, coded + "code: LA, description: A land, "))
    load_graph(empty_db, neo4j_settings, build(ws, schema), schema)
    query = "MATCH (c:Country {id: 'cty:land-1'}) RETURN c"
    with empty_db.session(database=neo4j_settings.database) as s:
        before = dict(s.run(query).single(strict=True)["c"])
        s.run(
            "MATCH (c:Country {id: 'cty:land-1'}) SET c.centrality_pagerank = 0.5, c.own = 1"
        ).consume()
    assert (before["code"], before["description"], before["kg_keys"]) == ("LA", "A land", ["code"])
    edit(ws, 1, lambda t: t.replace("code: LA, description: A land, ", ""))
    graph = build(ws, schema)
    load_graph(empty_db, neo4j_settings, graph, schema)
    with empty_db.session(database=neo4j_settings.database) as s:
        after = dict(s.run(query).single(strict=True)["c"])
    assert {"code", "description", "kg_keys"}.isdisjoint(after)
    assert (after["centrality_pagerank"], after["own"], after["name"]) == (0.5, 1, "Land1")
    assert read_graph(empty_db, neo4j_settings, schema) == graph

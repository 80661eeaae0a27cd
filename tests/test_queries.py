"""Named query files: headers parse, parameters are typed, and every name they use is in the schema."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kg.errors import QueryError, SchemaError
from kg.neo4j.cypher import render
from kg.neo4j.queries import bind, convert_param, list_queries, parse_query
from kg.schema import ENTITY_LABEL, Schema

from .conftest import ROOT

QUERIES = list_queries(ROOT / "queries")
_NAME_IN_PATTERN = re.compile(r"(?<=[(\[\s|])\w*:([A-Z][A-Za-z_]*)")
_ALTERNATIVE = re.compile(r"\|([A-Z][A-Z_]+)")


def test_at_least_twelve_named_queries_with_descriptions() -> None:
    names = {q.name for q in QUERIES}
    assert len(QUERIES) >= 12
    assert {
        "incidents-timeline",
        "claims-by-speaker",
        "who-accused-or-denied",
        "actor-network",
        "shortest-path",
        "provenance",
        "incidents-at-place",
        "organisation-leaders",
        "co-participants",
        "contradictions",
        "sources-per-fact",
        "entity-search",
    } <= names
    assert all(q.description and q.examples for q in QUERIES)


@pytest.mark.parametrize("named", QUERIES, ids=lambda q: q.name)
def test_queries_use_only_schema_names(named: object, schema: Schema) -> None:
    body = "\n".join(line for line in named.text.splitlines() if not line.strip().startswith("//"))  # type: ignore[attr-defined]
    used = set(_NAME_IN_PATTERN.findall(body)) | set(_ALTERNATIVE.findall(body))
    known = {*schema.types, ENTITY_LABEL, *schema.all_relationship_types()}
    assert used, "expected the query to name at least one label or type"
    assert used <= known, f"not in the schema: {used - known}"
    for quoted in re.findall(r"type\(r\) = '([A-Z_]+)'", body):
        assert quoted in known


def test_parameter_typing() -> None:
    assert convert_param("2004-08-06", "date", "since") == dt.date(2004, 8, 6)
    assert convert_param("2", "int", "depth") == 2
    assert convert_param("0.5", None, "w") == 0.5
    assert convert_param("true", None, "flag") is True
    assert convert_param("Bordyuzha", "string", "name") == "Bordyuzha"
    with pytest.raises(QueryError, match="depth='two' is not a valid int"):
        convert_param("two", "int", "depth")
    with pytest.raises(QueryError, match="not a valid date"):
        convert_param("2004-02-30", "date", "since")


def test_bind_checks_names_and_required_parameters() -> None:
    timeline = next(q for q in QUERIES if q.name == "incidents-timeline")
    assert bind(timeline, {"since": "2004-08-01"}) == {"since": dt.date(2004, 8, 1), "until": None}
    with pytest.raises(QueryError, match="has no parameter 'sincе'"):
        bind(timeline, {"sincе": "2004"})
    network = next(q for q in QUERIES if q.name == "actor-network")
    assert bind(network, {"actor": "KNB"})["depth"] == 2
    with pytest.raises(QueryError, match="needs -p actor="):
        bind(network, {})


def test_malformed_header_names_file_and_line() -> None:
    with pytest.raises(QueryError, match=r"q\.cypher:2: param lines read"):
        parse_query(
            "// description: x\n// param: since datetime optional\nRETURN 1", "q.cypher", "q"
        )
    with pytest.raises(QueryError, match=r"q\.cypher:1: query file needs a '// description:' line"):
        parse_query("RETURN 1", "q.cypher", "q")


def test_statement_templates_take_only_schema_names(schema: Schema) -> None:
    text = render("merge_nodes", schema, label="Person")
    assert "MERGE (n:`Person` {id: row.id})" in text
    for bad in ["Person` {id: 1}) DETACH DELETE n //", "Robot", "person"]:
        with pytest.raises(SchemaError):
            render("merge_nodes", schema, label=bad)
    assert "`HOLDS_POST`" in render(
        "merge_relations", schema, source="Person", target="Organisation", type="HOLDS_POST"
    )

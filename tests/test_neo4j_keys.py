"""The loader's bookkeeping on nodes and links (kg.neo4j.rows): short link keys, and
``kg_keys`` listing only the properties the schema or a document's metadata gives."""

from __future__ import annotations

from kg.model import Document, Entity
from kg.neo4j.rows import Batch, Rows, link_key, node_props, owned_props
from kg.schema import Schema


def test_link_keys_are_short_stable_and_tell_apart_every_part() -> None:
    keys = [
        link_key("doc:a", {"quote": "x", "start": 4, "end": 9}),
        link_key("doc:a", {"quote": "x", "start": 4, "end": 9, "source": "src:b"}),
        link_key("doc:a", {"start": 49}),
        link_key("doc:a|4", {"end": 9}),  # the old text key could not tell this from the first
        link_key("doc:b", {"start": 4, "end": 9}),
        link_key("per:x", {"role": "victim"}),
        link_key("per:x", {"position": "victim"}),
        link_key("per:x", {}),
    ]
    assert len(set(keys)) == len(keys)
    assert all(len(k) == 16 and int(k, 16) >= 0 for k in keys)  # inline in Neo4j's records
    assert keys[0] == link_key("doc:a", {"start": 4, "end": 9, "quote": "other"})


def _add(
    batch: Batch, record: Entity | Document, label: str, schema: Schema, **how: object
) -> dict[str, object]:
    rows = Rows(record.id, label, hash="h", owned=owned_props(record, schema))
    rows.node = {"id": record.id, "props": node_props(record, schema)}
    batch.add(rows, **how)  # type: ignore[arg-type]
    props: dict[str, object] = batch.nodes[label][-1]["props"]
    return props


def test_kg_keys_lists_only_what_the_schema_or_the_metadata_gives(schema: Schema) -> None:
    batch = Batch()
    person = _add(batch, Entity("per:a", "Person", "A", description="d"), "Person", schema,
                  stored=False)  # fmt: skip
    assert "kg_keys" not in person and person["description"] == "d"
    country = Entity("cty:a", "Country", "A", properties={"code": "AA"})
    assert _add(batch, country, "Country", schema, stored=False)["kg_keys"] == ["code"]
    document = Document("doc:a", "T", "Text.", ((0, 5),), metadata={"publication": "P"})
    assert _add(batch, document, "Document", schema, stored=False)["kg_keys"] == [
        "meta_publication"
    ]


def test_a_node_written_before_loses_what_kg_owns_and_no_longer_writes(schema: Schema) -> None:
    """Every name kg owns that the record no longer has is nulled, the names an older load
    listed too, and kg_keys when nothing is listed (an older load listed every name)."""
    props = _add(Batch(), Entity("per:a", "Person", "A"), "Person", schema,
                 gone=("name", "code"), stored=True)  # fmt: skip
    assert props["name"] == "A" and props["kg_hash"] == "h"
    assert props["description"] is None and props["note"] is None and props["code"] is None
    assert props["statements"] is None and props["kg_doc"] is None
    assert "kg_keys" in props and props["kg_keys"] is None
    assert "centrality_pagerank" not in props


def test_the_names_kg_owns_cover_what_a_record_writes_but_its_schema_properties(
    schema: Schema,
) -> None:
    country = Entity("cty:a", "Country", "A", ("B",), "state", "d", "n", {"code": "AA"})
    assert set(node_props(country, schema)) - owned_props(country, schema) == {"code"}
    assert {"disputed", "statements", "kg_doc"} <= owned_props(country, schema)
    document = Document("doc:a", "T", "Text.", ((0, 5),), path="a.md", metadata={"url": "u"})
    assert set(node_props(document, schema)) - owned_props(document, schema) == {"meta_url"}
    assert "date_start" in owned_props(document, schema)

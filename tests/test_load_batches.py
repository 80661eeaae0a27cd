"""The loader's batch parameters, without a server: links and evidence of new records."""

from __future__ import annotations

from typing import Any

from kg.neo4j import loader


def _row(record: str, target: str, **props: Any) -> dict[str, Any]:
    return {"record": record, "target": target, "key": target, "props": props}


def test_new_links_name_each_record_and_each_target_once() -> None:
    rows = [
        _row("inc:a", "pla:x"),
        _row("inc:a", "pla:y", role="site"),
        _row("inc:b", "pla:x"),
        _row("inc:c", "pla:x"),  # a record the database may hold: merged as it is
    ]
    batch = loader._split(rows, {"inc:a", "inc:b"}, "target")
    assert batch["records"] == ["inc:a", "inc:b"]
    assert batch["new"] == [
        {"id": "pla:x", "links": [[0, "pla:x", {}], [1, "pla:x", {}]]},
        {"id": "pla:y", "links": [[0, "pla:y", {"role": "site"}]]},
    ]  # fmt: skip
    assert batch["rows"] == [rows[3]]


def test_evidence_of_new_records_is_grouped_by_document() -> None:
    rows = [
        {"record": "per:a", "document": "doc:1", "key": "doc:1|0|4", "props": {"start": 0}},
        {"record": "per:b", "document": "doc:1", "key": "doc:1|9|12", "props": {"start": 9}},
    ]
    batch = loader._split(rows, {"per:a", "per:b"}, "document")
    assert batch["records"] == ["per:a", "per:b"] and batch["rows"] == []
    assert [(t["id"], [link[0] for link in t["links"]]) for t in batch["new"]] == [
        ("doc:1", [0, 1])
    ]


def test_without_new_records_every_row_is_merged() -> None:
    rows = [_row("inc:a", "pla:x")]
    assert loader._split(rows, set(), "target") == {"rows": rows, "records": [], "new": []}

"""Facts of the curated seed graph: what issue #2 lists must be there, traced to its quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.dates import PartialDate
from kg.graphjson import graph_from_dict, graph_to_dict, read_graph_json, write_graph_json
from kg.model import Entity, Graph
from kg.schema import Schema


def one(graph: Graph, name: str) -> Entity:
    found = graph.find(name)
    assert len(found) == 1, f"{name!r} should name exactly one entity, got {found}"
    return found[0]


@pytest.mark.parametrize(
    ("name", "type_name"),
    [
        ("KNB", "Organisation"),
        ("National Security Committee", "Organisation"),
        ("CSO", "Organisation"),
        ("CSTO", "Organisation"),
        ("IMU", "Organisation"),
        ("Islamic Movement of Uzbekistan", "Organisation"),
        ("Khabar TV", "Organisation"),
        ("Liter", "Organisation"),
        ("Kontinent", "Organisation"),
        ("EBRD", "Organisation"),
        ("Nikolai Borduzha", "Person"),
        ("Bordyuzha", "Person"),
        ("Abbas Shayusupov", "Person"),
        ("Dariga Nazarbayeva", "Person"),
        ("Islam Karimov", "Person"),
        ("Kazakhstan", "Country"),
        ("Uzbekistan", "Country"),
        ("Kyrgyzstan", "Country"),
        ("Russia", "Country"),
        ("United States", "Country"),
        ("Tashkent", "Place"),
        ("Shymkent", "Place"),
        ("Pavlodar", "Place"),
        ("South Kazakhstan", "Place"),
        ("North Kazakhstan", "Place"),
    ],
)
def test_named_entities_resolve_by_name_or_alias(
    seed_graph: Graph, name: str, type_name: str
) -> None:
    assert one(seed_graph, name).type == type_name


def test_aliases_resolve_to_one_entity(seed_graph: Graph) -> None:
    assert (
        one(seed_graph, "Borduzha")
        == one(seed_graph, "Bordyuzha")
        == one(seed_graph, "Nikolai Borduzha")
    )
    assert one(seed_graph, "CSO").id == one(seed_graph, "CSTO").id
    assert one(seed_graph, "KNB").id == one(seed_graph, "National Security Committee").id


def relations_between(graph: Graph, rel_type: str, source: str, target: str) -> list[object]:
    s, t = one(graph, source).id, one(graph, target).id
    return [
        r for r in graph.relations.values() if r.type == rel_type and (r.source, r.target) == (s, t)
    ]


def test_stated_relations(seed_graph: Graph) -> None:
    (post,) = relations_between(seed_graph, "holds_post", "Borduzha", "CSO")
    assert str(post.properties["title"]).lower() == "secretary-general"  # type: ignore[attr-defined]
    assert relations_between(seed_graph, "patron_of", "Dariga Nazarbayeva", "Khabar TV")
    assert relations_between(seed_graph, "family_of", "Dariga Nazarbayeva", "Nursultan Nazarbayev")
    assert relations_between(seed_graph, "part_of", "KNB", "Kazakhstan")
    assert relations_between(seed_graph, "citizen_of", "Shayusupov", "Kazakhstan")
    assert relations_between(seed_graph, "located_in", "Pavlodar", "North Kazakhstan")


def incident(graph: Graph, kind: str, place: str | None = None, date: str | None = None) -> object:
    found = [
        i
        for i in graph.incidents.values()
        if i.kind == kind
        and (place is None or i.place == one(graph, place).id)
        and (date is None or (i.date and i.date.isoformat() == date))
    ]
    assert len(found) == 1, (kind, place, date, found)
    return found[0]


def test_incidents(seed_graph: Graph) -> None:
    bombing = incident(seed_graph, "bombing", "Tashkent", "2004-07-30")
    assert bombing.date == PartialDate(2004, 7, 30)  # type: ignore[attr-defined]
    roles = {(p.entity, p.role) for p in bombing.participants}  # type: ignore[attr-defined]
    assert (one(seed_graph, "Shayusupov").id, "suspect") in roles
    detention = incident(seed_graph, "detention", "Pavlodar", "2004-08-06")
    detainees = [p for p in detention.participants if p.role == "detainee"]  # type: ignore[attr-defined]
    assert detainees and seed_graph.entities[detainees[0].entity].properties.get("count") == 19
    incident(seed_graph, "killing", "Shymkent")
    incident(seed_graph, "report", date="2004-08-20")
    incident(seed_graph, "trial")
    exercise = incident(seed_graph, "military_exercise", "Kyrgyzstan")
    assert exercise.date.precision == "year"  # type: ignore[attr-defined]
    initiators = {
        p.entity
        for i in seed_graph.incidents.values()
        if i.kind == "aid_cut"
        for p in i.participants
        if p.role == "initiator"
    }
    assert initiators == {one(seed_graph, "EBRD").id, one(seed_graph, "United States").id}
    incident(seed_graph, "intent_to_cooperate")


def claims_by(graph: Graph, speaker: str, stance: str) -> list[object]:
    sid = one(graph, speaker).id
    return [c for c in graph.claims.values() if c.speaker == sid and c.stance == stance]


def test_claims(seed_graph: Graph) -> None:
    (knb,) = claims_by(seed_graph, "KNB", "denies")
    assert "camp" in knb.content.lower()  # type: ignore[attr-defined]
    (borduzha,) = claims_by(seed_graph, "Borduzha", "denies")
    assert borduzha.date == PartialDate(2004, 8, 6)  # type: ignore[attr-defined]
    source = seed_graph.entities[borduzha.source]  # type: ignore[attr-defined]
    assert source.type == "Source" and source.properties["outlet"] == one(seed_graph, "Liter").id
    named = [c for c in seed_graph.claims.values() if one(seed_graph, "Shayusupov").id in c.about]
    assert any(c.stance == "alleges" for c in named)
    speculations = [c for c in seed_graph.claims.values() if c.stance == "speculates"]
    assert any(one(seed_graph, "Karimov").id in c.about for c in speculations)
    assert claims_by(seed_graph, "Government of Kazakhstan", "denies")
    assert any(one(seed_graph, "IMU").id in c.about for c in seed_graph.claims.values())
    assert claims_by(seed_graph, "Russia", "asserts")


def test_every_quote_is_verbatim_at_its_offsets(seed_graph: Graph) -> None:
    count = 0
    for ev in seed_graph.all_evidence():
        text = seed_graph.documents[ev.document].text
        assert text[ev.start : ev.end] == ev.quote
        count += 1
    assert count > 50


def test_incidents_and_claims_all_carry_evidence(seed_graph: Graph) -> None:
    assert all(i.evidence for i in seed_graph.incidents.values())
    assert all(c.evidence for c in seed_graph.claims.values())


def test_document_metadata(seed_graph: Graph) -> None:
    (doc,) = seed_graph.documents.values()
    assert doc.metadata["publication"] == "Eurasia Daily Monitor"
    assert (doc.metadata["volume"], doc.metadata["issue"]) == ("1", "75")
    assert doc.date == PartialDate(2004, 8)
    assert doc.text.startswith("“An Uzbek is my near-brother”")


def test_graph_json_documented_keys(seed_graph: Graph, schema: Schema, tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    write_graph_json(seed_graph, schema, path)
    data = json.loads(path.read_text("utf-8"))
    assert {"documents", "entities", "incidents", "claims", "relations"} <= set(data)
    assert {"id", "type", "name", "aliases"} <= set(data["entities"][0])
    assert {"id", "kind", "date", "date_precision", "place", "participants", "evidence"} <= set(
        data["incidents"][0]
    )
    assert {"id", "speaker", "stance", "content", "about", "date", "source", "evidence"} <= set(
        data["claims"][0]
    )
    assert {"id", "type", "source", "target", "evidence"} <= set(data["relations"][0])
    evidence = data["claims"][0]["evidence"][0]
    assert {"document", "quote", "start", "end"} <= set(evidence)
    text = data["documents"][0]["text"]
    assert text[evidence["start"] : evidence["end"]] == evidence["quote"]
    assert read_graph_json(path, schema) == seed_graph


def test_graph_json_is_deterministic(seed_graph: Graph, schema: Schema) -> None:
    first = json.dumps(graph_to_dict(seed_graph, schema))
    assert first == json.dumps(graph_to_dict(graph_from_dict(json.loads(first), schema), schema))

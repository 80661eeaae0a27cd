"""NetworkX projections (full, actors, bipartite) and date windows, on a hand-built Graph."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from kg.dates import PartialDate
from kg.errors import DateError, InputError
from kg.model import Claim, Document, Entity, Evidence, Graph, Incident, Participant, Relation
from kg.network import DateWindow, Weights, to_networkx
from kg.schema import Schema


def ev(document: str, quote: str = "q") -> Evidence:
    return Evidence(document, 0, len(quote), quote)


def hand_built() -> Graph:
    """Four actors (alice, bob, acme, ruritania), a place, a group, a source; see the tests."""
    docs = {
        d: Document(d, d.upper(), "text", ((0, 4),), PartialDate(2004, 8))
        for d in ("doc:a", "doc:b")
    }
    entities = [
        Entity("per:alice", "Person", "Alice", ("Al",), evidence=(ev("doc:a"),)),
        Entity("per:bob", "Person", "Bob"),
        Entity("org:acme", "Organisation", "Acme", kind="company"),
        Entity("cty:ruritania", "Country", "Ruritania", properties={"code": "RU"}),
        Entity("plc:town", "Place", "Town", kind="city"),
        Entity("grp:crowd", "Group", "Crowd", properties={"count": 12}),
        Entity(
            "src:paper",
            "Source",
            "Paper, Aug 1",
            properties={"outlet": "org:acme", "date": PartialDate(2004, 8, 1)},
        ),
    ]
    relations = [
        Relation(
            "rel:1", "holds_post", "per:alice", "org:acme", {"title": "chair"}, (ev("doc:a"),)
        ),
        Relation("rel:2", "member_of", "per:bob", "org:acme", evidence=(ev("doc:b"),)),
        Relation(
            "rel:3",
            "part_of",
            "org:acme",
            "cty:ruritania",
            evidence=(ev("doc:a", "x"), ev("doc:a", "y")),
        ),
        Relation("rel:4", "located_in", "plc:town", "cty:ruritania"),
        Relation("rel:5", "opposes", "grp:crowd", "per:alice", evidence=(ev("doc:a"),)),
        Relation("rel:6", "tension_with", "per:alice", "per:bob", evidence=(ev("doc:b"),)),
    ]
    incidents = [
        Incident(
            "inc:meeting",
            "meeting",
            "Meeting",
            PartialDate(2004, 7, 30),
            "plc:town",
            (
                Participant("per:alice", "participant"),
                Participant("per:bob", "participant"),
                Participant("org:acme", "organiser"),
                Participant("grp:crowd", "participant"),
            ),
            (ev("doc:a"), ev("doc:b")),
        ),
        Incident(
            "inc:old",
            "attack",
            "Old attack",
            PartialDate(2003),
            participants=(
                Participant("per:alice", "victim"),
                Participant("per:alice", "witness"),
                Participant("cty:ruritania", "perpetrator"),
            ),
            evidence=(ev("doc:b"),),
        ),
        Incident(
            "inc:undated",
            "trial",
            "Trial",
            participants=(
                Participant("per:bob", "defendant"),
                Participant("cty:ruritania", "investigator"),
            ),
            evidence=(ev("doc:a"),),
        ),
    ]
    claims = [
        Claim(
            "clm:1",
            "per:alice",
            "asserts",
            "Bob met us.",
            ("per:bob", "inc:meeting", "plc:town"),
            PartialDate(2004, 8),
            "src:paper",
            "reported",
            (ev("doc:b"),),
        ),
        Claim(
            "clm:2",
            "grp:crowd",
            "alleges",
            "Alice lied.",
            ("per:alice",),
            PartialDate(2004, 8),
            evidence=(ev("doc:b"),),
        ),
        Claim(
            "clm:3",
            "per:bob",
            "denies",
            "Not me, not Alice.",
            ("per:bob", "per:alice"),
            evidence=(ev("doc:a"),),
        ),
    ]
    return Graph(
        documents=docs,
        entities={e.id: e for e in entities},
        incidents={i.id: i for i in incidents},
        claims={c.id: c for c in claims},
        relations={r.id: r for r in relations},
    )


def edges_of(graph: nx.Graph) -> dict[frozenset[str], dict[str, object]]:
    return {frozenset((u, v)): data for u, v, data in graph.edges(data=True)}


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


ALICE, BOB, ACME, RUR = "per:alice", "per:bob", "org:acme", "cty:ruritania"


# ---------------------------------------------------------------------------- actors


def test_actor_projection_has_exactly_the_expected_edges_and_support(schema: Schema) -> None:
    g = to_networkx(hand_built(), schema, "actors")
    assert isinstance(g, nx.Graph) and not g.is_directed() and not g.is_multigraph()
    assert set(g.nodes) == {ALICE, BOB, ACME, RUR}  # actor types only: no place, group, source
    assert all(g.nodes[n]["actor"] for n in g)
    edges = edges_of(g)
    assert set(edges) == {
        pair(ALICE, ACME),
        pair(BOB, ACME),
        pair(ACME, RUR),
        pair(ALICE, BOB),
        pair(ALICE, RUR),
        pair(BOB, RUR),
    }
    ab = edges[pair(ALICE, BOB)]
    assert ab["relations"] == ["rel:6"] and ab["relation_types"] == ["tension_with"]
    assert ab["incidents"] == ["inc:meeting"]
    assert ab["claims"] == ["clm:1", "clm:3"]  # alice about bob; bob about alice (self dropped)
    assert ab["via"] == ["relation", "incident", "claim"]
    assert ab["weight"] == 4.0
    assert ab["documents"] == 2 and ab["document_ids"] == ["doc:a", "doc:b"]

    assert edges[pair(ALICE, ACME)] | {} == {
        "weight": 2.0,
        "via": ["relation", "incident"],
        "relations": ["rel:1"],
        "relation_types": ["holds_post"],
        "incidents": ["inc:meeting"],
        "claims": [],
        "documents": 2,
        "document_ids": ["doc:a", "doc:b"],
    }
    # Two quotes in one document are one supporting document.
    assert edges[pair(ACME, RUR)]["documents"] == 1 and edges[pair(ACME, RUR)]["weight"] == 1.0
    # Alice has two roles in inc:old: it still counts once.
    assert edges[pair(ALICE, RUR)]["incidents"] == ["inc:old"]
    assert edges[pair(ALICE, RUR)]["weight"] == 1.0
    assert edges[pair(BOB, RUR)]["via"] == ["incident"]


def test_actor_weights_are_configurable_and_zero_drops_a_kind(schema: Schema) -> None:
    weights = Weights(relation=2.0, incident=0.5, claim=0.0)
    edges = edges_of(to_networkx(hand_built(), schema, "actors", weights=weights))
    assert edges[pair(ALICE, BOB)]["weight"] == 2.0 + 0.5  # the two claims weigh nothing
    assert edges[pair(ALICE, BOB)]["claims"] == ["clm:1", "clm:3"]  # but are still recorded
    assert edges[pair(ACME, RUR)]["weight"] == 2.0
    assert edges[pair(ALICE, RUR)]["weight"] == 0.5
    only_claims = Weights(relation=0, incident=0, claim=1)
    edges = edges_of(to_networkx(hand_built(), schema, "actors", weights=only_claims))
    assert set(edges) == {pair(ALICE, BOB)}


def test_weights_parse_and_reject_bad_values() -> None:
    assert Weights.parse(["relation=2", "claim = 0.25"]) == Weights(2.0, 1.0, 0.25)
    for bad in (["relations=1"], ["incident"], ["claim=x"], ["claim=-1"], ["claim=nan"]):
        with pytest.raises(InputError):
            Weights.parse(bad)


def test_windows_keep_overlapping_incidents_and_claims_and_drop_undated(schema: Schema) -> None:
    since = edges_of(to_networkx(hand_built(), schema, "actors", since="2004-07"))
    assert set(since) == {pair(ALICE, ACME), pair(BOB, ACME), pair(ACME, RUR), pair(ALICE, BOB)}
    assert since[pair(ALICE, BOB)]["claims"] == ["clm:1"]  # clm:3 is undated
    assert since[pair(ALICE, BOB)]["weight"] == 3.0
    # until 2004-07 keeps July 30 (the window ends on the last day of the month) and 2003.
    until = edges_of(to_networkx(hand_built(), schema, "actors", until=PartialDate(2004, 7)))
    assert until[pair(ALICE, BOB)]["incidents"] == ["inc:meeting"]
    assert until[pair(ALICE, BOB)]["claims"] == []  # clm:1 is August
    assert pair(ALICE, RUR) in until and pair(BOB, RUR) not in until


def test_date_window_overlap_rules() -> None:
    window = DateWindow.parse("2004-07-15", "2004-08-10")
    assert window.contains(PartialDate(2004, 7))  # a month overlapping the start
    assert window.contains(PartialDate(2004))  # a year containing the whole window
    assert not window.contains(PartialDate(2004, 7, 14))
    assert not window.contains(PartialDate(2004, 9))
    assert not window.contains(None)
    assert DateWindow().contains(None) and DateWindow.parse("", None).is_open
    with pytest.raises(DateError, match="after"):
        DateWindow.parse("2004-09", "2004-08")
    with pytest.raises(DateError, match="--until"):
        DateWindow.parse(None, "2004-13")


# ------------------------------------------------------------------------------ full


def test_full_projection_nodes_carry_every_attribute(schema: Schema) -> None:
    g = to_networkx(hand_built(), schema, "full")
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == 2 + 7 + 3 + 3
    alice = g.nodes[ALICE]
    assert (alice["type"], alice["name"], alice["aliases"], alice["actor"]) == (
        "Person",
        "Alice",
        ["Al"],
        True,
    )
    assert alice["evidence_count"] == 1 and alice["documents"] == ["doc:a"]
    assert g.nodes[RUR]["code"] == "RU" and g.nodes["grp:crowd"]["count"] == 12
    assert g.nodes["src:paper"]["date"] == "2004-08-01"
    meeting = g.nodes["inc:meeting"]
    assert (meeting["type"], meeting["kind"], meeting["cameo"]) == ("Incident", "meeting", "040")
    assert (meeting["date"], meeting["date_precision"], meeting["place"]) == (
        "2004-07-30",
        "day",
        "plc:town",
    )
    claim = g.nodes["clm:1"]
    assert (claim["type"], claim["stance"], claim["polarity"], claim["date_precision"]) == (
        "Claim",
        "asserts",
        "positive",
        "month",
    )
    assert claim["about"] == ["per:bob", "inc:meeting", "plc:town"]
    assert g.nodes["doc:a"]["type"] == "Document" and g.nodes["doc:a"]["date"] == "2004-08"
    assert all(v is not None for _, data in g.nodes(data=True) for v in data.values())


def test_full_projection_edges_are_keyed_and_typed(schema: Schema) -> None:
    g = to_networkx(hand_built(), schema, "full")
    rel = g.edges[ALICE, ACME, "rel:1"]
    assert (rel["type"], rel["title"], rel["label"], rel["evidence_count"]) == (
        "holds_post",
        "chair",
        "holds post in",
        1,
    )
    assert g.edges[ACME, RUR, "rel:3"]["documents"] == ["doc:a"]
    # Links run from the record holding the field to the record it names (kg.links).
    assert g.edges["inc:old", ALICE, "participant:victim"]["role"] == "victim"
    assert g.edges["inc:old", ALICE, "participant:witness"]["role"] == "witness"
    assert not g.has_edge(ALICE, "inc:old")
    assert g.has_edge("inc:meeting", "plc:town", "place")
    assert g.edges["clm:1", ALICE, "speaker"]["label"] == "said by"
    assert g.has_edge("clm:1", BOB, "about") and g.has_edge("clm:1", "inc:meeting", "about")
    assert g.has_edge("clm:1", "src:paper", "source")
    assert g.has_edge("src:paper", ACME, "outlet")  # a ref property of the schema
    assert g.edges["inc:meeting", "doc:b", "evidence"]["evidence_count"] == 1
    counts = Counter(data["type"] for *_, data in g.edges(keys=True, data=True))
    assert counts == {
        "holds_post": 1,
        "member_of": 1,
        "part_of": 1,
        "located_in": 1,
        "opposes": 1,
        "tension_with": 1,
        "participant": 9,
        "place": 1,
        "speaker": 3,
        "about": 6,
        "source": 1,
        "outlet": 1,
        "evidence": 1 + 2 + 1 + 1 + 3,
    }


def test_full_projection_window_drops_incidents_claims_and_their_edges(schema: Schema) -> None:
    g = to_networkx(hand_built(), schema, "full", since="2004-08")
    assert "inc:meeting" not in g and "inc:undated" not in g and "clm:3" not in g
    assert "clm:1" in g and "clm:2" in g and ALICE in g  # entities always stay
    assert not g.has_edge("clm:1", "inc:meeting")  # about a dropped incident
    assert g.graph["since"] == "2004-08" and "until" not in g.graph


# ------------------------------------------------------------------------- bipartite


def test_bipartite_projection_links_actors_to_incidents_with_roles(schema: Schema) -> None:
    g = to_networkx(hand_built(), schema, "bipartite")
    actors = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    incidents = {n for n, d in g.nodes(data=True) if d["bipartite"] == 1}
    assert actors == {ALICE, BOB, ACME, RUR}
    assert incidents == {"inc:meeting", "inc:old", "inc:undated"}
    assert nx.is_bipartite(g)
    assert {frozenset(e) for e in g.edges} == {
        pair(ALICE, "inc:meeting"),
        pair(BOB, "inc:meeting"),
        pair(ACME, "inc:meeting"),
        pair(ALICE, "inc:old"),
        pair(RUR, "inc:old"),
        pair(BOB, "inc:undated"),
        pair(RUR, "inc:undated"),
    }
    assert g.edges[ALICE, "inc:old"]["roles"] == ["victim", "witness"]
    assert g.edges[ACME, "inc:meeting"]["roles"] == ["organiser"]
    assert g.edges[ACME, "inc:meeting"]["documents"] == 2
    windowed = to_networkx(hand_built(), schema, "bipartite", until="2003-12-31")
    assert {n for n, d in windowed.nodes(data=True) if d["bipartite"] == 1} == {"inc:old"}


def test_unknown_projection_is_a_clear_error(schema: Schema) -> None:
    with pytest.raises(InputError, match="unknown projection 'people'"):
        to_networkx(hand_built(), schema, "people")


# ------------------------------------------------------------------------- the seed


SEED_CORE = {
    "org:knb",
    "org:cso",
    "per:nikolai-borduzha",
    "cty:uzbekistan",
    "cty:kazakhstan",
    "per:islam-karimov",
}


def test_seed_actor_projection_connects_the_main_actors(seed_graph: Graph, schema: Schema) -> None:
    g = to_networkx(seed_graph, schema, "actors")
    assert set(g) >= SEED_CORE
    assert nx.node_connected_component(g, "org:knb") >= SEED_CORE
    actor_types = set(schema.actor_types)
    assert {g.nodes[n]["type"] for n in g} <= actor_types
    assert set(g) == {e.id for e in seed_graph.entities.values() if e.type in actor_types}


def test_seed_actor_edges_are_supported_by_evidenced_facts(
    seed_graph: Graph, schema: Schema
) -> None:
    g = to_networkx(seed_graph, schema, "actors")
    assert g.number_of_edges() > 0
    for u, v, data in g.edges(data=True):
        supporting = data["relations"] + data["incidents"] + data["claims"]
        assert supporting and data["weight"] == len(supporting)
        assert data["documents"] == len(data["document_ids"]) >= 1
        assert set(data["document_ids"]) <= set(seed_graph.documents)
        for rid in data["relations"]:
            assert {seed_graph.relations[rid].source, seed_graph.relations[rid].target} == {u, v}
        for iid in data["incidents"]:
            assert {u, v} <= {p.entity for p in seed_graph.incidents[iid].participants}


def test_seed_window_keeps_only_overlapping_dated_facts(seed_graph: Graph, schema: Schema) -> None:
    window = DateWindow.parse("2004-08", "2004-08")
    g = to_networkx(seed_graph, schema, "actors", since="2004-08", until="2004-08")
    for *_, data in g.edges(data=True):
        for iid in data["incidents"]:
            assert window.contains(seed_graph.incidents[iid].date)
        for cid in data["claims"]:
            assert window.contains(seed_graph.claims[cid].date)
    full = to_networkx(seed_graph, schema, "full", since="2004-08", until="2004-08")
    kept = {n for n, d in full.nodes(data=True) if d["category"] in ("incident", "claim")}
    expected = {i.id for i in seed_graph.incidents.values() if window.contains(i.date)}
    expected |= {c.id for c in seed_graph.claims.values() if window.contains(c.date)}
    assert kept == expected and 0 < len(kept) < len(seed_graph.incidents) + len(seed_graph.claims)

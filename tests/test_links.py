"""One definition of links (kg.links): NetworkX, RDF and Neo4j rows all draw the same edges."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import PROV

from kg.links import EVIDENCE_LINK, PARTICIPANT_LINK, link_kinds, links
from kg.model import Graph
from kg.neo4j.plan import batches
from kg.network.full import full_graph
from kg.rdf.iris import Minter
from kg.rdf.namespaces import KG, KG_NS
from kg.rdf.triples import QuadMaker
from kg.schema import Schema
from kg.workspace import Workspace

from .test_workspace import extended_workspace

Edge = tuple[str, str, str, str]
"""(kind, source id, target id, role or '')"""

VEHICLE_REF = """      vehicle:
        type: ref
        range: [Vehicle]
        description: The vehicle the incident involved.
"""
OPERATORS_REF = """      operators:
        type: ref
        list: true
        range: [Group, Organisation]
"""


def ref_workspace(root: Path) -> Workspace:
    """The extended workspace, whose schema also adds two ref properties: ``Incident.vehicle``
    and the list ``Vehicle.operators``, used by its annotation."""
    ws = extended_workspace(root)
    entities = ws.root / "schema" / "entities.yaml"
    text = entities.read_text("utf-8")
    title = "      title:\n        type: string\n        required: true\n"
    text = text.replace(title, VEHICLE_REF + title, 1)
    text = text.replace(
        "      seats:\n        type: integer\n",
        "      seats:\n        type: integer\n" + OPERATORS_REF,
        1,
    )
    entities.write_text(text, "utf-8")
    annotation = ws.root / "seeds" / "annotations" / "convoy.yaml"
    text = annotation.read_text("utf-8")
    text = text.replace("    seats: 3\n", "    seats: 3\n    operators: [grp:smugglers]\n")
    text = text.replace("    casualties: 2\n", "    casualties: 2\n    vehicle: veh:white-truck\n")
    annotation.write_text(text, "utf-8")
    return ws


@pytest.fixture(scope="module")
def ref_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Schema]:
    ws = ref_workspace(tmp_path_factory.mktemp("refs") / "ws")
    schema = ws.load_schema()
    result = ws.build(schema, cached=False)
    assert result.ok, [str(p) for p in result.problems]
    return result.graph, schema


def defined(graph: Graph, schema: Schema) -> set[Edge]:
    return {
        (link.kind, link.source, link.target, str(link.properties.get("role", "")))
        for link in links(graph, schema)
    }


def networkx_edges(graph: Graph, schema: Schema) -> set[Edge]:
    kinds = set(link_kinds(schema))
    return {
        (data["type"], u, v, str(data.get("role", "")))
        for u, v, data in full_graph(graph, schema).edges(data=True)
        if data["type"] in kinds
    }


def rdf_edges(graph: Graph, schema: Schema) -> set[Edge]:
    """Links read off the RDF: ref predicates, sem:hasActor with the participation's role,
    and prov:wasDerivedFrom from a record to a document (evidence)."""
    mint = Minter()
    ids = {mint.record(i): i for t in (graph.entities, graph.incidents, graph.claims) for i in t}
    documents = {mint.record(d): d for d in graph.documents}
    refs = {KG_NS[p]: p for t in schema.types for p in schema.ref_properties(t)}
    quads = list(QuadMaker(graph, schema).quads())
    roles: dict[URIRef, tuple[str, str]] = {}
    played = {s: o for s, p, o, _ in quads if p == KG.playedBy}
    for s, p, o, _ in quads:
        if p == KG.inRole:
            roles[URIRef(s)] = (ids[played[s]], str(o).rsplit("/", 1)[-1])
    found: set[Edge] = set()
    for s, p, o, _ in quads:
        if s not in ids:
            continue
        if p in refs and o in ids:
            found.add((refs[p], ids[s], ids[o], ""))
        elif p == KG.hasParticipation:
            entity, role = roles[URIRef(o)]
            found.add((PARTICIPANT_LINK, ids[s], entity, role))
        elif p == PROV.wasDerivedFrom and o in documents:
            found.add((EVIDENCE_LINK, ids[s], documents[o], ""))
    return found


def neo4j_row_edges(graph: Graph, schema: Schema) -> Counter[tuple[str, str, str]]:
    found: Counter[tuple[str, str, str]] = Counter()
    entity_batches, document_batches = batches(graph, schema, 1000)
    for batch in [*entity_batches, *document_batches]:
        for (rel_type, _, _), rows in batch.links.items():
            found.update((rel_type, r["record"], r["target"]) for r in rows)
        for rows in batch.evidence.values():
            found.update(("EVIDENCE", r["record"], r["document"]) for r in rows)
    return found


def test_links_follow_the_documented_direction(seed_graph: Graph, schema: Schema) -> None:
    edges = defined(seed_graph, schema)
    by_kind = Counter(kind for kind, *_ in edges)
    assert {
        PARTICIPANT_LINK,
        "place",
        "speaker",
        "about",
        "source",
        "outlet",
        EVIDENCE_LINK,
    } <= set(by_kind)
    for kind, source, target, _ in edges:
        holder = seed_graph.type_of(source)
        assert holder is not None and seed_graph.type_of(target) is not None, (kind, source, target)
        if kind == PARTICIPANT_LINK:
            assert source in seed_graph.incidents and target in seed_graph.entities
        elif kind == EVIDENCE_LINK:
            assert target in seed_graph.documents
        else:
            assert kind in schema.ref_properties(holder)


@pytest.mark.parametrize("which", ["seed", "refs"])
def test_every_link_appears_in_networkx_rdf_and_neo4j_rows_the_same_way(
    which: str, seed_graph: Graph, schema: Schema, ref_graph: tuple[Graph, Schema]
) -> None:
    graph, used = (seed_graph, schema) if which == "seed" else ref_graph
    expected = defined(graph, used)
    assert networkx_edges(graph, used) == expected
    assert rdf_edges(graph, used) == expected
    rows = neo4j_row_edges(graph, used)
    assert rows == Counter(
        (link.kind.upper(), link.source, link.target) for link in links(graph, used)
    )


def test_a_ref_property_added_to_the_schema_makes_a_link_everywhere(
    ref_graph: tuple[Graph, Schema],
) -> None:
    graph, schema = ref_graph
    new = {("vehicle", "inc:convoy-stopped", "veh:white-truck", ""),
           ("operators", "veh:white-truck", "grp:smugglers", "")}  # fmt: skip
    assert new <= defined(graph, schema)
    assert new <= networkx_edges(graph, schema)
    assert new <= rdf_edges(graph, schema)
    rows = neo4j_row_edges(graph, schema)
    assert rows[("VEHICLE", "inc:convoy-stopped", "veh:white-truck")] == 1
    assert rows[("OPERATORS", "veh:white-truck", "grp:smugglers")] == 1

"""Streamed Turtle (``engine="stream"``): the triples of N-Triples, prefixed and grouped."""

from __future__ import annotations

import dataclasses
import importlib.util
import io

import pytest
from rdflib import Graph as RdfGraph
from rdflib.compare import isomorphic

from kg.errors import InputError
from kg.model import Entity, Graph
from kg.rdf import DEFAULT_BASE, export_rdf
from kg.schema import Schema

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")

OXIGRAPH = importlib.util.find_spec("pyoxigraph") is not None
ODD_IDS = ("per:-lead", "org:a.b", "grp:x~y", "plc:end.", "per:a b", "x/y#z", ".", "src:100%")


@pytest.fixture(scope="module")
def odd(seed_graph: Graph) -> Graph:
    """The seeds with entities whose IRIs' local parts need escapes (or cannot be names)."""
    entities = dict(seed_graph.entities)
    for number, odd_id in enumerate(ODD_IDS):
        entities[odd_id] = Entity(odd_id, "Person", f"Odd {number}", properties={})
    return dataclasses.replace(seed_graph, entities=entities)


def _export(graph: Graph, schema: Schema, fmt: str, engine: str, base: str) -> bytes:
    out = io.BytesIO()
    export_rdf(graph, schema, fmt, out, base_iri=base, engine=engine)
    return out.getvalue()


@pytest.mark.parametrize("base", [DEFAULT_BASE, "urn:example:kg/"])
def test_streamed_turtle_holds_the_triples_of_ntriples(
    odd: Graph, schema: Schema, base: str
) -> None:
    nt = _export(odd, schema, "nt", "rdflib", base)
    ttl = _export(odd, schema, "turtle", "stream", base)
    reference = RdfGraph().parse(data=nt, format="nt")
    graph = RdfGraph().parse(data=ttl, format="turtle")
    assert len(graph) > 1000
    assert isomorphic(graph, reference)
    text = ttl.decode("utf-8")
    assert f"@prefix id: <{base}> ." in text and " ;\n\t" in text and " a " in text
    assert len(ttl) < len(nt) / 2
    if OXIGRAPH:
        import pyoxigraph as ox

        assert set(ox.parse(ttl, format=ox.RdfFormat.TURTLE)) == set(
            ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
        )


@pytest.mark.skipif(not OXIGRAPH, reason="pyoxigraph is not installed")
def test_streamed_turtle_lays_the_triples_out_as_oxigraph_does(odd: Graph, schema: Schema) -> None:
    """After the prefixes, the same lines as ``engine="oxigraph"`` (records in order, subjects
    grouped, integers bare) but for a local part ending with a dot, which rdflib cannot read
    escaped: that one stays an IRI."""

    def body(data: bytes) -> list[bytes]:
        return [line for line in data.split(b"\n") if not line.startswith(b"@prefix ")]

    ours = body(_export(odd, schema, "turtle", "stream", DEFAULT_BASE))
    theirs = body(_export(odd, schema, "turtle", "oxigraph", DEFAULT_BASE))
    assert len(ours) == len(theirs)
    assert [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b] == [
        (b"<https://kg.example.org/id/plc:end.> a kg:Person ;", b"id:plc:end\\. a kg:Person ;")
    ]


def test_the_stream_engine_writes_turtle_only(seed_graph: Graph, schema: Schema) -> None:
    with pytest.raises(InputError, match="writes turtle"):
        export_rdf(seed_graph, schema, "trig", io.BytesIO(), engine="stream")

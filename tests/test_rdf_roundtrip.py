"""Graph -> RDF -> Graph gives the same Graph, and -> RDF again an isomorphic graph, in every format."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset
from rdflib.compare import isomorphic

from kg.dates import PartialDate
from kg.errors import InputError
from kg.model import Claim, Document, Entity, Evidence, Graph, Incident, Participant, Relation
from kg.rdf import FORMATS, export_rdf, graph_from_rdf
from kg.rdf.export import rdf_dataset
from kg.rdf.reader import load_rdf
from kg.schema import Schema

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")

DOC_TEXT = "Gunmen attacked a post near Osh. The ministry said so.\n\nA second paragraph."


def quads(dataset: Dataset) -> dict[str, set[tuple[object, ...]]]:
    found: dict[str, set[tuple[object, ...]]] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        key = str(getattr(g, "identifier", g))
        found.setdefault("default" if "default" in key else key, set()).add((s, p, o))
    return found


def roundtrip(
    graph: Graph, schema: Schema, fmt: str, folder: Path, base: str | None = None
) -> Graph:
    path = folder / f"graph{FORMATS[fmt].suffix}"
    if base is None:
        export_rdf(graph, schema, fmt, path)
    else:
        export_rdf(graph, schema, fmt, path, base_iri=base)
    return graph_from_rdf(path, schema)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_seed_graph_round_trips_in_every_format(
    seed_graph: Graph, schema: Schema, tmp_path: Path, fmt: str
) -> None:
    back = roundtrip(seed_graph, schema, fmt, tmp_path)
    assert back == seed_graph
    doc_id = next(iter(seed_graph.documents))
    assert back.documents[doc_id].text == seed_graph.documents[doc_id].text
    assert back.documents[doc_id].sentences == seed_graph.documents[doc_id].sentences
    assert back.documents[doc_id].metadata == seed_graph.documents[doc_id].metadata
    again = tmp_path / f"again{FORMATS[fmt].suffix}"
    export_rdf(back, schema, fmt, again)
    first, second = Dataset(), Dataset()
    first.parse(tmp_path / f"graph{FORMATS[fmt].suffix}", format=FORMATS[fmt].rdflib)
    second.parse(again, format=FORMATS[fmt].rdflib)
    assert isomorphic(load_rdf(first), load_rdf(second))
    if FORMATS[fmt].quads:
        assert quads(first) == quads(second)


def hand_built() -> Graph:
    """Everything the model can hold that the seeds do not: orders that are not sorted, a
    repeated evidence item, every value type, dates of each precision, odd metadata keys."""
    doc = Document(
        "doc:mini",
        "Mini",
        DOC_TEXT,
        ((0, 32), (33, 54), (56, 75)),
        PartialDate(2005, 3),
        "seeds/articles/mini.md",
        {
            "publication": "Test Monitor",
            "url": "https://example.org/a b",
            "title": "shadowing the field",
            "x-odd key": 'v\n"q"',
        },
    )
    late = Evidence("doc:mini", 33, 54, "The ministry said so.", "src:wire")
    early = Evidence("doc:mini", 0, 6, "Gunmen")
    elsewhere = Evidence("doc:other", 3, 9, "absent")
    entities = {
        "plc:osh": Entity(
            "plc:osh", "Place", "Osh", ("Oš", "Ош", "Osh city"), "city", evidence=(late, early)
        ),
        "org:ministry": Entity(
            "org:ministry",
            "Organisation",
            "Ministry",
            kind="government_body",
            note="n",
            description="d",
            evidence=(early, early),
        ),
        "grp:gunmen": Entity("grp:gunmen", "Group", "Gunmen", properties={"count": 3}),
        "src:wire": Entity(
            "src:wire",
            "Source",
            "Wire",
            properties={
                "outlet": "org:ministry",
                "date": PartialDate(2005, 3, 13),
                "citation": "(Wire)",
            },
        ),
        "cty:kg": Entity("cty:kg", "Country", "Kyrgyzstan", properties={"code": "KG"}),
    }
    incidents = {
        "inc:attack": Incident(
            "inc:attack",
            "attack",
            "Attack",
            PartialDate(2005),
            "plc:osh",
            (Participant("org:ministry", "reporter"), Participant("grp:gunmen", "perpetrator")),
            (elsewhere, early),
            "desc",
            "note",
        )
    }
    claims = {
        "clm:said": Claim(
            "clm:said",
            "org:ministry",
            "asserts",
            "It happened.",
            ("plc:osh", "inc:attack", "grp:gunmen"),
            PartialDate(2005, 3, 14),
            "src:wire",
            "reported",
            (late,),
            "a note",
        )
    }
    relations = {
        "rel:based_in:1": Relation(
            "rel:based_in:1",
            "based_in",
            "org:ministry",
            "cty:kg",
            {"start": PartialDate(2001), "end": PartialDate(2004, 2), "confidence": 0.25},
            (late,),
            "why",
        ),
        "rel:based_in:2": Relation(
            "rel:based_in:2", "based_in", "org:ministry", "cty:kg", {"confidence": 1}
        ),
        "rel:holds_post:1": Relation(
            "rel:holds_post:1",
            "holds_post",
            "grp:gunmen",
            "org:ministry",
            {"title": "chief"},
            (early, late),
        ),
    }
    return Graph({"doc:mini": doc}, entities, incidents, claims, relations)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_hand_built_graph_round_trips(schema: Schema, tmp_path: Path, fmt: str) -> None:
    graph = hand_built()
    back = roundtrip(graph, schema, fmt, tmp_path)
    assert back == graph
    assert back.entities["plc:osh"].aliases == ("Oš", "Ош", "Osh city")
    assert back.entities["plc:osh"].evidence == graph.entities["plc:osh"].evidence
    assert back.entities["org:ministry"].evidence == graph.entities["org:ministry"].evidence
    assert back.incidents["inc:attack"].participants[0].role == "reporter"
    assert type(back.relations["rel:based_in:2"].properties["confidence"]) is int


def test_a_base_with_a_hash_round_trips(schema: Schema, tmp_path: Path) -> None:
    graph = hand_built()
    assert roundtrip(graph, schema, "turtle", tmp_path, base="urn:kg:test#") == graph


def test_an_explicit_wrong_base_is_a_clear_error(schema: Schema, tmp_path: Path) -> None:
    path = tmp_path / "g.nt"
    export_rdf(hand_built(), schema, "nt", path)
    with pytest.raises(InputError, match="not a record IRI under the base"):
        graph_from_rdf(path, schema, "https://elsewhere.example/")


def test_garbage_input_names_the_file(schema: Schema, tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text("this is <not turtle", "utf-8")
    with pytest.raises(InputError, match=r"bad\.ttl"):
        graph_from_rdf(path, schema)


def test_rdflib_dataset_is_accepted_directly(schema: Schema) -> None:
    graph = hand_built()
    assert graph_from_rdf(rdf_dataset(graph, schema), schema) == graph


# -- property test: any names, aliases and ids ----------------------------------------------------

odd_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
odd_id = st.builds(
    lambda prefix, rest: f"{prefix}:{rest}",
    st.sampled_from(["per", "org", "plc"]),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20),
)


@st.composite
def entity_graphs(draw: st.DrawFn) -> Graph:
    ids = draw(st.lists(odd_id, min_size=1, max_size=4, unique=True))
    types = {"per": "Person", "org": "Organisation", "plc": "Place"}
    entities = {
        i: Entity(
            i,
            types[i.split(":")[0]],
            draw(odd_text),
            tuple(draw(st.lists(odd_text, max_size=4))),
            description=draw(st.none() | odd_text),
        )
        for i in ids
    }
    return Graph(entities=entities)


@pytest.mark.parametrize("fmt", ["nt", "turtle", "trig", "jsonld"])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(graph=entity_graphs())
def test_any_names_aliases_and_ids_round_trip(schema: Schema, fmt: str, graph: Graph) -> None:
    out = io.BytesIO()
    export_rdf(graph, schema, fmt, out)
    dataset = Dataset()
    dataset.parse(data=out.getvalue().decode("utf-8"), format=FORMATS[fmt].rdflib)
    assert graph_from_rdf(dataset, schema) == graph

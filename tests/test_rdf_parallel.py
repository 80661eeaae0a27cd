"""RDF exports written in several processes: the same bytes as in one, whatever the split."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import os
from collections import Counter
from pathlib import Path
from typing import IO

import pytest

from kg.errors import InputError
from kg.model import Graph
from kg.rdf import export_rdf
from kg.rdf.export import binary_output, iter_lines, range_lines, write_parts
from kg.rdf.triples import QuadMaker
from kg.schema import Schema

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")

OXIGRAPH = importlib.util.find_spec("pyoxigraph") is not None


@pytest.fixture(scope="module")
def shared(seed_graph: Graph) -> Graph:
    """The seeds, plus each incident's quotes given to a relation as well: annotations shared
    by records far apart (the later ones must not write them again)."""
    relations = dict(seed_graph.relations)
    incidents = sorted(seed_graph.incidents.values(), key=lambda i: i.id)
    for (key, relation), incident in zip(sorted(relations.items()), incidents, strict=False):
        relations[key] = dataclasses.replace(relation, evidence=incident.evidence)
    return dataclasses.replace(seed_graph, relations=relations)


def test_the_graph_shares_annotations_between_records(shared: Graph) -> None:
    quotes = Counter(
        ev for r in (*shared.incidents.values(), *shared.relations.values()) for ev in r.evidence
    )
    assert max(quotes.values()) > 1


@pytest.mark.parametrize("quads", [False, True])
def test_every_split_joins_into_the_whole(shared: Graph, schema: Schema, quads: bool) -> None:
    whole = "".join(iter_lines(QuadMaker(shared, schema, text=True), quads))
    count = QuadMaker.count(shared)
    assert QuadMaker.count(shared) == count
    for split in range(0, count + 1, 3):
        parts = [
            "".join(range_lines(QuadMaker(shared, schema, text=True), quads, start, stop))
            for start, stop in ((0, split), (split, count))
        ]
        assert parts[0] + parts[1] == whole, split


def test_a_boundary_the_fit_refuses_moves_on_both_sides(shared: Graph, schema: Schema) -> None:
    def fit(last: str, first: str) -> bool:
        return len(first) % 4 == 0  # refuses most records

    whole = "".join(iter_lines(QuadMaker(shared, schema, text=True), False))
    count = len(QuadMaker(shared, schema, text=True).records())
    sizes = set()
    for split in range(1, count, 5):
        parts = [
            "".join(range_lines(QuadMaker(shared, schema, text=True), False, start, stop, fit))
            for start, stop in ((0, split), (split, count))
        ]
        assert parts[0] + parts[1] == whole, split
        sizes.add(len(parts[0]))
    assert len(sizes) < len(range(1, count, 5))  # some splits moved to the same boundary


FORMATS = [("nt", "rdflib"), ("nquads", "rdflib"), ("turtle", "stream")]
if OXIGRAPH:
    FORMATS += [("turtle", "oxigraph"), ("trig", "oxigraph"), ("jsonld", "oxigraph")]


@pytest.mark.parametrize(("fmt", "engine"), FORMATS)
def test_processes_write_the_same_bytes(
    shared: Graph, schema: Schema, tmp_path: Path, fmt: str, engine: str
) -> None:
    written = {}
    for jobs in (1, 2, 3):
        path = tmp_path / f"{jobs}.{fmt}"
        export_rdf(shared, schema, fmt, path, engine=engine, jobs=jobs)
        written[jobs] = path.read_bytes()
    assert written[2] == written[1] and written[3] == written[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{j}.{fmt}" for j in (1, 2, 3)]
    streamed = io.BytesIO()
    export_rdf(shared, schema, fmt, streamed, engine=engine, jobs=2)
    assert streamed.getvalue() == written[1]


def _pids(start: int, stop: int, out: IO[bytes]) -> None:
    out.write(f"{start}-{stop}:{os.getpid()}\n".encode())


def test_a_small_graph_is_written_here_unless_jobs_are_asked_for() -> None:
    here = io.BytesIO()
    write_parts(here, 40, 0, _pids)
    assert here.getvalue() == f"0-40:{os.getpid()}\n".encode()
    apart = io.BytesIO()
    write_parts(apart, 40, 2, _pids)
    first, second = apart.getvalue().decode().splitlines()
    assert first == f"0-20:{os.getpid()}" and second.startswith("20-40:")
    assert second != f"20-40:{os.getpid()}"


def _fails_after_the_first(start: int, stop: int, out: IO[bytes]) -> None:
    if start:
        raise InputError(f"record {start}: cannot write it")
    out.write(b"first part\n")


def test_an_error_in_a_process_leaves_no_output_and_no_parts(tmp_path: Path) -> None:
    target = tmp_path / "graph.nt"
    with (
        pytest.raises(InputError, match="record 10: cannot write it"),
        binary_output(target) as stream,
    ):
        write_parts(stream, 20, 2, _fails_after_the_first, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []

"""Write the Graph as Turtle, N-Triples, JSON-LD, TriG or N-Quads (with named graphs)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rdflib import Dataset
from rdflib import Graph as RdfGraph

from kg.atomic import atomic_path
from kg.errors import InputError
from kg.gcpause import gc_paused
from kg.model import Graph
from kg.rdf.namespaces import DEFAULT_BASE, bind_prefixes
from kg.rdf.triples import QuadMaker
from kg.schema import Schema
from kg.sinks import SINKS

__all__ = [
    "FORMATS",
    "RdfFormat",
    "binary_output",
    "export_rdf",
    "format_for_path",
    "iter_lines",
    "write_rdflib",
]


@dataclass(frozen=True)
class RdfFormat:
    """An RDF serialisation kg writes and reads."""

    name: str
    rdflib: str
    suffix: str
    quads: bool
    """True when the format keeps named graphs (one per document)."""


_SUFFIX = SINKS["rdf"].formats
FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("turtle", "turtle", _SUFFIX["turtle"], False),
        RdfFormat("nt", "nt", _SUFFIX["nt"], False),
        RdfFormat("jsonld", "json-ld", _SUFFIX["jsonld"], False),
        RdfFormat("trig", "trig", _SUFFIX["trig"], True),
        RdfFormat("nquads", "nquads", _SUFFIX["nquads"], True),
    )
}
"""Format name (as ``--format`` takes it) -> format."""


def format_for_path(path: Path) -> RdfFormat:
    """The format a file name implies by its suffix (``.json`` is read as JSON-LD).

    >>> format_for_path(Path("graph.trig")).name, format_for_path(Path("g.json")).name
    ('trig', 'jsonld')
    """
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix == fmt.suffix:
            return fmt
    if suffix in (".json", ".n3"):
        return FORMATS["jsonld" if suffix == ".json" else "turtle"]
    known = ", ".join(f.suffix for f in FORMATS.values())
    raise InputError(f"{path}: unknown RDF file suffix {suffix!r} (known: {known})")


@contextmanager
def binary_output(out: Path | IO[Any]) -> Iterator[IO[bytes]]:
    """A binary stream for ``out``: a path is written to a temporary file renamed into place,
    so a failed export leaves nothing half-written."""
    if isinstance(out, Path):
        with atomic_path(out) as temporary, temporary.open("wb") as stream:
            yield stream
    elif isinstance(out, io.TextIOBase) or "b" not in getattr(out, "mode", "b"):
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            out.flush()
            yield buffer
            buffer.flush()
        else:
            collected = io.BytesIO()
            yield collected
            out.write(collected.getvalue().decode("utf-8"))
    else:
        yield out


def write_rdflib(graph: RdfGraph, fmt: str, out: Path | IO[Any]) -> None:
    """Serialise an rdflib graph or dataset (the ontology, the shapes) to a path or stream."""
    # JSON-LD is written expanded (no @context): rdflib's compaction drops an empty string
    # that shares a property with other values, and kg's exports must be lossless.
    with binary_output(out) as stream:
        graph.serialize(destination=stream, format=FORMATS[fmt].rdflib, encoding="utf-8")


def iter_lines(maker: QuadMaker, quads: bool) -> Iterator[str]:
    """N-Triples or N-Quads, one string per record: its lines sorted and distinct, shared
    annotations written once (``maker`` made with ``text=True``)."""
    for lines in maker.line_chunks(quads):
        yield "".join(lines)


def _stream_lines(maker: QuadMaker, quads: bool, stream: IO[bytes]) -> None:
    """Write N-Triples or N-Quads record by record."""
    for text in iter_lines(maker, quads):
        stream.write(text.encode("utf-8"))


def rdf_dataset(graph: Graph, schema: Schema, base_iri: str = DEFAULT_BASE) -> Dataset:
    """The Graph as an rdflib Dataset: one named graph per document, entities in the default."""
    dataset = Dataset()
    bind_prefixes(dataset, base_iri)
    for s, p, o, g in QuadMaker(graph, schema, base_iri).quads():
        if g is None:
            dataset.default_graph.add((s, p, o))
        else:
            dataset.graph(g).add((s, p, o))
    return dataset


def rdf_graph(graph: Graph, schema: Schema, base_iri: str = DEFAULT_BASE) -> RdfGraph:
    """The Graph as one rdflib Graph (every named graph merged)."""
    rdf = bind_prefixes(RdfGraph(), base_iri)
    for s, p, o, _ in QuadMaker(graph, schema, base_iri).quads():
        rdf.add((s, p, o))
    return rdf


def export_rdf(
    graph: Graph,
    schema: Schema,
    fmt: str,
    out: Path | IO[Any],
    base_iri: str = DEFAULT_BASE,
    engine: str = "rdflib",
) -> None:
    """Write ``graph`` as RDF in ``fmt`` (a key of FORMATS) to a path or a stream.

    N-Triples and N-Quads are streamed line by line without an rdflib graph; the others go
    through rdflib, or with ``engine="oxigraph"`` through Oxigraph (``kg.rdf.fast``: the same
    triples, many times faster). Record IRIs are ``base_iri`` + the id, percent-encoded.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown RDF format {fmt!r} (one of {', '.join(FORMATS)})")
    with gc_paused():  # millions of acyclic terms and lines: the collector would only rescan them
        _export(graph, schema, FORMATS[fmt], out, base_iri, engine)


def _export(
    graph: Graph, schema: Schema, spec: RdfFormat, out: Path | IO[Any], base_iri: str, engine: str
) -> None:
    fmt = spec.name
    if engine == "oxigraph" and spec.name not in ("nt", "nquads"):
        from kg.rdf.fast import export_fast

        export_fast(graph, schema, fmt, out, base_iri)
        return
    if engine not in ("rdflib", "oxigraph"):
        raise InputError(f"unknown RDF engine {engine!r} (one of rdflib, oxigraph)")
    maker = QuadMaker(graph, schema, base_iri, text=True)
    if spec.name in ("nt", "nquads"):
        with binary_output(out) as stream:
            _stream_lines(maker, spec.quads, stream)
        return
    rdf = rdf_dataset(graph, schema, base_iri) if spec.quads else rdf_graph(graph, schema, base_iri)
    write_rdflib(rdf, fmt, out)

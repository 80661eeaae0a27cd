"""Write the Graph as Turtle, N-Triples, JSON-LD, TriG or N-Quads (with named graphs)."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rdflib import Dataset
from rdflib import Graph as RdfGraph

from kg.atomic import atomic_path
from kg.errors import InputError
from kg.forked import in_ranges
from kg.gcpause import gc_paused
from kg.model import Graph
from kg.rdf.namespaces import DEFAULT_BASE, bind_prefixes
from kg.rdf.triples import QuadMaker
from kg.schema import Schema
from kg.sinks import SINKS

__all__ = [
    "ENGINES",
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

ENGINES = ("rdflib", "oxigraph", "stream")
"""What writes Turtle, TriG and JSON-LD (as ``--engine`` takes it): rdflib (the default, every
format), Oxigraph (``kg.rdf.fast``: Turtle, TriG and JSON-LD from the streamed triples) or kg
itself (``kg.rdf.turtle``: Turtle only). N-Triples and N-Quads are streamed by any engine."""


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


Fit = Callable[[str, str], bool]
"""Whether a record whose first line is the second argument may start a part after a record
whose last line is the first (written apart, the two parts join into the same bytes)."""


def range_lines(
    maker: QuadMaker, quads: bool, start: int, stop: int, fit: Fit | None = None
) -> Iterator[str]:
    """The text of each record (as :func:`iter_lines`) from the first boundary at or after
    ``start`` to the first at or after ``stop``. Any record is a boundary (``fit`` None), else
    the first one and those ``fit`` accepts: both sides of a boundary find it the same way."""
    probing = fit is not None and start > 0
    index = start - 1 if probing else start  # the record before: its last line
    writing, last = not probing, ""
    for lines in maker.line_chunks(quads, index):
        if (index >= stop or (index >= start and not writing)) and (
            fit is None or index == 0 or fit(last, lines[0])
        ):
            if index >= stop:
                return
            writing = True
        if writing:
            yield "".join(lines)
        last = lines[-1]
        index += 1


MANY_RECORDS = 10_000
"""Records from which ``jobs`` 0 means every core (fewer are written in one process)."""


def _no_head(part: IO[bytes], stream: IO[bytes]) -> None:
    """Copy nothing of a part's head: N-Triples and N-Quads have none."""


def write_parts(
    stream: IO[bytes],
    count: int,
    jobs: int,
    write: Callable[[int, int, IO[bytes]], None],
    skip_head: Callable[[IO[bytes], IO[bytes]], None] = _no_head,
    folder: Path | None = None,
) -> None:
    """``write(start, stop, stream)`` for the ``count`` records, in ``jobs`` processes (0:
    the machine's cores, for MANY_RECORDS or more; 1: here): each writes a part in record
    order, this one the first into ``stream``, the others into temporary files (in
    ``folder``) appended in order, each after ``skip_head`` copied its head's remainder."""
    if jobs < 1:
        jobs = (os.cpu_count() or 1) if count >= MANY_RECORDS else 1
    jobs = min(jobs, count)
    if jobs <= 1:
        write(0, count, stream)
        return
    bounds = [count * k // jobs for k in range(jobs + 1)]
    with tempfile.TemporaryDirectory(dir=folder, prefix=".kg-parts-") as parts_dir:

        def part(start: int, stop: int) -> str:
            if start == 0:  # the first range: here, into the stream
                write(start, stop, stream)
                return ""
            path = os.path.join(parts_dir, str(start))
            with gc_paused(), open(path, "wb") as out:
                write(start, stop, out)
            return path

        for path in in_ranges(part, bounds)[1:]:
            with open(path, "rb") as written:
                skip_head(written, stream)
                _append(written, stream)
            os.unlink(path)


def _append(part: IO[bytes], stream: IO[bytes]) -> None:
    """Copy the rest of ``part`` to ``stream``: in the kernel from file to file (no copy
    through this process, a third of the CPU), else through a buffer."""
    try:
        target = stream.fileno()
        stream.flush()
        offset = part.tell()
        copied = os.copy_file_range(part.fileno(), target, 1 << 30, offset)
    except (AttributeError, OSError, ValueError):  # not files (io.UnsupportedOperation too)
        shutil.copyfileobj(part, stream, 1 << 20)
        return
    while copied:
        offset += copied
        copied = os.copy_file_range(part.fileno(), target, 1 << 30, offset)


def _stream_lines(
    graph: Graph,
    schema: Schema,
    base_iri: str,
    quads: bool,
    stream: IO[bytes],
    jobs: int,
    folder: Path | None,
) -> None:
    """Write N-Triples or N-Quads record by record."""

    def write(start: int, stop: int, out: IO[bytes]) -> None:
        maker = QuadMaker(graph, schema, base_iri, text=True)
        for text in range_lines(maker, quads, start, stop):
            out.write(text.encode("utf-8"))

    write_parts(stream, QuadMaker.count(graph), jobs, write, folder=folder)


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
    jobs: int = 1,
) -> None:
    """Write ``graph`` as RDF in ``fmt`` (a key of FORMATS) to a path or a stream.

    N-Triples and N-Quads are streamed line by line without an rdflib graph; the others go
    through rdflib, or with ``engine="oxigraph"`` through Oxigraph (``kg.rdf.fast``: the same
    triples, many times faster); Turtle with ``engine="stream"`` is written by kg itself
    (``kg.rdf.turtle``: the same triples, at about the cost of N-Triples). Record IRIs are
    ``base_iri`` + the id, percent-encoded. The streamed formats (N-Triples, N-Quads, the
    stream engine's Turtle, Oxigraph's Turtle and TriG) are written in
    ``jobs`` processes, a range of records each (0: every core for large graphs): the same
    bytes.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown RDF format {fmt!r} (one of {', '.join(FORMATS)})")
    with gc_paused():  # millions of acyclic terms and lines: the collector would only rescan them
        _export(graph, schema, FORMATS[fmt], out, base_iri, engine, jobs)


def _export(
    graph: Graph,
    schema: Schema,
    spec: RdfFormat,
    out: Path | IO[Any],
    base_iri: str,
    engine: str,
    jobs: int,
) -> None:
    fmt = spec.name
    if engine not in ENGINES:
        raise InputError(f"unknown RDF engine {engine!r} (one of {', '.join(ENGINES)})")
    if engine == "stream" and fmt not in ("nt", "nquads"):
        if fmt != "turtle":
            raise InputError(
                f"the stream engine writes turtle (nt and nquads: any engine), not {fmt}"
            )
        from kg.rdf.turtle import write_turtle

        with binary_output(out) as stream:
            folder = out.parent if isinstance(out, Path) else None
            write_turtle(graph, schema, base_iri, stream, jobs, folder)
        return
    if engine == "oxigraph" and spec.name not in ("nt", "nquads"):
        from kg.rdf.fast import export_fast

        export_fast(graph, schema, fmt, out, base_iri, jobs)
        return
    if spec.name in ("nt", "nquads"):
        with binary_output(out) as stream:
            folder = out.parent if isinstance(out, Path) else None
            _stream_lines(graph, schema, base_iri, spec.quads, stream, jobs, folder)
        return
    rdf = rdf_dataset(graph, schema, base_iri) if spec.quads else rdf_graph(graph, schema, base_iri)
    write_rdflib(rdf, fmt, out)

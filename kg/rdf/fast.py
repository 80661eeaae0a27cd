"""Fast Turtle, TriG and JSON-LD: kg's streamed N-Triples/N-Quads re-serialised by Oxigraph.

The triples are the ones every export writes (``kg.rdf.triples.QuadMaker``), streamed as
N-Triples or N-Quads into pyoxigraph's parser and out of its serialiser (Rust), without an
rdflib graph. The result is isomorphic to the rdflib export; only the layout differs.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError
from kg.model import Graph
from kg.rdf.export import FORMATS, binary_output, range_lines, write_parts
from kg.rdf.namespaces import DEFAULT_BASE, PREFIXES
from kg.rdf.triples import QuadMaker
from kg.schema import Schema

__all__ = ["ENGINES", "FAST_FORMATS", "engine_available", "export_fast"]

ENGINES = ("rdflib", "oxigraph")
"""How ``kg export rdf`` serialises Turtle, TriG and JSON-LD (N-Triples/N-Quads are always
streamed by kg itself)."""

FAST_FORMATS = ("turtle", "trig", "jsonld")
"""The formats the oxigraph engine writes (the others are streamed as they always are)."""


def engine_available(engine: str) -> bool:
    """Whether ``engine`` can run here (pyoxigraph is an optional dependency)."""
    if engine not in ENGINES:
        raise InputError(f"unknown RDF engine {engine!r} (one of {', '.join(ENGINES)})")
    return engine == "rdflib" or importlib.util.find_spec("pyoxigraph") is not None


class _Lines(io.RawIOBase):
    """A readable binary stream over the N-Triples/N-Quads that kg writes record by record."""

    def __init__(self, texts: Iterator[str]) -> None:
        self._chunks: Iterator[bytes] = (text.encode("utf-8") for text in texts)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        view = memoryview(target)
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(view), len(self._pending))
        view[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _prefixes(base_iri: str) -> dict[str, str]:
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    prefixes["id"] = base_iri
    return prefixes


def _skip_prefixes(part: IO[bytes], stream: IO[bytes]) -> None:
    """Copy what follows the ``@prefix`` lines that start a Turtle or TriG part."""
    line = part.readline()
    while line.startswith(b"@prefix "):
        line = part.readline()
    stream.write(line)


def export_fast(
    graph: Graph,
    schema: Schema,
    fmt: str,
    out: Path | IO[Any],
    base_iri: str = DEFAULT_BASE,
    jobs: int = 1,
) -> None:
    """Write ``graph`` as Turtle, TriG or JSON-LD through Oxigraph (see the module docstring).

    TriG keeps one named graph per document, as the rdflib export does. Turtle and TriG are
    written in ``jobs`` processes (as ``kg.rdf.export.write_parts``), each record range
    serialised on its own: a range starts at a record whose first triple Oxigraph writes the
    same after the previous record's last as after its prefixes (checked on the two lines).
    """
    if fmt not in FAST_FORMATS:
        raise InputError(f"the oxigraph engine writes {', '.join(FAST_FORMATS)}, not {fmt!r}")
    if not engine_available("oxigraph"):
        raise InputError("the oxigraph engine needs pyoxigraph: pip install pyoxigraph")
    import pyoxigraph as ox

    quads = FORMATS[fmt].quads
    source = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
    target = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}.get(
        fmt, ox.RdfFormat.JSON_LD
    )
    prefixes = _prefixes(base_iri)

    def serialize(texts: Iterator[str], stream: IO[bytes]) -> None:
        parsed = ox.parse(io.BufferedReader(_Lines(texts), buffer_size=1 << 20), format=source)
        ox.serialize(parsed, stream, format=target, prefixes=prefixes)

    def alone(*texts: str) -> bytes:
        written = io.BytesIO()
        serialize(iter(texts), written)
        return written.getvalue()

    def fit(last: str, first: str) -> bool:
        joined, rest = io.BytesIO(alone(last)), io.BytesIO(alone(first))
        joined.seek(0, io.SEEK_END)
        _skip_prefixes(rest, joined)
        return joined.getvalue() + rest.read() == alone(last, first)

    def write(start: int, stop: int, stream: IO[bytes]) -> None:
        maker = QuadMaker(graph, schema, base_iri, text=True)
        serialize(range_lines(maker, quads, start, stop, fit), stream)

    count = QuadMaker.count(graph)
    with binary_output(out) as stream:
        if fmt == "jsonld":  # one JSON array: parts would not join by their lines
            write(0, count, stream)
            return
        folder = out.parent if isinstance(out, Path) else None
        write_parts(stream, count, jobs, write, _skip_prefixes, folder)

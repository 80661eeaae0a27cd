"""The exporter/importer registry: each sink's name, formats, file suffixes, write and read.

Every place that needs to know which sinks exist (``kg export``, ``--from``, the format a file
suffix implies) asks this registry. A sink is declared as data; its write and read functions
are named as ``module:function`` and imported only when called, so listing the sinks loads
neither rdflib, networkx nor the Neo4j driver.

All writers take ``(graph, schema, target, fmt, **options)`` and all readers
``(source, schema, **options)``; for file sinks the target or source is a path (or a stream),
for Neo4j it is the connection settings.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.model import Graph
from kg.schema import Schema

__all__ = ["SINKS", "Sink", "readable", "sink_for_format", "sink_for_path"]


@dataclass(frozen=True)
class Sink:
    """One place a graph can be written to and, where ``reader`` is set, read back from."""

    name: str
    description: str
    formats: Mapping[str, str] = field(default_factory=dict)
    """Format name -> file suffix (the first format is the default)."""
    writer: str | None = None
    """``module:function`` writing a graph: ``(graph, schema, target, fmt, **options)``."""
    reader: str | None = None
    """``module:function`` reading a graph: ``(source, schema, **options) -> Graph``."""
    command: str | None = None
    """``module:command`` of its ``kg export`` subcommand."""
    also_reads: tuple[str, ...] = ()
    """Suffixes the reader accepts besides those of ``formats``."""

    @property
    def suffixes(self) -> tuple[str, ...]:
        return (*self.formats.values(), *self.also_reads)

    @property
    def default_format(self) -> str:
        return next(iter(self.formats))

    def format_for(self, path: Path) -> str | None:
        """The format a file suffix names, or None."""
        suffix = path.suffix.lower()
        return next((f for f, s in self.formats.items() if s == suffix), None)

    def default_name(self, fmt: str, stem: str | None = None) -> str:
        """The file name this sink writes by default: ``<stem or name>.<suffix>``."""
        return f"{stem or self.name}{self.formats[fmt]}"

    def write(self, graph: Graph, schema: Schema, target: Any, fmt: str | None = None,
              **options: Any) -> Any:  # fmt: skip
        if self.writer is None:
            raise InputError(f"{self.name} cannot be written to")
        chosen = fmt or self.default_format
        if self.formats and chosen not in self.formats:
            raise InputError(
                f"{self.name}: unknown format {chosen!r} (one of {', '.join(self.formats)})"
            )
        return _function(self.writer)(graph, schema, target, chosen, **options)

    def read(self, source: Any, schema: Schema, **options: Any) -> Graph:
        if self.reader is None:
            raise InputError(f"{self.name} cannot be read back into a graph")
        graph: Graph = _function(self.reader)(source, schema, **options)
        return graph


def _function(name: str) -> Any:
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)


def _write_json(graph: Graph, schema: Schema, target: Path, fmt: str) -> None:
    from kg.graphjson import write_graph_json

    write_graph_json(graph, schema, target)


def _write_rdf(graph: Graph, schema: Schema, target: Any, fmt: str, **options: Any) -> None:
    from kg.rdf.export import export_rdf

    export_rdf(graph, schema, fmt, target, **options)


def _write_neo4j(graph: Graph, schema: Schema, target: Any, fmt: str, **options: Any) -> Any:
    from kg.neo4j.connection import connect
    from kg.neo4j.loader import load_graph

    driver = connect(target)
    try:
        return load_graph(driver, target, graph, schema, **options)
    finally:
        driver.close()


def _read_neo4j(source: Any, schema: Schema) -> Graph:
    from kg.neo4j.connection import connect
    from kg.neo4j.reader import read_graph

    driver = connect(source)
    try:
        return read_graph(driver, source, schema)
    finally:
        driver.close()


SINKS: dict[str, Sink] = {
    sink.name: sink
    for sink in (
        Sink(
            "json",
            "graph.json, kg's own lossless file (what kg build writes)",
            {"json": ".json"},
            "kg.sinks:_write_json",
            "kg.graphjson:read_graph_json",
            "kg.cli.export:export_json_command",
        ),
        Sink(
            "rdf",
            "RDF: Turtle, N-Triples, JSON-LD, TriG (a named graph per document), N-Quads",
            {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "trig": ".trig", "nquads": ".nq"},
            "kg.sinks:_write_rdf",
            "kg.rdf.reader:graph_from_rdf",
            "kg.cli.rdf:export_rdf_command",
            also_reads=(".n3",),
        ),
        Sink(
            "graph",
            "a NetworkX projection: GraphML, GEXF (Gephi), node-link JSON (web tools)",
            {"graphml": ".graphml", "gexf": ".gexf", "json": ".json"},
            "kg.network.export:export_graph",
            None,
            "kg.cli.network:export_graph_command",
        ),
        Sink(
            "neo4j",
            "a Neo4j database (kg load writes it; --from neo4j reads it)",
            {},
            "kg.sinks:_write_neo4j",
            "kg.sinks:_read_neo4j",
        ),
    )
}
"""Every sink, by name."""


def sink_for_format(name: str) -> Sink | None:
    """The sink writing a format name (``turtle``, ``graphml``...), or None.

    >>> sink_for_format("trig").name, sink_for_format("gexf").name, sink_for_format("x")
    ('rdf', 'graph', None)
    """
    return next((s for s in SINKS.values() if name in s.formats), None)


def sink_for_path(path: Path, *, reading: bool = False) -> Sink | None:
    """The sink a file suffix implies; ``.json`` is graph.json (kg's own) unless written as a
    NetworkX export. With ``reading``, only sinks that can read.

    >>> sink_for_path(Path("g.ttl")).name, sink_for_path(Path("exports/graph.json")).name
    ('rdf', 'json')
    """
    suffix = path.suffix.lower()
    for sink in SINKS.values():
        if suffix in sink.suffixes and (sink.reader is not None or not reading):
            return sink
    return None


def readable(path: Path) -> Sink:
    """The sink that reads a file, or InputError naming the suffixes kg reads."""
    sink = sink_for_path(path, reading=True)
    if sink is None:
        known = sorted({s for x in SINKS.values() if x.reader for s in x.suffixes})
        raise InputError(
            f"{path}: kg cannot read {path.suffix or 'this'} files ({', '.join(known)})"
        )
    return sink

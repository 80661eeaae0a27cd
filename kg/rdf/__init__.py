"""RDF: the ontology and SHACL shapes from the schema, export in five formats, import back."""

from __future__ import annotations

from kg.rdf.export import FORMATS, export_rdf, write_rdflib
from kg.rdf.namespaces import DEFAULT_BASE
from kg.rdf.ontology import build_ontology
from kg.rdf.reader import graph_from_rdf, load_rdf
from kg.rdf.shacl import Violation, format_violation, validate_shacl
from kg.rdf.shapes import build_shapes

__all__ = [
    "DEFAULT_BASE",
    "FORMATS",
    "Violation",
    "build_ontology",
    "build_shapes",
    "export_rdf",
    "format_violation",
    "graph_from_rdf",
    "load_rdf",
    "validate_shacl",
    "write_rdflib",
]

"""SHACL validation of RDF data with pySHACL, as readable violations (focus node, path, message)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from rdflib import Graph as RdfGraph
from rdflib import URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.errors import InputError, Location
from kg.rdf.export import format_for_path
from kg.rdf.namespaces import DEFAULT_BASE, bind_prefixes
from kg.rdf.reader import detect_base, load_rdf

__all__ = ["Violation", "format_violation", "validate_shacl"]


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: which node, along which path, what is wrong."""

    focus: str
    path: str | None
    message: str
    severity: str = "Violation"
    value: str | None = None
    shape: str | None = None


def _shapes_graph(shapes: Path | RdfGraph) -> RdfGraph:
    if isinstance(shapes, RdfGraph):
        return shapes
    graph = RdfGraph()
    try:
        graph.parse(shapes, format=format_for_path(shapes).rdflib)
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"cannot read shapes: {exc}", Location(str(shapes))) from None
    return graph


def validate_shacl(data: Path | RdfGraph, shapes: Path | RdfGraph) -> list[Violation]:
    """Every SHACL result of ``data`` (a file in any format kg reads, or a graph) against
    ``shapes``; an empty list means the data conforms. Named graphs are merged first, so a
    fact in a document's graph is checked against entities in the default graph."""
    import pyshacl  # imported here: it takes a second to load

    data_graph = load_rdf(data)
    _, results, _ = pyshacl.validate(
        data_graph,
        shacl_graph=_shapes_graph(shapes),
        inference="none",
        advanced=False,
        allow_warnings=True,
    )
    assert isinstance(results, RdfGraph)
    base = detect_base(data_graph) or DEFAULT_BASE
    names = bind_prefixes(RdfGraph()).namespace_manager

    def show(node: Node | None) -> str | None:
        """A record IRI as its id (``per:x``), other IRIs by prefix, literals in Turtle."""
        if node is None:
            return None
        text = str(node)
        if isinstance(node, URIRef) and text.startswith(base):
            rest = text[len(base) :]
            return unquote(rest) if "/" not in rest and "#" not in rest else f"<{text}>"
        return node.n3(names)

    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = str(results.value(result, SH.resultSeverity) or SH.Violation)
        violations.append(
            Violation(
                focus=show(results.value(result, SH.focusNode)) or "?",
                path=show(results.value(result, SH.resultPath)),
                message=" ".join(sorted(str(m) for m in results.objects(result, SH.resultMessage))),
                severity=severity.rsplit("#", 1)[-1],
                value=show(results.value(result, SH.value)),
                shape=show(results.value(result, SH.sourceShape)),
            )
        )
    return sorted(violations)


def format_violation(violation: Violation) -> str:
    """One line: severity, focus node, path and message.

    >>> format_violation(Violation("id:per:x", "rdfs:label", "Less than 1 values on ..."))
    'Violation: id:per:x rdfs:label: Less than 1 values on ...'
    """
    path = f" {violation.path}" if violation.path else ""
    return f"{violation.severity}: {violation.focus}{path}: {violation.message}"

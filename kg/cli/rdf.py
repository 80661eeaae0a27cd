"""RDF commands: export rdf, ontology and shapes; import rdf; shacl."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.cli import AppContext, pass_app
from kg.cli.output import jobs_option, output_option
from kg.cli.sources import from_option, load_graph
from kg.errors import ValidationFailed
from kg.graphjson import graph_to_dict
from kg.rdf import (
    DEFAULT_BASE,
    FORMATS,
    build_ontology,
    build_shapes,
    export_rdf,
    format_violation,
    validate_shacl,
    write_rdflib,
)
from kg.rdf.export import ENGINES, format_for_path, rdf_graph
from kg.sinks import SINKS
from kg.stats import summary_line

__all__ = ["COMMANDS", "import_group"]

_INPUT = click.Path(exists=True, dir_okay=False, path_type=Path)


F = TypeVar("F", bound=Callable[..., Any])


def _base_option(default_text: str) -> Callable[[F], F]:
    help_text = "Base IRI of record IRIs (record IRI = base + percent-encoded id)."
    return click.option(
        "--base-iri", default=None, metavar="IRI", help=f"{help_text} [default: {default_text}]"
    )


@click.command("rdf")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default=None,
    help="Serialisation (default: from the -o suffix, else turtle). trig and nquads "
    "keep one named graph per document.",
)
@from_option()
@_base_option(f"the rdf.base_iri setting, {DEFAULT_BASE} unless configured")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="rdflib",
    show_default=True,
    help="What writes turtle, trig and jsonld (the same triples; nt and nquads are always "
    "streamed). oxigraph: Oxigraph from kg's streamed triples, many times faster than rdflib "
    "on large graphs. stream: turtle only, written by kg record by record (each record's "
    "triples grouped), faster still and readable by rdflib.",
)
@click.option(
    "--shacl",
    "check",
    is_flag=True,
    help="Then check what was written against the SHACL shapes of the schema (as 'kg shacl'): "
    "violations on stderr, exit 1. Off by default: pySHACL takes about twice as long as the "
    "export itself.",
)
@jobs_option(
    "Write nt, nquads, the stream engine's turtle and the oxigraph engine's turtle and trig "
    "in this many processes, "
    "a range of records each (the same bytes); 0: every core for a large graph.",
    every_core=True,
)
@output_option("File to write (default: standard output).", dash=True)
@pass_app
def export_rdf_command(
    app: AppContext,
    fmt: str | None,
    source: str,
    base_iri: str | None,
    engine: str,
    check: bool,
    jobs: int,
    output: Path | None,
) -> None:
    """Export the graph as RDF: entities, incidents with participations, claims, relations
    with qualified statements, and evidence as Web Annotations.

    \b
    Example:
      kg export rdf -o exports/graph.ttl
      kg export rdf --format trig -o exports/graph.trig
      kg export rdf --format nt --from neo4j --base-iri https://example.org/kg/ > graph.nt
      kg export rdf --engine oxigraph -o exports/graph.ttl
      kg export rdf --engine stream -o exports/graph.ttl
      kg export rdf --shacl -o exports/graph.ttl
    """
    graph, schema = load_graph(app, source)
    to_file = output is not None and str(output) != "-"
    if fmt is None:
        fmt = format_for_path(output).name if to_file and output else "turtle"
    base = app.setting("rdf.base_iri", base_iri) or DEFAULT_BASE
    target = output if to_file and output else sys.stdout
    export_rdf(graph, schema, fmt, target, base, engine=engine, jobs=jobs)
    if to_file:
        click.echo(f"wrote {output} ({fmt}): {summary_line(graph)}", err=True)
    if check:
        # The file as written, read back; on standard output, the same triples in memory.
        written = output if to_file and output else rdf_graph(graph, schema, base)
        violations = validate_shacl(written, build_shapes(schema))
        for violation in violations:
            click.echo(format_violation(violation), err=True)
        if violations:
            raise ValidationFailed(list(violations), f"{len(violations)} SHACL violation(s)")
        click.echo(
            f"ok: {output if to_file else 'the export'} conforms to the SHACL shapes", err=True
        )


def _write_schema_graph(app: AppContext, which: str, output: Path | None) -> None:
    schema = app.workspace.load_schema()
    rdf = build_ontology(schema) if which == "ontology" else build_shapes(schema)
    target = output or app.workspace.schema_dir / f"{which}.ttl"
    if str(target) == "-":
        write_rdflib(rdf, "turtle", sys.stdout)
        return
    write_rdflib(rdf, "turtle", target)
    click.echo(f"wrote {target}: {len(rdf)} triples")


@click.command("ontology")
@output_option("Where to write (default: schema/ontology.ttl; '-' for standard output).", dash=True)
@pass_app
def export_ontology(app: AppContext, output: Path | None) -> None:
    """Write the OWL/RDFS ontology generated from schema/ as Turtle.

    Classes are the schema's types, aligned to schema.org, FOAF, ORG, SEM and PROV-O;
    vocabularies become SKOS concept schemes.

    \b
    Example:
      kg export ontology
      kg export ontology -o - | head
    """
    _write_schema_graph(app, "ontology", output)


@click.command("shapes")
@output_option("Where to write (default: schema/shapes.ttl; '-' for standard output).", dash=True)
@pass_app
def export_shapes(app: AppContext, output: Path | None) -> None:
    """Write the SHACL shapes generated from schema/ as Turtle.

    \b
    Example:
      kg export shapes
      kg shacl exports/graph.ttl --shapes schema/shapes.ttl
    """
    _write_schema_graph(app, "shapes", output)


@click.command()
@click.argument("file", type=_INPUT)
@click.option(
    "--shapes",
    "shapes_file",
    type=_INPUT,
    default=None,
    help="SHACL shapes file (default: the shapes generated from the workspace schema).",
)
@pass_app
def shacl(app: AppContext, file: Path, shapes_file: Path | None) -> None:
    """Validate an RDF file (any format kg writes) against the SHACL shapes.

    Prints one line per violation (focus node, path, message); exits 1 if there is any.

    \b
    Example:
      kg export rdf -o exports/graph.ttl && kg shacl exports/graph.ttl
      kg shacl exports/graph.trig --shapes schema/shapes.ttl
    """
    shapes = shapes_file if shapes_file is not None else build_shapes(app.workspace.load_schema())
    violations = validate_shacl(file, shapes)
    for violation in violations:
        click.echo(format_violation(violation))
    if violations:
        raise ValidationFailed(list(violations))
    click.echo(f"ok: {file} conforms to the SHACL shapes")


@click.group("import")
def import_group() -> None:
    """Import a graph from other formats.

    \b
    Example:
      kg import rdf exports/graph.ttl -o /tmp/graph.json
    """


@import_group.command("rdf")
@click.argument("file", type=_INPUT)
@_base_option(f"the base the file declares, else {DEFAULT_BASE}")
@output_option("graph.json to write (default: standard output).", dash=True)
@pass_app
def import_rdf(app: AppContext, file: Path, base_iri: str | None, output: Path | None) -> None:
    """Read RDF written by 'kg export rdf' (any format) back into graph.json.

    \b
    Example:
      kg import rdf exports/graph.ttl -o /tmp/graph.json
      kg import rdf exports/graph.nq | jq '.entities | length'
    """
    schema = app.workspace.load_schema()
    graph = SINKS["rdf"].read(file, schema, base_iri=base_iri)
    if output is None or str(output) == "-":
        click.echo(json.dumps(graph_to_dict(graph, schema), ensure_ascii=False, indent=1))
        return
    SINKS["json"].write(graph, schema, output)
    click.echo(f"wrote {output}: {summary_line(graph)}", err=True)


COMMANDS = [shacl, import_group]

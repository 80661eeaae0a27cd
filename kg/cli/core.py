"""Commands on the seeds: validate, build, stats."""

from __future__ import annotations

from pathlib import Path

import click

from kg.build import BuildResult
from kg.cli import AppContext, pass_app
from kg.cli.output import format_option, render
from kg.errors import ValidationFailed
from kg.graphjson import write_graph_json
from kg.stats import graph_stats, summary_line

__all__ = ["COMMANDS"]


def report(result: BuildResult, *, strict: bool = False) -> None:
    """Print every problem, one line each, on stderr; raise if the build must stop."""
    for problem in result.problems:
        click.echo(str(problem), err=True)
    failing = result.errors + (result.warnings if strict else [])
    if failing:
        raise ValidationFailed(list(failing))


@click.command()
@click.option("--strict", is_flag=True, help="Treat warnings (such as shared aliases) as errors.")
@click.option(
    "--shacl", "shacl_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None, help="Check this RDF file against the SHACL shapes of the schema instead.",
)  # fmt: skip
@click.pass_context
@pass_app
def validate(app: AppContext, ctx: click.Context, strict: bool, shacl_file: Path | None) -> None:
    """Check the schema, articles and annotations; print each problem as file:line.

    Exits 1 when there are errors (or warnings, with --strict). With --shacl FILE, checks
    an RDF file against the SHACL shapes generated from the schema (as 'kg shacl FILE').

    \b
    Example:
      kg validate
      kg --workspace ~/my-workspace validate --strict
      kg validate --shacl exports/graph.ttl
    """
    if shacl_file is not None:
        from kg.cli.rdf import shacl

        ctx.invoke(shacl, file=shacl_file, shapes_file=None)
        return
    result = app.workspace.build()
    report(result, strict=strict)
    click.echo(f"ok: {summary_line(result.graph)}; {len(result.warnings)} warning(s)")


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the graph (default: exports/graph.json).",
)
@pass_app
def build(app: AppContext, output: Path | None) -> None:
    """Build the graph from seeds/ and write it as graph.json (see README for the format).

    Nothing is written when validation finds errors.

    \b
    Example:
      kg build
      kg build -o /tmp/graph.json
    """
    schema = app.workspace.load_schema()
    result = app.workspace.build(schema)
    report(result)
    target = output or app.workspace.exports_dir / "graph.json"
    write_graph_json(result.graph, schema, target)
    click.echo(f"wrote {target}: {summary_line(result.graph)}")


@click.command()
@format_option()
@pass_app
def stats(app: AppContext, fmt: str) -> None:
    """Count documents, entities by type, incidents by kind, claims by stance, relations by type.

    \b
    Example:
      kg stats
      kg stats --format json
    """
    result = app.workspace.build()
    report(result)
    click.echo(render(graph_stats(result.graph), ["section", "type", "count"], fmt))


COMMANDS = [validate, build, stats]

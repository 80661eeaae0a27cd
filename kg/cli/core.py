"""Commands on the seeds: validate, build, stats."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import AppContext, pass_app
from kg.cli.output import format_option, jobs_option, output_option, render
from kg.cli.sources import from_option, load_graph, report
from kg.stats import graph_stats

__all__ = ["COMMANDS"]


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
    report(app, result, strict=strict)
    if app.failure is not None:
        raise app.failure
    click.echo(f"ok: {result.summary}; {len(result.warnings)} warning(s)")


@click.command()
@output_option("Where to write the graph (default: exports/graph.json).")
@click.option("--strict", is_flag=True, help="Write nothing if there is any error or warning.")
@jobs_option(
    "Parse and merge in this many processes (the same graph); 0: every core when"
    " many files changed.",
    every_core=True,
)
@pass_app
def build(app: AppContext, output: Path | None, strict: bool, jobs: int) -> None:
    """Build the graph from seeds/ and write it as graph.json (see README for the format).

    The graph holds every accepted annotation file; files with errors are named and left
    out, and the command then exits 1. With --strict nothing is written on any error or
    warning. Unchanged files are not read again (the cache is in .kg/).

    \b
    Example:
      kg build
      kg build --strict -o /tmp/graph.json
      kg build --jobs 2
    """
    schema = app.workspace.load_schema()
    result = app.workspace.build(schema, jobs=jobs)
    report(app, result, strict=strict)
    target = output or app.workspace.exports_dir / "graph.json"
    if app.workspace.is_written(target, result):
        click.echo(f"unchanged {target}: {result.summary}")
        return
    result.write_to(target, schema)
    app.workspace.mark_written(target, result)
    click.echo(f"wrote {target}: {result.summary}")


@click.command()
@format_option()
@from_option()
@pass_app
def stats(app: AppContext, fmt: str, source: str) -> None:
    """Count documents, entities by type, incidents by kind, claims by stance, relations by type.

    \b
    Example:
      kg stats
      kg stats --format json
      kg stats --from exports/graph.json
    """
    if source == "seeds":  # counted at build time: an unchanged build reads no graph
        result = app.workspace.build()
        report(app, result)
        rows = result.stats if result.stats is not None else graph_stats(result.graph)
    else:
        rows = graph_stats(load_graph(app, source)[0])
    click.echo(render(rows, ["section", "type", "count"], fmt))


COMMANDS = [validate, build, stats]

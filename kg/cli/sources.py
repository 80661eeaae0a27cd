"""Where a command reads its graph from: the workspace's seeds, a graph.json, or Neo4j."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.build import BuildResult
from kg.cli import AppContext
from kg.errors import InputError, ValidationFailed
from kg.model import Graph
from kg.schema import Schema
from kg.sinks import SINKS, readable

__all__ = ["SOURCES", "from_option", "load_graph", "report"]

SOURCES = ("seeds", "neo4j")
"""The sources that are not files; a file source is any file a sink of ``kg.sinks`` reads."""
F = TypeVar("F", bound=Callable[..., Any])


def _source(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value in SOURCES:
        return value
    if not Path(value).is_file():
        raise click.BadParameter(
            f"{value!r}: use seeds, neo4j, or an existing file (graph.json or an RDF export)"
        )
    try:
        readable(Path(value))
    except InputError as exc:
        raise click.BadParameter(exc.message) from None
    return value


def from_option() -> Callable[[F], F]:
    """The ``--from seeds|neo4j|FILE`` option of every command that reads a graph."""
    return click.option(
        "--from",
        "source",
        default="seeds",
        show_default=True,
        callback=_source,
        help="Read the graph from the workspace's seeds, from Neo4j (NEO4J_URI...), or from"
        " a file: graph.json (kg build) or an RDF export (.ttl, .nt, .jsonld, .trig, .nq).",
    )


def report(app: AppContext, result: BuildResult, *, strict: bool = False) -> None:
    """Print every problem on stderr; stop now with --strict, else fail once the work is done.

    A build with rejected files is still a build: the command goes on with the accepted
    files, names the rejected ones, and exits 1 at the end.
    """
    for notice in result.notices:
        click.echo(f"kg: warning: {notice}", err=True)
    show_problems(app, result)
    failing = result.errors + (result.warnings if strict else [])
    if strict and failing:
        raise ValidationFailed(list(failing))
    if result.errors:
        rejected = ", ".join(result.rejected)
        click.echo(f"rejected: {rejected}" if rejected else "rejected: none", err=True)
        app.failure = ValidationFailed(list(result.errors))


def show_problems(app: AppContext, result: BuildResult) -> None:
    """Print each problem of a build on stderr. Files are named from the workspace's folder
    (the cache's keys: the same from any folder), which is said first when the command runs
    from another one."""
    if not result.problems:
        return
    root = app.workspace.root.resolve()
    if Path.cwd().resolve() != root:
        click.echo(f"kg: files are named from the workspace {root}", err=True)
    for problem in result.problems:
        click.echo(str(problem), err=True)


def load_graph(app: AppContext, source: str) -> tuple[Graph, Schema]:
    """The graph and schema for a command: from neo4j, a file a sink reads, or the seeds."""
    schema = app.workspace.load_schema()
    if source == "neo4j":
        from kg.cli.neo4j import settings

        return SINKS["neo4j"].read(settings(app, None, None), schema), schema
    if source != "seeds":
        return readable(Path(source)).read(Path(source), schema), schema
    result = app.workspace.build(schema)
    report(app, result)
    return result.graph, schema

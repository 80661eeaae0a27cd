"""Where a command reads its graph from: the workspace's seeds, a graph.json, or Neo4j."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.build import BuildResult
from kg.cli import AppContext
from kg.errors import ValidationFailed
from kg.model import Graph
from kg.schema import Schema

__all__ = ["SOURCES", "from_option", "load_graph", "report"]

SOURCES = ("seeds", "neo4j")
F = TypeVar("F", bound=Callable[..., Any])


def _source(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value in SOURCES or (value.endswith(".json") and Path(value).is_file()):
        return value
    raise click.BadParameter(f"{value!r}: use seeds, neo4j, or an existing graph.json file")


def from_option() -> Callable[[F], F]:
    """The ``--from seeds|neo4j|FILE.json`` option of every command that reads a graph."""
    return click.option(
        "--from",
        "source",
        default="seeds",
        show_default=True,
        callback=_source,
        help="Read the graph from the workspace's seeds, from Neo4j (NEO4J_URI...), or from"
        " a graph.json file (kg build, kg import rdf).",
    )


def report(app: AppContext, result: BuildResult, *, strict: bool = False) -> None:
    """Print every problem on stderr; stop now with --strict, else fail once the work is done.

    A build with rejected files is still a build: the command goes on with the accepted
    files, names the rejected ones, and exits 1 at the end.
    """
    for notice in result.notices:
        click.echo(f"kg: warning: {notice}", err=True)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    failing = result.errors + (result.warnings if strict else [])
    if strict and failing:
        raise ValidationFailed(list(failing))
    if result.errors:
        rejected = ", ".join(result.rejected)
        click.echo(f"rejected: {rejected}" if rejected else "rejected: none", err=True)
        app.failure = ValidationFailed(list(result.errors))


def load_graph(app: AppContext, source: str) -> tuple[Graph, Schema]:
    """The graph and schema for a command: from neo4j, a graph.json, or the seeds."""
    schema = app.workspace.load_schema()
    if source == "neo4j":
        from kg.cli.neo4j import read_graph_from_neo4j

        return read_graph_from_neo4j(app, schema), schema
    if source != "seeds":
        from kg.graphjson import read_graph_json

        return read_graph_json(Path(source), schema), schema
    result = app.workspace.build(schema)
    report(app, result)
    return result.graph, schema

"""Where a command reads its graph from: the workspace's seeds, or the Neo4j database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from kg.cli import AppContext
from kg.errors import ValidationFailed
from kg.model import Graph
from kg.schema import Schema

__all__ = ["SOURCES", "from_option", "load_graph"]

SOURCES = ("seeds", "neo4j")
F = TypeVar("F", bound=Callable[..., Any])


def from_option() -> Callable[[F], F]:
    """The ``--from seeds|neo4j`` option of every command that reads a graph."""
    return click.option(
        "--from",
        "source",
        type=click.Choice(SOURCES),
        default="seeds",
        show_default=True,
        help="Read the graph from the workspace's seeds, or from Neo4j (NEO4J_URI...).",
    )


def load_graph(app: AppContext, source: str) -> tuple[Graph, Schema]:
    """The graph and schema for a command; seeds must validate without errors."""
    schema = app.workspace.load_schema()
    if source == "neo4j":
        from kg.cli.neo4j import read_graph_from_neo4j

        return read_graph_from_neo4j(app, schema), schema
    result = app.workspace.build(schema)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if result.errors:
        raise ValidationFailed(list(result.errors))
    return result.graph, schema

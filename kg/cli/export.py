"""The ``kg export`` group; formats register their subcommands on it (rdf, graph)."""

from __future__ import annotations

import click

__all__ = ["COMMANDS", "export"]


@click.group()
def export() -> None:
    """Export the graph to other formats.

    \b
    Example:
      kg export rdf --format turtle -o exports/graph.ttl
      kg export graph --format graphml -o exports/graph.graphml
    """


COMMANDS = [export]

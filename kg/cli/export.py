"""The ``kg export`` group: its subcommands come from the sink registry (``kg.sinks``)."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from kg.cli import AppContext, pass_app
from kg.cli.output import is_stdout, output_option, written_to
from kg.cli.sources import from_option, load_graph
from kg.errors import InputError
from kg.sinks import SINKS, sink_for_format
from kg.stats import summary_line

__all__ = ["COMMANDS", "export", "export_json_command"]

_SUBCOMMANDS = {
    **{sink.name: (sink.command, sink.description) for sink in SINKS.values() if sink.command},
    "ontology": ("kg.cli.rdf:export_ontology", "the OWL/RDFS ontology generated from schema/"),
    "shapes": ("kg.cli.rdf:export_shapes", "the SHACL shapes generated from schema/"),
}
"""Subcommand -> (``module:command``, short help); imported on first use, so rdflib and
networkx load only when a subcommand runs."""


class ExportGroup(click.Group):
    """Lists the sinks' subcommands; ``kg export FORMAT`` runs the sink writing FORMAT."""

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        found = {name: self.get_command(None, name) for name in _SUBCOMMANDS}  # type: ignore[arg-type]
        return {name: command for name, command in found.items() if command is not None}

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        pass  # the subcommands come from the registry

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _SUBCOMMANDS:
            return None
        module, _, attr = _SUBCOMMANDS[cmd_name][0].partition(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, _SUBCOMMANDS[name][1]) for name in sorted(_SUBCOMMANDS)])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        sink = sink_for_format(args[0]) if args and args[0] not in _SUBCOMMANDS else None
        if sink is not None and sink.command is not None:
            command = self.get_command(ctx, sink.name)
            return sink.name, command, ["--format", args[0], *args[1:]]
        return super().resolve_command(ctx, args)


@click.group(cls=ExportGroup)
def export() -> None:
    """Export the graph to other formats.

    The subcommands are the sinks that write files (rdf, graph) and the schema's ontology and
    shapes; a format name runs the sink that writes it ('kg export turtle' = 'kg export rdf --format
    turtle', 'kg export gexf' = 'kg export graph --format gexf').

    \b
    Example:
      kg export rdf --format turtle -o exports/graph.ttl
      kg export trig -o exports/graph.trig
      kg export graph --format graphml -o exports/full.graphml
      kg export graph --from exports/graph.ttl -o exports/from-rdf.graphml
    """


COMMANDS = [export]


@click.command("json")
@from_option()
@output_option(
    "Where to write ('-': standard output; default: exports/graph-from-<source>.json).", dash=True
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@pass_app
def export_json_command(app: AppContext, source: str, output: Path | None, force: bool) -> None:
    """Export the graph as graph.json (kg's own lossless file, the one kg build writes) from
    any source: a Neo4j database, an RDF file, or the seeds. An existing file is never
    overwritten without --force (exports/graph.json is kg build's).

    \b
    Example:
      kg export json --from neo4j -o exports/from-neo4j.json
      kg export json --from exports/graph.ttl -o - | head
    """
    stem = "graph-from-" + (source if source in ("seeds", "neo4j") else Path(source).stem)
    default = app.workspace.exports_dir / SINKS["json"].default_name("json", stem)
    if not is_stdout(output) and (output or default).exists() and not force:
        raise InputError(f"{output or default} exists: give another -o, or --force to overwrite it")
    graph, schema = load_graph(app, source)
    with written_to(output, default) as target:
        SINKS["json"].write(graph, schema, target)
    shown = "standard output" if is_stdout(output) else target
    click.echo(
        f"wrote {shown}: {summary_line(graph)}",
        err=is_stdout(output),
    )

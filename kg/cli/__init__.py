"""The ``kg`` command line: a thin shell over the library (one module per group of commands)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg import __version__
from kg.config import Value, resolve
from kg.errors import KgError

if TYPE_CHECKING:
    from kg.workspace import Workspace

__all__ = ["AppContext", "main", "pass_app"]


class AppContext:
    """What every command shares: the global options and the workspace, found on first use."""

    def __init__(self, workspace: Path | None) -> None:
        self._explicit = workspace
        self._workspace: Workspace | None = None
        self.failure: KgError | None = None
        """A failure reported once the command has done what it could (a partial build)."""

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from kg.workspace import find_workspace

            self._workspace = find_workspace(Path.cwd(), self._explicit)
        return self._workspace

    def config(self, **options: str | None) -> dict[str, Value]:
        """Effective settings: ``options`` (keyed like ``neo4j.uri``) > environment > kg.toml."""
        return resolve(options, os.environ, self.workspace.file_config())

    def setting(self, key: str, option: str | None = None) -> str | None:
        """One effective setting (see ``kg config``)."""
        return self.config(**{key: option})[key].value


pass_app = click.make_pass_decorator(AppContext)


# Where each top-level command lives, and its one-line help (shown by ``kg --help`` without
# importing the module: the Neo4j driver, rdflib and networkx load only when used). A test
# checks this table against the commands themselves.
_COMMANDS: dict[str, tuple[str, str]] = {
    "build": (
        "core",
        "Build the graph from seeds/ and write it as graph.json (see README for the format).",
    ),
    "centrality": (
        "network",
        "Rank actors by centrality: degree, betweenness, pagerank, eigenvector, closeness.",
    ),
    "config": (
        "workspace",
        "Print the effective configuration and where each value comes from (password masked).",
    ),
    "draw": (
        "network",
        "Draw a projection: nodes coloured by type, sized by a centrality measure.",
    ),
    "eval": ("extract", "Score draft annotations against curated ones: precision, recall and F1."),
    "export": ("export", "Export the graph to other formats."),
    "extract": ("extract", "Draft annotations for articles the workspace has never seen."),
    "import": ("rdf", "Import a graph from other formats."),
    "init": (
        "workspace",
        "Create a workspace: default schema and queries, empty seeds/, exports/, kg.toml, README.",
    ),
    "load": (
        "neo4j",
        "Load the graph from seeds/ into Neo4j, writing only what changed since the last load.",
    ),
    "neo4j": ("neo4j", "Run a local Neo4j Community server from Maven Central (no Docker needed)."),
    "query": ("neo4j", "Run a named query from queries/ (or -c CYPHER); read-only unless --write."),
    "shacl": ("rdf", "Validate an RDF file (any format kg writes) against the SHACL shapes."),
    "stats": (
        "core",
        "Count documents, entities by type, incidents by kind, claims by stance, relations by"
        " type.",
    ),
    "synth": (
        "synth",
        "Write a workspace of realistic synthetic articles with curated-style annotations.",
    ),
    "validate": (
        "core",
        "Check the schema, articles and annotations; print each problem as file:line.",
    ),
}


class KgGroup(click.Group):
    """Turns every KgError into one line on stderr and its exit code: never a traceback.

    Commands are imported on first use; ``commands`` (all of them) imports every module.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._loaded: dict[str, click.Command] = {}
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        for name in _COMMANDS:
            self.get_command(None, name)  # type: ignore[arg-type]
        return self._loaded

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._loaded = dict(value)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        self._loaded[name or cmd.name or ""] = cmd

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(_COMMANDS) | set(self._loaded))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self._loaded and cmd_name in _COMMANDS:
            import importlib

            module = importlib.import_module(f"kg.cli.{_COMMANDS[cmd_name][0]}")
            for command in module.COMMANDS:
                self._loaded.setdefault(command.name, command)
        return self._loaded.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        rows = [
            (name, click.Command(name, help=_COMMANDS[name][1]).get_short_help_str(limit))
            for name in self.list_commands(ctx)
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            value = super().invoke(ctx)
            failure = ctx.obj.failure if isinstance(ctx.obj, AppContext) else None
            if failure is not None:
                raise failure
            return value
        except KgError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option(
    "--workspace",
    "-w",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Workspace folder (default: the nearest folder at or above the current one with "
    "kg.toml, or with schema/ and seeds/).",
)
@click.pass_context
def main(ctx: click.Context, workspace: Path | None) -> None:
    """kg: news and analysis articles -> a knowledge graph with every fact traced to its sentence.

    \b
    Typical session:
      kg validate          check schema, articles and annotations
      kg build             write exports/graph.json
      kg stats             count what the graph holds
    """
    ctx.obj = AppContext(workspace)


def run() -> None:  # pragma: no cover - used by python -m kg
    main(prog_name="kg", args=sys.argv[1:])

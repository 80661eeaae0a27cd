"""The ``kg`` command line: a thin shell over the library (one module per group of commands)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.config import Value, resolve
from kg.errors import KgError
from kg.workspace import Workspace, find_workspace

__all__ = ["AppContext", "main", "pass_app"]


class AppContext:
    """What every command shares: the global options and the workspace, found on first use."""

    def __init__(self, workspace: Path | None) -> None:
        self._explicit = workspace
        self._workspace: Workspace | None = None

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = find_workspace(Path.cwd(), self._explicit)
        return self._workspace

    def config(self, **options: str | None) -> dict[str, Value]:
        """Effective settings: ``options`` (keyed like ``neo4j.uri``) > environment > kg.toml."""
        return resolve(options, os.environ, self.workspace.file_config())

    def setting(self, key: str, option: str | None = None) -> str | None:
        """One effective setting (see ``kg config``)."""
        return self.config(**{key: option})[key].value


pass_app = click.make_pass_decorator(AppContext)


class KgGroup(click.Group):
    """Turns every KgError into one line on stderr and its exit code: never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
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


# Each module lists its commands in COMMANDS; add a module here to put it on the command line.
_COMMAND_MODULES = ("core", "workspace", "export", "neo4j", "network", "rdf", "extract", "synth")


def _register() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        module = importlib.import_module(f"kg.cli.{name}")
        for command in module.COMMANDS:
            main.add_command(command)


_register()


def run() -> None:  # pragma: no cover - used by python -m kg
    main(prog_name="kg", args=sys.argv[1:])

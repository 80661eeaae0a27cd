"""Workspace commands: kg init and kg config."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import AppContext, pass_app
from kg.cli.output import format_option, render
from kg.init import init_workspace

__all__ = ["COMMANDS"]


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def init(directory: Path, force: bool) -> None:
    """Create a workspace: default schema and queries, empty seeds/, exports/, kg.toml, README.

    Refuses to overwrite existing files unless --force.

    \b
    Example:
      kg init ~/cases/border-security
      cd ~/cases/border-security && kg validate && kg build
    """
    created = init_workspace(directory, force=force)
    click.echo(f"created a kg workspace in {directory} ({len(created)} files)")
    click.echo("next: add articles and annotations under seeds/, then run 'kg validate'")


@click.command("config")
@format_option()
@pass_app
def config(app: AppContext, fmt: str) -> None:
    """Print the effective configuration and where each value comes from (password masked).

    Precedence: command-line option > environment variable > kg.toml > default.

    \b
    Example:
      kg config
      NEO4J_DATABASE=news kg config --format json
    """
    rows = [
        {"setting": key, "value": value.shown(), "origin": value.origin,
         "variable": value.setting.env, "description": value.setting.description}
        for key, value in app.config().items()
    ]  # fmt: skip
    click.echo(f"workspace: {app.workspace.root}", err=True)
    click.echo(render(rows, ["setting", "value", "origin", "variable", "description"], fmt))


COMMANDS = [init, config]

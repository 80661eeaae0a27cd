"""The command line: every command documented with an example, thin over the library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg import __version__
from kg.cli import main
from kg.model import Graph

from .conftest import ROOT


def all_commands(group: click.Group, prefix: str = "kg") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, path))
    return found


@pytest.mark.parametrize(
    ("path", "command"), all_commands(main), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_command_has_help_with_an_example(path: str, command: click.Command) -> None:
    assert command.help and "Example" in command.help, f"{path} needs help text with an Example"
    args = [*path.split()[1:], "--help"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "Example" in result.output


def test_readme_documents_every_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    missing = [
        path
        for path, cmd in all_commands(main)
        if not isinstance(cmd, click.Group) and path not in readme
    ]
    assert not missing, f"README.md does not mention: {missing}"


def test_validate_build_stats_on_the_repository(tmp_path: Path, seed_graph: Graph) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--workspace", str(ROOT), "validate"])
    assert result.exit_code == 0 and result.output.startswith("ok: 1 document, ")
    out = tmp_path / "graph.json"
    result = runner.invoke(main, ["--workspace", str(ROOT), "build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text("utf-8"))["entities"]) == len(seed_graph.entities)
    result = runner.invoke(main, ["--workspace", str(ROOT), "stats", "--format", "json"])
    rows = json.loads(result.output)
    persons = next(r for r in rows if r["section"] == "entities" and r["type"] == "Person")
    assert persons["count"] == sum(1 for e in seed_graph.entities.values() if e.type == "Person")
    table = runner.invoke(main, ["--workspace", str(ROOT), "stats"]).output
    assert table.splitlines()[0].split() == ["section", "type", "count"]


def test_workspace_is_found_from_a_subfolder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "seeds" / "articles")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output


def test_no_workspace_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert "kg: error: no kg workspace at or above" in result.output
    result = CliRunner().invoke(main, ["--workspace", str(tmp_path), "build"])
    assert result.exit_code == 1 and "is not a kg workspace" in result.output


def test_python_dash_m_and_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0 and __version__ in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "kg", "stats", "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("section,type,count")

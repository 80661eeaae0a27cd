"""The command line starts without the heavy libraries: they load only in the commands using them."""

from __future__ import annotations

import subprocess
import sys

import click

from kg.cli import _COMMANDS, main

HEAVY = ("neo4j", "rdflib", "networkx", "matplotlib", "pyshacl")

_PROBE = """
import sys
from click.testing import CliRunner
from kg.cli import main
for args in (["--version"], ["--help"]):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
print(" ".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def test_help_and_version_import_none_of_the_heavy_libraries() -> None:
    code = _PROBE.format(heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_command_that_needs_a_library_still_gets_it() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom kg.cli import main\n"
        "CliRunner().invoke(main, ['centrality', '--help'])\nprint('networkx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_the_help_table_matches_the_commands() -> None:
    commands = main.commands
    assert set(commands) == set(_COMMANDS)
    for name, command in commands.items():
        module, short = _COMMANDS[name]
        assert command.callback is not None or isinstance(command, click.Group)
        assert command.get_short_help_str(1000) == short, name
        owner = command.callback.__module__ if command.callback else ""
        assert owner == f"kg.cli.{module}", name

"""The documentation runs: every `kg` example in README.md and docs/*.md, and the commands table.

Convention: in a fenced block opened with ```sh every line starting with ``kg `` is run with
bash, from a copy of the repository (the seed workspace), with the venv's ``kg`` first on
PATH; it must exit 0 and print something (or write a file), and a ``kg query`` must return
at least one row. Lines run in document order (README.md first, then docs/ by name), in one
copy, so an example may use a file an earlier one wrote. Blocks opened with ```sh neo4j need
a server: tests/integration/test_docs_neo4j.py runs them. ```text and ```console blocks are
not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from kg.cli import main

from .conftest import ROOT
from .test_cli import all_commands

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(\S*)\s*(.*)$")
_COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", ".kg", "build", "dist", "*.egg-info", ".*_cache", "__pycache__", ".hypothesis"
)


@dataclass(frozen=True)
class Example:
    """One command line of the documentation and where it is."""

    file: str
    line: int
    command: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def examples(neo4j: bool) -> list[Example]:
    """The ``kg`` lines of ```sh blocks (``neo4j``: of ```sh neo4j blocks instead)."""
    found = []
    for path in DOCS:
        kind: tuple[str, str] | None = None
        for number, text in enumerate(path.read_text("utf-8").splitlines(), 1):
            fence = _FENCE.match(text)
            if fence:
                kind = None if kind is not None else (fence.group(1), fence.group(2))
                continue
            runs = kind is not None and kind[0] == "sh" and (kind[1] == "neo4j") == neo4j
            if runs and text.startswith("kg "):
                found.append(Example(path.relative_to(ROOT).as_posix(), number, text))
    return found


def seed_copy(target: Path) -> Path:
    """A copy of the repository to run examples in, so they never change the real one."""
    shutil.copytree(ROOT, target, ignore=_COPY_IGNORE)
    (target / "home").mkdir()
    return target


def run_example(example: Example, workspace: Path) -> None:
    """Run one example line and check it exited 0 and showed something."""
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(workspace / "home"),
    }
    before = {p: p.stat().st_mtime_ns for p in workspace.rglob("*") if p.is_file()}
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {example.command}"],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    shown = f"{example}: {example.command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert done.returncode == 0, shown
    written = [
        p
        for p in workspace.rglob("*")
        if p.is_file() and before.get(p) != p.stat().st_mtime_ns and p.stat().st_size > 0
    ]
    assert done.stdout.strip() or done.stderr.strip() or written, f"nothing shown: {shown}"
    if example.command.startswith("kg query") and "--list" not in example.command:
        assert "(0 rows)" not in done.stderr, f"the query returns nothing: {shown}"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_copy(tmp_path_factory.mktemp("docs") / "repo")


@pytest.mark.slow
@pytest.mark.parametrize("example", examples(neo4j=False), ids=str)
def test_documented_example_runs(example: Example, workspace: Path) -> None:
    run_example(example, workspace)


def test_examples_are_found() -> None:
    """The parser sees the examples (a broken fence would silently skip them)."""
    plain, server = examples(neo4j=False), examples(neo4j=True)
    assert len(plain) >= 40 and len(server) >= 10
    assert {e.file for e in plain} >= {"README.md", "docs/rdf.md", "docs/networks.md"}


def commands_table(readme: str) -> set[str]:
    """The `kg ...` names in the first column of the table under '## Commands'."""
    section = readme.split("\n## Commands", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(kg [a-z0-9 -]+?)`", section, re.MULTILINE))


def test_readme_commands_table_lists_every_command() -> None:
    table = commands_table((ROOT / "README.md").read_text("utf-8"))
    commands = {path for path, cmd in all_commands(main) if not isinstance(cmd, click.Group)}
    assert commands - table == set(), "missing from README.md's commands table"
    assert table - commands == set(), "README.md's commands table names unknown commands"


def test_docs_links_resolve() -> None:
    """Relative links between the documents point at files that exist, except the two
    documents other work adds (named here so that a typo is still caught)."""
    expected_elsewhere = {"docs/corpus.md", "docs/inputs.md"}
    broken = []
    for path in DOCS:
        for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", path.read_text("utf-8")):
            resolved = (path.parent / target).resolve()
            relative = resolved.relative_to(ROOT).as_posix() if ROOT in resolved.parents else ""
            if not resolved.exists() and relative not in expected_elsewhere:
                broken.append(f"{path.relative_to(ROOT)} -> {target}")
    assert broken == []

"""The documentation's Neo4j examples (```sh neo4j blocks) run against the real server.

The seed graph is loaded first; lines that start or stop the local server (``kg neo4j
start``, ``kg neo4j stop``) are not run: the test suite provides the server (NEO4J_URI).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.neo4j.connection import Neo4jSettings

from ..test_docs import Example, examples, run_example, seed_copy

pytestmark = [pytest.mark.integration, pytest.mark.slow]

_SERVER_LIFECYCLE = ("kg neo4j start", "kg neo4j stop")
_KNOWN_EMPTY: dict[str, str] = {}


def _cases() -> list[object]:
    cases: list[object] = []
    for example in examples(neo4j=True):
        if example.command.startswith(_SERVER_LIFECYCLE):
            continue
        reason = _KNOWN_EMPTY.get(example.command)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        cases.append(pytest.param(example, marks=marks, id=str(example)))
    return cases


@pytest.fixture(scope="module")
def loaded_workspace(
    tmp_path_factory: pytest.TempPathFactory, neo4j_settings: Neo4jSettings
) -> Path:
    """A copy of the seed workspace whose graph is the only thing in the database."""
    workspace = seed_copy(tmp_path_factory.mktemp("docs-neo4j") / "repo")
    kg = Path(sys.executable).parent / "kg"
    done = subprocess.run(
        [str(kg), "load", "--wipe", "--yes"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return workspace


@pytest.mark.parametrize("example", _cases())
def test_documented_neo4j_example_runs(example: Example, loaded_workspace: Path) -> None:
    run_example(example, loaded_workspace)

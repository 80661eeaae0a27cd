"""The wheel works outside the repository: build it, install it in a fresh venv, run a workspace."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from kg import __version__

from .conftest import ROOT

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


def test_wheel_installs_and_runs_a_workspace_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert "Warning" not in built.stderr, (
        built.stderr
    )  # e.g. setuptools' "Package would be ignored"
    (wheel,) = dist.glob("kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kg/defaults/schema/entities.yaml" in names
    assert "kg/defaults/queries/incidents-timeline.cypher" in names
    assert "kg/neo4j/cypher/merge_nodes.cypher" in names
    assert "kg/defaults/seeds/gazetteer.yaml" in names
    assert not any(n.startswith("kg/defaults/seeds/articles") for n in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", wheel, cwd=tmp_path)
    kg = env_dir / "bin" / "kg"
    assert __version__ in run(kg, "--version", cwd=tmp_path)
    run(kg, "init", tmp_path / "ws", cwd=tmp_path)
    workspace = tmp_path / "ws"
    assert (workspace / "seeds" / "gazetteer.yaml").is_file()
    (workspace / "seeds" / "articles" / "a.md").write_text(
        "---\ntitle: A\ndate: 2004-08\n---\nThe KNB detained two men in Shymkent on August 3.\n",
        "utf-8",
    )
    (workspace / "seeds" / "annotations" / "a.yaml").write_text(
        "document: a\nentities:\n  - {id: org:knb, type: Organisation, name: KNB}\n"
        "  - {id: plc:shymkent, type: Place, kind: city, name: Shymkent}\n"
        "incidents:\n  - kind: detention\n    title: Two men detained\n    date: August 3\n"
        "    place: Shymkent\n    participants: [{entity: KNB, role: initiator}]\n"
        "    evidence: [{quote: The KNB detained two men in Shymkent on August 3}]\n",
        "utf-8",
    )
    assert run(kg, "validate", cwd=workspace).startswith("ok: 1 document, 2 entities, 1 incident")
    run(kg, "build", cwd=workspace)
    graph = (workspace / "exports" / "graph.json").read_text("utf-8")
    assert '"date": "2004-08-03"' in graph
    assert "entities,Organisation,1" in run(kg, "stats", "--format", "csv", cwd=workspace)
    located = run(
        python,
        "-c",
        "import kg, kg.defaults; print(kg.__file__, kg.defaults.schema())",
        cwd=tmp_path,
    )
    assert str(ROOT) not in located, f"kg was imported from the repository: {located}"

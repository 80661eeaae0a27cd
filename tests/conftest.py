"""Shared fixtures: the repository workspace, its schema and seed graph, and scratch workspaces."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.build import BuildResult
from kg.model import Graph
from kg.schema import Schema, load_schema
from kg.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
SEED_STEM = "edm-2004-v1-i75-kazakh-uzbek-security"


@pytest.fixture(scope="session")
def repo() -> Workspace:
    return Workspace(ROOT)


@pytest.fixture(scope="session")
def schema() -> Schema:
    return load_schema(ROOT / "schema")


@pytest.fixture(scope="session")
def seed_result(repo: Workspace, schema: Schema) -> BuildResult:
    return repo.build(schema)


@pytest.fixture(scope="session")
def seed_graph(seed_result: BuildResult) -> Graph:
    assert seed_result.ok, [str(p) for p in seed_result.problems]
    return seed_result.graph


MINI_ARTICLE = """\
---
title: Border post attacked near Osh
publication: Test Fixture Monitor
date: 2005-03-14
---
Gunmen attacked a border post near Osh on March 12, the Kyrgyz interior ministry said.
"""

MINI_ANNOTATION = """\
document: mini
entities:
  - id: plc:osh
    type: Place
    kind: city
    name: Osh
  - id: org:kyrgyz-interior-ministry
    type: Organisation
    kind: government_body
    name: Kyrgyz interior ministry
incidents:
  - id: inc:osh-border-post-attack
    kind: attack
    title: Attack on a border post near Osh
    date: March 12
    place: plc:osh
    evidence:
      - quote: "Gunmen attacked a border post near Osh on March 12"
claims:
  - speaker: org:kyrgyz-interior-ministry
    stance: asserts
    content: Gunmen attacked a border post near Osh.
    about: [inc:osh-border-post-attack]
    evidence:
      - quote: "the Kyrgyz interior ministry said"
"""


class ScratchWorkspace:
    """A temporary workspace: the real schema, the seed article, and files a test adds."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(ROOT / "schema", root / "schema")
        (root / "seeds" / "articles").mkdir(parents=True)
        (root / "seeds" / "annotations").mkdir(parents=True)
        for sub, suffix in (("articles", ".md"), ("annotations", ".yaml")):
            shutil.copy(ROOT / "seeds" / sub / f"{SEED_STEM}{suffix}", root / "seeds" / sub)
        self.write("seeds/articles/mini.md", MINI_ARTICLE)
        self.workspace = Workspace(root)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def annotate(self, text: str, name: str = "mini") -> Path:
        return self.write(f"seeds/annotations/{name}.yaml", text)


@pytest.fixture
def scratch(tmp_path: Path) -> ScratchWorkspace:
    return ScratchWorkspace(tmp_path / "ws")


ScratchFactory = Callable[[], ScratchWorkspace]

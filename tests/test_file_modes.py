"""Written files get the permissions the user's umask gives, like files from any other tool."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.atomic import write_atomic
from kg.model import Graph
from kg.network import draw_graph, export_graph
from kg.rdf.export import export_rdf
from kg.schema import Schema


@pytest.fixture(params=[0o022, 0o027, 0o002])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_atomic_follows_the_umask(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "out" / "file.txt"
    write_atomic(target, lambda p: p.write_text("x"))
    assert mode(target) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["file.txt"]  # no temporary left


def test_outputs_of_draw_export_and_rdf_follow_the_umask(
    seed_graph: Graph, schema: Schema, tmp_path: Path, umask: int
) -> None:
    png, html = tmp_path / "g.png", tmp_path / "g.html"
    draw_graph(seed_graph, schema, png=png, html=html)
    export_graph(seed_graph, schema, tmp_path / "g.graphml")
    for fmt, name in (("turtle", "g.ttl"), ("nt", "g.nt")):
        export_rdf(seed_graph, schema, fmt, tmp_path / name)
    written = sorted(tmp_path.iterdir())
    assert [p.name for p in written] == ["g.graphml", "g.html", "g.nt", "g.png", "g.ttl"]
    assert {p.name: mode(p) for p in written} == dict.fromkeys(
        (p.name for p in written), 0o666 & ~umask
    )

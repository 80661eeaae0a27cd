"""Shared pieces of the benchmarks: timing runs, the machine, corpora, and Markdown tables."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from kg.build import BuildResult
from kg.model import Graph
from kg.schema import Schema
from kg.synth import synth_workspace
from kg.workspace import Workspace

__all__ = [
    "Corpus",
    "Section",
    "Timing",
    "corpus",
    "machine",
    "measure",
    "ratio",
    "table",
]


@dataclass
class Timing:
    """Seconds of repeated runs of one thing."""

    label: str
    seconds: list[float]
    work: float | None = None
    """Units of work per run (rows, triples...), for a rate."""
    unit: str = ""
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def rate(self) -> str:
        if not self.work or not self.seconds:
            return ""
        return f"{self.work / self.median:,.0f} {self.unit}/s"

    def row(self, baseline: Timing | None = None) -> list[str]:
        runs = len(self.seconds)
        cells = [self.label, str(runs), f"{self.median:.3f}", f"{min(self.seconds):.3f}"]
        cells += [f"{max(self.seconds):.3f}", self.rate()]
        cells.append(ratio(baseline, self) if baseline is not None else "")
        cells.append(self.note)
        return cells


HEADER = ["what", "runs", "median s", "min s", "max s", "throughput", "speed-up", "note"]


def ratio(baseline: Timing | None, faster: Timing) -> str:
    """How many times faster ``faster`` is than ``baseline`` (ratio of the medians)."""
    if baseline is None or not baseline.seconds or not faster.seconds or faster.median <= 0:
        return ""
    return f"{baseline.median / faster.median:.1f}x"


def measure(
    label: str,
    run: Callable[[], Any],
    runs: int,
    *,
    setup: Callable[[], Any] | None = None,
    work: float | None = None,
    unit: str = "",
    note: str = "",
) -> Timing:
    """Time ``runs`` calls of ``run``, each after an untimed ``setup``."""
    seconds = []
    for _ in range(runs):
        if setup is not None:
            setup()
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return Timing(label, seconds, work, unit, note)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


@dataclass
class Section:
    """One part of RESULTS.md: a title, a paragraph and tables."""

    title: str
    text: list[str] = field(default_factory=list)

    def add(self, *paragraphs: str) -> None:
        self.text.extend(paragraphs)

    def timings(self, timings: Sequence[Timing], baseline: Timing | None = None) -> None:
        self.text.append(table(HEADER, [t.row(baseline) for t in timings]))

    def render(self) -> str:
        return f"## {self.title}\n\n" + "\n\n".join(self.text) + "\n"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        return "not found"
    done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[0] if lines else "unknown"


def _meminfo() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(neo4j_server: str) -> list[list[str]]:
    """What the numbers were measured on."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    rows = [
        ["CPU", f"{_cpu()}, {os.cpu_count()} cores"],
        ["memory", _meminfo()],
        ["load average at start (1, 5, 15 min)", ", ".join(f"{x:.2f}" for x in load)],
        ["OS", platform.platform()],
        ["Python", sys.version.split()[0]],
        ["Java", _java()],
        ["Neo4j server", neo4j_server],
    ]
    for package in ("neo4j", "networkx", "rustworkx", "rdflib", "pyoxigraph", "numpy", "scipy"):
        rows.append([package, _version(package)])
    return rows


@dataclass
class Corpus:
    """A synthetic workspace and the graph built from it."""

    articles: int
    root: Path
    graph: Graph
    schema: Schema
    build_seconds: float
    result: BuildResult

    def counts(self) -> dict[str, int]:
        g = self.graph
        return {
            "documents": len(g.documents),
            "entities": len(g.entities),
            "incidents": len(g.incidents),
            "claims": len(g.claims),
            "relations": len(g.relations),
        }


_CORPORA: dict[int, Corpus] = {}


def corpus(articles: int, work: Path, seed: int = 1) -> Corpus:
    """The synthetic corpus of ``articles`` articles (generated once per run of the bench)."""
    if articles in _CORPORA:
        return _CORPORA[articles]
    root = work / f"corpus-{articles}"
    synth_workspace(root, articles, seed, force=True)
    workspace = Workspace(root)
    schema = workspace.load_schema()
    started = time.perf_counter()
    result = workspace.build(schema, cached=False)  # a cold build: the cache is measured apart
    seconds = time.perf_counter() - started
    if not result.ok:
        raise RuntimeError(f"synthetic corpus does not build: {result.errors[:3]}")
    _CORPORA[articles] = Corpus(articles, root, result.graph, schema, seconds, result)
    return _CORPORA[articles]

"""One stage of the end-to-end pipeline, run as its own process; prints seconds and peak RSS.

Usage: stage.py STAGE WORKSPACE, or stage.py exec -- COMMAND... (a command as a child).
The stages after `build` read the workspace's exports/graph.json (written by `kg build`).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

from procmem import memory, tree

from kg.graphjson import graph_from_dict
from kg.model import Graph
from kg.schema import Schema
from kg.workspace import Workspace


def _graph(root: Path) -> tuple[Graph, Schema]:
    workspace = Workspace(root)
    schema = workspace.load_schema()
    data = json.loads((root / "exports" / "graph.json").read_text(encoding="utf-8"))
    return graph_from_dict(data, schema), schema


def _run(stage: str, root: Path) -> dict[str, object]:
    graph, schema = _graph(root)
    out = root / "exports"
    if stage == "load":
        from kg.neo4j.connection import Neo4jSettings, connect
        from kg.neo4j.loader import load_graph, wipe

        settings = Neo4jSettings(
            uri=os.environ["NEO4J_URI"], password=os.environ.get("NEO4J_PASSWORD"), timeout=60
        )
        driver = connect(settings)
        wipe(driver, settings, schema)
        report = load_graph(driver, settings, graph, schema)
        driver.close()
        return {"rows": report.nodes + report.relationships}
    if stage in ("turtle", "turtle-oxigraph", "turtle-stream", "nt"):
        from kg.rdf.export import export_rdf

        fmt = "nt" if stage == "nt" else "turtle"
        engine = stage.partition("-")[2] or "rdflib"
        export_rdf(
            graph,
            schema,
            fmt,
            out / f"graph-{stage}.{'nt' if fmt == 'nt' else 'ttl'}",
            engine=engine,
            jobs=0,  # every core for a large graph
        )
        return {}
    if stage == "centrality":
        from kg.network.centrality import centrality_table

        rows = centrality_table(
            graph, schema, ["pagerank", "betweenness"], engine="rustworkx", top=20
        )
        return {"top": rows[0]["id"] if rows else None}
    raise SystemExit(f"unknown stage {stage}")


class _Memory(threading.Thread):
    """The highest sum of the PSS of this process and its descendants (forked workers share
    pages with their parent: PSS counts a shared page once in all), sampled every 0.5 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            total = sum(memory(pid)[0] for pid in tree(os.getpid()))
            self.peak_kib = max(self.peak_kib, total)


def main() -> None:
    started = time.perf_counter()
    memory = _Memory()
    if os.path.exists("/proc/self/smaps_rollup"):
        memory.start()
    if sys.argv[1] == "exec":
        done = subprocess.run(sys.argv[3:], check=False, stdout=subprocess.DEVNULL)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        extra: dict[str, object] = {"rc": done.returncode}
    else:
        extra = _run(sys.argv[1], Path(sys.argv[2]))
        peak = max(
            resource.getrusage(who).ru_maxrss
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
    seconds = time.perf_counter() - started
    memory.done.set()
    extra.update(seconds=seconds, peak_mib=peak / 1024, summed_pss_mib=memory.peak_kib / 1024)
    print(json.dumps(extra))


if __name__ == "__main__":
    main()

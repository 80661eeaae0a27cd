"""End to end on a synthetic corpus: each stage in its own process, wall time, CPU and peak RSS.

Run alone: ``.venv/bin/python bench/e2e_bench.py [--articles 10000]`` (prints the section;
starts its own Neo4j on ports 17722 and up, see KG_BENCH_PORT).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import Section, table
from neo4j_bench import Neo4jServer, server_cpu

__all__ = ["bench_e2e"]

HERE = Path(__file__).resolve().parent


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _stage(args: list[str], env: dict[str, str], timeout: float, cwd: Path) -> dict[str, Any]:
    """Run one stage (in ``cwd``); its result with ``cpu``, the CPU seconds of the stage's
    processes."""
    command = [sys.executable, str(HERE / "stage.py"), *args]
    cpu = _children_cpu()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=timeout, check=False, cwd=cwd
        )
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:.0f} s"}
    cpu = _children_cpu() - cpu
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result.get("rc"):
        result["error"] = f"exit code {result['rc']}"
    result["cpu"] = cpu
    return result


def bench_e2e(section: Section, articles: int, work: Path, timeout: float) -> dict[str, Any]:
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    root = work / f"e2e-{articles}"
    env = dict(os.environ)
    if os.environ.get("KG_BENCH_PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["KG_BENCH_PYTHONPATH"]
        section.add(f"Stages ran with PYTHONPATH={os.environ['KG_BENCH_PYTHONPATH']} (see below).")
    kg = [sys.executable, "-m", "kg"]
    stages: list[tuple[str, list[str]]] = [
        (
            "synth (write the workspace, every core)",
            [
                "exec",
                "--",
                *kg,
                "synth",
                "--articles",
                str(articles),
                "--seed",
                "1",
                "--out",
                str(root),
                "--force",
            ],
        ),
        (
            "build (kg build: validate, graph.json)",
            ["exec", "--", *kg, "--workspace", str(root), "build"],
        ),
        ("load into Neo4j (batched loader)", ["load", str(root)]),
        ("export Turtle, streamed (engine stream)", ["turtle-stream", str(root)]),
        ("export N-Triples, streamed", ["nt", str(root)]),
        (
            "centrality: PageRank (rustworkx) + exact betweenness (igraph if installed)",
            ["centrality", str(root)],
        ),
    ]
    neo = Neo4jServer()
    env.update(NEO4J_URI=neo.settings.uri, NEO4J_PASSWORD=neo.settings.password or "")
    rows, total, peak, failed = [], 0.0, 0.0, False
    began = os.getloadavg()
    try:
        for label, args in stages:
            if failed:
                rows.append([label, "skipped", "", "", "", "", ""])
                continue
            neo_cpu = server_cpu(neo)
            # Out of any checkout: `python -m kg` puts its working directory first on
            # sys.path, ahead of KG_BENCH_PYTHONPATH.
            result = _stage(args, env, timeout, work)
            if "error" in result:
                rows.append([label, "failed", "", "", "", "", result["error"]])
                failed = label.startswith(("synth", "build"))
                continue
            total += result["seconds"]
            peak = max(peak, result["peak_mib"], result.get("summed_pss_mib", 0.0))
            neo_cpu = server_cpu(neo) - neo_cpu
            rows.append(
                [
                    label,
                    f"{result['seconds']:.1f}",
                    f"{result['cpu']:.1f}",
                    f"{neo_cpu:.1f}" if neo_cpu else "",
                    f"{result['peak_mib']:,.0f}",
                    f"{result.get('summed_pss_mib', 0.0):,.0f}",
                    f"{result['rows']:,} rows" if "rows" in result else "",
                ]
            )
            print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    finally:
        neo.stop()
    ended = os.getloadavg()
    section.add(
        f"{articles:,} synthetic articles. Every stage is a separate process (bench/stage.py); "
        "after `kg build`, the stages read exports/graph.json (what any tool of the user's "
        'would read). Turtle is written by kg\'s streamed writer (export_rdf engine="stream": '
        "Oxigraph's layout of the same triples, without Oxigraph's parse and serialise; "
        "rdflib Turtle needs the whole graph in memory and runs at a few thousand triples/s, "
        "see RDF export). Peak "
        "RSS is the largest maximum resident set size of the stage's processes; summed PSS the "
        "highest sum, sampled every 0.5 s, of the proportional set sizes of the stage's process "
        "and its workers (pages shared after a fork counted once); the Neo4j server's memory is "
        "not in either.",
        table(
            [
                "stage",
                "wall s",
                "CPU s (kg)",
                "CPU s (Neo4j)",
                "peak RSS MiB",
                "summed PSS MiB",
                "note",
            ],
            rows,
        ),
        f"Total {total / 60:.1f} min; highest peak {peak / 1024:.2f} GiB. Load average (1, 5, "
        f"15 min) at the start {', '.join(f'{x:.2f}' for x in began)}, at the end "
        f"{', '.join(f'{x:.2f}' for x in ended)} (2 cores, shared).",
    )
    return {"minutes": total / 60, "peak_gib": peak / 1024, "complete": not failed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per stage")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-e2e-"))
    section = Section("End to end")
    try:
        bench_e2e(section, args.articles, work, args.timeout)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(section.render())


if __name__ == "__main__":
    main()

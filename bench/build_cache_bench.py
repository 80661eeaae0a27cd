"""`kg build` with the cache, side by side with the build of a baseline kg in one run.

Measures, on one synthetic corpus (`kg synth`), each run a fresh `kg` process timed with
/usr/bin/time (wall seconds, CPU seconds, peak RSS):

- baseline `kg build` (cold: it has no cache) and baseline `kg stats`;
- this kg: cold `kg build` (no .kg/), `kg build` with nothing changed, `kg stats` with
  nothing changed, `kg build` after editing one annotation file;
- graph equality: the one-edit build's graph.json read back == a cold build's (no cache) of
  the same edited corpus, and the no-change graph == the cold one.

Usage::

    git worktree add /tmp/kg-base 2baf7d1
    .venv/bin/python bench/build_cache_bench.py --articles 1000 --base /tmp/kg-base

``--jobs N`` adds a cold build with ``kg build --jobs N`` (first, then the cache is removed;
the other builds use kg's default, every core for a cold build).
``--no-base`` leaves the baseline out (its cold build at 10,000 articles takes a quarter of
an hour), ``--no-base-stats`` its ``kg stats`` (as long again); ``--kg DIR`` runs the kg of
another checkout (a snapshot of this one, say).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    label: str
    wall: float
    cpu: float
    rss_mib: float


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def timed(label: str, args: list[str], cwd: Path, pythonpath: Path | None = None) -> Run:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    command = ["/usr/bin/time", "-f", "BENCH %e %U %S %M", sys.executable, "-m", "kg", *args]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    line = next(x for x in done.stderr.splitlines() if x.startswith("BENCH "))
    wall, user, system, rss = (float(v) for v in line.split()[1:])
    run = Run(label, wall, user + system, rss / 1024)
    status = f", exit {done.returncode}" if done.returncode else ""
    print(
        f"{label}: {wall:.2f} s wall, {run.cpu:.2f} s CPU, {run.rss_mib:.0f} MiB{status}",
        flush=True,
    )
    return run


def same_graph(a: Path, b: Path, schema_dir: Path) -> bool:
    from kg.graphjson import read_graph_json
    from kg.schema import load_schema

    schema = load_schema(schema_dir)
    return read_graph_json(a, schema) == read_graph_json(b, schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--base", type=Path, default=None, help="checkout of the baseline kg")
    parser.add_argument("--no-base", action="store_true", help="do not run the baseline")
    parser.add_argument(
        "--no-base-stats", action="store_true", help="run the baseline's build, not its stats"
    )
    parser.add_argument("--kg", type=Path, default=None, help="checkout of the kg to measure")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--jobs", type=int, default=None, help="also a cold build with --jobs N")
    args = parser.parse_args()
    if args.base is None and not args.no_base:
        parser.error("give --base DIR (a checkout of the baseline) or --no-base")
    print(f"load average at start: {load_average()}", flush=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-build-bench-"))
    ws = work / f"synth-{args.articles}"
    if not ws.is_dir():
        synth = ["synth", "--articles", str(args.articles), "--out", str(ws)]
        subprocess.run([sys.executable, "-m", "kg", *synth], check=True, capture_output=True)
    shutil.rmtree(ws / ".kg", ignore_errors=True)
    runs = []
    if not args.no_base:
        runs += [
            timed("baseline kg build", ["build", "-o", str(work / "base.json")], ws, args.base),
        ]
        if not args.no_base_stats:
            runs.append(timed("baseline kg stats", ["stats"], ws, args.base))
    this = args.kg
    if args.jobs is not None:
        jobs = ["build", "--jobs", str(args.jobs), "-o", str(work / "jobs.json")]
        runs.append(timed(f"kg build, cold, --jobs {args.jobs}", jobs, ws, this))
        shutil.rmtree(ws / ".kg")
    cold_at = len(runs)
    runs += [
        timed("kg build, cold (no cache)", ["build"], ws, this),
        timed("kg build, nothing changed", ["build"], ws, this),
        timed("kg stats, nothing changed", ["stats"], ws, this),
    ]
    graph = ws / "exports" / "graph.json"
    shutil.copy(graph, work / "cold.json")
    edited = sorted((ws / "seeds" / "annotations").glob("*.yaml"))[5 * 7 % 50]
    text = edited.read_text("utf-8")
    # Inside the quotes: 'title: Edited: "..."' would be malformed YAML (a rejected file).
    assert 'title: "' in text, edited
    edited.write_text(text.replace('title: "', 'title: "Edited: ', 1), "utf-8")
    runs.append(timed("kg build, one annotation edited", ["build"], ws, this))
    shutil.copy(graph, work / "edited.json")
    shutil.rmtree(ws / ".kg")
    runs.append(timed("kg build, cold, edited corpus (for ==)", ["build"], ws, this))
    edit_equal = same_graph(work / "edited.json", graph, ws / "schema")
    edited.write_text(text, "utf-8")
    cold, cold_cpu = runs[cold_at].wall, runs[cold_at].cpu
    print()
    print(f"## kg build with the cache: {args.articles:,} synthetic articles\n")
    print("| run | wall s | CPU s | peak RSS MiB | cold / this (wall) | cold / this (CPU) |")
    print("|---|---:|---:|---:|---:|---:|")
    for run in runs:
        print(
            f"| {run.label} | {run.wall:.2f} | {run.cpu:.2f} | {run.rss_mib:.0f} |"
            f" {cold / run.wall:.1f}x | {cold_cpu / run.cpu:.1f}x |"
        )
    print()
    if not args.no_base:
        print(
            f"- baseline cold build / this cold build: {runs[0].wall / cold:.2f}x wall,"
            f" {runs[0].cpu / cold_cpu:.2f}x CPU"
        )
    if args.jobs is not None:
        same = (work / "jobs.json").read_bytes() == (work / "cold.json").read_bytes()
        print(
            f"- graph.json of --jobs {args.jobs} == the default cold build's, byte for byte: {same}"
        )
    print(f"- load average at the end: {load_average()}")
    print(f"- one-edit graph == cold build of the edited corpus: {edit_equal}")
    print(f"- work folder: {work}")


if __name__ == "__main__":
    main()

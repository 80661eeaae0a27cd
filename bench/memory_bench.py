"""The memory of a cold ``kg build`` over all its processes, sampled over time.

Usage: ``memory_bench.py [--kg DIR ...] [--jobs N] [--every S] WORKSPACE...``: for each
workspace and each code tree (``--kg``, put on PYTHONPATH; default: this checkout), removes
the workspace's ``.kg`` and ``exports``, runs ``python -m kg build`` and samples the PSS
and RSS of the build's process and each of its workers (forked pools) every ``--every``
seconds. Prints, per run: wall and CPU seconds (user+sys), the peak of the summed PSS and
of the largest process, and per phase (each generation of worker processes is a pool:
reading articles, parsing files, merging records; "main" is the time with no worker) the
peak summed PSS, the main process's PSS and the workers' PSS at that moment.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from procmem import memory, tree

HERE = Path(__file__).resolve().parent


def _run(workspace: Path, code: Path | None, jobs: str | None, every: float) -> dict[str, Any]:
    shutil.rmtree(workspace / ".kg", ignore_errors=True)
    shutil.rmtree(workspace / "exports", ignore_errors=True)
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    command = [sys.executable, "-m", "kg", "--workspace", str(workspace), "build"]
    if jobs is not None:
        command += ["--jobs", jobs]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # Run from the code tree: ``-m`` puts the working directory first on sys.path.
    source = str(code or HERE.parent)
    child = subprocess.Popen(command, env=env, cwd=source, stdout=subprocess.DEVNULL)
    samples: list[tuple[float, int, int, list[tuple[int, int, int]]]] = []
    while child.poll() is None:
        pids = tree(child.pid)
        main = memory(child.pid)
        workers = [(pid, *memory(pid)) for pid in pids[1:]]
        samples.append((time.perf_counter() - started, *main, workers))
        time.sleep(every)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # Phases: a pool is a set of worker pids; a new pid not seen with the last pool's
    # starts a new pool.
    phases: list[dict[str, Any]] = []
    pool: set[int] = set()
    current: dict[str, Any] | None = None
    for at, pss, rss, workers in samples:
        pids = {w[0] for w in workers if w[1]}
        if not pids:
            pool = set()
            if current is None or current["phase"] != "main":
                current = {"phase": "main", "from": at, "peak_mib": 0.0}
                phases.append(current)
        else:
            if current is None or current["phase"] == "main" or not pids & pool:
                number = sum(1 for p in phases if p["phase"] != "main") + 1
                current = {"phase": f"pool {number}", "from": at, "peak_mib": 0.0}
                phases.append(current)
            pool = pids
        total = (pss + sum(w[1] for w in workers)) / 1024
        current["to"] = at
        if total > current["peak_mib"]:
            current.update(
                peak_mib=round(total, 1),
                main_pss_mib=round(pss / 1024, 1),
                main_rss_mib=round(rss / 1024, 1),
                workers_pss_mib=[round(w[1] / 1024, 1) for w in workers],
                workers_rss_mib=[round(w[2] / 1024, 1) for w in workers],
            )
    summed = max((s[1] + sum(w[1] for w in s[3]) for s in samples), default=0)
    largest = max((max([s[2], *(w[2] for w in s[3])]) for s in samples), default=0)
    return {
        "workspace": str(workspace),
        "code": str(code or HERE.parent),
        "jobs": jobs,
        "rc": child.returncode,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "summed_pss_peak_mib": round(summed / 1024, 1),
        "largest_rss_peak_mib": round(largest / 1024, 1),
        "phases": [
            {k: (round(v, 1) if isinstance(v, float) else v) for k, v in p.items()} for p in phases
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspaces", nargs="+", type=Path)
    parser.add_argument(
        "--kg",
        action="append",
        type=Path,
        default=[],
        help="a code tree to run (put on PYTHONPATH); repeatable",
    )
    parser.add_argument("--jobs", default=None)
    parser.add_argument("--every", type=float, default=0.25)
    args = parser.parse_args()
    for workspace in args.workspaces:
        for code in args.kg or [None]:
            print(json.dumps(_run(workspace, code, args.jobs, args.every)), flush=True)


if __name__ == "__main__":
    main()

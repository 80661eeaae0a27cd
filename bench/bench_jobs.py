"""Throughput of `kg extract --jobs 2` next to one process, on a multi-file synthetic corpus.

Both runs extract the same `kg synth` articles into separate folders; the drafts are checked
to be byte-identical, and the ratio of the two wall-clock times is reported (both measured
here, side by side, best of the runs).

    python bench/bench_jobs.py                 # 400 articles, best of 3
    python bench/bench_jobs.py --quick         # 40 articles, one run (for tests)
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract.files import collect_inputs, extract_files  # noqa: E402
from kg.extract.pipeline import load_extractor  # noqa: E402
from kg.schema import load_schema  # noqa: E402
from kg.synth import synth_workspace  # noqa: E402

__all__ = ["main"]


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run(paths: list[Path], out: Path, jobs: int) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one extraction."""
    extractor = load_extractor(load_schema(ROOT / "schema"), ROOT / "seeds")
    start, start_cpu = time.perf_counter(), _cpu()
    outcomes = list(extract_files(paths, extractor, out, jobs=jobs, force=True))
    elapsed, cpu = time.perf_counter() - start, _cpu() - start_cpu
    failed = [o.error for o in outcomes if not o.ok]
    if failed:
        raise SystemExit(f"extraction failed: {failed[:3]}")
    return elapsed, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    articles, runs = (40, 1) if args.quick else (args.articles, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        synth_workspace(work / "ws", articles, 1, force=True)
        paths = collect_inputs([work / "ws" / "seeds" / "articles"])
        size = sum(p.stat().st_size for p in paths)
        times: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
        for _ in range(runs):
            for jobs in (1, 2):
                times[jobs].append(_run(paths, work / f"out{jobs}", jobs))
        one = {p.name: p.read_bytes() for p in (work / "out1").iterdir()}
        two = {p.name: p.read_bytes() for p in (work / "out2").iterdir()}
        same = one == two
        best = {jobs: min(times[jobs]) for jobs in (1, 2)}
    load = os.getloadavg()[0]
    print(f"corpus: {len(paths)} articles, {size / 1e6:.1f} MB (kg synth --seed 1)")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} when done")
    print(f"| jobs | wall s (best of {runs}) | CPU s | articles/s | MB/s |")
    print("|---|---|---|---|---|")
    for jobs, (wall, cpu) in best.items():
        rate = len(paths) / wall
        print(f"| {jobs} | {wall:.2f} | {cpu:.2f} | {rate:.1f} | {size / 1e6 / wall:.2f} |")
    ratio = best[1][0] / best[2][0]
    print(f"--jobs 2 / one process throughput: {ratio:.2f}x; drafts identical: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

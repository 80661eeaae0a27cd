"""Throughput of `kg extract --jobs 2` next to one process, on a multi-file synthetic corpus.

Both runs extract the same `kg synth` articles into separate folders, alternating (1, 2, 1,
2...) so that a change in the machine's load hits both; the drafts are checked to be
byte-identical. Each run is the whole `extract_files` call: pool start-up and shutdown
included, extractor (gazetteer) loaded beforehand, as `kg extract` does once per command and
the pool's workers inherit. While a run goes, the pool's worker processes are counted and
their CPU seconds read from /proc, to show the work was shared.

    python bench/bench_jobs.py                 # 400 articles, best of 3
    python bench/bench_jobs.py --quick         # 40 articles, one run (for tests)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract.files import collect_inputs, extract_files  # noqa: E402
from kg.extract.pipeline import Extractor, load_extractor  # noqa: E402
from kg.schema import load_schema  # noqa: E402
from kg.synth import synth_workspace  # noqa: E402

__all__ = ["main"]


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _Workers(threading.Thread):
    """Samples this process's children (Linux /proc) until stopped: their CPU seconds by pid."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.seen: dict[int, float] = {}
        self.done = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.sample()

    def sample(self) -> None:
        try:
            tasks = list(Path("/proc/self/task").iterdir())
        except OSError:
            return
        for task in tasks:
            try:
                pids = (task / "children").read_text().split()
            except OSError:
                continue
            for pid in pids:
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except (OSError, IndexError):
                    continue
                self.seen[int(pid)] = (int(stat[11]) + int(stat[12])) / self.tick


def _run(paths: list[Path], extractor: Extractor, out: Path, jobs: int) -> tuple[float, ...]:
    """Wall-clock seconds, CPU seconds and the workers' CPU seconds of one extraction."""
    workers = _Workers()
    workers.start()
    start, start_cpu = time.perf_counter(), _cpu()
    outcomes = list(extract_files(paths, extractor, out, jobs=jobs, force=True))
    elapsed, cpu = time.perf_counter() - start, _cpu() - start_cpu
    workers.done.set()
    workers.join()
    failed = [o.error for o in outcomes if not o.ok]
    if failed:
        raise SystemExit(f"extraction failed: {failed[:3]}")
    return elapsed, cpu, *sorted(workers.seen.values(), reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    articles, runs = (40, 1) if args.quick else (args.articles, args.runs)
    extractor = load_extractor(load_schema(ROOT / "schema"), ROOT / "seeds")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        synth_workspace(work / "ws", articles, 1, force=True)
        paths = collect_inputs([work / "ws" / "seeds" / "articles"])
        size = sum(p.stat().st_size for p in paths)
        times: dict[int, list[tuple[float, ...]]] = {1: [], 2: []}
        for _ in range(runs):
            for jobs in (1, 2):
                times[jobs].append(_run(paths, extractor, work / f"out{jobs}", jobs))
        one = {p.name: p.read_bytes() for p in (work / "out1").iterdir()}
        two = {p.name: p.read_bytes() for p in (work / "out2").iterdir()}
        same = one == two and len(one) == len(paths)
    best = {jobs: min(times[jobs]) for jobs in (1, 2)}
    load = os.getloadavg()[0]
    print(f"corpus: {len(paths)} articles, {size / 1e6:.1f} MB (kg synth --seed 1)")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} when done")
    print(
        f"| jobs | wall s (best of {runs}) | wall s (median) | CPU s, all processes"
        " | articles/s | MB/s | worker processes (CPU s each) |"
    )
    print("|---|---|---|---|---|---|---|")
    for jobs, (wall, cpu, *each) in best.items():
        median = statistics.median(t[0] for t in times[jobs])
        rate = len(paths) / wall
        who = (
            f"{len(each)} ({', '.join(f'{s:.1f}' for s in each)})" if each else "none (in-process)"
        )
        print(
            f"| {jobs} | {wall:.2f} | {median:.2f} | {cpu:.2f} | {rate:.1f}"
            f" | {size / 1e6 / wall:.2f} | {who} |"
        )
    ratio = best[1][0] / best[2][0]
    print(f"--jobs 2 / one process throughput: {ratio:.2f}x; drafts identical: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Throughput of `kg extract --jobs 2` next to one process, on a multi-file synthetic corpus.

Both runs extract the same `kg synth` articles into separate folders; the drafts are checked
to be byte-identical, and the ratio of the two wall-clock times is reported (both measured
here, side by side, best of the runs).

    python bench/bench_jobs.py                 # 400 articles, best of 3
    python bench/bench_jobs.py --quick         # 40 articles, one run (for tests)
"""

from __future__ import annotations

import argparse
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


def _run(paths: list[Path], out: Path, jobs: int) -> float:
    extractor = load_extractor(load_schema(ROOT / "schema"), ROOT / "seeds")
    start = time.perf_counter()
    outcomes = list(extract_files(paths, extractor, out, jobs=jobs, force=True))
    elapsed = time.perf_counter() - start
    failed = [o.error for o in outcomes if not o.ok]
    if failed:
        raise SystemExit(f"extraction failed: {failed[:3]}")
    return elapsed


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
        times = {1: [], 2: []}  # type: dict[int, list[float]]
        for _ in range(runs):
            for jobs in (1, 2):
                times[jobs].append(_run(paths, work / f"out{jobs}", jobs))
        one = {p.name: p.read_bytes() for p in (work / "out1").iterdir()}
        two = {p.name: p.read_bytes() for p in (work / "out2").iterdir()}
        same = one == two
        best1, best2 = min(times[1]), min(times[2])
    print(f"corpus: {len(paths)} articles, {size / 1e6:.1f} MB (kg synth --seed 1)")
    print(f"| jobs | wall s (best of {runs}) | articles/s | MB/s |")
    print("|---|---|---|---|")
    for jobs, best in ((1, best1), (2, best2)):
        print(f"| {jobs} | {best:.2f} | {len(paths) / best:.1f} | {size / 1e6 / best:.2f} |")
    print(f"--jobs 2 / one process throughput: {best1 / best2:.2f}x; drafts identical: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

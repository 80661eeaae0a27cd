"""CPU time of the per-file half of a cold ``kg build``: each annotation file's bytes to its
FileRecords, with the same calls as ``kg.build._Builder.read_file`` (load_yaml,
declared_records, parse_annotation_file), for every annotation file of a workspace.

    PYTHONPATH=KG_TREE python bench/parse_bench.py WORKSPACE [--repeat N] [--profile]

Articles are read first (not timed). Prints CPU seconds (best of ``--repeat``) and the
number of records and problems (to compare two trees on the same corpus).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import time
from pathlib import Path

from kg.build import _Builder, find_inputs
from kg.documents import read_article
from kg.workspace import find_workspace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    ws = find_workspace(args.workspace, args.workspace)
    schema = ws.load_schema()
    articles, annotations = find_inputs(ws.seeds_dir)
    docs = {}
    for path in articles:
        doc = read_article(path)
        docs[doc.id] = doc
    builder = _Builder(schema, docs, dict.fromkeys(docs, "x"))
    files = [(p, str(p)) for p in annotations]

    def run() -> tuple[int, int]:
        records = problems = 0
        for path, shown in files:
            result = builder.read_file(path, shown)
            problems += len(result.problems)
            if result.records is not None:
                problems += len(result.records.problems)
                records += sum(len(getattr(result.records, s)) for s in _sections())
        return records, problems

    gc.disable()  # as kg build does (kg.gcpause)
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(run)
        pstats.Stats(prof).sort_stats("tottime").print_stats(35)
        return
    best = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        counts = run()
        best = min(best, time.process_time() - start)
    print(f"{len(files)} files, {counts[0]} records, {counts[1]} problems: {best:.3f} CPU s")


def _sections() -> tuple[str, ...]:
    from kg.annotations import SECTIONS

    return tuple(SECTIONS)


if __name__ == "__main__":
    main()

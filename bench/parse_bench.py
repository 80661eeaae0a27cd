"""CPU time of the per-file half of a cold ``kg build``: each annotation file's bytes to the
store's rows, with the same calls as the build's parsing processes
(``kg.build._Builder.read_file`` then ``kg.incremental.file_rows``, which pickles each
description), for every annotation file of a workspace; and the CPU time of loading those
pickles again (what the merge's processes do with each description).

    PYTHONPATH=KG_TREE python bench/parse_bench.py WORKSPACE [--repeat N] [--limit N] [--profile]

Articles are read first (not timed). Prints CPU seconds (best of ``--repeat``) of the parse
and of the loads, the number of records and problems, the bytes of the pickles and a digest
of everything the parse yields (the rows but their pickles, and the records loaded back), to
compare two trees on the same corpus.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import pickle
import pstats
import time
from pathlib import Path

import kg.incremental
from kg.build import _Builder, find_inputs
from kg.documents import read_article
from kg.incremental import file_rows
from kg.workspace import find_workspace

loads = pickle.loads  # a description as the merge's processes load it: as objects, or
if hasattr(kg.incremental, "description_data"):  # as plain tuples, then objects (kg.plain)
    from kg.plain import description_of as loads
if hasattr(kg.incremental, "parsed_data"):  # without its file (the row's), as the merge does

    def loads(data: bytes) -> object:
        from kg.plain import descriptions_values

        return descriptions_values([("doc", "file.yaml", data)])[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--limit", type=int, help="only the first N annotation files")
    args = parser.parse_args()
    ws = find_workspace(args.workspace, args.workspace)
    schema = ws.load_schema()
    articles, annotations = find_inputs(ws.seeds_dir)
    docs = {}
    for path in articles:
        doc = read_article(path)
        docs[doc.id] = doc
    builder = _Builder(schema, docs, dict.fromkeys(docs, "x"))
    files = [(p, str(p)) for p in annotations[: args.limit]]

    def run() -> list[bytes]:
        pickles = []
        for path, shown in files:
            rows = file_rows(builder.read_file(path, shown), "d")
            pickles.extend(d[5] for d in rows[2])
        return pickles

    def load(pickles: list[bytes]) -> list[object]:
        return [loads(data) for data in pickles]

    gc.disable()  # as kg build does (kg.gcpause)
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(run)
        pstats.Stats(prof).sort_stats("tottime").print_stats(35)
        return
    best = best_load = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        pickles = run()
        best = min(best, time.process_time() - start)
        start = time.process_time()
        loaded = load(pickles)
        best_load = min(best_load, time.process_time() - start)
    digest = hashlib.blake2b(digest_size=8)
    problems = 0
    for path, shown in files:
        result = builder.read_file(path, shown)
        shown_, row, descs, idx, refs = file_rows(result, "d")
        head = row[8]
        problems += len(result.problems) + len(result.records.problems if result.records else ())
        digest.update(repr((shown_, row[:2], row[3:8], idx, refs)).encode())
        digest.update(repr([d[:4] for d in descs]).encode())
        digest.update(repr(pickle.loads(head) if head else None).encode())
    digest.update(repr(loaded).encode())
    size = sum(len(p) for p in pickles)
    print(
        f"{len(files)} files, {len(pickles)} descriptions ({size:,} bytes), {problems} problems,"
        f" yield {digest.hexdigest()}: parse {best:.3f} CPU s, loads {best_load:.3f} CPU s"
    )


if __name__ == "__main__":
    main()

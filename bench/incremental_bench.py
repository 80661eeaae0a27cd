"""Loads that write each fact once (issue 13): evidence writes vs unique, incremental re-loads,
and the batched loader against one MERGE per row.

Run from the repository root: ``.venv/bin/python bench/incremental_bench.py [--quick]``.
Prints a Markdown section for bench/RESULTS.md. Starts its own Neo4j (or uses NEO4J_URI).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import corpus, table
from naive_loader import naive_load, statements
from neo4j_bench import Neo4jServer, _empty, fingerprint, pick_articles, server_cpu

from kg.build import BuildResult
from kg.neo4j import loader
from kg.neo4j.connection import connect
from kg.neo4j.plan import batches
from kg.workspace import Workspace


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def evidence_writes(articles: int, work: Path) -> list[list[str]]:
    """Evidence rows the loader writes vs unique evidence items, per batch size."""
    c = corpus(articles, work)
    graph, schema = c.graph, c.schema
    unique = sum(
        len(set(r.evidence))
        for t in (graph.entities, graph.incidents, graph.claims)
        for r in t.values()
    )
    rows = []
    for size in (1000, 5000):
        entity_batches, document_batches = batches(graph, schema, size)
        everything = [*entity_batches, *document_batches]
        sent = sum(len(v) for b in everything for v in b.evidence.values())
        records: dict[str, int] = {}
        for b in everything:
            for group in (b.nodes, b.relations):
                for found in group.values():
                    for row in found:
                        records[row["id"]] = records.get(row["id"], 0) + 1
        rows.append([f"{articles:,} articles, batch {size:,}", f"{sent:,}", f"{unique:,}",
                     f"{sent / unique:.2f}x", str(max(records.values()))])  # fmt: skip
    return rows


def one_more(articles: int, work: Path) -> tuple[BuildResult, BuildResult, BuildResult]:
    """The builds of ``articles`` synthetic articles, of the same plus one more and plus two
    more, made in the same folder (a document's path is part of what the loader writes)."""
    full = corpus(articles + 2, work)
    schema = full.schema
    folders = [full.root / "seeds" / sub for sub in ("articles", "annotations")]
    lasts = [p.stem for p in sorted(folders[0].glob("*.md"))[-2:]]
    aside = work / "aside"
    aside.mkdir(exist_ok=True)
    builds = []
    for left_out in (lasts, lasts[1:], []):
        moved = [f / f"{last}{suffix}" for last in left_out
                 for f, suffix in zip(folders, (".md", ".yaml"), strict=True)]  # fmt: skip
        for path in moved:
            path.rename(aside / path.name)
        try:
            built = Workspace(full.root).build(schema, cached=False)
            assert built.graph.documents  # read from the build's store now, not in a load
            builds.append(built)
        finally:
            for path in moved:
                (aside / path.name).rename(path)
    return builds[0], builds[1], builds[2]


def batch_sizes(driver: Any, settings: Any, neo: Neo4jServer, c: Any) -> list[list[str]]:
    """One load into an emptied database per batch size."""
    found = []
    for size in (1_000, 5_000, 20_000):
        _empty(driver, settings, c.schema, True)
        started = time.perf_counter()
        report = loader.load_graph(driver, settings, c.graph, c.schema, batch_size=size)
        seconds = time.perf_counter() - started
        n_rows = report.nodes + report.relationships
        found.append([f"{size:,}", f"{seconds:.2f}", f"{n_rows / seconds:,.0f}"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, to check it runs")
    parser.add_argument("--no-evidence", action="store_true", help="skip the first part")
    parser.add_argument("--skip", choices=("incremental", "throughput"), action="append",
                        default=[], help="skip the second or third part")  # fmt: skip
    args = parser.parse_args()
    articles = 60 if args.quick else 1000
    evidence_articles = 100 if args.quick else 1500
    small, large = (2_000, 10_000) if args.quick else (10_000, 100_000)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-incr-"))
    out: list[str] = ["## Loads that write each fact once (issue 13)", ""]
    out.append(f"Load average (1/5/15 min) at the start: {load_average()}; the machine (2 cores) "
               "is shared with other jobs, so absolute times vary; ratios are measured side by "
               "side in one run.")  # fmt: skip
    began = time.perf_counter()
    header = ["corpus", "evidence rows written", "unique evidence", "ratio",
              "most writes of one record"]  # fmt: skip
    if not args.no_evidence:
        out += ["", "### Evidence written vs unique evidence (no server: the rows the loader "
                "sends)", "", table(header, evidence_writes(evidence_articles, work))]  # fmt: skip
    print("\n".join(out), flush=True)
    neo = Neo4jServer()
    try:
        driver = connect(neo.settings)
        settings = neo.settings
        warm = corpus(60, work)  # warm-up: the server plans each statement on its first use
        _empty(driver, settings, warm.schema, True)
        loader.load_graph(driver, settings, warm.graph, warm.schema)
        if "incremental" not in args.skip:
            out += _incremental(driver, neo, articles, work)
        if "throughput" not in args.skip:
            out += _throughput(driver, neo, small, large, work)
        print(f"\nLoad average at the end: {load_average()}; the whole run took "
              f"{time.perf_counter() - began:.0f} s. Reproduce: "
              "`.venv/bin/python bench/incremental_bench.py`.", flush=True)  # fmt: skip
        driver.close()
    finally:
        neo.stop()
        shutil.rmtree(work, ignore_errors=True)


def _incremental(driver: Any, neo: Neo4jServer, articles: int, work: Path) -> list[str]:
    """First load, three unchanged re-loads, +1 article twice (the first incremental load on a
    server also plans the statements that only such loads run), unchanged re-loads by the
    ``kg load`` command; then compare with a fresh load. Every load is given the build's
    record digests, as ``kg load`` is."""
    settings = neo.settings
    b_less, b_more, b_most = one_more(articles, work)
    schema = corpus(articles + 2, work).schema
    _empty(driver, settings, schema, True)
    rows: list[list[str]] = []
    timings: dict[str, float] = {}
    # As `kg load` does: the loader is given the build's digests of the records.
    for label, build in (("first load (empty database)", b_less),
                         ("re-load, nothing changed", b_less),
                         ("re-load, nothing changed (again)", b_less),
                         ("re-load, nothing changed (third time)", b_less),
                         ("re-load after adding one article", b_more),
                         ("re-load after adding one more article", b_most)):  # fmt: skip
        cpu, neo_cpu = time.process_time(), server_cpu(neo)
        started = time.perf_counter()
        given = build.fingerprints()
        report = loader.load_graph(driver, settings, build.graph, schema, fingerprints=given)
        timings[label] = time.perf_counter() - started
        rows.append([label, f"{timings[label]:.2f}", f"{time.process_time() - cpu:.1f}",
                     f"{server_cpu(neo) - neo_cpu:.1f}", f"{os.getloadavg()[0]:.1f}",
                     report.summary()])  # fmt: skip
    rows += _cli_reload(neo, corpus(articles + 2, work).root)
    incremental = fingerprint(driver, settings)
    first = timings["first load (empty database)"]
    for row in rows:
        row.insert(2, f"{first / float(row[1]):.1f}x")
    _empty(driver, settings, schema, True)
    loader.load_graph(driver, settings, b_most.graph, schema, fingerprints=b_most.fingerprints())
    same = fingerprint(driver, settings) == incremental
    lines = [
        "", f"### Incremental re-loads ({articles:,} synthetic articles, +1, +1)", "",
        table(["load", "seconds", "first load / this", "Python CPU s", "Neo4j CPU s",
               "load average (1 min) after", "what the report says changed"], rows),
        "", f"The database after the incremental loads equals a fresh load of the "
        f"{articles + 2:,}-article graph (hash of all nodes, relationships and properties but "
        f"`loaded_at`): **{'yes' if same else 'NO'}**.",
    ]  # fmt: skip
    print("\n".join(lines), flush=True)
    return lines


def _cli_reload(neo: Neo4jServer, root: Path) -> list[list[str]]:
    """What a user sees: the whole ``kg load`` process (start-up, the graph from the build
    cache, plan, Neo4j) re-loading the graph the database holds. The first run also fills the
    build cache (the bench's builds are cold ones)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=neo.settings.uri, NEO4J_USERNAME=neo.settings.username,
               NEO4J_PASSWORD=neo.settings.password or "")  # fmt: skip
    found = []
    for label in ("`kg load`, nothing changed (fills the build cache)",
                  "`kg load`, nothing changed (build cache filled)"):  # fmt: skip
        before, neo_cpu = resource.getrusage(resource.RUSAGE_CHILDREN), server_cpu(neo)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "kg", "--workspace", str(root), "load"],
                              env=env, capture_output=True, text=True, check=True)  # fmt: skip
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        said = done.stdout.strip().split(": ", 1)[-1].split("; the database")[0]
        found.append([label, f"{seconds:.2f}", f"{cpu:.1f}", f"{server_cpu(neo) - neo_cpu:.1f}",
                      f"{os.getloadavg()[0]:.1f}", said])  # fmt: skip
    return found


def _throughput(driver: Any, neo: Neo4jServer, small: int, large: int, work: Path) -> list[str]:
    """The batched loader at about ``small`` and ``large`` rows, against one MERGE per row."""
    settings = neo.settings
    lines = ["", "### Batched loader vs one MERGE per row", ""]
    result_rows = []
    sizes_rows: list[list[str]] = []
    for wanted in (small, large):
        n_articles, n_rows = pick_articles(wanted, work)
        c = corpus(n_articles, work)
        _empty(driver, settings, c.schema, True)
        loader.load_graph(driver, settings, c.graph, c.schema)  # warm-up
        times, cpus = [], []
        for _ in range(3):
            _empty(driver, settings, c.schema, True)
            cpu, neo_cpu = time.process_time(), server_cpu(neo)
            started = time.perf_counter()
            loader.load_graph(driver, settings, c.graph, c.schema)
            times.append(time.perf_counter() - started)
            cpus.append((time.process_time() - cpu, server_cpu(neo) - neo_cpu))
        batched = sorted(times)[1]
        python_cpu, neo_cpu = sorted(cpus)[1]
        note = (
            f"{n_rows / batched:,.0f} rows/s (CPU: Python {python_cpu:.1f} s, Neo4j "
            f"{neo_cpu:.1f} s; load average {os.getloadavg()[0]:.1f})"
        )
        if wanted == small:
            prepared = statements(c.graph, c.schema)
            _empty(driver, settings, c.schema, True)
            started = time.perf_counter()
            naive_load(driver, settings, c.graph, c.schema, constraints=False,
                       prepared=prepared)  # fmt: skip
            naive = time.perf_counter() - started
            note += f"; one MERGE per row: {naive:.2f} s, batched is {naive / batched:.1f}x"
        else:
            sizes_rows = batch_sizes(driver, settings, neo, c)
        result_rows.append([f"{n_rows:,} rows ({n_articles} articles)",
                            f"{batched:.2f} (median of 3)", note])  # fmt: skip
    lines.append(table(["corpus", "batched load s", "throughput; per-row comparison"],
                       result_rows))  # fmt: skip
    lines += [
        "",
        f"Batch size ({n_rows:,} rows, one run each, after the runs above):",
        "",
        table(["batch size (rows)", "seconds", "rows/s"], sizes_rows),
    ]
    print("\n".join(lines), flush=True)
    return lines


if __name__ == "__main__":
    main()

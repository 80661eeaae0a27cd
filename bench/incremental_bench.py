"""Loads that write each fact once (issue 13): evidence writes vs unique, incremental re-loads,
and the batched loader against one MERGE per row.

Run from the repository root: ``.venv/bin/python bench/incremental_bench.py [--quick]``.
Prints a Markdown section for bench/RESULTS.md. Starts its own Neo4j (or uses NEO4J_URI).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import corpus, table
from naive_loader import naive_load, statements
from neo4j import Session
from neo4j._sync.work.transaction import TransactionBase
from neo4j_bench import Neo4jServer, _empty, fingerprint, pick_articles, server_cpu

from kg.build import BuildResult
from kg.neo4j import loader
from kg.neo4j.connection import connect
from kg.neo4j.cypher import statement
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


def one_more(articles: int, work: Path, more: int = 2) -> list[BuildResult]:
    """The builds of ``articles`` synthetic articles, then of one more, two more... up to
    ``more`` more, made in the same folder (a document's path is part of what the loader
    writes)."""
    full = corpus(articles + more, work)
    schema = full.schema
    folders = [full.root / "seeds" / sub for sub in ("articles", "annotations")]
    lasts = [p.stem for p in sorted(folders[0].glob("*.md"))[-more:]]
    aside = work / "aside"
    aside.mkdir(exist_ok=True)
    builds = []
    for left_out in (lasts[i:] for i in range(more + 1)):
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
    return builds


def batch_sizes(driver: Any, settings: Any, neo: Neo4jServer, c: Any) -> list[list[str]]:
    """One load into an emptied database per batch size (with the build's digests)."""
    found = []
    for size in (1_000, 5_000, 20_000):
        _empty(driver, settings, c.schema, True)
        started = time.perf_counter()
        prints = c.result.fingerprints()
        report = loader.load_graph(driver, settings, c.graph, c.schema, batch_size=size,
                                   fingerprints=prints)  # fmt: skip
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
    parser.add_argument("--more", type=int, default=2,
                        help="re-loads adding one article each (default 2)")  # fmt: skip
    parser.add_argument(
        "--trace",
        action="store_true",
        help="a table of the statements of the first load and each +1",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="with --trace: PROFILE each statement, for its db hits",
    )
    parser.add_argument("--cprofile", type=Path, help="cProfile the first +1 into this file")
    parser.add_argument("--warm-ups", type=int, default=1, metavar="N",
                        help="untimed loads of each size before the timed ones (default 1; "
                        "the server's JIT keeps compiling the write paths over the first "
                        "three or four loads)")  # fmt: skip
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
        tracer = Tracer(args.profile) if args.trace else None
        warm = corpus(60, work)  # warm-up: the server plans each statement on its first use
        _empty(driver, settings, warm.schema, True)
        loader.load_graph(driver, settings, warm.graph, warm.schema)
        if "incremental" not in args.skip:
            out += _incremental(driver, neo, articles, work, args.more, tracer, args.cprofile)
        if "throughput" not in args.skip:
            out += _throughput(driver, neo, small, large, work, args.warm_ups)
        print(f"\nLoad average at the end: {load_average()}; the whole run took "
              f"{time.perf_counter() - began:.0f} s. Reproduce: "
              "`.venv/bin/python bench/incremental_bench.py`.", flush=True)  # fmt: skip
        driver.close()
    finally:
        neo.stop()
        shutil.rmtree(work, ignore_errors=True)


def _incremental(
    driver: Any,
    neo: Neo4jServer,
    articles: int,
    work: Path,
    more: int = 2,
    tracer: Tracer | None = None,
    cprofile: Path | None = None,
) -> list[str]:
    """First load, three unchanged re-loads, +1 article ``more`` times (the first incremental
    load on a server also plans the statements that only such loads run), unchanged re-loads
    by the ``kg load`` command; then compare with a fresh load. Every load is given the
    build's record digests, as ``kg load`` is. With ``tracer``, a table per +1 of the
    statements it ran; with ``cprofile``, the Python profile of the first +1 there."""
    settings = neo.settings
    builds = one_more(articles, work, more)
    schema = corpus(articles + more, work).schema
    _empty(driver, settings, schema, True)
    rows: list[list[str]] = []
    timings: dict[str, float] = {}
    traces: list[str] = []
    plus = [("re-load after adding one article", builds[1])]
    plus += [
        (
            f"re-load after adding one more article ({n})"
            if more > 2
            else "re-load after adding one more article",
            builds[n],
        )
        for n in range(2, more + 1)
    ]
    # As `kg load` does: the loader is given the build's digests of the records.
    for label, build in (("first load (empty database)", builds[0]),
                         ("re-load, nothing changed", builds[0]),
                         ("re-load, nothing changed (again)", builds[0]),
                         ("re-load, nothing changed (third time)", builds[0]),
                         *plus):  # fmt: skip
        given = build.fingerprints()
        if tracer is not None:
            tracer.begin()
        profiler = cProfile.Profile() if cprofile and label == plus[0][0] else None
        cpu, neo_cpu = time.process_time(), server_cpu(neo)
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = loader.load_graph(driver, settings, build.graph, schema, fingerprints=given)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(cprofile))
        timings[label] = time.perf_counter() - started
        rows.append([label, f"{timings[label]:.2f}", f"{time.process_time() - cpu:.1f}",
                     f"{server_cpu(neo) - neo_cpu:.1f}", f"{os.getloadavg()[0]:.1f}",
                     report.summary()])  # fmt: skip
        if tracer is not None and (label.startswith("re-load after") or label == rows[0][0]):
            traces += ["", f"Statements of the {label}:", "", tracer.table()]
    rows += _cli_reload(neo, corpus(articles + more, work).root)
    incremental = fingerprint(driver, settings)
    first = timings["first load (empty database)"]
    for row in rows:
        row.insert(2, f"{first / float(row[1]):.1f}x")
    _empty(driver, settings, schema, True)
    loader.load_graph(driver, settings, builds[-1].graph, schema,
                      fingerprints=builds[-1].fingerprints())  # fmt: skip
    same = fingerprint(driver, settings) == incremental
    lines = [
        "", f"### Incremental re-loads ({articles:,} synthetic articles{', +1' * more})", "",
        table(["load", "seconds", "first load / this", "Python CPU s", "Neo4j CPU s",
               "load average (1 min) after", "what the report says changed"], rows),
        "", f"The database after the incremental loads equals a fresh load of the "
        f"{articles + more:,}-article graph (hash of all nodes, relationships and properties "
        f"but `loaded_at`): **{'yes' if same else 'NO'}**.", *traces,
    ]  # fmt: skip
    print("\n".join(lines), flush=True)
    return lines


class Tracer:
    """Every statement the driver runs (auto-commit or in a transaction), buffered at once:
    its count, wall seconds, the server's ``result_available_after`` (planning and the
    first record) and ``result_consumed_after``, whether its text was new to the server
    (first use since the tracer was installed), and with ``profile`` its db hits (PROFILE,
    which executes it: the times are then the profiled ones). Bench only: it patches the
    driver's ``run``."""

    def __init__(self, profile: bool = False) -> None:
        self.profile, self.seen = profile, set[str]()
        self.rows: dict[str, list[float]] = {}
        for owner in (Session, TransactionBase):
            self._patch(owner)

    def _patch(self, owner: Any) -> None:
        original, tracer = owner.run, self

        def run(this: Any, query: Any, parameters: Any = None, **kwargs: Any) -> Any:
            text = query if isinstance(query, str) else query.text
            sent = (
                "PROFILE " + text
                if tracer.profile
                and text.lstrip().startswith(("CYPHER replan", "UNWIND", "MATCH", "CALL {"))
                else text
            )
            started = time.perf_counter()
            result = original(this, sent, parameters, **kwargs)
            result._buffer_all()
            summary = result._obtain_summary()
            wall = time.perf_counter() - started
            hits = _db_hits(summary.profile) if summary.profile else 0
            row = tracer.rows.setdefault(text, [0, 0.0, 0.0, 0.0, 0, 0])
            row[0] += 1
            row[1] += wall
            row[2] += (summary.result_available_after or 0) / 1000
            row[3] += (summary.result_consumed_after or 0) / 1000
            row[4] += text not in tracer.seen
            row[5] += hits
            tracer.seen.add(text)
            return result

        owner.run = run

    def begin(self) -> None:
        self.rows = {}

    def table(self) -> str:
        """One row per statement text, the slowest first, and the totals."""
        found = sorted(self.rows.items(), key=lambda item: -item[1][1])
        body = [[_name(text), str(n), f"{wall:.3f}", f"{avail:.3f}", f"{consumed:.3f}",
                 str(new), f"{hits:,}"] for text, (n, wall, avail, consumed, new, hits)
                in found]  # fmt: skip
        total = [sum(r[i] for r in self.rows.values()) for i in range(6)]
        body.append([f"**total: {len(self.rows)} distinct texts**", str(total[0]),
                     f"{total[1]:.3f}", f"{total[2]:.3f}", f"{total[3]:.3f}", str(total[4]),
                     f"{total[5]:,}"])  # fmt: skip
        return table(["statement", "runs", "wall s", "available after s", "consumed after s",
                      "first use", "db hits"], body)  # fmt: skip


def _db_hits(profile: Mapping[str, Any]) -> int:
    return int(profile.get("dbHits", 0)) + sum(_db_hits(c) for c in profile.get("children", ()))


def _template(name: str) -> str:
    """A pattern of a statement's texts: any names for its ``{{placeholders}}``, its
    ``{{#key}}...{{/key}}`` blocks once or more."""
    text = re.escape(statement(name))
    text = re.sub(r"\\\{\\\{\\\#(\w+)\\\}\\\}(.*?)\\\{\\\{/\1\\\}\\\}", r"(?:\2)+", text,
                  flags=re.DOTALL)  # fmt: skip
    return re.sub(r"\\\{\\\{\w+\\\}\\\}", r"`\\w+`(?:\\|`\\w+`)*", text)


_TEMPLATES = {
    name: _template(name)
    for name in (f.name.removesuffix(".cypher")
                 for f in resources.files("kg.neo4j").joinpath("cypher").iterdir())
}  # fmt: skip


def _name(text: str) -> str:
    """A statement's template and the labels and types in it (else its first 40 characters)."""
    body = text.removeprefix("CYPHER replan=skip\n")
    for name, pattern in _TEMPLATES.items():
        if re.fullmatch(pattern, body):
            return " ".join([name, *dict.fromkeys(re.findall(r"`(\w+)`", body))])
    return " ".join(body.split())[:40]


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
        # From the folder of the kg under test (``-m`` puts the current folder first on the
        # path): else a side-by-side run would load with the kg of wherever it was started.
        done = subprocess.run([sys.executable, "-m", "kg", "--workspace", str(root), "load"],
                              env=env, capture_output=True, text=True, check=True,
                              cwd=Path(loader.__file__).resolve().parents[2])  # fmt: skip
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        said = done.stdout.strip().split(": ", 1)[-1].split("; the database")[0]
        found.append([label, f"{seconds:.2f}", f"{cpu:.1f}", f"{server_cpu(neo) - neo_cpu:.1f}",
                      f"{os.getloadavg()[0]:.1f}", said])  # fmt: skip
    return found


def _throughput(
    driver: Any, neo: Neo4jServer, small: int, large: int, work: Path, warm_ups: int = 1
) -> list[str]:
    """The batched loader at about ``small`` and ``large`` rows, against one MERGE per row;
    each size is loaded ``warm_ups`` times, untimed, first. Timed as ``kg load`` loads: with
    the build's digests of the records (``BuildResult.fingerprints``, read in the timed
    part); then without them (the loader hashes every record), runs alternating."""
    settings = neo.settings
    lines = ["", f"### Batched loader vs one MERGE per row ({warm_ups} untimed warm-up "
             "load(s) of each size)", ""]  # fmt: skip
    result_rows = []
    sizes_rows: list[list[str]] = []
    for wanted in (small, large):
        n_articles, n_rows = pick_articles(wanted, work)
        c = corpus(n_articles, work)
        for _ in range(warm_ups):
            _empty(driver, settings, c.schema, True)
            loader.load_graph(driver, settings, c.graph, c.schema)
        runs: dict[bool, list[tuple[float, float, float]]] = {True: [], False: []}
        for _ in range(3):
            for digests in (True, False):
                _empty(driver, settings, c.schema, True)
                cpu, neo_cpu = time.process_time(), server_cpu(neo)
                started = time.perf_counter()
                prints = c.result.fingerprints() if digests else None
                loader.load_graph(driver, settings, c.graph, c.schema, fingerprints=prints)
                runs[digests].append((time.perf_counter() - started, time.process_time() - cpu,
                                      server_cpu(neo) - neo_cpu))  # fmt: skip
        batched, python_cpu, neo_cpu = (sorted(col)[1] for col in zip(*runs[True], strict=True))
        hashed = sorted(run[0] for run in runs[False])[1]
        note = (
            f"{n_rows / batched:,.0f} rows/s (CPU: Python {python_cpu:.1f} s, Neo4j "
            f"{neo_cpu:.1f} s; load average {os.getloadavg()[0]:.1f}); without the build's "
            f"digests {hashed:.2f} s, {n_rows / hashed:,.0f} rows/s"
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

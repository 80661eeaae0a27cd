"""Neo4j load: batched loader vs one MERGE per row, with and without constraints; bulk import."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common import HEADER, Section, Timing, corpus, measure, table
from naive_loader import naive_load, statements
from neo4j import Driver

from kg.neo4j import bulk, loader, server
from kg.neo4j.connection import Neo4jSettings, connect, session
from kg.schema import Schema

__all__ = ["Neo4jServer", "bench_load", "pick_articles", "server_cpu"]


_NEXT_PORT = [int(os.environ.get("KG_BENCH_PORT", "17722"))]


def _free_port() -> int:
    """The next free port from KG_BENCH_PORT (default 17722) up: benchmarks stay off the
    ports of Neo4j servers that other people or the tests run (7687, 7474, ...)."""
    while True:
        port = _NEXT_PORT[0]
        _NEXT_PORT[0] += 1
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def server_cpu(neo: Neo4jServer) -> float:
    """CPU seconds the bench's own Neo4j process has used so far (0 for NEO4J_URI's)."""
    pid = server.status(neo.state).pid if neo.state is not None else None
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cache() -> Path:
    root = Path(os.environ.get("KG_NEO4J_CACHE", "~/.cache/kg/neo4j")).expanduser()
    return root / server.NEO4J_VERSION


class Neo4jServer:
    """NEO4J_URI's server if set, else a fresh local one in a temporary folder (stopped after)."""

    def __init__(self) -> None:
        self.state: Path | None = None
        self.started = 0.0
        if os.environ.get("NEO4J_URI"):
            self.settings = Neo4jSettings(
                uri=os.environ["NEO4J_URI"],
                username=os.environ.get("NEO4J_USERNAME", "neo4j"),
                password=os.environ.get("NEO4J_PASSWORD"),
                database=os.environ.get("NEO4J_DATABASE") or None,
                timeout=30,
            )
            self.description = f"given by NEO4J_URI ({self.settings.uri})"
            return
        self.state = Path(tempfile.mkdtemp(prefix="kg-bench-neo4j-"))
        # Stopped however the bench ends: normally, Ctrl-C (KeyboardInterrupt, also while it
        # starts) or SIGTERM (turned into SystemExit, so every finally and atexit runs).
        atexit.register(self.stop)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
        began = time.perf_counter()
        try:
            info = server.start(
                self.state, _cache(), password=None, bolt_port=_free_port(), http_port=_free_port()
            )
        except BaseException:
            self.stop()
            raise
        self.started = time.perf_counter() - began
        self.settings = Neo4jSettings(
            uri=info.uri, password=server.read_password(self.state), timeout=30
        )
        self.description = f"Neo4j {server.NEO4J_VERSION} Community, started by the bench"

    def stop(self) -> None:
        """Stop the bench's own server and delete its folder (once; later calls do nothing)."""
        if self.state is not None:
            state, self.state = self.state, None
            server.stop(state)
            shutil.rmtree(state, ignore_errors=True)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _drop_constraints(driver: Driver, settings: Neo4jSettings) -> None:
    with session(driver, settings, write=True) as s:
        names = [r["name"] for r in s.run("SHOW CONSTRAINTS YIELD name RETURN name")]
        for name in names:
            s.run("DROP CONSTRAINT $name IF EXISTS", name=name).consume()
        indexes = [
            r["name"]
            for r in s.run("SHOW INDEXES YIELD name, type WHERE type = 'RANGE' RETURN name")
        ]
        for name in indexes:
            s.run("DROP INDEX $name IF EXISTS", name=name).consume()


_LENIENT: dict[int, str] = {}
"""Lenient fingerprint of the batched load, by corpus size (to compare the bulk import)."""
_CONSTRAINED: dict[str, bool] = {}
"""Whether the database has the constraints now (changing them invalidates cached plans, so
they change only when a variant needs it, not before every run)."""


def _empty(driver: Driver, settings: Neo4jSettings, schema: Schema, constraints: bool) -> None:
    with session(driver, settings, write=True) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    if _CONSTRAINED.get(settings.uri) == constraints:
        return
    _drop_constraints(driver, settings)
    if constraints:
        loader.ensure_constraints(driver, settings, schema)
    _CONSTRAINED[settings.uri] = constraints


_STAMPS = frozenset({"loaded_at", "kg_digest"})  # the loader's bookkeeping, not the graph


def fingerprint(driver: Driver, settings: Neo4jSettings, lenient: bool = False) -> str:
    """A hash of every node (labels, properties) and relationship (type, ends, properties).

    Empty lists count as no property. ``lenient`` also drops lists holding one empty string,
    which neo4j-admin's CSV import cannot express (an empty field is no property).
    ``loaded_at`` (the load clock, stamped by each load) and ``kg_digest`` (a batched load's
    note of what it wrote, which the per-row loader and the bulk import do not make) are not
    part of the graph compared.
    """
    dropped: list[Any] = [[], [""]] if lenient else [[]]

    def plain(value: Any) -> Any:
        return value.iso_format() if hasattr(value, "iso_format") else value

    items: list[str] = []
    with session(driver, settings) as s:
        for r in s.run("MATCH (n) RETURN labels(n) AS l, properties(n) AS p"):
            props = {
                k: plain(v) for k, v in r["p"].items() if v not in dropped and k not in _STAMPS
            }
            items.append(json.dumps([sorted(r["l"]), props], sort_keys=True, default=str))
        query = "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, properties(r) AS p, b.id AS b"
        for r in s.run(query):
            props = {k: plain(v) for k, v in r["p"].items() if v not in dropped}
            items.append(json.dumps([r["a"], r["t"], r["b"], props], sort_keys=True, default=str))
    items.sort()
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:16]


@contextlib.contextmanager
def _without_constraints() -> Iterator[None]:
    """The batched loader with its constraint step switched off (it always creates them)."""
    original = loader.ensure_constraints
    loader.ensure_constraints = lambda *args, **kwargs: 0  # type: ignore[assignment]
    try:
        yield
    finally:
        loader.ensure_constraints = original


def pick_articles(rows: int, work: Path) -> tuple[int, int]:
    """How many synthetic articles give about ``rows`` nodes + relationships, and the rows."""
    probe = corpus(20, work)
    per_article = _rows(probe, work) / 20
    articles = max(2, round(rows / per_article))
    return articles, _rows(corpus(articles, work), work)


def _rows(c: Any, work: Path) -> int:
    files = bulk.write_csv(c.graph, c.schema, work / f"csv-count-{c.articles}")
    return files.node_count + files.relationship_count


def bench_load(
    section: Section, sizes: tuple[int, ...], runs: int, work: Path, naive_cap: float = 300.0
) -> dict[str, Any]:
    """Fill ``section`` with the load comparisons; return figures the summary needs."""
    summary: dict[str, Any] = {}
    neo = Neo4jServer()
    try:
        driver = connect(neo.settings)
        section.add(
            f"Server: {neo.description}"
            + (f" (start took {neo.started:.1f} s)" if neo.started else "")
            + ". Each run loads into an emptied database; the untimed setup deletes everything "
            "and creates (or drops) the uniqueness constraints. Rows = nodes + relationships "
            "written. Each variant starts with one untimed warm-up load: on a fresh server the "
            "first load also pays for planning some 60 Cypher statements (measured: 15 s "
            "instead of 2 s for 11,465 rows; see End to end for a cold load). "
            "The naive loader sends the loader's own statements with one row each, "
            "each in its own auto-commit transaction (bench/naive_loader.py). Above 20,000 "
            f"rows the per-row loader runs once and is stopped after {naive_cap:.0f} s; its "
            "time is then estimated by scaling to all statements (marked ESTIMATED)."
        )
        for rows_wanted in sizes:
            articles, rows = pick_articles(rows_wanted, work)
            c = corpus(articles, work)
            prepared = statements(c.graph, c.schema)
            results: list[Timing] = []
            checks: dict[str, str] = {}
            for constraints in (True, False):
                cap = naive_cap if rows > 20_000 else None
                slow, fast = _pair(driver, neo.settings, c, prepared, constraints, runs, rows, cap)
                tag = "with constraints" if constraints else "without constraints"
                checks[f"batched {tag}"] = fast.note
                if slow.note != "not comparable":
                    checks[f"naive {tag}"] = slow.note
                slow.note = "baseline"
                fast.note = f"{slow.median / fast.median:.1f}x the per-row loader"
                results += [slow, fast]
                summary[f"ratio {rows_wanted} {tag}"] = slow.median / fast.median
                summary[f"rate {rows_wanted} {tag}"] = rows / fast.median
            bulk_timing, bulk_check = _bench_bulk(c, runs, work)
            lenient_note = ""
            if bulk_timing is not None:
                checks["bulk import"] = bulk_check[0]
                loaded = checks["batched with constraints"]
                if bulk_check[0] != loaded and bulk_check[1] == _LENIENT.get(c.articles):
                    checks["bulk import"] = f"{loaded} (lenient)"
                    lenient_note = (
                        ' The bulk import matches once lists holding one empty string (`[""]`, '
                        "e.g. `evidence_source` of a quote without a cited source) are ignored: "
                        "neo4j-admin's CSV cannot express them and stores no property."
                    )
                batched_with = results[1]
                bulk_timing.note = (
                    f"batched loader takes {batched_with.median / bulk_timing.median:.1f}x as long"
                )
                results.append(bulk_timing)
                summary[f"bulk ratio {rows_wanted}"] = batched_with.median / bulk_timing.median
            same = len({v.split()[0] for v in checks.values()}) == 1
            section.add(
                f"### {rows:,} rows ({articles} synthetic articles)",
                table(HEADER, [t.row() for t in results]),
                "Same graph written by every path (hash of all nodes, relationships and "
                f"properties; an empty list counts as no property): **{'yes' if same else 'NO'}** "
                f"({', '.join(f'{k}: {v}' for k, v in checks.items())}).{lenient_note}",
            )
        driver.close()
    finally:
        neo.stop()
    return summary


def _pair(
    driver: Driver,
    settings: Neo4jSettings,
    c: Any,
    prepared: list[Any],
    constraints: bool,
    runs: int,
    rows: int,
    cap: float | None = None,
) -> tuple[Timing, Timing]:
    """(naive, batched) timings; each note holds the fingerprint of what the run wrote."""
    tag = "with constraints" if constraints else "without constraints"

    def setup() -> None:
        _empty(driver, settings, c.schema, constraints)

    def batched() -> None:
        if constraints:
            loader.load_graph(driver, settings, c.graph, c.schema)
        else:
            with _without_constraints():
                loader.load_graph(driver, settings, c.graph, c.schema)

    sent: list[int] = []

    def naive() -> None:
        deadline = time.perf_counter() + cap if cap else None
        sent.append(naive_load(driver, settings, c.graph, c.schema, constraints=False,
                               prepared=prepared, deadline=deadline))  # fmt: skip

    setup()
    batched()  # untimed warm-up: the server plans each statement on its first use
    fast = measure(f"batched, {tag}", batched, runs, setup=setup, work=rows, unit="rows")
    fast.note = fingerprint(driver, settings)
    _LENIENT[c.articles] = fingerprint(driver, settings, lenient=True)
    slow_runs = runs if cap is None else 1
    slow = measure(f"one MERGE per row, {tag}", naive, slow_runs, setup=setup, work=rows,
                   unit="rows")  # fmt: skip
    if sent[-1] < len(prepared):  # stopped at the cap: scale the time to all statements
        slow.seconds = [slow.seconds[0] * len(prepared) / max(1, sent[-1])]
        slow.label += (
            f" (ESTIMATED: stopped after {cap:.0f} s at {sent[-1]:,} of {len(prepared):,})"
        )
        slow.note = "not comparable"
    else:
        slow.note = fingerprint(driver, settings)
    return slow, fast


def _bench_bulk(c: Any, runs: int, work: Path) -> tuple[Timing | None, tuple[str, str]]:
    """neo4j-admin import into a fresh folder; checked once by starting a server on it."""
    if shutil.which("java") is None:
        return None, ("", "")
    state = Path(tempfile.mkdtemp(prefix="kg-bench-bulk-"))
    try:

        def run() -> None:
            bulk.import_graph(c.graph, c.schema, state, _cache(), work / f"bulk-csv-{c.articles}")

        timing = measure("bulk: CSV + neo4j-admin import (empty database)", run, runs, work=None)
        files = bulk.write_csv(c.graph, c.schema, work / f"bulk-csv-{c.articles}")
        timing.work, timing.unit = files.node_count + files.relationship_count, "rows"
        info = server.start(
            state, _cache(), password=None, bolt_port=_free_port(), http_port=_free_port()
        )
        settings = Neo4jSettings(uri=info.uri, password=server.read_password(state), timeout=30)
        driver = connect(settings)
        try:
            check = (fingerprint(driver, settings), fingerprint(driver, settings, lenient=True))
        finally:
            driver.close()
            server.stop(state)
        return timing, check
    finally:
        shutil.rmtree(state, ignore_errors=True)

"""Centrality: networkx vs rustworkx on the actor projection; sampled betweenness."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from common import Section, Timing, corpus, measure, table

from kg.graphjson import graph_from_dict
from kg.network.centrality import BETWEENNESS_SEED, simple_graph
from kg.network.engines import rustworkx_centrality
from kg.network.project import to_networkx
from kg.workspace import Workspace

__all__ = ["agreement", "bench_centrality"]


def _ranks(scores: Mapping[Any, float]) -> dict[Any, float]:
    """Average ranks (ties share their mean rank), for Spearman's rho."""
    ordered = sorted(scores, key=lambda n: scores[n])
    ranks: dict[Any, float] = {}
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and scores[ordered[j + 1]] == scores[ordered[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[ordered[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def agreement(a: Mapping[Any, float], b: Mapping[Any, float], top: int = 50) -> tuple[float, float]:
    """Spearman rank correlation and the overlap of the two top-``top`` sets.

    >>> agreement({"x": 3, "y": 2, "z": 1}, {"x": 30, "y": 20, "z": 10}, top=2)
    (1.0, 1.0)
    """
    ra, rb = _ranks(a), _ranks(b)
    nodes = list(ra)
    n = len(nodes)
    mean = (n + 1) / 2
    cov = sum((ra[v] - mean) * (rb[v] - mean) for v in nodes)
    var_a = sum((ra[v] - mean) ** 2 for v in nodes)
    var_b = sum((rb[v] - mean) ** 2 for v in nodes)
    rho = cov / (var_a * var_b) ** 0.5 if var_a and var_b else 1.0
    top_a = set(sorted(a, key=lambda v: (-a[v], str(v)))[:top])
    top_b = set(sorted(b, key=lambda v: (-b[v], str(v)))[:top])
    return round(rho, 4), round(len(top_a & top_b) / max(1, min(top, len(a))), 3)


def _graph(articles: int, work: Path) -> nx.Graph:
    c = corpus(articles, work)
    return simple_graph(to_networkx(c.graph, c.schema, "actors"))


def _from_json(path: Path) -> nx.Graph:
    """The actor projection of a graph.json written by `kg build` (the end-to-end corpus)."""
    schema = Workspace(path.parents[1]).load_schema()
    graph = graph_from_dict(json.loads(path.read_text(encoding="utf-8")), schema)
    return simple_graph(to_networkx(graph, schema, "actors"))


def bench_centrality(
    section: Section,
    articles: int,
    exact_articles: int,
    ks: tuple[int, ...],
    runs: int,
    work: Path,
    graph_json: Path | None = None,
) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    if graph_json is not None and graph_json.is_file():
        graph = _from_json(graph_json)
    else:
        graph = _graph(articles, work)
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    section.add(
        f"Actor projection of {articles} synthetic articles: {n:,} actors, {m:,} edges. "
        "rustworkx times include copying the networkx graph into rustworkx."
    )
    results: dict[str, dict[str, float]] = {}
    rows: list[Timing] = []
    for weighted in (False, True):
        tag = "weighted" if weighted else "unweighted"
        slow = measure(
            f"PageRank {tag}, networkx",
            lambda w=weighted: results.__setitem__(
                "nx", nx.pagerank(graph, weight="weight" if w else None)
            ),
            runs,
        )
        fast = measure(
            f"PageRank {tag}, rustworkx",
            lambda w=weighted: results.__setitem__(
                "rx", rustworkx_centrality(graph, "pagerank", weighted=w)
            ),
            runs,
        )
        rho, overlap = agreement(results["nx"], results["rx"])
        slow.note, fast.note = "baseline", f"Spearman {rho}, top-50 overlap {overlap}"
        fast.note += f"; {slow.median / fast.median:.1f}x"
        rows += [slow, fast]
        summary[f"pagerank {tag} ratio"] = slow.median / fast.median
        summary[f"pagerank {tag} overlap"] = overlap
    fast = measure(
        "betweenness exact, rustworkx",
        lambda: results.__setitem__("rxb", rustworkx_centrality(graph, "betweenness")),
        runs,
    )
    rows.append(fast)
    # networkx's exact betweenness at this size takes hours: time k sampled sources and
    # scale by n / k (the exact algorithm runs one single-source pass per node).
    k = min(200, n)
    started = time.perf_counter()
    nx.betweenness_centrality(graph, k=k, seed=BETWEENNESS_SEED)
    estimate = (time.perf_counter() - started) * n / k
    rows.append(
        Timing(
            "betweenness exact, networkx (estimated)",
            [estimate],
            note=f"timed on k={k} sources, scaled by n/k; not run in full",
        )
    )
    summary["betweenness ratio (estimated)"] = estimate / fast.median
    section.timings(rows)
    section.add(_exact(exact_articles, runs, ks, work, summary))
    return summary


def _exact(
    articles: int, runs: int, ks: tuple[int, ...], work: Path, summary: dict[str, Any]
) -> str:
    """Exact betweenness in both engines on a graph small enough for networkx, and sampling."""
    graph = _graph(articles, work)
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    found: dict[str, dict[Any, float]] = {}
    slow = measure(
        "betweenness exact, networkx",
        lambda: found.__setitem__("nx", nx.betweenness_centrality(graph)),
        runs,
    )
    fast = measure(
        "betweenness exact, rustworkx",
        lambda: found.__setitem__("rx", rustworkx_centrality(graph, "betweenness")),
        runs,
    )
    rho, overlap = agreement(found["nx"], found["rx"])
    largest = max(abs(found["nx"][v] - found["rx"][v]) for v in graph)
    fast.note = f"{slow.median / fast.median:.1f}x; Spearman {rho}, top-50 overlap {overlap}"
    fast.note += f", largest difference {largest:.1e}"
    slow.note = "baseline"
    summary["betweenness exact ratio"] = slow.median / fast.median
    summary["betweenness overlap"] = overlap
    rows = [slow.row(), fast.row()]
    for k in ks:
        if k >= n:
            continue
        sampled = measure(
            f"betweenness networkx, k={k} sampled sources",
            lambda k=k: found.__setitem__(
                "k", nx.betweenness_centrality(graph, k=k, seed=BETWEENNESS_SEED)
            ),
            runs,
        )
        rho, overlap = agreement(found["nx"], found["k"])
        sampled.note = f"{slow.median / sampled.median:.1f}x faster than exact; against exact: "
        sampled.note += f"Spearman {rho}, top-50 overlap {overlap}"
        rows.append(sampled.row())
    header = ["what", "runs", "median s", "min s", "max s", "throughput", "speed-up", "note"]
    return (
        f"Exact betweenness in both engines, and sampled betweenness (`--k`) against it, on the "
        f"actor projection of {articles} articles ({n:,} actors, {m:,} edges):\n\n"
        + table(header, rows)
    )

"""RDF export: streamed N-Triples vs rdflib Turtle vs Oxigraph Turtle, on the same graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from common import Section, corpus, measure
from rdflib import Graph as RdfGraph
from rdflib.compare import isomorphic

from kg.rdf.export import export_rdf

__all__ = ["bench_rdf"]


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def bench_rdf(section: Section, articles: int, runs: int, work: Path) -> dict[str, Any]:
    c = corpus(articles, work)
    out = work / "rdf"
    out.mkdir(exist_ok=True)
    nt, ttl, oxi = out / "graph.nt", out / "graph.ttl", out / "graph-oxigraph.ttl"
    export_rdf(c.graph, c.schema, "nt", nt)
    triples = _lines(nt)
    streamed = measure(
        "N-Triples, streamed (kg)",
        lambda: export_rdf(c.graph, c.schema, "nt", nt),
        runs,
        work=triples,
        unit="triples",
    )
    fast = measure(
        "Turtle, --engine oxigraph",
        lambda: export_rdf(c.graph, c.schema, "turtle", oxi, engine="oxigraph"),
        runs,
        work=triples,
        unit="triples",
    )
    slow = measure(
        "Turtle, rdflib",
        lambda: export_rdf(c.graph, c.schema, "turtle", ttl),
        runs,
        work=triples,
        unit="triples",
    )
    slow.note = "baseline"
    same = "not checked (too large for rdflib's isomorphism test)"
    if triples <= 100_000:
        same = "yes" if isomorphic(RdfGraph().parse(ttl), RdfGraph().parse(oxi)) else "NO"
    section.add(
        f"Graph of {articles} synthetic articles: {triples:,} triples "
        f"({', '.join(f'{v:,} {k}' for k, v in c.counts().items())}). Each run writes a file.",
    )
    section.timings([slow, streamed, fast], baseline=slow)
    section.add(
        f"Oxigraph Turtle isomorphic to rdflib Turtle on this graph: {same}. Output sizes: "
        f"N-Triples {nt.stat().st_size / 1e6:.0f} MB, "
        f"rdflib Turtle {ttl.stat().st_size / 1e6:.0f} MB, "
        f"Oxigraph Turtle {oxi.stat().st_size / 1e6:.0f} MB. (tests/test_bench.py checks "
        "isomorphism on the seed graph for Turtle, TriG and JSON-LD.)"
    )
    return {
        "nt ratio": slow.median / streamed.median,
        "oxigraph ratio": slow.median / fast.median,
        "triples": triples,
    }

"""Counts of what a graph holds, by section and type."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kg.model import Graph

__all__ = ["counts_line", "graph_stats", "summary_line"]


def graph_stats(graph: Graph) -> list[dict[str, object]]:
    """Rows ``{section, type, count}``: entities by type, incidents by kind, claims by stance..."""
    rows: list[dict[str, object]] = [
        {"section": "documents", "type": "Document", "count": len(graph.documents)}
    ]
    groups = (
        ("entities", Counter(e.type for e in graph.entities.values())),
        ("incidents", Counter(i.kind for i in graph.incidents.values())),
        ("claims", Counter(c.stance for c in graph.claims.values())),
        ("relations", Counter(r.type for r in graph.relations.values())),
    )
    for section, counts in groups:
        for name, count in sorted(counts.items()):
            rows.append({"section": section, "type": name, "count": count})
        rows.append({"section": section, "type": "(all)", "count": sum(counts.values())})
    rows.append(
        {"section": "evidence", "type": "(all)", "count": sum(1 for _ in graph.all_evidence())}
    )
    return rows


def summary_line(graph: Graph) -> str:
    """One line such as ``1 document, 45 entities, 13 incidents, 11 claims, 35 relations``."""
    tables = (graph.documents, graph.entities, graph.incidents, graph.claims, graph.relations)
    return counts_line([len(t) for t in tables])


def counts_line(counts: Sequence[int]) -> str:
    """:func:`summary_line` of the counts of documents, entities, incidents, claims, relations."""
    parts = list(zip(counts, ("document", "entity", "incident", "claim", "relation"), strict=True))
    words = {"entity": "entities"}
    return ", ".join(f"{n} {noun if n == 1 else words.get(noun, noun + 's')}" for n, noun in parts)

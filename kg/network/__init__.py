"""NetworkX layer: projections of the Graph, centrality, exports for Gephi and web, pictures."""

from __future__ import annotations

from kg.network.actors import SUPPORT_KINDS, Weights, actor_graph
from kg.network.bipartite import bipartite_graph
from kg.network.centrality import (
    MEASURES,
    CentralityReport,
    centrality,
    centrality_report,
    centrality_table,
    rank_nodes,
    simple_graph,
)
from kg.network.draw import draw_graph, draw_png
from kg.network.export import GRAPH_FORMATS, export_graph, write_graph
from kg.network.full import full_graph
from kg.network.page import write_html
from kg.network.project import PROJECTIONS, to_networkx
from kg.network.window import DateWindow

__all__ = [
    "GRAPH_FORMATS",
    "MEASURES",
    "PROJECTIONS",
    "SUPPORT_KINDS",
    "CentralityReport",
    "DateWindow",
    "Weights",
    "actor_graph",
    "bipartite_graph",
    "centrality",
    "centrality_report",
    "centrality_table",
    "draw_graph",
    "draw_png",
    "export_graph",
    "full_graph",
    "rank_nodes",
    "simple_graph",
    "to_networkx",
    "write_graph",
    "write_html",
]

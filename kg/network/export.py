"""Write NetworkX graphs as GraphML, GEXF or node-link JSON that Gephi and networkx read back."""

from __future__ import annotations

import inspect
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from kg.atomic import write_atomic
from kg.errors import InputError
from kg.model import Graph
from kg.network.actors import Weights
from kg.network.project import to_networkx
from kg.network.window import DateLike
from kg.schema import Schema
from kg.sinks import SINKS

__all__ = [
    "GEXF_RENAMED",
    "GRAPH_FORMATS",
    "export_graph",
    "export_ready",
    "format_for",
    "node_link",
    "write_atomic",
    "write_graph",
]

GRAPH_FORMATS = tuple(SINKS["graph"].formats)
_SUFFIXES = {suffix: fmt for fmt, suffix in SINKS["graph"].formats.items()}

GEXF_RENAMED = {"type": "kg_type", "start": "kg_start", "end": "kg_end", "pid": "kg_pid"}
"""Attributes GEXF reserves (edge direction, time spells, parent node) and the names they are
written under in GEXF files; GraphML and JSON keep the original names."""
_GEXF_ALSO = ("viz", "slices", "spells", "networkx_key")


def format_for(path: Path, fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else from the file suffix.

    >>> format_for(Path("out/graph.gexf")), format_for(Path("g.xml"), "graphml")
    ('gexf', 'graphml')
    """
    chosen = fmt or _SUFFIXES.get(path.suffix.lower())
    if chosen not in GRAPH_FORMATS:
        raise InputError(
            f"{path}: cannot tell the format; use --format ({', '.join(GRAPH_FORMATS)})"
        )
    return chosen


def _scalar(value: Any) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset | dict):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return json.dumps(items, ensure_ascii=False, default=str, sort_keys=True)
    return str(value)


def _unify(records: Iterable[dict[str, Any]]) -> None:
    """Give each attribute one type across records, as GraphML and GEXF declare one per key:
    int and float become float; any other mix becomes text."""
    types: dict[str, set[type]] = defaultdict(set)
    rows = list(records)
    for data in rows:
        for key, value in data.items():
            types[key].add(type(value))
    for key, found in types.items():
        if len(found) < 2:
            continue
        convert: Callable[[Any], Any] = float if found <= {int, float} else str
        for data in rows:
            if key in data:
                data[key] = convert(data[key])


def export_ready(nxgraph: nx.Graph, fmt: str = "graphml") -> nx.Graph:
    """A copy whose attributes every writer accepts: None dropped, lists and dicts as JSON
    text, one type per key. For GEXF, reserved names are renamed (see ``GEXF_RENAMED``) and
    multigraph edges carry their key as ``kg_key``."""
    out = nxgraph.copy()
    rename = GEXF_RENAMED if fmt == "gexf" else {}

    def clean(data: dict[str, Any]) -> None:
        items = [(k, v) for k, v in data.items() if v is not None]
        data.clear()
        for key, value in items:
            if fmt == "gexf" and key in _GEXF_ALSO:
                key = f"kg_{key}"
            data[rename.get(key, key)] = _scalar(value)

    clean(out.graph)
    for _, data in out.nodes(data=True):
        clean(data)
    for *_, data in out.edges(data=True):
        clean(data)
    if fmt == "gexf" and out.is_multigraph():
        # read_gexf drops edge keys when no two edges share endpoints: keep them as data.
        for *_, key, data in out.edges(keys=True, data=True):
            data["kg_key"] = str(key)
    _unify(data for _, data in out.nodes(data=True))
    _unify(data for *_, data in out.edges(data=True))
    return out


def node_link(nxgraph: nx.Graph) -> dict[str, Any]:
    """Node-link data for web tools: ``nodes`` and ``links`` (None values dropped)."""
    copy = nxgraph.copy()
    for data in (copy.graph, *(d for _, d in copy.nodes(data=True))):
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
    for *_, data in copy.edges(data=True):
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
    if "edges" in inspect.signature(nx.node_link_data).parameters:
        return dict(nx.node_link_data(copy, edges="links"))
    return dict(nx.node_link_data(copy))  # pragma: no cover - networkx < 3.4 names it "links"


def write_graph(nxgraph: nx.Graph, path: Path, fmt: str | None = None) -> str:
    """Write ``nxgraph`` to ``path`` as GraphML, GEXF or node-link JSON; returns the format."""
    chosen = format_for(path, fmt)
    if chosen == "json":
        text = json.dumps(node_link(nxgraph), ensure_ascii=False, indent=2, default=str)
        write_atomic(path, lambda p: p.write_text(text + "\n", encoding="utf-8"))
    elif chosen == "gexf":
        ready = export_ready(nxgraph, "gexf")
        write_atomic(path, lambda p: nx.write_gexf(ready, p))
    else:
        ready = export_ready(nxgraph, "graphml")
        write_atomic(path, lambda p: nx.write_graphml(ready, p))
    return chosen


def export_graph(
    graph: Graph,
    schema: Schema,
    path: Path,
    fmt: str | None = None,
    *,
    projection: str = "full",
    since: DateLike | None = None,
    until: DateLike | None = None,
    weights: Weights | None = None,
) -> nx.Graph:
    """Project ``graph`` (see ``to_networkx``) and write it; returns the projected graph."""
    chosen = format_for(path, fmt)
    nxgraph = to_networkx(graph, schema, projection, since=since, until=until, weights=weights)
    write_graph(nxgraph, path, chosen)
    return nxgraph

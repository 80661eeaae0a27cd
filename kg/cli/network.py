"""Commands of the NetworkX layer: ``kg export graph``, ``kg centrality`` and ``kg draw``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.cli import AppContext, pass_app
from kg.cli.output import format_option, is_stdout, output_option, render, written_to
from kg.cli.sources import from_option, load_graph
from kg.network.actors import SUPPORT_KINDS, Weights
from kg.network.centrality import ENGINES, MEASURES, centrality_report
from kg.network.draw import draw_graph
from kg.network.export import GRAPH_FORMATS, export_graph, format_for
from kg.network.gds import SCORE_PREFIX, Database, write_scores
from kg.network.project import PROJECTIONS
from kg.sinks import SINKS

__all__ = ["COMMANDS"]

F = TypeVar("F", bound=Callable[..., Any])


def _projection(default: str | None) -> Callable[[F], F]:
    """--projection; without a default, the setting network.projection (kg config) applies."""
    shown = default or "network.projection setting, actors unless configured"
    return click.option(
        "--projection",
        type=click.Choice(PROJECTIONS),
        default=default,
        help="full: every record, MultiDiGraph; actors: actor-actor, weighted; "
        f"bipartite: actors x incidents. [default: {shown}]",
    )


def _measure(app: AppContext, measure: str | None) -> str:
    return measure or app.setting("network.measure") or "pagerank"


def _window_and_weights(command: F) -> F:
    """--since, --until and --weight, shared by the three commands."""
    options = [
        click.option(
            "--since",
            metavar="DATE",
            default=None,
            help="Keep incidents and claims dated on or after DATE (YYYY[-MM[-DD]]); "
            "undated ones are then left out.",
        ),
        click.option(
            "--until",
            metavar="DATE",
            default=None,
            help="Keep incidents and claims dated on or before DATE; undated ones "
            "are then left out.",
        ),
        click.option(
            "--weight",
            "weights",
            metavar="KIND=W",
            multiple=True,
            help=f"Actor edge weight per supporting fact, KIND one of "
            f"{', '.join(SUPPORT_KINDS)} (default 1 each; 0 ignores a kind).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command("graph")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(GRAPH_FORMATS),
    default=None,
    help="File format (default: from the -o suffix, else graphml).",
)
@_projection("full")
@_window_and_weights
@from_option()
@output_option(
    "Where to write ('-': standard output; default: exports/network-<projection>."
    "<format suffix>; never exports/graph.json, which kg build writes).",
    dash=True,
)
@pass_app
def export_graph_command(
    app: AppContext,
    fmt: str | None,
    projection: str,
    since: str | None,
    until: str | None,
    weights: tuple[str, ...],
    source: str,
    output: Path | None,
) -> None:
    """Export a NetworkX projection as GraphML or GEXF (Gephi) or node-link JSON (web tools).

    List-valued attributes are written as JSON text in GraphML and GEXF; in GEXF the edge
    attribute `type` is written as `kg_type` (GEXF reserves `type`, `start` and `end`).
    Files read back with networkx (read_graphml, read_gexf, node_link_graph).

    \b
    Example:
      kg export graph --format graphml -o exports/graph.graphml
      kg export graph --projection actors --format gexf -o exports/actors.gexf
      kg export graph --format json --since 2004-07 --until 2004-08 -o exports/network.json
      kg export graph --format gexf -o - > full.gexf
    """
    chosen = fmt or (format_for(output) if output and output.suffix else "graphml")
    name = SINKS["graph"].default_name(chosen, f"network-{projection}")
    graph, schema = load_graph(app, source)
    with written_to(output, app.workspace.exports_dir / name) as target:
        nxgraph = export_graph(
            graph,
            schema,
            target,
            chosen,
            projection=projection,
            since=since,
            until=until,
            weights=Weights.parse(weights),
        )
    click.echo(
        f"wrote {'standard output' if is_stdout(output) else target}: {nxgraph.number_of_nodes()}"
        f" nodes, {nxgraph.number_of_edges()} edges ({projection} projection, {chosen})",
        err=is_stdout(output),
    )


@click.command()
@click.option(
    "--measure",
    type=click.Choice([*MEASURES, "all"]),
    default=None,
    help="Centrality measure; all: one column each, ranked by pagerank. "
    "[default: network.measure setting, pagerank unless configured]",
)
@_projection(None)
@click.option(
    "--weighted",
    is_flag=True,
    help="Use edge weights (betweenness and closeness use distance = 1/weight).",
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Show the first N rows (0: all).",
)
@click.option(
    "--k",
    "k",
    type=click.IntRange(min=1),
    default=None,
    help="Betweenness from K sampled source nodes (seeded), for large graphs.",
)
@click.option(
    "--all-nodes", is_flag=True, help="Rank every node of the projection, not only actors."
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="networkx",
    show_default=True,
    help="rustworkx: compiled and parallel, for large graphs (pagerank, closeness, degree, "
    "exact unweighted betweenness, by igraph when installed; other measures use networkx). "
    "gds: in Neo4j with Graph Data Science (kg neo4j start --gds), on the same projection.",
)
@click.option(
    "--write",
    is_flag=True,
    help="Also store every node's scores in Neo4j as centrality_<measure> properties "
    "(e.g. to size nodes in the Neo4j Browser); the graph must be loaded.",
)
@_window_and_weights
@format_option()
@from_option()
@pass_app
def centrality(
    app: AppContext,
    measure: str | None,
    projection: str | None,
    weighted: bool,
    top: int,
    k: int | None,
    all_nodes: bool,
    engine: str,
    write: bool,
    since: str | None,
    until: str | None,
    weights: tuple[str, ...],
    fmt: str,
    source: str,
) -> None:
    """Rank actors by centrality: degree, betweenness, pagerank, eigenvector, closeness.

    Multigraphs are collapsed to simple undirected graphs (weights summed). Eigenvector
    centrality is computed per connected component, scaled by the component's share of
    the nodes. Notes about the method (sampling, distances) go to stderr.

    \b
    Example:
      kg centrality --top 10
      kg centrality --measure all --format csv > exports/centrality.csv
      kg centrality --measure betweenness --weighted --k 100
      kg centrality --measure degree --since 2004-08 --format json
      kg centrality --measure betweenness --engine rustworkx --top 50
      kg centrality --engine gds --measure all --write
    """
    graph, schema = load_graph(app, source)
    with ExitStack() as stack:
        database = stack.enter_context(_database(app)) if engine == "gds" or write else None
        report = centrality_report(
            graph,
            schema,
            _measure(app, measure),
            projection=projection or app.setting("network.projection") or "actors",
            weighted=weighted,
            k=k,
            top=top or None,
            since=since,
            until=until,
            weights=Weights.parse(weights),
            actors_only=not all_nodes,
            engine=engine,
            database=database,
        )
        if database is not None and write and report.graph is not None:
            written, missing = write_scores(database, schema, report.graph, report.scores)
            stored = ", ".join(f"{SCORE_PREFIX}{m}" for m in report.measures)
            absent = f"; {missing} not in the database (run kg load)" if missing else ""
            click.echo(f"note: wrote {stored} on {written} nodes{absent}", err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    columns = ["rank", "id", "name", "type", "neighbours", *report.measures]
    click.echo(render(report.rows, columns, fmt))


@contextmanager
def _database(app: AppContext) -> Iterator[Database]:
    from kg.cli.neo4j import driver_for
    from kg.network.gds import Database

    with driver_for(app, None, None) as (driver, settings):
        yield Database(driver, settings)


@click.command()
@_projection(None)
@click.option(
    "--measure",
    type=click.Choice(MEASURES),
    default=None,
    help="Centrality measure that sizes the nodes. [default: network.measure setting, "
    "pagerank unless configured; 'all' counts as pagerank]",
)
@click.option("--weighted", is_flag=True, help="Use edge weights in the measure.")
@output_option("PNG to write (default: exports/graph.png, unless only --html is given).")
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a self-contained interactive HTML page (opens offline).",
)
@click.option(
    "--labels",
    type=click.IntRange(min=0),
    default=25,
    show_default=True,
    help="Label at most N nodes in the PNG (the highest scoring).",
)
@click.option("--title", default=None, help="Title (default: from projection and measure).")
@_window_and_weights
@from_option()
@pass_app
def draw(
    app: AppContext,
    projection: str | None,
    measure: str | None,
    weighted: bool,
    output: Path | None,
    html: Path | None,
    labels: int,
    title: str | None,
    since: str | None,
    until: str | None,
    weights: tuple[str, ...],
    source: str,
) -> None:
    """Draw a projection: nodes coloured by type, sized by a centrality measure.

    Writes a PNG (matplotlib, no display needed) and, with --html, a single HTML file with
    inline SVG and script: hover for details, drag nodes, scroll to zoom. No network needed.

    \b
    Example:
      kg draw
      kg draw --measure betweenness -o exports/betweenness.png
      kg draw --html exports/graph.html
      kg draw -o exports/graph.png --html exports/graph.html --since 2004-07
    """
    png = output if output is not None or html is not None else None
    if output is None and html is None:
        png = app.workspace.exports_dir / "graph.png"
    graph, schema = load_graph(app, source)
    projection = projection or app.setting("network.projection") or "actors"
    chosen = _measure(app, measure)
    nxgraph = draw_graph(
        graph,
        schema,
        png=png,
        html=html,
        projection=projection,
        measure=chosen if chosen != "all" else "pagerank",
        weighted=weighted,
        since=since,
        until=until,
        weights=Weights.parse(weights),
        labels=labels,
        title=title,
    )
    size = f"{nxgraph.number_of_nodes()} nodes, {nxgraph.number_of_edges()} edges"
    for path in (png, html):
        if path is not None:
            click.echo(f"wrote {path}: {size} ({projection} projection)")


COMMANDS = [centrality, draw]

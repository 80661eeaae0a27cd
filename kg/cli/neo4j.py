"""Neo4j commands: the local server (kg neo4j), kg load and kg query."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from neo4j import Driver

from kg.cli import AppContext, pass_app
from kg.cli.output import format_option, render
from kg.cli.sources import show_problems
from kg.errors import InputError, Neo4jUnavailable, QueryError, ValidationFailed
from kg.model import Graph
from kg.neo4j import loader, server
from kg.neo4j.connection import DEFAULT_URI, Neo4jSettings, connect
from kg.neo4j.gds import GDS_VERSION, install_gds, installed_gds
from kg.neo4j.queries import bind, convert_param, list_queries, load_query, run_query
from kg.schema import Schema
from kg.stats import summary_line

__all__ = ["COMMANDS", "connection_options", "settings"]

F = TypeVar("F", bound=Callable[..., Any])


def state_dir(app: AppContext) -> Path:
    """Where ``kg neo4j`` keeps its server (setting neo4j.home, relative to the workspace)."""
    return app.workspace.root / Path(app.setting("neo4j.home") or ".kg/neo4j").expanduser()


def cache_dir(app: AppContext) -> Path:
    """Where the Maven-resolved Neo4j jars live, outside any repository (neo4j.cache)."""
    root = Path(app.setting("neo4j.cache") or "~/.cache/kg/neo4j").expanduser()
    return root / server.NEO4J_VERSION


def connection_options(func: F) -> F:
    """``--uri`` and ``--database``; the password comes only from the environment or a prompt."""
    func = click.option("--database", default=None, help="Database name [env NEO4J_DATABASE].")(
        func
    )
    return click.option(
        "--uri", default=None,
        help="bolt:// or neo4j:// URI [env NEO4J_URI; default: the server of 'kg neo4j start',"
        f" else {DEFAULT_URI}].",
    )(func)  # fmt: skip


def settings(app: AppContext, uri: str | None, database: str | None) -> Neo4jSettings:
    """Connection settings: option > environment > kg.toml > the server of ``kg neo4j start``."""
    config = app.config(**{"neo4j.uri": uri, "neo4j.database": database})
    password = config["neo4j.password"].value
    uri = config["neo4j.uri"].value
    if uri is None:
        local = server.status(state_dir(app))
        uri = local.uri if local.running and local.uri else DEFAULT_URI
        if local.running and password is None:
            password = server.read_password(state_dir(app))
        elif password is None:
            raise Neo4jUnavailable(
                f"the local Neo4j server is not running (state in {local.state_dir}): start it"
                " with 'kg neo4j start', or set NEO4J_URI and NEO4J_PASSWORD for another server"
            )
    if password is None and sys.stdin.isatty():
        password = click.prompt(f"Neo4j password for {uri}", hide_input=True, err=True)
    return Neo4jSettings(
        uri=uri, username=config["neo4j.username"].value or "neo4j", password=password,
        database=config["neo4j.database"].value or None,
    )  # fmt: skip


@contextmanager
def driver_for(
    app: AppContext, uri: str | None, database: str | None
) -> Iterator[tuple[Driver, Neo4jSettings]]:
    config = settings(app, uri, database)
    driver = connect(config)
    try:
        yield driver, config
    finally:
        driver.close()


# -- the local server ------------------------------------------------------------------------


@click.group("neo4j")
def neo4j_group() -> None:
    """Run a local Neo4j Community server from Maven Central (no Docker needed).

    The server listens on 127.0.0.1 only and keeps its data in .kg/neo4j/ in the workspace.
    With Docker, 'docker compose up -d --wait' gives the same server.

    \b
    Example:
      kg neo4j start
      kg neo4j status
      kg neo4j stop
    """


@neo4j_group.command("start")
@click.option("--bolt-port", default=7687, show_default=True, help="Bolt port on 127.0.0.1.")
@click.option("--http-port", default=7474, show_default=True, help="HTTP port on 127.0.0.1.")
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for Bolt.")
@click.option(
    "--gds", is_flag=True,
    help=f"Also install Graph Data Science {GDS_VERSION} (for kg centrality --engine gds).",
)  # fmt: skip
@pass_app
def neo4j_start(app: AppContext, bolt_port: int, http_port: int, timeout: float,
                gds: bool) -> None:  # fmt: skip
    """Start the local server (downloading Neo4j with Maven on first use) and wait for it.

    The password is NEO4J_PASSWORD when set; otherwise one is generated and stored, readable
    by you only, in .kg/neo4j/password. The Neo4j Browser is at http://127.0.0.1:7474/browser/.

    \b
    Example:
      kg neo4j start
      kg neo4j start --gds
      NEO4J_PASSWORD=... kg neo4j start --bolt-port 17687 --http-port 17474
    """
    home = state_dir(app)
    was_running, had_gds = server.status(home).running, installed_gds(home)
    if gds and not had_gds:
        install_gds(home, cache_dir(app), server.resolve_distribution(cache_dir(app)))
    info = server.start(
        home, cache_dir(app), password=app.setting("neo4j.password"),
        bolt_port=bolt_port, http_port=http_port, timeout=timeout,
    )  # fmt: skip
    click.echo(f"Neo4j {server.NEO4J_VERSION} is running (pid {info.pid}) at {info.uri}")
    click.echo(f"browser: {info.http_uri}/browser/")
    if gds and not had_gds and was_running:
        click.echo(f"GDS {GDS_VERSION} installed: run 'kg neo4j stop' and start again to load it")
    _print_password_hint(info.password_file)


def _print_password_hint(password_file: Path | None) -> None:
    if password_file is not None:
        click.echo(f"password: stored in {password_file} (owner-only); kg commands read it")
    else:
        click.echo("password: the one in NEO4J_PASSWORD")


@neo4j_group.command("stop")
@pass_app
def neo4j_stop(app: AppContext) -> None:
    """Stop the local server started by 'kg neo4j start' (exactly that process).

    \b
    Example:
      kg neo4j stop
    """
    stopped = server.stop(state_dir(app))
    click.echo("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_group.command("status")
@pass_app
def neo4j_status(app: AppContext) -> None:
    """Say whether the local server runs, where, and where its password and logs are.

    Exits 0 when it runs, 3 when it does not.

    \b
    Example:
      kg neo4j status
    """
    info = server.status(state_dir(app))
    if info.running:
        click.echo(f"running (pid {info.pid}) at {info.uri}, browser {info.http_uri}/browser/")
    else:
        click.echo(f"not running (state in {info.state_dir})")
    _print_password_hint(info.password_file)
    click.echo(f"log: {info.log_file}")
    if not info.running:
        raise SystemExit(3)


# -- load and query --------------------------------------------------------------------------


@click.command("load")
@connection_options
@click.option(
    "--batch-size",
    default=20_000,
    show_default=True,
    type=click.IntRange(1),
    help="Rows per write transaction (whole documents are never split).",
)
@click.option("--wipe", is_flag=True, help="Delete everything kg loaded before (asks first).")
@click.option("--yes", is_flag=True, help="Do not ask before --wipe.")
@click.option(
    "--bulk",
    is_flag=True,
    help="Empty database of 'kg neo4j start' only: stop the server, write the graph with"
    " neo4j-admin import (fastest for a first load), start it again (asks unless --yes).",
)
@click.option(
    "--keep-others",
    is_flag=True,
    help="The database also holds other workspaces: remove only facts that this workspace's"
    " documents no longer state, never other documents.",
)
@pass_app
def load(app: AppContext, uri: str | None, database: str | None, batch_size: int, wipe: bool,
         yes: bool, bulk: bool, keep_others: bool) -> None:  # fmt: skip
    """Load the graph from seeds/ into Neo4j, writing only what changed since the last load.

    Each record and document carries a content hash: unchanged documents are skipped, changed
    ones replaced, and what the annotations no longer hold is removed, so the database equals
    the graph without --wipe. A document is loaded completely or not at all. Documents whose
    annotation has errors are left out (each problem is printed) and kept as they were in the
    database, the others are loaded, and the command then exits 1 naming the rejected files.

    \b
    Example:
      kg load
      NEO4J_URI=neo4j://db.example.org:7687 kg load --database news --batch-size 2000
      kg load --wipe --yes
      kg load --bulk --yes
    """
    schema = app.workspace.load_schema()
    result = app.workspace.build(schema)
    show_problems(app, result)
    graph = result.graph
    prints = result.fingerprints()  # the build's digests: the loader need not hash the records
    with driver_for(app, uri, database) as (driver, config):
        if wipe:
            if not yes:
                click.confirm(f"Delete every kg node in {config.describe()}?", abort=True, err=True)
            click.echo(f"wiped {loader.wipe(driver, config, schema)} nodes")
        if bulk:
            _bulk_load(app, graph, schema, driver, config, yes, prints)
            return
        # A rejected file's document stays as it was: nothing outside the accepted ones goes.
        keep = keep_others or bool(result.errors)
        total = len(graph.documents)
        if total > 1 and sys.stderr.isatty():
            with click.progressbar(length=total, label="loading", file=sys.stderr) as bar:
                report = loader.load_graph(
                    driver, config, graph, schema, batch_size=batch_size, progress=bar.update,
                    keep_others=keep, fingerprints=prints,
                )  # fmt: skip
        else:
            report = loader.load_graph(
                driver,
                config,
                graph,
                schema,
                batch_size=batch_size,
                keep_others=keep,
                fingerprints=prints,
            )
    click.echo(
        f"loaded {summary_line(graph)} into {config.describe()} in {report.batches} batch(es):"
        f" {report.summary()}; the database now holds {report.nodes} nodes and"
        f" {report.relationships} relationships"
    )
    if result.errors:
        rejected = ", ".join(result.rejected) or "see above"
        raise ValidationFailed(
            list(result.errors),
            f"{len(result.errors)} problem(s) found; not loaded: {rejected}",
        )


def _bulk_load(app: AppContext, graph: Graph, schema: Schema, driver: Driver,
               config: Neo4jSettings, yes: bool,
               prints: Mapping[str, str] | None) -> None:  # fmt: skip
    """neo4j-admin import into the empty database of the local server, then constraints."""
    from kg.neo4j import bulk

    home = state_dir(app)
    info = server.status(home)
    if not info.running or info.uri is None or info.http_uri is None or info.uri != config.uri:
        raise Neo4jUnavailable(
            "--bulk writes the files of the local server of 'kg neo4j start' with neo4j-admin;"
            f" {config.describe()} is not that server: load without --bulk"
        )
    held = loader.count_graph(driver, config)[0]
    if held:
        raise InputError(
            f"--bulk needs an empty database; {config.describe()} holds {held} nodes: load"
            " without --bulk (it writes only what changed), or run 'kg load --wipe' first"
        )
    if not yes:
        click.confirm(f"Stop the server at {info.uri}, import with neo4j-admin and start it"
                      " again?", abort=True, err=True)  # fmt: skip
    ports = (int(info.uri.rsplit(":", 1)[1]), int(info.http_uri.rsplit(":", 1)[1]))
    server.stop(home)
    try:
        work = home / "import-csv"
        report = bulk.import_graph(graph, schema, home, cache_dir(app), work, prints)
    finally:
        server.start(home, cache_dir(app), password=app.setting("neo4j.password"),
                     bolt_port=ports[0], http_port=ports[1])  # fmt: skip
    with driver_for(app, None, config.database) as (fresh, settings):
        loader.ensure_constraints(fresh, settings, schema)
        nodes, relationships = loader.count_graph(fresh, settings)
    click.echo(
        f"imported {summary_line(graph)} with neo4j-admin in {report.import_seconds:.1f} s;"
        f" the database now holds {nodes} nodes and {relationships} relationships"
    )


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise QueryError(f"parameters are key=value, not {pair!r}")
        out[key.strip()] = value
    return out


@click.command("query")
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter; repeat for more. Numbers and YYYY-MM-DD dates are typed.",
)
@click.option("-c", "--cypher", default=None, help="Run this Cypher instead of a named query.")
@click.option("--list", "show_list", is_flag=True, help="List the named queries.")
@click.option("--write", is_flag=True, help="Allow a query that writes (refused otherwise).")
@connection_options
@format_option()
@pass_app
def query(app: AppContext, name: str | None, pairs: tuple[str, ...], cypher: str | None,
          show_list: bool, write: bool, uri: str | None, database: str | None,
          fmt: str) -> None:  # fmt: skip
    """Run a named query from queries/ (or -c CYPHER); read-only unless --write.

    \b
    Example:
      kg query --list
      kg query incidents-timeline -p since=2004-08-01
      kg query entity-search -p q=bordyuzha --format json
      kg query -c "MATCH (p:Person) RETURN p.name AS name ORDER BY name"
    """
    folder = app.workspace.queries_dir
    if show_list:
        rows = [{"name": q.name, "parameters": ", ".join(q.params), "description": q.description}
                for q in list_queries(folder)]  # fmt: skip
        click.echo(render(rows, ["name", "parameters", "description"], fmt))
        return
    given = _params(pairs)
    if cypher is not None:
        text, values = cypher, {k: convert_param(v, None, k) for k, v in given.items()}
    elif name is not None:
        path = folder / f"{name}.cypher"
        if not path.is_file():
            known = ", ".join(q.name for q in list_queries(folder))
            raise QueryError(f"no query named {name!r} in {folder} (known: {known})")
        named = load_query(path)
        text, values = named.text, bind(named, given)
    else:
        raise click.UsageError("give a query NAME, -c CYPHER, or --list")
    with driver_for(app, uri, database) as (driver, config):
        result = run_query(driver, config, text, values, write=write)
    click.echo(render(result.rows, result.columns, fmt))
    if fmt == "table":
        click.echo(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})", err=True)


COMMANDS = [neo4j_group, load, query]

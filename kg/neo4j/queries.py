"""Named Cypher queries (``queries/*.cypher`` with a header), typed parameters, read-only runs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver, graph, time

from kg.dates import PartialDate
from kg.errors import DateError, Location, QueryError
from kg.neo4j.connection import Neo4jSettings, database_errors, session
from kg.neo4j.rows import search_key
from kg.yamlio import display_path, read_text

__all__ = [
    "PARAM_TYPES",
    "NamedQuery",
    "Param",
    "QueryResult",
    "bind",
    "convert_param",
    "list_queries",
    "load_query",
    "parse_query",
    "run_query",
]

PARAM_TYPES = ("string", "search", "int", "float", "date", "date_end", "bool")
"""``date`` takes YYYY, YYYY-MM or YYYY-MM-DD as its first day, ``date_end`` as its last day."""
_HEADER = re.compile(r"//\s*(name|description|param|example):\s*(.*)")
_PARAM = re.compile(
    r"(\w+)\s+(\w+)\s+(required|optional)(?:\s+default=(\S+))?(?:\s+range=(-?\d+)\.\.(-?\d+))?\s*(.*)"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Param:
    """A declared parameter: ``// param: since date optional Earliest date``; an int may
    declare its bounds: ``// param: depth int optional default=2 range=1..3 Steps``."""

    name: str
    type: str
    required: bool
    default: str | None = None
    description: str = ""
    bounds: tuple[int, int] | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name, what it answers, its parameters, examples and Cypher text."""

    name: str
    description: str
    text: str
    path: str
    params: Mapping[str, Param] = field(default_factory=dict)
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryResult:
    """Column names and rows of plain values (nodes become property maps, dates ISO text)."""

    columns: list[str]
    rows: list[dict[str, Any]]


def parse_query(text: str, shown: str, default_name: str) -> NamedQuery:
    """Read the header comments of a query file; a malformed header names file and line."""
    fields: dict[str, list[str]] = {"name": [], "description": [], "example": []}
    params: dict[str, Param] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _HEADER.fullmatch(line.strip())
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key != "param":
            fields[key].append(value)
            continue
        declared = _PARAM.fullmatch(value)
        if not declared or declared.group(2) not in PARAM_TYPES:
            raise QueryError(
                "param lines read 'NAME TYPE required|optional [default=VALUE] [range=LO..HI]"
                " description'"
                f" with TYPE one of {', '.join(PARAM_TYPES)}",
                Location(shown, number),
            )
        name, ptype, need, default, low, high, about = declared.groups()
        bounds = (int(low), int(high)) if low is not None and high is not None else None
        params[name] = Param(name, ptype, need == "required", default, about, bounds)
    if not fields["description"]:
        raise QueryError("query file needs a '// description:' line", Location(shown, 1))
    return NamedQuery(
        fields["name"][0] if fields["name"] else default_name,
        " ".join(fields["description"]),
        text,
        shown,
        params,
        tuple(fields["example"]),
    )


def list_queries(folder: Path) -> list[NamedQuery]:
    """Every ``*.cypher`` file of a folder, by name."""
    queries = [load_query(path) for path in sorted(folder.glob("*.cypher"))]
    return sorted(queries, key=lambda q: q.name)


def load_query(path: Path) -> NamedQuery:
    return parse_query(read_text(path), display_path(path), path.stem)


def convert_param(value: str, ptype: str | None, name: str) -> Any:
    """A command-line value as the declared type, or guessed (int, float, date, bool, text).

    >>> convert_param("3", None, "n"), convert_param("2004-08-06", None, "d")
    (3, datetime.date(2004, 8, 6))
    >>> convert_param("Nazarbáyev", "search", "q")
    'nazarbayev'
    >>> convert_param("2004-08", "date", "since"), convert_param("2004", "date_end", "until")
    (datetime.date(2004, 8, 1), datetime.date(2004, 12, 31))
    """
    try:
        if ptype == "search":
            return search_key(value)
        if ptype == "string":
            return value
        if ptype == "int" or (ptype is None and re.fullmatch(r"-?\d+", value)):
            return int(value)
        if ptype == "float" or (ptype is None and re.fullmatch(r"-?\d+\.\d*", value)):
            return float(value)
        if ptype in ("date", "date_end"):
            partial = PartialDate.from_iso(value)
            return partial.last_day() if ptype == "date_end" else partial.first_day()
        if ptype is None and _ISO_DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
        if ptype == "bool" or (ptype is None and value.lower() in ("true", "false")):
            if value.lower() not in ("true", "false"):
                raise ValueError("expected true or false")
            return value.lower() == "true"
    except (ValueError, DateError) as exc:
        raise QueryError(f"parameter {name}={value!r} is not a valid {ptype}: {exc}") from None
    return value


def bind(query: NamedQuery, given: Mapping[str, str]) -> dict[str, Any]:
    """Parameters for a named query: declared names only, typed, defaults filled in."""
    unknown = sorted(set(given) - set(query.params))
    if unknown:
        raise QueryError(
            f"{query.name} has no parameter {unknown[0]!r}"
            f" (it takes: {', '.join(query.params) or 'none'})"
        )
    values: dict[str, Any] = {}
    for name, param in query.params.items():
        raw = given.get(name, param.default)
        if raw is None:
            if param.required:
                raise QueryError(f"{query.name} needs -p {name}=... ({param.description})")
            values[name] = None
            continue
        values[name] = convert_param(raw, param.type, name)
        low, high = param.bounds or (values[name], values[name])
        if not low <= values[name] <= high:
            raise QueryError(
                f"{query.name}: {name}={raw} is out of range ({name} must be {low} to {high})"
            )
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, graph.Node):
        return dict(value)
    if isinstance(value, graph.Relationship):
        return {"type": value.type, **dict(value)}
    if isinstance(value, graph.Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, time.Date | time.DateTime | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def run_query(
    driver: Driver,
    settings: Neo4jSettings,
    text: str,
    params: Mapping[str, Any],
    *,
    write: bool = False,
) -> QueryResult:
    """Run Cypher; unless ``write``, a query that would write is refused before it runs.

    The check uses ``EXPLAIN`` (which plans without executing) and the run itself happens in
    a read transaction, so the server refuses writes too.
    """
    with database_errors(settings), session(driver, settings, write=write) as s:
        if not write:
            kind = s.run("EXPLAIN " + text, **params).consume().query_type
            if kind != "r":
                raise QueryError(
                    "this query would write to the database (query type"
                    f" {kind!r}); pass --write to allow it"
                )
        work = s.execute_write if write else s.execute_read
        columns, records = work(_collect, text, params)
    return QueryResult(columns, [{k: _plain(v) for k, v in r.items()} for r in records])


def _collect(tx: Any, text: str, params: Mapping[str, Any]) -> tuple[list[str], Sequence[Any]]:
    result = tx.run(text, **params)
    records = [record.data() for record in result]
    return list(result.keys()), records

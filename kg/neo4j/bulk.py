"""Bulk import into an empty database: the loader's rows as CSV, then ``neo4j-admin import``.

The rows are those of :mod:`kg.neo4j.rows` (the transactional loader's), so both paths give
the same nodes, relationships and properties. ``neo4j-admin database import full`` runs
from the Maven-resolved jars of :mod:`kg.neo4j.server` while no server uses the database.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError, ServerError
from kg.model import Graph
from kg.neo4j import server
from kg.neo4j.plan import batches
from kg.neo4j.rows import Batch
from kg.schema import EVIDENCE, Schema

__all__ = [
    "ARRAY_DELIMITER",
    "CsvFiles",
    "ImportReport",
    "import_csv",
    "import_graph",
    "unique_batches",
    "write_csv",
]

ARRAY_DELIMITER = "\x1f"
"""Separates the items of a list property inside one CSV field (ASCII unit separator)."""

_CONF = """# Written by kg (kg.neo4j.bulk) for neo4j-admin; 'kg neo4j start' rewrites it.
server.directories.data=data
server.directories.logs=logs
server.directories.run=run
server.directories.import=import
server.directories.plugins=plugins
"""


@dataclass
class CsvFiles:
    """The CSV files of one import, by node label and relationship type, with row counts."""

    folder: Path
    nodes: dict[str, Path] = field(default_factory=dict)
    relationships: dict[str, Path] = field(default_factory=dict)
    node_count: int = 0
    relationship_count: int = 0
    multiline: list[Path] = field(default_factory=list)
    """Files with values that span lines (document texts)."""


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote, and how long each step took (seconds)."""

    nodes: int
    relationships: int
    csv_seconds: float
    import_seconds: float


def _column_type(values: Iterable[Any], key: str) -> str:
    """The neo4j-admin type of a column from its (non-None) values.

    >>> _column_type([1, 2.5], "x"), _column_type([["a"], []], "y"), _column_type(["a"], "z")
    ('double', 'string[]', 'string')
    """
    kinds: set[str] = set()
    for value in values:
        items, suffix = (value, "[]") if isinstance(value, list) else ([value], "")
        for item in items:
            if isinstance(item, bool):
                kinds.add("boolean" + suffix)
            elif isinstance(item, int):
                kinds.add("long" + suffix)
            elif isinstance(item, float):
                kinds.add("double" + suffix)
            elif isinstance(item, dt.date):
                kinds.add("date" + suffix)
            elif isinstance(item, str):
                kinds.add("string" + suffix)
            else:
                raise InputError(f"property {key!r}: cannot write {item!r} to CSV")
        if not items:
            kinds.add("?" + suffix)
    if kinds <= {"long", "double"} and kinds:
        return "double" if "double" in kinds else "long"
    if kinds <= {"long[]", "double[]", "?[]"} and kinds - {"?[]"}:
        return "double[]" if "double[]" in kinds else "long[]"
    known = kinds - {"?[]"}
    if len(known) > 1:
        raise InputError(f"property {key!r} mixes value types {sorted(known)}")
    return known.pop() if known else "string[]"


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        text = [str(_cell(v)) for v in value]
        if any(ARRAY_DELIMITER in t for t in text):
            raise InputError(f"a list value holds the CSV array delimiter: {value!r}")
        return ARRAY_DELIMITER.join(text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _field(value: str | None) -> str:
    '''A CSV field: None is an empty field (no property), text is always quoted.

    >>> print(_field(None), _field(""), _field('say "no"'))
     "" "say ""no"""
    '''
    return "" if value is None else '"' + value.replace('"', '""') + '"'


def _write(
    path: Path, fixed: list[str], rows: list[tuple[list[str], Mapping[str, Any]]], skip: str = ""
) -> bool:
    """One CSV file: fixed columns, then one typed column per property; True if multiline."""
    keys: dict[str, list[Any]] = defaultdict(list)
    for _, props in rows:
        for key, value in props.items():
            if value is not None and key != skip:
                keys[key].append(value)
    names = sorted(keys)
    header = [*fixed, *(f"{k}:{_column_type(keys[k], k)}" for k in names)]
    multiline = False
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(_field(h) for h in header) + "\n")
        for lead, props in rows:
            line = ",".join(_field(c) for c in (*lead, *(_cell(props.get(k)) for k in names)))
            multiline = multiline or "\n" in line or "\r" in line
            handle.write(line + "\n")
    return multiline


def unique_batches(batch_list: list[Batch]) -> Iterator[Batch]:
    """Each record once. ``kg.neo4j.plan`` already puts each record in one batch only; this
    stays as a guard for batches built otherwise."""
    seen: set[str] = set()
    for batch in batch_list:
        fresh = {row["id"] for rows in batch.nodes.values() for row in rows} - seen
        out = Batch()
        for label, rows in batch.nodes.items():
            out.nodes[label] = [r for r in rows if r["id"] in fresh]
        for key, rows in batch.links.items():
            out.links[key] = [r for r in rows if r["record"] in fresh]
        for label, rows in batch.evidence.items():
            out.evidence[label] = [r for r in rows if r["record"] in fresh]
        for key, rows in batch.relations.items():
            out.relations[key] = [r for r in rows if r["id"] not in seen]
            seen.update(r["id"] for r in rows)
        seen |= fresh
        yield out


def write_csv(
    graph: Graph, schema: Schema, folder: Path, fingerprints: Mapping[str, str] | None = None
) -> CsvFiles:
    """The graph as neo4j-admin CSV files in ``folder``: one per label and relationship type
    (``fingerprints`` as in :func:`kg.neo4j.plan.plan`: a later load compares them)."""
    folder.mkdir(parents=True, exist_ok=True)
    entity_batches, document_batches = batches(graph, schema, 1 << 62, fingerprints)
    nodes: dict[str, list[tuple[list[str], Mapping[str, Any]]]] = defaultdict(list)
    rels: dict[str, list[tuple[list[str], Mapping[str, Any]]]] = defaultdict(list)
    for batch in unique_batches([*entity_batches, *document_batches]):
        for label, rows in batch.nodes.items():
            labels = ARRAY_DELIMITER.join(schema.labels_for(label))  # :LABEL is an array
            nodes[label].extend(([row["id"], labels], row["props"]) for row in rows)
        for (rel_type, _, _), rows in batch.links.items():
            rels[rel_type].extend(
                ([r["record"], r["target"]], {**r["props"], "key": r["key"]}) for r in rows
            )
        for rows in batch.evidence.values():
            rels[EVIDENCE].extend(
                ([r["record"], r["document"]], {**r["props"], "key": r["key"]}) for r in rows
            )
        for (rel_type, _, _), rows in batch.relations.items():
            rels[rel_type].extend(([r["source"], r["target"]], r["props"]) for r in rows)
    files = CsvFiles(folder)
    for label, node_rows in sorted(nodes.items()):
        path = folder / f"nodes-{label}.csv"
        if _write(path, ["id:ID", ":LABEL"], node_rows, skip="id"):
            files.multiline.append(path)
        files.nodes[label], files.node_count = path, files.node_count + len(node_rows)
    for rel_type, rel_rows in sorted(rels.items()):
        path = folder / f"relationships-{rel_type}.csv"
        if _write(path, [":START_ID", ":END_ID"], rel_rows):
            files.multiline.append(path)
        files.relationships[rel_type] = path
        files.relationship_count += len(rel_rows)
    return files


def import_csv(
    files: CsvFiles,
    state_dir: Path,
    cache_dir: Path,
    *,
    database: str = "neo4j",
    java: str = "java",
    timeout: float = 3600.0,
) -> float:
    """Run ``neo4j-admin database import full`` into ``state_dir``; returns the seconds taken.

    The database is overwritten. No server may be running from ``state_dir``.
    """
    state_dir = state_dir.expanduser().resolve()
    if server.status(state_dir).running:
        raise ServerError(f"Neo4j runs from {state_dir}; stop it before a bulk import")
    java_path = shutil.which(java)
    if java_path is None:
        raise ServerError(f"Java ({java!r}) not found; neo4j-admin needs Java 17 or 21")
    jars = server.resolve_distribution(cache_dir)
    conf = state_dir / "conf" / "neo4j.conf"
    if not conf.is_file():
        conf.parent.mkdir(parents=True, exist_ok=True)
        conf.write_text(_CONF, encoding="utf-8")
    command = [java_path, "-Xmx1g", "-Dfile.encoding=UTF-8", "-cp", os.pathsep.join(map(str, jars))]
    # The database comes first: list-valued options would swallow a trailing positional.
    command += [server.ADMIN_TOOL, "database", "import", "full", database]
    command += ["--overwrite-destination=true", "--verbose"]
    command += [f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}", "--id-type=string"]
    command += [f"--report-file={files.folder / 'import.report'}"]
    if files.multiline:
        command += ["--multiline-fields-format=v2"]
        command += ["--multiline-fields=" + ",".join(str(p) for p in files.multiline)]
    command += [f"--nodes={path}" for path in files.nodes.values()]  # labels: :LABEL column
    command += [f"--relationships={rel}={path}" for rel, path in files.relationships.items()]
    env = dict(os.environ, NEO4J_HOME=str(state_dir), NEO4J_CONF=str(conf.parent))
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env,
            cwd=state_dir, timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise ServerError(f"neo4j-admin import did not finish in {timeout:.0f} s") from exc
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-30:])
        raise ServerError(f"neo4j-admin database import failed:\n{tail}")
    return time.perf_counter() - started


def import_graph(
    graph: Graph,
    schema: Schema,
    state_dir: Path,
    cache_dir: Path,
    work_dir: Path,
    fingerprints: Mapping[str, str] | None = None,
) -> ImportReport:
    """Write the CSV files into ``work_dir`` and import them into ``state_dir``'s database.

    Afterwards start the server and call ``kg.neo4j.loader.ensure_constraints``: the import
    writes data only, not the uniqueness constraints.
    """
    started = time.perf_counter()
    files = write_csv(graph, schema, work_dir, fingerprints)
    csv_seconds = time.perf_counter() - started
    seconds = import_csv(files, state_dir, cache_dir)
    return ImportReport(files.node_count, files.relationship_count, csv_seconds, seconds)

"""The build's steps against the per-record store (:mod:`kg.store`).

Articles and annotation files are read only when their content changed; references are
checked again only in the files an edit can change (those referring to an id or name the
edited files declare, or declared before); a record is merged again only when the set of
accepted files describing it, or one of their descriptions, changed; what refers to a
record no accepted file declares is pruned record by record; graph.json is written by
streaming each record's stored text in id order.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.annotations import SECTIONS
from kg.dates import DateOrder
from kg.documents import date_warning, read_article
from kg.errors import KgError, Location
from kg.graphjson import graph_to_dict
from kg.model import Document, Graph
from kg.plain import parsed_data
from kg.problems import Problem
from kg.schema import Schema
from kg.store import Store, blob, unblob

if TYPE_CHECKING:
    from kg.build import _FileResult

__all__ = [
    "FileRows",
    "Index",
    "Mapper",
    "StoreIndex",
    "Touched",
    "drop_file",
    "file_rows",
    "insert_parsed",
    "put_file",
    "read_articles",
]

_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


class Index:
    """Ids, names and aliases of declared records, for resolving references."""

    def __init__(self, declared: Iterable[tuple[str, str, list[str]]]) -> None:
        self.types: dict[str, str] = {}
        self.names: dict[str, set[str]] = defaultdict(set)
        for record_id, type_name, names in declared:
            self.types.setdefault(record_id, type_name)
            for name in names:
                self.names[name.casefold()].add(record_id)

    def resolve(self, ref: str) -> tuple[str, str] | str:
        type_name = self.types.get(ref)
        if type_name is not None:
            return ref, type_name
        matches = sorted(self.names.get(ref.casefold(), ()))
        if len(matches) == 1:
            return matches[0], self.types[matches[0]]
        if matches:
            return f"{ref!r} is ambiguous: it names {', '.join(matches)}; use an id"
        return f"unknown reference {ref!r} (no record with that id, name or alias)"


_DECLARED = (
    "SELECT i.id, i.type, i.key FROM idx i JOIN files f ON f.shown = i.shown {} "
    "ORDER BY 1 - f.ok, i.shown, i.ord, i.rowid"
)


def _index_of(store: Store) -> Index:
    """The :class:`Index` of every declaration in the store (as ``Index`` of the ``idx``
    rows' ids, types and names in :data:`_DECLARED`'s order, made without a list a row).

    Only the type of an id declared with several types depends on the order (the first
    declaration's): the rows are read in the table's order (no sort of them all), and the
    declarations of those ids again, in order."""
    index = Index(())
    types, names = index.types, index.names
    clashes = set()
    for record_id, type_name, key in store.db.execute("SELECT id, type, key FROM idx"):
        if key.startswith("n:"):  # a name, declared after its id (in the rows' order)
            names[key[2:].casefold()].add(record_id)
        elif types.setdefault(record_id, type_name) != type_name:
            clashes.add(record_id)
    if clashes:
        table = store.scratch("ids", clashes)
        first: dict[str, str] = {}
        for record_id, type_name, _ in store.db.execute(
            _DECLARED.format(f"WHERE i.id IN (SELECT v FROM {table})")
        ):
            first.setdefault(record_id, type_name)
        types.update(first)
    return index


class StoreIndex:
    """Resolves references against every file's declarations in the store: all read at
    once (``everything``), or only those a reference could match, when asked."""

    def __init__(self, store: Store, everything: bool) -> None:
        self.store = store
        self.full = _index_of(store) if everything else None
        self.known: dict[str, tuple[str, str] | str] = {}

    def resolve(self, ref: str) -> tuple[str, str] | str:
        if self.full is not None:
            return self.full.resolve(ref)
        found = self.known.get(ref)
        if found is None:
            sql = "SELECT DISTINCT id FROM idx WHERE key = ?"
            ids = [r[0] for r in self.store.rows(sql, (f"n:{ref.casefold()}",))]
            declared: list[tuple[str, str, list[str]]] = []
            for record_id in [ref, *ids]:
                type_name = self.type_of(record_id)
                if type_name is not None:
                    declared.append((record_id, type_name, [] if record_id is ref else [ref]))
            found = self.known[ref] = Index(declared).resolve(ref)
        return found

    def type_of(self, record_id: str) -> str | None:
        """The type of a record's first declaration (files valid on their own first)."""
        key = f"i:{record_id}"
        types = self.store.rows("SELECT DISTINCT type FROM idx WHERE key = ?", (key,))
        if len(types) <= 1:
            return str(types[0][0]) if types else None
        rows = self.store.rows(_DECLARED.format("WHERE i.key = ?") + " LIMIT 1", (key,))
        return str(rows[0][1])


class Touched:
    """What an edit touches: ids and names declared (``i:id``, ``n:name``), records."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.records: set[tuple[str, int]] = set()

    def pop_keys(self) -> set[str]:
        keys, self.keys = self.keys, set()
        return keys


Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], Iterable[Any]]
"""Runs a function on each item, in order (``map``, or in parallel: see :mod:`kg.build`)."""


def read_articles(
    store: Store,
    schema: Schema,
    files: Mapping[str, tuple[Path, str]],
    date_order: DateOrder | None,
    problems: list[Problem],
    mapper: Mapper = map,
) -> tuple[dict[str, str], dict[str, str]]:
    """The article (shown path) and content key of each document id; articles read only
    when changed (each by ``mapper``, then stored here)."""
    rows = {r[0]: r[1:] for r in store.rows("SELECT shown, key, doc, path, problems FROM articles")}
    for shown in rows.keys() - files.keys():
        store.db.execute("DELETE FROM articles WHERE shown = ?", (shown,))
    todo = [
        (shown, path, key)
        for shown, (path, key) in files.items()
        if shown not in rows or rows[shown][0] != key
    ]

    def read(item: tuple[str, Path, str]) -> tuple[Any, ...]:
        return _article_row(schema, *item, date_order)

    for made in mapper(read, todo):
        store.db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)", made)
        rows[made[0]] = (made[1], made[2], made[3], made[6])
    ids: dict[str, str] = {}
    paths: dict[str, str | None] = {}
    digests: dict[str, str] = {}
    for shown, (_, key) in files.items():
        _, doc_id, doc_path, found = rows[shown]
        problems.extend(unblob(found) or ())
        if doc_id is None:
            continue
        if doc_id in ids:
            problems.append(
                Problem(
                    Location(shown),
                    "duplicate-id",
                    f"document id {doc_id} is also used by {paths[doc_id]}",
                )
            )
            continue
        ids[doc_id], paths[doc_id], digests[doc_id] = shown, doc_path, key
    return ids, digests


def _article_row(
    schema: Schema, shown: str, path: Path, key: str, order: DateOrder | None
) -> tuple[Any, ...]:
    """The ``articles`` row of one article, read."""
    doc: Document | None = None
    text = None
    try:
        doc = read_article(path, order)
    except (KgError, OSError) as exc:
        error = exc if isinstance(exc, KgError) else KgError(str(exc))
        problems = [Problem.from_error(error, "bad-article", Location(shown))]
    else:
        undated = date_warning(doc)
        problems = (
            [Problem(Location(shown, None, "date"), "undated", undated, "warning")]
            if undated
            else []
        )
        text = _ENCODE(graph_to_dict(Graph(documents={doc.id: doc}), schema)["documents"][0])
    return (
        shown,
        key,
        doc.id if doc else None,
        doc.path if doc else None,
        blob(doc) if doc else None,
        text,
        blob(problems) if problems else None,
    )


def _forget(store: Store, shown: str, touched: Touched, declared: bool = True) -> None:
    """Delete what the store holds of a file's parse, noting what it described (and, when
    ``declared``, what it declared)."""
    if declared:
        rows = store.rows("SELECT key FROM idx WHERE shown = ?", (shown,))
        touched.keys.update(r[0] for r in rows)
    touched.records.update(
        store.rows("SELECT record, section FROM descs WHERE shown = ?", (shown,))
    )
    for table in ("idx", "refs", "descs"):
        store.db.execute(f"DELETE FROM {table} WHERE shown = ?", (shown,))


def drop_file(store: Store, shown: str, touched: Touched) -> None:
    """A file removed from the inputs."""
    _forget(store, shown, touched)
    store.db.execute("DELETE FROM files WHERE shown = ?", (shown,))


FileRows = tuple[str, tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]], list[Any]]
"""A parsed file as the store keeps it: its name, its ``files`` row, its ``descs``, ``idx``
and ``refs`` rows (made where it was parsed: in a parsing process with ``--jobs``)."""


def file_rows(result: _FileResult, digest: str) -> FileRows:
    """The rows of the store that hold ``result`` (a file's parse; ``digest``, its content)."""
    shown = result.shown
    records = result.records
    version = hashlib.blake2b(digest_size=16)
    descs = []
    if records is not None:
        for section_no, section in enumerate(SECTIONS):
            for seq, (record, where) in enumerate(getattr(records, section)):
                # The build pauses the collector (no ``blob``'s pause per description).
                data = parsed_data(record, where.line)  # (the file: the row's)
                version.update(data)
                made = hashlib.blake2b(data, digest_size=16).hexdigest()
                descs.append((record.id, section_no, shown, seq, made, data))
    problems = [*result.problems, *(records.problems if records is not None else ())]
    head = blob(problems) if problems else None
    version.update(head or b"")
    row = (
        shown,
        digest,
        version.hexdigest(),
        result.document,
        result.article,
        int(records is not None),
        int(result.ok),
        result.document_line,
        head,
    )
    idx = []
    for order, (record_id, type_name, names) in enumerate(result.declared):
        idx.append((shown, f"i:{record_id}", record_id, type_name, order))
        idx.extend((shown, f"n:{n.casefold()}", record_id, type_name, order) for n in names)
    refs = [
        (shown, ref, ref.casefold(), *(found if isinstance(found, tuple) else (found, None)))
        for ref, found in result.resolutions.items()
    ]
    return shown, row, descs, idx, refs


def put_file(store: Store, rows: FileRows, touched: Touched, again: bool = False) -> None:
    """Replace what the store holds of a file by ``rows`` (of its parse, :func:`file_rows`).

    Parsed ``again`` (its references resolved anew), a file declares what it declared:
    what it declares counts as touched only when its validity (the declarations' order)
    changed.
    """
    shown, row, descs, idx, _ = rows
    last = store.rows("SELECT ok FROM files WHERE shown = ?", (shown,))
    declared = not again or not last or last[0][0] != row[6]
    if last:  # a file the store has no row of has nothing else in it either
        _forget(store, shown, touched, declared)
    touched.records.update((d[0], d[1]) for d in descs)
    store.db.execute(
        "INSERT INTO files (shown, digest, version, document, article, parsed, ok, line, head)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shown) DO UPDATE SET"
        " digest = excluded.digest, version = excluded.version, document = excluded.document,"
        " article = excluded.article, parsed = excluded.parsed, ok = excluded.ok,"
        " line = excluded.line, head = excluded.head",
        row,
    )
    if declared:
        touched.keys.update(r[1] for r in idx)
    insert_parsed(store.db, rows)


def insert_parsed(db: sqlite3.Connection, rows: FileRows) -> None:
    """Insert the ``descs``, ``idx`` and ``refs`` rows of a file's parse into ``db`` (the
    store, or a parsing process's part file: see :data:`kg.store.PARSED`)."""
    _, _, descs, idx, refs = rows
    db.executemany("INSERT INTO descs VALUES (?, ?, ?, ?, ?, ?)", descs)
    db.executemany("INSERT INTO idx VALUES (?, ?, ?, ?, ?)", idx)
    db.executemany("INSERT INTO refs VALUES (?, ?, ?, ?, ?)", refs)


_REFS = "SELECT shown, ref, found, type FROM refs"


def resolutions(store: Store, files: set[str], keys: set[str]) -> Iterator[tuple[str, str, Any]]:
    """How references were resolved when their files were parsed: every reference of
    ``files``, and each reference that an id or name in ``keys`` could resolve (the others
    resolve as they did)."""
    (stored,) = store.rows("SELECT COUNT(*) FROM files")
    if len(files) >= stored[0]:  # every file (a first build): every reference, once
        for shown, ref, found, type_name in store.db.execute(_REFS):
            yield shown, ref, (found, type_name) if type_name is not None else found
        return
    ids = {k[2:] for k in keys if k.startswith("i:")}
    names = {k[2:] for k in keys if k.startswith("n:")}
    if ids:  # a name of a record whose declarations changed may now give another type
        table = store.scratch("ids", ids)
        sql = f"SELECT DISTINCT key FROM idx WHERE id IN (SELECT v FROM {table})"
        names.update(r[0][2:] for r in store.rows(sql) if r[0].startswith("n:"))
    store.scratch("wanted", files)
    store.scratch("ids", ids)
    store.scratch("cfs", names)
    sql = (
        "SELECT shown, ref, found, type FROM refs WHERE shown IN (SELECT v FROM wanted)"
        " UNION ALL SELECT shown, ref, found, type FROM refs WHERE ref IN (SELECT v FROM ids)"
        " UNION ALL SELECT shown, ref, found, type FROM refs WHERE ref_cf IN (SELECT v FROM cfs)"
    )
    for shown, ref, found, type_name in store.db.execute(sql):
        yield shown, ref, (found, type_name) if type_name is not None else found

"""The per-record build store: one SQLite file under a workspace's ``.kg/``.

It keeps, for each input, what the build made of it, and for each record what the graph
holds, so that an edit re-reads and rewrites only the files and records it touches:

- ``articles``: each article's content key, document id, the document (pickled), its
  graph.json text and its problems;
- ``files``: each annotation file's content key, the version (hash) of its parse, its
  document, whether it is valid on its own and whether it was accepted, its problems;
- ``idx`` and ``refs``: the ids and names each file declares, and how each reference it
  makes was resolved (to the id and type of a record, or to the reason it does not
  resolve, ``type`` NULL; to re-check only the files an edit can change);
- ``descs``: each file's description of each record (pickled as plain tuples, see
  :mod:`kg.plain`), by record;
- ``records``: each merged record (pickled as a description is, with its statements and
  problems), the files it was merged from, its graph.json text, a digest of that text and
  its statements (``fp``), what it refers to (``links``), its names (``names``, for alias
  clashes) and its counts (for ``kg stats``);
- ``wchunks``, ``wtouch`` and the ``meta`` row ``graphjson``, once graph.json was written
  from the store: where the records lie in that file (a chunk of them per row), the records
  and documents changed since (kept by triggers), and the file's identity, for the next
  write to copy what did not change (see :mod:`kg.graphfile`).

A build runs in one transaction: a crash leaves the store as it was. A first build in
processes parses and merges in forked processes, each writing a part file next to the store
(the merge's read the parsing ones', while the building process copies those in); it
commits the parsed files during the merge, with a mark (``meta`` ``unfinished``) that its
last commit removes: a store left with the mark, like one that cannot be read, is rebuilt
(with a notice), never trusted.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.gcpause import gc_paused
from kg.model import Document

__all__ = [
    "ORDER",
    "PARSED",
    "LazyDocuments",
    "Store",
    "blob",
    "in_use",
    "locked",
    "make_part",
    "order_part",
    "part_path",
    "unblob",
]

_TABLES = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v BLOB);
CREATE TABLE articles (shown TEXT PRIMARY KEY, key TEXT, doc TEXT, path TEXT, data BLOB,
    text TEXT, problems BLOB);
CREATE INDEX articles_doc ON articles (doc, shown);
CREATE TABLE files (shown TEXT PRIMARY KEY, digest TEXT, version TEXT, document TEXT,
    article TEXT, parsed INT, ok INT, mkey TEXT, line INT, head BLOB);
CREATE TABLE idx (shown TEXT, key TEXT, id TEXT, type TEXT, ord INT);
CREATE INDEX idx_key ON idx (key, id, type);
CREATE INDEX idx_shown ON idx (shown);
CREATE TABLE refs (shown TEXT, ref TEXT, ref_cf TEXT, found TEXT, type TEXT);
CREATE INDEX refs_shown ON refs (shown);
CREATE INDEX refs_ref ON refs (ref);
CREATE INDEX refs_cf ON refs (ref_cf);
CREATE TABLE descs (record TEXT, section INT, shown TEXT, seq INT, hash TEXT, data BLOB);
CREATE INDEX descs_record ON descs (section, record);
CREATE INDEX descs_shown ON descs (shown);
CREATE TABLE records (id TEXT, section INT, key TEXT, data BLOB, state INT, final BLOB,
    text TEXT, label TEXT, nev INT, errs INT, trouble BLOB, stmts TEXT, sdata BLOB, fp TEXT,
    PRIMARY KEY (id, section));
CREATE INDEX records_errs ON records (errs) WHERE errs = 1;
CREATE INDEX records_trouble ON records (id) WHERE trouble IS NOT NULL;
CREATE INDEX records_state ON records (state) WHERE state != 0;
CREATE INDEX records_order ON records (section, id);
CREATE INDEX records_stats ON records (section, label, state, nev);
CREATE TABLE links (record TEXT, section INT, target TEXT);
CREATE INDEX links_record ON links (record, section);
CREATE INDEX links_target ON links (target);
CREATE TABLE names (entity TEXT, name TEXT);
CREATE INDEX names_entity ON names (entity);
CREATE INDEX names_name ON names (name, entity);
"""


_WRITES = (
    "CREATE TABLE IF NOT EXISTS wchunks (part INT, start TEXT, size INT, sel TEXT,"
    " PRIMARY KEY (part, start)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS wtouch (section INT, id TEXT, PRIMARY KEY (section, id))"
    " WITHOUT ROWID",
    "CREATE TRIGGER IF NOT EXISTS wtouch_records_insert AFTER INSERT ON records BEGIN"
    " INSERT OR IGNORE INTO wtouch VALUES (new.section, new.id); END",
    "CREATE TRIGGER IF NOT EXISTS wtouch_records_delete AFTER DELETE ON records BEGIN"
    " INSERT OR IGNORE INTO wtouch VALUES (old.section, old.id); END",
    "CREATE TRIGGER IF NOT EXISTS wtouch_records_update AFTER UPDATE ON records"
    " WHEN old.text IS NOT new.text OR old.state IS NOT new.state OR old.stmts IS NOT new.stmts"
    " OR old.sdata IS NOT new.sdata OR old.id IS NOT new.id OR old.section IS NOT new.section"
    " BEGIN INSERT OR IGNORE INTO wtouch VALUES (old.section, old.id), (new.section, new.id);"
    " END",
    "CREATE TRIGGER IF NOT EXISTS wtouch_articles_insert BEFORE INSERT ON articles BEGIN"
    " INSERT OR IGNORE INTO wtouch SELECT -1, doc FROM articles"
    " WHERE shown = new.shown AND doc IS NOT NULL;"
    " INSERT OR IGNORE INTO wtouch SELECT -1, new.doc WHERE new.doc IS NOT NULL; END",
    "CREATE TRIGGER IF NOT EXISTS wtouch_articles_delete AFTER DELETE ON articles"
    " WHEN old.doc IS NOT NULL BEGIN INSERT OR IGNORE INTO wtouch VALUES (-1, old.doc); END",
    "CREATE TRIGGER IF NOT EXISTS wtouch_articles_update AFTER UPDATE ON articles BEGIN"
    " INSERT OR IGNORE INTO wtouch SELECT -1, old.doc WHERE old.doc IS NOT NULL;"
    " INSERT OR IGNORE INTO wtouch SELECT -1, new.doc WHERE new.doc IS NOT NULL; END",
)
"""What :meth:`Store.track_writes` adds: made once graph.json is first written from the
store, not before (a first build's millions of rows fire no trigger); section -1 in
``wtouch`` is a document's."""


def _indexes() -> Iterator[tuple[str, str, str]]:
    """Each index of the store: its name, its table, the statement that makes it."""
    for statement in _TABLES.split(";"):
        words = statement.split()
        if words[:2] == ["CREATE", "INDEX"]:
            yield words[2], words[4], statement.strip()


def blob(value: object) -> bytes:
    with gc_paused():
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def unblob(data: bytes | None) -> Any:
    if data is None:
        return None
    with gc_paused():
        return pickle.loads(data)


_WAIT = 600.0  # seconds a build waits for another kg process's build of the same workspace


def _salt(db: sqlite3.Connection) -> object:
    """The store's salt; None for no store, or for one a build left unfinished."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone():
        return None
    found = dict(db.execute("SELECT k, v FROM meta WHERE k IN ('salt', 'unfinished')"))
    return None if "unfinished" in found else found.get("salt")


def _unfinished(db: sqlite3.Connection) -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
    return bool(
        db.execute(sql).fetchone()
        and db.execute("SELECT 1 FROM meta WHERE k = 'unfinished'").fetchone()
    )


def part_path(store: Path, number: int | str) -> Path:
    """The part file ``number`` of a first build's merge (see :meth:`Store.copy_parts`;
    ``p`` and a process id: a parsing process's, see :data:`PARSED`)."""
    return store.with_name(f"{store.name}-part{number}")


def make_part(path: Path, tables: Iterable[str] = ()) -> sqlite3.Connection:
    """A new part file: the tables a first build's merge writes (or ``tables``), without
    their indexes, in a transaction (never trusted on its own: no journal)."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(str(path), isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    for statement in _TABLES.split(";"):
        words = statement.split()
        if words[:2] == ["CREATE", "TABLE"] and words[2] in (tuple(tables) or _PARTS):
            db.execute(statement)
    db.execute("BEGIN")
    return db


def order_part(path: Path) -> None:
    """Index a parsing process's part file (see :data:`PARSED`) in the order a first
    build's merge reads its descriptions (see :meth:`kg.records._Merger.merge_parts`)."""
    db = sqlite3.connect(str(path), isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute(f"CREATE INDEX IF NOT EXISTS descs_order ON descs ({ORDER})")
    finally:
        db.close()


ORDER = "section, record, shown, seq"
"""The order in which descriptions are merged."""

_PARTS = ("records", "links", "names")
"""The tables a first build's merge writes in part files."""

PARSED = ("descs", "idx", "refs")
"""The tables a first build's parsing processes write in part files (their ``files`` rows
go back to the building process, to keep the order of the files)."""

_LATER = ("idx", "refs")
"""Tables a first build fills without indexes and does not read by them before its merge
(unless a reference resolves anew): indexed while the merge's processes run, or before the
build commits (see :meth:`Store.index_parsed`)."""


_SCRATCH = frozenset({"acc", "cfs", "described", "gone", "ids", "missing", "wanted"})


def locked(exc: BaseException) -> bool:
    """Is ``exc`` SQLite's "database is locked" (another process's build still running)?"""
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def in_use(path: Path | None) -> KgError:
    return KgError(f"the build store {path} is in use by another kg process (waited {_WAIT:.0f} s)")


class Store:
    """The store of one workspace (``path``), or of one build only (``path`` None)."""

    def __init__(self, path: Path | None, salt: str) -> None:
        self.path = path
        self.pid = os.getpid()
        self.reader: sqlite3.Connection | None = None
        self.notices: list[str] = []
        self.parts: list[Path] = []
        self.attached = 0  # the part files before this one are detached (not yet removed)
        self.unindexed: set[str] = set()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.db = self._open(path, salt)
                return
            except sqlite3.DatabaseError as exc:
                if locked(exc):  # another kg process's build, not a broken store
                    raise in_use(path) from None
                self.notices.append(
                    f"the build store {path} could not be read ({type(exc).__name__}); rebuilt it"
                )
                self.remove()
        self.db = self._open(path, salt)

    def remove(self) -> None:
        assert self.path is not None
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _open(self, path: Path | None, salt: str) -> sqlite3.Connection:
        where = str(path) if path is not None else ":memory:"
        # A second kg process on the same workspace waits (up to _WAIT seconds) for the
        # first one's build to commit, then reads what it stored.
        db = sqlite3.connect(where, isolation_level=None, timeout=_WAIT)
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -65536")
        db.execute("PRAGMA temp_store = MEMORY")
        if _salt(db) != salt:
            db.execute("PRAGMA page_size = 16384")  # takes effect on an empty file only
            db.execute("BEGIN IMMEDIATE")  # the write lock first, then look again
            if _salt(db) == salt:  # another process made the store meanwhile
                db.execute("COMMIT")
                return db
            if _unfinished(db):
                self.notices.append(
                    f"the build store {path} was left unfinished by a build that stopped;"
                    " rebuilt it"
                )
                self.drop_leftover_parts()
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for name in tables:
                db.execute(f'DROP TABLE "{name}"')
            for statement in _TABLES.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT INTO meta VALUES ('salt', ?)", (salt,))
            db.execute("COMMIT")
        return db

    # -- transactions ---------------------------------------------------------------------------
    def begin(self) -> None:
        """A write transaction that holds the write lock from its start: two builds of one
        workspace run one after the other, never both reading then both writing."""
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self, key: str) -> None:
        self.create_indexes(self.unindexed)  # a store is kept with all its indexes
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (key,))
        self.db.execute("DELETE FROM meta WHERE k = 'unfinished'")
        self.db.execute("COMMIT")
        self._drop_parts()

    def rollback(self) -> None:
        try:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # a store that cannot be rolled back is rebuilt or left as it was
        self._drop_parts()

    def commit_unfinished(self) -> None:
        """Commit what the build made so far (for other processes to read), marked
        unfinished until :meth:`commit`; then hold the write lock again. The part files
        copied in are detached (free to attach the merge's), removed at the commit (the
        merge's processes may still read them)."""
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('unfinished', ?)", (self.pid,))
        self.db.execute("COMMIT")
        self._detach()
        self.begin()
        found = self.db.execute("SELECT v FROM meta WHERE k = 'unfinished'").fetchone()
        if found is None or found[0] != self.pid:  # another process rebuilt it meanwhile
            raise sqlite3.OperationalError("the build store was changed during the build")

    def copy_parts(self, numbers: Iterable[int]) -> None:
        """Copy the rows of the merge's part files ``numbers`` (in that order) into the
        store, in SQL; the files are removed once the build is committed or rolled back."""
        assert self.path is not None
        self.copy_in([part_path(self.path, number) for number in numbers], _PARTS)

    def parsed_parts(self) -> list[Path]:
        """The part files of a first build's parsing processes (see :data:`PARSED`)."""
        assert self.path is not None
        return sorted(self.path.parent.glob(f"{self.path.name}-partp*"))

    def drop_leftover_parts(self) -> None:
        """Remove the part files a killed build left (holding the write lock: no other
        build is writing any)."""
        assert self.path is not None
        for part in self.path.parent.glob(f"{self.path.name}-part*"):
            part.unlink(missing_ok=True)

    def copy_in(self, paths: Iterable[Path], tables: Iterable[str]) -> None:
        """Copy the rows of ``tables`` of each part file in ``paths`` (in that order, each
        table's rows in their order) into the store, in SQL; the files stay attached (not
        to be detached within a transaction) until the build commits or rolls back, and are
        removed then."""
        for path in paths:
            name = f"part{len(self.parts)}"
            self.parts.append(path)
            self.db.execute(f"ATTACH ? AS {name}", (str(path),))
            for table in tables:
                self.db.execute(f"INSERT INTO main.{table} SELECT * FROM {name}.{table}")

    def _detach(self) -> None:
        for number in range(self.attached, len(self.parts)):
            with contextlib.suppress(sqlite3.Error):  # not attached (a build stopped before)
                self.db.execute(f"DETACH part{number}")
        self.attached = len(self.parts)

    def _drop_parts(self) -> None:
        self._detach()
        for path in self.parts:
            path.unlink(missing_ok=True)
        self.parts.clear()
        self.attached = 0

    def key(self) -> str | None:
        row = self.db.execute("SELECT v FROM meta WHERE k = 'key'").fetchone()
        return str(row[0]) if row else None

    def track_writes(self) -> None:
        """Keep from now on which records and documents change (see :data:`_WRITES`)."""
        for statement in _WRITES:
            self.db.execute(statement)

    # -- indexes ----------------------------------------------------------------------------------
    def drop_indexes(self, tables: Iterable[str]) -> None:
        """Drop the indexes of ``tables`` (before a bulk insert into them: an index built
        once afterwards, by sorting, costs less than one kept up to date row by row)."""
        tables = set(tables)
        for name, table, _ in _indexes():
            if table in tables:
                self.db.execute(f"DROP INDEX IF EXISTS {name}")
                self.unindexed.add(table)

    def create_indexes(self, tables: Iterable[str]) -> None:
        """Make again the indexes of ``tables`` that :meth:`drop_indexes` dropped."""
        tables = set(tables)
        for _, table, statement in _indexes():
            if table in tables:
                self.db.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
        self.unindexed -= tables

    def index_parsed(self) -> None:
        """Make the indexes of the tables a first build indexes late (see :data:`_LATER`),
        if not made yet, while the merge's processes read the store: its pages are kept in
        memory until the commit, not spilled (writing them out would wait for the readers)."""
        later = self.unindexed.intersection(_LATER)
        if later:
            self.db.execute("PRAGMA cache_spill = OFF")
            try:
                self.create_indexes(later)
            finally:
                self.db.execute("PRAGMA cache_spill = ON")

    # -- helpers --------------------------------------------------------------------------------
    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        return self.db.execute(sql, tuple(params)).fetchall()

    def scratch(self, name: str, values: Iterable[Any]) -> str:
        """A temporary table ``name`` of one column ``v`` holding ``values`` (a set).

        ``name`` is one of the build's own table names (checked), never input; the values
        go in as parameters."""
        if name not in _SCRATCH:
            raise ValueError(f"not a scratch table: {name!r}")
        self.db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (v PRIMARY KEY)")
        self.db.execute(f"DELETE FROM {name}")
        self.db.executemany(f"INSERT OR IGNORE INTO {name} VALUES (?)", ((v,) for v in values))
        return name

    def document(self, shown: str) -> Document | None:
        db = self.db
        if os.getpid() != self.pid and self.path is not None:  # a forked parsing process
            if self.reader is None:
                self.reader = sqlite3.connect(str(self.path))
            db = self.reader
        row = db.execute("SELECT data FROM articles WHERE shown = ?", (shown,)).fetchone()
        return unblob(row[0]) if row else None


class LazyDocuments(Mapping[str, Document]):
    """The documents of a build by id, each read from the store when first asked for.

    ``ids`` gives the article (its shown path) of each document id.
    """

    def __init__(self, store: Store, ids: Mapping[str, str], keep: int = 256) -> None:
        self.store, self.ids, self.keep = store, ids, keep
        self.loaded: dict[str, Document] = {}

    def __getitem__(self, doc_id: str) -> Document:
        found = self.loaded.get(doc_id)
        if found is None:
            if doc_id not in self.ids:
                raise KeyError(doc_id)
            found = self.store.document(self.ids[doc_id])
            if found is None:
                raise KeyError(doc_id)
            if len(self.loaded) >= self.keep:
                self.loaded.clear()
            self.loaded[doc_id] = found
        return found

    def load_all(self) -> None:
        """Read every document now, and keep them (before forking processes that use them:
        a process that reads the store while this one writes it could wait on its lock)."""
        self.keep = len(self.ids) + 1
        for doc_id in self.ids:
            self[doc_id]

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

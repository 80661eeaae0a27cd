"""Merge, prune, count and write the records kept in the per-record store (:mod:`kg.store`).

Only the records an edit touches are merged and encoded again (``dirty``); pruning looks
only at the records that refer to an id no accepted file declares; alias clashes and the
counts of ``kg stats`` are queries; graph.json is streamed from each record's stored text.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections import defaultdict, deque
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import replace
from functools import partial
from itertools import chain, groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kg
from kg.annotations import SECTIONS
from kg.errors import Location
from kg.gcpause import gc_paused
from kg.graphfile import write_graph_file
from kg.graphjson import Sentences, record_texts, statement_texts
from kg.merge import Description, merge_record
from kg.model import Document, Entity, Graph, Incident, Relation
from kg.plain import (
    description_data,
    description_of,
    descriptions_values,
    parsed_as_description,
    statements_data,
    statements_of,
)
from kg.problems import Problem
from kg.prune import Pruner, refs
from kg.schema import Schema
from kg.stats import counts_line
from kg.store import ORDER, LazyDocuments, Store, blob, make_part, part_path, unblob

if TYPE_CHECKING:
    from kg.build import BuildResult
    from kg.incremental import Touched

__all__ = ["fingerprints", "graph_of", "merge_and_write"]

_BATCH = 500
_RECORD = itemgetter(0, 1)
"""The record of a row of descriptions: its id and its section."""
_description = partial(tuple.__new__, Description)
"""``Description(*values)``, without the call of its Python ``__new__``."""
_PARTS = 10  # the part files of a first build's merge: as many as SQLite attaches at once
_ENTITIES, _RELATIONS = SECTIONS.index("entities"), SECTIONS.index("relations")
Key = tuple[str, int]
"""A record: its id and its section (the index in ``SECTIONS``)."""


def _label(record: Any) -> str:
    """What ``kg stats`` counts a record by (entity type, incident kind, claim stance...)."""
    if isinstance(record, (Entity, Relation)):
        return record.type
    return record.kind if isinstance(record, Incident) else record.stance


class _Merger:
    def __init__(self, store: Store, schema: Schema, docs: LazyDocuments) -> None:
        self.store, self.schema, self.docs = store, schema, docs
        self.category = {
            t.category: t.name for t in schema.types.values() if t.category != "entity"
        }
        self.pending: list[tuple[Key, Any, Any]] = []
        self.sentences = Sentences(docs)  # listed once per build, not once per batch
        self.ref_names: dict[str, tuple[str, ...]] = {}

    def type_of(self, record: Any) -> str:
        if isinstance(record, Entity):
            return record.type
        return self.category["incident" if isinstance(record, Incident) else "claim"]

    def links(self, record: Any) -> set[str]:
        """The ids a merged record refers to (what pruning may have to leave out)."""
        found = {ev.source for ev in record.evidence if ev.source}
        if isinstance(record, Relation):
            return found | {record.source, record.target}
        type_name = self.type_of(record)
        names = self.ref_names.get(type_name)
        if names is None:
            names = self.ref_names[type_name] = tuple(self.schema.ref_properties(type_name))
        found.update(refs(record, names))
        if isinstance(record, Incident):
            found.update(p.entity for p in record.participants)
        return found

    def merge(
        self,
        dirty: set[Key],
        accepted: set[str],
        files: Mapping[str, Any],
        jobs: int = 1,
        everything: bool = False,
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        """Merge the ``dirty`` records from the accepted files' descriptions.

        ``everything``: every record is dirty (``dirty`` is not read: every record described
        is merged, every record stored and no longer described deleted; the descriptions are
        read in the table's order and sorted, not looked up record by record: at 10,000
        articles, scattered reads of a table larger than the page cache).
        With ``jobs`` > 1 the records are merged and encoded in that many forked processes:
        for a first build (no record stored yet) each reads and writes its own share (see
        :meth:`merge_parts`); otherwise a batch at a time (the main process reads the
        descriptions and writes the rows). ``meanwhile``: what is still to do before the
        store holds the descriptions (done during a first build's merge, or first)."""
        db = self.store.db
        join = ""  # every record
        if not everything:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS dirty (id TEXT, section INT)")
            db.execute("DELETE FROM dirty")
            db.executemany("INSERT INTO dirty VALUES (?, ?)", dirty)
            join = " JOIN dirty t ON t.id = {} AND t.section = {}"
        last = {
            (r[0], r[1]): r[2]
            for r in db.execute(
                "SELECT r.id, r.section, r.key FROM records r" + join.format("r.id", "r.section")
            )
        }
        if everything:
            if not last and self.store.path is not None and _forks(jobs):
                self.merge_parts(accepted, files, jobs, meanwhile)
                return
            dirty = set(last)  # of the records stored, those no longer described are deleted
        if meanwhile is not None:
            meanwhile()
        acc = self.store.scratch("acc", accepted)
        # The dirty records first, each looked up by its (section, record): the index's
        # order would otherwise tempt SQLite to scan every description in order.
        source = "dirty t CROSS JOIN descs d ON t.id = d.record AND t.section = d.section"
        rows = db.cursor().execute(
            "SELECT d.record, d.section, d.shown, d.hash, d.data FROM "
            + (source if join else "descs d")
            + f" WHERE d.shown IN (SELECT v FROM {acc})"
            " ORDER BY " + ", ".join(f"d.{column}" for column in ORDER.split(", "))
        )
        seen: set[Key] = set()
        for batch, made in _in_workers(self, self.batches(rows, files, last, seen), jobs):
            self.write(batch, made, last)
        for key in dirty - seen:
            for table, column in (("records", "id"), ("links", "record")):
                db.execute(f"DELETE FROM {table} WHERE {column} = ? AND section = ?", key)
            if key[1] == _ENTITIES:
                db.execute("DELETE FROM names WHERE entity = ?", (key[0],))

    def batches(
        self, rows: Iterable[Any], files: Mapping[str, Any], last: Mapping[Key, str], seen: set[Key]
    ) -> Iterator[list[_Group]]:
        """The records to merge again (their version is not ``last``'s), a batch at a time,
        from ``rows`` of descriptions in order; each record described is added to ``seen``."""
        batch: list[_Group] = []
        for (record_id, section), group in groupby(rows, key=_RECORD):
            found = [(files[r[2]][1], r) for r in group]  # each row's document, the row
            # Keyed by each description (and its document), not by the files' versions: an
            # edit merges again only the records whose descriptions it changed.
            version = "\n".join([f"{r[2]}\0{doc}\0{r[3]}" for doc, r in found])
            key = (record_id, section)
            seen.add(key)
            if last.get(key) == version:
                continue
            batch.append((key, version, [(doc, r[2], r[4]) for doc, r in found]))
            if len(batch) >= _BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def merge_parts(
        self,
        accepted: set[str],
        files: Mapping[str, Any],
        jobs: int,
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        """A first build's merge in ``jobs`` forked processes: the records cut into ranges,
        each merged by whichever process is free next and written to its own part file; the
        parts are copied into the store in SQL, in order (the rows of :meth:`merge`). The
        ranges hold fewer and fewer descriptions (the work of a description varies with its
        section): the processes end about together, not one long after the other.

        The processes read the descriptions from the parsing processes' part files (indexed
        in order, see :func:`~kg.store.order_part`) while this one does ``meanwhile`` (copies
        them into the store, checks the references); without it, from the store, committed
        first. Either way the store is committed (marked unfinished) before the pool ends."""
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        store = self.store
        sources = store.parsed_parts() if meanwhile is not None else []
        if not sources:
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            store.commit_unfinished()
        jobs = min(jobs, _PARTS)
        counter = _source(store, sources[:1])
        (total,) = counter.execute("SELECT COUNT(*) FROM descs").fetchone()
        sql = "SELECT section, record FROM descs ORDER BY section, record LIMIT 1 OFFSET ?"
        bounds: list[tuple[int, str]] = []
        ratio = 1 - 1 / (2 * jobs)  # each range: ratio times the descriptions of the one before
        share = (1 - ratio) / (1 - ratio**_PARTS)
        done = 0.0
        for _ in range(1, _PARTS):
            done += share
            share *= ratio
            found = counter.execute(sql, (int(total * done),)).fetchone()
            if found is not None and (not bounds or tuple(found) > bounds[-1]):
                bounds.append(tuple(found))
        if counter is not store.db:
            counter.close()
        spans = list(zip([None, *bounds], [*bounds, None], strict=True))
        self.docs.load_all()
        _WORKER[:] = [self]
        _SHARED[:] = [(accepted, files, sources)]
        try:
            processes = min(jobs, len(spans))
            with ProcessPoolExecutor(processes, mp_context=get_context("fork")) as pool:
                merged = pool.map(_merge_part, range(len(spans)), spans)
                try:
                    if meanwhile is not None:  # the processes do not read the store: write it
                        meanwhile()
                        store.commit_unfinished()  # (detaches the parts copied in)
                        for number, _ in enumerate(merged):  # each part once it is merged
                            store.copy_parts([number])
                    store.index_parsed()  # meanwhile (here, the main process waits)
                except BaseException:
                    pool.shutdown(cancel_futures=True)  # the ranges not started: not merged
                    raise
                list(merged)
        finally:
            _WORKER.clear()
            _SHARED.clear()
        if not sources:  # (the store was read meanwhile: not to be written)
            store.copy_parts(range(len(spans)))

    def merge_part(
        self,
        number: int,
        span: _Span,
        accepted: set[str],
        files: Mapping[str, Any],
        sources: list[Path],
    ) -> None:
        """Merge the records of ``span`` into part file ``number`` (in a forked process),
        reading the descriptions from the store, or from the part files ``sources``."""
        assert self.store.path is not None
        where: list[str] = []
        params: list[Any] = []
        if span[0] is not None:
            where.append("(section, record) >= (?, ?)")
            params.extend(span[0])
        if span[1] is not None:
            where.append("(section, record) < (?, ?)")
            params.extend(span[1])
        sql = "SELECT record, section, shown, hash, data, seq FROM {}.descs"
        sql += " WHERE " + " AND ".join(where) if where else ""
        # Each source's rows in order (by its index), merged (SQLite's merge of a compound).
        names = [f"s{n}" for n in range(len(sources))] or ["main"]
        sql = " UNION ALL ".join(sql.format(name) for name in names)
        params *= len(names)
        sql += f" ORDER BY {ORDER}"  # (the columns of the compound's result)
        source = _source(self.store, sources)  # its own: never one across a fork
        out = make_part(part_path(self.store.path, number))
        try:
            rows: Iterable[Any] = source.execute(sql, params)
            if any(r[2] and shown not in accepted for shown, r in files.items()):
                rows = (r for r in rows if r[2] in accepted)  # (a file parsed, not accepted)
            for batch in self.batches(rows, files, {}, set()):
                self.write(batch, self.encode(batch), {}, out)
            out.execute("COMMIT")
        finally:
            out.close()
            source.close()

    def encode(self, batch: list[_Group]) -> list[_Made]:
        """Merge a batch of records and make their rows (in a worker, or not)."""
        done = []
        for key, _, found in batch:
            # Each (record, where) of a description's data, and its document, as a Description
            # made at C speed (the build pauses the collector).
            if len(found) == 1:  # (most records) the record's data: the description's
                values, data = parsed_as_description(*found[0])
                items = [_description(values)]
            else:
                items = list(map(_description, descriptions_values(found)))
                data = None
            record, statements, trouble = merge_record(key[0], items, self.schema)
            stmts = None
            if statements:
                stmts = "\n".join(statement_texts(sorted(statements)))
            row = (
                description_data(record, items[0].where) if data is None else data,
                int(any(p.severity == "error" for p in trouble)) if trouble else 0,
                blob(trouble) if trouble else None,
                stmts,
                statements_data(statements) if statements else None,
            )
            done.append((key, row, record, sorted(self.links(record))))
        texts = self.texts([(key, record, 0) for key, _, record, _ in done])
        return [
            (row, links, *self.final(key, record, 0, texts, row[3]))
            for key, row, record, links in done
        ]

    def write(
        self,
        batch: list[_Group],
        made: list[_Made],
        last: Mapping[Key, str],
        db: sqlite3.Connection | None = None,
    ) -> None:
        """Write merged records (``made`` of ``batch``) to the store (or ``db``); what a
        record had before (``last``) is replaced."""
        db = db or self.store.db
        db.executemany(
            "DELETE FROM links WHERE record = ? AND section = ?",
            (g[0] for g in batch if g[0] in last),
        )
        db.executemany(
            "INSERT OR REPLACE INTO records (id, section, key, data, errs, trouble, stmts, sdata,"
            " state, final, text, label, nev, fp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?)",
            (
                (*key, version, *m[0], *m[2])
                for (key, version, _), m in zip(batch, made, strict=True)
            ),
        )
        db.executemany(
            "INSERT INTO links VALUES (?, ?, ?)",
            ((*g[0], t) for g, m in zip(batch, made, strict=True) for t in m[1]),
        )
        self.write_names([(g[0], m[3]) for g, m in zip(batch, made, strict=True)], last, db)

    def write_names(
        self,
        names: list[tuple[Key, list[str] | None]],
        last: Container[Key] | None = None,
        db: sqlite3.Connection | None = None,
    ) -> None:
        entities = [(key[0], found) for key, found in names if key[1] == _ENTITIES]
        db = db or self.store.db
        db.executemany(
            "DELETE FROM names WHERE entity = ?",
            ((e,) for e, _ in entities if last is None or (e, _ENTITIES) in last),
        )
        db.executemany(
            "INSERT INTO names VALUES (?, ?)",
            ((e, n) for e, found in entities for n in found or ()),
        )

    def texts(self, pending: list[tuple[Key, Any, int]]) -> dict[tuple[str, str], str]:
        tables: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
        for (record_id, section), record, state in pending:
            if state != 2:
                tables[SECTIONS[section]][record_id] = record
        graph = Graph(
            documents=self.docs,
            entities=tables["entities"],
            incidents=tables["incidents"],
            claims=tables["claims"],
            relations=tables["relations"],
        )
        return record_texts(graph, self.schema, sentences=self.sentences)

    @staticmethod
    def final(
        key: Key, record: Any, state: int, texts: Mapping[tuple[str, str], str], stmts: str | None
    ) -> tuple[tuple[Any, ...], list[str] | None]:
        """The columns of a final (pruned) record (``state`` 2: left out), its names."""
        if state == 2:
            return (2, None, None, None, 0, None), None
        text = texts[SECTIONS[key[1]], key[0]]
        print_ = hashlib.blake2b(text.encode(), digest_size=16)
        print_.update(b"\0" + (stmts or "").encode())
        columns = (
            state,
            blob(record) if state == 1 else None,
            text,
            _label(record),
            len(record.evidence),
            print_.hexdigest(),
        )
        names = sorted({n.casefold() for n in record.names}) if key[1] == _ENTITIES else None
        return columns, names

    def text(self, key: Key, record: Any, state: int) -> None:
        """Queue the final (pruned) record's text and counts; ``state`` 2: left out."""
        self.pending.append((key, record, state))
        if len(self.pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        texts = self.texts(self.pending)
        db = self.store.db
        names = []
        for key, record, state in self.pending:
            (stmts,) = db.execute(
                "SELECT stmts FROM records WHERE id = ? AND section = ?", key
            ).fetchone()
            columns, found = self.final(key, record, state, texts, stmts)
            db.execute(
                "UPDATE records SET state = ?, final = ?, text = ?, label = ?, nev = ?, fp = ?"
                " WHERE id = ? AND section = ?",
                (*columns, *key),
            )
            names.append((key, found))
        self.write_names(names)
        self.pending.clear()


_Group = tuple[Key, str, list[tuple[str, str, bytes]]]
"""A record to merge: its key, its version, each description's document, file and data."""
_Made = tuple[tuple[Any, ...], list[str], tuple[Any, ...], list[str] | None]
"""A merged record's rows: the record's columns (its data, errors, problems, statements), its
links, its final columns, its names."""
_WORKER: list[_Merger] = []
_SHARED: list[tuple[set[str], Mapping[str, Any], list[Path]]] = []
"""What the processes of :meth:`_Merger.merge_parts` inherit: the accepted files, the files,
the part files to read the descriptions from (none: the store)."""
_Span = tuple[tuple[int, str] | None, tuple[int, str] | None]
"""A range of records, by (section, id): from the first (or the start) to before the second."""


def _forks(jobs: int) -> bool:
    import multiprocessing

    return jobs > 1 and "fork" in multiprocessing.get_all_start_methods()


def _source(store: Store, parts: list[Path]) -> sqlite3.Connection:
    """A connection reading the store (``parts`` empty) or the part files ``parts``, as
    the databases ``s0``, ``s1``... (each has a table ``descs``)."""
    if not parts:
        if os.getpid() == store.pid:
            return store.db
        assert store.path is not None
        return sqlite3.connect(str(store.path))
    db = sqlite3.connect(":memory:")
    for number, path in enumerate(parts):
        db.execute(f"ATTACH ? AS s{number}", (str(path),))
    return db


def _merge_part(number: int, span: _Span) -> None:
    with gc_paused():
        _WORKER[0].merge_part(number, span, *_SHARED[0])


def _encode_in_worker(batch: list[_Group]) -> list[_Made]:
    with gc_paused():
        return _WORKER[0].encode(batch)


def _in_workers(
    merger: _Merger, batches: Iterator[list[_Group]], jobs: int
) -> Iterator[tuple[list[_Group], list[_Made]]]:
    """Each batch and its ``merger.encode``, in order: here, or in ``jobs`` forked
    processes (a few batches in flight, so the descriptions are never all held at once)."""
    import multiprocessing

    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from ((batch, merger.encode(batch)) for batch in batches)
        return
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if second is None:  # one batch: not worth starting processes
        yield first, merger.encode(first)
        return
    from concurrent.futures import Future, ProcessPoolExecutor

    merger.docs.load_all()
    _WORKER[:] = [merger]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            flying: deque[tuple[list[_Group], Future[list[_Made]]]] = deque()
            for batch in chain((first, second), batches):
                flying.append((batch, pool.submit(_encode_in_worker, batch)))
                if len(flying) > 2 * jobs:
                    sent, made = flying.popleft()
                    yield sent, made.result()
            while flying:
                sent, made = flying.popleft()
                yield sent, made.result()
    finally:
        _WORKER.clear()


def merge_and_write(
    store: Store,
    schema: Schema,
    contents: Mapping[str, Path],
    ids: Mapping[str, str],
    touched: Touched,
    problems: list[Problem],
    jobs: int = 1,
    meanwhile: Callable[[], None] | None = None,
    read: Mapping[str, Document] | None = None,
) -> BuildResult:
    """Merge what changed, prune, count: the build's result (its graph in the store).
    ``meanwhile``: what is still to do before the store holds every file's descriptions
    (see :meth:`_Merger.merge`); ``read``: documents already read from the store, by id."""
    from kg.build import BuildResult

    files = {
        r[0]: r[1:]
        for r in store.rows(
            "SELECT shown, version, document, parsed, ok, mkey, line, head FROM files"
        )
    }
    claimed: dict[str, list[str]] = defaultdict(list)
    for shown in sorted(files):
        _, document, parsed, _, _, _, head = files[shown]
        problems.extend(unblob(head) or ())
        if parsed:
            claimed[document].append(shown)
    accepted = {s for s, r in files.items() if r[3]}
    for doc_id, owners in claimed.items():
        if len(owners) < 2:
            continue
        accepted -= set(owners)  # which file is right is not ours to guess
        for shown in owners:
            others = ", ".join(o for o in owners if o != shown)
            problems.append(
                Problem(
                    Location(shown, files[shown][5]),
                    "duplicate-id",
                    f"{doc_id} is already annotated by {others}",
                )
            )
    kept = _kept(files, accepted, ids)
    # Records are merged in id order, citing documents in no order: each document is read
    # once, then kept (a bounded cache read most of them again and again).
    docs = LazyDocuments(store, dict(kept), keep=len(kept) + 1)
    docs.loaded.update((d, read[d]) for d, _ in kept if read and d in read)
    merger = _Merger(store, schema, docs)
    changed = [s for s, r in files.items() if (r[0] if s in accepted else None) != r[4]]
    # A first build (nothing merged yet, even with files rejected) or every file changed:
    # every record described.
    everything = len(set(changed)) >= len(files) or not store.rows("SELECT 1 FROM records LIMIT 1")
    dirty = set() if everything else touched.records | _described(store, changed)
    while True:
        merger.merge(dirty, accepted, files, jobs, everything, meanwhile)
        everything, meanwhile = False, None
        errors = [
            p
            for row in store.rows("SELECT trouble FROM records WHERE errs = 1")
            for p in unblob(row[0])
            if p.severity == "error"
        ]
        problems.extend(errors)
        failing = {p.location.file for p in errors} & accepted
        if not failing:
            break
        accepted -= failing
        changed.extend(failing)
        dirty = _described(store, failing)
    kept = _kept(files, accepted, ids)  # less any document only rejected files annotate
    sql = "SELECT trouble FROM records WHERE trouble IS NOT NULL AND errs = 0"
    for row in store.rows(sql):
        problems.extend(unblob(row[0]))
    store.db.executemany(
        "UPDATE files SET mkey = ? WHERE shown = ?",
        ((files[s][0] if s in accepted else None, s) for s in set(changed) if s in files),
    )
    problems.extend(_prune(store, merger, {d for d, _ in kept}))
    problems.extend(_alias_clashes(store))
    unique = {(p.location, p.code, p.message): p for p in problems}
    result = BuildResult(None, sorted(unique.values(), key=Problem.sort_key))
    result.rejected = sorted(set(contents) - accepted)
    result.stats = _stats(store, len(kept))
    result.summary = counts_line(
        [len(kept), *(int(str(r["count"])) for r in result.stats if r["type"] == "(all)")][:5]
    )
    result.kept = kept
    result.loader = lambda: graph_of(store, schema, kept)
    result.writer = lambda target: write_graph_file(store, kept, target)
    result.fingerprinter = lambda: fingerprints(store)
    return result


def _kept(
    files: Mapping[str, tuple[Any, ...]], accepted: set[str], ids: Mapping[str, str]
) -> list[tuple[str, str]]:
    """The documents of the graph, (id, content key) in id order: those of no file or of an
    accepted one (a document whose every annotation file was rejected is left out)."""
    refused = {r[1] for r in files.values()} - {files[s][1] for s in accepted}
    return [(d, ids[d]) for d in sorted(ids) if d not in refused]


def _described(store: Store, files: Iterable[str]) -> set[Key]:
    table = store.scratch("described", files)
    sql = f"SELECT DISTINCT record, section FROM descs WHERE shown IN (SELECT v FROM {table})"
    return {(r[0], r[1]) for r in store.rows(sql)}


def _prune(store: Store, merger: _Merger, documents: set[str]) -> list[Problem]:
    """Leave out what refers to records no accepted file declares (see :mod:`kg.prune`),
    looking only at the records that do, and at those left out last time."""
    # The ids referred to that no record has (each distinct target looked up once, in SQL:
    # not every id read into Python on every build).
    sql = (
        "SELECT target FROM (SELECT DISTINCT target FROM links)"
        " WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.id = target)"
    )
    missing = store.scratch("missing", {r[0] for r in store.rows(sql)} - documents)
    sql = f"SELECT DISTINCT record, section FROM links WHERE target IN (SELECT v FROM {missing})"
    todo: set[Key] = {(r[0], r[1]) for r in store.rows(sql)}
    if todo:
        known = {r[0] for r in store.rows("SELECT DISTINCT id FROM records")} | documents
    before = {(r[0], r[1]) for r in store.rows("SELECT id, section FROM records WHERE state != 0")}
    out: dict[Key, Any] = {}
    where: dict[str, Location] = {}
    pruner = Pruner(merger.schema, where)
    while todo:
        loaded = {}
        for key in sorted(todo, key=lambda k: (k[1], k[0])):
            (row,) = store.rows("SELECT data FROM records WHERE id = ? AND section = ?", key)
            record, first = description_of(row[0])
            loaded[key] = record
            where.setdefault(key[0], first)
        pruner.known = set(known)
        for key, record in loaded.items():
            if key[1] == _RELATIONS:
                ends = [e for e in (record.source, record.target) if e not in known]
                for end in ends:
                    pruner.warn(key[0], f"the relation to {end}")
                evidence = pruner.evidence(key[0], record.evidence)
                kept = None if ends else replace(record, evidence=evidence)
                out[key] = record if kept == record else kept
            else:
                out[key] = pruner.record(record, merger.type_of(record))
        gone = {k[0] for k, v in out.items() if v is None} & known
        if not gone:
            break
        known -= gone
        table = store.scratch("gone", gone)
        sql = f"SELECT DISTINCT record, section FROM links WHERE target IN (SELECT v FROM {table})"
        todo = set(out) | {(r[0], r[1]) for r in store.rows(sql)}
    for key in before | set(out):
        record = out.get(key)
        if key not in out:
            (row,) = store.rows("SELECT data FROM records WHERE id = ? AND section = ?", key)
            record = description_of(row[0])[0]
            merger.text(key, record, 0)
        else:
            (row,) = store.rows("SELECT data FROM records WHERE id = ? AND section = ?", key)
            merged = description_of(row[0])[0]
            state = 2 if record is None else (0 if record == merged else 1)
            merger.text(key, record if record is not None else merged, state)
    merger.flush()
    unique = {(p.location, p.message): p for p in pruner.problems}
    return list(unique.values())


def _alias_clashes(store: Store) -> list[Problem]:
    """A warning for each name or alias shared by two different entities."""
    problems = []
    # One pass over the index of (name, entity), no sort (it holds every entity's names);
    # the entities of the few names shared, looked up then.
    sql = "SELECT name FROM names GROUP BY name HAVING MIN(entity) < MAX(entity) ORDER BY name"
    for (name,) in store.rows(sql):
        ids = sorted(
            r[0] for r in store.rows("SELECT DISTINCT entity FROM names WHERE name = ?", (name,))
        )
        (row,) = store.rows("SELECT data FROM records WHERE id = ? AND section = ?", (ids[0], 0))
        problems.append(
            Problem(
                description_of(row[0])[1],
                "alias-clash",
                f"name or alias {name!r} is shared by {' and '.join(ids)}: "
                "references to it are ambiguous; merge them or drop the alias",
                "warning",
            )
        )
    return problems


def _stats(store: Store, documents: int) -> list[dict[str, object]]:
    """The rows of :func:`kg.stats.graph_stats`, counted in the store."""
    rows: list[dict[str, object]] = [
        {"section": "documents", "type": "Document", "count": documents}
    ]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    evidence = 0
    sql = "SELECT section, label, COUNT(*), SUM(nev) FROM records WHERE state != 2 GROUP BY 1, 2"
    for section, label, count, nev in store.rows(sql):
        counts[section][label] = count
        evidence += nev
    for number, section in enumerate(SECTIONS):
        for name, count in sorted(counts[number].items()):
            rows.append({"section": section, "type": name, "count": count})
        total = sum(counts[number].values())
        rows.append({"section": section, "type": "(all)", "count": total})
    rows.append({"section": "evidence", "type": "(all)", "count": evidence})
    return rows


def graph_of(store: Store, schema: Schema, kept: list[tuple[str, str]]) -> Graph:
    """The whole graph, read from the store."""
    documents = LazyDocuments(store, dict(kept), keep=len(kept) + 1)
    tables: dict[str, dict[str, Any]] = {}
    with gc_paused():  # every record loaded: a collector's pass would scan the graph
        for number, section in enumerate(SECTIONS):
            sql = "SELECT id, final, data FROM records WHERE section = ? AND state != 2 ORDER BY id"
            tables[section] = {
                r[0]: unblob(r[1]) if r[1] is not None else description_of(r[2])[0]
                for r in store.rows(sql, (number,))
            }
        statements = [
            s
            for r in store.rows("SELECT sdata FROM records WHERE sdata IS NOT NULL")
            for s in statements_of(r[0])
        ]
    return Graph(
        documents={d: documents[d] for d, _ in kept},
        entities=tables["entities"],
        incidents=tables["incidents"],
        claims=tables["claims"],
        relations=tables["relations"],
        statements=tuple(sorted(statements)),
    )


def fingerprints(store: Store) -> dict[str, str]:
    """Each record's digest of its graph.json text and statements, by id; and each
    document's, by id: what its article was read from (its content key, which changes with
    the file and the date order), with the store's salt and kg's version (a new reader of
    articles may make another document of the same file)."""
    sql = "SELECT id, fp FROM records WHERE state != 2 ORDER BY id, section"
    with gc_paused():  # a pair of strings per record: a collector's pass would scan the graph
        found = dict(store.rows(sql))
    salt = store.rows("SELECT v FROM meta WHERE k = 'salt'")
    head = f"{kg.__version__}\0{salt[0][0] if salt else ''}"
    read: dict[str, list[str]] = defaultdict(list)
    for doc, shown, key, path in store.rows(
        "SELECT doc, shown, key, path FROM articles WHERE doc IS NOT NULL ORDER BY shown"
    ):
        read[doc].append(f"{shown}\0{key}\0{path}")
    for doc, articles in read.items():
        text = "\0".join([head, doc, *articles])  # several: a clash of ids, each read
        found[doc] = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    return found

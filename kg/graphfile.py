"""graph.json written from the build store, copying from the last one what did not change.

The file is a run of *parts* (the documents, each record section, the statements), each
part a run of *chunks*: the lines of the keys (document id, record id) from the chunk's
``start`` up to the next chunk's, some 64 KiB of text. The store remembers each chunk's
start and size (``wchunks``), the keys changed since (``wtouch``, filled by triggers, see
:meth:`kg.store.Store.track_writes`) and the identity of the file last written (path,
device, inode, size, mtime, ctime). The next write copies the unchanged chunks from that file
(:func:`os.copy_file_range`: a copy in the kernel) and reads from the store and writes only
the changed ones; on any doubt (no map, the file missing or changed, another target) it
writes everything. Both give the same bytes (every line read as bytes, never decoded).
"""

from __future__ import annotations

import bisect
import errno
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from kg.annotations import SECTIONS
from kg.forked import in_ranges
from kg.graphjson import FORMAT, statement_texts
from kg.plain import statements_of
from kg.store import Store, in_use, locked

__all__ = ["Written", "write_graph_file"]

_HEAD = b'{"format": ' + json.dumps(FORMAT, ensure_ascii=False).encode()
_PARTS = ("documents", *SECTIONS, "statements")
_DOCS, _STMTS = 0, len(_PARTS) - 1
_CHUNK = 64 * 1024  # bytes of text a chunk holds (about): what an edit writes per change
_LAYOUT = 1  # how this module cuts and records the file: another value, another layout
_IDENTITY = "graphjson"  # the meta row of the file last written
_BUFFER = 1 << 20


@dataclass
class Written:
    """What a write did: bytes copied from the last file, bytes written from the store."""

    copied: int = 0
    written: int = 0
    chunks: int = 0
    """Chunks written from the store (all of them for a full write)."""
    full: bool = True


@dataclass
class _Chunk:
    start: str
    size: int
    sel: str | None = None
    body: bytes | None = None  # new text (None: copied from the last file)
    fresh: bool = False  # made by this write (not the last file's)
    old: int = -1  # its offset in the last file (when copied)


@dataclass
class _Done:
    written: Written
    parts: list[list[_Chunk]] = field(default_factory=list)
    """The chunks of each part of the new file (without their text)."""
    gone: list[list[str]] = field(default_factory=list)
    """The starts of the last file's chunks replaced, by part."""


class _Stale(Exception):
    """The last file is not what the map says: write everything."""


def write_graph_file(store: Store, kept: Sequence[tuple[str, str]], target: Path) -> Written:
    """Write graph.json to ``target`` atomically from the store (see the module's note)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tracked = store.path is not None
    own = tracked and not store.db.in_transaction
    if own:
        try:
            store.begin()
        except sqlite3.OperationalError as exc:
            if locked(exc):
                raise in_use(store.path) from None
            raise
    try:
        if tracked:
            store.track_writes()
        rows = _Rows(store.db, kept)
        done = None
        last = _last(store, target) if tracked else None
        if last is not None:
            try:
                done = _write(target, rows, *last)
            except _Stale:
                done = None
        if done is None and own and len(kept) >= _SPLIT:
            # Only when this write's transaction is its own: what another connection reads
            # is then what this one sees (nothing written yet, another build locked out).
            done = _write_split(target, store, kept)
        if done is None:
            done = _write(target, rows, None, set())
        if tracked:
            _remember(store, target, done)
        if own:
            store.db.execute("COMMIT")
        return done.written
    except BaseException:
        if own and store.db.in_transaction:
            store.db.execute("ROLLBACK")
        raise


def _identity(target: Path) -> list[object] | None:
    try:
        info = target.stat()
    except OSError:
        return None
    return [
        _LAYOUT,
        _CHUNK,
        str(target.resolve()),
        info.st_dev,
        info.st_ino,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,  # (set by the kernel on any change: not restored by a copy)
    ]


def _last(store: Store, target: Path) -> tuple[list[list[_Chunk]], set[tuple[int, str]]] | None:
    """The chunks of the file last written at ``target`` and the keys changed since; None
    when that file is not the one the map describes (or there is no map)."""
    found = store.db.execute("SELECT v FROM meta WHERE k = ?", (_IDENTITY,)).fetchone()
    now = _identity(target)
    if found is None or now is None or json.loads(found[0]) != now:
        return None
    parts: list[list[_Chunk]] = [[] for _ in _PARTS]
    for part, start, size, sel in store.db.execute(
        "SELECT part, start, size, sel FROM wchunks ORDER BY part, start"
    ):
        if not 0 <= part < len(_PARTS):
            return None
        parts[part].append(_Chunk(start, size, sel))
    if any(not chunks or chunks[0].start != "" for chunks in parts):
        return None
    touched = {(r[0], r[1]) for r in store.db.execute("SELECT section, id FROM wtouch")}
    return parts, touched


class _Rows:
    """The lines of each part, by key, for a range of keys, read as bytes from the store."""

    def __init__(self, db: sqlite3.Connection, kept: Sequence[tuple[str, str]]) -> None:
        self.db = db
        self.wanted = dict(kept)
        self.kept = sorted(kept)
        self.doc_ids = [d for d, _ in self.kept]

    def lines(self, part: int, lo: str, hi: str | None) -> Iterator[tuple[str, bytes]]:
        """Each line of the keys from ``lo`` (included) to ``hi`` (excluded; None: all),
        in order, with its key (a key's statements: several lines)."""
        where, params = "{0} >= ?", [lo]
        if hi is not None:
            where += " AND {0} < ?"
            params.append(hi)
        if part == _DOCS:
            sql = (
                "SELECT doc, shown, CAST(text AS BLOB) FROM articles WHERE text IS NOT NULL AND "
                + where.format("doc")
                + " ORDER BY doc, shown"
            )
            wanted = self.wanted
            return ((d, t) for d, s, t in self.db.execute(sql, params) if wanted.get(d) == s)
        if part == _STMTS:
            sql = (
                "SELECT id, CAST(stmts AS BLOB), sdata FROM records WHERE stmts IS NOT NULL AND "
                + where.format("id")
                + " ORDER BY id, section"
            )
            return self._statements(self.db.execute(sql, params))
        sql = (
            "SELECT id, CAST(text AS BLOB) FROM records WHERE section = ? AND state != 2 AND "
            + where.format("id")
            + " ORDER BY id"
        )
        return self.db.execute(sql, [part - 1, *params])

    def _statements(self, rows: Iterator[tuple[str, bytes, bytes]]) -> Iterator[tuple[str, bytes]]:
        for key, group in groupby(rows, key=lambda r: r[0]):
            found = list(group)
            if len(found) == 1:
                lines = found[0][1].split(b"\n")
            else:
                statements = sorted(s for r in found for s in statements_of(r[2]))
                lines = [text.encode() for text in statement_texts(statements)]
            for line in lines:
                yield key, line

    def sel(self, part: int, lo: str, hi: str | None) -> str | None:
        """The documents chosen for the keys of a chunk (which article gives each: a
        rejected file may leave one out without any change to the articles)."""
        if part != _DOCS:
            return None
        first = bisect.bisect_left(self.doc_ids, lo)
        last = len(self.doc_ids) if hi is None else bisect.bisect_left(self.doc_ids, hi)
        text = "\n".join(f"{d}\t{s}" for d, s in self.kept[first:last])
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

    def chunks(self, part: int, lo: str, hi: str | None) -> Iterator[_Chunk]:
        """The keys from ``lo`` to ``hi`` cut into new chunks (the first starts at ``lo``)."""
        start, size, last = lo, 0, None
        body: list[bytes] = []
        for key, line in self.lines(part, lo, hi):
            if size >= _CHUNK and key != last:  # (a key's lines in one chunk)
                yield self._made(part, start, key, body)
                start, body, size = key, [], 0
            body.append(line)
            size += len(line)
            last = key
        yield self._made(part, start, hi, body)

    def _made(self, part: int, start: str, hi: str | None, lines: list[bytes]) -> _Chunk:
        body = b",\n".join(lines)
        return _Chunk(start, len(body), self.sel(part, start, hi), body, fresh=True)


def _place(last: list[list[_Chunk]]) -> int:
    """Set each chunk's offset in the last file (``old``); the size that file must have."""
    offset = len(_HEAD)
    for part, chunks in enumerate(last):
        offset += len(_head(part))
        first = True
        for chunk in chunks:
            if chunk.size:
                offset += 1 if first else 2  # "\n" or ",\n" before it
                first = False
                chunk.old = offset
                offset += chunk.size
        offset += 2  # "\n]"
    return offset + 2  # "}\n"


def _dirty(last: list[list[_Chunk]], touched: set[tuple[int, str]]) -> list[set[int]]:
    """The chunks of each part holding a key changed since the last file (by number)."""
    dirty: list[set[int]] = [set() for _ in _PARTS]
    starts = [[c.start for c in chunks] for chunks in last]
    for section, key in touched:
        for part in [_DOCS] if section < 0 else [section + 1, _STMTS]:
            dirty[part].add(bisect.bisect_right(starts[part], key) - 1)
    return dirty


def _plan(
    rows: _Rows, part: int, last: list[_Chunk] | None, dirty: set[int], gone: list[str]
) -> Iterator[_Chunk]:
    """The chunks of a part in the new file: the last file's where unchanged (to copy),
    else new (read from the store); the starts of the last chunks replaced go to ``gone``."""
    if last is None:
        yield from rows.chunks(part, "", None)
        return
    for number, chunk in enumerate(last):
        hi = last[number + 1].start if number + 1 < len(last) else None
        if number not in dirty and chunk.sel == rows.sel(part, chunk.start, hi):
            yield chunk
            continue
        gone.append(chunk.start)
        new = list(rows.chunks(part, chunk.start, hi))
        if number and len(new) == 1 and not new[0].size:
            continue  # nothing left in its range: the chunk before covers it
        yield from new


def _head(part: int) -> bytes:
    return b',\n"' + _PARTS[part].encode() + b'": ['


def _write(
    target: Path, rows: _Rows, last: list[list[_Chunk]] | None, touched: set[tuple[int, str]]
) -> _Done:
    """Write the new file next to ``target`` and rename it into place."""
    tmp = target.with_suffix(target.suffix + ".tmp")
    source = None
    done = _Done(Written(full=last is None))
    dirty: list[set[int]] = []
    if last is not None:
        size = _place(last)
        dirty = _dirty(last, touched)
        try:
            source = os.open(target, os.O_RDONLY)
        except OSError:
            raise _Stale from None
        if os.fstat(source).st_size != size:
            os.close(source)
            raise _Stale
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            out = _Out(fd, source, done.written)
            _put_parts(out, rows, range(len(_PARTS)), last, dirty, done)
            out.close()
        finally:
            os.close(fd)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        if source is not None:
            os.close(source)
    os.replace(tmp, target)
    return done


def _put_parts(
    out: _Out,
    rows: _Rows,
    parts: range,
    last: list[list[_Chunk]] | None,
    dirty: list[set[int]],
    done: _Done,
) -> None:
    """Write the ``parts`` of the file (and its head before the first part, its end after
    the last one): the last file's chunks copied where unchanged (``last``, ``dirty``)."""
    if parts.start == 0:
        out.put(_HEAD)
    for part in parts:
        out.put(_head(part))
        first = True
        gone: list[str] = []
        chunks = _plan(rows, part, None, set(), gone)
        if last is not None:
            chunks = _plan(rows, part, last[part], dirty[part], gone)
        kept: list[_Chunk] = []
        for chunk in chunks:
            kept.append(chunk)
            if not chunk.size:
                continue
            sep = b"\n" if first else b",\n"
            first = False
            if chunk.body is None:
                out.copy(sep, chunk.old, chunk.size)
            else:
                done.written.chunks += 1
                out.put(sep)
                out.put(chunk.body)
                chunk.body = None  # (written: not kept)
        out.put(b"\n]")
        done.parts.append(kept)
        done.gone.append(gone)
    if parts.stop == len(_PARTS):
        out.put(b"}\n")


_SPLIT = 2000
"""Documents from which a full write is split between two processes (see :func:`_write_split`)."""

_HALF = 3
"""The parts the building process writes in a split write (the documents, entities and
incidents: some 58 % of the bytes at 10,000 synthetic articles); a forked process writes
the others, appended then."""


def _write_split(target: Path, store: Store, kept: Sequence[tuple[str, str]]) -> _Done:
    """A full write, its first parts written here and the others by a forked process, each
    to a file of its own reading the store with a connection of its own (the store as
    committed: the caller holds the write lock and has written nothing the file shows);
    the second file is then appended to the first (in the kernel when it can) and the
    first renamed into place. The same bytes as :func:`_write`."""
    assert store.path is not None
    path = str(store.path)
    tmp = [target.with_suffix(target.suffix + suffix) for suffix in (".tmp", ".tmp1")]

    def write(start: int, stop: int) -> _Done:
        done = _Done(Written())
        db = sqlite3.connect(path, isolation_level=None)
        try:
            fd = os.open(tmp[start > 0], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            try:
                out = _Out(fd, None, done.written)
                _put_parts(out, _Rows(db, kept), range(start, stop), None, [], done)
                out.close()
            finally:
                os.close(fd)
        finally:
            db.close()
        return done

    try:
        first, second = in_ranges(write, [0, _HALF, len(_PARTS)])
        fd = os.open(tmp[0], os.O_WRONLY)  # (not O_APPEND: no kernel copy into that)
        try:
            os.lseek(fd, 0, os.SEEK_END)
            source = os.open(tmp[1], os.O_RDONLY)
            try:
                out = _Out(fd, source, Written())
                out.copy(b"", 0, os.fstat(source).st_size)
                out.close()
            finally:
                os.close(source)
        finally:
            os.close(fd)
    except BaseException:
        for path_ in tmp:
            path_.unlink(missing_ok=True)
        raise
    tmp[1].unlink()
    os.replace(tmp[0], target)
    first.written.written += second.written.written
    first.written.chunks += second.written.chunks
    first.parts += second.parts
    first.gone += second.gone
    return first


class _Out:
    """The new file: bytes written, ranges of the last file copied (in the kernel when it
    can), in order; a copy that continues the one before is one copy."""

    def __init__(self, fd: int, source: int | None, done: Written) -> None:
        self.fd, self.source, self.done = fd, source, done
        self.buffer = bytearray()
        self.pending: list[int] = []  # [offset, size] of a range of the last file to copy
        self.kernel = hasattr(os, "copy_file_range")

    def put(self, data: bytes) -> None:
        self._copy()
        self.done.written += len(data)
        if len(data) >= _CHUNK:  # (not copied into the buffer first)
            self._flush()
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view) :]
            return
        self.buffer += data
        if len(self.buffer) >= _BUFFER:
            self._flush()

    def copy(self, sep: bytes, offset: int, size: int) -> None:
        """Copy ``sep`` and ``size`` bytes from ``offset`` of the last file (where ``sep``
        is just before them when the range before was copied: one range)."""
        if self.pending and self.pending[0] + self.pending[1] + len(sep) == offset:
            self.pending[1] += len(sep) + size
            self.done.copied += len(sep) + size
            return
        self.put(sep)
        self._flush()
        self.pending = [offset, size]
        self.done.copied += size

    def close(self) -> None:
        self._copy()
        self._flush()

    def _flush(self) -> None:
        while self.buffer:
            del self.buffer[: os.write(self.fd, self.buffer)]

    def _copy(self) -> None:
        if not self.pending:
            return
        assert self.source is not None
        self._flush()
        offset, size = self.pending
        self.pending = []
        while size:
            count = 0
            if self.kernel:
                try:
                    count = os.copy_file_range(self.source, self.fd, size, offset)
                except OSError as exc:
                    if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL):
                        raise
                    self.kernel = False
            if not self.kernel:
                self.buffer += os.pread(self.source, min(size, _BUFFER), offset)
                count = len(self.buffer)
                self._flush()
            if not count:
                raise _Stale  # the last file is shorter than the map says
            offset += count
            size -= count


def _remember(store: Store, target: Path, done: _Done) -> None:
    """Keep the new file's chunks (only those that changed, after an edit) and identity;
    forget the keys changed before it."""
    db = store.db
    if done.written.full:
        db.execute("DELETE FROM wchunks")
    else:
        db.executemany(
            "DELETE FROM wchunks WHERE part = ? AND start = ?",
            ((part, start) for part, starts in enumerate(done.gone) for start in starts),
        )
    db.executemany(
        "INSERT OR REPLACE INTO wchunks VALUES (?, ?, ?, ?)",
        (
            (part, c.start, c.size, c.sel)
            for part, chunks in enumerate(done.parts)
            for c in chunks
            if c.fresh
        ),
    )
    db.execute("DELETE FROM wtouch")
    identity = json.dumps(_identity(target))
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_IDENTITY, identity))

"""The build cache under a workspace's ``.kg/``: input hashes and the last build's result.

The graph itself, per file and per record, is in the build store (:mod:`kg.store`).

Each entry is keyed by content hashes (of an annotation file, its article, the schema) and
the kg version, so a changed input is never served stale. Files are pickles of kg's own
typed data, written atomically; one that cannot be read is treated as corrupt: it is
ignored (the build redoes its work) and a notice says so.

Content hashes are remembered with each input's size, modification and change times and
inode: a file whose four are unchanged is not read again to be hashed (as git does). A file
changed within two seconds of being hashed is hashed again next time, so an edit made in
the same clock tick as the hashing is never missed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from array import array
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import kg
from kg.gcpause import gc_paused  # (un)pickling, like parsing YAML, makes no cycles

__all__ = ["BuildCache", "digest", "file_digest", "tree_digest"]

_FORMAT = 10
"""The build store's layout: 10, a parsed description's data without its file (the row's:
kg.plain.parsed_data); 9, descriptions and statements pickled as plain tuples (kg.plain;
8: as objects pickled by their fields, kg.errors)."""
_RACY_NS = 2_000_000_000
_INPUTS = "columns"  # the key inputs.pickle is saved with: its layout (see digests)
_UNSURE = (-1, -1, -1, -1)  # the signature kept for a file changed too recently to trust
_INO_BITS = (1 << 63) - 1  # an inode number as kept (in a signed 64-bit integer)


def digest(data: bytes) -> str:
    """A content hash (hex) of some bytes.

    >>> len(digest(b"kg")), digest(b"kg") == digest(b"kg") != digest(b"KG")
    (32, True)
    """
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def tree_digest(paths: Iterable[Path]) -> str:
    """One hash of several files' names and contents (the schema folder, for instance)."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(paths):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


class BuildCache:
    """Reads and writes the cache files of one workspace; ``salt`` is the schema's hash."""

    def __init__(self, directory: Path, salt: str) -> None:
        self.directory = directory
        self.salt = f"{_FORMAT}:{kg.__version__}:{salt}"
        self.notices: list[str] = []

    def key(self, *parts: str) -> str:
        """A key of the version, the schema and ``parts`` (content hashes, names)."""
        return digest("\0".join((self.salt, *parts)).encode())

    def load(self, name: str, key: str | None = None) -> dict[str, Any]:
        """The entries of one cache file (empty when it is missing, stale or corrupt).

        With a ``key``, only a file saved with that key counts (checked before the entries
        are read).
        """
        path = self.directory / f"{name}.pickle"
        if not path.is_file():
            return {}
        try:
            with path.open("rb") as handle, gc_paused():
                header = pickle.load(handle)
                if header != {"salt": self.salt, "key": header.get("key")}:
                    return {}
                if key is not None and header["key"] != key:
                    return {}
                entries = pickle.load(handle)
            if not isinstance(entries, dict):
                raise TypeError("entries")
            return entries
        except Exception as exc:
            self.notices.append(
                f"the build cache {path} could not be read ({type(exc).__name__}); rebuilt it"
            )
            return {}

    def save(self, name: str, entries: dict[str, Any], key: str = "") -> None:
        """Write one cache file atomically (a temporary file renamed into place)."""
        path = self.directory / f"{name}.pickle"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle, gc_paused():
                pickle.dump({"salt": self.salt, "key": key}, handle, pickle.HIGHEST_PROTOCOL)
                pickle.dump(entries, handle, pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def drop(self, names: Iterable[str]) -> None:
        """Delete cache files that no longer correspond to an input."""
        for name in names:
            (self.directory / f"{name}.pickle").unlink(missing_ok=True)

    def drop_others(self, folder: str, wanted: set[str]) -> None:
        """Delete the cache files in ``folder`` not named in ``wanted`` (``folder/name``)."""
        where = self.directory / folder
        names = [f"{folder}/{p.stem}" for p in where.glob("*.pickle")] if where.is_dir() else []
        self.drop(name for name in names if name not in wanted)

    def digests(self, files: Mapping[str, Path], jobs: int = 1) -> dict[str, str]:
        """The content hash of each file (``""`` when unreadable), reading only changed ones
        (with ``jobs`` > 1 and at least :data:`_MANY` of them, in that many processes).

        ``inputs.pickle`` keeps three columns (names, signatures as one array of integers,
        hashes): loading them makes a few objects, not several per file (0.05 s at 20,000
        files as a dict of tuples).
        """
        names, sigs, hashes = self._inputs()
        known = {name: at for at, name in enumerate(names)}
        racy_after = time.time_ns() - _RACY_NS
        found: dict[str, str] = {}
        now_names: list[str] = []
        now_sigs = array("q")
        now_hashes: list[str] = []
        stat = os.stat
        todo: list[tuple[int, Path]] = []  # (in now_hashes, path) of each file to hash
        for shown, path in files.items():
            try:
                info = stat(path)
            except OSError:
                found[shown] = ""  # unreadable: never a cache hit; reading reports it
                continue
            sig = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino & _INO_BITS)
            at = known.get(shown)
            if at is not None and tuple(sigs[4 * at : 4 * at + 4]) == sig:
                hashed = hashes[at]
            else:
                hashed = ""
                todo.append((len(now_hashes), path))
            found[shown] = hashed
            try:
                now_sigs.extend(_UNSURE if max(sig[1], sig[2]) >= racy_after else sig)
            except OverflowError:  # a time before 1677: not kept, the file hashed every time
                del now_sigs[4 * len(now_names) :]
                now_sigs.extend(_UNSURE)
            now_names.append(shown)
            now_hashes.append(hashed)
        for (at, _), hashed in zip(todo, _hashed([p for _, p in todo], jobs), strict=True):
            now_hashes[at] = found[now_names[at]] = hashed
        if (now_names, now_sigs, now_hashes) != (names, sigs, hashes):
            columns = {"names": now_names, "sigs": now_sigs, "hashes": now_hashes}
            self.save("inputs", columns, _INPUTS)
        return found

    def _inputs(self) -> tuple[list[str], array[int], list[str]]:
        """The columns ``digests`` saved (empty ones when missing, stale or not these)."""
        table = self.load("inputs", _INPUTS)
        names, sigs, hashes = table.get("names"), table.get("sigs"), table.get("hashes")
        if (
            isinstance(names, list)
            and isinstance(sigs, array)
            and sigs.typecode == "q"
            and isinstance(hashes, list)
            and len(sigs) == 4 * len(names) == 4 * len(hashes)
        ):
            return names, sigs, hashes
        return [], array("q"), []


_MANY = 256
"""Files to hash from which :meth:`BuildCache.digests` hashes them in processes."""


def _hashed(paths: list[Path], jobs: int) -> list[str]:
    """``file_digest`` of each path: with ``jobs`` > 1 and many paths, in that many
    processes (forked: each hashes one contiguous share)."""
    if jobs <= 1 or len(paths) < _MANY:
        return [file_digest(path) for path in paths]
    from kg.forked import in_ranges

    def share(start: int, stop: int) -> list[str]:
        return [file_digest(path) for path in paths[start:stop]]

    bounds = [len(paths) * k // jobs for k in range(jobs + 1)]
    return [hashed for part in in_ranges(share, bounds) for hashed in part]


def file_digest(path: Path) -> str:
    """The content hash of a file, ``""`` when it cannot be read."""
    try:
        return digest(path.read_bytes())
    except OSError:
        return ""

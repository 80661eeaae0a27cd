"""The remembered input hashes (``.kg/inputs.pickle``): what is read again, and their layout."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import kg.cache
import kg.forked
from kg.cache import BuildCache, digest


def _files(root: Path, count: int) -> dict[str, Path]:
    files = {}
    for i in range(count):
        path = root / f"f{i}.yaml"
        path.write_text(f"file {i}\n", "utf-8")
        files[f"shown/f{i}.yaml"] = path
    return files


def _hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = kg.cache.file_digest
    monkeypatch.setattr(kg.cache, "file_digest", lambda p: calls.append(p.name) or real(p))
    return calls


def test_only_changed_files_are_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.cache, "_RACY_NS", 0)  # trust file times at once
    files = _files(tmp_path, 5)
    files["shown/missing.yaml"] = tmp_path / "missing.yaml"
    cache = BuildCache(tmp_path / ".kg", "salt")
    calls = _hashed(monkeypatch)
    first = cache.digests(files)
    assert first["shown/f3.yaml"] == digest(b"file 3\n") and first["shown/missing.yaml"] == ""
    assert len(calls) == 5  # the missing file: not statted, so not read
    calls.clear()
    assert BuildCache(tmp_path / ".kg", "salt").digests(files) == first
    assert calls == []
    calls.clear()
    files["shown/f3.yaml"].write_text("file 3, edited\n", "utf-8")
    again = BuildCache(tmp_path / ".kg", "salt").digests(files)
    assert calls == ["f3.yaml"]
    assert again == {**first, "shown/f3.yaml": digest(b"file 3, edited\n")}


def test_a_file_changed_just_now_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within two seconds of its change a file's times are not trusted (same-tick edits)."""
    files = _files(tmp_path, 2)
    old = 1_000_000_000_000_000_000
    os.utime(files["shown/f0.yaml"], ns=(old, old))  # its change time stays recent
    cache = BuildCache(tmp_path / ".kg", "salt")
    cache.digests(files)
    calls = _hashed(monkeypatch)
    cache.digests(files)
    assert sorted(calls) == ["f0.yaml", "f1.yaml"]
    monkeypatch.setattr(kg.cache, "_RACY_NS", 0)
    calls.clear()
    cache.digests(files)  # trusted from now on, once remembered so
    calls.clear()
    cache.digests(files)
    assert calls == []


def test_inputs_are_kept_as_three_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the signatures of 1,000 files unpickles a few objects, not several per file;
    a file in another layout (the dict of tuples of earlier versions) is not trusted."""
    monkeypatch.setattr(kg.cache, "_RACY_NS", 0)
    files = _files(tmp_path, 1000)
    cache = BuildCache(tmp_path / ".kg", "salt")
    first = cache.digests(files)
    with (tmp_path / ".kg" / "inputs.pickle").open("rb") as handle:
        pickle.load(handle)
        entries = pickle.load(handle)
    assert sorted(entries) == ["hashes", "names", "sigs"]
    assert entries["names"] == list(files) and len(entries["sigs"]) == 4000
    cache.save("inputs", {shown: ((0, 0, 0, 0), "stale") for shown in files})
    calls = _hashed(monkeypatch)
    assert cache.digests(files) == first
    assert len(calls) == 1000


def test_a_time_or_inode_beyond_what_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A modification time before 1677 (not in 64 bits of nanoseconds): the file is hashed
    each time, the others are kept; a 64-bit inode number is kept (its top bit dropped)."""
    monkeypatch.setattr(kg.cache, "_RACY_NS", 0)
    files = _files(tmp_path, 3)
    real = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        info = real(path, *args, **kwargs)
        if args or kwargs or path not in files.values():
            return info
        far = path.name == "f1.yaml"
        return SimpleNamespace(
            st_size=info.st_size,
            st_mtime_ns=-(1 << 63) - 10**18 if far else info.st_mtime_ns,
            st_ctime_ns=info.st_ctime_ns,
            st_ino=info.st_ino | (1 << 63),
        )

    monkeypatch.setattr(os, "stat", stat)
    cache = BuildCache(tmp_path / ".kg", "salt")
    first = cache.digests(files)
    assert first["shown/f1.yaml"] == digest(b"file 1\n")
    calls = _hashed(monkeypatch)
    assert cache.digests(files) == first
    assert calls == ["f1.yaml"]


def test_many_files_hashed_in_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.cache, "_RACY_NS", 0)  # trust file times at once
    files = _files(tmp_path, 40)
    os.remove(files["shown/f7.yaml"])  # unreadable: ""
    splits: list[list[int]] = []
    real = kg.forked.in_ranges

    def spied(fn: Any, bounds: list[int]) -> Any:
        splits.append(list(bounds))
        return real(fn, bounds)

    monkeypatch.setattr(kg.forked, "in_ranges", spied)
    monkeypatch.setattr(kg.cache, "_MANY", 8)
    cache = BuildCache(tmp_path / ".kg", "salt")
    found = cache.digests(files, jobs=3)
    assert splits == [[0, 13, 26, 39]]
    expected = {s: digest(p.read_bytes()) if p.exists() else "" for s, p in files.items()}
    assert found == expected
    assert BuildCache(tmp_path / ".kg", "salt").digests(files, jobs=3) == expected
    assert len(splits) == 1  # nothing changed: nothing hashed again
    (tmp_path / "f3.yaml").write_text("changed\n", "utf-8")
    assert cache.digests(files, jobs=3)["shown/f3.yaml"] == digest(b"changed\n")
    assert len(splits) == 1  # one file: hashed here

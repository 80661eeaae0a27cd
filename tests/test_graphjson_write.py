"""graph.json written after an edit copies the unchanged chunks of the last one, and its
bytes are those of a full write (and of :func:`kg.graphjson.write_graph_json`)."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

import kg.graphfile
from kg.build import BuildResult
from kg.graphfile import Written
from kg.graphjson import write_graph_json
from kg.schema import Schema, load_schema
from kg.synth import synth_workspace
from kg.workspace import Workspace


class Synth:
    """A small synthetic workspace, written to again and again."""

    def __init__(self, root: Path) -> None:
        synth_workspace(root, 12, seed=7, jobs=1)
        self.root = root
        self.workspace = Workspace(root)
        self.schema: Schema = load_schema(root / "schema")
        self.target = root / "exports" / "graph.json"
        self.annotations = sorted((root / "seeds" / "annotations").glob("*.yaml"))
        self.articles = sorted((root / "seeds" / "articles").glob("*.md"))

    def build(self, cached: bool = True) -> BuildResult:
        return self.workspace.build(self.schema, cached=cached, jobs=1)

    def write(self, target: Path | None = None) -> Written:
        result = self.build()
        assert result.writer is not None
        done = result.writer(target or self.target)
        assert isinstance(done, Written)
        return done

    def full(self, name: str) -> bytes:
        """graph.json of a build without the cache, and the graph's own writer's."""
        result = self.build(cached=False)
        alone = self.root / f"{name}-full.json"
        result.write_to(alone)
        direct = self.root / f"{name}-direct.json"
        write_graph_json(result.graph, self.schema, direct)
        assert alone.read_bytes() == direct.read_bytes()
        return alone.read_bytes()

    def same(self, name: str) -> None:
        assert self.target.read_bytes() == self.full(name)


@pytest.fixture
def synth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Synth:
    monkeypatch.setattr(kg.graphfile, "_CHUNK", 3000)  # many chunks in a small graph
    return Synth(tmp_path / "ws")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_an_edit_copies_what_did_not_change(synth: Synth) -> None:
    first = synth.write()
    assert first.full and first.copied == 0
    synth.same("first")
    size = synth.target.stat().st_size
    edit(synth.annotations[3], 'title: "', 'title: "Edited: ')
    done = synth.write()
    assert not done.full
    assert done.chunks > 0 and done.written < size / 4 < done.copied
    assert done.copied + done.written == synth.target.stat().st_size
    synth.same("edited")
    unchanged = synth.write()  # nothing changed since: everything copied
    assert not unchanged.full and unchanged.chunks == 0
    synth.same("unchanged")


def test_files_added_removed_and_rejected(synth: Synth) -> None:
    synth.write()
    annotation, article = synth.annotations[5], synth.articles[5]
    saved = annotation.read_bytes(), article.read_bytes()
    annotation.unlink()
    assert not synth.write().full
    synth.same("annotation-removed")
    article.unlink()
    assert not synth.write().full
    synth.same("article-removed")
    article.write_bytes(saved[1])
    annotation.write_bytes(saved[0])
    assert not synth.write().full
    synth.same("added-back")
    edit(synth.annotations[2], "entities:", "entities: [")  # malformed: the file is rejected
    assert not synth.write().full
    synth.same("rejected")
    edit(synth.articles[7], "\n\n", "\n\nA new first paragraph.\n\n")
    assert not synth.write().full
    synth.same("article-edited")


def test_any_doubt_means_a_full_write(synth: Synth) -> None:
    synth.write()
    with synth.target.open("ab") as changed:  # by someone else
        changed.write(b" ")
    edit(synth.annotations[1], 'title: "', 'title: "Edited: ')
    assert synth.write().full
    synth.same("changed")
    other = synth.root / "other.json"
    assert synth.write(other).full  # another target
    assert other.read_bytes() == synth.full("other")
    edit(synth.annotations[1], 'title: "Edited: ', 'title: "')
    assert synth.write().full  # the map is the other file's now
    synth.same("back")
    db = sqlite3.connect(synth.root / ".kg" / "store.sqlite")
    db.execute("DROP TABLE wchunks")  # a store from kg before the map
    db.commit()
    db.close()
    edit(synth.annotations[1], 'title: "', 'title: "Edited: ')
    assert synth.write().full
    synth.same("older")
    synth.target.unlink()
    assert synth.write().full
    synth.same("missing")


def test_without_a_kernel_copy(synth: Synth, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> int:
        raise OSError(errno.EXDEV, "not here")

    monkeypatch.setattr(os, "copy_file_range", refuse)
    synth.write()
    edit(synth.annotations[4], 'title: "', 'title: "Edited: ')
    done = synth.write()
    assert not done.full and done.copied > done.written
    synth.same("read-write")


@pytest.mark.parametrize("kernel", [True, False])
def test_a_full_write_split_between_two_processes(
    synth: Synth, monkeypatch: pytest.MonkeyPatch, kernel: bool
) -> None:
    splits: list[list[int]] = []
    in_ranges = kg.graphfile.in_ranges

    def spied(fn: object, bounds: list[int]) -> object:
        splits.append(list(bounds))
        return in_ranges(fn, bounds)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.graphfile, "in_ranges", spied)
    monkeypatch.setattr(kg.graphfile, "_SPLIT", 1)
    if not kernel:

        def refuse(*args: object) -> int:
            raise OSError(errno.EXDEV, "not here")

        monkeypatch.setattr(os, "copy_file_range", refuse)
    first = synth.write()
    assert splits == [[0, 3, 6]]
    assert first.full and first.copied == 0
    assert first.written == synth.target.stat().st_size
    synth.same("split")
    assert sorted(p.name for p in synth.target.parent.iterdir()) == [".gitkeep", "graph.json"]
    edit(synth.annotations[3], 'title: "', 'title: "Edited: ')  # the map of the split write
    done = synth.write()
    assert not done.full and done.written < done.copied
    synth.same("split-edited")
    assert len(splits) == 1


def test_the_compact_encoder_writes_what_json_writes(schema: Schema) -> None:
    """Records' and statements' texts made by one C encoder made once: the same text as
    ``json.JSONEncoder(ensure_ascii=False).encode``, and as graph_to_dict's statements."""
    import json

    from kg.graphjson import compact_encoder, graph_to_dict, statement_texts
    from kg.model import Graph, Statement

    encode = compact_encoder()
    values = [
        {"id": "per:é", "n": None, "t": True, "f": 1.5, "i": -3, "l": ['a\n"b"', "\u2028"]},
        {"nested": {"x": [], "y": {}, "z": [{"q": 1e100, "r": 0.1}]}, "": "\x00\x1f"},
        [1, "two", None],
    ]
    for value in values:
        assert encode(value) == json.JSONEncoder(ensure_ascii=False).encode(value)
    statements = (
        Statement("inc:a", "participants", "org:b perpetrator", ("doc:1", "doc:2")),
        Statement("inc:a", "title", "Ünïcode “title”", ("doc:2",), chosen=False),
    )
    lines = graph_to_dict(Graph(statements=statements), schema)["statements"]
    assert statement_texts(statements) == [json.dumps(s, ensure_ascii=False) for s in lines]

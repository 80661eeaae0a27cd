"""The build cache: the same graph as a cold build, and never stale."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
import kg.build
import kg.store
from kg.build import BuildResult
from kg.cli import main
from kg.errors import KgError
from kg.schema import load_schema

from .conftest import MINI_ANNOTATION, ScratchWorkspace


class Counter:
    """Counts the annotation files parsed (a spy around the real parser)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[str] = []
        real = kg.build.parse_annotation_file

        def spy(*args: object, **kwargs: object) -> object:
            self.files.append(str(args[3]))
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(kg.build, "parse_annotation_file", spy)

    def take(self) -> list[str]:
        found, self.files = sorted(p.rsplit("/", 1)[-1] for p in self.files), []
        return found


def build(scratch: ScratchWorkspace) -> BuildResult:
    return scratch.workspace.build(load_schema(scratch.root / "schema"))


def cold(scratch: ScratchWorkspace) -> BuildResult:
    return scratch.workspace.build(load_schema(scratch.root / "schema"), cached=False)


@pytest.fixture
def warm(scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch) -> Counter:
    scratch.annotate(MINI_ANNOTATION)
    counter = Counter(monkeypatch)
    first = build(scratch)
    assert first.ok and len(counter.take()) == 2
    again = build(scratch)
    assert counter.take() == [] and again.graph == first.graph == cold(scratch).graph
    counter.take()
    return counter


def test_an_edited_annotation_is_parsed_again_alone(
    scratch: ScratchWorkspace, warm: Counter
) -> None:
    scratch.annotate(MINI_ANNOTATION.replace("Attack on a border post", "Raid on a border post"))
    result = build(scratch)
    assert warm.take() == ["mini.yaml"]
    assert result.graph.incidents["inc:osh-border-post-attack"].title.startswith("Raid")
    assert result.graph == cold(scratch).graph


def test_a_build_from_another_folder_uses_the_same_cache(
    scratch: ScratchWorkspace, warm: Counter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Files are named from the workspace, not the working directory: a build run from
    elsewhere parses nothing again, and its problems name the files as a build inside does."""
    for where in (tmp_path, scratch.root / "seeds"):
        monkeypatch.chdir(where)
        assert build(scratch).ok and warm.take() == []
    scratch.annotate(MINI_ANNOTATION.replace("evidence:", "bogus: 1\n    evidence:", 1))
    result = build(scratch)
    assert warm.take() == ["mini.yaml"]
    assert result.rejected == ["seeds/annotations/mini.yaml"]
    monkeypatch.chdir(tmp_path)
    shown = CliRunner().invoke(main, ["-w", str(scratch.root), "validate"])
    assert shown.exit_code == 1 and warm.take() == []
    assert f"kg: files are named from the workspace {scratch.root.resolve()}\n" in shown.output
    assert "\nseeds/annotations/mini.yaml:" in shown.output


def test_an_edited_article_is_parsed_again(scratch: ScratchWorkspace, warm: Counter) -> None:
    article = scratch.root / "seeds" / "articles" / "mini.md"
    article.write_text(article.read_text("utf-8").replace("Gunmen", "Rebels"), "utf-8")
    result = build(scratch)
    assert warm.take() == ["mini.yaml"]
    assert any(p.code == "quote-not-found" for p in result.errors)


def test_an_edited_schema_invalidates_everything(scratch: ScratchWorkspace, warm: Counter) -> None:
    vocab = scratch.root / "schema" / "vocabularies.yaml"
    text = vocab.read_text("utf-8")
    vocab.write_text(text.replace("  attack:", "  assault:", 1), "utf-8")
    assert "  assault:" in vocab.read_text("utf-8")
    result = build(scratch)
    assert len(warm.take()) == 2
    assert any(p.code == "unknown-term" and "attack" in p.message for p in result.errors)


def test_another_kg_version_invalidates_everything(
    scratch: ScratchWorkspace, warm: Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kg, "__version__", kg.__version__ + ".post1")
    build(scratch)
    assert len(warm.take()) == 2


@pytest.mark.parametrize("name", ["store.sqlite", "inputs.pickle"])
def test_a_corrupt_cache_file_is_rebuilt_with_a_notice(
    scratch: ScratchWorkspace, warm: Counter, name: str
) -> None:
    path = scratch.workspace.cache_dir / name
    assert path.is_file()
    path.write_bytes(b"\x80\x05garbage" * 1000)
    scratch.annotate(MINI_ANNOTATION + "\n")  # so that the graph must be merged again
    result = build(scratch)
    assert result.graph == cold(scratch).graph
    assert any(name.split("/")[0] in n and "rebuilt" in n for n in result.notices)
    assert build(scratch).notices == []


@pytest.mark.parametrize("name", ["store.sqlite", "result.pickle", "inputs.pickle"])
def test_a_corrupt_cached_result_is_rebuilt_when_nothing_changed(
    scratch: ScratchWorkspace, warm: Counter, name: str
) -> None:
    (scratch.workspace.cache_dir / name).write_bytes(b"\x80\x05garbage" * 1000)
    result = build(scratch)
    assert result.graph == cold(scratch).graph
    assert any(name in n and "rebuilt" in n for n in result.notices)


def test_a_file_whose_references_change_meaning_is_parsed_again(
    scratch: ScratchWorkspace, warm: Counter
) -> None:
    """mini.yaml is unchanged, but another file makes its reference 'Osh' ambiguous."""
    scratch.write(
        "seeds/articles/other.md", "---\ntitle: Other\ndate: 2005-03-15\n---\nOsh is a town.\n"
    )
    scratch.annotate(
        "document: other\nentities:\n  - id: plc:osh-town\n    type: Place\n    name: Osh\n",
        name="other",
    )
    scratch.annotate(MINI_ANNOTATION.replace("place: plc:osh", "place: Osh"))
    build(scratch)
    warm.take()
    scratch.annotate(
        "document: other\nentities:\n  - id: plc:osh-town\n    type: Place\n    name: Osh City\n",
        name="other",
    )
    result = build(scratch)
    assert warm.take() == ["mini.yaml", "other.yaml"]
    assert result.graph == cold(scratch).graph and result.ok


def test_stats_of_an_unchanged_build_read_no_graph_and_follow_an_edit(
    scratch: ScratchWorkspace, warm: Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from click.testing import CliRunner

    from kg.cli import main
    from kg.stats import graph_stats

    def stats() -> object:
        args = ["--workspace", str(scratch.root), "stats", "--format", "json"]
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 0, done.output
        return json.loads(done.output)

    expected = json.loads(json.dumps(graph_stats(cold(scratch).graph)))
    with monkeypatch.context() as patch:
        patch.setattr(BuildResult, "graph", property(lambda _: pytest.fail("graph read")))
        assert stats() == expected
    scratch.annotate(MINI_ANNOTATION.replace("kind: attack", "kind: clash"))
    edited = json.loads(json.dumps(graph_stats(cold(scratch).graph)))
    assert {"section": "incidents", "type": "clash", "count": 1} in edited
    assert stats() == edited


def test_files_parsed_in_two_processes_make_the_same_build(scratch: ScratchWorkspace) -> None:
    scratch.annotate(MINI_ANNOTATION)
    scratch.annotate("document: nowhere\n", name="faulty")
    schema = load_schema(scratch.root / "schema")
    one = scratch.workspace.build(schema, cached=False)
    two = scratch.workspace.build(schema, jobs=2)
    assert two.graph == one.graph and two.graph.incidents
    assert two.problems == one.problems and [r.rsplit("/", 1)[-1] for r in two.rejected] == [
        "faulty.yaml"
    ]
    assert two.rejected == one.rejected
    again = scratch.workspace.build(schema, jobs=2)  # from the cache the workers filled
    assert again.graph == one.graph and again.problems == one.problems


def _hold_store(path: Path, seconds: float) -> None:
    """Another process's build: hold the store's write lock for ``seconds``."""
    db = sqlite3.connect(str(path), isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    time.sleep(seconds)
    db.execute("COMMIT")
    db.close()


def _holding(path: Path, seconds: float) -> threading.Thread:
    holder = threading.Thread(target=_hold_store, args=(path, seconds))
    holder.start()
    time.sleep(0.2)  # the lock is held
    return holder


def test_a_build_waits_for_another_build_of_the_same_workspace(
    scratch: ScratchWorkspace, warm: Counter
) -> None:
    holder = _holding(scratch.workspace.cache_dir / "store.sqlite", 1.0)
    scratch.annotate(MINI_ANNOTATION + "\n")
    result = build(scratch)  # waits for the lock, then builds
    holder.join()
    assert result.ok and result.graph == cold(scratch).graph


def test_a_store_locked_too_long_is_an_error_and_is_kept(
    scratch: ScratchWorkspace, warm: Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kg.store, "_WAIT", 0.2)
    path = scratch.workspace.cache_dir / "store.sqlite"
    holder = _holding(path, 1.5)
    scratch.annotate(MINI_ANNOTATION + "\n")
    with pytest.raises(KgError, match="in use by another kg process"):
        build(scratch)
    holder.join()
    again = build(scratch)  # the store was kept, not thrown away as if it were corrupt
    assert again.ok and not any("rebuilt" in n for n in again.notices)

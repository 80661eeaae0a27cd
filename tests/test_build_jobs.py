"""A build in several processes, and the fingerprint each record gets when it is built."""

from __future__ import annotations

import os
import shutil
import sqlite3
from typing import Any

import pytest
from click.testing import CliRunner

import kg.build
import kg.incremental
import kg.records
import kg.store
from kg.build import BuildResult
from kg.schema import Schema, load_schema

from .conftest import MINI_ANNOTATION, ScratchWorkspace
from .test_cache_incremental import OTHER_ARTICLE, other

ATTACK = "inc:osh-border-post-attack"


def _graph_json(scratch: ScratchWorkspace, *args: str) -> bytes:
    from kg.cli import main

    shutil.rmtree(scratch.root / ".kg", ignore_errors=True)
    target = scratch.root / "out.json"
    done = CliRunner().invoke(
        main, ["--workspace", str(scratch.root), "build", *args, "-o", str(target)]
    )
    assert done.exit_code == 0, done.output
    return target.read_bytes()


def test_records_merged_in_two_processes_make_the_same_graph_json(
    scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch.annotate(MINI_ANNOTATION)
    other(scratch, date="2004-07-31")  # a disagreement: statements to encode
    monkeypatch.setattr(kg.records, "_BATCH", 1)  # one record a batch: many batches
    read = kg.store.Store.document

    def in_this_process(store: kg.store.Store, shown: str) -> object:
        # A forked process reading the store could wait on the build's write lock (it did
        # at 10,000 articles): the documents are read before forking.
        if os.getpid() != store.pid:
            raise RuntimeError("a forked process read the store")
        return read(store, shown)

    monkeypatch.setattr(kg.store.Store, "document", in_this_process)
    one = _graph_json(scratch, "--jobs", "1")
    assert b"2004-07-31" in one and ATTACK.encode() in one
    assert _graph_json(scratch, "--jobs", "2") == one
    assert _graph_json(scratch, "--jobs", "12") == one  # more processes than parts attach
    assert _graph_json(scratch) == one  # the default (every core when many files changed)


def _prints(scratch: ScratchWorkspace) -> dict[str, str]:
    result = scratch.workspace.build(load_schema(scratch.root / "schema"))
    found = result.fingerprints()
    assert found is not None
    return dict(found)


def test_a_fingerprint_changes_when_and_only_when_its_record_does(
    scratch: ScratchWorkspace,
) -> None:
    scratch.annotate(MINI_ANNOTATION)
    other(scratch)
    first = _prints(scratch)
    assert ATTACK in first and "org:kyrgyz-interior-ministry" in first
    assert all(len(v) == 32 for v in first.values())
    assert _prints(scratch) == first  # nothing changed (the kept result)
    shutil.rmtree(scratch.root / ".kg")
    assert _prints(scratch) == first  # a cold build gives the same digests
    scratch.annotate(MINI_ANNOTATION.replace("Attack on a border post", "Raid on a border post"))
    titled = _prints(scratch)
    assert {k for k in first if titled.get(k) != first[k]} == {ATTACK}
    other(scratch, date="2004-07-31")  # the bombing's date now disagrees: new statements
    dated = _prints(scratch)
    assert {k for k in titled if dated.get(k) != titled[k]} == {"inc:2004-07-30-tashkent-bombings"}


def test_a_document_has_a_fingerprint_that_changes_with_its_article(
    scratch: ScratchWorkspace,
) -> None:
    scratch.annotate(MINI_ANNOTATION)
    other(scratch)
    first = _prints(scratch)
    assert {"doc:mini", "doc:other"} <= first.keys()
    scratch.annotate(MINI_ANNOTATION.replace("Attack on a border post", "Raid on a border post"))
    assert {k for k in first if _prints(scratch).get(k) != first[k]} == {ATTACK}
    scratch.write("seeds/articles/other.md", OTHER_ARTICLE.replace("spoke", "spoke again"))
    edited = _prints(scratch)
    changed = {k for k, v in edited.items() if first.get(k) != v}
    assert "doc:other" in changed and "doc:mini" not in changed
    shutil.rmtree(scratch.root / ".kg")
    assert _prints(scratch) == edited  # a cold build gives the same digests


def test_no_fingerprints_without_a_store() -> None:
    from kg.build import BuildResult

    assert BuildResult(None).fingerprints() is None


def _two_files(scratch: ScratchWorkspace) -> tuple[Schema, BuildResult]:
    """Two annotation files that disagree, and their graph built without a store."""
    scratch.annotate(MINI_ANNOTATION)
    other(scratch, date="2004-07-31")
    schema = load_schema(scratch.root / "schema")
    return schema, scratch.workspace.build(schema, cached=False)


def _killed_build(
    scratch: ScratchWorkspace,
    schema: Schema,
    monkeypatch: pytest.MonkeyPatch,
    owner: object,
    name: str,
    killed: Any,
) -> None:
    """A first build in two processes with ``owner.name`` replaced by ``killed``, which
    stops it as a killed process stops (see :func:`_die`)."""
    with monkeypatch.context() as patch:
        patch.setattr(owner, name, killed)
        with pytest.raises(KeyboardInterrupt):
            scratch.workspace.build(schema, jobs=2)


def _die(store: kg.store.Store) -> None:
    """Stop the build as a killed process: its open transaction lost, nothing after run."""
    store.db.close()
    raise KeyboardInterrupt


def test_a_first_build_stopped_in_its_merge_leaves_a_store_that_is_not_trusted(
    scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema, expected = _two_files(scratch)
    merged: list[int] = []
    copy_parts = kg.store.Store.copy_parts

    def killed(store: kg.store.Store, numbers: list[int]) -> None:
        # The parsed files are committed and each process writes its parts, copied in as
        # they come: the build dies at the fourth as a killed process does (its open
        # transaction lost, nothing after it run).
        merged.extend(numbers)
        if len(merged) < 4:
            return copy_parts(store, numbers)
        _die(store)

    _killed_build(scratch, schema, monkeypatch, kg.store.Store, "copy_parts", killed)
    assert merged == [0, 1, 2, 3]  # more ranges than processes, in order
    again = _rebuilt_as(scratch, schema, expected)
    assert any("unfinished" in n and "rebuilt" in n for n in again.notices)


def _rebuilt_as(scratch: ScratchWorkspace, schema: Schema, expected: BuildResult) -> BuildResult:
    """The next build after a killed one: ``expected``'s graph and problems, no part file
    left, and the build after it has nothing to say."""
    again = scratch.workspace.build(schema, jobs=2)
    assert again.graph == expected.graph and again.problems == expected.problems
    assert not list(scratch.workspace.cache_dir.glob("store.sqlite-part*"))
    assert scratch.workspace.build(schema).notices == []
    return again


def test_a_first_build_stopped_after_its_parsing_processes_leaves_a_store_rebuilt(
    scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema, expected = _two_files(scratch)
    parts: list[str] = []

    def killed(store: kg.store.Store, paths: list[object], tables: object) -> None:
        # Each parsing process wrote its part; the build dies before copying them in.
        parts.extend(str(p) for p in paths)
        _die(store)

    _killed_build(scratch, schema, monkeypatch, kg.store.Store, "copy_in", killed)
    assert len(parts) == 2 and all(os.path.exists(p) for p in parts)
    _rebuilt_as(scratch, schema, expected)


def test_a_first_build_stopped_while_parsing_leaves_nothing_in_the_store(
    scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The articles are not committed before the parse (nobody reads them from the store:
    # the documents are read before the parsing processes fork).
    schema, expected = _two_files(scratch)

    def killed(store: kg.store.Store, *args: object, **kwargs: object) -> None:
        _die(store)

    _killed_build(scratch, schema, monkeypatch, kg.incremental, "put_file", killed)
    db = sqlite3.connect(scratch.workspace.cache_dir / "store.sqlite")
    try:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone() == (0,)
    finally:
        db.close()
    _rebuilt_as(scratch, schema, expected)


def test_a_first_build_with_a_rejected_file_still_merges_in_processes(
    scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.cli import main

    scratch.annotate(MINI_ANNOTATION)
    other(scratch, date="2004-07-31")
    scratch.annotate("document: [unclosed\n", name="broken")
    merged_in_parts: list[int] = []
    merge_parts = kg.records._Merger.merge_parts

    def counted(self: kg.records._Merger, *args: object) -> None:
        merged_in_parts.append(1)
        merge_parts(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.records._Merger, "merge_parts", counted)
    outputs = []
    for jobs in ("1", "2"):
        shutil.rmtree(scratch.root / ".kg", ignore_errors=True)
        target = scratch.root / "out.json"
        done = CliRunner().invoke(
            main, ["--workspace", str(scratch.root), "build", "--jobs", jobs, "-o", str(target)]
        )
        assert done.exit_code == 1, done.output  # one file rejected, the others built
        assert "broken.yaml" in done.output
        outputs.append((done.output, target.read_bytes()))
    assert ATTACK.encode() in outputs[0][1]
    assert outputs[1] == outputs[0]
    assert merged_in_parts == [1]  # the two-process build, not the one-process one


def test_a_first_build_stopped_while_it_checks_references_leaves_a_store_rebuilt(
    scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema, expected = _two_files(scratch)
    checked: list[int] = []

    def killed(store: kg.store.Store, files: set[str], keys: set[str]) -> None:
        # The merge's processes read the parsing processes' parts meanwhile.
        checked.append(len(files))
        _die(store)

    _killed_build(scratch, schema, monkeypatch, kg.incremental, "resolutions", killed)
    assert len(checked) == 1  # every file's references, once
    _rebuilt_as(scratch, schema, expected)


THIRD = """\
document: third
claims:
  - speaker: Interior ministry
    stance: asserts
    content: The ministry spoke again.
    evidence:
      - quote: "The Kyrgyz interior ministry spoke"
"""


def test_a_reference_to_another_files_name_in_a_first_build_in_processes(
    scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Parsed alone, the third file's reference is unknown: once every file's declarations
    # are in, it resolves (the file is parsed again, its records merged again).
    schema, _ = _two_files(scratch)
    scratch.write("seeds/articles/third.md", OTHER_ARTICLE.replace("Other", "Third"))
    scratch.annotate(THIRD, name="third")
    expected = scratch.workspace.build(schema, cached=False)
    assert expected.ok, [str(p) for p in expected.problems]
    merges: list[int] = []
    merge_and_write = kg.build.merge_and_write

    def counted(*args: Any, **kwargs: Any) -> BuildResult:
        merges.append(1)
        return merge_and_write(*args, **kwargs)

    monkeypatch.setattr(kg.build, "merge_and_write", counted)
    built = scratch.workspace.build(schema, jobs=2)
    assert len(merges) == 2  # once with the first parse, again with the file parsed again
    assert built.graph == expected.graph and built.problems == expected.problems
    claims = [c for c in built.graph.claims.values() if c.speaker == "org:kyrgyz-interior-ministry"]
    assert len(claims) == 2


def test_a_first_build_keeps_the_indexes_of_the_merges_tables_as_it_copies_them_in(
    scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch.annotate(MINI_ANNOTATION)
    other(scratch, date="2004-07-31")
    seen: list[set[str]] = []
    copy = kg.store.Store.copy_parts

    def spied(store: kg.store.Store, numbers: Any) -> None:
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        seen.append({r[0] for r in store.db.execute(sql)})
        copy(store, numbers)

    monkeypatch.setattr(kg.store.Store, "copy_parts", spied)
    one = _graph_json(scratch, "--jobs", "2")
    assert seen
    merged = {"records", "links", "names"}
    kept = {name for name, table, _ in kg.store._indexes() if table in merged}
    assert kept and merged.isdisjoint(kg.build._BULK)  # none of them dropped
    for found in seen:  # kept up to date while the merge's rows are copied in
        assert kept <= found
    db = sqlite3.connect(scratch.root / ".kg" / "store.sqlite")
    sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    assert {r[0] for r in db.execute(sql)} >= {name for name, _, _ in kg.store._indexes()}
    db.close()
    assert _graph_json(scratch, "--jobs", "1") == one

"""Builds from the cache after files are added, removed or edited equal a cold build."""

from __future__ import annotations

import os

import pytest

import kg.cache
from kg.build import BuildResult
from kg.incremental import StoreIndex
from kg.schema import load_schema
from kg.store import Store

from .conftest import MINI_ANNOTATION, ScratchWorkspace

BOMBINGS = "inc:2004-07-30-tashkent-bombings"
OTHER_ARTICLE = "---\ntitle: Other\ndate: 2005-03-15\n---\nThe Kyrgyz interior ministry spoke.\n"
OTHER = """\
document: other
entities:
  - id: org:kyrgyz-interior-ministry
    type: Organisation
    kind: government_body
    name: Kyrgyz interior ministry
    aliases: [Interior ministry]
incidents:
  - id: inc:2004-07-30-tashkent-bombings
    date: {date}
    participants:
      - {{entity: org:kyrgyz-interior-ministry, role: investigator}}
    evidence:
      - quote: "The Kyrgyz interior ministry spoke"
"""


def build(scratch: ScratchWorkspace, cached: bool = True) -> BuildResult:
    return scratch.workspace.build(load_schema(scratch.root / "schema"), cached=cached)


def assert_same_as_cold(scratch: ScratchWorkspace) -> BuildResult:
    """A cached build, then the same with nothing changed, both equal to a cold build."""
    warm = build(scratch)
    again = build(scratch)
    cold = build(scratch, cached=False)
    for result in (warm, again):
        assert result.graph == cold.graph
        assert [str(p) for p in result.problems] == [str(p) for p in cold.problems]
        assert result.rejected == cold.rejected and result.summary == cold.summary
    return warm


def other(scratch: ScratchWorkspace, date: str = "2004-07-30") -> None:
    scratch.write("seeds/articles/other.md", OTHER_ARTICLE)
    scratch.annotate(OTHER.format(date=date), name="other")


def test_a_file_added_then_removed(scratch: ScratchWorkspace) -> None:
    scratch.annotate(MINI_ANNOTATION)
    assert_same_as_cold(scratch)
    other(scratch)
    added = assert_same_as_cold(scratch)
    assert "doc:other" in added.graph.documents
    (scratch.root / "seeds" / "annotations" / "other.yaml").unlink()
    removed = assert_same_as_cold(scratch)
    assert "doc:other" in removed.graph.documents  # the article stays, unannotated
    ministry = removed.graph.entities["org:kyrgyz-interior-ministry"]
    assert "Interior ministry" not in ministry.aliases
    (scratch.root / "seeds" / "articles" / "other.md").unlink()
    assert "doc:other" not in assert_same_as_cold(scratch).graph.documents


def test_a_record_moved_to_another_file(scratch: ScratchWorkspace) -> None:
    scratch.annotate(MINI_ANNOTATION)
    other(scratch)
    assert_same_as_cold(scratch)
    declared = "  - id: org:kyrgyz-interior-ministry\n    type: Organisation\n"
    moved = MINI_ANNOTATION.replace(
        declared + "    kind: government_body\n    name: Kyrgyz interior ministry\n", ""
    )
    assert moved != MINI_ANNOTATION
    scratch.annotate(moved)
    result = assert_same_as_cold(scratch)
    assert result.ok, [str(p) for p in result.problems]
    # and back again, now with the other file gone: the reference is unknown
    (scratch.root / "seeds" / "annotations" / "other.yaml").unlink()
    result = assert_same_as_cold(scratch)
    assert any(r.endswith("mini.yaml") for r in result.rejected)
    scratch.annotate(MINI_ANNOTATION)
    assert assert_same_as_cold(scratch).ok


def test_a_disagreement_appears_and_disappears(scratch: ScratchWorkspace) -> None:
    other(scratch)
    assert not [p for p in assert_same_as_cold(scratch).warnings if p.code == "disagreement"]
    other(scratch, date="2004-07-31")
    result = assert_same_as_cold(scratch)
    assert [p.code for p in result.warnings].count("disagreement") == 1
    assert (BOMBINGS, "date") in result.graph.disputed()
    other(scratch)
    result = assert_same_as_cold(scratch)
    assert not [p for p in result.warnings if p.code == "disagreement"]
    assert not result.graph.disputed()


def test_a_conflict_rejects_a_file_and_its_fix_accepts_it_again(scratch: ScratchWorkspace) -> None:
    other(scratch)
    assert_same_as_cold(scratch)
    text = (scratch.root / "seeds" / "annotations" / "other.yaml").read_text("utf-8")
    scratch.annotate(text.replace("type: Organisation", "type: Person"), name="other")
    assert any(r.endswith("other.yaml") for r in assert_same_as_cold(scratch).rejected)
    other(scratch)
    assert assert_same_as_cold(scratch).rejected == []


def test_an_edit_that_keeps_size_and_modification_time_is_seen(
    scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The change time (which no tool can set back) gives the edit away."""
    monkeypatch.setattr(kg.cache, "_RACY_NS", 0)  # trust file times at once
    scratch.annotate(MINI_ANNOTATION)
    path = scratch.root / "seeds" / "annotations" / "mini.yaml"
    assert_same_as_cold(scratch)
    calls: list[str] = []
    real = kg.cache.file_digest
    monkeypatch.setattr(kg.cache, "file_digest", lambda p: calls.append(p.name) or real(p))
    build(scratch)
    assert calls == []  # nothing changed: nothing read to be hashed
    before = path.stat()
    path.write_text(MINI_ANNOTATION.replace("Attack on", "Raid on a"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    result = assert_same_as_cold(scratch)
    assert calls[0] == "mini.yaml"
    assert result.graph.incidents["inc:osh-border-post-attack"].title.startswith("Raid")


def test_graph_json_from_kept_texts_is_the_cold_one_byte_for_byte(
    scratch: ScratchWorkspace,
) -> None:
    from click.testing import CliRunner

    from kg.cli import main
    from kg.graphjson import write_graph_json

    scratch.annotate(MINI_ANNOTATION)
    other(scratch)
    target = scratch.root / "exports" / "graph.json"
    schema = load_schema(scratch.root / "schema")
    for date in ("2004-07-30", "2004-07-31", "2004-07-30"):
        other(scratch, date=date)
        done = CliRunner().invoke(main, ["--workspace", str(scratch.root), "build"])
        assert done.exit_code == 0, done.output
        write_graph_json(build(scratch, cached=False).graph, schema, scratch.root / "cold.json")
        assert target.read_bytes() == (scratch.root / "cold.json").read_bytes()


def test_what_refers_to_a_record_of_a_rejected_file_is_left_out_then_back(
    scratch: ScratchWorkspace,
) -> None:
    """Only other.yaml declares the ministry: while it is rejected, mini.yaml's claim (its
    speaker) and the incident's participant are left out, and come back with its fix."""
    declared = "  - id: org:kyrgyz-interior-ministry\n    type: Organisation\n"
    scratch.annotate(
        MINI_ANNOTATION.replace(
            declared + "    kind: government_body\n    name: Kyrgyz interior ministry\n", ""
        )
    )
    other(scratch)
    ministry = "org:kyrgyz-interior-ministry"

    def spoken(result: BuildResult) -> bool:
        return any(c.speaker == ministry for c in result.graph.claims.values())

    assert spoken(assert_same_as_cold(scratch))
    text = (scratch.root / "seeds" / "annotations" / "other.yaml").read_text("utf-8")
    scratch.annotate(text.replace("interior ministry spoke", "interior ministry sang"), "other")
    result = assert_same_as_cold(scratch)
    assert any(r.endswith("other.yaml") for r in result.rejected)
    assert not any(r.endswith("mini.yaml") for r in result.rejected)
    assert not spoken(result) and "left-out" in {p.code for p in result.warnings}
    other(scratch)
    result = assert_same_as_cold(scratch)
    assert result.ok and spoken(result)
    assert "left-out" not in {p.code for p in result.warnings}


def test_an_alias_clash_appears_and_disappears(scratch: ScratchWorkspace) -> None:
    scratch.annotate(MINI_ANNOTATION)
    other(scratch)
    assert "alias-clash" not in {p.code for p in assert_same_as_cold(scratch).warnings}
    text = (scratch.root / "seeds" / "annotations" / "other.yaml").read_text("utf-8")
    scratch.annotate(text.replace("aliases: [Interior ministry]", "aliases: [OSH]"), "other")
    clashes = [p for p in assert_same_as_cold(scratch).warnings if p.code == "alias-clash"]
    assert len(clashes) == 1 and "plc:osh" in clashes[0].message
    other(scratch)
    assert "alias-clash" not in {p.code for p in assert_same_as_cold(scratch).warnings}


def test_an_edit_of_every_file_drops_what_no_file_describes_any_more(
    scratch: ScratchWorkspace,
) -> None:
    extra = "  - id: plc:jalal-abad\n    type: Place\n    kind: city\n    name: Jalal-Abad\n"
    scratch.annotate(MINI_ANNOTATION.replace("entities:\n", "entities:\n" + extra, 1))
    assert "plc:jalal-abad" in assert_same_as_cold(scratch).graph.entities
    # Every file's descriptions change (each line moves down): every record is merged again.
    for path in (scratch.root / "seeds" / "annotations").glob("*.yaml"):
        path.write_text("# edited\n" + path.read_text("utf-8"), "utf-8")
    scratch.annotate("# edited\n" + MINI_ANNOTATION)
    assert "plc:jalal-abad" not in assert_same_as_cold(scratch).graph.entities


def test_an_id_declared_with_two_types_resolves_to_its_first_declarations_type() -> None:
    # Files valid on their own first, then by name: b's declaration, stored after c's.
    store = Store(None, "")
    store.drop_indexes(["idx"])  # the rows in their table's order (as in a first build)
    for shown, ok in (("c.yaml", 1), ("a.yaml", 0), ("b.yaml", 1)):
        store.db.execute("INSERT INTO files (shown, ok) VALUES (?, ?)", (shown, ok))
    store.db.executemany(
        "INSERT INTO idx VALUES (?, ?, ?, ?, ?)",
        [
            ("c.yaml", "i:x", "x", "Organisation", 0),
            ("a.yaml", "i:x", "x", "Person", 0),
            ("b.yaml", "i:y", "y", "Organisation", 0),
            ("b.yaml", "i:x", "x", "Place", 1),
            ("b.yaml", "n:ex", "x", "Place", 1),
        ],
    )
    for indexed, everything in ((False, True), (True, True), (True, False)):
        if indexed:
            store.create_indexes(["idx"])  # rows read in the index's order
        index = StoreIndex(store, everything)
        assert index.resolve("x") == ("x", "Place")
        assert index.resolve("EX") == ("x", "Place")
        assert index.resolve("y") == ("y", "Organisation")

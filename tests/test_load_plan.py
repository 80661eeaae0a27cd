"""The load plan (kg.neo4j.plan): each fact written once, only what differs, stale facts found."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kg.errors import SchemaError
from kg.model import Graph, Relation
from kg.neo4j import plan as plan_module
from kg.neo4j.plan import Plan, Reading, Stored, batches, changed_buckets, plan, split
from kg.neo4j.rows import BUCKETS, Batch, bucket
from kg.schema import Schema
from kg.synth import synth_workspace
from kg.workspace import Workspace


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Schema]:
    root = tmp_path_factory.mktemp("synth") / "ws"
    synth_workspace(root, 40)
    ws = Workspace(root)
    schema = ws.load_schema()
    result = ws.build(schema, cached=False)
    assert result.ok
    return result.graph, schema


def written(all_batches: list[Batch]) -> tuple[Counter[str], Counter[tuple[str, str, str]]]:
    """How often each record id and each (record, document, quote) evidence row is written."""
    records: Counter[str] = Counter()
    evidence: Counter[tuple[str, str, str]] = Counter()
    for batch in all_batches:
        records.update(row["id"] for rows in batch.nodes.values() for row in rows)
        records.update(row["id"] for rows in batch.relations.values() for row in rows)
        for rows in batch.evidence.values():
            evidence.update((r["record"], r["document"], r["props"]["quote"]) for r in rows)
    return records, evidence


def stored_after(all_batches: list[Batch]) -> Stored:
    """What the database holds once these batches are written."""
    nodes, relations = {}, {}
    for batch in all_batches:
        for label, rows in batch.nodes.items():
            for row in rows:
                props = row["props"]
                nodes[row["id"]] = (label, props["kg_hash"], tuple(props.get("kg_keys") or ()))
        for (rel_type, _, _), rows in batch.relations.items():
            for row in rows:
                relations[row["id"]] = (rel_type, row["props"]["kg_hash"])
    return Stored(nodes, relations)


@pytest.mark.parametrize("batch_size", [50, 1000, 1 << 30])
def test_each_record_and_evidence_item_is_written_once(
    corpus: tuple[Graph, Schema], batch_size: int
) -> None:
    graph, schema = corpus
    entity_batches, document_batches = batches(graph, schema, batch_size)
    records, evidence = written([*entity_batches, *document_batches])
    shared = [r for t in (graph.incidents, graph.claims, graph.relations) for r in t.values()
              if len({e.document for e in r.evidence}) > 1]  # fmt: skip
    assert shared, "the corpus must have facts that several documents support"
    everything = [*graph.documents, *graph.entities, *graph.incidents, *graph.claims,
                  *graph.relations]  # fmt: skip
    assert records == Counter(everything)
    unique = Counter(
        (r.id, e.document, e.quote)
        for t in (graph.entities, graph.incidents, graph.claims)
        for r in t.values()
        for e in set(r.evidence)
    )
    assert evidence == unique
    if batch_size == 50:
        assert len(document_batches) > 3


def test_nothing_to_write_when_the_database_holds_the_graph(corpus: tuple[Graph, Schema]) -> None:
    graph, schema = corpus
    stored = stored_after([b for part in batches(graph, schema, 1000) for b in part])
    again = plan(graph, schema, stored)
    assert not again.changed and not again.stale
    assert list(again.entity_batches(1000)) == [] and list(again.document_batches(1000)) == []
    assert again.count("unchanged") == len(graph.documents)


def test_the_database_can_be_read_while_the_graph_is_hashed(corpus: tuple[Graph, Schema]) -> None:
    """``stored`` as a function (a pending read): called once, the same plan as given it."""
    graph, schema = corpus
    stored = stored_after([b for part in batches(graph, schema, 1000) for b in part])
    calls: list[int] = []

    def reading(digests: Mapping[str, str]) -> Stored:
        assert digests.keys() == graph.documents.keys()
        calls.append(1)
        return stored

    later, now = plan(graph, schema, reading), plan(graph, schema, stored)
    assert calls == [1]
    assert (later.changed, later.documents, later.stale) == (now.changed, now.documents, now.stale)
    assert later.count("unchanged") == len(graph.documents)


def test_into_an_empty_database_the_entities_are_planned_before_the_rest(
    corpus: tuple[Graph, Schema], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first load: the plan returns once the entities (written first) are compared; the
    other records, the documents and their digests are made when first asked for, and the
    plan is the one made all at once (as into a database holding something else)."""
    graph, schema = corpus
    made: list[str] = []
    digest = plan_module.document_digest

    def counted(salt: str, document: object, parts: list[str], given: str | None = None) -> str:
        made.append(salt)
        return digest(salt, document, parts, given)

    monkeypatch.setattr(plan_module, "document_digest", counted)
    todo = plan(graph, schema)
    sending = todo.entity_batches(1000)
    first = next(sending)  # the server writes it: the rest is made meanwhile
    assert made == []
    entities = [first, *sending]
    documents = list(todo.document_batches(1000))
    assert len(made) == len(graph.documents) + BUCKETS
    other = ("Person", "h", ())  # a node of no graph: the plan is made all at once
    whole = plan(graph, schema, Stored({"elsewhere": other}))
    assert whole.stale == {"Person": ["elsewhere"]} and not todo.stale
    assert (todo.changed, todo.documents, todo.digests, todo.unstamp) == (
        whole.changed, whole.documents, whole.digests, whole.unstamp,
    )  # fmt: skip
    assert (entities, documents) == (
        list(whole.entity_batches(1000)), list(whole.document_batches(1000)),
    )  # fmt: skip


def test_every_record_is_checked_before_the_entities_are_written(
    corpus: tuple[Graph, Schema],
) -> None:
    """Into an empty database too, a record the schema does not allow stops the load before
    anything is written (the plan raises before it returns)."""
    graph, schema = corpus
    relation = next(iter(graph.relations.values()))
    unknown = replace(graph, relations={**graph.relations,
                                        relation.id: replace(relation, type="unheard_of")})  # fmt: skip
    with pytest.raises(SchemaError):
        plan(unknown, schema)


def test_a_database_read_that_needs_no_digest_is_taken_as_soon_as_it_is_there(
    corpus: tuple[Graph, Schema],
) -> None:
    """``early`` is asked while the graph is fingerprinted; once it gives the database,
    ``stored`` (a function of the digests) is never called, and the plan is the same."""
    graph, schema = corpus
    asked: list[int] = []

    def early() -> Stored | None:
        asked.append(1)
        return Stored() if len(asked) > 1 else None

    def reading(digests: Mapping[str, str]) -> Stored:
        raise AssertionError("the database was given early")

    todo, whole = plan(graph, schema, reading, early=early), plan(graph, schema)
    assert len(asked) == 2
    assert (todo.changed, todo.documents, todo.digests, todo.stale) == (
        whole.changed, whole.documents, whole.digests, whole.stale,
    )  # fmt: skip
    # Asked no more once every record is fingerprinted: then ``stored`` is called.
    again: list[Mapping[str, str]] = []
    plan(graph, schema, lambda d: again.append(d) or Stored(), early=lambda: None)
    assert len(again) == 1 and again[0] == whole.digests


def _edited(graph: Graph, claim_id: str, relation_id: str) -> Graph:
    """``graph`` with the claim's content changed and the relation dropped."""
    claim = graph.claims[claim_id]
    return Graph(
        graph.documents,
        graph.entities,
        graph.incidents,
        {**graph.claims, claim_id: type(claim)(**{**claim.__dict__, "content": "changed"})},
        {k: v for k, v in graph.relations.items() if k != relation_id},
        graph.statements,
    )


def test_a_changed_fact_replaces_its_documents_and_a_dropped_one_is_stale(
    corpus: tuple[Graph, Schema],
) -> None:
    graph, schema = corpus
    stored = stored_after([b for part in batches(graph, schema, 1000) for b in part])
    relation = next(iter(graph.relations.values()))
    claim = next(c for c in graph.claims.values() if len({e.document for e in c.evidence}) == 1)
    changed = _edited(graph, claim.id, relation.id)
    todo = plan(changed, schema, stored)
    assert todo.changed == {claim.id}
    assert todo.stale == {relation.type.upper(): [relation.id]}
    # A fact of one document is part of that document: changing it replaces the document.
    replaced = {d for d, s in todo.documents.items() if s == "replaced"}
    assert replaced == {e.document for e in claim.evidence} | {
        e.document for e in relation.evidence
    }
    records, _ = written([*todo.entity_batches(1000), *todo.document_batches(1000)])
    assert records == Counter([claim.id, *replaced])
    # Only what the database already holds has its property keys read back (unless they
    # were read with the hashes) and its links cleared first; a first load clears nothing.
    assert todo.rewritten() == {}
    unread = Stored({i: (v[0], v[1], None) for i, v in stored.nodes.items()}, stored.relations)
    again = plan(changed, schema, unread)
    assert again.rewritten() == {"Claim": [claim.id], "Document": sorted(replaced)}
    rewritten = [*todo.entity_batches(1000), *todo.document_batches(1000)]
    cleared = [r["id"] for b in rewritten for rows in b.nodes.values() for r in rows
               if r["keep"] is not None]  # fmt: skip
    assert cleared == [claim.id]
    first = [b for part in batches(graph, schema, 1000) for b in part]
    assert all(r["keep"] is None for b in first for rows in b.nodes.values() for r in rows)


def test_one_more_document_writes_its_facts_not_every_document_of_its_entities(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    synth_workspace(root, 30)
    ws = Workspace(root)
    schema = ws.load_schema()
    full = ws.build(schema, cached=False).graph
    last = sorted((root / "seeds" / "articles").glob("*.md"))[-1].stem
    aside = tmp_path / "aside"
    aside.mkdir()
    moved = [root / "seeds" / "articles" / f"{last}.md",
             root / "seeds" / "annotations" / f"{last}.yaml"]  # fmt: skip
    for path in moved:
        path.rename(aside / path.name)
    less = ws.build(schema, cached=False).graph
    stored = stored_after([b for part in batches(less, schema, 1000) for b in part])
    todo = plan(full, schema, stored)
    assert todo.count("added") == 1
    written_now = {d for d, s in todo.documents.items() if s != "unchanged"}
    shared = [e for e in full.entities.values() if e.id in todo.changed
              and {ev.document for ev in e.evidence} - written_now]  # fmt: skip
    assert shared, "the new document must quote entities that other documents quote too"
    rows = [*todo.entity_batches(1000), *todo.document_batches(1000)]
    sent = [r for b in rows for found in b.evidence.values() for r in found]
    assert sent and all(r["document"] in written_now for r in sent)
    # ... yet every stored evidence link of those entities is kept, not cleared.
    for entity in shared:
        keep = next(r["keep"] for b in rows for found in b.nodes.values() for r in found
                    if r["id"] == entity.id)  # fmt: skip
        assert len(keep) >= len(set(entity.evidence))


def test_fingerprints_given_beforehand_stand_for_the_records_they_name(
    corpus: tuple[Graph, Schema], monkeypatch: pytest.MonkeyPatch
) -> None:
    graph, schema = corpus
    tables = (graph.entities, graph.incidents, graph.claims, graph.relations)
    given = {r.id: f"v1-{r.id}" for t in tables for r in t.values()}
    some = next(iter(graph.incidents))
    del given[some]  # a record the mapping lacks is hashed as before

    def load(mapping: dict[str, str]) -> Stored:
        todo = plan(graph, schema, fingerprints=mapping)
        return stored_after([*todo.entity_batches(1000), *todo.document_batches(1000)])

    stored = load(given)
    assert stored.hash(some) == plan(graph, schema).writer.fingerprint(graph.incidents[some])
    assert not plan(graph, schema, stored, fingerprints=given).changed
    # The given digest is what counts: a new one rewrites that record (and its documents when
    # it is theirs alone), though the record itself is the same.
    claim = next(c for c in graph.claims.values() if len({e.document for e in c.evidence}) == 1)
    todo = plan(graph, schema, stored, fingerprints={**given, claim.id: "v2"})
    assert todo.changed == {claim.id}
    assert {d for d, s in todo.documents.items() if s != "unchanged"} == {
        e.document for e in claim.evidence
    }
    # A change of the rows' shape still changes every fingerprint.
    monkeypatch.setattr("kg.neo4j.rows.ROWS_VERSION", "kg-rows-test")
    again = plan(graph, schema, stored, fingerprints=given)
    assert again.changed == {r.id for t in tables for r in t.values()}


def test_a_document_digest_given_beforehand_stands_for_the_document(
    corpus: tuple[Graph, Schema],
) -> None:
    graph, schema = corpus
    given = {d: f"v1-{d}" for d in graph.documents}
    first = plan(graph, schema, fingerprints=given)
    assert first.digests != plan(graph, schema).digests  # what is given is what counts
    assert plan(graph, schema, fingerprints=given).digests == first.digests
    some = min(graph.documents)
    again = plan(graph, schema, fingerprints={**given, some: "v2"})
    assert {d for d, v in again.digests.items() if first.digests[d] != v} == {some}


def test_only_the_documents_whose_digest_differs_are_compared(
    corpus: tuple[Graph, Schema],
) -> None:
    """A re-load reads the records of the documents whose digest differs (and those of no
    document; relations by their first document): the plan from them is the plan from every
    record."""
    graph, schema = corpus
    first = plan(graph, schema)
    held = stored_after([*first.entity_batches(1000), *first.document_batches(1000)])
    assert first.digests.keys() == graph.documents.keys()
    stored = Stored(held.nodes, held.relations, digests=first.digests)
    opening = min(graph.documents)  # its digest covers the records of no document
    relation = next(
        r
        for r in graph.relations.values()
        if r.evidence and opening not in {e.document for e in r.evidence}
    )
    claim = next(
        c
        for c in graph.claims.values()
        if {e.document for e in c.evidence} - {opening} and len(c.evidence) == 1
    )
    changed = _edited(graph, claim.id, relation.id)
    scopes: list[frozenset[str]] = []

    def reading(digests: Mapping[str, str], orphans: frozenset[str] | None = None) -> Stored:
        """What the loader reads: the documents whose digest differs, the records (of the
        graph loaded before) citing one of them, and those citing none of the buckets
        ``orphans`` (None: all)."""
        read = _read_as_the_loader(first, held, orphans)(digests)
        assert read.scope is not None
        scopes.append(read.scope)
        return read

    everything, some = plan(changed, schema, stored), plan(changed, schema, reading)
    # The first document's digest, which covers the records of no document, is the same:
    # those need not be read, and the plan is the same without them.
    assert opening not in scopes[0]
    assert any(not r.evidence for r in graph.entities.values())
    fewer = plan(changed, schema, lambda digests: reading(digests, orphans=frozenset()))
    assert (fewer.changed, fewer.documents, fewer.stale, fewer.digests) == (
        some.changed, some.documents, some.stale, some.digests,
    )  # fmt: skip
    assert scopes and 0 < len(scopes[0]) < len(graph.documents) // 4
    assert scopes[0] >= {e.document for e in [*claim.evidence, *relation.evidence]}
    assert (some.changed, some.documents, some.stale) == (
        everything.changed, everything.documents, everything.stale,
    )  # fmt: skip
    assert some.changed == {claim.id} and some.stale == {relation.type.upper(): [relation.id]}
    assert some.digests == everything.digests and set(some.digests) == scopes[0]
    assert some.unstamp == sorted(scopes[0])
    assert not plan(graph, schema, Stored(held.nodes, held.relations, digests=first.digests,
                                          scope=frozenset())).changed  # fmt: skip


def test_a_record_of_no_document_is_compared_through_a_digest_of_its_own(
    corpus: tuple[Graph, Schema],
) -> None:
    """No digest differs: nothing but the digests is read. An entity that no document cites
    (from the gazetteer) changes the digest of the records of no document, carried by the
    first document's after its own: a re-load reads those records, no document's."""
    graph, schema = corpus
    first = plan(graph, schema)
    held = stored_after([*first.entity_batches(1000), *first.document_batches(1000)])
    orphan = next(e for e in graph.entities.values() if not e.evidence)
    renamed = type(orphan)(**{**orphan.__dict__, "name": "Renamed"})
    changed = Graph(graph.documents, {**graph.entities, orphan.id: renamed}, graph.incidents,
                    graph.claims, graph.relations, graph.statements)  # fmt: skip
    digests = plan(changed, schema).digests
    assert {d for d, v in digests.items() if first.digests[d] != v} == {min(graph.documents)}
    (own_before, lone_before), (own, lone) = split(first.digests), split(digests)
    assert own == own_before and changed_buckets(lone_before, lone) == {bucket(orphan.id)}
    read = Stored(held.nodes, held.relations, digests=first.digests, scope=frozenset())
    todo = plan(changed, schema, read)
    assert todo.changed == {orphan.id} and todo.count("unchanged") == len(graph.documents)
    assert todo.digests == {min(graph.documents): digests[min(graph.documents)]}
    # Nothing read: the graph's digests are the database's, and so is everything else.
    unread = Stored(digests=first.digests, scope=frozenset(), orphans=frozenset())
    todo = plan(graph, schema, unread)
    assert not todo.changed and not todo.stale and not todo.digests
    assert todo.count("unchanged") == len(graph.documents)


def _relation_edits(graph: Graph) -> dict[str, Graph]:
    """Graphs where relations move between documents: each edit changes which document is
    first of a relation's evidence (its ``kg_doc``), or takes away that document."""
    docs = sorted(graph.documents)
    lone = next(r for r in graph.relations.values() if len({e.document for e in r.evidence}) == 1)
    many = next(r for r in graph.relations.values() if len({e.document for e in r.evidence}) > 1)
    first, other = min(e.document for e in many.evidence), lone.evidence[0].document
    later = next(d for d in docs if d > other)

    def relations(*changed: Relation) -> dict[str, Relation]:
        return {**graph.relations, **{r.id: r for r in changed}}

    def with_relations(*changed: Relation) -> Graph:
        return replace(graph, relations=relations(*changed))

    def moved(r: Relation, doc: str) -> Relation:
        return replace(r, evidence=tuple(replace(e, document=doc) for e in r.evidence))

    earlier = replace(many.evidence[0], document=docs[0] if docs[0] < first else docs[1])
    without = {d: v for d, v in graph.documents.items() if d != first}

    def strip(table: Mapping[str, Any]) -> dict[str, Any]:
        kept = {}
        for key, record in table.items():
            evidence = tuple(e for e in record.evidence if e.document != first)
            if evidence or not record.evidence:
                kept[key] = replace(record, evidence=evidence)
        return kept

    return {
        "moves to a later document": with_relations(moved(lone, later)),
        "moves to an earlier document": with_relations(moved(lone, docs[0])),
        "its first document no longer cites it": with_relations(
            replace(many, evidence=tuple(e for e in many.evidence if e.document != first))
        ),
        "a document becomes its first": with_relations(
            replace(many, evidence=(earlier, *many.evidence))
        ),
        "it loses every document": with_relations(replace(lone, evidence=())),
        "its first document is removed, the evidence kept": replace(graph, documents=without),
        "its first document is removed": Graph(
            without,
            strip(graph.entities),
            strip(graph.incidents),
            strip(graph.claims),
            strip(graph.relations),
            graph.statements,
        ),
    }


def _orphan_edits(graph: Graph) -> dict[str, Graph]:
    """Graphs where a record of no document (an entity without evidence, read by its
    bucket) is added, changed, gains evidence, or where an entity loses its evidence."""
    orphan = next(e for e in graph.entities.values() if not e.evidence)
    quoted = next(e for e in graph.entities.values() if len(e.evidence) == 1)

    def with_entities(*changed: Any) -> Graph:
        return replace(graph, entities={**graph.entities, **{e.id: e for e in changed}})

    return {
        "an entity of no document is added": with_entities(
            replace(orphan, id=orphan.id + "-new", name="Added")
        ),
        "an entity of no document changes": with_entities(replace(orphan, name="Renamed")),
        "an entity of no document gains evidence": with_entities(
            replace(orphan, evidence=quoted.evidence)
        ),
        "an entity loses its evidence": with_entities(replace(quoted, evidence=())),
    }


_CHANGED = frozenset({"changed"})


def _read_as_the_loader(
    before: Plan, held: Stored, orphans: frozenset[str] | None = _CHANGED
) -> Callable[[Mapping[str, str]], Stored]:
    """What the loader reads after ``before`` was loaded (``held``): the documents whose digest
    differs or that are gone, the records citing one, and the records of no document of the
    buckets ``orphans`` (by default those whose digest differs; None: all): the entities and
    relations whose ``kg_doc`` is one of them."""

    def reading(digests: Mapping[str, str]) -> Stored:
        (was, lone_was), (own, lone) = split(before.digests), split(digests)
        scope = {d for d, v in own.items() if was.get(d) != v}
        scope |= {d for d in before.digests if d not in digests}
        buckets = changed_buckets(lone_was, lone) if orphans is _CHANGED else orphans
        keys = {f" {n}" for n in range(BUCKETS)} if buckets is None else buckets
        graph, first = before.graph, before.writer.first_document
        tables = (graph.incidents, graph.claims)
        wanted = {r.id for r in graph.entities.values() if first(r) in keys}
        wanted |= {r.id for t in (graph.entities, *tables) for r in t.values()
                   if {e.document for e in r.evidence} & scope}  # fmt: skip
        return Stored(
            {i: v for i, v in held.nodes.items() if i in wanted or i in scope},
            {i: v for i, v in held.relations.items() if first(graph.relations[i]) in scope | keys},
            digests=before.digests,
            scope=frozenset(scope),
            orphans=buckets,
        )

    return reading


def _kg_docs(all_batches: list[Batch]) -> dict[str, str | None]:
    """``kg_doc`` of each relation and node written (None: a node without it)."""
    found: dict[str, str | None] = {}
    for b in all_batches:
        for rows in [*b.relations.values(), *b.nodes.values()]:
            found.update((row["id"], row["props"].get("kg_doc")) for row in rows)
    return found


def _after(
    held: Stored, kg_docs: dict[str, str], todo: Plan
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """The hashes (and relations' ``kg_doc``) the database holds once ``todo`` is applied to
    ``held``."""
    written = [*todo.entity_batches(1000), *todo.document_batches(1000)]
    now = stored_after(written)
    nodes = {i: v[:2] for i, v in {**held.nodes, **now.nodes}.items()}
    relations = {**held.relations, **now.relations}
    docs = {**kg_docs, **_kg_docs(written)}
    for ids in todo.stale.values():
        for record_id in ids:
            nodes.pop(record_id, None)
            relations.pop(record_id, None)
            docs.pop(record_id, None)
    return nodes, relations, docs


def test_relations_are_read_by_their_first_document_wherever_they_move(
    corpus: tuple[Graph, Schema],
) -> None:
    """A re-load reads only the relations whose first document (``kg_doc``) is in scope, and
    the records of no document of the buckets whose digest differs: when a relation moves to
    another document, loses its first one or gains an earlier one, or a record of no document
    is added, changes, gains evidence or loses it, the plan from that read makes the
    database equal to a fresh load, ``kg_doc`` included."""
    graph, schema = corpus
    before = plan(graph, schema)
    held = stored_after([*before.entity_batches(1000), *before.document_batches(1000)])
    kg_docs = _kg_docs([*before.entity_batches(1000), *before.document_batches(1000)])
    first = before.writer.first_document
    assert {i: kg_docs[i] for i in graph.relations} == {
        i: first(r) for i, r in graph.relations.items()
    }
    assert {i for i, v in kg_docs.items() if v and v.startswith(" ")} == {
        r.id for t in (graph.entities, graph.incidents, graph.claims, graph.relations)
        for r in t.values() if not r.evidence
    }  # fmt: skip
    orphan_edits = _orphan_edits(graph)
    for name, changed in {**_relation_edits(graph), **orphan_edits}.items():
        some = plan(changed, schema, _read_as_the_loader(before, held))
        assert len(some.stored.relations) < len(held.relations) // 2, name
        if name in orphan_edits:  # one or two buckets read, not every record of no document
            assert some.stored.orphans is not None and 0 < len(some.stored.orphans) <= 2, name
        # The same writes as comparing every record: none taken for new for not being read.
        everything = plan(changed, schema, Stored(held.nodes, held.relations))
        assert (some.changed, some.documents, some.stale) == (
            everything.changed, everything.documents, everything.stale,
        ), name  # fmt: skip
        fresh = plan(changed, schema)
        nodes, relations, docs = _after(held, kg_docs, some)
        loaded = [*fresh.entity_batches(1000), *fresh.document_batches(1000)]
        expected = stored_after(loaded)
        assert nodes == {i: v[:2] for i, v in expected.nodes.items()}, name
        assert relations == expected.relations, name
        assert {i: v for i, v in docs.items() if v} == {
            i: v for i, v in _kg_docs(loaded).items() if v
        }, name
        digests = {d: v for d, v in {**before.digests, **some.digests}.items()
                   if d in changed.documents}  # fmt: skip
        assert digests == fresh.digests, name


def test_records_new_to_the_database_have_their_links_created(
    corpus: tuple[Graph, Schema],
) -> None:
    """Into an empty database every record that draws links is new (its links are created,
    not merged); on a re-load, only the records the database does not hold."""
    graph, schema = corpus
    first = [*plan(graph, schema).entity_batches(1000), *plan(graph, schema).document_batches(1000)]
    drawn = {r["record"] for b in first for rows in [*b.links.values(), *b.evidence.values()]
             for r in rows}  # fmt: skip
    assert drawn and drawn <= set().union(*(b.new for b in first))
    held = stored_after(first)
    entity = next(iter(graph.entities))
    less = dict(held.nodes)
    del less[entity]
    todo = plan(graph, schema, Stored(less, held.relations))
    again = [*todo.entity_batches(1000), *todo.document_batches(1000)]
    assert set().union(*(b.new for b in again)) == {entity}


def test_a_plan_prepares_its_side_while_the_database_is_read(
    corpus: tuple[Graph, Schema],
) -> None:
    """Given a Reading (the database being read, for a scope known beforehand), the plan
    waits for it once, after preparing the graph's side, and is the plan made from what it
    read; a Reading of everything that finds an empty database gives the first load's plan."""
    graph, schema = corpus
    first = plan(graph, schema)
    held = stored_after([*first.entity_batches(1000), *first.document_batches(1000)])
    claim = next(c for c in graph.claims.values() if len(c.evidence) == 1)
    relation = next(r for r in graph.relations.values() if r.evidence)
    changed = _edited(graph, claim.id, relation.id)
    read = _read_as_the_loader(first, held)
    waited: list[Stored] = []

    def reading(digests: Mapping[str, str]) -> Reading:
        found = read(digests)

        def result() -> Stored:
            waited.append(found)
            return found

        return Reading(found.scope, found.orphans, result)

    direct, prepared = plan(changed, schema, read), plan(changed, schema, reading)
    assert len(waited) == 1 and waited[0].scope
    assert (prepared.changed, prepared.documents, prepared.stale, prepared.digests) == (
        direct.changed, direct.documents, direct.stale, direct.digests,
    )  # fmt: skip
    assert prepared.changed == {claim.id} and prepared.unstamp == direct.unstamp
    empty = plan(graph, schema, lambda digests: Reading(None, None, Stored))
    assert (empty.changed, empty.documents, empty.digests) == (
        first.changed, first.documents, first.digests,
    )  # fmt: skip
    wrong = lambda digests: Reading(frozenset(), None, lambda: read(digests))  # noqa: E731
    with pytest.raises(ValueError, match="another scope"):
        plan(changed, schema, wrong)

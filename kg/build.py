"""Build the validated Graph from a workspace's articles and annotation files."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from kg.annotations import FileRecords, declared_records, parse_annotation_file
from kg.dates import DateOrder
from kg.documents import ARTICLE_SUFFIXES, date_warning, document_id, read_article
from kg.errors import KgError, Location
from kg.model import Claim, Document, Entity, Graph, Incident, Relation
from kg.problems import Problem
from kg.schema import Schema
from kg.yamlio import LineDict, display_path, load_yaml

__all__ = ["BuildResult", "build_graph", "find_inputs"]

T = TypeVar("T", Incident, Claim, Relation)


@dataclass
class BuildResult:
    """The graph of every accepted document, and every problem found on the way."""

    graph: Graph
    problems: list[Problem] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    """Annotation files left out because they have errors (nothing from them is in ``graph``)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def find_inputs(seeds: Path) -> tuple[list[Path], list[Path]]:
    """Article files under ``seeds/articles`` and annotation files under ``seeds/annotations``."""
    articles = sorted(
        p for p in (seeds / "articles").glob("*") if p.suffix.lower() in ARTICLE_SUFFIXES
    )
    annotations = sorted(
        p for p in (seeds / "annotations").glob("*") if p.suffix in (".yaml", ".yml")
    )
    return articles, annotations


class _Index:
    """Ids, names and aliases of all declared records, for resolving references.

    With a ``parent``, the records of both count (the parent's first), without copying it.
    """

    def __init__(
        self, declared: Iterable[tuple[str, str, list[str]]], parent: _Index | None = None
    ) -> None:
        self.parent = parent
        self.types: dict[str, str] = {}
        self.names: dict[str, set[str]] = defaultdict(set)
        for record_id, type_name, names in declared:
            self.types.setdefault(record_id, type_name)
            for name in names:
                self.names[name.casefold()].add(record_id)

    def type_of(self, ref: str) -> str | None:
        found = self.parent.type_of(ref) if self.parent is not None else None
        return found if found is not None else self.types.get(ref)

    def named(self, key: str) -> set[str]:
        found = self.parent.named(key) if self.parent is not None else set()
        return found | self.names.get(key, set())

    def resolve(self, ref: str) -> tuple[str, str] | str:
        type_name = self.type_of(ref)
        if type_name is not None:
            return ref, type_name
        matches = sorted(self.named(ref.casefold()))
        if len(matches) == 1:
            return matches[0], self.type_of(matches[0]) or "?"
        if matches:
            return f"{ref!r} is ambiguous: it names {', '.join(matches)}; use an id"
        return f"unknown reference {ref!r} (no record with that id, name or alias)"


def _merge(kind: str, items: Iterable[tuple[T, Location]], problems: list[Problem]) -> dict[str, T]:
    """Records with the same id from several documents become one, with all their evidence.

    Evidence (and an incident's participants) is pooled in sets and sorted once at the end:
    re-sorting the growing tuple at every merge made a record cited by n files cost O(n^2).
    """
    merged: dict[str, T] = {}
    first_seen: dict[str, Location] = {}
    pooled: dict[str, set[Any]] = {}
    extra: dict[str, set[Any]] = {}
    for record, where in items:
        old = merged.get(record.id)
        if old is None:
            merged[record.id], first_seen[record.id] = record, where
            pooled[record.id] = set(record.evidence)
            if isinstance(record, Incident):
                extra[record.id] = set(record.participants)
            continue
        if replace(old, evidence=(), **_extra_reset(old)) != replace(
            record, evidence=(), **_extra_reset(record)
        ):
            problems.append(
                Problem(
                    where,
                    "conflict",
                    f"{kind} {record.id} differs from its declaration at {first_seen[record.id]}",
                )
            )
            continue
        pooled[record.id].update(record.evidence)
        if isinstance(record, Incident):
            extra[record.id].update(record.participants)
    out: dict[str, T] = {}
    for key in sorted(merged):
        changes: dict[str, Any] = {"evidence": tuple(sorted(pooled[key]))}
        if key in extra:
            changes["participants"] = tuple(sorted(extra[key]))
        out[key] = replace(merged[key], **changes)
    return out


def _extra_reset(record: Any) -> dict[str, Any]:
    return {"participants": ()} if isinstance(record, Incident) else {}


def _merge_entities(
    items: Iterable[tuple[Entity, Location]], problems: list[Problem]
) -> dict[str, Entity]:
    merged: dict[str, Entity] = {}
    first_seen: dict[str, Location] = {}
    pooled: dict[str, set[Any]] = {}
    for entity, where in items:
        old = merged.get(entity.id)
        if old is None:
            merged[entity.id], first_seen[entity.id] = entity, where
            pooled[entity.id] = set(entity.evidence)
            continue
        if old.type != entity.type:
            problems.append(
                Problem(
                    where,
                    "conflict",
                    f"{entity.id} is a {entity.type} here but a "
                    f"{old.type} at {first_seen[entity.id]}",
                )
            )
            continue
        pooled[entity.id].update(entity.evidence)
        aliases = tuple(dict.fromkeys(a for a in (*old.aliases, *entity.names) if a != old.name))
        merged[entity.id] = replace(
            old,
            aliases=aliases,
            kind=old.kind or entity.kind,
            description=old.description or entity.description,
            properties={**entity.properties, **old.properties},
        )
    return {k: replace(merged[k], evidence=tuple(sorted(pooled[k]))) for k in sorted(merged)}


def _alias_clashes(entities: Mapping[str, Entity], where: Mapping[str, Location]) -> list[Problem]:
    """A warning for each name or alias shared by two different entities."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in entities.values():
        for name in entity.names:
            owners[name.casefold()].add(entity.id)
    problems = []
    for name, ids in sorted(owners.items()):
        if len(ids) > 1:
            first = sorted(ids)[0]
            problems.append(
                Problem(
                    where[first],
                    "alias-clash",
                    f"name or alias {name!r} is shared by {' and '.join(sorted(ids))}: "
                    "references to it are ambiguous; merge them or drop the alias",
                    "warning",
                )
            )
    return problems


def _read_documents(
    articles: Sequence[Path], problems: list[Problem], date_order: DateOrder | None = None
) -> dict[str, Document]:
    documents: dict[str, Document] = {}
    for path in articles:
        try:
            doc = read_article(path, date_order)
        except KgError as exc:
            problems.append(Problem.from_error(exc, "bad-article", Location(display_path(path))))
            continue
        undated = date_warning(doc)
        if undated:
            where = Location(display_path(path), None, "date")
            problems.append(Problem(where, "undated", undated, "warning"))
        if doc.id in documents:
            problems.append(
                Problem(
                    Location(display_path(path)),
                    "duplicate-id",
                    f"document id {doc.id} is also used by {documents[doc.id].path}",
                )
            )
            continue
        documents[doc.id] = doc
    return documents


def _read_annotations(
    paths: Sequence[Path], documents: Mapping[str, Document], problems: list[Problem]
) -> tuple[dict[str, tuple[LineDict, Document]], dict[str, str]]:
    """Annotation files read as YAML, and those refused before parsing.

    A refused file maps to the id of the document it was meant for: the one its ``document``
    key names or, when that cannot be read, the one its file name names (``<article>.yaml``).
    That document is left out whole rather than loaded without its annotations.
    """
    raws: dict[str, tuple[LineDict, Document]] = {}
    refused: dict[str, str] = {}
    claimed: dict[str, str] = {}
    for path in paths:
        shown = display_path(path)
        refused[shown] = document_id(path.stem)  # until the file is accepted below
        try:
            raw = load_yaml(path)
        except KgError as exc:
            problems.append(Problem.from_error(exc, "bad-yaml", Location(shown)))
            continue
        if not isinstance(raw, LineDict):
            problems.append(
                Problem(Location(shown, 1), "wrong-type", "an annotation file is a mapping")
            )
            continue
        ref = raw.get("document")
        doc = documents.get(document_id(str(ref))) if ref else None
        if ref and doc is None and str(ref) in documents:
            doc = documents[str(ref)]
        if doc is not None:
            refused[shown] = doc.id
        unknown = set(raw) - {"document", "entities", "incidents", "claims", "relations"}
        if unknown:
            key = sorted(unknown)[0]
            problems.append(
                Problem(Location(shown, raw.line_of(key)), "unknown-key", f"unknown key {key!r}")
            )
            continue
        if doc is None:
            problems.append(
                Problem(
                    Location(shown, raw.line_of("document")),
                    "unknown-document",
                    f"'document: {_one_line(str(ref))}' names no article in seeds/articles",
                )
            )
            continue
        if doc.id in claimed:
            problems.append(
                Problem(
                    Location(shown, raw.line_of("document")),
                    "duplicate-id",
                    f"{doc.id} is already annotated by {claimed[doc.id]}",
                )
            )
            continue
        claimed[doc.id] = shown
        raws[shown] = (raw, doc)
        del refused[shown]
    return raws, refused


def _one_line(text: str) -> str:
    """``text`` as written, with line breaks and other control characters escaped.

    >>> _one_line("nowhere"), _one_line("a\\nb")
    ('nowhere', 'a\\\\nb')
    """
    return text if text.isprintable() else repr(text)[1:-1]


def build_graph(
    schema: Schema,
    articles: Sequence[Path],
    annotations: Sequence[Path],
    *,
    date_order: DateOrder | None = None,
) -> BuildResult:
    """Read, resolve and validate everything; a file with an error contributes nothing."""
    problems: list[Problem] = []
    documents = _read_documents(articles, problems, date_order)
    raws, refused = _read_annotations(annotations, documents, problems)
    refused_docs = set(refused.values())
    accepted = {shown for shown, (_, doc) in raws.items() if doc.id not in refused_docs}
    while True:
        index = _Index(
            rec for shown in sorted(accepted) for rec in declared_records(raws[shown][0], schema)
        )
        parsed = {
            shown: parse_annotation_file(
                raws[shown][0], schema, raws[shown][1], shown, index.resolve
            )
            for shown in sorted(accepted)
        }
        failed = {shown for shown, records in parsed.items() if not records.ok}
        failed |= _duplicate_ids(parsed)
        if failed:
            failed = _failing_alone(failed, accepted, raws, schema) or failed
            for shown in failed:
                problems.extend(parsed[shown].problems)
            accepted -= failed
            continue
        graph, merge_problems = _assemble(documents, parsed, raws, refused_docs)
        # A file whose record conflicts with an earlier file's is rejected whole, like any other
        # file with an error, so that nothing of it (its document included) is in the graph.
        conflicts = [p for p in merge_problems if p.severity == "error"]
        conflicting = {p.location.file for p in conflicts} & accepted
        if not conflicting:
            break
        problems.extend(conflicts)
        accepted -= conflicting
    problems.extend(merge_problems)
    rejected = sorted((set(raws) - accepted) | set(refused))
    problems.extend(p for records in parsed.values() for p in records.problems)
    unique = {(p.location, p.code, p.message): p for p in problems}
    return BuildResult(graph, sorted(unique.values(), key=Problem.sort_key), rejected)


def _failing_alone(
    failed: set[str],
    accepted: set[str],
    raws: Mapping[str, tuple[LineDict, Document]],
    schema: Schema,
) -> set[str]:
    """The failed files that also fail when judged with only the files that passed.

    A reference may fail only because of another failing file (an alias it made ambiguous,
    an id it declared with another type); such a file is judged again once the files at
    fault are out, rather than rejected with them.
    """
    passing = _Index(
        rec
        for shown in sorted(accepted - failed)
        for rec in declared_records(raws[shown][0], schema)
    )
    alone = set()
    for shown in sorted(failed):
        raw, doc = raws[shown]
        index = _Index(declared_records(raw, schema), parent=passing)
        records = parse_annotation_file(raw, schema, doc, shown, index.resolve)
        if not records.ok or _duplicate_ids({shown: records}):
            alone.add(shown)
    return alone


def _duplicate_ids(parsed: Mapping[str, FileRecords]) -> set[str]:
    """Files that declare the same id twice within themselves (across files, records merge)."""
    failed = set()
    for shown, records in parsed.items():
        seen: dict[str, Location] = {}
        for section in ("entities", "incidents", "claims", "relations"):
            for record, where in getattr(records, section):
                if record.id in seen:
                    records.problems.append(
                        Problem(
                            where,
                            "duplicate-id",
                            f"id {record.id} is already used at line {seen[record.id].line}",
                        )
                    )
                    failed.add(shown)
                seen.setdefault(record.id, where)
    return failed


def _assemble(
    documents: Mapping[str, Document],
    parsed: Mapping[str, FileRecords],
    raws: Mapping[str, tuple[LineDict, Document]],
    refused_docs: set[str],
) -> tuple[Graph, list[Problem]]:
    problems: list[Problem] = []
    files = [parsed[shown] for shown in sorted(parsed)]
    entity_items = [item for f in files for item in f.entities]
    entities = _merge_entities(entity_items, problems)
    first_location: dict[str, Location] = {}
    for entity, where in entity_items:
        first_location.setdefault(entity.id, where)
    problems.extend(_alias_clashes(entities, first_location))
    rejected_docs = refused_docs | {raws[shown][1].id for shown in raws if shown not in parsed}
    graph = Graph(
        documents={k: documents[k] for k in sorted(documents) if k not in rejected_docs},
        entities=entities,
        incidents=_merge("incident", (i for f in files for i in f.incidents), problems),
        claims=_merge("claim", (c for f in files for c in f.claims), problems),
        relations=_merge("relation", (r for f in files for r in f.relations), problems),
    )
    return graph, problems

"""Build the validated Graph from a workspace's articles and annotation files.

Each annotation file is parsed on its own (and its result cached by content hash, see
:mod:`kg.cache`); the graph is the merge of every accepted file's descriptions
(:mod:`kg.merge`). A file with an error is left out whole and named; the others still
build, and a reference never becomes unknown because another file was rejected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.annotations import SECTIONS, FileRecords, declared_records, parse_annotation_file
from kg.annvalues import Resolver
from kg.cache import BuildCache, digest
from kg.dates import DateOrder
from kg.documents import ARTICLE_SUFFIXES, date_warning, document_id, read_article
from kg.errors import KgError, Location
from kg.model import Document, Entity, Graph, Statement
from kg.problems import Problem
from kg.prune import prune
from kg.schema import Schema
from kg.yamlio import LineDict, display_path, load_yaml

__all__ = ["BuildResult", "build_graph", "find_inputs"]


@dataclass
class BuildResult:
    """The graph of every accepted document, and every problem found on the way."""

    graph: Graph
    problems: list[Problem] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    """Annotation files left out because they have errors (nothing from them is in ``graph``)."""
    notices: list[str] = field(default_factory=list)
    """Remarks about the build itself (a corrupt cache rebuilt), not about the input."""
    key: str | None = None
    """With a cache: one hash of every input, the schema and the kg version."""

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
    """Ids, names and aliases of all declared records, for resolving references."""

    def __init__(self, declared: Iterable[tuple[str, str, list[str]]]) -> None:
        self.types: dict[str, str] = {}
        self.names: dict[str, set[str]] = defaultdict(set)
        for record_id, type_name, names in declared:
            self.types.setdefault(record_id, type_name)
            for name in names:
                self.names[name.casefold()].add(record_id)

    def resolve(self, ref: str) -> tuple[str, str] | str:
        type_name = self.types.get(ref)
        if type_name is not None:
            return ref, type_name
        matches = sorted(self.names.get(ref.casefold(), ()))
        if len(matches) == 1:
            return matches[0], self.types[matches[0]]
        if matches:
            return f"{ref!r} is ambiguous: it names {', '.join(matches)}; use an id"
        return f"unknown reference {ref!r} (no record with that id, name or alias)"


@dataclass
class _FileResult:
    """What one annotation file gives on its own: the unit the cache stores."""

    shown: str
    document: str
    """The id of the document the file annotates (or, refused early, was meant for)."""
    article: str | None = None
    """Content hash of that document's article, when the file was parsed against it."""
    declared: list[tuple[str, str, list[str]]] = field(default_factory=list)
    document_line: int | None = None
    records: FileRecords | None = None
    resolutions: dict[str, tuple[str, str] | str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.records is not None and self.records.ok


def _recording(resolve: Resolver, into: dict[str, tuple[str, str] | str]) -> Resolver:
    def wrapped(ref: str) -> tuple[str, str] | str:
        found = into[ref] = resolve(ref)
        return found

    return wrapped


def _speculative(index: _Index, schema: Schema) -> Resolver:
    """Resolve within the file, or by id prefix: checked against all files afterwards."""

    def resolve(ref: str) -> tuple[str, str] | str:
        found = index.resolve(ref)
        if isinstance(found, str) and ":" in ref:
            etype = schema.type_for_prefix(ref.split(":", 1)[0])
            return (ref, etype.name) if etype is not None else found
        return found

    return resolve


def _unknown_key(raw: LineDict, shown: str) -> Problem | None:
    unknown = set(raw) - {"document", *SECTIONS}
    if not unknown:
        return None
    key = sorted(unknown)[0]
    return Problem(Location(shown, raw.line_of(key)), "unknown-key", f"unknown key {key!r}")


def _one_line(text: str) -> str:
    """``text`` as written, with line breaks and other control characters escaped.

    >>> _one_line("nowhere"), _one_line("a\\nb")
    ('nowhere', 'a\\\\nb')
    """
    return text if text.isprintable() else repr(text)[1:-1]


class _Builder:
    def __init__(
        self, schema: Schema, cache: BuildCache | None, date_order: DateOrder | None = None
    ) -> None:
        self.schema, self.cache, self.date_order = schema, cache, date_order
        self.problems: list[Problem] = []
        self.documents: dict[str, Document] = {}
        self.article_digests: dict[str, str] = {}
        self.raws: dict[str, LineDict] = {}

    # -- reading --------------------------------------------------------------------------------
    def read_documents(
        self, articles: Mapping[str, tuple[Path, str]], cached: dict[str, Any]
    ) -> dict[str, Any]:
        fresh: dict[str, Any] = {}
        for shown, (path, key) in articles.items():
            try:
                doc = (
                    cached.get(shown, (None, None))[1]
                    if cached.get(shown, ("",))[0] == key
                    else None
                )
                if doc is None:
                    doc = read_article(path, self.date_order)
                fresh[shown] = (key, doc)
            except (KgError, OSError) as exc:
                error = exc if isinstance(exc, KgError) else KgError(str(exc))
                self.problems.append(Problem.from_error(error, "bad-article", Location(shown)))
                continue
            undated = date_warning(doc)
            if undated:
                self.problems.append(
                    Problem(Location(shown, None, "date"), "undated", undated, "warning")
                )
            if doc.id in self.documents:
                self.problems.append(
                    Problem(
                        Location(shown),
                        "duplicate-id",
                        f"document id {doc.id} is also used by {self.documents[doc.id].path}",
                    )
                )
                continue
            self.documents[doc.id], self.article_digests[doc.id] = doc, key
        return fresh

    def read_file(self, path: Path, shown: str) -> _FileResult:
        """Load, check and parse one annotation file with only itself to resolve against."""
        result = _FileResult(shown, document_id(path.stem))
        try:
            raw = load_yaml(path)
        except KgError as exc:
            result.problems.append(Problem.from_error(exc, "bad-yaml", Location(shown)))
            return result
        if not isinstance(raw, LineDict):
            result.problems.append(
                Problem(Location(shown, 1), "wrong-type", "an annotation file is a mapping")
            )
            return result
        ref = raw.get("document")
        doc = self.documents.get(document_id(str(ref))) if ref else None
        if ref and doc is None and str(ref) in self.documents:
            doc = self.documents[str(ref)]
        if doc is not None:
            result.document, result.document_line = doc.id, raw.line_of("document")
        problem = _unknown_key(raw, shown)
        if problem is None and doc is None:
            problem = Problem(
                Location(shown, raw.line_of("document")),
                "unknown-document",
                f"'document: {_one_line(str(ref))}' names no article in seeds/articles",
            )
        if problem is not None or doc is None:
            result.problems.append(problem)  # type: ignore[arg-type]
            return result
        result.article = self.article_digests[doc.id]
        result.declared = declared_records(raw, self.schema)
        resolve = _speculative(_Index(result.declared), self.schema)
        self.parse(result, raw, doc, resolve)
        self.raws[shown] = raw
        return result

    def parse(self, result: _FileResult, raw: LineDict, doc: Document, resolve: Resolver) -> None:
        result.resolutions = {}
        records = parse_annotation_file(
            raw, self.schema, doc, result.shown, _recording(resolve, result.resolutions)
        )
        _duplicate_ids(records)
        result.records = records

    # -- merging --------------------------------------------------------------------------------
    def merge(self, files: dict[str, _FileResult]) -> tuple[Graph, set[str]]:
        from kg.merge import Description, fold, missing_required

        claimed: dict[str, list[str]] = {}
        for shown in sorted(files):
            result = files[shown]
            self.problems.extend(result.problems)
            if result.records is not None:
                self.problems.extend(result.records.problems)
            if result.records is not None:
                claimed.setdefault(result.document, []).append(shown)
        accepted = {s for s in files if files[s].ok}
        for doc_id, owners in claimed.items():
            if len(owners) < 2:
                continue
            accepted -= set(owners)  # which file is right is not ours to guess
            for shown in owners:
                others = ", ".join(o for o in owners if o != shown)
                self.problems.append(
                    Problem(
                        Location(shown, files[shown].document_line),
                        "duplicate-id",
                        f"{doc_id} is already annotated by {others}",
                    )
                )
        while True:
            groups: dict[str, dict[str, list[Description]]] = {s: {} for s in SECTIONS}
            for shown in sorted(accepted):
                records = files[shown].records
                assert records is not None
                doc = files[shown].document
                for section in SECTIONS:
                    table = groups[section]
                    for record, where in getattr(records, section):
                        table.setdefault(record.id, []).append(Description(record, where, doc))
            merged: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
            statements = []
            problems: list[Problem] = []
            first: dict[str, Location] = {}
            for section in SECTIONS:
                for record_id in sorted(groups[section]):
                    items = groups[section][record_id]
                    first[record_id] = items[0].where
                    found: list[Statement] = []
                    trouble: list[Problem] = []
                    if len(items) == 1:
                        record = items[0].record
                    else:
                        record, found, trouble = fold(record_id, items)
                    statements.extend(found)
                    problems.extend(trouble)
                    for name in missing_required(record, self.schema) if not trouble else ():
                        problems.extend(
                            Problem(
                                d.where,
                                "missing-property",
                                f"{record_id}: required property '{name}' is missing"
                                + (
                                    " (no accepted file describing it gives one)"
                                    if len(items) > 1
                                    else ""
                                ),
                            )
                            for d in items
                        )
                    merged[section][record_id] = record
            failing = {p.location.file for p in problems if p.severity == "error"}
            self.problems.extend(p for p in problems if p.severity == "error")
            if not failing & accepted:
                self.problems.extend(p for p in problems if p.severity != "error")
                break
            accepted -= failing
        kept = {files[s].document for s in accepted}
        refused = {files[s].document for s in files} - kept
        graph = Graph(
            documents={k: self.documents[k] for k in sorted(self.documents) if k not in refused},
            entities=merged["entities"],
            incidents=merged["incidents"],
            claims=merged["claims"],
            relations=merged["relations"],
            statements=tuple(sorted(statements)),
        )
        graph, dropped = prune(graph, self.schema, first)
        self.problems.extend(dropped)
        self.problems.extend(_alias_clashes(graph.entities, first))
        return graph, accepted


def _duplicate_ids(records: FileRecords) -> None:
    """A file that declares the same id twice within itself (across files, records merge)."""
    seen: dict[str, Location] = {}
    for section in SECTIONS:
        for record, where in getattr(records, section):
            if record.id in seen:
                records.problems.append(
                    Problem(
                        where,
                        "duplicate-id",
                        f"id {record.id} is already used at line {seen[record.id].line}",
                    )
                )
            seen.setdefault(record.id, where)


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


def _file_digest(path: Path) -> str:
    try:
        return digest(path.read_bytes())
    except OSError:
        return ""  # unreadable: never a cache hit; reading it reports the problem


def build_graph(
    schema: Schema,
    articles: Sequence[Path],
    annotations: Sequence[Path],
    cache: BuildCache | None = None,
    *,
    date_order: DateOrder | None = None,
) -> BuildResult:
    """Read, resolve, merge and validate everything; a file with an error contributes nothing.

    With a ``cache``, files whose content (and article, schema, kg version) did not change
    are not parsed again, and an unchanged input set returns the last graph at once.
    """
    builder = _Builder(schema, cache, date_order)
    contents = {display_path(p): p for p in annotations}
    ann_digests = {shown: _file_digest(path) for shown, path in contents.items()}
    # The date order reads the articles' dates: a changed order is a changed article.
    read_as = f":{date_order}" if date_order else ""
    article_files = {display_path(p): (p, _file_digest(p) + read_as) for p in articles}
    if cache is not None:
        whole = cache.key(
            *(f"{s}={k}" for s, (_, k) in sorted(article_files.items())),
            *(f"{s}={k}" for s, k in sorted(ann_digests.items())),
        )
        last = cache.load("graph", whole)
        if isinstance(last.get("result"), BuildResult):
            result: BuildResult = last["result"]
            result.notices = cache.notices
            return result
    article_cache = cache.load("articles") if cache else {}
    fresh_articles = builder.read_documents(article_files, article_cache)
    file_cache = cache.load("files") if cache else {}
    files: dict[str, _FileResult] = {}
    for shown, path in contents.items():
        entry = file_cache.get(shown)
        hit = (
            isinstance(entry, _FileResult)
            and entry.resolutions is not None
            and file_cache.get(f"{shown}#") == ann_digests[shown]
            and (
                entry.article is None
                or entry.article == builder.article_digests.get(entry.document)
            )
            and (entry.article is not None or entry.records is None)
        )
        files[shown] = entry if hit else builder.read_file(path, shown)  # type: ignore[assignment]
    # Files that are valid on their own declare first: a faulty file cannot take an id over.
    order = sorted(files, key=lambda s: (not files[s].ok, s))
    index = _Index(rec for shown in order for rec in files[shown].declared)
    for shown in sorted(files):
        result_ = files[shown]
        if result_.records is None:
            continue
        if all(index.resolve(ref) == found for ref, found in result_.resolutions.items()):
            continue
        raw = builder.raws.get(shown)
        if raw is None:
            raw = load_yaml(contents[shown])
        builder.parse(result_, raw, builder.documents[result_.document], index.resolve)
    builder.raws.clear()
    graph, accepted = builder.merge(files)
    rejected = sorted(set(files) - accepted)
    unique = {(p.location, p.code, p.message): p for p in builder.problems}
    result = BuildResult(graph, sorted(unique.values(), key=Problem.sort_key), rejected)
    if cache is not None:
        result.key = whole
        cache.save("articles", fresh_articles)
        entries: dict[str, Any] = {}
        for shown, file_result in files.items():
            entries[shown], entries[f"{shown}#"] = file_result, ann_digests[shown]
        cache.save("files", entries)
        cache.save("graph", {"result": result}, whole)
        result.notices = cache.notices
    return result

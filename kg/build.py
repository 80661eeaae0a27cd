"""Build the validated Graph from a workspace's articles and annotation files.

Each annotation file is parsed on its own (and its result cached by content hash, see
:mod:`kg.cache`); the graph is the merge of every accepted file's descriptions
(:mod:`kg.merge`). A file with an error is left out whole and named; the others still
build, and a reference never becomes unknown because another file was rejected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.annotations import SECTIONS, FileRecords, declared_records, parse_annotation_file
from kg.annvalues import Resolver
from kg.cache import BuildCache, digest, file_digest, pickled, unpickled
from kg.dates import DateOrder
from kg.documents import ARTICLE_SUFFIXES, date_warning, document_id, read_article
from kg.errors import KgError, Location
from kg.merge import merge_files
from kg.model import Document, Graph
from kg.problems import Problem
from kg.schema import Schema
from kg.stats import graph_stats, summary_line
from kg.yamlio import LineDict, _no_gc, display_path, load_yaml

__all__ = ["BuildResult", "build_graph", "find_inputs"]


@dataclass
class BuildResult:
    """The graph of every accepted document, and every problem found on the way."""

    built: Graph | None
    """The graph, or None until first read from the cache (see ``graph``)."""
    problems: list[Problem] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    """Annotation files left out because they have errors (nothing from them is in ``graph``)."""
    notices: list[str] = field(default_factory=list)
    """Remarks about the build itself (a corrupt cache rebuilt), not about the input."""
    key: str | None = None
    """With a cache: one hash of every input, the schema and the kg version."""
    summary: str = ""
    """The graph's counts in one line (known without reading the graph)."""
    stats: list[dict[str, object]] | None = None
    """The graph's :func:`~kg.stats.graph_stats` rows (known without reading the graph)."""
    loader: Callable[[], Graph] | None = field(default=None, repr=False, compare=False)
    texts: dict[tuple[str, str], str] | None = field(default=None, repr=False, compare=False)
    """The graph.json text of the graph's records (see :func:`kg.graphjson.record_texts`)."""

    @property
    def graph(self) -> Graph:
        """The graph of every accepted file (read from the cache on first use)."""
        if self.built is None:
            assert self.loader is not None, "a cached result reads its graph with a loader"
            self.built = self.loader()
        return self.built

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its graph (cached apart) and without its loader."""
        return {**self.__dict__, "built": None, "loader": None, "texts": None}

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
        return result

    def parse(self, result: _FileResult, raw: LineDict, doc: Document, resolve: Resolver) -> None:
        result.resolutions = {}
        records = parse_annotation_file(
            raw, self.schema, doc, result.shown, _recording(resolve, result.resolutions)
        )
        _duplicate_ids(records)
        result.records = records


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


_WORKER: list[_Builder] = []
"""The builder a parsing process inherited (forked from the building one)."""


def _read_in_worker(item: tuple[str, Path]) -> tuple[str, tuple[str, bytes]]:
    shown, path = item
    return shown, pickled(_WORKER[0].read_file(path, shown))


def _read_files(
    builder: _Builder, paths: Mapping[str, Path], jobs: int
) -> dict[str, tuple[_FileResult, tuple[str, bytes] | None]]:
    """Each file parsed on its own, with its pickled result when a worker process made it.

    With ``jobs`` > 1 (and ``fork``, which hands the workers the articles read without
    copying them) the files are parsed in a pool of processes, a few at a time.
    """
    import multiprocessing

    if jobs <= 1 or len(paths) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return {shown: (builder.read_file(path, shown), None) for shown, path in paths.items()}
    from concurrent.futures import ProcessPoolExecutor

    _WORKER[:] = [builder]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            chunk = max(1, min(16, len(paths) // (jobs * 8)))  # few round trips, balanced
            done = pool.map(_read_in_worker, paths.items(), chunksize=chunk)
            out: dict[str, tuple[_FileResult, tuple[str, bytes] | None]] = {}
            for shown, made in done:
                result = unpickled(made[1])
                assert isinstance(result, _FileResult)
                out[shown] = (result, made)
            return out
    finally:
        _WORKER.clear()


def _shown(paths: Sequence[Path]) -> dict[str, Path]:
    """``display_path`` of each path, resolving each folder once (not once per file)."""
    folders: dict[Path, str] = {}
    out: dict[str, Path] = {}
    for path in paths:
        if path.is_symlink():
            out[display_path(path)] = path
            continue
        if path.parent not in folders:
            folders[path.parent] = display_path(path.parent)
        out[str(Path(folders[path.parent]) / path.name)] = path
    return out


def _texts(graph: Graph, schema: Schema, memo: dict[str, Any]) -> dict[tuple[str, str], str]:
    """The graph.json text of each record: kept in ``memo`` with the record it was made from,
    so only records merged again (or changed by pruning) are encoded again."""
    from kg.graphjson import RECORD_SECTIONS, record_texts

    texts: dict[tuple[str, str], str] = {}
    for name in RECORD_SECTIONS:
        for record_id, record in getattr(graph, name).items():
            last = memo.get(record_id)
            if last is not None and last[1] is record and last[4] is not None:
                texts[name, record_id] = last[4]
    made = record_texts(graph, schema, texts)
    for (name, record_id), text in made.items():
        last = memo.get(record_id)
        if last is not None and last[1] is getattr(graph, name)[record_id]:
            memo[record_id] = (*last[:4], text)
    return made


def build_graph(
    schema: Schema,
    articles: Sequence[Path],
    annotations: Sequence[Path],
    cache: BuildCache | None = None,
    *,
    date_order: DateOrder | None = None,
    reuse: bool = True,
    jobs: int = 1,
) -> BuildResult:
    """Read, resolve, merge and validate everything; a file with an error contributes nothing.

    With a ``cache``, files whose content (and article, schema, kg version) did not change
    are not parsed again, records whose descriptions did not change are not merged again,
    and an unchanged input set returns the last result at once (its graph read on first use).
    With ``jobs`` > 1 the files to parse are parsed in that many processes (the same graph).
    """
    # Millions of acyclic objects are made and read back: the cyclic collector's passes
    # over them would only cost time (a third of a one-edit build, measured).
    with _no_gc():
        return _build(schema, articles, annotations, cache, date_order, reuse, jobs)


def _build(
    schema: Schema,
    articles: Sequence[Path],
    annotations: Sequence[Path],
    cache: BuildCache | None,
    date_order: DateOrder | None,
    reuse: bool,
    jobs: int,
) -> BuildResult:
    builder = _Builder(schema, cache, date_order)
    contents = _shown(annotations)
    article_paths = _shown(articles)
    everything = {**contents, **article_paths}
    if cache is not None:
        digests = cache.digests(everything)
    else:
        digests = {shown: file_digest(path) for shown, path in everything.items()}
    ann_digests = {shown: digests[shown] for shown in contents}
    # The date order reads the articles' dates: a changed order is a changed article.
    read_as = f":{date_order}" if date_order else ""
    article_files = {s: (p, digests[s] + read_as) for s, p in article_paths.items()}
    whole = ""
    if cache is not None:
        whole = cache.key(
            *(f"{s}={k}" for s, (_, k) in sorted(article_files.items())),
            *(f"{s}={k}" for s, k in sorted(ann_digests.items())),
        )
        last = cache.load("result", whole) if reuse else {}
        if isinstance(last.get("result"), BuildResult):
            result: BuildResult = last["result"]
            result.notices = cache.notices

            def load() -> Graph:
                graph = cache.load("graph", whole).get("graph")
                if isinstance(graph, Graph):
                    return graph
                again = build_graph(
                    schema, articles, annotations, cache, date_order=date_order, reuse=False
                )
                return again.graph

            result.loader = load
            return result
    article_cache = cache.load("articles") if cache else {}
    fresh_articles = builder.read_documents(article_files, article_cache)
    names = {shown: "files/" + digest(shown.encode()) for shown in contents}
    files: dict[str, _FileResult] = {}
    versions: dict[str, str] = {}
    changed: set[str] = set()
    for shown in contents:
        entry = cache.load(names[shown]) if cache else {}
        try:
            found = unpickled(entry.get("result"))
        except Exception as exc:  # a corrupt entry is never trusted
            assert cache is not None
            cache.notices.append(
                f"the build cache entry for {shown} could not be read ({type(exc).__name__});"
                " rebuilt it"
            )
            found = None
        hit = (
            isinstance(found, _FileResult)
            and found.resolutions is not None
            and entry.get("digest") == ann_digests[shown]
            and (
                found.article is None
                or found.article == builder.article_digests.get(found.document)
            )
            and (found.article is not None or found.records is None)
        )
        if isinstance(found, _FileResult) and hit:
            files[shown], versions[shown] = found, entry["version"]
        else:
            changed.add(shown)
    ready = _read_files(builder, {s: p for s, p in contents.items() if s in changed}, jobs)
    for shown, (result_, _) in ready.items():
        files[shown] = result_
    files = {shown: files[shown] for shown in contents}
    # Files that are valid on their own declare first: a faulty file cannot take an id over.
    order = sorted(files, key=lambda s: (not files[s].ok, s))
    index = _Index(rec for shown in order for rec in files[shown].declared)
    for shown in sorted(files):
        result_ = files[shown]
        if result_.records is None:
            continue
        if all(index.resolve(ref) == found for ref, found in result_.resolutions.items()):
            continue
        # Read again rather than kept from the first parse: all files' YAML at once would
        # take gigabytes at 10,000 files, and files are rarely parsed twice.
        raw = load_yaml(contents[shown])
        builder.parse(result_, raw, builder.documents[result_.document], index.resolve)
        changed.add(shown)
        ready.pop(shown, None)
    for shown in sorted(changed):
        made = ready.pop(shown, (None, None))[1]
        versions[shown], data = made if made is not None else pickled(files[shown])
        if cache is not None:
            entry = {"digest": ann_digests[shown], "version": versions[shown], "result": data}
            cache.save(names[shown], entry)
    memo = cache.load("merge") if cache else {}
    graph, accepted, merging = merge_files(files, versions, memo, builder.documents, schema)
    builder.problems.extend(merging)
    rejected = sorted(set(files) - accepted)
    unique = {(p.location, p.code, p.message): p for p in builder.problems}
    result = BuildResult(graph, sorted(unique.values(), key=Problem.sort_key), rejected)
    result.summary = summary_line(graph)
    result.stats = graph_stats(graph)
    if cache is not None:
        result.texts = _texts(graph, schema, memo)
    if cache is not None:
        result.key = whole
        if fresh_articles != article_cache:
            cache.save("articles", fresh_articles)
        cache.drop_others("files", set(names.values()))
        cache.save("merge", memo)
        cache.save("graph", {"graph": graph}, whole)
        cache.save("result", {"result": result}, whole)
        result.notices = cache.notices
    return result

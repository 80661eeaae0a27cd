"""Build the validated Graph from a workspace's articles and annotation files.

Each annotation file is parsed on its own, and what it describes kept in the per-record
store (:mod:`kg.store`, :mod:`kg.incremental`) with its content hash; the graph is the
merge of every accepted file's descriptions of each record (:mod:`kg.merge`). A file with
an error is left out whole and named; the others still build, and a reference never
becomes unknown because another file was rejected.
"""

from __future__ import annotations

import errno
import functools
import operator
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import incremental as inc
from kg.annotations import SECTIONS, FileRecords, declared_records, parse_annotation_file
from kg.annvalues import Resolver
from kg.cache import BuildCache, file_digest
from kg.dates import DateOrder
from kg.documents import ARTICLE_SUFFIXES, document_id
from kg.errors import KgError, Location
from kg.gcpause import gc_paused
from kg.graphfile import write_graph_file
from kg.model import Document, Graph
from kg.problems import Problem
from kg.records import fingerprints, graph_of, merge_and_write
from kg.schema import Schema
from kg.store import (
    PARSED,
    LazyDocuments,
    Store,
    blob,
    in_use,
    locked,
    make_part,
    order_part,
    part_path,
    unblob,
)
from kg.yamlio import LineDict, display_path, load_yaml

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
    kept: list[tuple[str, str]] = field(default_factory=list, repr=False)
    """The id of each document in the graph, and its article (shown path)."""
    loader: Callable[[], Graph] | None = field(default=None, repr=False, compare=False)
    writer: Callable[[Path], object] | None = field(default=None, repr=False, compare=False)
    """Writes graph.json from the store (record by record, never holding the graph)."""
    fingerprinter: Callable[[], Mapping[str, str]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def graph(self) -> Graph:
        """The graph of every accepted file (read from the cache on first use)."""
        if self.built is None:
            assert self.loader is not None, "a cached result reads its graph with a loader"
            self.built = self.loader()
        return self.built

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its graph (cached apart) and without its loader."""
        return {
            **self.__dict__,
            "built": None,
            "loader": None,
            "writer": None,
            "fingerprinter": None,
        }

    def fingerprints(self) -> Mapping[str, str] | None:
        """A digest of each record's graph.json text and statements, by record id (it
        changes when, and only when, they do), and of what each document was read from, by
        document id (see :func:`kg.records.fingerprints`); None without a store."""
        return self.fingerprinter() if self.fingerprinter is not None else None

    def write_to(self, target: Path, schema: Schema | None = None) -> object:
        """Write graph.json to ``target`` (streamed from the store when there is one; what
        the writer tells of the write, see :class:`kg.graphfile.Written`)."""
        if self.writer is not None:
            return self.writer(target)
        from kg.graphjson import write_graph_json

        assert schema is not None, "a graph without a store is written with its schema"
        write_graph_json(self.graph, schema, target)
        return None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


class _Listing(list[Path]):
    """The paths :func:`find_inputs` listed in one folder, with what the listing saw of each.

    A plain list of paths to everyone else; :func:`_shown` uses the names and symlink flags
    the one ``os.scandir`` pass gave (instead of a ``Path`` and an ``lstat`` per file), as
    long as the list still has as many paths as names (else it is treated as any list).
    """

    def __init__(self, folder: Path, names: list[str], links: list[bool]) -> None:
        super().__init__(folder / name for name in names)
        self.folder = folder
        self.names = names
        self.links = links


def _suffix(name: str) -> str:
    """``Path(name).suffix``, without making the ``Path``."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _listed(folder: Path, wanted: Callable[[str], bool]) -> _Listing:
    """The entries of ``folder`` (not recursive) whose name is ``wanted``, sorted by name.

    The same paths, in the same order, as ``sorted(folder.glob("*"))`` filtered by name: hidden
    entries and folders included, nothing for a missing or unreadable folder.
    """
    try:
        with os.scandir(folder) as found:
            # Names are unique in a folder: the pairs sort by name, as the paths would.
            entries = sorted((e.name, e.is_symlink()) for e in found if wanted(e.name))
    except PermissionError:
        entries = []
    except OSError as err:
        if err.errno not in _NOT_A_FOLDER:
            raise
        entries = []
    return _Listing(folder, [name for name, _ in entries], [link for _, link in entries])


_NOT_A_FOLDER = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def find_inputs(seeds: Path) -> tuple[list[Path], list[Path]]:
    """Article files under ``seeds/articles`` and annotation files under ``seeds/annotations``."""
    articles = _listed(seeds / "articles", lambda n: _suffix(n).lower() in ARTICLE_SUFFIXES)
    annotations = _listed(seeds / "annotations", lambda n: _suffix(n) in (".yaml", ".yml"))
    return articles, annotations


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


def _speculative(index: inc.Index, schema: Schema) -> Resolver:
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
        self, schema: Schema, documents: Mapping[str, Document], digests: Mapping[str, str]
    ) -> None:
        self.schema, self.documents, self.article_digests = schema, documents, digests

    def read_file(self, path: Path, shown: str, resolve: Resolver | None = None) -> _FileResult:
        """Load, check and parse one annotation file, resolving its references with
        ``resolve`` (by default: with only itself to resolve against, see _speculative)."""
        result = _FileResult(shown, document_id(path.stem))
        try:
            raw = load_yaml(path, shown)
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
        resolve = resolve or _speculative(inc.Index(result.declared), self.schema)
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


_TASK: list[Callable[[Any], Any]] = []
"""The function the processes of :func:`_forked_map` inherited (forked from the building one)."""


def _run_task(item: Any) -> bytes:
    with gc_paused():
        return blob(_TASK[0](item))


def _forked_map(function: Callable[[Any], Any], items: Sequence[Any], jobs: int) -> Iterator[Any]:
    """``map(function, items)``: here, or with ``jobs`` > 1 (and ``fork``, which hands the
    processes ``function`` and all it refers to without copying it) in a pool of processes,
    a few items at a time; ``jobs`` 0: the machine's cores, for many items."""
    import multiprocessing

    if jobs < 1:
        jobs = _cores() if len(items) >= _MANY else 1
    if jobs <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    _TASK[:] = [function]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            chunk = max(1, min(16, len(items) // (jobs * 8)))  # few round trips, balanced
            for made in pool.map(_run_task, items, chunksize=chunk):
                yield unblob(made)
    finally:
        _TASK.clear()


def _read_files(
    builder: _Builder,
    paths: Mapping[str, Path],
    digests: Mapping[str, str],
    jobs: int,
    parts: Path | None = None,
) -> Iterator[inc.FileRows]:
    """Each file parsed on its own, as the store's rows, one at a time (so they are never
    all held at once); with ``jobs`` > 1, in that many processes. With ``parts`` (a first
    build's store), each process writes all but the ``files`` row to a part file of its own
    (see :data:`~kg.store.PARSED`): what comes back holds no other rows."""
    if jobs > 1 and isinstance(builder.documents, LazyDocuments):
        # Read before forking: a process reading the store while this one writes it
        # could wait on its lock.
        builder.documents.load_all()

    def parse(item: tuple[str, Path]) -> inc.FileRows:
        shown, path = item
        rows = inc.file_rows(builder.read_file(path, shown), digests[shown])
        if parts is None or os.getpid() == _MAIN[0]:
            return rows
        if not _PART or _PART[0][0] != os.getpid():
            _PART[:] = [(os.getpid(), make_part(part_path(parts, f"p{os.getpid()}"), PARSED))]
        db = _PART[0][1]
        inc.insert_parsed(db, rows)
        db.execute("COMMIT")  # written before the building process reads the part
        db.execute("BEGIN")
        return rows[0], rows[1], [], [], []

    _MAIN[:] = [os.getpid()]
    yield from _forked_map(parse, list(paths.items()), jobs)


_MAIN: list[int] = []
"""The building process (whose parse, without forking, keeps its rows)."""

_PART: list[tuple[int, sqlite3.Connection]] = []
"""In a parsing process of a first build: its id and its part file."""


def _shown(paths: Sequence[Path], base: Path | None) -> dict[str, Path]:
    """``display_path`` of each path from ``base``, resolving each folder once (not once per
    file)."""
    if isinstance(paths, _Listing) and len(paths) == len(paths.names):
        where = _inside(display_path(paths.folder, base))
        return {
            display_path(path, base) if link else where(name): path
            for path, name, link in zip(paths, paths.names, paths.links, strict=True)
        }
    folders: dict[Path, Callable[[str], str]] = {}
    out: dict[str, Path] = {}
    for path in paths:
        if path.is_symlink():
            out[display_path(path, base)] = path
            continue
        if path.parent not in folders:
            folders[path.parent] = _inside(display_path(path.parent, base))
        out[folders[path.parent](path.name)] = path
    return out


def _inside(folder: str) -> Callable[[str], str]:
    """``str(Path(folder) / name)`` for a name (no ``/``) in a shown folder, without the Paths."""
    if folder == ".":
        return str
    return functools.partial(operator.add, folder if folder.endswith("/") else folder + "/")


def build_graph(
    schema: Schema,
    articles: Sequence[Path],
    annotations: Sequence[Path],
    cache: BuildCache | None = None,
    *,
    date_order: DateOrder | None = None,
    reuse: bool = True,
    jobs: int = 1,
    base: Path | None = None,
) -> BuildResult:
    """Read, resolve, merge and validate everything; a file with an error contributes nothing.

    Files are named (in problems, and as the cache's keys) by their path from ``base``: the
    workspace's folder, so that a build run from any folder finds the same cache (default:
    the working directory).

    Everything is kept in a per-record store (:mod:`kg.store`; in memory without a
    ``cache``): files whose content (and article, schema, kg version) did not change are not
    parsed again, only the records an edit touches are merged and encoded again, and an
    unchanged input set returns the last result at once (its graph read on first use).
    With ``jobs`` > 1 the files to parse are parsed, and the records merged, in that many
    processes (the same graph); ``jobs`` 0: the machine's cores when many files changed.
    """
    # Millions of acyclic objects are made and read back: the cyclic collector's passes
    # over them would only cost time (a third of a one-edit build, measured).
    with gc_paused():
        return _build(schema, articles, annotations, cache, date_order, reuse, jobs, base)


def _build(
    schema: Schema,
    articles: Sequence[Path],
    annotations: Sequence[Path],
    cache: BuildCache | None,
    date_order: DateOrder | None,
    reuse: bool,
    jobs: int,
    base: Path | None,
) -> BuildResult:
    contents = _shown(annotations, base)
    article_paths = _shown(articles, base)
    everything = {**contents, **article_paths}
    if cache is not None:
        digests = cache.digests(everything, jobs if jobs >= 1 else _cores())
    else:
        digests = {shown: file_digest(path) for shown, path in everything.items()}
    ann_digests = {shown: digests[shown] for shown in contents}
    # The date order reads the articles' dates: a changed order is a changed article.
    read_as = f":{date_order}" if date_order else ""
    article_files = {s: (p, digests[s] + read_as) for s, p in article_paths.items()}
    if cache is None:
        store = Store(None, "")
        return _run(store, schema, article_files, contents, ann_digests, date_order, jobs=1)
    whole = cache.key(
        *(f"{s}={k}" for s, (_, k) in sorted(article_files.items())),
        *(f"{s}={k}" for s, k in sorted(ann_digests.items())),
    )

    def again() -> BuildResult:
        return build_graph(
            schema, articles, annotations, cache, date_order=date_order, reuse=False, base=base
        )

    last = cache.load("result", whole) if reuse else {}
    if isinstance(last.get("result"), BuildResult):
        result: BuildResult = last["result"]
        result.notices = cache.notices
        kept = result.kept
        opened: list[Store] = []

        def stored() -> Store | None:
            if not opened:
                opened.append(Store(cache.directory / "store.sqlite", cache.salt))
                cache.notices.extend(opened[0].notices)
            return opened[0] if opened[0].key() == whole else None

        def load() -> Graph:
            found = stored()
            return graph_of(found, schema, kept) if found else again().graph

        def write(target: Path) -> object:
            found = stored()
            if found is not None:
                return write_graph_file(found, kept, target)
            return again().write_to(target)

        def prints() -> Mapping[str, str]:
            found = stored()
            return fingerprints(found) if found else again().fingerprints() or {}

        result.loader, result.writer, result.fingerprinter = load, write, prints
        return result
    path = cache.directory / "store.sqlite"
    for attempt in (1, 2):
        store = Store(path, cache.salt)
        cache.notices.extend(store.notices)
        try:
            result = _run(store, schema, article_files, contents, ann_digests, date_order, jobs)
            break
        except KgError:
            store.rollback()
            raise
        except Exception as exc:  # a store that cannot be read is never trusted
            store.rollback()
            if locked(exc):
                raise in_use(path) from None
            if attempt == 2:
                raise
            cache.notices.append(
                f"the build store {path} could not be read ({type(exc).__name__}); rebuilt it"
            )
            store.db.close()
            store.remove()
    store.commit(whole)
    result.key = whole
    cache.save("result", {"result": result}, whole)
    cache.drop(["merge", "graph", "articles"])  # the pickles of kg before the store
    cache.drop_others("files", set())
    result.notices = cache.notices
    return result


_MANY = 64
"""Changed files from which ``jobs`` 0 (the default of ``kg build``) means every core."""


def _cores() -> int:
    """The cores this process may run on (not the host's, under a CPU affinity limit)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


_BULK = ("idx", "refs", "descs")
"""The tables a first build fills in bulk, their indexes made afterwards. The merge's tables
(records, links, names) keep theirs up to date as its parts are copied in, while its
processes run: made afterwards, each would cost the main process alone, with a core idle, a
scan of its table (some 1 GB of records at 10,000 articles; 0.9-1.1 CPU s for the links'
and names' two indexes of short keys); kept up to date, about as much while the merge's
processes run (their rows come in the order of (section, id))."""


_ATTACHED = 8
"""The most parsing processes of a first build that write part files (SQLite attaches at
most 10 files at once; with more processes, the building process writes their rows)."""


def _run(
    store: Store,
    schema: Schema,
    article_files: Mapping[str, tuple[Path, str]],
    contents: Mapping[str, Path],
    ann_digests: Mapping[str, str],
    date_order: DateOrder | None,
    jobs: int,
) -> BuildResult:
    """One build against ``store`` (left inside its transaction, to be committed)."""
    problems: list[Problem] = []
    store.begin()
    store.db.execute("DELETE FROM meta WHERE k = 'key'")
    ids, digests = inc.read_articles(
        store, schema, article_files, date_order, problems, lambda f, a: _forked_map(f, a, jobs)
    )
    # Not committed here: the parsing processes never read the store (the documents are read
    # before they fork), and a commit would wait for the articles to reach the disk (about
    # 160 MB at 10,000 articles) while no other process works.
    # What parsing holds (every document, the index of every declaration) is let go before
    # the merge forks its processes: what the main process holds then, the pool holds too.
    documents = LazyDocuments(store, ids)
    touched, jobs, settle = _parse(store, schema, documents, digests, contents, ann_digests, jobs)
    # The merge reads the documents parsing read (every one, with processes) again from the
    # store: those it has are handed over (immutable, and the same), not read again.
    read = documents.loaded
    if settle is None:
        return merge_and_write(store, schema, contents, ids, touched, problems, jobs, read=read)
    first = merge_and_write(
        store, schema, contents, ids, touched, list(problems), jobs, settle, read=read
    )
    if not touched.records:  # no file parsed again when its references were checked
        return first
    # Merged before the files whose references resolved anew were parsed again: their
    # records are merged again, as after an edit.
    return merge_and_write(store, schema, contents, ids, touched, problems, jobs, read=read)


def _parse(
    store: Store,
    schema: Schema,
    documents: LazyDocuments,
    digests: Mapping[str, str],
    contents: Mapping[str, Path],
    ann_digests: Mapping[str, str],
    jobs: int,
) -> tuple[inc.Touched, int, Callable[[], None] | None]:
    """Parse the changed annotation files into ``store`` and resolve their references:
    what changed, the processes to merge it in (``jobs`` 0: decided here), and, for a
    first build whose parsing processes wrote part files, what is still to do before the
    store holds every file's rows and their references are checked: done by the merge
    meanwhile (see :meth:`kg.records._Merger.merge_parts`)."""
    builder = _Builder(schema, documents, digests)
    known = {
        row[0]: row[1:]
        for row in store.rows("SELECT shown, digest, article, document, parsed FROM files")
    }
    changed: list[str] = []
    for shown in contents:
        row = known.get(shown)
        hit = (
            row is not None
            and row[0] == ann_digests[shown]
            and (row[1] is None or row[1] == digests.get(row[2]))
            and (row[1] is not None or not row[3])
        )
        if not hit:
            changed.append(shown)
    if jobs < 1:  # the machine's cores, when enough files changed to be worth it
        jobs = _cores() if len(changed) >= _MANY else 1
    gone = [shown for shown in known if shown not in contents]
    touched = inc.Touched()
    for shown in gone:
        inc.drop_file(store, shown, touched)
    parts = None
    if not known:  # a first build: the store's tables are filled in bulk, indexed after
        store.drop_indexes(_BULK)
        if store.path is not None:
            store.drop_leftover_parts()
            parts = store.path if 1 < jobs <= _ATTACHED else None
    # A first build in processes: what it touches is not kept (everything is merged, every
    # reference checked), only each file's row, in the files' order.
    for rows in _read_files(builder, {s: contents[s] for s in changed}, ann_digests, jobs, parts):
        inc.put_file(store, rows, touched)

    def settle() -> None:
        """Copy the parsing processes' parts in, index, check the references."""
        if parts is not None:
            store.copy_in(store.parsed_parts(), PARSED)
            store.create_indexes(PARSED)
        store.create_indexes(("descs",))  # those of idx and refs when first needed (or later)
        # References resolve against every file's declarations: re-parse the files whose
        # references an edit (or a first parse, made with only the file itself) resolves anew.
        check, keys = set(changed), touched.pop_keys()
        while check or keys:
            index = inc.StoreIndex(store, everything=len(check) > 200)
            again = {
                s
                for s, ref, found in inc.resolutions(store, check, keys)
                if index.resolve(ref) != found
            }
            if again:
                store.create_indexes(("idx", "refs"))
            for shown in sorted(again):
                result = builder.read_file(contents[shown], shown, index.resolve)
                inc.put_file(store, inc.file_rows(result, ann_digests[shown]), touched, again=True)
            check, keys = set(), touched.pop_keys()

    if parts is None:
        settle()
        return touched, jobs, None
    # The merge's processes read the parts (each indexed in the merge's order, here in
    # processes), while this one copies them in and checks the references (``settle``).
    for _ in _forked_map(order_part, store.parsed_parts(), jobs):
        pass
    return touched, jobs, settle

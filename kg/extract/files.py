"""Extract many files: write one draft per article, keep going past bad files, build a graph."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kg.build import BuildResult, build_graph
from kg.dates import DateOrder
from kg.documents import date_warning
from kg.errors import KgError
from kg.gcpause import gc_paused
from kg.graphjson import write_graph_json
from kg.schema import Schema
from kg.yamlio import display_path

from .draft import render_draft
from .pipeline import Extractor
from .reader import INPUT_SUFFIXES, read_input

__all__ = ["FileOutcome", "build_drafts_graph", "collect_inputs", "extract_files"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input file: the draft written, or the error that stopped it."""

    path: str
    document: str | None = None
    draft_path: Path | None = None
    article_path: Path | None = None
    """The article the draft belongs to (a converted copy for HTML and PDF input)."""
    counts: tuple[tuple[str, int], ...] = ()
    error: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    def row(self) -> dict[str, object]:
        counts = dict(self.counts)
        return {
            "file": self.path,
            "document": self.document,
            "status": "ok" if self.ok else "error",
            "entities": counts.get("entities"),
            "incidents": counts.get("incidents"),
            "claims": counts.get("claims"),
            "relations": counts.get("relations"),
            "draft": str(self.draft_path) if self.draft_path else None,
            "error": self.error,
        }


@dataclass(frozen=True)
class _Extracted:
    """One file's extraction, made in a worker process: texts to write, or the error."""

    shown: str
    document: str | None = None
    stem: str = ""
    draft: str = ""
    converted: str | None = None
    counts: tuple[tuple[str, int], ...] = ()
    error: str | None = None
    warning: str | None = None


def collect_inputs(paths: Sequence[Path]) -> list[Path]:
    """The files to extract: files as given, folders searched recursively (sorted) for the
    suffixes extract reads. Symlinked folders are not followed, so a link loop cannot hang."""
    found: list[Path] = []
    for path in paths:
        if not (path.is_dir() and not path.is_symlink()):
            found.append(path)
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(
                Path(folder) / name
                for name in sorted(files)
                if Path(name).suffix.lower() in INPUT_SUFFIXES and not name.startswith(".")
            )
    return found


_WORKER: tuple[Extractor, DateOrder | None] | None = None


def _init_worker(extractor: Extractor, order: DateOrder | None) -> None:
    global _WORKER
    _WORKER = (extractor, order)


def _extract(path: Path) -> _Extracted:
    assert _WORKER is not None
    extractor, order = _WORKER
    shown = display_path(path)
    try:
        with gc_paused():  # reading, extracting and rendering make no cycles
            doc, converted = read_input(path, order)
            draft = extractor.extract(doc)
            rendered = render_draft(draft)
    except KgError as exc:
        return _Extracted(shown, error=str(exc))
    except RecursionError:
        return _Extracted(shown, error=f"{shown}: too deeply nested to read")
    warning = date_warning(doc)
    return _Extracted(
        shown,
        doc.id,
        draft.stem,
        rendered,
        converted,
        tuple(draft.counts().items()),
        warning=f"{shown}: {warning}" if warning else None,
    )


def _write_keeping(target: Path, text: str, force: bool) -> tuple[Path, str | None]:
    """Write ``text`` to ``target``; an existing different file is kept unless ``force``, and
    the text goes beside it (``NAME.1.yaml``...). Returns the path written and a notice."""
    if target.is_file() and target.read_text("utf-8", errors="replace") == text:
        return target, None
    if not target.exists() or force:
        target.write_text(text, encoding="utf-8")
        return target, None
    n = 1
    while (beside := target.with_name(f"{target.stem}.{n}{target.suffix}")).exists():
        if beside.read_text("utf-8", errors="replace") == text:
            return beside, None
        n += 1
    beside.write_text(text, encoding="utf-8")
    notice = (
        f"{display_path(target)} exists: wrote {display_path(beside)} beside it (--force replaces)"
    )
    return beside, notice


def _save(
    result: _Extracted, path: Path, out_dir: Path, seen: dict[str, str], force: bool
) -> FileOutcome:
    if result.error is not None or result.document is None:
        return FileOutcome(result.shown, error=result.error)
    if result.document in seen:
        first = seen[result.document]
        error = f"{result.shown}: document id {result.document} is also used by {first}"
        return FileOutcome(result.shown, error=error)
    seen[result.document] = result.shown
    out_dir.mkdir(parents=True, exist_ok=True)
    notices = [result.warning] if result.warning else []
    article = path
    if result.converted is not None:
        # The converted text names its document id, so a copy written beside keeps it.
        article, notice = _write_keeping(out_dir / f"{result.stem}.md", result.converted, force)
        notices += [notice] if notice else []
    draft, notice = _write_keeping(out_dir / f"{result.stem}.yaml", result.draft, force)
    notices += [notice] if notice else []
    return FileOutcome(
        result.shown, result.document, draft, article, result.counts, warnings=tuple(notices)
    )


def extract_files(
    paths: Sequence[Path],
    extractor: Extractor,
    out_dir: Path,
    *,
    date_order: DateOrder | None = None,
    force: bool = False,
    jobs: int = 1,
) -> Iterator[FileOutcome]:
    """Extract each file, yielding outcomes in input order; a bad file does not stop the others.

    With ``jobs`` > 1 the files are read and extracted in a pool of processes, each worker
    with the extractor it inherited, handed files a few at a time; the drafts are written
    here, in input order, so they are the same as with one process.
    """
    seen: dict[str, str] = {}
    if jobs <= 1 or len(paths) <= 1:
        _init_worker(extractor, date_order)
        for path in paths:
            yield _save(_extract(path), path, out_dir, seen, force)
        return
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(extractor, date_order)
    ) as pool:
        chunk = max(1, min(16, len(paths) // (jobs * 8)))  # fewer round trips, still balanced
        for path, result in zip(paths, pool.map(_extract, paths, chunksize=chunk), strict=True):
            yield _save(result, path, out_dir, seen, force)


def build_drafts_graph(
    outcomes: Sequence[FileOutcome],
    schema: Schema,
    target: Path,
    date_order: DateOrder | None = None,
) -> BuildResult:
    """Build the drafts with their articles, as ``kg build`` would, and write graph.json there.

    The articles are the input files themselves (or the text converted from an HTML page), so
    the graph is the one ``kg build`` makes once the drafts are moved into ``seeds/``.
    Nothing is written when the drafts do not validate.
    """
    done = [o for o in outcomes if o.ok and o.draft_path is not None and o.article_path is not None]
    articles = [o.article_path for o in done if o.article_path is not None]
    drafts = [o.draft_path for o in done if o.draft_path is not None]
    result = build_graph(schema, articles, drafts, date_order=date_order)
    if result.ok:
        write_graph_json(result.graph, schema, target)
    return result

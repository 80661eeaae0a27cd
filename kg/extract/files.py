"""Extract many files: write one draft per article, keep going past bad files, build a graph."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.build import BuildResult, build_graph
from kg.errors import InputError, KgError, Location
from kg.graphjson import write_graph_json
from kg.schema import Schema
from kg.yamlio import display_path

from .draft import Draft, render_draft
from .pipeline import Extractor
from .reader import read_input

__all__ = ["FileOutcome", "build_drafts_graph", "extract_files"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input file: the draft written, or the error that stopped it."""

    path: str
    document: str | None = None
    draft_path: Path | None = None
    article_path: Path | None = None
    """The article the draft belongs to (a converted copy for HTML input)."""
    counts: tuple[tuple[str, int], ...] = ()
    error: str | None = None

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


def _extract_one(
    path: Path, extractor: Extractor, out_dir: Path, seen: dict[str, str]
) -> FileOutcome:
    shown = display_path(path)
    try:
        if path.is_dir():
            raise InputError("is a folder, not an article file", Location(shown))
        doc, converted = read_input(path)
        if doc.id in seen:
            raise InputError(
                f"document id {doc.id} is also used by {seen[doc.id]}", Location(shown)
            )
        draft: Draft = extractor.extract(doc)
    except KgError as exc:
        return FileOutcome(shown, error=str(exc))
    seen[doc.id] = shown
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{draft.stem}.yaml"
    target.write_text(render_draft(draft), encoding="utf-8")
    article = path
    if converted is not None:
        article = out_dir / f"{draft.stem}.md"
        article.write_text(converted, encoding="utf-8")
    return FileOutcome(shown, doc.id, target, article, tuple(draft.counts().items()))


def extract_files(
    paths: Sequence[Path], extractor: Extractor, out_dir: Path
) -> Iterator[FileOutcome]:
    """Extract each file in turn, yielding its outcome; a bad file does not stop the others."""
    seen: dict[str, str] = {}
    for path in paths:
        yield _extract_one(path, extractor, out_dir, seen)


def build_drafts_graph(
    outcomes: Sequence[FileOutcome], schema: Schema, target: Path
) -> BuildResult:
    """Build the drafts with their articles, as ``kg build`` would, and write graph.json there.

    The articles are the input files themselves (or the text converted from an HTML page), so
    the graph is the one ``kg build`` makes once the drafts are moved into ``seeds/``.
    Nothing is written when the drafts do not validate.
    """
    done = [o for o in outcomes if o.ok and o.draft_path is not None and o.article_path is not None]
    articles = [o.article_path for o in done if o.article_path is not None]
    drafts = [o.draft_path for o in done if o.draft_path is not None]
    result = build_graph(schema, articles, drafts)
    if result.ok:
        write_graph_json(result.graph, schema, target)
    return result

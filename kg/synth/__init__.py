"""Synthetic workspaces: realistic articles with curated-style annotations, from a seed."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, WorkspaceError
from kg.forked import in_ranges
from kg.init import init_workspace
from kg.schema import load_schema
from kg.synth.article import Article, write_article
from kg.synth.emit import annotation_yaml, article_markdown, scalar
from kg.synth.world import build_world

__all__ = ["Article", "SynthReport", "synth_workspace"]

PREFIX = "synth-"
"""File names of generated articles start with this; ``force`` replaces only such files."""


@dataclass(frozen=True)
class SynthReport:
    """What was written: counts summed over the annotation files (before merging)."""

    out: Path
    articles: int
    words: int
    entity_mentions: int
    incidents: int
    claims: int
    relations: int
    world_entities: int


def _clear(folder: Path, force: bool) -> None:
    existing = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    foreign = [p for p in existing if not p.name.startswith(PREFIX)]
    if foreign:
        raise WorkspaceError(f"{folder} holds files kg synth did not write ({foreign[0].name})")
    if existing and not force:
        raise WorkspaceError(f"{folder} is not empty; use --force to replace the synthetic files")
    for path in existing:
        path.unlink()


class _Declared(set[str]):
    """``World.declared`` that also lists the ids added to it (the ones declared in full)."""

    def __init__(self) -> None:
        super().__init__()
        self.added: list[str] = []

    def add(self, item: str) -> None:
        self.added.append(item)
        super().add(item)


@dataclass
class _Range:
    """What one process wrote: counts, and per article its file and the entities it declared
    in full (as if no article before its range had declared any)."""

    totals: dict[str, int]
    written: list[tuple[Path, list[str]]]


_MANY = 64
"""Articles from which ``jobs`` 0 (the default) means every core."""


def _short_declarations(path: Path, ids: set[str]) -> None:
    """Rewrite the entities ``ids`` of an annotation file as declared already: ``id``,
    ``type``, ``name`` (then ``evidence``), without the lines of a full declaration."""
    heads = {f"  - id: {scalar(entity_id)}" for entity_id in ids}
    lines = path.read_bytes().decode("utf-8").split("\n")
    kept: list[str] = []
    section, index = "", 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line and not line.startswith((" ", "#")):
            section = line.split(":", 1)[0]
        kept.append(line)
        if section == "entities" and line in heads:
            kept.extend(lines[index : index + 2])  # type, name
            index += 2
            while index < len(lines) and lines[index].startswith("    "):
                if lines[index].startswith("    evidence:"):
                    break
                index += 1
    path.write_bytes("\n".join(kept).encode("utf-8"))


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def synth_workspace(
    out: Path,
    articles: int,
    seed: int = 0,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> SynthReport:
    """Write a workspace of ``articles`` synthetic articles and annotations into ``out``.

    The workspace gets the default schema and queries (``kg init``). The same ``articles``
    and ``seed`` give byte-identical files, with any ``jobs``. ``progress`` is called with
    each article count written. With ``force``, files of an earlier run are replaced.

    Each article draws on its own seeded generator; only whether an entity is declared in
    full (by the first article naming it) depends on the articles before. ``jobs`` processes
    (0: every core from _MANY articles) write a contiguous range each as if it came first;
    then the entities an earlier range declared are cut back to short declarations.
    """
    if articles < 1:
        raise InputError(f"--articles must be at least 1, not {articles}")
    articles_dir, annotations_dir = out / "seeds" / "articles", out / "seeds" / "annotations"
    for folder in (articles_dir, annotations_dir):
        _clear(folder, force)
    init_workspace(out, force=force)
    schema = load_schema(out / "schema")
    world = build_world(random.Random(f"kg-synth:{seed}:world"), schema, articles)

    def write(start: int, stop: int) -> _Range:
        declared = world.declared = _Declared()
        totals = {"words": 0, "entities": 0, "incidents": 0, "claims": 0, "relations": 0}
        written: list[tuple[Path, list[str]]] = []
        for index in range(start, stop):
            rng = random.Random(f"kg-synth:{seed}:article:{index}")
            article = write_article(world, schema, rng, index)
            header = (
                f"Synthetic annotation written by kg synth (seed {seed}), "
                f"article {index} of {articles}.",
            )
            (articles_dir / f"{article.stem}.md").write_bytes(
                article_markdown(article.front, article.text).encode("utf-8")
            )
            path = annotations_dir / f"{article.stem}.yaml"
            path.write_bytes(annotation_yaml(article.annotation, header).encode("utf-8"))
            written.append((path, declared.added))
            declared.added = []
            totals["words"] += len(article.text.split())
            for section in ("entities", "incidents", "claims", "relations"):
                totals[section] += len(article.annotation[section])
            if progress is not None and start == 1:
                progress(index)
        return _Range(totals, written)

    if jobs < 1:
        jobs = _cores() if articles >= _MANY else 1
    jobs = max(1, min(jobs, articles))
    ranges = in_ranges(write, [1 + articles * k // jobs for k in range(jobs + 1)])
    if progress is not None:
        progress(articles)
    before: set[str] = set()
    for part in ranges:
        for path, ids in part.written:
            again = before.intersection(ids)
            if again:
                _short_declarations(path, again)
        for _, ids in part.written:
            before.update(ids)
    totals = {key: sum(part.totals[key] for part in ranges) for key in ranges[0].totals}
    return SynthReport(
        out=out,
        articles=articles,
        words=totals["words"],
        entity_mentions=totals["entities"],
        incidents=totals["incidents"],
        claims=totals["claims"],
        relations=totals["relations"],
        world_entities=len(world.actors),
    )

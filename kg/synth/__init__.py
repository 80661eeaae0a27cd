"""Synthetic workspaces: realistic articles with curated-style annotations, from a seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, WorkspaceError
from kg.init import init_workspace
from kg.schema import load_schema
from kg.synth.article import Article, write_article
from kg.synth.emit import annotation_yaml, article_markdown
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


def synth_workspace(
    out: Path,
    articles: int,
    seed: int = 0,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SynthReport:
    """Write a workspace of ``articles`` synthetic articles and annotations into ``out``.

    The workspace gets the default schema and queries (``kg init``). The same ``articles``
    and ``seed`` give byte-identical files. ``progress`` is called with each article count
    written. With ``force``, files of an earlier run are replaced.
    """
    if articles < 1:
        raise InputError(f"--articles must be at least 1, not {articles}")
    articles_dir, annotations_dir = out / "seeds" / "articles", out / "seeds" / "annotations"
    for folder in (articles_dir, annotations_dir):
        _clear(folder, force)
    init_workspace(out, force=force)
    schema = load_schema(out / "schema")
    world = build_world(random.Random(f"kg-synth:{seed}:world"), schema, articles)
    totals = {"words": 0, "entities": 0, "incidents": 0, "claims": 0, "relations": 0}
    for index in range(1, articles + 1):
        rng = random.Random(f"kg-synth:{seed}:article:{index}")
        article = write_article(world, schema, rng, index)
        header = (
            f"Synthetic annotation written by kg synth (seed {seed}), "
            f"article {index} of {articles}.",
        )
        (articles_dir / f"{article.stem}.md").write_bytes(
            article_markdown(article.front, article.text).encode("utf-8")
        )
        (annotations_dir / f"{article.stem}.yaml").write_bytes(
            annotation_yaml(article.annotation, header).encode("utf-8")
        )
        totals["words"] += len(article.text.split())
        for section in ("entities", "incidents", "claims", "relations"):
            totals[section] += len(article.annotation[section])
        if progress is not None:
            progress(index)
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

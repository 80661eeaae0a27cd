"""Commands that draft annotations from raw articles and score drafts: extract, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli import AppContext, pass_app
from kg.cli.output import jobs_option, render
from kg.dates import date_order
from kg.errors import InputError, Location, ValidationFailed
from kg.extract.evalreport import (
    AGREEMENT_COLUMNS,
    DOCUMENT_COLUMNS,
    SCORE_COLUMNS,
    agreement_rows,
    document_rows,
    result_to_dict,
    score_rows,
)
from kg.extract.evaluate import evaluate
from kg.extract.files import FileOutcome, build_drafts_graph, collect_inputs, extract_files
from kg.extract.gazetteer import locate_gazetteer
from kg.extract.pipeline import load_extractor
from kg.stats import summary_line

__all__ = ["COMMANDS"]

_SUMMARY = ["file", "document", "status", "entities", "incidents", "claims", "relations", "draft"]


_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the drafts (default: exports/drafts in the workspace).",
)
@click.option(
    "--graph",
    "graph_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also build the drafts with their articles and write graph.json here.",
)
@click.option(
    "--gazetteer",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Gazetteer file (default: seeds/gazetteer.yaml in the workspace).",
)
@jobs_option("Extract in this many processes (the drafts are the same).")
@click.option(
    "--force", is_flag=True, help="Replace existing drafts and articles in --out (default: keep)."
)
@_format_option
@pass_app
def extract(
    app: AppContext,
    files: tuple[Path, ...],
    out_dir: Path | None,
    graph_path: Path | None,
    gazetteer: Path | None,
    jobs: int,
    force: bool,
    fmt: str,
) -> None:
    """Draft annotations for articles the workspace has never seen.

    Reads Markdown, text with a `key: value` header, web pages (.html) and PDFs; a FOLDER is
    searched recursively. Writes one reviewable draft per article, in the same YAML format
    as seeds/annotations/, each item noted with the rule that proposed it. For a web page or
    PDF it also writes the article text it read (NAME.md), since the draft's quotes refer
    to that text. Review a draft, then move it (and its article) into seeds/ and run
    `kg validate`. An existing draft or article is never replaced without --force: the new
    one is written beside it (NAME.1.yaml) and the command says so.

    A file that cannot be read is reported by name; the others are still processed, and
    the command exits with 1 at the end. An article whose date cannot be read is extracted
    undated, with a warning.

    \b
    Example:
      kg extract new/ --out drafts/ --jobs 2
      kg extract article.txt page.html report.pdf --graph /tmp/draft-graph.json
    """
    schema = app.workspace.load_schema()
    order = date_order(app.setting("dates.order"))  # checked when kg.toml is read
    source = locate_gazetteer(app.workspace.seeds_dir, gazetteer)
    click.echo(("kg: warning: " if source.warning else "") + source.message, err=True)
    extractor = load_extractor(schema, app.workspace.seeds_dir, source.path)
    target = out_dir or app.workspace.exports_dir / "drafts"
    paths = collect_inputs(files)
    if not paths:
        raise InputError(
            "no article files found (.md, .txt, .html, .pdf ...)", Location(str(files[0]))
        )
    stream = extract_files(paths, extractor, target, date_order=order, force=force, jobs=jobs)
    outcomes: list[FileOutcome] = []
    if len(paths) > 1 or sys.stderr.isatty():
        with click.progressbar(
            stream, length=len(paths), label="extracting", file=sys.stderr
        ) as bar:
            outcomes = list(bar)
    else:
        outcomes = list(stream)
    for outcome in outcomes:
        for warning in outcome.warnings:
            click.echo(f"kg: warning: {warning}", err=True)
        if not outcome.ok:
            click.echo(f"kg: error: {outcome.error}", err=True)
    rows = [outcome.row() for outcome in outcomes]
    click.echo(render(rows, _SUMMARY + (["error"] if fmt == "json" else []), fmt))
    if graph_path is not None:
        result = build_drafts_graph(outcomes, schema, graph_path, order)
        for problem in result.problems:
            click.echo(str(problem), err=True)
        if not result.ok:
            raise ValidationFailed(list(result.errors))
        click.echo(f"wrote {graph_path}: {summary_line(result.graph)}", err=True)
    if any(not o.ok for o in outcomes):
        raise click.exceptions.Exit(1)


@click.command("eval")
@click.option(
    "--gold",
    "gold_dir",
    required=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of curated annotation files.",
)
@click.option(
    "--pred",
    "pred_dir",
    required=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of predicted (draft) annotation files.",
)
@click.option(
    "--articles",
    "article_dirs",
    multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of the articles (repeatable; default: next to the annotations, "
    "an 'articles' folder beside them, and seeds/articles).",
)
@_format_option
@pass_app
def eval_command(
    app: AppContext, gold_dir: Path, pred_dir: Path, article_dirs: tuple[Path, ...], fmt: str
) -> None:
    """Score draft annotations against curated ones: precision, recall and F1.

    Entities match by type and a shared name or alias (case-insensitive); Groups and
    Sources are scored apart. Each gold item is matched at most once: incidents on a
    compatible kind and overlapping quotes, claims on speaker and quote, relations on
    type, source and target (unquoted background relations apart). Prints totals, counts
    per entity type, incident kind, claim stance and relation type, how often matched
    incidents agree on kind, date and place and claims on stance, a per-document table
    and every miss, false positive and mismatch.

    \b
    Example:
      kg extract tests/fixtures/corpus/articles/* --out /tmp/pred
      kg eval --gold tests/fixtures/corpus/annotations --pred /tmp/pred
    """
    schema = app.workspace.load_schema()
    dirs = [*article_dirs, app.workspace.seeds_dir / "articles"]
    result = evaluate(gold_dir, pred_dir, schema, dirs)
    if fmt == "json":
        click.echo(json.dumps(result_to_dict(result), indent=2, ensure_ascii=False))
        return
    for problem in result.problems:
        click.echo(problem, err=True)
    click.echo(render(score_rows(result), SCORE_COLUMNS, "table"))
    click.echo("")
    click.echo(render(agreement_rows(result), AGREEMENT_COLUMNS, "table"))
    click.echo("")
    click.echo(render(document_rows(result), DOCUMENT_COLUMNS, "table"))
    if result.findings:
        click.echo("")
        rows = [
            {"document": f.document, "category": f.category, "kind": f.kind, "item": f.item}
            for f in result.findings
        ]
        click.echo(render(rows, ["document", "category", "kind", "item"], "table"))
    for doc in result.unmatched:
        click.echo(f"not scored (annotated in one set only): {doc}", err=True)


COMMANDS = [extract, eval_command]

"""``kg synth``: write a synthetic workspace for tests, demos and benchmarks."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.output import jobs_option

__all__ = ["COMMANDS"]


@click.command()
@click.option(
    "--articles",
    type=click.IntRange(min=1),
    required=True,
    help="How many articles (each with its annotation file) to write.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder of the new workspace (created; schema and queries are copied in).",
)
@click.option("--force", is_flag=True, help="Replace the files of an earlier kg synth run.")
@jobs_option(
    "Write in this many processes (0: every core from 64 articles); the same files.",
    every_core=True,
)
def synth(articles: int, seed: int, out: Path, force: bool, jobs: int) -> None:
    """Write a workspace of realistic synthetic articles with curated-style annotations.

    Made-up countries, places, organisations and people are reused across articles with
    Zipf-distributed frequencies (a few actors appear in thousands of articles, most in a
    few); each article has about 13 incidents, 11 claims and 35 relations, every one with a
    quote taken verbatim from its text. The same --articles and --seed give byte-identical
    files. The result passes 'kg validate' and builds with 'kg build'.

    \b
    Example:
      kg synth --articles 1000 --seed 1 --out /tmp/synthetic
      kg --workspace /tmp/synthetic validate
      kg --workspace /tmp/synthetic build
    """
    from kg.synth import synth_workspace  # imported on use: the CLI starts without it

    with click.progressbar(length=articles, label="writing articles", file=None) as bar:
        last = 0

        def progress(done: int) -> None:
            nonlocal last
            bar.update(done - last)
            last = done

        report = synth_workspace(out, articles, seed, force=force, progress=progress, jobs=jobs)
    click.echo(
        f"wrote {out}: {report.articles} articles ({report.words} words) with "
        f"{report.incidents} incidents, {report.claims} claims and {report.relations} relations "
        f"(summed over the annotation files), drawing on {report.world_entities} entities"
    )


COMMANDS = [synth]

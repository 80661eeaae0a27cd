"""Throughput of `kg extract` (words per second) next to spaCy's tokenizer alone on the same text.

The corpus is generated deterministically by recombining the sentences of the workspace's
articles and of the test-fixture articles into documents of about 400 words, each with a
header block and a date. `kg extract`'s full path is timed: read, extract, write the draft.

    python bench/bench_extract.py            # >= 1,000,000 words, median of 3 runs
    python bench/bench_extract.py --quick    # a small corpus, one run (for tests)

A second table shows that extraction time grows linearly with the length of one article:
single articles of 10 KB to 20 MB, made of recombined sentences in 400-word sections, are
extracted in-process and the CPU seconds per MB are compared with those of the shortest
article (flat means within 2x); the peak memory (RSS) of the process is shown beside them.
Lengths whose predecessor took longer than ``--budget`` seconds are skipped.

    python bench/bench_extract.py --words 20000 --runs 1   # the length table, quickly
"""

from __future__ import annotations

import argparse
import functools
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.documents import ARTICLE_SUFFIXES  # noqa: E402
from kg.extract.files import extract_files  # noqa: E402
from kg.extract.pipeline import Extractor, load_extractor  # noqa: E402
from kg.extract.reader import read_input  # noqa: E402
from kg.schema import load_schema  # noqa: E402

__all__ = ["generate_corpus", "main"]

SOURCES = [ROOT / "seeds" / "articles", ROOT / "tests" / "fixtures" / "corpus" / "articles"]


@functools.cache
def _sentences() -> list[str]:
    """The sentences (of more than three words) of the source articles, read once."""
    found: list[str] = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*")):
            if path.suffix not in (*ARTICLE_SUFFIXES, ".html"):
                continue
            doc, _ = read_input(path)
            found += [doc.text[s:e] for s, e in doc.sentences if len(doc.text[s:e].split()) > 3]
    return found


def _body(rng: random.Random, words: int) -> tuple[list[str], int]:
    """Paragraphs of 2 to 5 sentences drawn at random, until ``words`` words."""
    sentences = _sentences()
    body: list[str] = []
    count = 0
    while count < words:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
        body.append(paragraph)
        count += len(paragraph.split())
    return body, count


def generate_corpus(folder: Path, words: int, seed: int = 7) -> tuple[int, list[Path]]:
    """Write documents of recombined sentences until ``words`` words; returns (words, paths)."""
    rng = random.Random(seed)
    total, paths, n = 0, [], 0
    while total < words:
        body, count = _body(rng, 400)
        year, month = rng.randint(2001, 2023), rng.randint(1, 12)
        path = folder / f"bench-{n:05d}.txt"
        path.write_text(
            f"title: Bench document {n}\ndate: {year}-{month:02d}\n---\n"
            + "\n\n".join(body)
            + "\n",
            encoding="utf-8",
        )
        paths.append(path)
        total += count
        n += 1
    return total, paths


def _size(text: str) -> int:
    """``10k``, ``1m`` or a plain number of bytes."""
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:].casefold(), 1)
    return int(float(text.rstrip("kKmM")) * scale)


def long_article(folder: Path, size: int, seed: int = 11) -> Path:
    """One article of at least ``size`` bytes: recombined sentences in 400-word sections, as
    if generated documents were run together (cheap: the sources are read only once)."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        body, _ = _body(rng, 400)
        parts.append("\n\n".join(body) + "\n")
        total += len(parts[-1].encode())
    path = folder / f"long-{size}.txt"
    path.write_text(
        "title: Long article\ndate: 2012-06-01\n---\n" + "\n".join(parts), encoding="utf-8"
    )
    return path


def linearity(extractor: Extractor, folder: Path, sizes: list[int], budget: float) -> list[str]:
    """Markdown rows: article length, CPU seconds per MB, its ratio to the shortest's, and the
    process's peak memory. Short articles are extracted repeatedly (for at least 2 seconds) and
    the median run is kept; CPU time is this process's own, so other load hardly counts."""
    rows = [
        "| article length | words | runs | CPU s per MB | vs shortest | wall s | CPU s"
        " | peak RSS MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    first: float | None = None
    last = 0.0
    for size in sizes:
        if last > budget:
            rows.append(f"| {size / 1e6:,.2f} MB | - | - | skipped | - | - | - | - |")
            continue
        doc, _ = read_input(long_article(folder, size))
        wall: list[float] = []
        cpu: list[float] = []
        while not wall or (sum(wall) < 2.0 and len(wall) < 50):
            start, start_cpu = time.perf_counter(), time.process_time()
            extractor.extract(doc)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        last, used = statistics.median(wall), statistics.median(cpu)
        mb = len(doc.text.encode()) / 1e6
        first = first or used / mb
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(
            f"| {mb:,.2f} MB | {len(doc.text.split()):,} | {len(wall)} | {used / mb:.2f} |"
            f" {used / mb / first:.2f}x | {last:.2f} | {used:.2f} | {peak:,.0f} |"
        )
        del doc
    return rows


def _time(fn: Callable[[], None], runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of ``runs`` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=1_000_000, help="corpus size in words")
    parser.add_argument("--runs", type=int, default=3, help="runs (the median is reported)")
    parser.add_argument("--quick", action="store_true", help="20,000 words, one run")
    parser.add_argument(
        "--lengths",
        default="10k,100k,1m,5m,20m",
        help="article lengths for the linearity table (quick: 10k,40k,160k)",
    )
    parser.add_argument(
        "--budget", type=float, default=600.0, help="skip longer articles after a slower run"
    )
    args = parser.parse_args(argv)
    words_wanted, runs = (20_000, 1) if args.quick else (args.words, args.runs)
    schema = load_schema(ROOT / "schema")
    extractor = load_extractor(schema, ROOT / "seeds")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as scratch:
        corpus, out = Path(scratch) / "corpus", Path(scratch) / "drafts"
        corpus.mkdir()
        words, paths = generate_corpus(corpus, words_wanted)
        texts = [read_input(p)[0].text for p in paths]

        def run_extract() -> None:
            for outcome in extract_files(paths, extractor, out):
                if not outcome.ok:
                    raise SystemExit(f"bench: {outcome.error}")

        extract_times = _time(run_extract, runs)
        try:
            import spacy

            nlp = spacy.blank("en")

            def run_spacy() -> None:
                for text in texts:
                    nlp.tokenizer(text)

            spacy_times: tuple[float, float] | None = _time(run_spacy, runs)
        except ImportError:
            spacy_times = None
        lengths = "10k,40k,160k" if args.quick else args.lengths
        linear = linearity(
            extractor, Path(scratch), [_size(x) for x in lengths.split(",")], args.budget
        )
    print(f"Corpus: {words:,} words in {len(paths):,} documents; median of {runs} run(s).")
    print("CPU words/s counts this process's CPU time only (the machine may be shared).\n")
    print("| what | wall seconds | words/s | CPU words/s | vs spaCy tokenizer (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    wall, cpu = extract_times
    ours = f"| kg extract (read, extract, write draft) | {wall:.2f} | {words / wall:,.0f} |"
    ours += f" {words / cpu:,.0f} |"
    if spacy_times is not None:
        s_wall, s_cpu = spacy_times
        print(f"{ours} {s_cpu / cpu:.3f}x |")
        spacy_row = f"| spaCy tokenizer alone (spacy.blank('en')) | {s_wall:.2f} |"
        print(f"{spacy_row} {words / s_wall:,.0f} | {words / s_cpu:,.0f} | 1.000x |")
    else:
        print(f"{ours} n/a |")
        print("| spaCy tokenizer alone | n/a (spaCy not installed) | n/a | n/a | n/a |")
    print("\nOne long article, in-process `extract` only (time per MB flat = linear):\n")
    print("\n".join(linear))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

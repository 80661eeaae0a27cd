"""CPU seconds of each extraction stage, in-process, on the generated throughput corpus.

    python bench/extract_stages.py              # 60,000 words, 2 warm-up runs, mean of 5
    python bench/extract_stages.py --words 20000 --runs 1

Timers wrap the entity passes (tokenizer, gazetteer, acronyms, capitalised runs, phrases,
headed names, groups) and the later stages the pipeline calls; shares are of the whole
``Extractor.extract`` time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_extract import generate_corpus  # noqa: E402

from kg.extract import entities, pipeline  # noqa: E402
from kg.extract.names import NameFinder  # noqa: E402
from kg.extract.reader import read_input  # noqa: E402
from kg.extract.registry import Registry  # noqa: E402
from kg.schema import load_schema  # noqa: E402

SPENT: defaultdict[str, float] = defaultdict(float)


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.process_time() - start

    return run


def _find_entities(doc: Any, schema: Any, gazetteer: Any) -> tuple[Registry, list[Any]]:
    """entities.find_entities, pass by pass, each timed."""
    registry = _timed("entities: registry", Registry)(
        doc, schema, gazetteer, entities.entity_types(schema)
    )
    tokens = _timed("entities: tokenizer", entities.tokenize)(doc.text)
    finder = _timed("entities: token pass", NameFinder)(registry, tokens)
    for name in ("dateline_pass", "gazetteer_pass", "acronym_pass", "run_pass", "short_mentions"):
        _timed(f"entities: {name}", getattr(finder, name))()
    _timed("entities: phrases", entities.find_phrases)(registry)
    _timed("entities: headed", entities.find_headed)(registry)
    _timed("entities: groups", entities.find_groups)(registry, tokens)
    return registry, tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", type=int, default=2)
    args = parser.parse_args()
    schema = load_schema(ROOT / "schema")
    extractor = pipeline.load_extractor(schema, ROOT / "seeds")
    pipeline.find_entities = _find_entities  # type: ignore[assignment]
    for name in [
        "find_incidents",
        "find_claims",
        "transcript_claims",
        "find_relations",
        "event_relations",
        "prune",
        "claim_incidents",
        "assemble",
        "Context",
    ]:
        setattr(pipeline, name, _timed(name, getattr(pipeline, name)))
    with tempfile.TemporaryDirectory(prefix="kg-stages-") as scratch:
        words, paths = generate_corpus(Path(scratch), args.words)
        docs = [read_input(p)[0] for p in paths]
    for _ in range(args.warm):
        for doc in docs:
            extractor.extract(doc)
    SPENT.clear()
    start = time.process_time()
    for _ in range(args.runs):
        for doc in docs:
            extractor.extract(doc)
    total = (time.process_time() - start) / args.runs
    found = sum(v for k, v in SPENT.items() if k.startswith("entities")) / args.runs
    print(
        f"{words:,} words, {len(docs)} documents: {total:.3f} CPU s, {words / total:,.0f} words/s"
    )
    print("\n| stage | CPU s | share |\n| --- | ---: | ---: |")
    print(f"| entities (all passes) | {found:.3f} | {found / total:.1%} |")
    for name, spent in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {spent / args.runs:.3f} | {spent / args.runs / total:.1%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

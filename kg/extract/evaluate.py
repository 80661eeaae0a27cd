"""Score draft annotations against gold ones: precision, recall and F1, per document, with misses.

* entities: same type and a shared name or alias (case-insensitive, quote marks normalised,
  a leading "the" ignored). Groups and Sources are scored apart from the headline entity score:
  groups are unnamed actors whose names are paraphrases ("Some analysts"), matched leniently on
  their head noun and words; sources match on outlet name and date.
* incidents, claims and relations: see :mod:`kg.extract.evalevents` (one-to-one, with kind,
  date, place and stance agreement over the matches, and counts per kind, stance and type).

Every item is matched at most once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from kg.annotations import declared_records, parse_annotation_file
from kg.dates import PartialDate
from kg.documents import document_id
from kg.errors import InputError, KgError, Location
from kg.model import Entity
from kg.schema import Schema
from kg.yamlio import LineDict, display_path, load_yaml

from .evalevents import EVENT_CATEGORIES, Loaded, merge_breakdown, score_events
from .evalmatch import Agreement, Finding, Score, date_fits, group_match, names, one_to_one
from .reader import INPUT_SUFFIXES, read_input

__all__ = [
    "CATEGORIES",
    "Agreement",
    "DocumentScores",
    "EvalResult",
    "Finding",
    "Score",
    "evaluate",
    "evaluate_records",
    "group_match",
]


def _date_fits(gold: PartialDate | None, pred: PartialDate | None) -> bool:
    return date_fits(gold, pred)


T = TypeVar("T")

CATEGORIES = ("entities", "groups", "sources", *EVENT_CATEGORIES)
_SEPARATE = ("Group", "Source")


@dataclass(frozen=True)
class DocumentScores:
    document: str
    scores: Mapping[str, Score]


@dataclass(frozen=True)
class EvalResult:
    """Scores over all documents, per document and per type, agreement rates, and every miss."""

    totals: Mapping[str, Score]
    by_type: Mapping[str, Score]
    """Entities per type."""
    documents: tuple[DocumentScores, ...]
    findings: tuple[Finding, ...]
    problems: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = field(default=())
    """Documents annotated in only one of the two sets (not scored)."""
    breakdown: Mapping[str, Mapping[str, Score]] = field(default_factory=dict)
    """Incidents per kind, claims per stance, relations per type."""
    agreement: Mapping[str, Agreement] = field(default_factory=dict)
    """Over matched pairs: incident kind, date and place, claim stance."""


def _match(
    gold: Sequence[T], pred: Sequence[T], same: Callable[[T, T], bool]
) -> tuple[list[int], list[int], int]:
    """One-to-one matching: unmatched gold indexes, unmatched pred indexes, matches."""
    pairs = one_to_one(gold, pred, lambda g, p: 1.0 if same(g, p) else None)
    matched_gold, matched_pred = {i for i, _ in pairs}, {j for _, j in pairs}
    missed = [i for i in range(len(gold)) if i not in matched_gold]
    return missed, [j for j in range(len(pred)) if j not in matched_pred], len(pairs)


def _resolver(raw: LineDict, schema: Schema) -> Callable[[str], tuple[str, str] | str]:
    types: dict[str, str] = {}
    by_name: dict[str, set[str]] = {}
    for record_id, type_name, record_names in declared_records(raw, schema):
        types.setdefault(record_id, type_name)
        for name in record_names:
            by_name.setdefault(name.casefold(), set()).add(record_id)

    def resolve(ref: str) -> tuple[str, str] | str:
        if ref in types:
            return ref, types[ref]
        found = sorted(by_name.get(ref.casefold(), ()))
        if len(found) == 1:
            return found[0], types[found[0]]
        return f"unknown or ambiguous reference {ref!r}"

    return resolve


def _find_article(stem: str, folders: Iterable[Path]) -> Path | None:
    for folder in folders:
        for suffix in INPUT_SUFFIXES:
            candidate = folder / f"{stem}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def load_set(
    folder: Path, schema: Schema, article_dirs: Sequence[Path]
) -> tuple[dict[str, Loaded], list[str]]:
    """Every annotation file of a folder, parsed against its article; problems are listed."""
    if not folder.is_dir():
        raise InputError("not a folder of annotation files", Location(display_path(folder)))
    loaded: dict[str, Loaded] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.y*ml")):
        shown = display_path(path)
        try:
            raw = load_yaml(path)
            if not isinstance(raw, LineDict) or not raw.get("document"):
                raise InputError("not an annotation file (no 'document:')", Location(shown, 1))
            stem = str(raw["document"])
            article = _find_article(stem, [*article_dirs, folder, folder.parent / "articles"])
            if article is None:
                raise InputError(
                    f"no article found for document {stem!r}",
                    Location(shown, raw.line_of("document")),
                )
            doc, _ = read_input(article)
        except KgError as exc:
            problems.append(str(exc))
            continue
        records = parse_annotation_file(raw, schema, doc, shown, _resolver(raw, schema))
        problems.extend(str(p) for p in records.problems)
        loaded[document_id(stem)] = Loaded(records, {e.id: e for e, _ in records.entities})
    return loaded, problems


def _describe_entity(e: Entity) -> str:
    return f"{e.type} {e.name!r}"


class _DocScorer:
    def __init__(self, doc: str, gold: Loaded, pred: Loaded) -> None:
        self.doc, self.gold, self.pred = doc, gold, pred
        self.scores: dict[str, Score] = {}
        self.by_type: dict[str, Score] = {}
        self.findings: list[Finding] = []

    def record(
        self,
        category: str,
        gold: Sequence[T],
        pred: Sequence[T],
        same: Callable[[T, T], bool],
        describe: Callable[[T], str],
    ) -> Score:
        missed, extra, matched = _match(gold, pred, same)
        self.findings += [Finding(self.doc, category, "miss", describe(gold[i])) for i in missed]
        self.findings += [
            Finding(self.doc, category, "false_positive", describe(pred[j])) for j in extra
        ]
        return Score(matched, len(extra), len(missed))

    def entities(self) -> None:
        gold = [e for e, _ in self.gold.records.entities]
        pred = [e for e, _ in self.pred.records.entities]
        named_gold = [e for e in gold if e.type not in _SEPARATE]
        named_pred = [e for e in pred if e.type not in _SEPARATE]
        types = sorted({e.type for e in named_gold + named_pred})
        total = Score()
        for t in types:
            score = self.record(
                "entities",
                [e for e in named_gold if e.type == t],
                [e for e in named_pred if e.type == t],
                lambda g, p: bool(names(g) & names(p)),
                _describe_entity,
            )
            self.by_type[t] = score
            total = total + score
        self.scores["entities"] = total
        self.scores["groups"] = self.record(
            "groups",
            [e for e in gold if e.type == "Group"],
            [e for e in pred if e.type == "Group"],
            group_match,
            _describe_entity,
        )
        self.scores["sources"] = self.record(
            "sources",
            [e for e in gold if e.type == "Source"],
            [e for e in pred if e.type == "Source"],
            self.same_source,
            _describe_entity,
        )

    def same_source(self, g: Entity, p: Entity) -> bool:
        outlet_g = self.gold.entities.get(str(g.properties.get("outlet")))
        outlet_p = self.pred.entities.get(str(p.properties.get("outlet")))
        date_g, date_p = g.properties.get("date"), p.properties.get("date")
        return bool(names(outlet_g) & names(outlet_p)) and (
            date_g is None or date_p is None or date_g == date_p
        )


def evaluate_records(
    gold: Mapping[str, Loaded],
    pred: Mapping[str, Loaded],
    schema: Schema,
    problems: Sequence[str] = (),
) -> EvalResult:
    """Score loaded annotation sets document by document."""
    totals = {c: Score() for c in CATEGORIES}
    by_type: dict[str, Score] = {}
    breakdown: dict[str, dict[str, Score]] = {}
    agreement: dict[str, Agreement] = {}
    documents, findings = [], []
    for doc in sorted(set(gold) & set(pred)):
        scorer = _DocScorer(doc, gold[doc], pred[doc])
        scorer.entities()
        events = score_events(doc, gold[doc], pred[doc], schema)
        scores = {**scorer.scores, **events.scores}
        documents.append(DocumentScores(doc, scores))
        findings += scorer.findings + events.findings
        for c, s in scores.items():
            totals[c] = totals[c] + s
        for t, s in scorer.by_type.items():
            by_type[t] = by_type.get(t, Score()) + s
        merge_breakdown(breakdown, events.breakdown)
        for what, a in events.agreement.items():
            agreement[what] = agreement.get(what, Agreement()) + a
    unmatched = tuple(sorted(set(gold) ^ set(pred)))
    return EvalResult(
        totals,
        dict(sorted(by_type.items())),
        tuple(documents),
        tuple(findings),
        tuple(problems),
        unmatched,
        {c: dict(sorted(t.items())) for c, t in sorted(breakdown.items())},
        dict(sorted(agreement.items())),
    )


def evaluate(
    gold_dir: Path, pred_dir: Path, schema: Schema, article_dirs: Sequence[Path] = ()
) -> EvalResult:
    """Compare the annotation files of ``pred_dir`` with those of ``gold_dir``, by document.

    Articles are looked up by document name in ``article_dirs``, next to the annotation files,
    and in an ``articles`` folder beside each annotation folder.
    """
    gold, gold_problems = load_set(gold_dir, schema, article_dirs)
    pred, pred_problems = load_set(
        pred_dir, schema, [*article_dirs, gold_dir.parent / "articles", gold_dir]
    )
    problems = [f"gold: {p}" for p in gold_problems] + [f"pred: {p}" for p in pred_problems]
    return evaluate_records(gold, pred, schema, problems)

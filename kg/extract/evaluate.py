"""Score draft annotations against gold ones: precision, recall and F1, per document, with misses.

Matching rules (documented in README_SECTION.md):

* entities: same type and a shared name or alias (case-insensitive, quote marks normalised,
  a leading "the" ignored). Groups and Sources are scored apart from the headline entity score:
  groups are unnamed actors whose names are paraphrases ("Some analysts"), matched leniently on
  their head noun and words; sources match on outlet name and date.
* incidents: same kind, compatible date and same place (by name). Dates are compatible when
  both are missing, when they agree at the coarser of their precisions, or when one is missing
  and the other has year precision only (an annotator's "2004" for an undated event).
* claims: same stance and a matching speaker (named entities by name, groups leniently).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from kg.annotations import FileRecords, declared_records, parse_annotation_file
from kg.dates import PartialDate
from kg.documents import document_id
from kg.errors import InputError, KgError, Location
from kg.model import Claim, Entity, Incident
from kg.schema import Schema
from kg.yamlio import LineDict, display_path, load_yaml

from .reader import INPUT_SUFFIXES, read_input

__all__ = [
    "CATEGORIES",
    "DocumentScores",
    "EvalResult",
    "Finding",
    "Score",
    "evaluate",
    "evaluate_records",
]

T = TypeVar("T")

CATEGORIES = ("entities", "groups", "sources", "incidents", "claims")
_SEPARATE = ("Group", "Source")
_STOP = frozenset(
    str.split(
        """
        the a an some of in on at for and to from by with its their his her two three
        four five six seven eight nine ten several many dozens hundreds thousands about
        """
    )
)


@dataclass(frozen=True)
class Score:
    """Counts of true positives, false positives and false negatives, with the derived rates."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted and nothing was expected."""
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when nothing was expected."""
        if self.tp + self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True)
class Finding:
    """A gold item the prediction missed, or a predicted item the gold lacks."""

    document: str
    category: str
    kind: str
    """``miss`` or ``false_positive``."""
    item: str


@dataclass(frozen=True)
class DocumentScores:
    document: str
    scores: Mapping[str, Score]


@dataclass(frozen=True)
class EvalResult:
    """Scores over all documents, per document and per entity type, and every miss."""

    totals: Mapping[str, Score]
    by_type: Mapping[str, Score]
    documents: tuple[DocumentScores, ...]
    findings: tuple[Finding, ...]
    problems: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = field(default=())
    """Documents annotated in only one of the two sets (not scored)."""


def _norm(name: str) -> str:
    text = " ".join(
        name.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split()
    ).casefold()
    return text[4:] if text.startswith("the ") else text


def _names(entity: Entity | None) -> set[str]:
    return {_norm(n) for n in entity.names} if entity is not None else set()


def _words(name: str) -> list[str]:
    words = [w.strip(".,'\"").removesuffix("'s") for w in re.split(r"[\s-]+", _norm(name))]
    return [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words if w
    ]


def _head(words: list[str]) -> str | None:
    content = []
    for w in words:
        if w in ("in", "of", "from", "at", "on", "for", "who", "that"):
            break
        content.append(w)
    content = [w for w in content if w not in _STOP and not w.isdigit()]
    return content[-1] if content else None


def group_match(a: Entity | None, b: Entity | None) -> bool:
    """Lenient match of two unnamed actors: same head noun, and one's words within the other's."""
    if a is None or b is None:
        return False
    for x in a.names:
        for y in b.names:
            wx, wy = _words(x), _words(y)
            if not wx or not wy or _head(wx) != _head(wy):
                continue
            cx, cy = set(wx) - _STOP, set(wy) - _STOP
            if cx <= cy or cy <= cx or len(cx & cy) / len(cx | cy) >= 0.5:
                return True
    return False


def _date_fits(gold: PartialDate | None, pred: PartialDate | None) -> bool:
    if gold is None or pred is None:
        other = gold or pred
        return other is None or other.precision == "year"
    if gold.year != pred.year:
        return False
    if gold.month is None or pred.month is None:
        return True
    return gold.month == pred.month and (
        gold.day is None or pred.day is None or gold.day == pred.day
    )


@dataclass
class _Loaded:
    records: FileRecords
    entities: dict[str, Entity]


def _match(
    gold: Sequence[T], pred: Sequence[T], same: Callable[[T, T], bool]
) -> tuple[list[int], list[int], int]:
    """Greedy one-to-one matching: unmatched gold indexes, unmatched pred indexes, matches."""
    used: set[int] = set()
    missed = []
    for i, g in enumerate(gold):
        j = next((j for j, p in enumerate(pred) if j not in used and same(g, p)), None)
        if j is None:
            missed.append(i)
        else:
            used.add(j)
    return missed, [j for j in range(len(pred)) if j not in used], len(used)


def _resolver(raw: LineDict, schema: Schema) -> Callable[[str], tuple[str, str] | str]:
    types: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for record_id, type_name, record_names in declared_records(raw, schema):
        types.setdefault(record_id, type_name)
        for name in record_names:
            names.setdefault(name.casefold(), set()).add(record_id)

    def resolve(ref: str) -> tuple[str, str] | str:
        if ref in types:
            return ref, types[ref]
        found = sorted(names.get(ref.casefold(), ()))
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
) -> tuple[dict[str, _Loaded], list[str]]:
    """Every annotation file of a folder, parsed against its article; problems are listed."""
    if not folder.is_dir():
        raise InputError("not a folder of annotation files", Location(display_path(folder)))
    loaded: dict[str, _Loaded] = {}
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
        loaded[document_id(stem)] = _Loaded(records, {e.id: e for e, _ in records.entities})
    return loaded, problems


def _describe_entity(e: Entity) -> str:
    return f"{e.type} {e.name!r}"


class _DocScorer:
    def __init__(self, doc: str, gold: _Loaded, pred: _Loaded) -> None:
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
                lambda g, p: bool(_names(g) & _names(p)),
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
        return bool(_names(outlet_g) & _names(outlet_p)) and (
            date_g is None or date_p is None or date_g == date_p
        )

    def place_names(self, loaded: _Loaded, ref: str | None) -> set[str]:
        return _names(loaded.entities.get(ref)) if ref else set()

    def incidents(self) -> None:
        gold = [i for i, _ in self.gold.records.incidents]
        pred = [i for i, _ in self.pred.records.incidents]

        def same(g: Incident, p: Incident) -> bool:
            gp, pp = self.place_names(self.gold, g.place), self.place_names(self.pred, p.place)
            places = bool(gp & pp) or (not gp and not pp)
            return g.kind == p.kind and _date_fits(g.date, p.date) and places

        def describe(i: Incident) -> str:
            return f"{i.kind} {i.date or 'undated'} at {i.place or 'no place'}: {i.title}"

        self.scores["incidents"] = self.record("incidents", gold, pred, same, describe)

    def claims(self) -> None:
        gold = [c for c, _ in self.gold.records.claims]
        pred = [c for c, _ in self.pred.records.claims]

        def same(g: Claim, p: Claim) -> bool:
            sg, sp = self.gold.entities.get(g.speaker), self.pred.entities.get(p.speaker)
            if g.stance != p.stance:
                return False
            return bool(_names(sg) & _names(sp)) or group_match(sg, sp)

        def describe(c: Claim) -> str:
            speaker = self.gold.entities.get(c.speaker) or self.pred.entities.get(c.speaker)
            name = speaker.name if speaker else c.speaker
            return f"{c.stance} by {name!r}: {c.content[:80]}"

        self.scores["claims"] = self.record("claims", gold, pred, same, describe)


def evaluate_records(
    gold: Mapping[str, _Loaded], pred: Mapping[str, _Loaded], problems: Sequence[str] = ()
) -> EvalResult:
    """Score loaded annotation sets document by document."""
    totals = {c: Score() for c in CATEGORIES}
    by_type: dict[str, Score] = {}
    documents, findings = [], []
    for doc in sorted(set(gold) & set(pred)):
        scorer = _DocScorer(doc, gold[doc], pred[doc])
        scorer.entities()
        scorer.incidents()
        scorer.claims()
        documents.append(DocumentScores(doc, dict(scorer.scores)))
        findings += scorer.findings
        for c, s in scorer.scores.items():
            totals[c] = totals[c] + s
        for t, s in scorer.by_type.items():
            by_type[t] = by_type.get(t, Score()) + s
    unmatched = tuple(sorted(set(gold) ^ set(pred)))
    return EvalResult(
        totals,
        dict(sorted(by_type.items())),
        tuple(documents),
        tuple(findings),
        tuple(problems),
        unmatched,
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
    return evaluate_records(gold, pred, problems)

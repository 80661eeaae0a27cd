"""Scoring of incidents, claims and relations: one-to-one matches, per-type counts, agreement.

* incidents: a predicted incident matches a gold one when their kinds are compatible (equal,
  or sharing the CAMEO root code in the schema, e.g. ``bombing`` 183 and ``attack`` 180) and
  their quotes overlap in the article (or, both dated, their dates and places agree). Each gold
  incident is matched at most once. Kind, date and place agreement are reported over matches.
* claims: same speaker (named entities by name, groups leniently) and overlapping quotes;
  stance agreement is reported over matches.
* relations: same type, and source and target matching as entities do. Relations the gold
  gives without a quote (background geography) are scored apart as ``background``; a quoted
  prediction that matches one is neither right nor wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from kg.annotations import FileRecords
from kg.model import Claim, Entity, Incident, Relation
from kg.schema import Schema

from .evalmatch import Agreement, Finding, Score, date_fits, names, one_to_one, overlaps, same_actor

__all__ = ["EVENT_CATEGORIES", "EventScores", "Loaded", "compatible_kinds", "score_events"]

T = TypeVar("T")
EVENT_CATEGORIES = ("incidents", "claims", "relations", "background")


@dataclass
class Loaded:
    """One parsed annotation file and its entities by id."""

    records: FileRecords
    entities: dict[str, Entity]


@dataclass
class EventScores:
    """The event scores of one document."""

    scores: dict[str, Score] = field(default_factory=dict)
    breakdown: dict[str, dict[str, Score]] = field(default_factory=dict)
    """category -> type (incident kind, stance, relation type) -> score."""
    agreement: dict[str, Agreement] = field(default_factory=dict)
    """``incidents kind``, ``incidents date``, ``incidents place``, ``claims stance``."""
    findings: list[Finding] = field(default_factory=list)

    def count(self, category: str, type_name: str, score: Score) -> None:
        per_type = self.breakdown.setdefault(category, {})
        per_type[type_name] = per_type.get(type_name, Score()) + score
        self.scores[category] = self.scores.get(category, Score()) + score

    def agree(self, what: str, ok: bool) -> None:
        self.agreement[what] = self.agreement.get(what, Agreement()) + Agreement(int(ok), 1)


def compatible_kinds(schema: Schema) -> Callable[[str, str], bool]:
    """Incident kinds are compatible when equal or when their CAMEO root codes are equal."""
    terms = schema.vocabulary("incident_kinds").terms
    roots = {name: term.cameo[:2] for name, term in terms.items() if term.cameo}

    def compatible(a: str, b: str) -> bool:
        return a == b or (a in roots and roots.get(a) == roots.get(b))

    return compatible


class _Events:
    def __init__(self, doc: str, gold: Loaded, pred: Loaded, schema: Schema) -> None:
        self.doc, self.gold, self.pred = doc, gold, pred
        self.compatible = compatible_kinds(schema)
        self.out = EventScores()

    def note(self, category: str, kind: str, text: str) -> None:
        self.out.findings.append(Finding(self.doc, category, kind, text))

    def tally(
        self,
        category: str,
        gold: Sequence[T],
        pred: Sequence[T],
        pairs: list[tuple[int, int]],
        type_of: Callable[[T], str],
        describe: Callable[[T], str],
    ) -> None:
        matched_gold = {i for i, _ in pairs}
        matched_pred = {j for _, j in pairs}
        for i, _ in pairs:
            self.out.count(category, type_of(gold[i]), Score(tp=1))
        for i, g in enumerate(gold):
            if i not in matched_gold:
                self.out.count(category, type_of(g), Score(fn=1))
                self.note(category, "miss", describe(g))
        for j, p in enumerate(pred):
            if j not in matched_pred:
                self.out.count(category, type_of(p), Score(fp=1))
                self.note(category, "false_positive", describe(p))

    # -- incidents ------------------------------------------------------------------------------
    def place_names(self, loaded: Loaded, ref: str | None) -> set[str]:
        return names(loaded.entities.get(ref)) if ref else set()

    def incidents(self) -> None:
        gold = [i for i, _ in self.gold.records.incidents]
        pred = [i for i, _ in self.pred.records.incidents]

        def same_place(g: Incident, p: Incident) -> bool:
            return bool(self.place_names(self.gold, g.place) & self.place_names(self.pred, p.place))

        def score(g: Incident, p: Incident) -> float | None:
            if not self.compatible(g.kind, p.kind):
                return None
            dated = g.date is not None and p.date is not None and date_fits(g.date, p.date)
            if not overlaps(g.evidence, p.evidence) and not (dated and same_place(g, p)):
                return None
            return 4.0 * (g.kind == p.kind) + 2.0 * dated + same_place(g, p)

        def describe(i: Incident) -> str:
            return f"{i.kind} {i.date or 'undated'} at {i.place or 'no place'}: {i.title}"

        pairs = one_to_one(gold, pred, score)
        self.tally("incidents", gold, pred, pairs, lambda i: i.kind, describe)
        for i, j in pairs:
            g, p = gold[i], pred[j]
            self.out.agree("incidents kind", g.kind == p.kind)
            if g.kind != p.kind:
                self.note("incidents", "mismatch", f"kind {p.kind}, gold {describe(g)}")
            if g.date is not None:
                self.out.agree("incidents date", date_fits(g.date, p.date))
                if not date_fits(g.date, p.date):
                    self.note("incidents", "mismatch", f"date {p.date}, gold {describe(g)}")
            if g.place is not None:
                self.out.agree("incidents place", same_place(g, p))

    # -- claims ---------------------------------------------------------------------------------
    def claims(self) -> None:
        gold = [c for c, _ in self.gold.records.claims]
        pred = [c for c, _ in self.pred.records.claims]

        def score(g: Claim, p: Claim) -> float | None:
            speakers = same_actor(
                self.gold.entities.get(g.speaker), self.pred.entities.get(p.speaker)
            )
            if not speakers or not overlaps(g.evidence, p.evidence):
                return None
            return 1.0 + (g.stance == p.stance)

        def describe(c: Claim) -> str:
            speaker = self.gold.entities.get(c.speaker) or self.pred.entities.get(c.speaker)
            name = speaker.name if speaker else c.speaker
            return f"{c.stance} by {name!r}: {c.content[:80]}"

        pairs = one_to_one(gold, pred, score)
        self.tally("claims", gold, pred, pairs, lambda c: c.stance, describe)
        for i, j in pairs:
            self.out.agree("claims stance", gold[i].stance == pred[j].stance)
            if gold[i].stance != pred[j].stance:
                self.note(
                    "claims", "mismatch", f"stance {pred[j].stance}, gold {describe(gold[i])}"
                )

    # -- relations ------------------------------------------------------------------------------
    def relations(self) -> None:
        gold = [r for r, _ in self.gold.records.relations]
        pred = [r for r, _ in self.pred.records.relations]

        def end(loaded: Loaded, ref: str) -> Entity | None:
            return loaded.entities.get(ref)

        def score(g: Relation, p: Relation) -> float | None:
            if g.type != p.type:
                return None
            if not same_actor(end(self.gold, g.source), end(self.pred, p.source)):
                return None
            if not same_actor(end(self.gold, g.target), end(self.pred, p.target)):
                return None
            return 1.0 + overlaps(g.evidence, p.evidence)

        def describe(r: Relation) -> str:
            def name(ref: str) -> str:
                entity = self.gold.entities.get(ref) or self.pred.entities.get(ref)
                return entity.name if entity else ref

            return f"{r.type} {name(r.source)!r} -> {name(r.target)!r}"

        pairs = one_to_one(gold, pred, score)
        by_gold = dict(pairs)
        by_pred = {j: i for i, j in pairs}
        # quoted gold relations, against quoted predictions and any prediction that matches one
        quoted_gold = [i for i, g in enumerate(gold) if g.evidence]
        quoted_pred = [
            j
            for j, p in enumerate(pred)
            if (j in by_pred and gold[by_pred[j]].evidence) or (j not in by_pred and p.evidence)
        ]
        self.tally(
            "relations",
            [gold[i] for i in quoted_gold],
            [pred[j] for j in quoted_pred],
            [(quoted_gold.index(i), quoted_pred.index(j)) for i, j in pairs if gold[i].evidence],
            lambda r: r.type,
            describe,
        )
        back_gold = [i for i, g in enumerate(gold) if not g.evidence]
        back_pred = [
            j
            for j, p in enumerate(pred)
            if not p.evidence and (j not in by_pred or not gold[by_pred[j]].evidence)
        ]
        self.tally(
            "background",
            [gold[i] for i in back_gold],
            [pred[j] for j in back_pred],
            [
                (back_gold.index(i), back_pred.index(j))
                for i, j in by_gold.items()
                if i in back_gold and j in back_pred
            ],
            lambda r: r.type,
            describe,
        )


def score_events(doc: str, gold: Loaded, pred: Loaded, schema: Schema) -> EventScores:
    """Incidents, claims and relations of one document, gold against prediction."""
    events = _Events(doc, gold, pred, schema)
    events.incidents()
    events.claims()
    events.relations()
    for category in EVENT_CATEGORIES:
        events.out.scores.setdefault(category, Score())
    return events.out


def merge_breakdown(
    into: dict[str, dict[str, Score]], more: Mapping[str, Mapping[str, Score]]
) -> None:
    """Add one document's per-type counts to the running totals."""
    for category, per_type in more.items():
        target = into.setdefault(category, {})
        for type_name, score in per_type.items():
            target[type_name] = target.get(type_name, Score()) + score

"""Scoring primitives of ``kg eval``: counts, agreement rates, name matching, one-to-one pairs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from kg.dates import PartialDate
from kg.model import Entity, Evidence

__all__ = [
    "Agreement",
    "Finding",
    "Score",
    "date_fits",
    "group_match",
    "names",
    "one_to_one",
    "overlaps",
    "same_actor",
]

T = TypeVar("T")
U = TypeVar("U")

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
class Agreement:
    """Of ``total`` matched pairs that could be compared on some field, ``agree`` agreed."""

    agree: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.agree / self.total if self.total else 1.0

    def __add__(self, other: Agreement) -> Agreement:
        return Agreement(self.agree + other.agree, self.total + other.total)


@dataclass(frozen=True)
class Finding:
    """A gold item the prediction missed, a predicted item the gold lacks, or a disagreement."""

    document: str
    category: str
    kind: str
    """``miss``, ``false_positive`` or ``mismatch`` (matched, but a field disagrees)."""
    item: str


def _norm(name: str) -> str:
    text = " ".join(
        name.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split()
    ).casefold()
    return text[4:] if text.startswith("the ") else text


def names(entity: Entity | None) -> set[str]:
    """The normalised names and aliases of an entity (none for a missing one)."""
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


def same_actor(a: Entity | None, b: Entity | None) -> bool:
    """Named entities match on a shared name or alias, unnamed groups leniently."""
    return bool(names(a) & names(b)) or group_match(a, b)


def date_fits(gold: PartialDate | None, pred: PartialDate | None) -> bool:
    """Dates agree at the coarser precision; a missing date fits only a year-precision one.

    >>> date_fits(PartialDate(2004, 7, 30), PartialDate(2004, 7))
    True
    >>> date_fits(PartialDate(2004, 7), None)
    False
    """
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


def overlaps(a: Iterable[Evidence], b: Iterable[Evidence]) -> bool:
    """Whether some quote of ``a`` and some quote of ``b`` share characters of the article."""
    spans = [(e.start, e.end) for e in b]
    return any(x.start < end and start < x.end for x in a for start, end in spans)


def one_to_one(
    gold: Sequence[T], pred: Sequence[U], score: Callable[[T, U], float | None]
) -> list[tuple[int, int]]:
    """Pairs ``(gold index, pred index)``, each item used at most once, best-scored pairs first.

    ``score`` returns None for items that cannot match. Ties go to document order, so the
    result is deterministic.

    >>> one_to_one([1, 2], [2, 1, 2], lambda g, p: 1.0 if g == p else None)
    [(0, 1), (1, 0)]
    """
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            value = score(g, p)
            if value is not None:
                candidates.append((-value, i, j))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return sorted(pairs)

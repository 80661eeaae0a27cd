"""Family ties written before a name: "Okafor's widow, Grace", "his nephew Peter".

"X, the president's son" (after the name) is read by :mod:`kg.extract.relations`; this rule
reads the other order, where the relative's name follows the family word. "his" and "her"
stand for the person named last before them in the sentence or the one before.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import lexicon as lx
from .registry import DocEntity, Mention

if TYPE_CHECKING:
    from .relations import _RelationRules

__all__ = ["family_before"]

_WORDS = "|".join(sorted(lx.FAMILY_WORDS, key=len, reverse=True))
_BEFORE = re.compile(
    r"(?:(?P<owner>[’']s)|\b(?P<pronoun>[Hh]is|[Hh]er))\s+(?:(?:late|elder|younger|eldest|youngest)\s+)?"
    r"(?P<rel>" + _WORDS + r"),?\s+$"
)


def _antecedent(rules: _RelationRules, offset: int, person: DocEntity) -> DocEntity | None:
    sentence = rules.ctx.sentence_of(offset)
    start = rules.ctx.sentence_of(max(0, sentence[0] - 2))[0]
    kind = rules.t["Person"]
    for m in reversed(rules.reg.between(start, offset)):
        entity = rules.reg.entities.get(m.key)
        if entity is not None and entity.type == kind and entity.key != person.key:
            return entity
    return None


def family_before(rules: _RelationRules, m: Mention, person: DocEntity) -> None:
    """``family_of`` from a family word written before the relative's name."""
    match = _BEFORE.search(rules.text, max(0, m.start - 40), m.start)
    if match is None:
        return
    if match.group("owner"):
        owner = rules.ending_before(match.start(), "", "Person")
        relative = owner[1] if owner else None
        start = owner[0].start if owner else match.start()
    else:
        relative = _antecedent(rules, match.start(), person)
        start = match.start()
    rules.add(
        "family_of",
        person,
        relative,
        (start, m.end),
        "family-before-name",
        relation=match.group("rel"),
    )

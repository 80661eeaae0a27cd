"""Who opposes whom and who is at odds with whom, from the verbs that say so.

* ``opposes``: "A clashed with B", "A exchanged fire with B", "A's offensive against B", "A
  retook villages from B", "A pursued B";
* ``tension_with``: "A accused B", "A blamed B", "A criticised B", "A's dispute with B".

A is the last actor before the verb in its clause (the antecedent of "A, who has accused B"),
B the first actor after it with nothing but words between. A group named after the body it
belongs to ("soldiers of the 3rd Brigade") stands for that body.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .registry import DocEntity

if TYPE_CHECKING:
    from .relations import _RelationRules

__all__ = ["hostility"]

_VERBS = (
    (
        "opposes",
        re.compile(
            r"\b(?:clash(?:ed|es|ing)?\s+with|exchang(?:ed|es|ing)\s+fire\s+with|"
            r"(?:fought|fighting|fights|battled|battling)\s+(?:against\s+)?|"
            r"(?:retook|retaken|recaptured|seized)\s+(?:[\w-]+\s+){0,3}?from|"
            r"(?:pursuing|pursued|hunting)\s+|"
            r"(?:war|offensives?|operations?|campaign|insurgency|uprising|rebellion)\s+"
            r"(?:on|against)\s+)",
            re.IGNORECASE,
        ),
        (
            "clash",
            "exchang",
            "fought",
            "fight",
            "battl",
            "retook",
            "retaken",
            "recaptur",
            "seized",
            "pursu",
            "hunting",
            "war",
            "offensive",
            "operation",
            "campaign",
            "insurgency",
            "uprising",
            "rebellion",
        ),
    ),
    (
        "tension_with",
        re.compile(
            r"\b(?:(?:has|have|had)\s+)?(?:accus(?:ed|es|ing)|blam(?:ed|es|ing)|"
            r"critici[sz](?:ed|es|ing)|(?:dispute|standoff|rift|feud|row)\s+with)\s+",
            re.IGNORECASE,
        ),
        ("accus", "blam", "critici", "dispute", "standoff", "rift", "feud", "row"),
    ),
)
"""Relation, pattern, and the stems a sentence needs for the pattern to run."""
_BEFORE = re.compile(
    r"(?:\s*\([^()]{1,20}\))?(?:\s+(?:units?|forces|troops|fighters|militants|soldiers|officers|"
    r"police|gunmen|members))?(?:\s*,\s*(?:who|which))?"
    r"(?:\s+(?:has|have|had|was|were|is|are|been|also|\w+ly))*\s*$"
)
_ANAPHORA = re.compile(
    r"\s*the\s+(?:[a-z]+\s+)?(group|movement|party|government|militia|organisation|organization|army|"
    r"rebels)\b",
    re.IGNORECASE,
)
_GOVERNMENT = re.compile(r"\s+(?:government|administration|cabinet)\b", re.IGNORECASE)
_SUBJECT = re.compile(
    r"(?:\s*\([^()]{1,20}\))?(?:\s+(?!(?:said|says|say|told|added|stated)\b)[\w’'-]+){0,5}\s*$"
)
"""Between a subject and its "war on", "offensive against": a verb and modifiers, not speech."""
_NOUNS = re.compile(r"war|offensive|operation|campaign|insurgency|uprising|rebellion", re.I)
_BETWEEN = re.compile(r"[\w\s’'-]{0,40}")
_OWNER = re.compile(r"[’']s\s+(?:[\w-]+\s+){0,2}$")


def _side(
    rules: _RelationRules, start: int, end: int, last: bool, before: re.Pattern[str] = _BEFORE
) -> DocEntity | None:
    if not last:
        anaphora = _ANAPHORA.match(rules.text, start, end)
        if anaphora is not None and rules.reg.at(anaphora.start(1)) is None:
            return rules.ctx.organisation_named(anaphora.group(1).casefold(), start)
    actors = [a for a in rules.ctx.actors_in(start, end) if not rules.reg.possessive_at(a[1])]
    if not actors:
        owner = rules.ctx.actors_in(start, end)
        if last and owner and _OWNER.fullmatch(rules.text, owner[-1][1], end):
            return owner[-1][2]  # "Azerbaijan's offensive against"
        return None
    a_start, a_end, entity = actors[-1] if last else actors[0]
    gap = rules.text[a_end:end] if last else rules.text[start:a_start]
    pattern = before if last else _BETWEEN
    if not pattern.fullmatch(gap) or ("," in gap and not last):
        return None
    if not last and entity.type != rules.t["Organisation"] and _GOVERNMENT.match(rules.text, a_end):
        # "accused the Moreno government": the government, not the man
        return rules.ctx.organisation_named("government", a_end + 12) or entity
    return entity


def _bodies(rules: _RelationRules, entity: DocEntity) -> list[DocEntity]:
    """The bodies a group is named after, else the entity itself."""
    out: list[DocEntity] = []
    if entity.type == rules.t["Group"]:
        out = [
            rules.reg.entities[r.target]
            for r in rules.found
            if r.source == entity.key
            and r.type in ("member_of", "part_of")
            and rules.reg.entities[r.target].type == rules.t["Organisation"]
        ]
    return out or [entity]


def hostility(rules: _RelationRules) -> None:
    """``opposes`` and ``tension_with`` from the verbs of fighting and accusing."""
    wanted = [
        (rel, pattern, anchors) for rel, pattern, anchors in _VERBS if rel in rules.schema.relations
    ]
    buckets = rules.ctx.by_sentence([(pattern, anchors) for _, pattern, anchors in wanted])
    for sentence, bucket in zip(rules.ctx.sentences, buckets, strict=True):
        for k, match in bucket:
            clause = rules.ctx.clause(match.start(), sentence)
            noun = _NOUNS.match(match.group())
            before = _SUBJECT if noun else _BEFORE
            source = _side(rules, max(sentence[0], clause[0] - 120), match.start(), True, before)
            target = _side(rules, match.end(), min(sentence[1], match.end() + 80), False)
            if source is None or target is None:
                continue
            for a in _bodies(rules, source):
                for b in _bodies(rules, target):
                    rule = f"verb {' '.join(match.group().split())}"
                    rules.add(wanted[k][0], a, b, sentence, rule)

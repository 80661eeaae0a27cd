"""Posts and memberships an apposition gives a person.

* "X, the leader of the Green Party", "the party's chairman, X", "its chairman, X" (the body
  or state named last), "X, the Green Sun leader", "X, alias \"Y\", the leader of Z";
* "A and B, the party's deputy chairmen", "two reporters for Z, A and B": both hold the post;
* "X, a member of Z": ``member_of``; "X, a citizen of Z": ``citizen_of``;
* "Z, a body chaired by X", "Z, led by General X": X heads Z.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import lexicon as lx
from .registry import DocEntity, Mention, Span

if TYPE_CHECKING:
    from .relations import _RelationRules

__all__ = ["apposition", "led_by"]

_PLURALS = {(r[:-3] + "men" if r.endswith("man") else r + "s"): r for r in lx.ROLE_NOUNS}
"""Plural role nouns ("chairmen", "reporters") and their singular."""


def _appositions(roles: Iterable[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """An apposition before a name ("the party's leader, X") and after it ("X, the leader of")."""
    role = "|".join(sorted((re.escape(r) for r in roles), key=len, reverse=True))
    before = re.compile(
        r"(?:\b(?P<det>[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+)?(?P<mods>(?:[\w’'-]+\s+){0,3}?)"
        r"(?P<role>" + role + r")(?:\s+(?:of|for|at)\s+(?P<of>[^,;]{1,120}?))?,\s*$"
    )
    after = re.compile(
        r"(?:,\s+(?:alias|aka|also\s+known\s+as)\s+[\"“][^\"”]{1,40}[\"”])?"
        r",\s+(?:(?:the|a|an)\s+)?(?P<mods>(?:[\w’'-]+\s+){0,3}?)(?P<role>"
        + role
        + r")(?:\s+(?:of|for|at)\s+"
        r"(?P<of>[^,;.]{1,120}?)(?=[,;.]|$)|(?=\s*[,;.)]|\s+(?:who|whom|which|that)\b))"
    )
    return before, after


_APPOSITION_BEFORE, _APPOSITION_AFTER = _appositions(lx.ROLE_NOUNS)
_PLURAL_BEFORE, _PLURAL_AFTER = _appositions(_PLURALS)
_AND = re.compile(r"\s+and\s+")
_COUNTS = frozenset(("two", "both"))
"""Words of a plural apposition that are no part of the title ("two reporters for X, A and B")."""
_LED_BY = re.compile(
    r"\b(?P<verb>chaired|headed|led|run)\s+by\s+(?:the\s+)?(?:[A-Za-z][\w.’'-]*\s+){0,4}$"
)
_LED_GAP = r"(?:\s*\([^()]{1,20}\))?(?:,\s+(?:an?|the)\s+[\w\s-]{1,40}?)?,?\s+"
"""Between a body and its "led by": nothing but an apposition ("X, a research group chaired by")."""
_LEADS = {"chai": "chair", "head": "head", "led": "leader", "run": "head"}
_BODIES = ("Organisation", "Country")
_ITS = re.compile(r"(?:^|\s)[Ii]ts\s+")


def apposition(rules: _RelationRules, m: Mention, person: DocEntity) -> None:
    """Posts, memberships and nationalities an apposition gives a person (or two)."""
    begin = max(rules.ctx.sentence_of(m.start)[0], m.start - 160)
    # both patterns before a name end with a comma: look for them only then
    comma = rules.text[begin : m.start].rstrip().endswith(",")
    match = _APPOSITION_BEFORE.search(rules.text, begin, m.start) if comma else None
    after = _APPOSITION_AFTER.match(rules.text, m.end)
    both = [(match, person, (match.start(), m.end) if match else (0, 0))]
    both.append((after, person, (m.start, after.end()) if after else (0, 0)))
    pair = _AND.match(rules.text, m.end)
    other = rules.reg.at(pair.end()) if pair is not None else None
    second = rules.reg.entities.get(other.key) if other is not None else None
    if other is not None and second is not None and second.type == person.type:
        # "A and B, the party's deputy chairmen", "two reporters for X, A and B"
        match = _PLURAL_BEFORE.search(rules.text, begin, m.start) if comma else None
        after = _PLURAL_AFTER.match(rules.text, other.end)
        for found, span in (
            (match, (match.start(), other.end) if match else (0, 0)),
            (after, (m.start, after.end()) if after else (0, 0)),
        ):
            both += [(found, person, span), (found, second, span)]
    for found, who, span in both:
        if found is not None:
            _appose(rules, found, who, span)


def _appose(rules: _RelationRules, found: re.Match[str], person: DocEntity, span: Span) -> None:
    """The relation an apposition gives a person: a post, a membership, a nationality."""
    role = found.group("role").casefold()
    role = _PLURALS.get(role, role)
    if role in ("citizen", "national", "resident"):
        country = rules.entity_in(
            found.start(), found.start("role"), "Country"
        ) or rules.demonym_country(found.start(), found.start("role"))
        if role != "resident":
            rules.add("citizen_of", person, country, span, "apposition-citizen")
        return
    if role in lx.FAMILY_WORDS:
        return
    mods = found.group("mods")
    its = found.groupdict().get("det") in ("Its", "its")
    if not its and (own := _ITS.search(mods)):  # "yet its chairman, X"
        its, mods = True, mods[own.end() :]
    singular = _PLURALS.get(found.group("role"), found.group("role"))
    title = " ".join([*(w for w in mods.split() if w.casefold() not in _COUNTS), singular])
    target = None
    if found.group("of"):
        target = rules.entity_in(found.start("of"), found.end("of"), "Organisation", "Country")
    if target is None and its:  # the body or state named last, not a possessive
        org = rules.ending_before(found.start(), r"(?![’']s)[\s\S]{0,400}", *_BODIES, reach=400)
        target = org[1] if org else None
    elif target is None and mods:  # "X, the Green Sun leader"
        named = rules.entity_in(found.start("mods"), found.start("role"), "Organisation")
        if named is not None and named.type == rules.t["Organisation"]:
            target, title = named, singular
    owner = re.match(r"([a-z]+)[’']s\s", found.group("mods"))
    if target is None and owner is not None:
        # "the tribunal's chief prosecutor, X": the tribunal named before
        target = rules.ctx.organisation_named(owner.group(1), found.start())
        title = " ".join([*found.group("mods")[owner.end() :].split(), singular])
    if role == "member":  # "X, a member of the Green Party": no post
        rules.add("member_of", person, target, span, "apposition-member")
        return
    rules.add("holds_post", person, target, span, "apposition", title=title)


def led_by(rules: _RelationRules, m: Mention, person: DocEntity) -> None:
    """ "X, a body chaired by Y", "the rulers, led by General Y": Y heads the body."""
    sentence = rules.ctx.sentence_of(m.start)
    by = _LED_BY.search(rules.text, max(sentence[0], m.start - 60), m.start)
    if by is None:
        return
    body = rules.ending_before(by.start(), _LED_GAP, "Organisation", "Group")
    if body is not None:
        title = _LEADS[by.group("verb").casefold()[:4]]
        rules.add("holds_post", person, body[1], (body[0].start, m.end), "led-by", title=title)

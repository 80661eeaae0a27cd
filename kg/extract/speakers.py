"""Speakers the claim rules find by description: a post ("the president said"), a titled name
after the verb ("said Col. X"), an organisation's voice ("a ministry spokesman said").
"""

from __future__ import annotations

import re

from . import lexicon as lx
from .caseless import Folded
from .context import Context
from .posts import post_title
from .registry import DocEntity, Span

__all__ = ["after_titles", "antecedent", "apposed_person", "body_named", "by_post", "voice_of"]

_TOKEN = re.compile(r"\s*(?:the\s+)?([\w’'-]+\.?)", re.IGNORECASE)
_DESCRIBED = re.compile(
    r"\b(?:the|its|his|her|their)\s+(?P<title>(?:[\w-]+\s+){0,2}?[\w-]+)"
    r"(?:\s+of\s+the\s+[\w-]+)?\s+(?:also\s+|\w+ly\s+|has\s+|had\s+|have\s+){0,2}$",
    re.IGNORECASE,
)
_VOICE = re.compile(
    r"(?:[’']s)?\s+(?:spokes(?:man|woman|person)|press\s+(?:service|office|secretary)|"
    r"representative|official)\s+(?:also\s+|\w+ly\s+)?$",
    re.IGNORECASE,
)
_VOICE_TAIL = re.compile(
    r"(?:man|woman|person|service|office|secretary|representative|official)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_BODY = re.compile(
    r"\b(?:a|an|the)\s+(ministry|department|party|agency|committee|government|embassy|army|"
    r"military|police|office|council|court|administration|service|mission|tribunal)(?=[’'\s])",
    re.IGNORECASE,
)
_GENERIC = frozenset({"official", "member", "resident", "citizen", "national", "suspect"})


def after_titles(ctx: Context, offset: int, end: int) -> int:
    """The offset after the titles and ranks that open the text at ``offset`` ("Col. ", "the ")."""
    while offset < end:
        match = _TOKEN.match(ctx.text, offset, end)
        if match is None:
            break
        word = match.group(1).casefold().rstrip(".")
        if word not in lx.PERSON_TITLES and word not in ("the",):
            break
        offset = match.end()
    return offset + len(ctx.text[offset:end]) - len(ctx.text[offset:end].lstrip())


def by_post(
    ctx: Context, verb_start: int, clause: Span, titles: dict[int, str | None]
) -> DocEntity | None:
    """ "The president said": the person the text gave that title, named last before.

    ``titles`` keeps the title read before each name, for the next call."""
    described = _DESCRIBED.search(ctx.text, clause[0], verb_start)
    if described is None:
        return None
    words = {w.casefold() for w in described.group("title").split()}
    if not words & lx.PERSON_TITLES or words & _GENERIC:
        return None
    person = ctx.reg.types["Person"]
    best: DocEntity | None = None
    for m in ctx.reg.between(max(0, described.start() - 6000), described.start()):
        entity = ctx.reg.entities.get(m.key)
        if entity is None or entity.type != person:
            continue
        if m.start not in titles:  # the titles read so far, by the start of the name
            titles[m.start] = post_title(ctx.text, max(0, m.start - 100), m.start)
        title = titles[m.start]
        if title is not None and words <= {w.casefold().rstrip(".") for w in title.split()}:
            best = entity
    return best


def voice_of(ctx: Context, verb_start: int, clause: Span) -> DocEntity | None:
    """ "A ministry spokesman said", "the party's press service said": the body speaks."""
    window = max(clause[0], verb_start - 80)
    if not Folded.of(ctx.text, ctx.lowered).search(_VOICE_TAIL, window, verb_start):
        return None
    org = ctx.reg.types["Organisation"]
    actors = ctx.actors_in(window, verb_start)
    if (
        actors
        and actors[-1][2].type == org
        and _VOICE.fullmatch(ctx.text, actors[-1][1], verb_start)
    ):
        return actors[-1][2]
    head = _BODY.search(ctx.text, window, verb_start)
    if head is not None and _VOICE.fullmatch(ctx.text, head.end(), verb_start):
        return ctx.organisation_named(head.group(1).casefold(), head.start())
    return None


_BODY_AS_SUBJECT = re.compile(
    r"^\s*(?:the|its)\s+(?P<head>[a-z]+)\s*(?:,\s*for\s+its\s+part,\s*)?"
    r"(?:(?:has|have|had|also|always|again|now|\w+ly)\s+)*$",
    re.IGNORECASE,
)
_KIND_OF_HEAD = {"military": "armed_force", "troops": "armed_force", "authorities": "government"}


def body_named(ctx: Context, start: int, end: int) -> DocEntity | None:
    """ "The party has always denied", "according to the brigade": the body named before.

    The head is looked up in the names of the organisations named earlier, then in their kinds
    ("the army" for the armed forces)."""
    match = _BODY_AS_SUBJECT.match(ctx.text[start:end])
    if match is None:
        return None
    head = match.group("head").casefold()
    kind = lx.ORG_HEADS.get(head) or _KIND_OF_HEAD.get(head)
    if kind is None:
        return None
    found = ctx.organisation_named(head, start)
    if found is not None:
        return found
    org = ctx.reg.types["Organisation"]
    for m in reversed(ctx.reg.between(max(0, start - 4000), start)):
        entity = ctx.reg.entities[m.key]
        if entity.type == org and entity.kind == kind:
            return entity
    return None


_WHO = re.compile(r",\s*who\s+(?:(?:has|had|have|also|\w+ly)\s+)*$", re.IGNORECASE)


def antecedent(ctx: Context, verb_start: int, sentence: Span) -> DocEntity | None:
    """ "Moreno, who condemned the bombing": the actor the relative clause is about."""
    who = Folded.of(ctx.text, ctx.lowered).search(
        _WHO, max(sentence[0], verb_start - 40), verb_start
    )
    if who is None:
        return None
    actors = ctx.actors_in(sentence[0], who.start() + 1)
    if actors and actors[-1][1] == who.start():
        return actors[-1][2]
    return None


_APPOSITION = re.compile(r",\s+(?P<inner>[^,;:\"“”]{3,160}?),\s*(?:\w+ly\s+)?$")


def apposed_person(ctx: Context, verb_start: int, clause: Span) -> DocEntity | None:
    """ "X, deputy head of the Border Service of the Committee (GKNB), told": X speaks.

    The clause opens with a person's name, and an apposition that starts with a post or role
    ends right before the verb."""
    if "," not in ctx.text[max(clause[0], verb_start - 16) : verb_start]:
        return None  # no apposition closes right before the verb
    actors = ctx.actors_in(clause[0], verb_start)
    if not actors or actors[0][2].type != ctx.reg.types["Person"]:
        return None
    start, end, person = actors[0]
    if ctx.text[clause[0] : start].strip(' \n"“') and len(ctx.text[clause[0] : start].split()) > 3:
        return None
    match = _APPOSITION.fullmatch(ctx.text, end, verb_start)
    if match is None:
        return None
    words = [w.casefold().strip(".") for w in match.group("inner").split()[:4]]
    if any(w in lx.ROLE_NOUNS or w in lx.PERSON_TITLES for w in words):
        return person
    return None

"""Posts written before a name: "Kremlin spokesman Dmitry Peskov", "Former Kyrgyz president X".

The title runs back from the name over title and role words of any case, with rank
abbreviations ("Brig. Gen."). What comes before it says whose post it is:

* an organisation ("WESTMINCOM commander Lt. Gen. X", "the tribunal's prosecutor X"), or an
  organisation right after the name ("Judge X of the Northern District court"): ``holds_post``;
* a country or demonym ("U.S. Secretary of State X"): ``holds_post`` in that country for posts of
  state, ``citizen_of`` for anyone else ("the Finnish parliamentarian X");
* nothing: the gazetteer's record of the person's posts, else, for posts of state only, the
  country the passage is about; a legislator's title makes its holder a ``member_of`` the
  legislature the text names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import lexicon as lx
from .registry import DocEntity, Mention

if TYPE_CHECKING:
    from .relations import _RelationRules

__all__ = ["post_title", "title_before"]

_NOT_POSTS = frozenset(
    str.split("opposition politician activist journalist lawyer mr mrs ms dr professor sir dame")
)
_STATE_POSTS = frozenset(
    str.split(
        """
        president prime minister premier chancellor king queen emir sultan vice foreign defence
        defense interior finance ambassador envoy consul secretary
        """
    )
)
"""Titles of a post of state: without an organisation, they are held in a country."""
_LEGISLATORS = frozenset(str.split("deputy mp senator congressman congresswoman lawmaker"))
_LEGISLATURES = re.compile(
    r"\b(?:parliament|assembly|kenesh|duma|senate|congress|majlis|house|rada|sejm|khural)\b", re.I
)
_TOKEN = re.compile(r"[\w’'-]+\.?")
_GAP_ORG = re.compile(r"(?:[’']s)?\s+")


def _title(text: str, start: int, end: int) -> tuple[int, str] | None:
    """Where the title right before ``end`` starts, and the title."""
    tokens = list(_TOKEN.finditer(text, max(0, start), end))
    keep: list[re.Match[str]] = []
    edge = end
    for token in reversed(tokens):
        if text[token.end() : edge].strip():
            break  # punctuation between the words: the title stopped
        norm = token.group().casefold().rstrip(".")
        if norm in lx.PERSON_TITLES or norm in lx.ROLE_NOUNS or norm.startswith("sub-"):
            keep.insert(0, token)
            edge = token.start()
        else:
            break
    while keep and keep[0].group().casefold().rstrip(".") in _NOT_POSTS:
        keep.pop(0)
    if not keep:
        return None
    return keep[0].start(), " ".join(t.group() for t in keep)


def post_title(text: str, start: int, end: int) -> str | None:
    """The title written right before ``end`` ("Lt. Gen." before a name), if any."""
    found = _title(text, start, end)
    return found[1] if found is not None else None


def _post_words(title: str) -> set[str]:
    return {w.casefold().rstrip(".") for w in title.split()}


def _legislature(rules: _RelationRules, offset: int) -> DocEntity | None:
    org = rules.t["Organisation"]
    best: DocEntity | None = None
    for m in rules.reg.mentions:
        entity = rules.reg.entities[m.key]
        if entity.type == org and _LEGISLATURES.search(entity.name):
            best = entity
            if m.start > offset:
                break
    return best


def title_before(rules: _RelationRules, m: Mention, person: DocEntity) -> None:
    """The post a title before a person's name gives them, and where they hold it."""
    text = rules.text
    sentence = rules.ctx.sentence_of(m.start)
    found = _title(text, max(sentence[0], m.start - 100), m.start)
    if found is None:
        return
    start, title = found
    words = _post_words(title)
    if not words & lx.PERSON_TITLES:
        return  # role nouns alone ("the witness X") name no post
    span = (start, m.end)
    org = rules.ending_before(start, _GAP_ORG.pattern, "Organisation")
    if org is not None:
        rules.add(
            "holds_post",
            person,
            org[1],
            (org[0].start, m.end),
            "title-after-organisation",
            title=title,
        )
        return
    after = re.match(r"\s+of\s+(?:the\s+)?", text[m.end : m.end + 12])
    if after is not None:
        owner = rules.reg.at(m.end + after.end())
        entity = rules.reg.entities.get(owner.key) if owner else None
        if entity is not None and entity.type == rules.t["Organisation"] and owner is not None:
            rules.add(
                "holds_post",
                person,
                entity,
                (start, owner.end),
                "title-name-of-organisation",
                title=title,
            )
            return
    state_post = bool(words & _STATE_POSTS)
    country = rules.ending_before(start, r"\s+", "Country")
    demonym = [
        r
        for r in rules.ctx.refs_between(start - 40, start)
        if re.fullmatch(r"\s+", text[r.end : start])
    ]
    target = country[1] if country else (rules.reg.named(demonym[-1].country) if demonym else None)
    if target is not None:
        where = country[0].start if country else demonym[-1].start
        rel = "holds_post" if state_post else "citizen_of"
        props = {"title": title} if state_post else {}
        rules.add(rel, person, target, (where, m.end), "title-after-country", **props)
        if state_post:
            return
    if words & _LEGISLATORS and not state_post:
        body = _legislature(rules, m.start)
        rules.add("member_of", person, body, span, "legislator-title")
        return
    holder = rules.post_holder(person, title)
    if holder is not None:
        rules.add(
            "holds_post",
            person,
            holder,
            span,
            "title-before-name",
            "the post's country from the gazetteer",
            title=title,
        )
        return
    if state_post and target is None:
        national = rules.national(start)
        note = f"{national.name}: the country the passage is about" if national else None
        rules.add("holds_post", person, national, span, "title-before-name", note, title=title)

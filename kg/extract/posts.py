"""Posts written before a name: "Kremlin spokesman Ivan Petrov", "Former Latvian president X".

The title runs back from the name over title and role words of any case, with rank
abbreviations ("Brig. Gen."). What comes before it says whose post it is:

* an organisation ("NAVCOM commander Lt. Gen. X", "the tribunal's prosecutor X"), or an
  organisation right after the name ("Judge X of the Eastern Circuit court"): ``holds_post``;
* a country or demonym ("U.S. Secretary of State X"): ``holds_post`` in that country for posts of
  state, ``citizen_of`` for anyone else ("the Finnish parliamentarian X");
* nothing: the gazetteer's record of the person's posts, else, for posts of state only, the
  country the passage is about; a legislator's title makes its holder a ``member_of`` the
  legislature the text names.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from . import lexicon as lx
from .registry import DocEntity, Mention

if TYPE_CHECKING:
    from .relations import _RelationRules

__all__ = ["post_title", "posts_around", "title_before", "title_ending"]

_NOT_POSTS = frozenset(
    str.split("opposition politician activist journalist lawyer mr mrs ms dr professor sir dame")
)
_LEGISLATURES = re.compile(
    r"\b(?:parliament|assembly|kenesh|duma|senate|congress|majlis|house|rada|sejm|khural)\b", re.I
)
_OF_TITLE = re.compile(
    r"\b(?:(?:[Dd]eputy|[Vv]ice|[Ff]irst|[Aa]cting)\s+)?(?:[Ss]ecretary|[Mm]inister|[Hh]ead|[Cc]hief|"
    r"[Dd]irector|[Cc]ommissioner|[Cc]hair(?:man|woman)?)\s+(?:of|for)\s+(?:the\s+)?"
    r"(?P<body>(?:[A-Z][\w-]*\s+(?:and\s+)?){1,4})$"
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


def _named_body(rules: _RelationRules, words: str) -> DocEntity | None:
    """The organisation whose name holds these words ("Emergency Situations")."""
    wanted = " ".join(words.split()).casefold()
    for entity in rules.reg.entities.values():
        if entity.type == rules.t["Organisation"] and wanted in entity.name.casefold():
            return entity
    return None


def title_ending(text: str, start: int, end: int) -> tuple[int, str] | None:
    """Where the title right before ``end`` starts, and the title (read from ``start`` on)."""
    return _title(text, start, end)


def post_title(text: str, start: int, end: int) -> str | None:
    """The title written right before ``end`` ("Lt. Gen." before a name), if any."""
    found = _title(text, start, end)
    return found[1] if found is not None else None


def _post_words(title: str) -> set[str]:
    return {w.casefold().rstrip(".").removeprefix("sub-") for w in title.split()}


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


def _country_before(rules: _RelationRules, start: int) -> tuple[DocEntity, int] | None:
    """The country named right before ``start`` ("Latvian", "the U.S."), and where."""
    country = rules.ending_before(start, r"\s+", "Country")
    if country is not None:
        return country[1], country[0].start
    for ref in reversed(rules.ctx.refs_between(start - 40, start)):
        entity = rules.reg.named(ref.country)
        if entity is not None and re.fullmatch(r"\s+", rules.text[ref.end : start]):
            return entity, ref.start
    return None


def _national(rules: _RelationRules, offset: int, title: str) -> DocEntity | None:
    """The country a post of state belongs to: the first one named in its paragraph (by name or
    capital) whose post of that title the text has not given someone else, else the country the
    document is about. A demonym says less ("Chinese workers")."""
    paragraph = rules.text.rfind("\n\n", 0, offset) + 1
    taken = rules.held.get(title.casefold(), set())
    for ref in rules.ctx.refs_between(paragraph, offset):
        entry = rules.reg.gazetteer.by_name(ref.country)
        written = rules.text[ref.start : ref.end].casefold()
        if entry is not None and written in {d.casefold() for d in entry.demonyms}:
            continue
        country = rules.reg.named(ref.country)
        if country is not None and country.key not in taken:
            return country
    focus = rules.ctx.focus_country
    return rules.reg.named(focus) if focus else None


def _ministry(rules: _RelationRules, words: set[str], offset: int) -> DocEntity | None:
    """The ministry a minister's title names ("Foreign Minister" and "the Foreign Ministry"),
    the latest one the text named before ``offset``."""
    portfolio = words - lx.MINISTER_MODIFIERS
    if "minister" not in words or not portfolio:
        return None
    wanted = portfolio | ({"internal"} if "interior" in portfolio else set())
    if rules.ministries is None:
        rules.ministries = [
            (m.start, org)
            for m, org in rules.mentions("Organisation")
            if "ministry" in org.name.casefold().split()
        ]
    before = bisect.bisect_left(rules.ministries, offset, key=lambda x: x[0])
    for _, org in reversed(rules.ministries[:before]):
        if set(org.name.casefold().split()) & wanted:
            return org
    return None


def title_before(rules: _RelationRules, m: Mention, person: DocEntity) -> None:
    """The post a title before a person's name gives them, and where they hold it."""
    text = rules.text
    sentence = rules.ctx.sentence_of(m.start)
    found = rules.title_at(m.start)
    of_body = None
    if found is None:
        of_title = _OF_TITLE.search(text, max(sentence[0], m.start - 100), m.start)
        if of_title is None:
            return
        found = of_title.start(), " ".join(of_title.group().split())
        of_body = _named_body(rules, of_title.group("body"))
    start, title = found
    words = _post_words(title)
    if not words & lx.PERSON_TITLES:
        # role nouns alone name no post, but a demonym gives a nationality
        nationality = _country_before(rules, start)
        if nationality is not None:
            rules.add("citizen_of", person, nationality[0], (nationality[1], m.end), "demonym-role")
        return
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
    if of_body is not None:
        rules.add("holds_post", person, of_body, span, "title-of-body", title=title)
        return
    ministry = _ministry(rules, words, start)
    if ministry is not None:  # "Interior Minister X": the Interior Ministry the text names
        rules.add("holds_post", person, ministry, span, "minister-of-ministry", title=title)
        return
    state_post = bool(words & lx.STATE_POSTS)
    before = _country_before(rules, start)
    target = before[0] if before else None
    if before is not None:
        rel = "holds_post" if state_post else "citizen_of"
        props = {"title": title} if state_post else {}
        rules.add(rel, person, before[0], (before[1], m.end), "title-after-country", **props)
        if state_post:
            return
    if title.split()[-1].casefold().rstrip(".") in lx.LEGISLATOR_TITLES and not state_post:
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
        national = _national(rules, start, title)
        note = f"{national.name}: the country the passage is about" if national else None
        rules.add("holds_post", person, national, span, "title-before-name", note, title=title)


_AFTER = re.compile(r",\s+(?:the|a|an|its|his|her)\s+")
_ROLE_AFTER = re.compile(r"\s+(?P<role>(?:[\w-]+\s+){0,2}?[\w-]+)(?=\s+(?:of|for|in|to)\b|[,.;]|$)")
_ENVOY = re.compile(r"(?P<role>ambassador|envoy|consul)\s+(?:to|in)\s+", re.IGNORECASE)
_GOVERNMENT_OF = re.compile(r"\b(?:the\s+)?government\s+of\s+$", re.IGNORECASE)
_HEADS = re.compile(
    r"\b(ministry|department|committee|commission|agency|party|embassy|council|court|office|"
    r"army|police|service|tribunal|brigade|division|command|government)\s+$",
    re.IGNORECASE,
)


def _role(words: str) -> bool:
    norms = [w.casefold() for w in words.split()]
    return (
        bool(norms)
        and words == words.casefold()  # "the Red Cross coordinator" after "Kenya": not a role
        and (norms[-1] in lx.ROLE_NOUNS or norms[-1] in lx.PERSON_TITLES)
    )


def posts_around(rules: _RelationRules, m: Mention, person: DocEntity) -> None:
    """Posts an apposition or a phrase around a name gives a person.

    "X, the Green Party leader", "X, the Ruritanian ambassador to Y" (the envoy's country, not
    the host's), "the government of X", "Ministry spokesman X" (the ministry named before).
    """
    text = rules.text
    after = _AFTER.match(text, m.end)
    if after is not None:
        owner = rules.reg.at(after.end())
        entity = rules.reg.entities.get(owner.key) if owner else None
        role = _ROLE_AFTER.match(text, owner.end) if owner is not None else None
        if (
            entity is not None
            and owner is not None
            and role is not None
            and _role(role.group("role"))
        ):
            rel_type = entity.type == rules.t["Organisation"] or entity.type == rules.t["Country"]
            if rel_type:
                rules.add(
                    "holds_post",
                    person,
                    entity,
                    (m.start, role.end()),
                    "apposition-owner-role",
                    title=role.group("role"),
                )
        envoy = _ENVOY.search(text, after.end(), min(len(text), after.end() + 60))
        if envoy is not None and "," not in text[after.end() : envoy.start()]:
            refs = rules.ctx.refs_between(after.end(), envoy.start())
            country = rules.reg.named(refs[0].country) if refs else None
            rules.add(
                "holds_post",
                person,
                country,
                (m.start, envoy.end()),
                "envoy-of-country",
                title=envoy.group("role"),
            )
    government = _GOVERNMENT_OF.search(text, max(0, m.start - 20), m.start)
    if government is not None:
        body = rules.ending_before(m.start, r"[\s\S]{0,40}", "Organisation")
        if body is not None and "government" in body[1].name.casefold():
            rules.add(
                "holds_post",
                person,
                body[1],
                (government.start(), m.end),
                "government-of-person",
                title="head of government",
            )
    found = rules.title_at(m.start)
    if found is not None:
        head = _HEADS.search(text, max(0, found[0] - 20), found[0])
        if (
            head is not None
            and rules.ending_before(found[0], _GAP_ORG.pattern, "Organisation") is None
        ):
            org = rules.ctx.organisation_named(head.group(1).casefold(), head.start())
            rules.add(
                "holds_post",
                person,
                org,
                (head.start(), m.end),
                "title-after-body",
                title=found[1],
            )

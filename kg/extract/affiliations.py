"""Relations of belonging: the state an organisation belongs to, members of bodies and groups.

A later pass of the relation rules (:mod:`kg.extract.relations`), run once the explicit
patterns have been read:

* ``part_of`` (state bodies) or ``based_in`` (anyone else): an organisation whose name carries
  a country ("Kenya Defence Forces", "the Georgian Dream party"), or that the gazetteer places
  in a country the text names;
* ``member_of``: a group named after an organisation ("Boko Haram fighters", "deputies from
  the Green Party").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import lexicon as lx
from .registry import DocEntity, Mention

if TYPE_CHECKING:
    from .relations import _RelationRules

__all__ = ["belonging"]

_STATE_KINDS = frozenset(
    {"government", "government_body", "security_service", "police", "armed_force", "court"}
)
_NATIONAL_KINDS = _STATE_KINDS - {"court"}
"""Kinds of state bodies that belong to the state of their passage when nothing else says."""
_NO_HOME = frozenset({"international_organisation", "media_outlet"})
"""Kinds whose seat the text rarely states and analysts do not infer."""
_OF_TAIL = re.compile(r"\bof\s+(?:the\s+)?(.+)$")
_UNIT_OF = re.compile(r"\s+(?:of|under)\s+(?:the\s+)?")
_BACKED = re.compile(r"-(?:backed|sponsored|supported)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s\s+$")
_BANNED = re.compile(
    r",\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?(?:banned|outlawed|proscribed)\s+(?:as\s+[\w\s-]{1,40}?\s+)?"
    r"(?:in|by)\s+(?:the\s+)?"
)
_WORD = re.compile(r"[\w-]+")
_GAZETTEER_KINDS = _STATE_KINDS | {"party"}
"""Kinds whose country the gazetteer gives as a fact of the text (not a militant's haunt)."""
_MEMBERS = lx.MILITANT_MEMBERS | lx.MEMBER_HEADS
_MEMBERS_OF = re.compile(
    r"\b(?:" + "|".join(sorted(_MEMBERS)) + r")\s+(?:of|from)\s+(?:the\s+)?$", re.IGNORECASE
)
_AND = re.compile(r"\s+(?:and|or)\s+(?:the\s+)?")


def _first_mentions(rules: _RelationRules, type_name: str) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m, entity in rules.mentions(type_name):
        out.setdefault(entity.key, []).append(m)
    return out


def _with_country(rules: _RelationRules) -> set[str]:
    """The organisations already tied to a country."""
    country = rules.t["Country"]
    return {
        r.source
        for r in rules.found
        if r.type in ("part_of", "based_in") and rules.reg.entities[r.target].type == country
    }


def _country_of(rules: _RelationRules, org: DocEntity, spans: list[Mention]) -> DocEntity | None:
    """The country an organisation's own words or the gazetteer give it, if the text names it."""
    for m in spans:
        for ref in rules.ctx.refs_between(m.start, m.end):
            entry = rules.reg.gazetteer.by_name(ref.country)
            written = rules.text[ref.start : ref.end].casefold()
            if entry is None or written not in {
                n.casefold() for n in (*entry.names(), *entry.demonyms)
            }:
                continue  # a capital in a name ("the OSCE Minsk Group") names no state
            country = rules.reg.named(ref.country)
            if country is not None:
                return country
    words = " " + " ".join(_WORD.findall(org.name)) + " "
    for country in rules.reg.entities.values():
        if country.type != rules.t["Country"]:
            continue
        names = [country.name, *(country.gaz.demonyms if country.gaz else ())]
        if any(f" {name} " in words for name in names):
            return country
    if org.gaz is not None and org.gaz.country and org.kind in _GAZETTEER_KINDS:
        return rules.reg.named(org.gaz.country)
    return None


def _units(rules: _RelationRules) -> set[str]:
    """The organisations found to be part of another one."""
    kind = rules.t["Organisation"]
    return {
        r.source
        for r in rules.found
        if r.type == "part_of" and rules.reg.entities[r.target].type == kind
    }


def states(rules: _RelationRules) -> None:
    """An organisation tied to a country by its name or the gazetteer."""
    tied, units = _with_country(rules), _units(rules)
    for key, spans in _first_mentions(rules, "Organisation").items():
        org = rules.reg.entities[key]
        if org.kind in _NO_HOME or key in tied:
            continue
        country = _country_of(rules, org, spans)
        # a one-word name ("Agency") says too little to place; a unit belongs to its body
        named = org.name[:1].isupper() and " " in org.name and key not in units
        if country is None and named and org.kind in _NATIONAL_KINDS:
            country = rules.national(spans[0].start)  # "the National Guard": of the passage
        rel = "part_of" if org.kind in _STATE_KINDS else "based_in"
        rules.add(rel, org, country, (spans[0].start, spans[0].end), "organisation-country")


def group_members(rules: _RelationRules) -> None:
    """ "Boko Haram fighters", "members of the party": a group belongs to the body it names."""
    org_type = rules.t["Organisation"]
    for key, spans in rules.group_spans.items():
        group = rules.reg.entities.get(key)
        if group is None:
            continue
        for start, end in spans:
            for m in rules.reg.between(start, end):
                org = rules.reg.entities.get(m.key)
                if org is None or org.type != org_type:
                    continue
                after = rules.text[m.end : end].split()
                before = rules.text[start : m.start]
                member = (after and after[0].casefold().strip(",.") in _MEMBERS) or (
                    _MEMBERS_OF.search(before)
                )
                if member:
                    rel = "part_of" if org.kind in _STATE_KINDS else "member_of"
                    rules.add(rel, group, org, (start, end), "group-of-organisation")
                    if m.end == end and (more := _AND.match(rules.text, end)):
                        _also_member(rules, group, start, more.end())  # "members of A and B"


def _also_member(rules: _RelationRules, group: DocEntity, start: int, offset: int) -> None:
    other = rules.reg.at(offset)
    org = rules.reg.entities.get(other.key) if other is not None else None
    if other is not None and org is not None and org.type == rules.t["Organisation"]:
        rel = "part_of" if org.kind in _STATE_KINDS else "member_of"
        rules.add(rel, group, org, (start, other.end), "group-of-organisation")


def units(rules: _RelationRules) -> None:
    """ "The Border Service of the Security Committee", "the committee's Alpha unit": a unit is
    part of the body it is "of"."""
    org_type = rules.t["Organisation"]
    for m, org in rules.mentions("Organisation"):
        of = _UNIT_OF.match(rules.text, m.end)
        if of is not None:
            other = rules.reg.at(of.end())
            body = rules.reg.entities.get(other.key) if other else None
            if (
                other is not None
                and body is not None
                and body.type == org_type
                and org.kind != "government"  # "the government of the ruling party": no unit
            ):
                rules.add("part_of", org, body, (m.start, other.end), "unit-of-body")
        if org.kind not in _STATE_KINDS | {"other"} or not _POSSESSIVE.search(
            rules.text, max(0, m.start - 4), m.start
        ):
            continue
        owner = rules.ending_before(m.start, r"[’']s\s+", "Organisation")
        if owner is not None:
            rules.add("part_of", org, owner[1], (owner[0].start, m.end), "unit-of-owner")


def backers(rules: _RelationRules) -> None:
    """ "Russian-backed separatists", "separatists backed by Russia": ``sponsors``."""
    for key, spans in rules.group_spans.items():
        group = rules.reg.entities.get(key)
        for start, end in spans:
            backed = _BACKED.search(rules.text, start, end)
            if group is None or backed is None:
                continue
            for ref in rules.ctx.refs_between(start, backed.start() + 1):
                rules.add(
                    "sponsors", rules.reg.named(ref.country), group, (start, end), "backed-by"
                )


def seats(rules: _RelationRules) -> None:
    """ "The Riga District Court": an organisation named after a place is based there."""
    places = [e for e in rules.reg.entities.values() if e.type == rules.t["Place"]]
    for key, spans in _first_mentions(rules, "Organisation").items():
        org = rules.reg.entities[key]
        for place in places:
            if org.name.startswith(place.name + " ") and org.kind not in _NO_HOME:
                span = (spans[0].start, spans[0].end)
                rules.add("based_in", org, place, span, "organisation-named-after-place")


def named_units(rules: _RelationRules) -> None:
    """ "The SADC Secretariat", "the Department of X of the Ministry": a unit whose name
    starts with, or ends in "of" with, the name of another organisation of the text."""
    mentioned = _first_mentions(rules, "Organisation")
    orgs = [rules.reg.entities[key] for key in mentioned]  # named in the text themselves
    names = {n: e for e in orgs for n in (e.name, *e.aliases) if len(n) > 1}
    for key, spans in mentioned.items():
        org = rules.reg.entities[key]
        for own in (org.name, *org.aliases):
            tail = _OF_TAIL.search(own)
            parent = names.get(tail.group(1)) if tail is not None else None
            head = own.split(" ", 1)[0]
            if parent is None and head != own:
                parent = names.get(head)
            if parent is not None and parent.key != org.key:
                rules.add("part_of", org, parent, (spans[0].start, spans[0].end), "unit-by-name")
                break


def outlawed(rules: _RelationRules) -> None:
    """ "X, a group banned in Latvia": the state that bans a group opposes it."""
    for m, org in rules.mentions("Organisation"):
        banned = _BANNED.match(rules.text, m.end)
        if banned is None:
            continue
        where = rules.reg.at(banned.end())
        country = rules.reg.entities.get(where.key) if where else None
        if where is not None and country is not None and country.type == rules.t["Country"]:
            rules.add("opposes", country, org, (m.start, where.end), "banned-in")


def belonging(rules: _RelationRules) -> None:
    """Every rule of this module, in order."""
    outlawed(rules)
    backers(rules)
    seats(rules)
    units(rules)
    named_units(rules)
    group_members(rules)
    states(rules)

"""Context cues that type an unknown capitalised name: roles, appositions, lists, members."""

from __future__ import annotations

import re

from . import lexicon as lx

__all__ = [
    "NAMED",
    "PLACE_NOUN_BEFORE",
    "ROLE_AFTER",
    "ROLE_BEFORE",
    "SPEAKS_AFTER",
    "context_type",
]

_ROLE = r"(?:" + "|".join(sorted(lx.ROLE_NOUNS, key=len, reverse=True)) + r")"
NAMED = re.compile(
    r"\b(?:named|known as|identified\s+(?:\w+\s+)?(?:only\s+)?as"
    r"|gave\s+(?:his|her)\s+name\s+(?:only\s+)?as)\s+$"
)
ROLE_BEFORE = re.compile(
    _ROLE + r"s?(?: (?:of|for|from|at) [^,]{1,110})?,\s*$", re.IGNORECASE
)  # "two reporters for the agency, A and B"
ROLE_AFTER = re.compile(
    r",\s+(?:(?:then|now|formerly|later)\s+)?(?:(?:the|a|an)\s+(?:[\w’'-]+\s+){0,3}|(?:[\w-]+\s+){0,2})"
    + _ROLE
    + r"(?:s|men)?\b|,\s+(?:alias|also\s+known\s+as|nicknamed)\b",
    re.IGNORECASE,
)
SPEAKS_AFTER = re.compile(
    r"(?:,\s+\d{1,3},)?\s+(?:also\s+|later\s+|then\s+)?(?:said|says|told|added|stated|explained"
    r"|noted|asked|wrote|argued|recalled|insisted|warned|denied|confirmed)\b|,\s+who\s"
)
PLACE_NOUN_BEFORE = re.compile(
    r"\bthe\s+(?:[A-Za-z-]+\s+){0,2}(" + "|".join(lx.PLACE_NOUN_KINDS) + r")\s+of\s+$"
)


_LISTED_ORGS = re.compile(
    r"\b(?:groups|organi[sz]ations|gangs|parties|militias|movements|factions|cartels|companies"
    r"|agencies|outlets|newspapers)\b[^.;:]{0,40}?\s(?:including|such\s+as|among\s+them|notably)"
    r"\s+(?:(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}(?:,\s+|,?\s+and\s+))*(?:the\s+)?$"
)  # "gangs it classifies as terrorist organisations, among them A, B and C"
_PLACE_APPOSED = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(" + "|".join(lx.PLACE_NOUN_KINDS) + r")\b"
)  # "Jima Hill, a farming village about ten kilometres from ..."
_ORG_APPOSED = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?P<noun>website|newspaper|weekly|news\s+agency"
    r"|broadcaster|research\s+group|rights\s+group|think\s+tank|charity|company|firm)\b"
)  # "Steppe Watch, a Chinese-language website that ..."
_APPOSED_KINDS = {"website": "media_outlet", "newspaper": "media_outlet", "weekly": "media_outlet"}
_MEMBER_AFTER = re.compile(
    r"\s+(?:leader|leaders|commander|commanders|founder|spokesman|fighters|militants"
    r"|members|operatives)\b"
)  # "the Abu Tayeb leader": a group by its members

_ORG_APPOSED_KINDS = {
    "news agency": "media_outlet",
    "broadcaster": "media_outlet",
    "company": "company",
    "firm": "company",
}


def context_type(text: str, start: int, end: int, before: str) -> tuple[str, str, str] | None:
    """The entity type, kind and rule name the words around a name give, if they give one.

    >>> context_type("Oru, a fishing village", 0, 3, "")
    ('Place', 'village', 'place-apposed')
    >>> context_type("the Oru leader said", 4, 7, "the ")
    ('Organisation', '', 'member-noun')
    """
    if _LISTED_ORGS.search(before):
        return "Organisation", "", "listed-organisation"
    if before.endswith(("the ", "The ")) and _MEMBER_AFTER.match(text, end):
        return "Organisation", "", "member-noun"
    org = _ORG_APPOSED.match(text, end)
    if org is not None:
        noun = " ".join(org.group("noun").split())
        kind = _APPOSED_KINDS.get(noun) or _ORG_APPOSED_KINDS.get(noun, "ngo")
        return "Organisation", kind, "org-apposed"
    place = _PLACE_APPOSED.match(text, end)
    if place is not None:
        return "Place", lx.PLACE_NOUN_KINDS[place.group(1)], "place-apposed"
    return None

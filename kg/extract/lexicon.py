"""Word lists of the extractor, read from ``data/lexicon.yaml``: titles, heads, place nouns...

These are English-language cues of the news genre, not entities. Maps from words to a kind
are written in the data file keyed by the schema vocabulary term they give; the kinds are
checked against the schema's vocabularies where they are used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import InputError, Location
from kg.yamlio import load_yaml

__all__ = [
    "AGENT_NOUNS",
    "COLLECTIVE_HEADS",
    "CONNECTORS",
    "DEMONYM_GROUP_HEADS",
    "DETERMINERS",
    "EVENT_NAME_WORDS",
    "FAMILY_WORDS",
    "GENERIC_BODY_WORDS",
    "GROUP_HEADS",
    "GROUP_MODIFIERS",
    "GROUP_PARTICIPLES",
    "LEGISLATOR_TITLES",
    "LEXICON_FILE",
    "LOCATIVE_PREPOSITIONS",
    "MEMBER_HEADS",
    "METONYMY_BEFORE",
    "METONYMY_VERBS",
    "MILITANT_MEMBERS",
    "MILITANT_WORDS",
    "MINISTER_MODIFIERS",
    "MONTHS",
    "NAME_TITLES",
    "NATIONAL_BODY_HEADS",
    "NOT_NAMES",
    "ORG_HEADS",
    "ORG_STARTS",
    "PERSON_TITLES",
    "PLACE_HEADS",
    "PLACE_NOUN_KINDS",
    "PLACE_STARTS",
    "ROLE_NOUNS",
    "SENTENCE_STARTERS",
    "STATE_POSTS",
    "SURNAME_SUFFIXES",
    "WEEKDAYS",
    "words",
]

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.yaml"


def words(text: str) -> frozenset[str]:
    """The words of a space-separated list; an underscore stands for a space.

    >>> sorted(words("foreign_ministry tv"))
    ['foreign ministry', 'tv']
    """
    return frozenset(w.replace("_", " ") for w in text.split())


def _load(path: Path) -> dict[str, Any]:
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise InputError("the lexicon is a mapping of list names", Location(str(path), 1))
    return raw


_RAW = _load(LEXICON_FILE)


def _list(key: str) -> frozenset[str]:
    value = _RAW.get(key)
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    if not isinstance(value, str):
        raise InputError(f"lexicon list {key!r} is missing", Location(str(LEXICON_FILE), 1))
    return words(value)


def _kinds(key: str) -> dict[str, str]:
    """A word -> kind map, written in the file as kind -> words."""
    value = _RAW.get(key)
    if not isinstance(value, dict):
        raise InputError(f"lexicon map {key!r} is missing", Location(str(LEXICON_FILE), 1))
    return {word: str(kind) for kind, text in value.items() for word in words(str(text))}


PERSON_TITLES = _list("person_titles")
NAME_TITLES = _list("name_titles")
ROLE_NOUNS = _list("role_nouns")
FAMILY_WORDS = _list("family_words")
ORG_HEADS = _kinds("org_heads")
ORG_STARTS = _kinds("org_starts")
MILITANT_WORDS = _list("militant_words")
MILITANT_MEMBERS = _list("militant_members")
NATIONAL_BODY_HEADS = _kinds("national_body_heads")
GENERIC_BODY_WORDS = _list("generic_body_words")
COLLECTIVE_HEADS = _list("collective_heads")
AGENT_NOUNS = COLLECTIVE_HEADS | _list("agent_nouns")
GROUP_HEADS = COLLECTIVE_HEADS | _list("group_heads")
GROUP_MODIFIERS = _list("group_modifiers")
GROUP_PARTICIPLES = _list("group_participles")
PLACE_HEADS = _kinds("place_heads")
PLACE_STARTS = _kinds("place_starts")
PLACE_NOUN_KINDS = _kinds("place_noun_kinds")
LOCATIVE_PREPOSITIONS = _list("locative_prepositions")
EVENT_NAME_WORDS = _list("event_name_words")
CONNECTORS = _list("connectors")
DETERMINERS = _list("determiners")
SENTENCE_STARTERS = _list("sentence_starters")
NOT_NAMES = _list("not_names")
METONYMY_VERBS = _list("metonymy_verbs")
METONYMY_BEFORE = _list("metonymy_before")
SURNAME_SUFFIXES = tuple(sorted(_list("surname_suffixes")))
MONTHS = _list("months")
WEEKDAYS = tuple(_RAW.get("weekdays") or ())
STATE_POSTS = _list("state_posts")
LEGISLATOR_TITLES = _list("legislator_titles")
MEMBER_HEADS = _list("member_heads")
DEMONYM_GROUP_HEADS = _kinds("demonym_group_heads")
MINISTER_MODIFIERS = _list("minister_modifiers")

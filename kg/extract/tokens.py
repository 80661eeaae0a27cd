"""Word tokens with character offsets, and the name keys used to look names up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Token", "is_acronym", "name_key", "normalise", "stripped_after", "tokenize"]

# A word: letters/digits, with inner hyphens, dots, slashes and apostrophes (but "’s" splits off).
_WORD = re.compile(r"[^\W_](?:[^\W_]|[-./](?=[^\W_])|['’](?=[^\W_])(?!s\b))*")
_ORDINAL = ("st", "nd", "rd", "th")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


@dataclass(slots=True)
class Token:
    """One word of a text: where it is, its text and its lookup form."""

    start: int
    end: int
    text: str
    norm: str
    cap: bool = False
    """Whether it starts with a capital letter or is an ordinal ("11th Infantry Division")."""


@lru_cache(maxsize=65536)
def normalise(word: str) -> str:
    """The lookup form of a word: case-folded, straight apostrophes, no dots.

    >>> normalise("U.S."), normalise("Workers’")
    ('us', "workers'")
    """
    return word.translate(_QUOTES).casefold().replace(".", "")


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` with offsets; punctuation is left out.

    >>> [t.text for t in tokenize("Kazakhstan’s KNB (Mr. Al-Farabi) said.")]
    ['Kazakhstan', 's', 'KNB', 'Mr', 'Al-Farabi', 'said']
    """
    out: list[Token] = []
    append = out.append
    for start, end in [m.span() for m in _WORD.finditer(text)]:
        word = text[start:end]
        first = word[0]
        cap = first.isupper() or (first.isdigit() and word.endswith(_ORDINAL))
        append(Token(start, end, word, normalise(word), cap))
    return out


@lru_cache(maxsize=65536)
def name_key(name: str) -> tuple[str, ...]:
    """The token key of a name, as matched against text.

    >>> name_key("Kurdistan Workers' Party"), name_key("U.S.")
    (('kurdistan', 'workers', 'party'), ('us',))
    """
    return tuple(t.norm for t in tokenize(name))


@lru_cache(maxsize=65536)
def is_acronym(name: str) -> bool:
    """Whether a name is written in capitals (KNB, CSTO, U.S.), so must match case-sensitively.

    >>> is_acronym("KNB"), is_acronym("U.S."), is_acronym("Khabar TV"), is_acronym("RFE/RL")
    (True, True, False, True)
    """
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 8


def stripped_after(text: str, offset: int, size: int) -> str:
    """``text[offset:].lstrip()[:size]``, without copying the rest of a long text.

    >>> stripped_after("Moscow   firmly denied it", 6, 12)
    'firmly denie'
    """
    window = size + 64
    while True:
        part = text[offset : offset + window].lstrip()
        if len(part) >= size or offset + window >= len(text):
            return part[:size]
        window *= 4

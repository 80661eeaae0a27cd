"""Deterministic made-up names (people, places, countries) and Zipf-distributed draws."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from typing import Generic, TypeVar

__all__ = ["NameRegistry", "Zipf", "adjective", "forge_word", "make_acronym"]

T = TypeVar("T")

_ONSETS = (
    "b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "kh", "ch", "dr",
    "br", "gr", "kr", "st", "tr", "zh", "y", "f", "h", "j",
)  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "a", "o", "e", "ai", "ia", "ou")
_CODAS = ("", "", "", "n", "r", "l", "s", "k", "m", "t", "v", "sh")


def forge_word(rng: random.Random, syllables: int) -> str:
    """A pronounceable made-up word of ``syllables`` syllables, capitalised.

    >>> forge_word(random.Random(1), 3) == forge_word(random.Random(1), 3)
    True
    >>> forge_word(random.Random(7), 2).isalpha()
    True
    """
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)]
    parts.append(rng.choice(_CODAS))
    return "".join(parts).capitalize()


def adjective(country: str) -> str:
    """The demonym adjective of a made-up country name.

    >>> adjective("Kelvaria"), adjective("Dorestan"), adjective("Mirland"), adjective("Tavo")
    ('Kelvarian', 'Dorestani', 'Mirlander', 'Tavoan')
    """
    if country.endswith("ia"):
        return country + "n"
    if country.endswith("stan"):
        return country + "i"
    if country.endswith("land"):
        return country + "er"
    if country[-1] in "aeiou":
        return country + "an"
    return country + "ian"


def make_acronym(name: str) -> str:
    """Initials of the capitalised words of a name.

    >>> make_acronym("State Security Committee of Kelvaria")
    'SSCK'
    """
    return "".join(word[0] for word in name.split() if word[:1].isupper())


class NameRegistry:
    """Every name and alias handed out so far (case-insensitive), so none is shared."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def free(self, name: str) -> bool:
        return name.casefold() not in self._taken

    def take(self, name: str) -> str:
        """Reserve ``name``; a taken name gets the first free numbered variant."""
        candidate = name
        for number in itertools.count(2):
            if self.free(candidate):
                break
            candidate = f"{name} {number}"
        self._taken.add(candidate.casefold())
        return candidate

    def take_if_free(self, name: str) -> str | None:
        """Reserve ``name`` if nobody has it (for aliases, which are optional)."""
        if not self.free(name):
            return None
        self._taken.add(name.casefold())
        return name

    def fresh_word(self, rng: random.Random, low: int, high: int, suffix: str = "") -> str:
        """A made-up word (plus ``suffix``) that nobody has yet; not reserved."""
        while True:
            word = forge_word(rng, rng.randint(low, high)) + suffix
            if self.free(word):
                return word

    def unique_word(self, rng: random.Random, low: int, high: int, suffix: str = "") -> str:
        """A fresh made-up word (plus ``suffix``), reserved."""
        return self.take(self.fresh_word(rng, low, high, suffix))


class Zipf(Generic[T]):
    """Draws items with probability proportional to ``1 / rank ** exponent`` (rank from 1).

    >>> z = Zipf(["a", "b", "c"], 1.0)
    >>> rng = random.Random(0)
    >>> draws = [z.draw(rng) for _ in range(3000)]
    >>> draws.count("a") > draws.count("b") > draws.count("c")
    True
    """

    def __init__(self, items: Sequence[T], exponent: float) -> None:
        if not items:
            raise ValueError("Zipf needs at least one item")
        self.items = list(items)
        weights = (1.0 / rank**exponent for rank in range(1, len(self.items) + 1))
        self._cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> T:
        point = rng.random() * self._cumulative[-1]
        index = bisect.bisect_right(self._cumulative, point)
        return self.items[min(index, len(self.items) - 1)]

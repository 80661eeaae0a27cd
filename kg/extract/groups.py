"""Unnamed collective actors: "local residents", "armed men", "civilians killed", "IRPT members"."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import lexicon as lx
from .registry import DocEntity, Mention, Registry
from .tokens import Token

__all__ = ["GroupPhrase", "find_groups", "group_phrases"]

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        str.split(
            """
            zero one two three four five six seven eight nine ten eleven twelve thirteen
            fourteen fifteen sixteen seventeen eighteen nineteen twenty
            """
        )
    )
}
_QUANTITY = re.compile(
    r"(?:(?:about|some|nearly|almost|around|at least|more than|over|up to)\s+)?"
    r"(?:\d[\d,]*|[a-z]+(?:-[a-z]+)?)\s*$",
    re.IGNORECASE,
)
_BARE = frozenset(
    str.split(
        """
        people men women persons children media members staff services units sources girls
        boys sons daughters friends guests parents mothers fathers forces police authorities
        officers
        """
    )
)
"""Heads too common to be a Group on their own, without a modifier or a number."""


_AFTER_PARTICIPLE = frozenset(
    str.split(
        """
        in at on during by near after since from across over when while and or as inside
        outside overnight yesterday today last
        """
    )
)
_QUANTIFIERS = frozenset(("some", "several", "many", "most", "few", "other"))
_AUDIENCE = re.compile(r"\b(?:told|to|briefed|addressed|informed)\s+$")


@dataclass(frozen=True)
class GroupPhrase:
    """A noun phrase naming an unnamed group: where it is, its name and its count."""

    start: int
    end: int
    name: str
    head: str
    count: int | None


def _count(word: str) -> int | None:
    """The number a word states, if any.

    >>> _count("19"), _count("Twenty-one"), _count("several")
    (19, 21, None)
    """
    word = word.casefold().replace(",", "")
    if word.isdigit():
        return int(word)
    if "-" in word:
        tens, _, unit = word.partition("-")
        tens_value = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
        if tens in tens_value and unit in _NUMBER_WORDS:
            return tens_value[tens] + _NUMBER_WORDS[unit]
        return None
    return _NUMBER_WORDS.get(word)


def _quantity(before: str) -> int | None:
    """The number stated by the last word before a phrase ("some 19", "dozens of").

    >>> _quantity("said that about 19 "), _quantity("dozens of "), _quantity("the")
    (19, None, None)
    """
    words = before.replace(" of the ", " ").replace(" of ", " ").split()
    quantity = _QUANTITY.search(words[-1]) if words else None  # only the last word counts
    return _count(quantity.group(0).split()[-1]) if quantity else None


class _Scan:
    def __init__(self, reg: Registry, tokens: list[Token]) -> None:
        self.reg, self.tokens, self.text = reg, tokens, reg.doc.text
        self.named: dict[int, Mention] = {}
        starts = self.starts = [t.start for t in tokens]
        self.ends = [t.end for t in tokens]
        for m in reg.mentions:
            k = bisect.bisect_left(starts, m.start)
            while k < len(tokens) and tokens[k].start < m.end:
                self.named[k] = m
                k += 1
        self.sentence_starts = {bisect.bisect_left(starts, s) for s, _ in reg.doc.sentences}

    def spaced(self, a: int, b: int) -> bool:
        return self.text[self.tokens[a].end : self.tokens[b].start] == " "

    def entity_type(self, k: int) -> str | None:
        m = self.named.get(k)
        return self.reg.entities[m.key].type if m else None

    def demonym(self, k: int) -> bool:
        hits = self.reg.gazetteer.index.get((self.tokens[k].norm,), ())
        return self.tokens[k].cap and any(h.demonym for h in hits)

    def ends_phrase(self, p: int) -> bool:
        """Whether a participle closes its phrase ("people killed in", "were injured.")."""
        after = self.text[self.tokens[p].end : self.tokens[p].end + 1]
        if after != " " or p + 1 >= len(self.tokens):
            return True
        return self.tokens[p + 1].norm in _AFTER_PARTICIPLE

    def phrase(self, k: int) -> GroupPhrase | None:
        toks, types = self.tokens, self.reg.types
        head = toks[k]
        if k in self.named or (head.cap and k not in self.sentence_starts):
            return None  # inside a name, or a capitalised name ("Special Forces")
        i, modifiers = k, 0
        while i > 0 and modifiers < 3 and self.spaced(i - 1, i):
            prev = toks[i - 1]
            owner = self.named.get(i - 1)
            if prev.norm in lx.GROUP_MODIFIERS or self.demonym(i - 1):
                i -= 1
            elif owner is not None and self.entity_type(i - 1) == types["Organisation"]:
                i = bisect.bisect_left(self.starts, owner.start)  # "IRPT members"
            else:
                break
            modifiers += 1
        j, participle, later = k + 1, False, ""
        skip = 1 if j < len(toks) and toks[j].norm in ("were", "was", "had", "have") else 0
        if skip and j + 1 < len(toks) and toks[j + 1].norm == "been":
            skip = 2
        p = j + skip
        if p < len(toks) and toks[p].norm in lx.GROUP_PARTICIPLES and self.ends_phrase(p):
            j, participle = (p + 1, True) if not skip else (j, True)
            later = " " + toks[p].text if skip else ""  # "people were injured": People injured
        if (
            j + 1 < len(toks)
            and toks[j].norm in ("in", "at", "from", "of")
            and self.spaced(j - 1, j)
        ):
            target = j + 2 if toks[j + 1].norm == "the" and j + 2 < len(toks) else j + 1
            owner = self.named.get(target)
            if owner is not None and self.entity_type(target) in (
                types["Place"],
                types["Country"],
                types["Organisation"],
                types["Person"],
            ):
                j = bisect.bisect_right(self.ends, owner.end)
        before = self.text[max(0, toks[i].start - 40) : toks[i].start]
        count = _quantity(before)
        if head.norm in _BARE and not (modifiers or participle or count or j > k + 1):
            return None
        if i == k and _AUDIENCE.search(before):
            return None  # "told reporters": the audience of a statement, not an actor
        if i > 0 and toks[i - 1].norm in _QUANTIFIERS and self.spaced(i - 1, i):
            i -= 1  # "Some analysts": the text's own wording, which scores alike
        start, end = toks[i].start, toks[j - 1].end
        name = " ".join(self.text[start:end].split()) + later
        return GroupPhrase(start, end, name[0].upper() + name[1:], head.norm, count)


def group_phrases(reg: Registry, tokens: list[Token]) -> list[GroupPhrase]:
    """Every noun phrase headed by a group noun that no name covers, in text order."""
    scan = _Scan(reg, tokens)
    found = []
    heads = lx.GROUP_HEADS
    for k in [k for k, token in enumerate(tokens) if token.norm in heads]:
        phrase = scan.phrase(k)
        if phrase is not None:
            found.append(phrase)
    return found


def find_groups(reg: Registry, tokens: list[Token]) -> list[DocEntity]:
    """Add a Group for each group phrase; the registry joins phrases naming one group."""
    reg.finish()
    group_type = reg.types["Group"]
    added = []
    for phrase in group_phrases(reg, tokens):
        known = len(reg.entities)
        entity = reg.add(group_type, phrase.name, "group-phrase")
        if len(reg.entities) > known:
            added.append(entity)
        if phrase.count is not None and "count" not in entity.properties:
            entity.properties["count"] = phrase.count
        if len(entity.evidence) < 2:
            entity.evidence.append((phrase.start, phrase.end))
        reg.mention(phrase.start, phrase.end, entity, "group-phrase")
    reg.finish()
    return added

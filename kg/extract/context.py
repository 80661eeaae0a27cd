"""Sentence context shared by the incident and claim rules: clauses, subjects, objects, groups."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache

from kg.model import Document

from . import caseless
from . import lexicon as lx
from .datefind import DateMention, find_dates
from .registry import CountryRef, DocEntity, Registry, Span
from .trie import longest_first

__all__ = ["Context", "Intervals"]

_ADVERBS = (
    r"(?:also|flatly|apparently|has|have|had|was|were|is|are|did|does|do|not|never|publicly|later|"
    r"then|reportedly|repeatedly|quickly|itself|themselves|yet|already|immediately|firmly|strongly|"
    r"been|being|"
    r"openly|officially|previously|recently|now|would|will|could|might|may|again|once|first|"
    r"for\s+(?:his|her|its|their)\s+part|in\s+turn|on\s+\w+\s+\d{1,2}|\w+ly)"
)
_GAP = re.compile(
    r"\s*(?:\([^()]*\)\s*)?"
    r"(?:\s*(?:in|at|from)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})?"
    r"(?:,\s*[^,;()]{1,100}?,\s*|,\s*)?(?:" + _ADVERBS + r"\s+)*",
    re.IGNORECASE,
)
_APPOSED = re.compile(
    r",\s+(?:the\s+|a\s+|an\s+)?(?:[\w’'.-]+\s+){0,5}?(?:of|for|at|to|in)\s+(?:the\s+)?"
    r"(?:[\w’'.-]+\s+){0,3}?"
)
_NP_GAP = re.compile(
    r"(?:,\s*[^,;()]{1,80}?,\s*|\s*\([^()]*\)\s*)?(?:\s+" + _ADVERBS + r")*\s*$", re.IGNORECASE
)
_PRONOUN = re.compile(r"\b(he|she|they|it)\s+(?:" + _ADVERBS + r"\s+)*$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(
    r";|\bthat\b|,\s+(?:and|but|while|which|who|where|whereas|although)\b|\s[—–]\s|:"
)
_NP_BREAK = re.compile(
    r"[,;:()\"“”]|\b(?:that|which|who|while|although|because|if|when|whether|after|"
    r"before|since|as|than|said|told|says)\b",
    re.IGNORECASE,
)
_OBJECT_STOP = re.compile(
    r"[,.](?!\d)|[;:()]|\s(?:in|on|at|near|for|from|during|after|before|as|to|into|since|"
    r"over|because|while|who|which|that|by)\s"
)
"""Where the object of a verb ends ("8,000" is one number)."""
_NUMBER = re.compile(
    r"^(?:about\s+|some\s+|at\s+least\s+|nearly\s+|more\s+than\s+|up\s+to\s+)?"
    r"(?:(\d{1,3}(?:,\d{3})+|\d+)|(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|hundred))\b",
    re.IGNORECASE,
)
_NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}
_NUMBERS.update(
    {"fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
)
_ORG_ANAPHORA = frozenset(
    str.split(
        """
        ministry committee government organisation organization mission party agency
        office council court administration department service
        """
    )
)


@lru_cache(maxsize=16)
def _anchors(groups: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern[str], dict[str, set[int]]]:
    """One regex for all anchors (longest first), and for each anchor the patterns it wakes.

    A matched anchor also wakes the patterns of every anchor inside it ("reported" -> "report").
    """
    every = sorted({a for group in groups for a in group}, key=len, reverse=True)
    wanted = {a: {k for k, group in enumerate(groups) for b in group if b in a} for a in every}
    return re.compile(longest_first(every)), wanted


class Intervals:
    """Spans added in order of their start; "is this offset inside one?" in logarithmic time.

    >>> spans = Intervals([(0, 10), (4, 6), (20, 25)])
    >>> spans.covers(8), spans.covers(12), spans.covers(24), spans.within(3, 30)
    (True, False, True, [(4, 6), (20, 25)])
    """

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.spans: list[Span] = []
        self._starts: list[int] = []
        self._reach: list[int] = []
        """The largest end among the spans up to each index."""
        for span in sorted(spans):
            self.add(span)

    def add(self, span: Span) -> None:
        if self._starts and span[0] < self._starts[-1]:
            raise ValueError(f"span {span} added out of order")
        self.spans.append(span)
        self._starts.append(span[0])
        self._reach.append(max(span[1], self._reach[-1] if self._reach else span[1]))

    def covers(self, offset: int) -> bool:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i >= 0 and self._reach[i] > offset

    def strictly_covers(self, offset: int) -> bool:
        """Whether some span has ``start < offset < end``."""
        i = bisect.bisect_right(self._starts, offset - 1) - 1
        return i >= 0 and self._reach[i] > offset

    def within(self, start: int, end: int) -> list[Span]:
        """The spans that start inside ``[start, end)``."""
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end)
        return self.spans[i:j]


class Context:
    """One document with its entities: the helpers the incident and claim rules share."""

    def __init__(self, doc: Document, reg: Registry) -> None:
        self.doc, self.reg, self.text = doc, reg, doc.text
        self.sentences = list(doc.sentences)
        self.lowered = doc.text.lower()
        self._sentence_starts = [s for s, _ in self.sentences]
        self.citations = sorted(reg.citations)
        self._citation_starts = [s for s, _, _ in self.citations]
        cited = Intervals((s, e) for s, e, _ in self.citations)
        self.dates: list[DateMention] = sorted(
            (d for d in find_dates(doc.text, doc.date) if not cited.covers(d.start)),
            key=lambda d: d.start,
        )
        self._date_starts = [d.start for d in self.dates]
        self.country_refs = sorted(reg.country_refs, key=lambda r: r.start)
        self._ref_starts = [r.start for r in self.country_refs]
        self.asides = Intervals(reg.asides)
        self.focus_country = reg.focus_country()
        self.actor_types = {reg.types[t] for t in ("Person", "Organisation", "Country", "Group")}
        self.groups: dict[str, list[Span]] = {}
        """The unnamed actors minted while reading the document, with their spans."""
        self._group_starts: list[tuple[int, str]] = []
        self._breaks: dict[Span, list[Span]] = {}
        """The clause breaks of each sentence, found once."""

    def refs_between(self, start: int, end: int) -> list[CountryRef]:
        """Country references (names and demonyms) starting inside ``[start, end)``."""
        i = bisect.bisect_left(self._ref_starts, start)
        return self.country_refs[i : bisect.bisect_left(self._ref_starts, end)]

    def aside(self, offset: int) -> bool:
        """Whether ``offset`` lies in a relative clause or an apposition."""
        return self.asides.strictly_covers(offset)

    def country_near(self, offset: int) -> str | None:
        """The country of the nearest reference before ``offset`` in its paragraph, or the focus."""
        paragraph_start = self.text.rfind("\n\n", 0, offset) + 1
        i = bisect.bisect_left(self._ref_starts, offset)
        while i > 0:
            i -= 1
            ref = self.country_refs[i]
            if self.aside(ref.start):
                continue
            if ref.start >= paragraph_start:
                return ref.country
            break
        return self.focus_country

    def citation_in(self, start: int, end: int) -> str | None:
        """The first source cited inside ``[start, end)``."""
        i = bisect.bisect_left(self._citation_starts, start)
        if i < len(self.citations) and self.citations[i][0] < end:
            return self.citations[i][2]
        return None

    def by_sentence(
        self, patterns: list[tuple[re.Pattern[str], tuple[str, ...]]]
    ) -> list[list[tuple[int, re.Match[str]]]]:
        """Matches of each pattern, sentence by sentence, in pattern order.

        A pattern runs only on sentences holding one of its anchors (lower-case stems).
        """
        combined, wanted = _anchors(tuple(anchors for _, anchors in patterns))
        same_length = len(self.lowered) == len(self.text)
        hits: list[set[int]] = []
        for start, end in self.sentences:
            found_anchors = (
                set(combined.findall(self.lowered, start, end))
                if same_length
                else set(combined.findall(self.text[start:end].casefold()))
            )
            woken: set[int] = set()
            for anchor in found_anchors:
                woken |= wanted[anchor]
            hits.append(woken)
        buckets: list[list[tuple[int, re.Match[str]]]] = []
        for (start, end), woken in zip(self.sentences, hits, strict=True):
            found: list[tuple[int, re.Match[str]]] = []
            for k in sorted(woken):
                matches = caseless.finditer(patterns[k][0], self.text, self.lowered, start, end)
                found.extend((k, m) for m in matches)
            buckets.append(found)
        return buckets

    # -- spans --------------------------------------------------------------------------------
    def sentence_of(self, offset: int) -> Span:
        i = max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)
        return self.sentences[i] if self.sentences else (0, len(self.text))

    def clause(self, offset: int, sentence: Span) -> Span:
        """The clause of the sentence around ``offset``, cut at ; "that" and ", and"/", which"..."""
        breaks = self._breaks.get(sentence)
        if breaks is None:
            breaks = self._breaks[sentence] = [
                m.span() for m in _CLAUSE_BREAK.finditer(self.text, *sentence)
            ]
        start, end = sentence
        for break_start, break_end in breaks:
            if break_end <= offset:
                start = break_end
            elif break_start >= offset:
                end = break_start
                break
        return start, end

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        i = bisect.bisect_left(self._date_starts, start)
        j = bisect.bisect_left(self._date_starts, end)
        return [d for d in self.dates[i:j] if d.end <= end]

    def actors_in(self, start: int, end: int) -> list[tuple[int, int, DocEntity]]:
        """Actor mentions inside the span; a mention nested in another actor's name is left out."""
        out: list[tuple[int, int, DocEntity]] = []
        for m in self.reg.between(start, end):
            entity = self.reg.entities.get(m.key)
            if entity is None or entity.type not in self.actor_types:
                continue
            if out and m.start < out[-1][1]:
                continue
            out.append((m.start, m.end, entity))
        return out

    # -- who did or said it --------------------------------------------------------------------
    def subject(
        self, verb_start: int, sentence: Span, participle: bool = False
    ) -> DocEntity | None:
        """The subject of the verb at ``verb_start``: a name, a pronoun or a group."""
        start = sentence[0]
        actors = [
            a
            for a in self.actors_in(start, verb_start)
            if not self.reg.possessive_at(a[1]) and not self.aside(a[0])
        ]
        if participle:
            return actors[0][2] if actors else None
        for k in range(len(actors) - 1, max(-1, len(actors) - 4), -1):
            a_start, a_end, entity = actors[k]
            if not _GAP.fullmatch(self.text, a_end, verb_start):
                continue
            if (
                k > 0
                and actors[k - 1][2].type == self.reg.types["Person"]
                and entity.type != actors[k - 1][2].type
                and _APPOSED.fullmatch(self.text, actors[k - 1][1], a_start)
                and self.text.startswith(",", a_end)
            ):
                # "Nazgul Asanalieva, spokeswoman for the police, said": the person speaks
                return actors[k - 1][2]
            of = re.search(
                r"\b(?:of|for)\s+(?:the\s+)?$", self.text[max(start, a_start - 12) : a_start]
            )
            if of is not None and not re.search(
                r"spokes\w+\s+for\s+(?:the\s+)?$", self.text[start:a_start]
            ):
                # "Levan Tsiklauri of the UNM accused": the head comes before "of"
                if k > 0 and re.fullmatch(
                    r"\s+(?:of|for)\s+(?:the\s+)?", self.text[actors[k - 1][1] : a_start]
                ):
                    return actors[k - 1][2]
                group = self.noun_phrase(
                    self.clause(verb_start, sentence)[0],
                    a_start - len(of.group()) - 1,
                    extend_to=verb_start,
                )
                if group is not None:
                    return group
            return entity
        clause_start = self.clause(verb_start, sentence)[0]
        before = self.text[clause_start:verb_start]
        pronoun = _PRONOUN.search(before)
        if pronoun is not None:
            return self.pronoun(pronoun.group(1).casefold(), clause_start + pronoun.start())
        return self.noun_phrase(clause_start, verb_start)

    def pronoun(self, word: str, offset: int) -> DocEntity | None:
        wanted = {"he": "Person", "she": "Person", "it": "Organisation"}.get(word)
        if word == "they":
            i = bisect.bisect_left(self._group_starts, (offset, ""))
            return self.reg.entities.get(self._group_starts[i - 1][1]) if i else None
        for m in reversed(self.reg.between(max(0, offset - 3000), offset)):
            entity = self.reg.entities.get(m.key)
            if entity is not None and entity.type == self.reg.types.get(wanted or ""):
                return entity
        return None

    def noun_phrase(self, start: int, end: int, extend_to: int | None = None) -> DocEntity | None:
        """An unnamed actor written just before ``end``: "some analysts", "the ministry".

        With ``extend_to``, the name runs on to there ("co-chairs of the OSCE Minsk Group").
        """
        gap = _NP_GAP.search(self.text[start:end])
        stop = start + gap.start() if gap else end
        breaks = list(_NP_BREAK.finditer(self.text, start, stop))
        np_start = breaks[-1].end() if breaks else start
        words = self.text[np_start:stop].split()
        if not words or len(words) > 9:
            return None
        norms = [w.strip(".,’'").casefold() for w in words]
        heads = [i for i, w in enumerate(norms) if w in lx.AGENT_NOUNS]
        if not heads:
            return None
        head = (
            heads[0]
            if any(norms[i] in ("in", "of", "from", "at") for i in range(heads[0], len(norms)))
            else heads[-1]
        )
        tail = norms[head + 1 :]
        if tail and tail[0] not in ("in", "of", "from", "at"):
            return None
        while words and words[0].casefold() in ("and", "but", "so", "then", "however", "also"):
            np_start = self.text.index(words[0], np_start) + len(words[0])
            words = words[1:]
        phrase_start = np_start + (
            len(self.text[np_start:stop]) - len(self.text[np_start:stop].lstrip())
        )
        phrase = self.text[phrase_start:stop].strip()
        if norms[head] in _ORG_ANAPHORA and norms[0] in ("the", "its") and head <= 2:
            org = self.organisation_named(norms[head], phrase_start)
            if org is not None:
                return org
        if norms[head] not in lx.COLLECTIVE_HEADS and norms[head] not in (
            "family",
            "analyst",
            "observer",
            "expert",
        ):
            return None
        return self.group(phrase, phrase_start, phrase_start + len(phrase))

    def organisation_named(self, head: str, offset: int) -> DocEntity | None:
        """The latest organisation before ``offset`` whose name has ``head`` ("the ministry")."""
        org = self.reg.types["Organisation"]
        for m in reversed(self.reg.between(max(0, offset - 4000), offset)):
            entity = self.reg.entities[m.key]
            if entity.type == org and head in entity.name.casefold():
                return entity
        return None

    def group(self, phrase: str, start: int, end: int) -> DocEntity:
        """A Group for an unnamed collective actor, with its count when the text gives one."""
        name = phrase[4:] if phrase.casefold().startswith("the ") else phrase
        name = name[0].upper() + name[1:]
        entity = self.reg.add(self.reg.types["Group"], name, "noun-phrase", (start, end))
        number = _NUMBER.match(name)
        if number is not None:
            value = (
                int(number.group(1).replace(",", ""))
                if number.group(1)
                else _NUMBERS[number.group(2).casefold()]
            )
            entity.properties["count"] = value
        self.groups.setdefault(entity.key, []).append((start, end))
        bisect.insort(self._group_starts, (start, entity.key))
        return entity

    def object_after(self, offset: int, sentence: Span) -> DocEntity | None:
        """The actor right after a verb: a name, or a group such as "19 Uzbek day laborers"."""
        stop = _OBJECT_STOP.search(self.text, offset, sentence[1])
        end = stop.start() if stop else sentence[1]
        actors = self.actors_in(offset, end)
        if actors and not self.text[offset : actors[0][0]].strip(" theaofn"):
            return actors[0][2]
        phrase = self.text[offset:end].strip()
        words = [w.casefold().strip(".,") for w in phrase.split()]
        if not words or len(words) > 8:
            return None
        comma = stop is not None and stop.group() == ","
        named = self.actors_in(end, min(end + 60, sentence[1])) if comma else []
        if (
            named
            and named[0][0] <= end + 2
            and words[-1] in lx.ROLE_NOUNS
            and named[0][2].type == self.reg.types["Person"]
        ):
            return named[0][2]  # "the killing of a police officer, NAME"
        if words[-1] in lx.COLLECTIVE_HEADS or words[-1] in lx.ROLE_NOUNS or _NUMBER.match(phrase):
            begin = offset + self.text[offset:end].index(phrase)
            return self.group(phrase, begin, begin + len(phrase))
        return None

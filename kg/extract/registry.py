"""The entities of one document as the extractor finds them, with their mentions and context."""

from __future__ import annotations

import bisect
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from kg.ids import make_id, stable_hash
from kg.model import Document
from kg.schema import Schema

from .gazetteer import GazEntry, Gazetteer
from .tokens import name_key

__all__ = ["CountryRef", "DocEntity", "Mention", "Registry", "Span", "group_words", "of_country"]

_make_id = lru_cache(maxsize=65536)(make_id)
_START = operator.attrgetter("start")
_END = operator.attrgetter("end")

Span = tuple[int, int]


@dataclass
class DocEntity:
    """An entity proposed for the draft: its id, type, names, kind, evidence and the rule."""

    key: str
    type: str
    name: str
    rule: str
    kind: str | None = None
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, object] = field(default_factory=dict)
    evidence: list[Span] = field(default_factory=list)
    gaz: GazEntry | None = None
    country: str | None = None
    """Key of the Country entity this one belongs to, when the text says so."""
    _seen: set[Span] = field(default_factory=set, repr=False, compare=False)
    """The spans of ``evidence[:_indexed]``, for lookups (the list only grows)."""
    _indexed: int = field(default=0, repr=False, compare=False)

    def has_evidence(self, span: Span) -> bool:
        """Whether ``span`` is in ``evidence``, in O(1): a long article repeats a name often."""
        if self._indexed < len(self.evidence):
            self._seen.update(self.evidence[self._indexed :])
            self._indexed = len(self.evidence)
        return span in self._seen

    def add_alias(self, alias: str) -> None:
        alias = " ".join(alias.split())
        if alias and name_key(alias) != name_key(self.name) and alias not in self.aliases:
            self.aliases.append(alias)


class Mention(NamedTuple):
    """A stretch of text naming an entity (a tuple: made, hashed and sorted in C)."""

    start: int
    end: int
    key: str
    rule: str = "gazetteer"


class CountryRef(NamedTuple):
    """A place in the text that points at a country: its name, a demonym, a city, a leader."""

    start: int
    end: int
    country: str
    """Canonical country name (as in the gazetteer)."""


def of_country(name: str) -> str:
    """A country's name as it follows "of": with "the" where English puts one.

    >>> of_country("Philippines"), of_country("United States"), of_country("Niger")
    ('the Philippines', 'the United States', 'Niger')
    """
    words = name.split()
    plural = words[-1].endswith("s") and not words[-1].endswith(("ss", "us"))
    if (
        plural
        or words[0] in ("United", "Central", "Democratic")
        or {"Republic", "Union", "Kingdom"} & set(words)
    ):
        return "the " + name
    return name


_GROUP_STOP = frozenset(
    str.split(
        """
        the a an some of in on at for and to from by with its their his her several many all
        other about dozens hundreds thousands
        """
    )
)


@lru_cache(maxsize=65536)
def group_words(name: str) -> tuple[str | None, frozenset[str]]:
    """The head noun and content words of a Group's name, plural endings dropped.

    >>> head, words = group_words("Residents of the border district")
    >>> head, sorted(words)
    ('resident', ['border', 'district', 'resident'])
    """
    words = [w.strip(".,'’\"").casefold().removesuffix("'s") for w in name.split()]
    words = [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words
    ]
    head = None
    for w in words:
        if w in ("in", "of", "from", "at", "on", "for", "who", "that"):
            break
        if w not in _GROUP_STOP and not w.isdigit():
            head = w
    return head, frozenset(w for w in words if w not in _GROUP_STOP and not w.isdigit())


class Registry:
    """Entities, mentions and country references of one document."""

    def __init__(
        self, doc: Document, schema: Schema, gazetteer: Gazetteer, types: dict[str, str]
    ) -> None:
        self.doc, self.schema, self.gazetteer, self.types = doc, schema, gazetteer, types
        self.entities: dict[str, DocEntity] = {}
        self.tag = stable_hash(doc.id, length=4)
        """Short, stable mark of the document for ids that must not merge across articles."""
        self._mentions: list[Mention] = []
        self._dropped: dict[Span, int] = {}
        """Spans forgotten, each with how many mentions there were then: dropped when next read."""
        self.country_refs: list[CountryRef] = []
        self.citations: list[tuple[int, int, str]] = []
        """(start, end, source key) of each citation such as "(Liter, August 6)"."""
        self._groups: dict[str, list[tuple[str, frozenset[str]]]] = {}
        """Groups by head noun, with their words: to find the Group a phrase repeats."""
        self.decisions: list[tuple[int, int, str]] = []
        """(start, end, reason) of each decision to link a short mention, or not to."""
        self._by_gaz: dict[int, str] = {}
        self._by_name: dict[tuple[str, ...], str] = {}
        self._names_of: dict[str, list[tuple[str, ...]]] = {}
        """The name keys ``_by_name`` maps to each entity key (for ``rekey``)."""
        self._mentioned: set[str] = set()
        """Every entity key a mention was ever made with (for ``rekey``)."""
        self._starts: list[int] | None = None
        """Starts of the mentions; once ``finish()`` sorted them, kept sorted as mentions come."""
        self._late: list[Mention] = []
        self._late_starts: list[int] = []
        """Mentions added since ``finish()``, sorted by start: merged into the others when read
        as a whole or when there are many, so adding one does not move a long list."""
        self._spans: Counter[Span] = Counter()
        self._refs_seen, self._refs_version = (-1, 0), 0
        """(version, length) of ``country_refs`` when its runs and focus were last computed."""
        self._runs: list[tuple[int, int]] = []
        """Stretches of ``country_refs`` in order of their start: (first index, end index)."""
        self._ref_starts: list[int] = []
        self._focus: str | None = None
        self._counts: Counter[str] = Counter()
        self.asides: list[Span] = [
            (m.start(), m.end())
            for m in re.finditer(
                r",\s+(?:who|which|where|whose|(?:the|a|an|its|his|her|their)\s)[^,.;()]{1,100}?,",
                doc.text,
            )
        ]
        """Relative clauses and appositions set off by commas: side remarks."""
        self._aside_starts = [s for s, _ in self.asides]

    # -- entities -------------------------------------------------------------------------------
    def prefix(self, type_name: str) -> str:
        return self.schema.types[type_name].prefix

    def add(
        self,
        type_name: str,
        name: str,
        rule: str,
        span: Span | None = None,
        *,
        kind: str | None = None,
        gaz: GazEntry | None = None,
    ) -> DocEntity:
        """The entity with this name (or gazetteer entry), created if new; ``span`` is evidence."""
        name = " ".join(name.split())
        key_of_name = name_key(name)
        found = None
        if gaz is not None:
            found = self._by_gaz.get(id(gaz))
        if found is None and type_name == self.types["Group"]:
            found = self._group_twin(name)
        if found is None:
            found = self._by_name.get(key_of_name)
            if found is not None and self.entities[found].type != type_name:
                found = None
        if found is None:
            key = gaz.key if gaz is not None else _make_id(self.prefix(type_name), name)
            if type_name == self.types["Group"]:
                key += "-" + self.tag  # unnamed actors are this article's own
            while key in self.entities:
                key += "-2"
            entity = DocEntity(
                key,
                type_name,
                gaz.name if gaz else name,
                rule,
                kind or (gaz.kind if gaz else None),
                gaz=gaz,
            )
            if gaz is not None:
                for alias in gaz.names(self.doc.id)[1:]:
                    entity.add_alias(alias)
                if gaz.code:
                    entity.properties["code"] = gaz.code
            self.entities[key] = entity
            found = key
            if type_name == self.types["Group"]:
                head, words = group_words(entity.name)
                if head is not None:
                    self._groups.setdefault(head, []).append((key, words))
            if gaz is not None:
                self._by_gaz[id(gaz)] = key
            for alias in (entity.name, *entity.aliases):
                self._name(name_key(alias), key)
        entity = self.entities[found]
        self._name(key_of_name, found)
        if name != entity.name:  # the name itself is never an alias
            entity.add_alias(name)
        if span is not None and not entity.has_evidence(span):
            entity.evidence.append(span)
        if kind and not entity.kind:
            entity.kind = kind
        return entity

    def _group_twin(self, name: str) -> str | None:
        """An earlier Group with the same head whose words contain this one's, or the reverse.

        "Residents" and "Residents of the border district" are one group of one article.
        """
        head, words = group_words(name)
        for key, other in self._groups.get(head or "", ()):
            if words <= other or other <= words:
                return key
        return None

    def explain(self, start: int, end: int, reason: str) -> None:
        """Record why the mention at ``start..end`` was (or was not) linked to a known entity."""
        self.decisions.append((start, end, reason))

    def rekey(self, entity: DocEntity, key: str) -> None:
        """Give an entity a new id (kept unique), moving its mentions and name index with it."""
        if key == entity.key:
            return
        while key in self.entities:
            key += "-2"
        old = entity.key
        del self.entities[old]
        entity.key = key
        self.entities[key] = entity
        for name in self._names_of.pop(old, []):
            if self._by_name.get(name) == old:
                self._name(name, key, replace=True)
        self._by_gaz = {k: (key if v == old else v) for k, v in self._by_gaz.items()}
        if old in self._mentioned:
            self._mentioned.add(key)
            self.mentions = [
                Mention(m.start, m.end, key, m.rule) if m.key == old else m for m in self.mentions
            ]

    def _name(self, name: tuple[str, ...], key: str, replace: bool = False) -> None:
        """Map a name key to an entity key, unless it names another one already."""
        if replace or name not in self._by_name:
            self._by_name[name] = key
            self._names_of.setdefault(key, []).append(name)

    def alias(self, entity: DocEntity, alias: str) -> None:
        entity.add_alias(alias)
        self._name(name_key(alias), entity.key)

    def named(self, name: str) -> DocEntity | None:
        key = self._by_name.get(name_key(name))
        return self.entities.get(key) if key else None

    def country(self, name: str, span: Span | None, rule: str = "gazetteer") -> DocEntity | None:
        """The Country entity of a gazetteer country name, created on first use."""
        entry = self.gazetteer.by_name(name)
        if entry is None or entry.type != self.types["Country"]:
            return self.named(name)
        return self.add(entry.type, entry.name, rule, span, gaz=entry)

    # -- mentions -------------------------------------------------------------------------------
    @property
    def mentions(self) -> list[Mention]:
        if self._late:
            self._merge_late()
        self._drop_forgotten()
        return self._mentions

    @mentions.setter
    def mentions(self, mentions: list[Mention]) -> None:
        self._mentions, self._dropped = mentions, {}
        self._late, self._late_starts = [], []

    def _drop_forgotten(self) -> None:
        if self._dropped:
            dropped, self._dropped = self._dropped, {}
            self._mentions = [
                m for k, m in enumerate(self._mentions) if k >= dropped.get((m.start, m.end), 0)
            ]

    def _merge_late(self) -> None:
        """Move the late mentions among the others: after those with the same start, in order."""
        late, self._late, self._late_starts = self._late, [], []
        self._mentions = self._mentions + late
        self._mentions.sort(key=_START)  # stable, two sorted runs: a merge in C
        self._starts = [m.start for m in self._mentions]

    def mention(self, start: int, end: int, entity: DocEntity, rule: str = "gazetteer") -> None:
        mention = Mention(start, end, entity.key, rule)
        spans = self._spans
        spans[start, end] = spans.get((start, end), 0) + 1
        self._mentioned.add(entity.key)
        if self._starts is None:
            self._mentions.append(mention)  # the forgotten ones keep their places until read
            return
        i = bisect.bisect_right(self._late_starts, start)  # after finish(): in order of start
        self._late.insert(i, mention)
        self._late_starts.insert(i, start)
        if len(self._late) > 4096:
            self._merge_late()

    def forget(self, start: int, end: int) -> None:
        """Drop the mentions of exactly this span (a better reading replaces them)."""
        if not self._spans.pop((start, end), 0):
            return
        if self._starts is None:
            self._dropped[start, end] = len(self._mentions)
            return
        self.mentions = [m for m in self.mentions if (m.start, m.end) != (start, end)]
        self._starts = [m.start for m in self.mentions]

    def finish(self) -> None:
        """Sort mentions; drop those inside a longer mention of another entity of the same type."""
        ordered = sorted(set(self.mentions), key=_END, reverse=True)  # reversed, still stable
        ordered.sort(key=_START)  # by start, the longest first: two sorts in C, no key tuples
        kept: list[Mention] = []
        outer: Mention | None = None
        for m in ordered:
            if outer is not None and m.start < outer.end and m.end <= outer.end:
                inner_type, outer_type = self.type_of(m.key), self.type_of(outer.key)
                owned = self.doc.text[max(outer.start, m.start - 4) : m.start] in (
                    "in ",
                    " in ",
                    "of ",
                    " of ",
                )
                if m.key == outer.key or (inner_type == outer_type and not owned):
                    continue
                if (
                    outer_type == self.types["Organisation"]
                    and inner_type in (self.types["Place"], self.types["Country"])
                    and not owned
                ):
                    continue  # "Sinjar Resistance Units", "OSCE Minsk Group": a name, not the place
            elif outer is None or m.start >= outer.end:
                outer = m
            kept.append(m)
        self.mentions = kept
        self._starts = [m.start for m in kept]
        self._spans = Counter(zip(self._starts, [m.end for m in kept], strict=True))
        self.country_refs.sort()
        self._refs_version += 1

    def between(self, start: int, end: int) -> list[Mention]:
        """Mentions lying inside ``[start, end)``."""
        self._drop_forgotten()
        out = self._inside(self._mentions, self._starts, start, end)
        late = self._inside(self._late, self._late_starts, start, end) if self._late else None
        if late:
            out = sorted(out + late, key=_START) if out else late
        return out

    @staticmethod
    def _inside(
        mentions: list[Mention], starts: list[int] | None, start: int, end: int
    ) -> list[Mention]:
        if starts is not None:  # sorted: the mentions starting inside, filtered by their end
            i = bisect.bisect_left(starts, start)
            return [m for m in mentions[i : bisect.bisect_left(starts, end, i)] if m.end <= end]
        # no index before finish(): no order
        i = bisect.bisect_left([m.start for m in mentions], start)
        out = []
        while i < len(mentions) and mentions[i].start < end:
            if mentions[i].end <= end:
                out.append(mentions[i])
            i += 1
        return out

    def at(self, start: int) -> Mention | None:
        """The first of ``between(start, start + 400)`` if it starts at ``start``, found at once."""
        self._drop_forgotten()
        end = start + 400
        for mentions, starts in ((self._mentions, self._starts), (self._late, self._late_starts)):
            if starts is None:
                starts = [m.start for m in mentions]
            i = bisect.bisect_left(starts, start)
            while i < len(mentions) and mentions[i].start == start:
                if mentions[i].end <= end:
                    return mentions[i]
                i += 1
        return None

    def type_of(self, key: str) -> str:
        return self.entities[key].type

    def possessive(self, mention: Mention) -> bool:
        return self.possessive_at(mention.end)

    def possessive_at(self, offset: int) -> bool:
        """Whether the text at ``offset`` is a possessive ending (’s)."""
        return self.doc.text[offset : offset + 2] in ("’s", "'s")

    # -- countries ------------------------------------------------------------------------------
    def _index_refs(self) -> None:
        """Find the sorted stretches of ``country_refs`` and the focus, when the list changed."""
        refs, (version, seen) = self.country_refs, self._refs_seen
        if version == self._refs_version and seen == len(refs):
            return
        if version != self._refs_version or seen > len(refs):
            self._runs, self._ref_starts, self._counts, seen = [], [], Counter(), 0
        for k in range(seen, len(refs)):
            start = refs[k].start
            if self._runs and self._ref_starts[-1] <= start:
                self._runs[-1] = (self._runs[-1][0], k + 1)
            else:
                self._runs.append((k, k + 1))
            self._ref_starts.append(start)
            self._counts[refs[k].country] += 1
        top = self._counts.most_common(1)
        self._focus = top[0][0] if top else None
        self._refs_seen = (self._refs_version, len(refs))

    def focus_country(self) -> str | None:
        """The country the document talks about most."""
        self._index_refs()
        return self._focus

    def aside(self, offset: int) -> bool:
        """Whether ``offset`` lies in a relative clause or an apposition."""
        i = bisect.bisect_left(self._aside_starts, offset) - 1  # asides never overlap
        return i >= 0 and self.asides[i][1] > offset

    def country_near(self, offset: int, paragraph_start: int) -> str | None:
        """The country of the nearest reference before ``offset`` in its paragraph, or the focus.

        "Nearest": the one added last of those before ``offset`` and outside side remarks."""
        self._index_refs()
        best = -1
        for first, end in self._runs:
            k = bisect.bisect_left(self._ref_starts, offset, first, end) - 1
            while k >= first and k > best and self.aside(self._ref_starts[k]):
                k -= 1
            if k >= first:
                best = max(best, k)
        if best >= 0 and self._ref_starts[best] >= paragraph_start:
            return self.country_refs[best].country
        return self.focus_country()

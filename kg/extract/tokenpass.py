"""The token-level state shared by the naming passes: coverage, mentions and name cues."""

from __future__ import annotations

import bisect
import itertools

from . import lexicon as lx
from .gazetteer import GazEntry
from .registry import CountryRef, DocEntity, Registry
from .tokens import Token

__all__ = ["TokenPass"]


class TokenPass:
    """Tokens of one document, which of them a name already covers, and helpers over them."""

    def __init__(self, registry: Registry, tokens: list[Token]) -> None:
        self.reg = registry
        self.text = registry.doc.text
        self.tokens = tokens
        self.starts = [t.start for t in tokens]
        self.covered: list[str | None] = [None] * len(tokens)
        sentence_starts = [s for s, _ in registry.doc.sentences]
        self.sentence_initial = {bisect.bisect_left(self.starts, s) for s in sentence_starts}
        self.year = registry.doc.date.year if registry.doc.date else None
        self.refused: set[tuple[str, ...]] = set()
        """Short names the context refused to link to a known entity in this document."""
        self.relinked: dict[tuple[str, ...], GazEntry] = {}
        """Short names the context linked to another entry than the name's own ("Tajik" GKNB)."""
        text, titles = self.text, lx.PERSON_TITLES
        self.breaks = breaks = [0]
        """Running count of gaps a name cannot cross, so any span is checked in O(1)."""
        count = 0
        for a, b in itertools.pairwise(tokens):
            gap = text[a.end : b.start]
            if gap == " ":
                pass
            elif gap == ". ":
                # an initial inside a name ("John C. Carter", "Ye. Petrov") or an
                # abbreviated title ("Maj. Gen. Ana Cruz", "Col. Jane Doe") joins the next word
                word = a.text
                count += not (
                    b.cap
                    and (
                        (len(word) <= 2 and word[0].isupper())
                        or (len(word) <= 4 and a.norm in titles)
                    )
                )
            else:
                count += gap.strip() not in ("", "'", "’") or gap.count("\n") > 1
            breaks.append(count)

    def joinable(self, i: int, j: int) -> bool:
        """Whether tokens i..j-1 are separated by spaces only (names do not cross punctuation)."""
        if j - i < 2:
            return True
        return self.breaks[j - 1] == self.breaks[i]

    def word_before(self, i: int) -> str:
        if i <= 0:
            return ""
        gap = self.text[self.tokens[i - 1].end : self.tokens[i].start]
        return self.tokens[i - 1].norm if not gap.strip() else ""

    def token_index(self, offset: int) -> int:
        return bisect.bisect_left(self.starts, offset)

    def mark(self, i: int, j: int, key: str) -> None:
        for k in range(i, j):
            self.covered[k] = key

    def add_mention(self, i: int, j: int, entity: DocEntity, rule: str) -> None:
        start, end = self.tokens[i].start, self.tokens[j - 1].end
        self.reg.mention(start, end, entity, rule)
        if len(entity.evidence) < 2 and (start, end) not in entity.evidence:
            entity.evidence.append((start, end))
        self.mark(i, j, entity.key)

    def country_ref(self, start: int, end: int, country: str | None) -> None:
        if country:
            entry = self.reg.gazetteer.by_name(country)
            if entry is not None and entry.type == self.reg.types["Country"]:
                self.reg.country_refs.append(CountryRef(start, end, entry.name))

    def refs_of(self, entry: GazEntry, start: int, end: int) -> None:
        if entry.type == self.reg.types["Country"]:
            self.country_ref(start, end, entry.name)
        elif entry.country:
            self.country_ref(start, end, entry.country)
        for post in entry.posts:
            if self.year is None or post.start <= self.year <= post.end:
                self.country_ref(start, end, post.of)

    def entity_ending_at(self, k: int) -> DocEntity | None:
        key = self.covered[k]
        if key is None or key.startswith("demonym:"):
            return None
        return self.reg.entities.get(key)

    def run_start(self, k: int) -> int | None:
        """Start of the capitalised run (with inner connectors) that ends at token k."""
        if not self.tokens[k].cap:
            return None
        i = k
        while i > 0 and self.joinable(i - 1, i + 1):
            prev = self.tokens[i - 1]
            if prev.cap or (prev.norm in lx.CONNECTORS and i - 2 >= 0 and self.tokens[i - 2].cap):
                i -= 1
            else:
                break
        while i < k and (
            self.tokens[i].norm in lx.CONNECTORS or self.tokens[i].norm in lx.SENTENCE_STARTERS
        ):
            i += 1
        return i

    def org_head(self, i: int, j: int) -> str | None:
        words = [t.norm for t in self.tokens[i:j]]
        if words and words[-1] in lx.ORG_HEADS:
            return words[-1]
        if words and words[0] in lx.ORG_STARTS:
            return words[0]
        for a, b in itertools.pairwise(words):
            if a in lx.ORG_HEADS and b in ("of", "for"):
                return a
        return None

    def org_kind(self, i: int, j: int) -> str:
        words = {t.norm for t in self.tokens[i:j]}
        head = self.org_head(i, j)
        kind = lx.ORG_STARTS.get(head or "", lx.ORG_HEADS.get(head or "", "other"))
        if (
            "security" in words
            and head in ("service", "services", "committee", "council", "agency")
            and "council" not in words
        ):
            kind = "security_service"
        elif words & lx.MILITANT_WORDS and kind in ("other", "armed_force", "party"):
            kind = "militant_group"
        elif head == "movement":
            kind = "party"
        return kind

    def paragraph_start(self, offset: int) -> int:
        return self.text.rfind("\n\n", 0, offset) + 1

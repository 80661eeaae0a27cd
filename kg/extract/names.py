"""Find named entities: gazetteer names and acronyms defined in the text, then other names."""

from __future__ import annotations

import re

from . import lexicon as lx
from .capitalised import CapitalisedNames
from .gazetteer import NameHit

__all__ = ["NameFinder"]

_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&/-]{1,9})\)")
_PLACE_PREPS = lx.LOCATIVE_PREPOSITIONS | {
    "to",
    "from",
    "through",
    "via",
    "toward",
    "towards",
    "of",
    "the",
}
_PLACE_VERBS = frozenset(
    str.split(
        """
        visited visit visits visiting reached left leaving toured fled bombed attacked
        shelled captured seized liberated stormed entered surrounded
        """
    )
)


class NameFinder(CapitalisedNames):
    """Runs the naming passes over one document and fills its Registry."""

    def choose(self, hits: tuple[NameHit, ...], i: int, j: int) -> NameHit | None:
        surface = self.text[self.tokens[i].start : self.tokens[j - 1].end]
        good = []
        for hit in hits:
            if hit.document == self.reg.doc.id:
                continue
            if hit.exact_case:
                if surface.replace(".", "") != hit.surface.replace(".", ""):
                    continue
            elif not surface[0].isupper() and hit.surface[0].isupper():
                continue
            good.append(hit)
        good.sort(key=lambda h: (h.demonym, h.document is not None))
        return good[0] if good else None

    def gazetteer_pass(self) -> None:
        gaz, toks, n = self.reg.gazetteer, self.tokens, len(self.tokens)
        i = 0
        lower_starts = gaz.lower_starts
        while i < n:
            token = toks[i]
            if not token.text[0].isupper() and token.norm not in lower_starts:
                i += 1  # names start with a capital, except a few such as al-Qaeda
                continue
            longest = gaz.first_tokens.get(token.norm, 0)
            step = 1
            for length in range(min(longest, n - i), 0, -1):
                if length > 1 and not self.joinable(i, i + length):
                    continue
                hits = gaz.index.get(tuple(t.norm for t in toks[i : i + length]))
                hit = self.choose(hits, i, i + length) if hits else None
                if hit is not None:
                    self.take(hit, i, i + length)
                    step = length
                    break
            i += step

    def take(self, hit: NameHit, i: int, j: int) -> None:
        entry = self.reg.gazetteer.entries[hit.entry]
        start, end = self.tokens[i].start, self.tokens[j - 1].end
        if hit.demonym:
            self.country_ref(start, end, entry.name)
            self.mark(i, j, "demonym:" + entry.name)
            return
        if entry.capital_of and self.metonymy(i, j):
            country = self.reg.country(entry.capital_of, None, "metonymy")
            if country is not None:
                self.reg.alias(country, self.text[start:end])
                self.add_mention(i, j, country, "metonymy")
                self.country_ref(start, end, entry.capital_of)
                return
        entity = self.reg.add(entry.type, entry.name, "gazetteer", None, gaz=entry)
        self.add_mention(i, j, entity, "gazetteer")
        self.refs_of(entry, start, end)

    def metonymy(self, i: int, j: int) -> bool:
        """A capital city standing for its state: not after a place preposition, not a modifier."""
        before = self.word_before(i)
        if before in ("and", "or") and i >= 2:
            before = self.word_before(i - 2)
        if (
            before in _PLACE_PREPS
            or before in _PLACE_VERBS
            or self.reg.possessive_at(self.tokens[j - 1].end)
        ):
            return False
        rest = self.text[self.tokens[j - 1].end :]
        if j < len(self.tokens) and self.tokens[j].cap and self.joinable(j - 1, j + 1):
            return False  # part of a longer name: "Minsk Group", "Moscow Times"
        after = rest.lstrip()[:12].split(" ")[0].casefold()
        return after not in lx.PLACE_HEADS and after not in ("city", "and", "-")

    def acronym_pass(self) -> None:
        for match in _ACRONYM.finditer(self.text):
            acronym = match.group(1)
            if sum(c.isupper() for c in acronym) < 2:
                continue
            k = self.token_index(match.start()) - 1
            if k < 0:
                continue
            entity = self.entity_ending_at(k)
            known = self.entity_ending_at(self.token_index(match.start(1)))
            if (
                entity is None
                and known is not None
                and known.type == self.reg.types["Organisation"]
            ):
                i = self.run_start(k)
                if i is not None and k - i >= 1:  # "State Committee for National Security (GKNB)"
                    self.reg.alias(known, self.text[self.tokens[i].start : self.tokens[k].end])
                    self.add_mention(i, k + 1, known, "acronym-definition")
                continue
            if entity is None:
                i = self.run_start(k)
                if i is None or k - i < 1:
                    continue
                name = self.text[self.tokens[i].start : self.tokens[k].end]
                initials = "".join(t.text[0] for t in self.tokens[i : k + 1] if t.cap)
                type_name = self.reg.types["Organisation"]
                if self.org_head(i, k + 1) is None and initials.upper() != acronym.upper():
                    continue
                entity = self.reg.add(
                    type_name, name, "acronym-definition", None, kind=self.org_kind(i, k + 1)
                )
                self.add_mention(i, k + 1, entity, "acronym-definition")
            self.reg.alias(entity, acronym)
            for m in re.finditer(r"(?<![\w-])" + re.escape(acronym) + r"(?![\w-])", self.text):
                t = self.token_index(m.start())
                if t < len(self.tokens) and self.covered[t] != entity.key:
                    self.reg.forget(m.start(), m.end())
                    self.add_mention(t, t + 1, entity, "acronym")

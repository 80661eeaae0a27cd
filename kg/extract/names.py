"""Find named entities: gazetteer names and acronyms defined in the text, then other names."""

from __future__ import annotations

import re

from . import lexicon as lx
from .capitalised import CapitalisedNames
from .gazetteer import GazEntry, NameHit
from .linking import LinkDecision, decide_link, is_short
from .registry import DocEntity
from .tokens import name_key, stripped_after

__all__ = ["NameFinder"]

_DATELINE = re.compile(
    r"^(?P<places>[A-Z][A-Z'’.-]+(?:[ /][A-Z][A-Z'’.-]+){0,3})"
    r"(?=,\s*(?:[A-Z][a-z]{2,9}\.?\s+\d|\d{1,2}\s+[A-Z][a-z])|\s*(?:\([^()]{1,30}\)\s*)?[-–—]\s)",
    re.MULTILINE,
)
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&/-]{1,9})\)")
_WORD = re.compile(r"[\w-]+")
_CAPITAL_RUN = re.compile(r"[A-Z](?<![\w-].)[\w-]*")
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


def _abbreviates(acronym: str, initials: str) -> bool:
    """Whether an acronym is made of a name's initials, perhaps with more letters (ECOWAS).

    >>> _abbreviates("ECOWAS", "ECWAS"), _abbreviates("KNB", "KNB"), _abbreviates("UN", "EU")
    (True, True, False)
    """
    acronym, initials = acronym.upper(), initials.upper()
    if len(initials) < 2 or acronym[:1] != initials[:1]:
        return False
    rest = iter(acronym)
    return all(letter in rest for letter in initials)


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

    def dateline_pass(self) -> None:
        """ "BISHKEK, Aug 8 -", "KABUL/ISLAMABAD -": the places a report was filed from."""
        place_type = self.reg.types["Place"]
        for match in _DATELINE.finditer(self.text):
            offset = match.start()
            for part in match.group("places").split("/"):
                start, end = offset, offset + len(part)
                offset = end + 1
                entry = self.reg.gazetteer.by_name(part)
                if entry is not None and entry.type in (place_type, self.reg.types["Country"]):
                    entity = self.reg.add(entry.type, entry.name, "dateline", None, gaz=entry)
                    self.refs_of(entry, start, end)
                elif entry is None and len(part) > 3:
                    entity = self.reg.add(place_type, part.title(), "dateline", kind="city")
                else:
                    continue
                self.reg.mention(start, end, entity, "dateline")
                if len(entity.evidence) < 2:
                    entity.evidence.append((start, end))
                first, last = self.token_index(start), self.token_index(end - 1)
                for k in range(first, min(last + 1, len(self.tokens))):
                    if self.tokens[k].start < end and self.covered[k] is None:
                        self.covered[k] = entity.key

    def gazetteer_pass(self) -> None:
        """Name the longest gazetteer names first, walking the gazetteer's trie of token keys."""
        toks, n, covered, breaks = self.tokens, len(self.tokens), self.covered, self.breaks
        trie, lower_starts = self.reg.gazetteer.trie, self.reg.gazetteer.lower_starts
        norms = [t.norm for t in toks]
        i = 0
        while i < n:
            if covered[i] is not None or (
                not toks[i].text[0].isupper() and norms[i] not in lower_starts
            ):
                i += 1  # names start with a capital, except a few such as al-Qaeda
                continue
            found: list[tuple[int, tuple[NameHit, ...]]] = []
            nodes, j = trie, i
            while j < n and (j == i or breaks[j] == breaks[i]):  # names do not cross punctuation
                node = nodes.get(norms[j])
                if node is None:
                    break
                nodes, hits = node
                j += 1
                if hits:
                    found.append((j, hits))
            step = 1
            for j, hits in reversed(found):
                hit = self.choose(hits, i, j)
                if hit is not None and self.take(hit, i, j):
                    step = j - i
                    break
            i += step

    def take(self, hit: NameHit, i: int, j: int) -> bool:
        """Name tokens i..j-1 by a gazetteer hit; False when the context forbids the link."""
        entry = self.reg.gazetteer.entries[hit.entry]
        start, end = self.tokens[i].start, self.tokens[j - 1].end
        if hit.demonym:
            self.country_ref(start, end, entry.name)
            self.mark(i, j, "demonym:" + entry.name)
            if entry.type == self.reg.types["Country"]:
                self.reg.country(entry.name, (start, end), "demonym")  # "a Finnish MP": Finland
            return True
        if entry.capital_of and self.metonymy(i, j):
            country = self.reg.country(entry.capital_of, None, "metonymy")
            if country is not None:
                self.reg.alias(country, self.text[start:end])
                self.add_mention(i, j, country, "metonymy")
                self.country_ref(start, end, entry.capital_of)
                return True
        surface_key = name_key(hit.surface)
        earlier = self.relinked.get(surface_key)
        decision = None if earlier is not None else self.check_link(entry, hit.surface, i, j)
        if earlier is not None:
            entry = earlier
            self.reg.explain(
                start, end, f"linked to {entry.key} by {hit.surface!r}: as earlier in this text"
            )
        if decision is not None and decision.reason:
            self.reg.explain(start, end, decision.reason)
        if decision is not None and not decision.linked:
            self.refused.add(name_key(hit.surface))
            qualifier = self.qualifier(i, j)
            alternative = (
                self.reg.gazetteer.alternative(entry, hit.surface, qualifier) if qualifier else None
            )
            if alternative is None:
                return False
            self.reg.explain(
                start,
                end,
                f"linked to {alternative.key} by {hit.surface!r}: of {qualifier}, as the text says",
            )
            entry = self.relinked[surface_key] = alternative
        entity = self.reg.add(entry.type, entry.name, "gazetteer", None, gaz=entry)
        self.add_mention(i, j, entity, "gazetteer")
        self.refs_of(entry, start, end)
        return True

    # -- linking short mentions -------------------------------------------------------------
    def check_link(self, entry: GazEntry, surface: str, i: int, j: int) -> LinkDecision | None:
        """The decision for a short mention of a person or organisation; None for full names."""
        types = self.reg.types
        person = entry.type == types["Person"]
        short = is_short(entry, surface)
        if not (person and short) and entry.type != types["Organisation"]:
            return None
        if name_key(surface) in self.refused:
            return LinkDecision(False, "")  # refused before: the nearest full name decides
        qualifier = self.qualifier(i, j)
        if not short and qualifier is None:
            return None
        return decide_link(
            entry,
            surface,
            given=self.given_before(i) if person else None,
            titles=self.titles_before(i) if person else (),
            qualifier=qualifier,
            year=self.year,
        )

    def given_before(self, i: int) -> str | None:
        """A capitalised word right before a surname that is not a title: a given name."""
        if i == 0:
            return None
        prev = self.tokens[i - 1]
        gap = self.text[prev.end : self.tokens[i].start]
        if gap == ". " and len(prev.text) == 1 and prev.cap:
            return prev.text + "."  # an initial: "R. Kadyrov"
        if gap != " " or not prev.cap or self.covered[i - 1] is not None:
            return None
        if prev.norm in lx.PERSON_TITLES or prev.norm in lx.SENTENCE_STARTERS:
            return None
        if prev.norm in lx.DETERMINERS or prev.norm in lx.MONTHS:
            return None
        return prev.text

    def titles_before(self, i: int) -> tuple[str, ...]:
        k = i
        while k > 0 and self.joinable(k - 1, i + 1) and self.tokens[k - 1].norm in lx.PERSON_TITLES:
            k -= 1
        return tuple(t.text for t in self.tokens[k:i])

    def qualifier(self, i: int, j: int) -> str | None:
        """The country a mention is qualified with: "Tajik GKNB", "Tajikistan's KNB", "KNB of X"."""
        country_type = self.reg.types["Country"]
        if i >= 1 and self.text[self.tokens[i].start - 1] == "(":
            run = self.run_start(i - 1)  # "Tajikistan's State Committee ... (GKNB)"
            return self.qualifier(run, run + 1) if run is not None else None
        if i >= 1 and (self.covered[i - 1] or "").startswith("demonym:"):
            return (self.covered[i - 1] or "").split(":", 1)[1]
        if (
            i >= 2
            and self.tokens[i - 1].norm == "s"
            and self.reg.possessive_at(self.tokens[i - 2].end)
        ):
            owner = self.entity_ending_at(i - 2)
            if owner is not None and owner.type == country_type:
                return owner.name
        if j + 1 < len(self.tokens) and self.tokens[j].norm == "of" and self.joinable(j - 1, j + 2):
            entry = self.reg.gazetteer.by_name(self.tokens[j + 1].text)
            if entry is not None and entry.type == country_type:
                return entry.name
        return None

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
        if j < len(self.tokens) and self.tokens[j].cap and self.joinable(j - 1, j + 1):
            return False  # part of a longer name: "Minsk Group", "Moscow Times"
        if before in lx.METONYMY_BEFORE:
            return True  # "regarded by Ankara", "talks between Baghdad and Erbil"
        after = stripped_after(self.text, self.tokens[j - 1].end, 24).split(" ")
        verb = after[0].casefold()
        if verb.endswith("ly") and len(after) > 1:
            verb = after[1].casefold()  # "Moscow firmly denied"
        return verb in lx.METONYMY_VERBS

    def acronym_uses(self, acronyms: set[str]) -> dict[str, list[tuple[int, int, int]]]:
        """Where each acronym stands in the text, (start, end, token), found in one scan (one
        more for each acronym with "&" or "/", which spans words and may overlap another)."""
        uses: dict[str, list[tuple[int, int, int]]] = {a: [] for a in acronyms}
        plain = {a for a in acronyms if _WORD.fullmatch(a)}
        for a in sorted(acronyms - plain):
            for m in re.finditer(r"(?<![\w-])" + re.escape(a) + r"(?![\w-])", self.text):
                uses[a].append((m.start(), m.end(), self.token_index(m.start())))
        if plain:  # a plain acronym stands alone: a whole run of word characters, capital first
            for m in _CAPITAL_RUN.finditer(self.text):
                if m.group() in plain:
                    uses[m.group()].append((m.start(), m.end(), self.token_index(m.start())))
        return uses

    def acronym_pass(self) -> None:
        defined = [
            match
            for match in _ACRONYM.finditer(self.text)
            if sum(c.isupper() for c in match.group(1)) >= 2
        ]
        uses = self.acronym_uses({match.group(1) for match in defined})
        owners: dict[int, list[str]] = {}
        for acronym, found in uses.items():
            for _, _, t in found:
                owners.setdefault(t, []).append(acronym)
        linked: dict[str, str] = {}
        """Acronyms whose every use names this entity key: a definition again changes nothing."""

        def cover(i: int, j: int, entity: DocEntity, rule: str) -> None:
            self.add_mention(i, j, entity, rule)
            for t in range(i, j):
                for acronym in owners.get(t, ()):
                    linked.pop(acronym, None)

        for match in defined:
            acronym = match.group(1)
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
                    cover(i, k + 1, known, "acronym-definition")
                continue
            if entity is None:
                i = self.run_start(k)
                if i is None or k - i < 1:
                    continue
                name = self.text[self.tokens[i].start : self.tokens[k].end]
                initials = "".join(t.text[0] for t in self.tokens[i : k + 1] if t.cap)
                type_name = self.reg.types["Organisation"]
                if self.org_head(i, k + 1) is None and not _abbreviates(acronym, initials):
                    continue
                entity = self.reg.add(
                    type_name, name, "acronym-definition", None, kind=self.org_kind(i, k + 1)
                )
                cover(i, k + 1, entity, "acronym-definition")
            self.reg.alias(entity, acronym)
            if linked.get(acronym) == entity.key:
                continue
            for start, end, t in uses[acronym]:
                if t < len(self.tokens) and self.covered[t] != entity.key:
                    self.reg.forget(start, end)
                    cover(t, t + 1, entity, "acronym")
                    self.reg.explain(
                        start,
                        end,
                        f"linked to {entity.key} by {acronym!r}: the text defines the acronym",
                    )
            linked[acronym] = entity.key

"""Capitalised names the gazetteer does not know, typed by cues: titles, heads, places."""

from __future__ import annotations

import re

from . import lexicon as lx
from .namecues import (
    NAMED,
    PLACE_NOUN_BEFORE,
    ROLE_AFTER,
    ROLE_BEFORE,
    SPEAKS_AFTER,
    context_type,
)
from .registry import DocEntity, of_country
from .tokenpass import TokenPass
from .tokens import Token, stripped_after

__all__ = ["CapitalisedNames", "surname_like"]

_PARTICLE = re.compile(r"(?:al|el|ad|ash|as|bin|ibn|abu|ul)-[A-Z]")
_PARTICLE_STARTS = frozenset(("al", "el", "ad", "as", "bi", "ib", "ab", "ul"))


def _particle(token: Token) -> bool:
    """Lower-case name particles joined to a capitalised name: al-Jubouri, el-Sisi."""
    return token.text[:2] in _PARTICLE_STARTS and bool(_PARTICLE.match(token.text))


_POSSESSIVE = ("’s", "'s")


def surname_like(token: Token) -> bool:
    """Whether a word ends like a surname of the region (-ov, -eva, -shvili, -yan...)."""
    word = token.norm
    return len(word) > 4 and word.endswith(lx.SURNAME_SUFFIXES)


class CapitalisedNames(TokenPass):
    """Persons, organisations and places written with capitals, recognised by their cues."""

    def runs(self) -> list[tuple[int, int]]:
        """Maximal capitalised runs (connectors allowed inside) as token ranges."""
        found, toks, n, i = [], self.tokens, len(self.tokens), 0
        text, breaks, initial_tokens = self.text, self.breaks, self.sentence_initial
        connectors, heads = lx.CONNECTORS, lx.ORG_HEADS
        while i < n:
            if not toks[i].cap and (
                toks[i].text[:2] not in _PARTICLE_STARTS or not _particle(toks[i])
            ):
                i += 1
                continue
            j = i + 1
            while j < n and breaks[j] == breaks[j - 1]:  # joinable(j - 1, j + 1)
                before, word = toks[j - 1], toks[j]
                if text[before.end : before.end + 2] in _POSSESSIVE:
                    # "Prosecutor General’s Office": the possessive is inside the name
                    if (
                        word.norm == "s"
                        and j + 1 < n
                        and toks[j + 1].cap
                        and toks[j + 1].norm in heads
                    ):
                        j += 2
                        continue
                    break
                if (word.cap or _particle(word)) and (
                    j not in initial_tokens
                    or (len(before.text) <= 2 and text[before.end] == ".")  # an initial
                ):
                    j += 1
                elif (
                    (
                        word.norm in connectors
                        or (
                            word.norm == "on"
                            and before.norm in heads
                            and j + 1 < n
                            and toks[j + 1].norm not in lx.MONTHS
                            and toks[j + 1].norm not in lx.WEEKDAYS
                        )
                    )
                    and j + 1 < n
                    and toks[j + 1].cap
                    and breaks[j + 1] == breaks[j]  # joinable(j, j + 2)
                ):
                    j += 2
                else:
                    break
            found.append((i, j))
            i = j
        return found

    def run_pass(self) -> None:
        for i, j in self.runs():
            self.read_run(i, j)

    def read_run(self, i: int, j: int) -> None:
        """Type one capitalised run: an organisation by its head, or persons and places."""
        while i < j and (
            self.tokens[i].norm in lx.DETERMINERS
            or self.tokens[i].norm in lx.CONNECTORS
            or (i in self.sentence_initial and self.tokens[i].norm in lx.SENTENCE_STARTERS)
        ):
            i += 1
        k = i
        while k < j and self.header_word(k):
            k += 1
        if k < j:
            i = k  # "PRESS RELEASE Ministry of ...": a heading above the name
        if i >= j or (
            all(self.covered[k] is not None for k in range(i, j)) and not self.org_head(i, j)
        ):
            return
        if self.event_name(i, j):
            return
        split = self.title_split(i, j)
        if split is not None:
            self.read_run(i, split)  # "Harbour County Police" before "Commander Jane Doe"
            self.pieces(split, j)
            return
        if self.org_head(i, j) and not self.single_known(i, j):
            self.organisation(i, j)
            return
        self.pieces(i, j)

    def title_split(self, i: int, j: int) -> int | None:
        """Where a title and the name after it start inside a longer run, if they do.

        "Harbour County Police Commander Jane Doe", "Ousted President Anna Berg",
        "U.S. Acting Deputy Secretary of State Mary Hale": the person is the run's tail.
        """
        toks = self.tokens
        last = None
        for k in range(i + 1, j - 1):
            if (
                toks[k].norm in lx.PERSON_TITLES
                and toks[k].norm not in lx.NAME_TITLES
                and self.covered[k] is None
            ):
                last = k
        if last is None:
            return None
        n = last + 1
        if toks[n].norm == "of":
            n += 1
            while n < j and toks[n].norm in lx.GENERIC_BODY_WORDS:
                n += 1
        name = toks[n:j]
        if not 1 <= len(name) <= 4 or any(
            t.norm in lx.ORG_HEADS
            or t.norm in lx.PLACE_HEADS
            or t.norm in lx.GENERIC_BODY_WORDS
            or t.norm in lx.PERSON_TITLES
            or t.norm in lx.CONNECTORS
            or self.covered[k] is not None
            for k, t in enumerate(name, n)
        ):
            return None
        start = last
        while start > i and toks[start - 1].norm in lx.PERSON_TITLES:
            start -= 1
        return start if start > i else None

    def header_word(self, i: int) -> bool:
        """An all-capital word of four letters or more that no name covers: a heading."""
        text = self.tokens[i].text
        return len(text) >= 4 and text.isupper() and self.covered[i] is None

    def single_known(self, i: int, j: int) -> bool:
        """Whether one gazetteer mention already covers the whole run (after a demonym)."""
        while i < j - 1 and (self.covered[i] or "").startswith("demonym:"):
            i += 1
        key = self.covered[i]
        return key is not None and all(self.covered[k] == key for k in range(i, j))

    def event_name(self, i: int, j: int) -> bool:
        if self.tokens[i].norm in lx.EVENT_NAME_WORDS:
            return True
        rest = stripped_after(self.text, self.tokens[j - 1].end, 200)
        if rest.count(" ") < 2 and len(rest) == 200:
            rest = self.text[self.tokens[j - 1].end :].lstrip()  # a very long word
        following = rest.split(" ", 2)
        if following and re.fullmatch(r"\d{4}", following[0]):
            return (
                len(following) > 1 and following[1].strip(".,;").casefold() in lx.EVENT_NAME_WORDS
            )
        return bool(following) and following[0].strip(".,;").casefold() in lx.EVENT_NAME_WORDS

    def organisation(self, i: int, j: int) -> None:
        """A capitalised organisation name, with the country its words or context give."""
        country: str | None = None
        start, end = self.tokens[i].start, self.tokens[j - 1].end
        for k in range(i, j):
            key = self.covered[k]
            if key and key.startswith("demonym:"):
                country = key.split(":", 1)[1]
        qualified = None
        if country is not None and j - i > 1 and (self.covered[i] or "").startswith("demonym:"):
            qualified = self.text[start:end]  # "Russian State Duma": the name is "State Duma"
            i += 1
            start = self.tokens[i].start
        tail = self.entity_ending_at(j - 1)
        if (
            tail is not None
            and tail.type == self.reg.types["Country"]
            and j - i > 2
            and self.tokens[j - 2].norm == "of"
        ):
            country = tail.name
        name = self.text[start:end]
        before = self.tokens[i - 1] if i else None
        if before is not None and self.reg.possessive_at(before.end):
            owner = self.entity_ending_at(i - 1)
            if owner is not None and owner.type == self.reg.types["Country"]:
                country, start = owner.name, before.start
                name = self.text[start:end]
        generic = all(t.norm in lx.GENERIC_BODY_WORDS for t in self.tokens[i:j])
        if generic and j - i == 1 and i in self.sentence_initial:
            return  # "Police detained...": a capitalised common noun
        if generic and qualified is not None and country is not None:
            name = f"{name} of {of_country(country)}"  # "Armenian Defence Ministry"
        own_words = None
        if generic and country is None:
            paragraph = self.paragraph_start(start)
            country = self.reg.country_near(start, paragraph)
            if country is None:
                return
            own_words, name = name, f"{name} of {of_country(country)}"
        entity = self.reg.add(
            self.reg.types["Organisation"],
            name,
            "organisation-head",
            None,
            kind=self.org_kind(i, j),
        )
        if own_words is not None:
            entity.add_alias(own_words)  # the text's own wording, not a key for other countries
        if qualified is not None:
            self.reg.alias(entity, qualified)
        if country:
            body = " ".join(self.text[self.tokens[i].start : end].split())
            entry = self.reg.gazetteer.by_name(country)
            self.reg.alias(entity, f"{body} of {of_country(country)}")
            self.reg.alias(entity, f"{country}'s {body}")
            for other in entry.aliases if entry is not None else ():
                self.reg.alias(entity, f"{body} of {of_country(other)}")  # "of the Kyrgyz Republic"
            if entry is not None and entry.demonyms and not body.startswith(entry.demonyms[0]):
                self.reg.alias(entity, f"{entry.demonyms[0]} {body}")
            country_entity = self.reg.country(country, None)
            entity.country = country_entity.key if country_entity else None
        keep_tail = tail is not None and country == (tail.name if tail else None)
        self.mark(i, j - 1 if keep_tail else j, entity.key)
        self.reg.mention(start, end, entity, "organisation-head")
        if len(entity.evidence) < 2:
            entity.evidence.append((start, end))

    def pieces(self, i: int, j: int) -> None:
        """Classify the uncovered stretches of a run as persons or places by their cues."""
        k, person, previous = i, False, None
        while k < j:
            if self.covered[k] is not None:
                k += 1
                continue
            m = k
            while m < j and self.covered[m] is None and self.tokens[m].norm not in ("and", "or"):
                m += 1
            if m > k:
                # "Somali and Swahili", "A and B": two names, not one; B is whatever A was
                joined = self.tokens[k - 1].norm == "and"
                was = person
                person = self.unknown(k, m, person and joined)
                if person and not was and joined and previous is not None:
                    a, b = previous
                    if b - a >= 2 and all(self.covered[x] is None for x in range(a, b)):
                        self.unknown(a, b, True)  # "A and B, the party's deputy chairmen"
                previous = (k, m)
            k = max(m, k + 1)

    def unknown(self, i: int, j: int, after_person: bool = False) -> bool:
        """Type an unknown name by its cues; whether it was taken as a person."""
        toks = self.tokens
        while i < j and toks[i].norm in lx.CONNECTORS:
            i += 1
        while j > i and toks[j - 1].norm in lx.CONNECTORS:
            j -= 1
        title_end = i
        while title_end < j and toks[title_end].norm in lx.PERSON_TITLES:
            title_end += 1
            if title_end + 2 < j and toks[title_end].norm == "of" and toks[title_end + 1].cap:
                # "Colonel of Police X", "Minister of Emergency Situations X"
                k = title_end + 1
                while k < j - 1 and toks[k].norm in lx.GENERIC_BODY_WORDS | lx.ORG_HEADS.keys():
                    k += 1
                title_end = k if k > title_end + 1 else title_end
        title = self.text[toks[i].start : toks[title_end - 1].end] if title_end > i else ""
        name_toks = toks[title_end:j]
        cut = [k for k in range(title_end, j) if toks[k].norm in ("of", "for")]
        if cut and cut[-1] + 1 < j:
            return self.unknown(cut[-1] + 1, j)  # "Portraits of Ahmad Shah X": after "of"
        if (
            not name_toks
            or len(name_toks) > 4
            or any(t.norm in lx.MONTHS or t.norm in lx.WEEKDAYS for t in name_toks)
        ):
            return False
        if all(t.text.isupper() and len(t.text) > 1 for t in name_toks):
            return False  # an acronym nobody defined: its type is unknown
        start, end = name_toks[0].start, name_toks[-1].end
        if self.headed_place(title_end, j) or self.militant(i, j):
            return False
        before = self.text[max(0, toks[i].start - 140) : toks[i].start]
        cue = None if title else context_type(self.text, start, end, before)
        if cue is not None:
            role, kind, rule = cue
            if rule != "member-noun" or not any(t.norm in lx.NOT_NAMES for t in name_toks):
                entity = self.reg.add(
                    self.reg.types[role], self.text[start:end], rule, kind=kind or None
                )
                self.add_mention(title_end, j, entity, rule)
            return False
        if not after_person and self.place_cue(before, i, name_toks):
            return False
        if (
            after_person
            and len(name_toks) >= 2
            and not any(t.norm in lx.NOT_NAMES or t.norm in lx.ORG_HEADS for t in name_toks)
        ) or self.person_cue(title, before, name_toks, end):
            entity = self.known_surname(name_toks) or self.reg.add(
                self.reg.types["Person"], self.text[start:end], "person-cue"
            )
            self.add_mention(title_end, j, entity, "person-cue")
            return True
        return False

    def known_surname(self, name: list[Token]) -> DocEntity | None:
        """ "Col. Doe" after "Col. Jane Doe": the person the text named in full before."""
        if len(name) != 1:
            return None
        person = self.reg.types["Person"]
        for entity in self.reg.entities.values():
            words = entity.name.split()
            if entity.type == person and len(words) > 1 and words[-1] == name[0].text:
                return entity
        return None

    def militant(self, i: int, j: int) -> bool:
        """ "al-Shabaab gunmen", "the Abu Sayyaf leader": a militant group by its members."""
        following = self.text[self.tokens[j - 1].end : self.tokens[j - 1].end + 30].split()
        if not following or following[0].strip(".,;:").casefold() not in lx.MILITANT_MEMBERS:
            return False
        if any(t.norm in lx.NOT_NAMES for t in self.tokens[i:j]):
            return False
        start, end = self.tokens[i].start, self.tokens[j - 1].end
        entity = self.reg.add(
            self.reg.types["Organisation"], self.text[start:end], "militant-members"
        )
        entity.kind = entity.kind or "militant_group"
        self.add_mention(i, j, entity, "militant-members")
        return True

    def headed_place(self, i: int, j: int) -> bool:
        """ "Rakhine State", "Hayat Hotel", "Lake Issyk-Kul": a place by its head word."""
        first, last = self.tokens[i].norm, self.tokens[j - 1].norm
        kind = lx.PLACE_HEADS.get(last) if j - i >= 2 else None
        if kind is None and j - i >= 2:
            kind = lx.PLACE_STARTS.get(first)
        if kind is None or any(t.norm in lx.MILITANT_WORDS for t in self.tokens[i:j]):
            return False
        start, end = self.tokens[i].start, self.tokens[j - 1].end
        entity = self.reg.add(
            self.reg.types["Place"], self.text[start:end], "place-head", kind=kind
        )
        self.add_mention(i, j, entity, "place-head")
        return True

    def person_cue(self, title: str, before: str, name: list[Token], end: int) -> bool:
        if any(t.norm in lx.NOT_NAMES for t in name):
            return False  # "Central Asian", "Southeast Asian": adjectives, not surnames
        following = self.text[end : end + 30].split()
        if following and following[0].strip(".,;:").casefold() in lx.ORG_HEADS:
            return False  # "the Adil Soz foundation": a name of an organisation
        if (title and len(name) >= 1) or NAMED.search(before):
            return True
        if len(name) < 2 or any(t.norm in lx.ORG_HEADS or t.norm in lx.PLACE_HEADS for t in name):
            return False
        if name[0].norm in self.reg.gazetteer.given_names or surname_like(name[-1]):
            return True
        if NAMED.search(before) or ROLE_BEFORE.search(before):
            return True
        role = before.rsplit(None, 1)[-1] if before.strip() else ""
        if role.islower() and role.casefold() in lx.ROLE_NOUNS | lx.PERSON_TITLES:
            return True  # "the former leader Radovan X", "parliamentarian Kimmo X"
        if len(name) <= 4 and SPEAKS_AFTER.match(self.text, end, end + 120):
            return True  # "Teresa Ruiz said", "Teresa Ruiz, 45, told": a speaker
        return bool(ROLE_AFTER.match(self.text, end, end + 60))

    def place_cue(self, before: str, i: int, name: list[Token]) -> bool:
        """Unknown names after "the town of", "in", "near"...: places."""
        match = PLACE_NOUN_BEFORE.search(before)
        kind = lx.PLACE_NOUN_KINDS[match.group(1)] if match else None
        if (
            kind is None
            and self.word_before(i) in ("in", "near", "outside", "into", "from", "around", "across")
            and len(name) <= 2
        ):
            if name[0].norm in self.reg.gazetteer.given_names or surname_like(name[-1]):
                return False
            kind = "other"
        if kind is None:
            return False
        start, end = name[0].start, name[-1].end
        entity = self.reg.add(self.reg.types["Place"], self.text[start:end], "place-cue", kind=kind)
        first = self.token_index(start)
        self.add_mention(first, first + len(name), entity, "place-cue")
        return True

    def short_mentions(self) -> None:
        """A surname alone names the person whose full name the text gave last before it."""
        person = self.reg.types["Person"]
        short: dict[str, set[str]] = {}
        for entity in self.reg.entities.values():
            if entity.type != person:
                continue
            for name in (entity.name, *entity.aliases):
                words = name.split()
                if len(words) > 1:
                    short.setdefault(words[-1].casefold().replace("’", "'"), set()).add(entity.key)
        last: dict[str, int] = {}
        for k, tok in enumerate(self.tokens):
            key = self.covered[k]
            if key is not None:
                last[key] = k
            elif tok.cap and tok.norm in short:
                keys = sorted(short[tok.norm], key=lambda c: (-last.get(c, -1), c))
                entity = self.reg.entities[keys[0]]
                if len(keys) > 1:
                    self.reg.explain(
                        tok.start,
                        tok.end,
                        f"linked to {entity.key} by {tok.text!r}: the nearest full name before it",
                    )
                self.add_mention(k, k + 1, entity, "short-name")

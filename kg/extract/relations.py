"""Relations from explicit patterns: titles, possessives, "X in Y", citizenship, places."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.schema import Schema

from . import lexicon as lx
from .affiliations import belonging
from .appositions import apposition, led_by
from .context import Context
from .hostility import hostility
from .kinship import family_before
from .posts import posts_around, title_before, title_ending
from .registry import DocEntity, Mention, Span

__all__ = ["FoundRelation", "find_relations"]

_FAMILY_AFTER = re.compile(
    r",\s+the\s+(?P<whose>\w+)[’']s\s+(?P<rel>" + "|".join(lx.FAMILY_WORDS) + r")\b"
)
_OF_THE = re.compile(r"\s+of\s+the\s+")
_LOCATED = re.compile(r"\s*(?:\([^()]*\)\s*)?\s+(?:based\s+)?in\s+")
_DESCRIBED_IN = re.compile(
    r",\s+(?:an?|the)\s+(?:(?!banned|outlawed|proscribed|listed)[a-z-]+\s+){1,4}?(?:based\s+)?in\s+"
    r"(?:the\s+)?"
)
"""After an organisation: "X, a research group in Y" (not "a group banned in Y")."""
_IS_MEMBER = re.compile(r"\s+is\s+a\s+member")
_PLACE_LINK = re.compile(
    r"(?:\s*\([^()]{1,40}\))?(?:,\s+(?P<where>(?:in|outside)\s+|(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:capital|village|town|city|district|region|province|suburb)\s+(?:in|of)\s+)?|\s+(?P<prep>in|of)\s+)"
    r"(?:the\s+)?(?:(?:north|south|east|west|central)[\w-]*\s+)?"
)
_PLACE_END = re.compile(r"\s*(?:[,.;)]|$)")
_PLACE_CHAIN = re.compile(r"\s*(?:[,.;)]|$)|\s+(?:of|in)\s")
_GOVERNING = {"government", "government_body", "security_service", "police", "armed_force", "court"}
_MEMBER_KINDS = {"party", "militant_group", "religious_group", "ngo", "international_organisation"}


@dataclass
class FoundRelation:
    """A relation as found in the text, before it becomes a draft record."""

    type: str
    source: str
    target: str
    evidence: list[Span] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    rule: str = ""
    note: str | None = None


class _RelationRules:
    def __init__(self, ctx: Context, schema: Schema, groups: Mapping[str, list[Span]]) -> None:
        self.ctx, self.reg, self.text, self.schema = ctx, ctx.reg, ctx.text, schema
        self.group_spans = groups
        self.t = self.reg.types
        self.found: list[FoundRelation] = []
        self.index: dict[tuple[str, str, str], FoundRelation] = {}
        self.spans: dict[tuple[str, str, str], set[Span]] = {}
        """The evidence of each relation found, as a set: a long article repeats a relation."""
        self.year = ctx.doc.date.year if ctx.doc.date else None
        self._by_type: dict[tuple[str, int], list[tuple[Mention, DocEntity]]] = {}
        self._titles: dict[int, tuple[int, str] | None] = {}
        self.held: dict[str, set[str]] = {}
        """Title (case-folded) -> the bodies and countries a post of that title is held in."""
        self.ministries: list[tuple[int, DocEntity]] | None = None
        """The ministries the text names, with where (read once, by :mod:`kg.extract.posts`)."""

    def add(
        self,
        rel: str,
        source: DocEntity | None,
        target: DocEntity | None,
        span: Span | None,
        rule: str,
        note: str | None = None,
        **props: str,
    ) -> None:
        spec = self.schema.relations.get(rel)
        if spec is None or source is None or target is None or source.key == target.key:
            return
        if source.type not in spec.source or target.type not in spec.target:
            return
        if span is None and spec.evidence_required:
            return
        old = self.index.get((rel, source.key, target.key))
        if old is not None:
            seen = self.spans[rel, source.key, target.key]
            if span is not None and span not in seen:
                seen.add(span)
                old.evidence.append(span)
            return
        found = FoundRelation(
            rel, source.key, target.key, [span] if span else [], dict(props), rule, note
        )
        if rel == "holds_post" and "title" in props:
            self.held.setdefault(props["title"].casefold(), set()).add(target.key)
        self.index[(rel, source.key, target.key)] = found
        self.spans[rel, source.key, target.key] = set(found.evidence)
        self.found.append(found)

    def title_at(self, offset: int) -> tuple[int, str] | None:
        """The title written before the name at ``offset``, in its sentence (read once)."""
        if offset not in self._titles:
            start = max(self.ctx.sentence_of(offset)[0], offset - 100)
            self._titles[offset] = title_ending(self.text, start, offset)
        return self._titles[offset]

    def mentions(self, type_name: str) -> list[tuple[Mention, DocEntity]]:
        """The mentions of one type, in order (kept while the mentions stay the same)."""
        key = (type_name, len(self.reg.mentions))
        if key not in self._by_type:
            self._by_type[key] = [
                (m, entity)
                for m in self.reg.mentions
                if (entity := self.reg.entities.get(m.key)) is not None
                and entity.type == self.t[type_name]
            ]
        return self._by_type[key]

    def entity_in(self, start: int, end: int, *types: str) -> DocEntity | None:
        wanted = {self.t[x] for x in types}
        for m in self.reg.between(start, end):
            entity = self.reg.entities.get(m.key)
            if entity is not None and entity.type in wanted:
                return entity
        return None

    def ending_before(
        self, offset: int, gap: str, *types: str, reach: int = 150
    ) -> tuple[Mention, DocEntity] | None:
        wanted = {self.t[x] for x in types}
        for m in reversed(self.reg.between(max(0, offset - reach), offset)):
            entity = self.reg.entities.get(m.key)
            if (
                entity is not None
                and entity.type in wanted
                and re.fullmatch(gap, self.text[m.end : offset])
            ):
                return m, entity
        return None

    # -- people ---------------------------------------------------------------------------------
    def people(self) -> None:
        for m, person in self.mentions("Person"):
            title_before(self, m, person)
            posts_around(self, m, person)
            family_before(self, m, person)
            apposition(self, m, person)
            self.family(m, person)
            led_by(self, m, person)
            member = _OF_THE.match(self.text, m.end)
            if member is not None:
                org = self.reg.at(member.end())
                entity = self.reg.entities.get(org.key) if org else None
                if entity is not None and entity.kind in _MEMBER_KINDS and org is not None:
                    self.add(
                        "member_of", person, entity, (m.start, org.end), "person-of-organisation"
                    )

    def post_holder(self, person: DocEntity, title: str) -> DocEntity | None:
        if person.gaz is None:
            return None
        for post in person.gaz.posts:
            if post.title.casefold() in title.casefold() and (
                self.year is None or post.start <= self.year <= post.end
            ):
                return self.reg.named(post.of)
        return None

    def national(self, offset: int) -> DocEntity | None:
        country = self.ctx.country_near(offset)
        return self.reg.named(country) if country else None

    def demonym_country(self, start: int, end: int) -> DocEntity | None:
        for ref in self.ctx.refs_between(start, end):
            return self.reg.country(ref.country, None)
        return None

    def family(self, m: Mention, person: DocEntity) -> None:
        match = _FAMILY_AFTER.match(self.text, m.end)
        if match is None:
            return
        whose = match.group("whose")
        relative = self.reg.named(whose)
        note = None
        span = (m.start, match.end())
        if relative is None and whose.casefold() in lx.PERSON_TITLES:
            relative = self.incumbent(whose.casefold(), m.start, (match.start() + 2, match.end()))
            note = f"'the {whose}' read as the incumbent {whose} (gazetteer posts)"
        self.add(
            "family_of",
            person,
            relative,
            span,
            "family-apposition",
            note,
            relation=match.group("rel"),
        )

    def incumbent(self, title: str, offset: int, span: Span) -> DocEntity | None:
        """The holder of a post in the country the passage is about, from the gazetteer."""
        country = self.ctx.country_near(offset)
        for entry in self.reg.gazetteer.entries:
            for post in entry.posts:
                if (
                    post.title == title
                    and post.of == country
                    and self.year
                    and post.start <= self.year <= post.end
                ):
                    holder = self.reg.add(entry.type, entry.name, "incumbent", span, gaz=entry)
                    self.add(
                        "holds_post",
                        holder,
                        self.reg.named(country),
                        span,
                        "incumbent",
                        f"incumbent {title} of {country} in {self.year} (gazetteer posts)",
                        title=title,
                    )
                    return holder
        return None

    # -- organisations and groups ---------------------------------------------------------------
    def organisations(self) -> None:
        for m, org in self.mentions("Organisation"):
            rel = "part_of" if org.kind in _GOVERNING else "based_in"
            if org.country and org.country in self.reg.entities:
                self.add(
                    rel,
                    org,
                    self.reg.entities[org.country],
                    org.evidence[0] if org.evidence else (m.start, m.end),
                    "organisation-of-country",
                )
            parent = org.properties.get("_part_of")
            if isinstance(parent, str):
                self.add(
                    "part_of", org, self.reg.entities.get(parent), (m.start, m.end), "sub-unit"
                )
            place = org.properties.get("_based_in")
            if isinstance(place, str):
                self.add(
                    "based_in", org, self.reg.entities.get(place), (m.start, m.end), "local-body"
                )
            owner = self.ending_before(m.start, r"[’']s\s+(?:[a-z-]+\s+){0,2}", "Country")
            if owner is not None:
                self.add(rel, org, owner[1], (owner[0].start, m.end), "possessive")
            for ref in self.ctx.refs_between(m.start - 80, m.start):
                if (
                    m.start - 40 <= ref.end <= m.start
                    and self.reg.at(ref.start) is None
                    and re.fullmatch(r"\s+(?:[a-z-]+\s+){0,2}", self.text[ref.end : m.start])
                ):
                    self.add(
                        rel, org, self.reg.country(ref.country, None), (ref.start, m.end), "demonym"
                    )
            for inner in self.reg.between(m.start, m.end):
                place = self.reg.entities.get(inner.key)
                if place is not None and place.type == self.t["Place"] and inner.start > m.start:
                    self.add("based_in", org, place, (m.start, m.end), "organisation-in-place")
            located = _LOCATED.match(self.text, m.end) or _DESCRIBED_IN.match(self.text, m.end)
            if located is not None:
                place = self.reg.at(located.end())
                target = self.reg.entities.get(place.key) if place else None
                if place is not None:
                    self.add("based_in", org, target, (m.start, place.end), "organisation-in-place")
        for match in re.finditer(r",\s+of\s+which\s+", self.text):
            body = self.ending_before(match.start(), r"", "Organisation")
            member = self.reg.at(match.end())
            if body is not None and member is not None and _IS_MEMBER.match(self.text, member.end):
                self.add(
                    "member_of",
                    self.reg.entities[member.key],
                    body[1],
                    (body[0].start, member.end + 12),
                    "of-which-member",
                )

    def groups(self) -> None:
        for key, spans in self.group_spans.items():
            group = self.reg.entities.get(key)
            if group is None:
                continue
            start, end = spans[0]
            words = {
                w.casefold().strip(".,’'").removesuffix("’s").removesuffix("'s").removesuffix("s")
                for w in self.text[start:end].split()
            }
            head_end = re.search(r"\s(?:in|at|from|near|on|of)\s|$", self.text[start:end])
            for ref in self.ctx.refs_between(start, start + head_end.start() if head_end else end):
                if "ethnic" in words:
                    break  # "ethnic Armenian forces": a people, not a state
                country = self.reg.country(ref.country, None)
                rels = {lx.DEMONYM_GROUP_HEADS[w] for w in words if w in lx.DEMONYM_GROUP_HEADS}
                for rel in sorted(rels, reverse=True)[:1]:  # part_of (a state's) before citizen_of
                    self.add(rel, group, country, (start, end), "group-demonym")

    # -- places ---------------------------------------------------------------------------------
    def places(self) -> None:
        for m, place in self.mentions("Place"):
            inner = [
                entity
                for x in self.reg.between(m.start, m.end)
                if (entity := self.reg.entities.get(x.key)) is not None
                and entity.type == self.t["Country"]
            ]
            if len({e.key for e in inner}) == 1:  # "the border between A and B" is in neither
                self.add("located_in", place, inner[0], (m.start, m.end), "place-phrase")
            link = _PLACE_LINK.match(self.text, m.end)
            other = self.reg.at(link.end()) if link is not None else None
            entity = self.reg.entities.get(other.key) if other else None
            if (
                link is not None
                and other is not None
                and entity is not None
                and (
                    link.group("prep") is not None
                    or (_PLACE_CHAIN if link.group("where") else _PLACE_END).match(
                        self.text, other.end
                    )
                )
            ):
                self.add("located_in", place, entity, (m.start, other.end), "place-in-place")
            owner = self.ending_before(m.start, r"[’']s\s+", "Country")
            if owner is not None:
                self.add("located_in", place, owner[1], (owner[0].start, m.end), "possessive")
            city_of = re.search(
                r"\bthe\s+(\w+)\s+(?:city|town|village|region|province)\s+of\s+$",
                self.text[max(0, m.start - 60) : m.start],
            )
            if city_of is not None:
                entry = self.reg.gazetteer.index.get((city_of.group(1).casefold(),), ())
                for hit in entry:
                    if hit.demonym:
                        country = self.reg.country(self.reg.gazetteer.entries[hit.entry].name, None)
                        self.add(
                            "located_in",
                            place,
                            country,
                            (m.start - len(city_of.group(0)) + 0, m.end),
                            "demonym-city",
                        )
            if place.gaz is not None and place.gaz.country:
                country = self.reg.named(place.gaz.country)
                if country is not None:
                    self.add(
                        "located_in",
                        place,
                        country,
                        None,
                        "gazetteer",
                        "background geography from the gazetteer",
                    )


def find_relations(
    ctx: Context, schema: Schema, groups: Mapping[str, list[Span]]
) -> list[FoundRelation]:
    """Relations the text states in one of the known patterns (and gazetteer geography).

    ``groups`` are the unnamed actors the incident and claim rules found, with their spans.
    """
    rules = _RelationRules(ctx, schema, groups)
    rules.people()
    rules.organisations()
    rules.groups()
    rules.places()
    belonging(rules)
    hostility(rules)
    return rules.found

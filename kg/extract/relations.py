"""Relations from explicit patterns: titles and appositions, possessives, "X in Y", citizenship."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kg.schema import Schema

from . import lexicon as lx
from .affiliations import belonging
from .context import Context
from .hostility import hostility
from .kinship import family_before
from .posts import posts_around, title_before, title_ending
from .registry import DocEntity, Mention, Span

__all__ = ["FoundRelation", "find_relations"]

_PLURALS = {(r[:-3] + "men" if r.endswith("man") else r + "s"): r for r in lx.ROLE_NOUNS}
"""Plural role nouns ("chairmen", "reporters") and their singular."""


def _appositions(roles: Iterable[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """An apposition before a name ("the party's leader, X") and after it ("X, the leader of")."""
    role = "|".join(sorted((re.escape(r) for r in roles), key=len, reverse=True))
    before = re.compile(
        r"(?:\b(?P<det>[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+)?(?P<mods>(?:[\w’'-]+\s+){0,3}?)"
        r"(?P<role>" + role + r")(?:\s+(?:of|for|at)\s+(?P<of>[^,;]{1,120}?))?,\s*$"
    )
    after = re.compile(
        r"(?:,\s+(?:alias|aka|also\s+known\s+as)\s+[\"“][^\"”]{1,40}[\"”])?"
        r",\s+(?:(?:the|a|an)\s+)?(?P<mods>(?:[\w’'-]+\s+){0,3}?)(?P<role>"
        + role
        + r")(?:\s+(?:of|for|at)\s+"
        r"(?P<of>[^,;.]{1,120}?)(?=[,;.]|$)|(?=\s*[,;.)]|\s+(?:who|whom|which|that)\b))"
    )
    return before, after


_APPOSITION_BEFORE, _APPOSITION_AFTER = _appositions(lx.ROLE_NOUNS)
_PLURAL_BEFORE, _PLURAL_AFTER = _appositions(_PLURALS)
_AND = re.compile(r"\s+and\s+")
_COUNTS = frozenset(("two", "both"))
"""Words of a plural apposition that are no part of the title ("two reporters for X, A and B")."""
_LED_BY = re.compile(
    r"\b(?P<verb>chaired|headed|led|run)\s+by\s+(?:the\s+)?(?:[A-Za-z][\w.’'-]*\s+){0,4}$"
)
_LED_GAP = r"(?:\s*\([^()]{1,20}\))?(?:,\s+(?:an?|the)\s+[\w\s-]{1,40}?)?,?\s+"
"""Between a body and its "led by": nothing but an apposition ("X, a research group chaired by")."""
_LEADS = {"chai": "chair", "head": "head", "led": "leader", "run": "head"}
_BODIES = ("Organisation", "Country")
_ITS = re.compile(r"(?:^|\s)[Ii]ts\s+")
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
        for m in self.reg.between(start, end):
            entity = self.reg.entities.get(m.key)
            if entity is not None and entity.type in {self.t[x] for x in types}:
                return entity
        return None

    def ending_before(
        self, offset: int, gap: str, *types: str, reach: int = 150
    ) -> tuple[Mention, DocEntity] | None:
        for m in reversed(self.reg.between(max(0, offset - reach), offset)):
            entity = self.reg.entities.get(m.key)
            if (
                entity is not None
                and entity.type in {self.t[x] for x in types}
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
            self.apposition(m, person)
            self.family(m, person)
            self.led_by(m, person)
            member = _OF_THE.match(self.text, m.end)
            if member is not None:
                org = self.reg.at(member.end())
                entity = self.reg.entities.get(org.key) if org else None
                if entity is not None and entity.kind in _MEMBER_KINDS and org is not None:
                    self.add(
                        "member_of", person, entity, (m.start, org.end), "person-of-organisation"
                    )

    def led_by(self, m: Mention, person: DocEntity) -> None:
        """ "X, a body chaired by Y", "the rulers, led by General Y": Y heads the body."""
        sentence = self.ctx.sentence_of(m.start)
        by = _LED_BY.search(self.text, max(sentence[0], m.start - 60), m.start)
        if by is None:
            return
        body = self.ending_before(by.start(), _LED_GAP, "Organisation", "Group")
        if body is not None:
            title = _LEADS[by.group("verb").casefold()[:4]]
            self.add("holds_post", person, body[1], (body[0].start, m.end), "led-by", title=title)

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

    def apposition(self, m: Mention, person: DocEntity) -> None:
        sentence = self.ctx.sentence_of(m.start)
        match = _APPOSITION_BEFORE.search(self.text, max(sentence[0], m.start - 160), m.start)
        after = _APPOSITION_AFTER.match(self.text, m.end)
        both = [(match, person, (match.start(), m.end) if match else (0, 0))]
        both.append((after, person, (m.start, after.end()) if after else (0, 0)))
        pair = _AND.match(self.text, m.end)
        other = self.reg.at(pair.end()) if pair is not None else None
        second = self.reg.entities.get(other.key) if other is not None else None
        if other is not None and second is not None and second.type == person.type:
            # "A and B, the party's deputy chairmen", "two reporters for X, A and B"
            match = _PLURAL_BEFORE.search(self.text, max(sentence[0], m.start - 160), m.start)
            after = _PLURAL_AFTER.match(self.text, other.end)
            for found, span in (
                (match, (match.start(), other.end) if match else (0, 0)),
                (after, (m.start, after.end()) if after else (0, 0)),
            ):
                both += [(found, person, span), (found, second, span)]
        for found, who, span in both:
            if found is not None:
                self.appose(found, who, span)

    def appose(self, found: re.Match[str], person: DocEntity, span: Span) -> None:
        """The relation an apposition gives a person: a post, a membership, a nationality."""
        role = found.group("role").casefold()
        role = _PLURALS.get(role, role)
        if role in ("citizen", "national", "resident"):
            country = self.entity_in(
                found.start(), found.start("role"), "Country"
            ) or self.demonym_country(found.start(), found.start("role"))
            if role != "resident":
                self.add("citizen_of", person, country, span, "apposition-citizen")
            return
        if role in lx.FAMILY_WORDS:
            return
        mods = found.group("mods")
        its = found.groupdict().get("det") in ("Its", "its")
        if not its and (own := _ITS.search(mods)):  # "yet its chairman, X"
            its, mods = True, mods[own.end() :]
        singular = _PLURALS.get(found.group("role"), found.group("role"))
        title = " ".join([*(w for w in mods.split() if w.casefold() not in _COUNTS), singular])
        target = None
        if found.group("of"):
            target = self.entity_in(found.start("of"), found.end("of"), "Organisation", "Country")
        if target is None and its:  # the body or state named last, not a possessive
            org = self.ending_before(found.start(), r"(?![’']s)[\s\S]{0,400}", *_BODIES, reach=400)
            target = org[1] if org else None
        elif target is None and mods:  # "X, the Green Sun leader"
            named = self.entity_in(found.start("mods"), found.start("role"), "Organisation")
            if named is not None and named.type == self.t["Organisation"]:
                target, title = named, singular
        owner = re.match(r"([a-z]+)[’']s\s", found.group("mods"))
        if target is None and owner is not None:
            # "the tribunal's chief prosecutor, X": the tribunal named before
            target = self.ctx.organisation_named(owner.group(1), found.start())
            title = " ".join([*found.group("mods")[owner.end() :].split(), singular])
        if role == "member":  # "X, a member of the Green Party": no post
            self.add("member_of", person, target, span, "apposition-member")
            return
        self.add("holds_post", person, target, span, "apposition", title=title)

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

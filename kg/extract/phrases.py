"""Entities named by phrases, not capitalised names: citations, media, national bodies, places."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.dates import PartialDate, parse_date
from kg.errors import DateError
from kg.ids import make_id

from . import lexicon as lx
from .registry import DocEntity, Registry, of_country
from .scan import finditer_from
from .tokens import name_key

__all__ = ["find_phrases"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_CITE_DATE = re.compile(
    _MONTH + r"\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?(?:,?\s+\d{4})?|" + _MONTH + r"\s+\d{4}"
)
_CITATION_PART = re.compile(
    r"\s*(?P<outlet>[A-Z0-9][^,;()]{0,50}?)\s*,\s*(?P<date>" + _CITE_DATE.pattern + r")\s*"
)
_PARENS = re.compile(r"\(([^()]{3,200})\)")
_MEDIA_BEFORE = re.compile(
    r"\bthe\s+(?:(?:[A-Z][a-z]+|online|state|private|independent|opposition|local|official|statewide)\s+){0,2}"
    r"(?:newspaper|weekly|daily|magazine|news\s+agency|agency|TV\s+channel|television\s+channel|channel|"
    r"website|news\s+website|broadcaster|radio\s+station|news\s+portal|portal)\s+"
    r"(?P<name>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})"
)
_MEDIA_AFTER = re.compile(
    r"(?P<name>[A-Z](?<!\w.)[\w.-]*(?:\s+[A-Z][\w.-]*){0,2})\s+(?P<noun>news\s+agency|television\s+channel|"
    r"TV\s+channel|newspaper|weekly|news\s+website)\b"
)
_QUALIFIED_POLICE = re.compile(
    r"\b(?:(?:immigration|border|traffic|riot|regional|city|local|transport|financial|tax|military|"
    r"district|municipal|special|state|migration|anti-terrorist|secret)\s+){1,2}"
    r"(?:police|militia)(?:\s+(?:department|service|force))?"
)
_LOCAL_BODY = (
    r"(?:(?:city|regional|district|local|municipal)\s+)?"
    r"(?:administration|akimat|hokimiyat|police|council|court)\b"
)
_OF = re.compile(r"\s+of\s+")
_IN = re.compile(r"\s+in\s+")
_AND = re.compile(r"\s+and\s+")
_MORE = re.compile(r"(?:,\s*|\s+and\s+)")
_LOCAL = re.compile(r"\s+(" + _LOCAL_BODY + r")")
_PLACE_HEAD = re.compile(r"\s+(region|province|district|oblast|municipality|valley|gorge|raion)\b")
_COMPASS = re.compile(
    r"\b(?:northern|southern|eastern|western|central|north-western|north-eastern|"
    r"south-western|south-eastern)\s+"
)
_BORDER_BETWEEN = re.compile(r"\b(?:the\s+)?border\s+between\s+")
_BASES = re.compile(r"\b(?:(?:air|military|naval|army)\s+)?(?:air\s*)?bases?\s+in\s+")
_UNIT_HEADS = (
    r"(?:forces|units|troops|police|delegation|mission|office|department|brigade|battalion"
    r"|contingent)"
)
_SUB_UNIT = re.compile(
    r"\s+((?:(?!to\s|and\s|or\s)[a-z][a-z-]+\s+){0,3}" + _UNIT_HEADS + r")\b"
)  # "the CSTO peacekeeping forces", not "asked the CSTO to send troops"
_PAPER = re.compile(
    r"\s+(?:statement|press\s+release|release|report|communiqu[eé]|bulletin|briefing)$", re.I
)
_BODY = "|".join(sorted((re.escape(h) for h in lx.NATIONAL_BODY_HEADS), key=len, reverse=True))
_NATIONAL_AFTER = re.compile(r"\s+((?:[a-z]+\s+){0,1}(?:" + _BODY + r"))\b")
_REGIME = re.compile(r"\b(military|interim|transitional)\s+$", re.I)
_GOVERNMENTS_OF = re.compile(r"\b(?:[Gg]overnments?|[Aa]uthorities)\s+of\s+")
_BARE_BODY = re.compile(
    r"\b[Tt]he\s+(government|cabinet|parliament|authorities|armed\s+forces|army|presidency)\b"
    r"(?!\s+(?:building|buildings|house|"
    r"headquarters|offices?|spokes\w+|officials?|troops|forces)\b)"
)
_ORG_NOUNS = {
    "rights group": "ngo",
    "human rights group": "ngo",
    "rights organisation": "ngo",
    "rights organization": "ngo",
    "foundation": "ngo",
    "charity": "ngo",
    "company": "company",
    "firm": "company",
    "party": "party",
    "movement": "party",
    "militia": "militant_group",
    "militant group": "militant_group",
    "group": "other",
    "organisation": "other",
    "organization": "other",
    "think tank": "think_tank",
    "bank": "bank",
}
_ORG_NOUN = "|".join(sorted((re.escape(k) for k in _ORG_NOUNS), key=len, reverse=True))
_ORG_BEFORE = re.compile(
    r"\bthe\s+(?:[A-Z][\w-]*\s+)?(?P<noun>" + _ORG_NOUN + r")\s+"
    r"(?P<name>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})"
)
_ORG_AFTER = re.compile(
    r"\b[Tt]he\s+(?:(?:ruling|opposition|banned|outlawed|main|governing|exiled|separatist)\s+)?"
    r"(?P<name>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})\s+(?P<noun>" + _ORG_NOUN + r")\b"
    r"(?!\s+[A-Z])"
)


_STARTS = {  # where each whole-text pattern can start (see finditer_from)
    _MEDIA_BEFORE: re.compile(r"the\s"),
    _QUALIFIED_POLICE: re.compile(
        r"(?:immigration|border|traffic|riot|regional|city|local|transport|financial|tax"
        r"|military|district|municipal|special|state|migration|anti-terrorist|secret)\s"
    ),
    _COMPASS: re.compile(r"(?:north|south|east|west|central)"),
    _BORDER_BETWEEN: re.compile(r"(?:the|border)\s"),
    _BASES: re.compile(r"(?:air|military|naval|army|base)"),
    _GOVERNMENTS_OF: re.compile(r"[GgAa](?:overnment|uthorities)"),
    _BARE_BODY: re.compile(r"[Tt]he\s"),
    _ORG_BEFORE: re.compile(r"the\s"),
    _ORG_AFTER: re.compile(r"[Tt]he\s"),
}

_NEEDS = {  # words every match of a pattern holds: a text with none of them is not scanned
    _MEDIA_AFTER: ("agency", "channel", "newspaper", "weekly", "website"),
    _QUALIFIED_POLICE: ("police", "militia"),
    _BORDER_BETWEEN: ("border",),
    _BASES: ("base",),
}


def _scan(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, tried where it can start, and not at all without its words."""
    if not any(word in text for word in _NEEDS.get(pattern, ("",))):
        return iter(())
    starts = _STARTS.get(pattern)
    return pattern.finditer(text) if starts is None else finditer_from(pattern, starts, text)


class _Phrases:
    def __init__(self, reg: Registry) -> None:
        self.reg, self.text = reg, reg.doc.text
        self.types = reg.types

    def ending(self, offset: int) -> DocEntity | None:
        """The entity of the mention ending at ``offset``."""
        for m in reversed(self.reg.between(max(0, offset - 120), offset)):
            if m.end == offset:
                return self.reg.entities[m.key]
        return None

    def starting(self, offset: int) -> tuple[DocEntity, int] | None:
        m = self.reg.at(offset)
        return (self.reg.entities[m.key], m.end) if m else None

    def add(
        self, type_key: str, name: str, rule: str, start: int, end: int, kind: str | None = None
    ) -> DocEntity:
        entity = self.reg.add(self.types[type_key], name, rule, (start, end), kind=kind)
        self.reg.mention(start, end, entity, rule)
        return entity

    # -- citations -----------------------------------------------------------------------------
    def citations(self) -> None:
        for parens in _PARENS.finditer(self.text):
            inner_start = parens.start(1)
            for part in parens.group(1).split(";"):
                match = _CITATION_PART.fullmatch(part)
                offset = inner_start + parens.group(1).index(part)
                inner_start_next = offset
                if match:
                    self.citation(match, inner_start_next, parens.start(), parens.end())

    def citation(self, match: re.Match[str], offset: int, p_start: int, p_end: int) -> None:
        outlet_text, date_text = match.group("outlet").strip(), match.group("date").strip()
        o_start = offset + match.start("outlet")
        paper = _PAPER.search(outlet_text)
        if paper is not None and paper.start() > 0:
            outlet_text = outlet_text[: paper.start()]  # "(Ministry of Defence statement, May 2)"
        outlet = self.reg.named(outlet_text)
        entry = self.reg.gazetteer.by_name(outlet_text)
        if outlet is None and entry is not None and entry.document != self.reg.doc.id:
            outlet = self.reg.add(entry.type, entry.name, "gazetteer", None, gaz=entry)
        if outlet is None:
            outlet = self.reg.add(
                self.types["Organisation"],
                outlet_text,
                "citation",
                None,
                kind=None if paper else "media_outlet",
            )
        self.reg.mention(o_start, o_start + len(outlet_text), outlet, "citation")
        if not outlet.evidence:
            outlet.evidence.append((p_start, p_end))
        date = _citation_date(date_text, self.reg.doc.date)
        name = f"{outlet_text}, {date_text}"
        source = self.reg.add(self.types["Source"], name, "citation", (p_start, p_end))
        source.properties.update({"outlet": outlet.key, "citation": self.text[p_start:p_end]})
        if date is not None:
            source.properties["date"] = date
        self.reg.rekey(
            source,
            make_id(
                self.reg.prefix(self.types["Source"]),
                outlet.name,
                date.isoformat() if date else date_text,
            ),
        )
        self.reg.citations.append((p_start, p_end, source.key))

    # -- media outlets ---------------------------------------------------------------------------
    def media(self) -> None:
        for match in finditer_from(_MEDIA_BEFORE, _STARTS[_MEDIA_BEFORE], self.text):
            self.outlet(match.group("name"), match.start("name"), None)
        for match in _scan(_MEDIA_AFTER, self.text):
            self.outlet(match.group("name"), match.start("name"), match.group(0))

    def named_orgs(self) -> None:
        """ "the Bishkek rights group Ailana", "the OzenMunaiGas company": names typed by a noun."""
        for regex in (_ORG_BEFORE, _ORG_AFTER):
            for match in finditer_from(regex, _STARTS[regex], self.text):
                kind = _ORG_NOUNS[" ".join(match.group("noun").split())]
                alias = match.group(0) if regex is _ORG_AFTER else None
                self.outlet(match.group("name"), match.start("name"), alias, kind)

    def outlet(self, name: str, start: int, alias: str | None, kind: str = "media_outlet") -> None:
        words = name.split()
        while words and words[0].casefold() in lx.SENTENCE_STARTERS:
            start += len(words[0]) + 1
            words = words[1:]
        if not words:
            return
        name = " ".join(words)
        if words[-1].endswith(("-owned", "-based", "-run", "-backed", "-funded")):
            return  # "the Chinese-owned company": a description, not a name
        known = self.starting(start)
        if known is not None and known[1] >= start + len(name) - 1:
            return
        if self.reg.gazetteer.index.get(name_key(name)) or self.reg.named(name) is not None:
            return
        entity = self.add(
            "Organisation", name, "media-noun", start, start + len(name), "media_outlet"
        )
        if alias:
            self.reg.alias(entity, alias)

    # -- bodies of a state, an organisation or a place ------------------------------------------
    def bodies(self) -> None:
        for mention in list(self.reg.mentions):
            entity = self.reg.entities[mention.key]
            end = mention.end
            if entity.type == self.types["Country"]:
                after = end + 2 if self.reg.possessive_at(end) else end
                self.national(entity, mention.start, after)
            elif entity.type == self.types["Organisation"]:
                self.sub_unit(entity, mention.start, end)
            elif entity.type == self.types["Place"]:
                self.local_body(entity, mention.start, end)
                self.place_with_head(entity, mention.start, end)
        for ref in list(self.reg.country_refs):
            if self.reg.at(ref.start) is None:  # a demonym: "the Kazakh government"
                country = self.reg.country(ref.country, None)
                if country is not None:
                    self.national(country, ref.start, ref.end)
        for match in finditer_from(_GOVERNMENTS_OF, _STARTS[_GOVERNMENTS_OF], self.text):
            regime = _REGIME.search(self.text, max(0, match.start() - 20), match.start())
            self.governments_of(match.start(), match.end(), regime.group(1) if regime else "")
        for match in finditer_from(_BARE_BODY, _STARTS[_BARE_BODY], self.text):
            of_country = _OF.match(self.text, match.end())
            owner = self.starting(of_country.end()) if of_country else None
            if owner is not None and owner[0].type == self.types["Country"]:
                continue  # "the government of Georgia": governments_of() reads it
            if self.ending(match.start(1) - 1) is None:
                near = self.reg.country_near(
                    match.start(), self.text.rfind("\n\n", 0, match.start()) + 1
                )
                body = " ".join(match.group(1).replace("authorities", "government").split())
                if near is not None:
                    self.government(near, body, match.start(), match.end(1))
        for match in _scan(_QUALIFIED_POLICE, self.text):
            end = match.end()
            place = _IN.match(self.text, end)
            name = match.group(0)
            if place is not None:
                located = self.starting(place.end())
                if located is not None:
                    end = located[1]
                    name = self.text[match.start() : end]
            self.add("Organisation", name, "police-phrase", match.start(), end, "police")

    def national(self, country: DocEntity, start: int, after: int) -> None:
        match = _NATIONAL_AFTER.match(self.text, after)
        if match is None:
            return
        body = " ".join(match.group(1).split())
        if body == "authorities":
            body = "government"  # "the Kyrgyz authorities": the government of Kyrgyzstan
        elif body.split()[0] in lx.COLLECTIVE_HEADS:
            return
        if body in ("government", "cabinet"):
            self.government(
                country.name, body, start, match.end(1), surface=self.text[start : match.end(1)]
            )
            return
        kind = lx.NATIONAL_BODY_HEADS.get(
            body, lx.NATIONAL_BODY_HEADS.get(body.split()[-1], "government_body")
        )
        entity = self.add(
            "Organisation",
            self.text[start : match.end(1)],
            "national-body",
            start,
            match.end(1),
            kind,
        )
        self.reg.alias(entity, f"{body} of {of_country(country.name)}")
        entity.country = country.key

    def government(
        self, country: str, body: str, start: int, end: int, surface: str | None = None
    ) -> None:
        kind = {"parliament": "government_body", "presidency": "government_body"}.get(body)
        entity = self.reg.add(
            self.types["Organisation"],
            f"{body[0].upper()}{body[1:]} of {of_country(country)}",
            "national-body",
            (start, end),
            kind=kind or ("armed_force" if body in ("army", "armed forces") else "government"),
        )
        entry = self.reg.gazetteer.by_name(country)
        self.reg.alias(entity, f"{country} {body}")
        if entry is not None and entry.demonyms:
            self.reg.alias(entity, f"{entry.demonyms[0]} {body}")
        if surface:
            self.reg.alias(entity, surface)
        self.reg.mention(start, end, entity, "national-body")
        country_entity = self.reg.country(country, None)
        entity.country = country_entity.key if country_entity else None

    def governments_of(self, start: int, offset: int, regime: str = "") -> None:
        """ "the governments of A and B"; "the military governments of A and B" keep the word."""
        while True:
            found = self.starting(offset)
            if found is None or found[0].type != self.types["Country"]:
                return
            country, end = found
            self.government(country.name, f"{regime} government".strip(), start, end)
            start = offset  # the next country's body is named from its own name on
            more = _MORE.match(self.text, end)
            if more is None:
                return
            offset = more.end()

    def sub_unit(self, parent: DocEntity, start: int, end: int) -> None:
        match = _SUB_UNIT.match(self.text, end)
        if match is None:
            return
        head = match.group(1).split()[-1]
        kind = {
            "police": "police",
            "delegation": "international_organisation",
            "mission": "international_organisation",
            "office": "government_body",
            "department": "government_body",
        }.get(head, "armed_force")
        entity = self.add(
            "Organisation", self.text[start : match.end(1)], "sub-unit", start, match.end(1), kind
        )
        entity.properties["_part_of"] = parent.key

    def local_body(self, place: DocEntity, start: int, end: int) -> None:
        match = _LOCAL.match(self.text, end)
        if match is None:
            return
        stop = match.end(1)
        kind = {"police": "police", "court": "court"}.get(
            match.group(1).split()[-1], "government_body"
        )
        entity = self.add("Organisation", self.text[start:stop], "local-body", start, stop, kind)
        entity.properties["_based_in"] = place.key

    def place_with_head(self, place: DocEntity, start: int, end: int) -> None:
        match = _PLACE_HEAD.match(self.text, end)
        if match is None or self.text[start].islower():
            return
        head = match.group(1)
        name = self.text[start : match.end(1)]
        if self.reg.named(name) is not None and self.reg.named(name) is place:
            return
        kind = lx.PLACE_HEADS.get(head, "region") if head != "raion" else "district"
        if place.kind == kind:
            self.reg.alias(place, name)  # "the Sughd region": the region Sughd names
            self.reg.mention(start, match.end(1), place, "place-head")
            return
        entity = self.add("Place", name, "place-head", start, match.end(1), kind)
        entity.properties["_in_country"] = place.gaz.country if place.gaz else None

    def places(self) -> None:
        for match in _scan(_BORDER_BETWEEN, self.text):
            first = self.starting(match.end())
            if first is None:
                continue
            rest = _AND.match(self.text, first[1])
            second = self.starting(rest.end()) if rest else None
            if second is not None:
                name = self.text[match.start() : second[1]]
                if name.startswith("the "):
                    name = name[4:]
                self.add(
                    "Place",
                    name,
                    "border-phrase",
                    match.end() - len("border between "),
                    second[1],
                    "border_area",
                )
        for match in re.finditer(
            r"[’']s\s+(border\s+(?:region|area|zone|districts?|areas))\b", self.text
        ):
            owner = self.ending(match.start())
            if owner is not None and owner.type == self.types["Country"]:
                start = self.text.rfind(owner.name, 0, match.start())
                start = start if start >= 0 else match.start()
                self.add(
                    "Place",
                    self.text[start : match.end(1)],
                    "border-phrase",
                    start,
                    match.end(1),
                    "border_area",
                )
        for match in _scan(_BASES, self.text):
            located = self.starting(match.end())
            if located is not None and located[0].type in (
                self.types["Country"],
                self.types["Place"],
            ):
                self.add(
                    "Place",
                    self.text[match.start() : located[1]],
                    "base-phrase",
                    match.start(),
                    located[1],
                    "military_base",
                )
        for match in finditer_from(_COMPASS, _STARTS[_COMPASS], self.text):
            located = self.starting(match.end())
            if located is not None and located[0].type == self.types["Country"]:
                self.add(
                    "Place",
                    self.text[match.start() : located[1]],
                    "compass-phrase",
                    match.start(),
                    located[1],
                    "region",
                )


def _citation_date(text: str, reference: PartialDate | None) -> PartialDate | None:
    try:
        return parse_date(text, reference)
    except DateError:
        month_only = re.sub(r"\s*\d{1,2}\s*[-–]\s*\d{1,2}", "", text)
        try:
            return parse_date(month_only, reference)
        except DateError:
            return None


def find_phrases(reg: Registry) -> None:
    """Add the entities that phrases name; mentions are sorted again afterwards."""
    reg.finish()
    phrases = _Phrases(reg)
    phrases.citations()
    phrases.media()
    phrases.named_orgs()
    reg.finish()
    phrases.bodies()
    reg.finish()
    phrases.places()
    reg.finish()

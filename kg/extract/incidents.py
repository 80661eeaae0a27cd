"""Incidents from trigger words: kind, date, place and participants, merged when mentioned again."""

from __future__ import annotations

import datetime as dt
import re

from kg.dates import PartialDate
from kg.schema import Schema

from . import cues
from .caseless import Folded
from .context import Context, Intervals
from .datefind import DateMention
from .incidentdates import days_apart, narrative_dates
from .merge import (
    VIOLENT,
    FoundIncident,
    IncidentMention,
    compatible_date,
    finer,
    merge_mentions,
    split_mentions,
)
from .registry import DocEntity, Span

__all__ = ["FoundIncident", "find_incidents"]

_DEFINITE = re.compile(
    r"\b(?:the|this|these|those|his|her|its|their|such)\s+(?:(?![\w-]+ed\s)[\w’'-]+\s+){0,3}$", re.I
)
_INDEFINITE = re.compile(
    r"\b(?:a|an|another|one|two|three|several|dozens\s+of|a\s+series\s+of|new)\s+(?:[\w’'-]+\s+){0,3}$",
    re.I,
)
_GENERIC_BEFORE = re.compile(
    r"\b(?:any|no|such|possible|future|potential|more|further|new|every|each)\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
_PLACE_AFTER = frozenset(
    str.split(
        """
        in near at outside on into across inside around through along
        """
    )
)
_PREPOSITIONS = _PLACE_AFTER | {
    "to",
    "from",
    "of",
    "between",
    "against",
    "by",
    "with",
    "for",
    "over",
}
_PLACE_NOUNS = frozenset(
    str.split(
        """
        town city village region district province capital area oblast settlement
        municipality outskirts centre center port part south north east west
        """
    )
)
_FUTURE = re.compile(
    r"\b(?:plans?|planned|planning|will|scheduled|next|upcoming|to\s+be\s+held|expected)\b", re.I
)
_PLOT = re.compile(
    r"\b(?:planned|planning|plotted|plotting|prepared|preparing|foiled|averted)\s+$", re.I
)
_ADJECTIVE_BEFORE = re.compile(r"\b(?:the|a|an|its|his|her|their|those|these)\s+$", re.I)
_DEMAND = re.compile(
    r"\b(?:call(?:ed|s|ing)?\s+for|urg(?:e|ed|es|ing)|demand(?:ed|s|ing)?|must|should|"
    r"propos(?:ed|es|ing)|asked\s+for|would|could)\b[^.;]*$",
    re.I,
)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.I)
_PASSIVE_TRIGGER = re.compile(r"\b(?:was|were|been|being|is|are)\s+\w+$", re.I)
"""A trigger that is itself passive ("has been held")."""
_SPREAD = re.compile(r"\b(?:spread|spreading|moved|extended|returned)\s+(?:\w+\s+)?$", re.I)
_TARGET_PLACE_KINDS = {"aid_cut", "sanctions", "deployment", "deportation"}
_DEMONYM_PLACE_KINDS = frozenset(
    str.split(
        """
        trial sentencing investigation protest detention arrest meeting
        """
    )
)
_CONSEQUENCE = re.compile(r",\s+(?:killing|wounding|injuring|leaving)\b", re.I)
_BY_AFTER = re.compile(
    r"\s+(?:conducted|carried\s+out|organi[sz]ed|staged|led|held)?\s*by\s+", re.I
)
_IN_PLACE_BY = re.compile(r"\s+(?:in|near)\s+[A-Z]\w+\s+(?:conducted|carried out)\s+by\s+")
_OF_AFTER = re.compile(r"\s+of\s+", re.I)
_CLAUSE_GAP = re.compile(r"[;.]|,\s+(?:and|but|while|which|who)\b|\bthat\b")
_RELATIVE = re.compile(r",\s+(?:which|who|whose)\b[^,;]*$")
_OBJECT_ROLE = {
    "detention": "detainee",
    "arrest": "detainee",
    "killing": "victim",
    "assassination": "victim",
    "abduction": "victim",
    "deportation": "detainee",
    "sentencing": "defendant",
    "attack": "target",
    "aid_cut": "target",
    "sanctions": "target",
}


class _IncidentRules:
    def __init__(self, ctx: Context, schema: Schema) -> None:
        self.ctx, self.reg, self.text = ctx, ctx.reg, ctx.text
        self.folded = Folded.of(ctx.text, ctx.lowered)
        kinds = schema.vocabulary("incident_kinds")
        roles = schema.vocabulary("roles")
        self.roles = roles
        self.triggers = [t for t in cues.trigger_cues() if t.kind in kinds and t.role in roles]
        self.place_types = {self.reg.types["Place"], self.reg.types["Country"]}
        self.seen = Intervals()
        """Spans of the triggers read so far."""
        self.anchors: list[tuple[int, PartialDate]] = [
            (d.start, d.date) for d in ctx.dates if d.dateline
        ]
        """Where the text dated an event (or filed its story): the narrative's clock."""

    def role(self, role: str) -> str | None:
        return role if role in self.roles else None

    # -- mentions -----------------------------------------------------------------------------
    def mentions(self) -> list[IncidentMention]:
        found: list[IncidentMention] = []
        buckets = self.ctx.by_sentence([(t.pattern, t.anchors) for t in self.triggers])
        for sentence, bucket in zip(self.ctx.sentences, buckets, strict=True):
            taken: list[tuple[cues.Trigger, re.Match[str]]] = []
            for k, match in bucket:
                trigger = self.triggers[k]
                if (
                    any(m.start() < match.end() and match.start() < m.end() for _, m in taken)
                    or self.inside_name((match.start(), match.end()))
                    or self.seen.covers(match.start())
                ):
                    continue
                taken.append((trigger, match))
            taken.sort(key=lambda tm: tm[1].start())
            for _, m in taken:
                self.seen.add((m.start(), m.end()))
            in_sentence: list[IncidentMention] = []
            for k, (trigger, match) in enumerate(taken):
                stop = taken[k + 1][1].start() if k + 1 < len(taken) else sentence[1]
                mention = self.read(trigger, match, sentence, stop)
                if mention is not None:
                    in_sentence.append(mention)
            in_sentence.sort(key=lambda m: m.start)
            self.assign_dates(in_sentence)
            self.anchors += [
                (m.start, m.date)
                for m in in_sentence
                if m.date is not None
                and not m.noun
                and not _RELATIVE.search(self.text, sentence[0], m.start)  # "which voted in 2008"
            ]
            self.anchors += [
                (d.start, d.date)
                for d in self.ctx.dates_in(*sentence)
                if d.start - sentence[0] <= 4 and not d.dateline  # "On 20 June 2019, ..."
            ]
            found.extend(m for m in self.chain(in_sentence) if not self.generic(m))
        return found

    def chain(self, mentions: list[IncidentMention]) -> list[IncidentMention]:
        """ "A car bomb exploded", "a drone strike ... killed": one violent event, not two.

        Likewise two triggers of one kind in one clause ("declared it illegal and banned it").
        """
        out: list[IncidentMention] = []
        for m in mentions:
            prev = out[-1] if out else None
            if (
                prev is not None
                and (
                    (prev.kind in VIOLENT and m.kind in VIOLENT)
                    or (prev.kind, prev.label) == (m.kind, m.label)
                )
                and (m.kind == prev.kind or not m.noun)
                and not m.definite
                and not _CLAUSE_GAP.search(self.text, prev.end, m.start)
                and compatible_date(prev.date, m.date)
            ):
                prev.date = finer(prev.date, m.date)
                prev.place = prev.place or m.place
                if prev.kind == "attack" and m.kind in ("bombing", "assassination"):
                    prev.kind = m.kind
                prev.participants += [p for p in m.participants if p not in prev.participants]
                continue
            out.append(m)
        return out

    def inside_name(self, span: Span) -> bool:
        return any(
            m.start <= span[0] and span[1] <= m.end
            for m in self.reg.between(span[0] - 80, span[1] + 80)
        )

    def read(
        self, trigger: cues.Trigger, match: re.Match[str], sentence: Span, stop: int
    ) -> IncidentMention | None:
        start, end = match.start(), match.end()
        if _CONSEQUENCE.match(self.text, start - 2) or (
            self.text[max(0, start - 2) : start] == ", "
            and match.group().casefold().startswith(("killing", "wounding"))
        ):
            return None
        before = max(sentence[0], start - 60), start
        folded = self.folded
        mention = IncidentMention(
            trigger.kind,
            start,
            end,
            sentence,
            trigger=match.group(),
            noun=trigger.noun and not match.group().casefold().endswith("ed"),
            label=trigger.label,
        )
        mention.definite = folded.search_in(_DEFINITE, *before)
        mention.indefinite = folded.search_in(_INDEFINITE, *before) and not mention.definite
        if folded.search_in(_GENERIC_BEFORE, *before) and not mention.definite:
            return None
        if trigger.kind in VIOLENT and folded.search_in(_PLOT, *before):
            return None  # "had planned attacks": a plot, not an event
        if (
            not trigger.noun
            and folded.search_in(_ADJECTIVE_BEFORE, *before)
            and match.group().endswith("ed")
        ):
            return None  # "the banned party", "the kidnapped girls": a description, not an act
        clause = self.ctx.clause(start, sentence)
        if folded.search(_DEMAND, clause[0], start):
            return None  # "called for an investigation", "must be investigated": not (yet) an event
        mention.place = self.place(mention, stop)
        self.participants(trigger, mention)
        return mention

    def generic(self, m: IncidentMention) -> bool:
        """A bare plural such as "terrorist attacks typically follow": no article, date or place."""
        plural = m.trigger.casefold().endswith("s") and not m.trigger.casefold().endswith(
            ("ss", "us")
        )
        noun_like = not m.trigger.casefold().endswith("ed")
        return (
            plural
            and noun_like
            and not (m.definite or m.indefinite or m.date or m.place or m.participants)
        )

    def assign_dates(self, mentions: list[IncidentMention]) -> None:
        """Each date of a sentence goes to the nearest trigger of the same clause."""
        if not mentions:
            return
        sentence = mentions[0].sentence
        for date in self.ctx.dates_in(*sentence):
            if date.dateline:
                continue  # when the story was filed, not when the event happened
            best, best_distance = None, 10**9
            for m in mentions:
                if (
                    m.definite
                    and m.noun
                    and not (m.start - 40 <= date.start < m.start or 0 <= date.start - m.end < 12)
                ):
                    continue
                clause = self.ctx.clause(m.start, sentence)
                leading = (
                    self.text[sentence[0] : date.start].count(",") <= 1 and date.start < m.start
                )
                if not (clause[0] <= date.start < clause[1]) and not (
                    leading and clause[0] == sentence[0]
                ):
                    continue
                distance = m.start - date.end if date.end <= m.start else date.start - m.end
                if distance < best_distance:
                    best, best_distance = m, distance
            if best is not None:
                value = self.forward(date, best)
                if best.date is None or compatible_date(best.date, value):
                    best.date = finer(best.date, value)
        days_apart(self.ctx, mentions)
        for m in mentions:
            for other in mentions:
                between = self.text[min(m.end, other.end) : max(m.start, other.start)]
                if (
                    m.date is None
                    and other.date is not None
                    and other is not m
                    and re.search(r"\b(?:during|amid|amidst)\b", between)
                ):
                    m.date = other.date

    def forward(self, date: DateMention, m: IncidentMention) -> PartialDate:
        """A month without a year, in a sentence about plans, lies ahead of the article.

        So does a weekday: "talks will be held on Thursday".
        """
        reference = self.ctx.doc.date
        if date.explicit_year or reference is None or not self.folded.search(_FUTURE, *m.sentence):
            return date.date
        if date.weekday:
            if date.date.first_day() >= reference.first_day():
                return date.date
            day = date.date.first_day() + dt.timedelta(days=7)
            return PartialDate(day.year, day.month, day.day)
        if date.date.year < reference.year:
            return PartialDate(date.date.year + 1, date.date.month, date.date.day)
        return date.date

    def preposition(self, start: int, end: int) -> str:
        """The preposition governing a name at ``end``: "in the southern Kyrgyz city of" -> "in"."""
        raw = [w.strip(",’'") for w in self.text[start:end].split()][-7:]
        words = [w.casefold() for w in raw]
        for k in range(len(words) - 1, -1, -1):
            word = words[k]
            if raw[k][:1].isupper() and not self.demonym(raw[k]):
                return ""  # another name stands between: "in Pavlodar, North Kazakhstan"
            if word == "of" and k > 0 and words[k - 1] in _PLACE_NOUNS:
                continue
            if word in _PREPOSITIONS:
                return word
            if word in ("and", "or", "but", "that", "which", "who") or word[:1].isdigit():
                return ""
        return ""

    def demonym(self, word: str) -> bool:
        return any(h.demonym for h in self.reg.gazetteer.index.get((word.casefold(),), ()))

    def place(self, m: IncidentMention, stop: int) -> str | None:
        clause = self.ctx.clause(m.start, m.sentence)
        cut = re.compile(r",|\s(?:and|but|or)\s").search(self.text, m.end, clause[1])
        limit = min(clause[1], stop, cut.start() if cut else clause[1])
        for a_start, _a_end, entity in self.entities_in(m.end, clause[1]):
            if a_start >= limit:
                break
            described = self.text.startswith(" of ", m.end)  # "the killing of X in Y"
            if len(self.text[m.end : a_start].split()) > (
                4 if m.definite and m.noun and not described else 14
            ):
                break
            prep = self.preposition(m.end, a_start)
            if prep in _PLACE_AFTER or (
                prep == "to"
                and (
                    m.kind in _TARGET_PLACE_KINDS
                    or _SPREAD.search(self.text, m.start - 20, a_start)
                )
            ):
                return entity.key
        if m.noun:
            for _a_start, a_end, entity in reversed(
                self.entities_in(max(clause[0], m.start - 30), m.start)
            ):
                between = self.text[a_end : m.start]
                if re.fullmatch(r"(?:[’']s)?\s+(?:[\w-]+\s+){0,2}", between):
                    return entity.key  # "the Tashkent bombing", "the Osh blast"
        if m.kind in _DEMONYM_PLACE_KINDS:
            for ref in self.ctx.refs_between(m.start - 30, m.start):
                if (
                    self.reg.at(ref.start) is None  # a demonym, not a name
                    and re.fullmatch(r"\s+(?:[\w-]+\s+)?", self.text[ref.end : m.start])
                ):
                    country = self.reg.country(ref.country, None)
                    return country.key if country else None
        for a_start, _a_end, entity in reversed(
            self.entities_in(max(clause[0], m.start - 120), m.start)
        ):
            if self.ctx.aside(a_start):
                continue
            if self.preposition(max(clause[0], a_start - 40), a_start) in ("in", "at", "to"):
                return entity.key
        return None

    def entities_in(self, start: int, end: int) -> list[tuple[int, int, DocEntity]]:
        out: list[tuple[int, int, DocEntity]] = []
        for mention in self.reg.between(start, end):
            entity = self.reg.entities.get(mention.key)
            if entity is None or entity.type not in self.place_types:
                continue
            if out and mention.start < out[-1][1]:
                continue  # "Iraq" inside "northern Iraq": the longer name is the place
            out.append((mention.start, mention.end, entity))
        return out

    def participants(self, trigger: cues.Trigger, m: IncidentMention) -> None:
        if not trigger.noun or m.trigger.casefold().endswith(("ed", "out", "up", "fire", "held")):
            subject = self.ctx.subject(m.start, m.sentence)
            role = self.role(trigger.role)
            if self.folded.search(
                _PASSIVE, max(0, m.start - 30), m.start
            ) or _PASSIVE_TRIGGER.search(m.trigger):
                role = (
                    self.role(_OBJECT_ROLE.get(m.kind, "")) or role
                )  # "X was sentenced": X is the defendant
            if subject is not None and role:
                for entity in self.coordinated(subject, m):
                    m.participants.append((entity.key, role))
            obj = self.ctx.object_after(m.end, m.sentence)
            obj_role = self.role(_OBJECT_ROLE.get(m.kind, ""))
            if obj is not None and obj_role and (subject is None or obj.key != subject.key):
                m.participants.append((obj.key, obj_role))
        by = _BY_AFTER.match(self.text, m.end) or _IN_PLACE_BY.match(self.text, m.end)
        if by is not None:
            offset = by.end()
            actors = self.ctx.actors_in(offset, m.sentence[1])
            if actors and actors[0][0] - offset < 25:
                role = self.role("organiser" if m.kind == "military_exercise" else trigger.role)
                if role:
                    m.participants.append((actors[0][2].key, role))
        of = _OF_AFTER.match(self.text, m.end)
        if of is not None and m.kind in _OBJECT_ROLE:
            victim = self.ctx.object_after(of.end(), m.sentence)
            role = self.role(_OBJECT_ROLE[m.kind])
            if victim is not None and role:
                m.participants.append((victim.key, role))

    def coordinated(self, subject: DocEntity, m: IncidentMention) -> list[DocEntity]:
        """``A and B`` before the verb: both are subjects."""
        actors = self.ctx.actors_in(m.sentence[0], m.start)
        keys = [a[2].key for a in actors]
        if subject.key not in keys:
            return [subject]
        i = len(keys) - 1 - keys[::-1].index(subject.key)
        out = [subject]
        while i > 0 and re.fullmatch(
            r"\s*(?:,|,?\s*and|,?\s*or)\s*(?:the\s+)?", self.text[actors[i - 1][1] : actors[i][0]]
        ):
            out.insert(0, actors[i - 1][2])
            i -= 1
        return out


def find_incidents(ctx: Context, schema: Schema) -> tuple[list[FoundIncident], Intervals]:
    """Incidents of one document, each with the sentences that mention it, and the trigger spans.

    A reporting verb inside a trigger ("claimed responsibility") is not a claim: the claim
    rules take the spans.
    """
    rules = _IncidentRules(ctx, schema)
    incidents = merge_mentions(split_mentions(rules.mentions()))
    narrative_dates(ctx, incidents, sorted(rules.anchors, key=lambda a: a[0]))
    published = ctx.doc.date
    if published is not None and published.month is not None:
        for incident in incidents:
            if incident.date is None:
                # news reports recent events without a date: the month of publication, marked
                incident.date = PartialDate(published.year, published.month)
                incident.rule += "; undated in the text, given the article's month"
    return incidents, rules.seen

"""Claims from reporting and stance verbs: speaker, stance, content, subjects, date, source."""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field

from kg.dates import PartialDate
from kg.schema import Schema

from . import cues
from .caseless import Folded
from .context import Context, Intervals
from .registry import DocEntity, Span
from .speakers import after_titles, antecedent, apposed_person, body_named, by_post, voice_of

__all__ = ["FoundClaim", "find_claims"]

_NEGATED = re.compile(
    r"^(?:there\s+(?:was|were|is|are|had\s+been|have\s+been|existed)\s+no\b|no\s|none\b|"
    r"nobody\b|nothing\b)",
    re.IGNORECASE,
)
_NESTED = ("alleges", "denies")
"""Accusations and denials reported inside another claim are claims of their own."""
_COORDINATED = re.compile(r"\band\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_TOLD = re.compile(
    r"\s+(?:the\s+)?(?:[^,;.]{0,80}?)\s+(?=that\b)|\s+(?:reporters|journalists)\s+", re.IGNORECASE
)
_THAT = re.compile(
    r"\s*(?:on\s+\w+\s+\d{1,2}\s+|in\s+a\s+statement\s+|publicly\s+)?"
    r"(?:that\s+(?=\S+\s+\S+\s+\S+))?",
    re.IGNORECASE,
)
_QUOTED_BEFORE = re.compile(
    r"[\"“](?P<quote>[^\"”]{10,})[,.?!]?[\"”]\s*,?\s*(?:(?:he|she|they|it|[A-Z][\w.’'-]*)\s+){0,4}$"
)
_WHEN_ONLY = re.compile(r"^(?:on|in|at|last|this|next|later)\s+\w+$", re.IGNORECASE)
_NOTHING = re.compile(r"^(?:(?:very|so|too)\s+)?(?:little|nothing|much|less|more)$", re.I)
"""What "said very little" says: nothing."""
_QUESTION = re.compile(r"^(?:whether|why|how|what|who|when|where|if)\b", re.IGNORECASE)
_HE_SHE = re.compile(r"(?:^|[,\"“”]\s*)(?:he|she)\s+(?:\w+ly\s+|also\s+)?$", re.IGNORECASE)
_APPEAL = re.compile(r"urge|call|ask|propos|vow|pledg|welcom|express|voic", re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.I)
_ACT_VERBS = frozenset({"declared", "named", "charged"})
_CLAUSE_AFTER = re.compile(r"\s*(?:that\b|:|[\"“]|,)", re.I)
_SPEAKER_STOP = re.compile(r"\s*(?:[.,;]|\(|$)")
_SPEAKER_END = re.compile(r"\s*(?:[.,;]|\(|$)|\s+of\s")
_MEDIA_VERBS = ("announced", "announcing", "announces", "reported", "reports")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|his|her|its|their|these|such)\s+$")
_NUMBERED_ASIDE = re.compile(r"\s*\([^()]*\d[^()]*\)\s*")
"""A bracket holding a number ("(pictured 2019)"): left out of the claim's content."""


@dataclass
class FoundClaim:
    """A claim as found in the text, before it becomes a draft record."""

    speaker: str
    stance: str
    content: str
    about: list[str] = field(default_factory=list)
    date: PartialDate | None = None
    source: str | None = None
    evidence: Span = (0, 0)
    rule: str = "reporting-verb"
    verb: str = ""


class _ClaimRules:
    def __init__(self, ctx: Context, schema: Schema, triggers: Intervals) -> None:
        self.ctx, self.reg, self.text, self.triggers = ctx, ctx.reg, ctx.text, triggers
        self.folded = Folded.of(ctx.text, ctx.lowered)
        self.titles: dict[int, str | None] = {}
        """The title before each person's name, read once (see :func:`speakers.by_post`)."""
        self.spoken: list[tuple[DocEntity, int]] = []
        """Speakers of the claims read so far, with the offset of their verb."""
        stances = schema.vocabulary("stances")
        self.verbs = [r for r in cues.reporting_cues() if r.stance in stances]
        self.media_kind = "media_outlet"

    def claims(self) -> list[FoundClaim]:
        found: list[FoundClaim] = []
        keys: set[tuple[str, Span, str]] = set()
        buckets = self.ctx.by_sentence([(v.pattern, v.anchors) for v in self.verbs])
        for sentence, bucket in zip(self.ctx.sentences, buckets, strict=True):
            matches: list[tuple[cues.Reporting, re.Match[str]]] = []
            for k, match in bucket:
                verb = self.verbs[k]
                if any(
                    m.start() < match.end() and match.start() < m.end() for _, m in matches
                ) or self.not_a_verb(match):
                    continue
                matches.append((verb, match))
            matches.sort(key=lambda vm: vm[1].start())
            here: list[tuple[FoundClaim, Span]] = []
            for verb, match in matches:
                inside = [(c, span) for c, span in here if span[0] <= match.start() < span[1]]
                coordinated = self.folded.search(_COORDINATED, sentence[0], match.start())
                if inside and not coordinated and verb.stance not in _NESTED:
                    continue  # a verb of the reported content, not a new claim
                if coordinated and here and _APPEAL.match(match.group()):
                    continue  # "condemned the attack and urged calm": one statement
                result = self.read(
                    verb, match, sentence, here[-1][0] if coordinated and here else None
                )
                if result is None:
                    continue
                claim, content_span = result
                if coordinated and here:
                    earlier, span = here[-1]
                    end = self.text.rfind(" and ", span[0], match.start())
                    if end > span[0]:
                        earlier.content = self.clean(self.text[span[0] : end])
                for speaker in self.partners(claim.speaker, match.start(), sentence):
                    if (speaker, claim.evidence, claim.stance) in keys:
                        continue
                    keys.add((speaker, claim.evidence, claim.stance))
                    found.append(dataclasses.replace(claim, speaker=speaker))
                    self.spoken.append((self.reg.entities[speaker], match.start()))
                    here.append((claim, content_span))
        return found

    def not_a_verb(self, match: re.Match[str]) -> bool:
        start = match.start()
        before = self.text[max(0, start - 12) : start].casefold()
        return (  # the cheap tests first
            self.triggers.covers(start)
            or _DETERMINER_BEFORE.search(before) is not None
            or self.quoted(start)
            or any(m.start <= start < m.end for m in self.reg.between(start - 80, match.end() + 80))
        )

    def quoted(self, offset: int) -> bool:
        """Whether ``offset`` lies inside a quotation of its sentence (quoted speech is content)."""
        start, end = self.ctx.sentence_of(offset)
        before, after = self.text[start:offset], self.text[offset:end]
        return (before.count('"') % 2 == 1 and '"' in after) or (
            before.count("“") > before.count("”") and "”" in after
        )

    def read(
        self,
        verb: cues.Reporting,
        match: re.Match[str],
        sentence: Span,
        previous: FoundClaim | None = None,
    ) -> tuple[FoundClaim, Span] | None:
        word = match.group().casefold()
        if self.folded.search(_PASSIVE_BEFORE, max(0, match.start() - 20), match.start()):
            return None  # "they were charged", "he is accused": nobody speaks
        if word in _ACT_VERBS and not _CLAUSE_AFTER.match(self.text, match.end()):
            return None  # "declared martial law": an act, not a statement
        if previous is not None:
            speaker = self.reg.entities.get(previous.speaker)
            content_span = self.content_after(match, sentence)
        elif verb.speaker_after:
            speaker = self.speaker_after(match.end(), sentence)
            content_span = self.content_around(match, sentence)
        else:
            participle = (
                word.endswith("ing")
                and self.text[max(0, match.start() - 2) : match.start()] == ", "
            )
            clause = self.ctx.clause(match.start(), sentence)
            speaker = (
                self.last_speaker(match.start(), sentence)
                or antecedent(self.ctx, match.start(), sentence)
                or apposed_person(self.ctx, match.start(), clause)
                or voice_of(self.ctx, match.start(), clause)
                or by_post(self.ctx, match.start(), clause, self.titles)
                or self.ctx.subject(match.start(), sentence, participle=participle)
                or body_named(self.ctx, clause[0], match.start())
            )
            if speaker is None:
                speaker = self.inverted_speaker(match.end(), sentence, word)
            content_span = self.content_after(match, sentence)
            if content_span is not None and self.ctx.aside(match.start()):
                # "X, who condemned the attack as terrorism, declared...": the aside only
                stop = self.text.find(",", content_span[0], content_span[1])
                content_span = (content_span[0], stop) if stop > 0 else content_span
        if content_span is None and verb.stance == "declines_to_comment":
            content_span = sentence  # "The ministry has not commented."
        if speaker is None or content_span is None:
            return None
        content = self.clean(self.text[content_span[0] : content_span[1]])
        if len(content) < 5 and verb.stance == "declines_to_comment":
            content = self.clean(self.text[sentence[0] : sentence[1]])
        if (
            len(content) < 5
            or _NOTHING.match(content)
            or (word.startswith(("ask", "wonder")) and _QUESTION.match(content))
        ):
            return None  # "on Wednesday", "asked whether ...": no statement
        stance = self.stance(verb.stance, word, speaker, content)
        about = self.about(content_span, speaker)
        date, source = self.when(match, sentence, content_span)
        rule = f"reporting-verb {' '.join(word.split())}"
        claim = FoundClaim(speaker.key, stance, content, about, date, source, sentence, rule, word)
        return claim, content_span

    def partners(self, speaker: str, verb_start: int, sentence: Span) -> list[str]:
        """ "The UN and the United States condemned": every coordinated subject speaks."""
        actors = self.ctx.actors_in(sentence[0], verb_start)
        keys = [a[2].key for a in actors]
        if not keys or keys[-1] != speaker:
            return [speaker]
        out, i = [speaker], len(actors) - 1
        while i > 0 and re.fullmatch(
            r"\s*(?:,|,?\s*and)\s*(?:the\s+)?", self.text[actors[i - 1][1] : actors[i][0]]
        ):
            out.insert(0, actors[i - 1][2].key)
            i -= 1
        return out

    def last_speaker(self, verb_start: int, sentence: Span) -> DocEntity | None:
        """ "He added": the person who spoke last, or the person a recent sentence was about.

        Whichever of the two the text named last, within this or the last paragraph.
        """
        clause_start = self.ctx.clause(verb_start, sentence)[0]
        if not self.folded.search_in(_HE_SHE, clause_start, verb_start):
            return None
        subject = self.previous_subject(sentence)
        if self.spoken:
            last, where = self.spoken[-1]
            if (
                self.text.count("\n\n", where, verb_start) <= 1
                and last.type == self.reg.types["Person"]
                and (subject is None or where > subject[1])
            ):
                return last
        return subject[0] if subject is not None else None

    def previous_subject(self, sentence: Span) -> tuple[DocEntity, int] | None:
        """The person opening one of the two sentences before this one, in its paragraph."""
        person = self.reg.types["Person"]
        i = bisect.bisect_left(self.ctx.sentences, sentence)
        for start, end in reversed(self.ctx.sentences[max(0, i - 2) : i]):
            if self.text.find("\n\n", start, sentence[0]) >= 0:
                break
            actors = [a for a in self.ctx.actors_in(start, end) if not self.reg.possessive_at(a[1])]
            if (
                actors
                and actors[0][2].type == person
                and len(self.text[start : actors[0][0]].split()) <= 3
            ):
                return actors[0][2], actors[0][0]
        return None

    def stance(self, stance: str, word: str, speaker: DocEntity, content: str) -> str:
        media = speaker.kind == self.media_kind or (
            speaker.type == self.reg.types["Group"]
            and bool(re.search(r"\b(?:media|press|newspapers?)\b", speaker.name, re.I))
        )
        if stance == "reports" and not media:
            stance = "asserts"
        elif stance == "asserts" and media and word in _MEDIA_VERBS:
            stance = "reports"
        if stance == "asserts" and _NEGATED.match(content):
            stance = "denies"
        return stance

    def speaker_after(self, offset: int, sentence: Span) -> DocEntity | None:
        actors = self.ctx.actors_in(offset, sentence[1])
        if (
            actors
            and not self.text[after_titles(self.ctx, offset, actors[0][0]) : actors[0][0]].strip()
            and not self.reg.possessive_at(actors[0][1])
        ):
            return actors[0][2]
        stop = re.search(r"[,;.()]", self.text[offset : sentence[1]])
        end = offset + stop.start() if stop else sentence[1]
        return self.ctx.noun_phrase(offset, end) or body_named(self.ctx, offset, end)

    def inverted_speaker(self, offset: int, sentence: Span, word: str) -> DocEntity | None:
        """``..., said Karimov.``: the speaker right after the verb, at the end of the clause.

        After "said" or "added" the name may go on ("said Karimov of the ministry")."""
        actors = self.ctx.actors_in(offset, sentence[1])
        end = _SPEAKER_END if word in ("said", "added", "says", "adds") else _SPEAKER_STOP
        if (
            actors
            and after_titles(self.ctx, offset, actors[0][0]) == actors[0][0]
            and end.match(self.text, actors[0][1], sentence[1])
        ):
            return actors[0][2]
        return None

    def content_after(self, match: re.Match[str], sentence: Span) -> Span | None:
        """What was said: the "that" clause after the verb, or the quotation before it."""
        quoted = _QUOTED_BEFORE.search(self.text, sentence[0], match.start())
        if (quoted is not None and self.text[quoted.end() : match.start()].strip(" ,") == "") or (
            quoted is not None and len(self.text[quoted.end() : match.start()].split()) <= 4
        ):
            return quoted.start("quote"), quoted.end("quote")
        offset = match.end()
        told = (
            _TOLD.match(self.text, offset)
            if match.group().casefold().startswith(("told", "tells"))
            else None
        )
        if told is not None:
            offset = told.end()
        that = _THAT.match(self.text, offset)
        if that is not None:
            offset = that.end()
        end = sentence[1]
        if offset >= end - 3 or _WHEN_ONLY.match(self.clean(self.text[offset:end])):
            before = self.text[sentence[0] : match.start()].rstrip(" ,")
            return (sentence[0], sentence[0] + len(before)) if len(before) > 15 else None
        return offset, end

    def content_around(self, match: re.Match[str], sentence: Span) -> Span:
        """ "According to X, ...": the sentence without the attribution."""
        after = re.search(r",\s*", self.text[match.end() : sentence[1]])
        if self.text[sentence[0] : match.start()].strip() == "" and after is not None:
            return match.end() + after.end(), sentence[1]
        return sentence[0], match.start()

    def clean(self, content: str) -> str:
        if "(" in content:
            content = _NUMBERED_ASIDE.sub(" ", content)
        return " ".join(content.split()).strip(' ,;:."“”')

    def about(self, span: Span, speaker: DocEntity) -> list[str]:
        out: list[str] = []
        for m in self.reg.between(*span):
            entity = self.reg.entities.get(m.key)
            if (
                entity is not None
                and entity.key != speaker.key
                and entity.type != self.reg.types["Source"]
                and entity.key not in out
            ):
                out.append(entity.key)
        return out

    def when(
        self, match: re.Match[str], sentence: Span, content: Span
    ) -> tuple[PartialDate | None, str | None]:
        """The date the claim was made and the source cited for it, when the sentence gives them."""
        source = self.ctx.citation_in(sentence[0], sentence[1] + 2)
        clause = self.ctx.clause(match.start(), sentence)
        dates = [
            d
            for d in self.ctx.dates_in(sentence[0], sentence[1])
            if not (content[0] <= d.start < content[1])
            and (clause[0] <= d.start < clause[1] or d.start < match.start())
        ]
        if dates:
            return min(dates, key=lambda d: abs(d.start - match.start())).date, source
        if source is not None:
            date = self.reg.entities[source].properties.get("date")
            return (date if isinstance(date, PartialDate) else None), source
        return None, source


def find_claims(ctx: Context, schema: Schema, triggers: Intervals) -> list[FoundClaim]:
    """Attributed statements of one document; no reporting verb is read inside ``triggers``."""
    return _ClaimRules(ctx, schema, triggers).claims()

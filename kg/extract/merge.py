"""Incident mentions and their merging: the same event mentioned several times is one incident."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.dates import PartialDate

from .registry import Span

__all__ = [
    "VIOLENT",
    "FoundIncident",
    "IncidentMention",
    "compatible_date",
    "compatible_kind",
    "finer",
    "merge_mentions",
    "same_event",
    "split_mentions",
]

FAMILIES = ({"attack", "bombing", "assassination"}, {"detention", "arrest"}, {"clash", "attack"})
"""Kinds that can name the same event ("the attacks" and "the bombings")."""
VIOLENT = {"bombing", "attack", "killing", "assassination", "clash"}
HORIZON = 20_000
"""A mention joins only incidents first mentioned at most this many characters before it
(about 3,000 words, longer than a news article): merging stays linear in the text's length."""


@dataclass
class FoundIncident:
    """An incident as found in the text, before it becomes a draft record."""

    kind: str
    date: PartialDate | None
    place: str | None
    participants: list[tuple[str, str]] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)
    rule: str = "trigger"
    label: str = ""
    """What the trigger named within its kind ("release" within ``other``)."""


@dataclass
class IncidentMention:
    """One trigger in one sentence, with what the sentence says about it."""

    kind: str
    start: int
    end: int
    sentence: Span
    date: PartialDate | None = None
    place: str | None = None
    participants: list[tuple[str, str]] = field(default_factory=list)
    definite: bool = False
    indefinite: bool = False
    trigger: str = ""
    noun: bool = True
    label: str = ""


def compatible_kind(a: str, b: str) -> bool:
    return a == b or any(a in f and b in f for f in FAMILIES)


def compatible_date(a: PartialDate | None, b: PartialDate | None) -> bool:
    if a is None or b is None:
        return True
    if a.year != b.year:
        return False
    if a.month is not None and b.month is not None and a.month != b.month:
        return False
    return a.day is None or b.day is None or a.day == b.day


def finer(a: PartialDate | None, b: PartialDate | None) -> PartialDate | None:
    order = {"year": 0, "month": 1, "day": 2}
    if a is None or (b is not None and order[b.precision] > order[a.precision]):
        return b
    return a


def split_mentions(mentions: list[IncidentMention]) -> list[IncidentMention]:
    """One incident per actor of a unilateral act: "both the EBRD and the US had slashed aid"."""
    out = []
    for m in mentions:
        initiators = [p for p in m.participants if p[1] == "initiator"]
        if len(initiators) < 2:
            out.append(m)
            continue
        others = [p for p in m.participants if p[1] != "initiator"]
        for p in initiators:
            out.append(
                IncidentMention(
                    m.kind,
                    m.start,
                    m.end,
                    m.sentence,
                    m.date,
                    m.place,
                    [p, *others],
                    m.definite,
                    m.indefinite,
                    m.trigger,
                    m.noun,
                    m.label,
                )
            )
    return out


def merge_mentions(mentions: list[IncidentMention]) -> list[FoundIncident]:
    """One incident per event: mentions of the same event join the first (dedup)."""
    incidents: list[FoundIncident] = []
    for m in mentions:
        target = same_event(m, incidents)
        if target is None:
            rule = f"trigger {' '.join(m.trigger.casefold().split())}"
            incidents.append(
                FoundIncident(
                    m.kind, m.date, m.place, list(m.participants), [m.sentence], rule, m.label
                )
            )
            continue
        if target.kind == "attack" and m.kind in ("bombing", "assassination"):
            target.kind = m.kind  # "the attacks" were bombings
        target.date = finer(target.date, m.date)
        target.place = target.place or m.place
        for p in m.participants:
            if p not in target.participants:
                target.participants.append(p)
        if m.sentence not in target.evidence:
            target.evidence.append(m.sentence)
    return incidents


def same_event(m: IncidentMention, incidents: list[FoundIncident]) -> FoundIncident | None:
    """The earlier incident a mention refers to, if any."""

    def fits(i: FoundIncident) -> bool:
        actors = {p for p in i.participants if p[1] in ("initiator", "perpetrator")}
        mine = {p for p in m.participants if p[1] in ("initiator", "perpetrator")}
        theirs, ours = {k for k, _ in i.participants}, {k for k, _ in m.participants}
        return (
            compatible_kind(i.kind, m.kind)
            and (i.label == m.label or i.kind != "other")
            and compatible_date(i.date, m.date)
            and (i.place is None or m.place is None or i.place == m.place)
            and (not actors or not mine or bool(actors & mine))
            and (not theirs or not ours or bool(theirs & ours))  # other people: another event
        )

    def shares_actor(i: FoundIncident) -> bool:
        return bool({k for k, _ in i.participants} & {k for k, _ in m.participants})

    recent = []
    for i in reversed(incidents):
        if i.evidence[0][0] < m.start - HORIZON:
            break
        recent.append(i)
    for i in recent:
        if (
            i.kind == m.kind
            and i.date
            and i.date == m.date
            and i.place
            and i.place == m.place
            and fits(i)
        ):
            return i
    if m.indefinite:
        return None
    for i in recent:
        if fits(i) and (
            m.definite or m.sentence in i.evidence or shares_actor(i) or not (m.date or m.place)
        ):
            return i
    unattributed = all(role != "perpetrator" for _, role in m.participants)
    if m.kind == "killing" and not m.definite and unattributed:
        # "eleven of its servicemen had been killed": the casualties of the last violent event
        for i in recent:
            if i.kind in VIOLENT:
                return i
    return None

"""The incidents a claim is about: the one its sentence tells, or the one a denial answers.

A claim is about an incident when

* its sentence is evidence of the incident ("prosecutors said the party planned the bombing",
  "the party denied carrying out the bombing"), or
* its content names a kind of incident with a definite article ("denied any role in the
  attack"): the latest incident of that kind (or of its family) told before it, or
* it is a denial of bare involvement ("denied any involvement", "rejected responsibility"):
  the latest violent incident told before it.

The contradictions query pairs a denial with the claims about the same records, so both
sides of a dispute over an incident name it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.schema import Schema

from . import cues
from .claims import FoundClaim
from .merge import FAMILIES, VIOLENT, FoundIncident

__all__ = ["claim_incidents"]

_REACH = 3000
"""How far back (characters) a denial may answer an incident told before it."""
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those|last\s+\w+[’']s)\s+(?:[\w-]+\s+)?$", re.I)
_INVOLVEMENT = re.compile(
    r"\b(?:involvement|involved|responsib\w*|role|part|links?|connection|complicity|behind)\b",
    re.IGNORECASE,
)


def _family(kind: str) -> set[str]:
    out = {kind}
    for family in FAMILIES:
        if kind in family:
            out |= family
    return out


def _named_kind(content: str) -> str | None:
    """The kind of incident a definite noun phrase of the content names ("the bombing")."""
    for trigger in cues.trigger_cues():
        if not trigger.noun:
            continue
        for match in trigger.pattern.finditer(content):
            if _DEFINITE.search(content, 0, match.start()):
                return trigger.kind
    return None


def _latest(incidents: Sequence[FoundIncident], before: int, kinds: set[str]) -> int | None:
    best: tuple[int, int] | None = None
    for i, incident in enumerate(incidents):
        if incident.kind not in kinds:
            continue
        starts = [s for s, _ in incident.evidence if before - _REACH <= s < before]
        if starts and (best is None or max(starts) > best[0]):
            best = (max(starts), i)
    return best[1] if best else None


def claim_incidents(
    schema: Schema, claims: Sequence[FoundClaim], incidents: Sequence[FoundIncident]
) -> list[list[int]]:
    """For each claim, the indexes of the incidents it is about."""
    stances = schema.vocabulary("stances").terms
    out: list[list[int]] = []
    for claim in claims:
        term = stances.get(claim.stance)
        denial = term is not None and term.polarity == "negative"
        start, end = claim.evidence
        same = [
            i
            for i, incident in enumerate(incidents)
            if any(s < end and start < e for s, e in incident.evidence)
        ]
        if same:
            out.append(same)
            continue
        kind = _named_kind(claim.content)
        if kind is not None:
            found = _latest(incidents, start, _family(kind))
        elif denial and _INVOLVEMENT.search(claim.content):
            found = _latest(incidents, start, VIOLENT)
        else:
            found = None
        out.append([found] if found is not None else [])
    return out

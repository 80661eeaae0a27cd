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

import bisect
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
    anchors, woken = cues.noun_anchors()
    found = set(anchors.findall(content.casefold()))
    if not found:
        return None
    triggers = cues.trigger_cues()
    for k in sorted({k for a in found for k in woken[a]}):  # the first kind named wins
        for match in triggers[k].pattern.finditer(content):
            if _DEFINITE.search(content, 0, match.start()):
                return triggers[k].kind
    return None


class _Told:
    """The incidents' evidence spans in text order, searched by bisection (linear overall)."""

    def __init__(self, incidents: Sequence[FoundIncident]) -> None:
        self.spans = sorted((s, e, i) for i, inc in enumerate(incidents) for s, e in inc.evidence)
        self.starts = [s for s, _, _ in self.spans]
        self.longest = max((e - s for s, e, _ in self.spans), default=0)
        self.kinds = [inc.kind for inc in incidents]

    def overlapping(self, start: int, end: int) -> list[int]:
        """The incidents with evidence sharing characters with ``[start, end)``."""
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        found = {i for s, e, i in self.spans[lo:hi] if start < e}
        return sorted(found)

    def latest(self, before: int, kinds: set[str]) -> int | None:
        """The incident of one of ``kinds`` told last before ``before`` (within reach)."""
        k = bisect.bisect_left(self.starts, before)
        while k > 0 and self.starts[k - 1] >= before - _REACH:
            k -= 1
            if self.kinds[self.spans[k][2]] in kinds:
                return self.spans[k][2]
        return None


def claim_incidents(
    schema: Schema, claims: Sequence[FoundClaim], incidents: Sequence[FoundIncident]
) -> list[list[int]]:
    """For each claim, the indexes of the incidents it is about."""
    stances = schema.vocabulary("stances").terms
    told = _Told(incidents)
    out: list[list[int]] = []
    for claim in claims:
        term = stances.get(claim.stance)
        denial = term is not None and term.polarity == "negative"
        start, end = claim.evidence
        same = told.overlapping(start, end)
        if same:
            out.append(same)
            continue
        kind = _named_kind(claim.content)
        if kind is not None:
            found = told.latest(start, _family(kind))
        elif denial and _INVOLVEMENT.search(claim.content):
            found = told.latest(start, VIOLENT)
        else:
            found = None
        out.append([found] if found is not None else [])
    return out

"""Relations that incidents and claims imply: who fights whom, who accuses whom.

A later stage than incidents and claims: it takes their results and proposes

* ``opposes``: the perpetrator of an attack against its target (not its victims), the sides of a
  clash (each sentence the incident is told in is the evidence);
* ``opposes`` (an organisation) or ``tension_with`` (anyone else): a speaker who accuses,
  blames, condemns or criticises a named actor.

Every relation type is looked up in the schema; a type it lacks switches its rule off.
"""

from __future__ import annotations

import re

from kg.schema import Schema

from .claims import FoundClaim
from .context import Context
from .merge import VIOLENT, FoundIncident
from .registry import Span
from .relations import FoundRelation

__all__ = ["event_relations"]

_ACCUSING = re.compile(r"accus|blam|condemn|critici", re.IGNORECASE)
_SIDES = ("perpetrator", "participant", "initiator")
_AGAINST = ("target",)


def _allowed(schema: Schema, rel: str, source: str, target: str) -> bool:
    spec = schema.relations.get(rel)
    return spec is not None and source in spec.source and target in spec.target


def event_relations(
    ctx: Context,
    schema: Schema,
    incidents: list[FoundIncident],
    claims: list[FoundClaim],
) -> list[FoundRelation]:
    """``opposes`` from violent incidents and ``tension_with`` from accusations."""
    found: dict[tuple[str, str, str], FoundRelation] = {}

    def add(rel: str, source: str, target: str, span: Span, rule: str) -> None:
        a, b = ctx.reg.entities.get(source), ctx.reg.entities.get(target)
        if a is None or b is None or source == target or not _allowed(schema, rel, a.type, b.type):
            return
        key = (rel, source, target)
        if key not in found:
            found[key] = FoundRelation(rel, source, target, [span], {}, rule)

    for incident in incidents:
        if incident.kind not in VIOLENT:
            continue
        sides = [k for k, role in incident.participants if role in _SIDES]
        against = [k for k, role in incident.participants if role in _AGAINST]
        span = incident.evidence[0]
        for side in sides:
            for other in against:
                add("opposes", side, other, span, f"incident {incident.kind}")
        if incident.kind == "clash":
            for i, side in enumerate(sides):
                for other in sides[i + 1 :]:
                    add("opposes", side, other, span, "incident clash")
    for claim in claims:
        if not _ACCUSING.match(claim.verb):
            continue
        start, end = claim.evidence
        verb = re.search(re.escape(claim.verb), ctx.text[start:end], re.IGNORECASE)
        if verb is None:
            continue
        target = ctx.object_after(start + verb.end() + 1, claim.evidence)
        if target is not None:
            # an accusation is tension between the two, whoever the target is
            add("tension_with", claim.speaker, target.key, claim.evidence, f"claim {claim.verb}")
    return list(found.values())

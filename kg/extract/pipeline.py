"""The extractor: one document in, one draft annotation out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.gcpause import gc_paused
from kg.model import Document
from kg.schema import Schema

from . import cues
from .assemble import assemble
from .claimincidents import claim_incidents
from .claims import FoundClaim, find_claims
from .context import Context
from .draft import Draft
from .entities import entity_types, find_entities, prune
from .eventrelations import event_relations
from .gazetteer import Gazetteer, load_gazetteer
from .incidents import FoundIncident, find_incidents
from .relations import find_relations
from .transcript import transcript_claims

__all__ = ["Extractor", "load_extractor"]

_MEDIA_VERBS = ("announced", "announcing", "announces", "reported", "reports")


def _reports(claims: list[FoundClaim], ctx: Context, schema: Schema) -> list[FoundIncident]:
    """A media outlet announcing or reporting news is itself an incident of kind ``report``."""
    if "report" not in schema.vocabulary("incident_kinds") or "reporter" not in schema.vocabulary(
        "roles"
    ):
        return []
    found: list[FoundIncident] = []
    for claim in claims:
        speaker = ctx.reg.entities.get(claim.speaker)
        if speaker is None or speaker.kind != "media_outlet" or claim.verb not in _MEDIA_VERBS:
            continue
        if any(i.participants[0][0] == claim.speaker and i.date == claim.date for i in found):
            continue
        found.append(
            FoundIncident(
                "report",
                claim.date,
                None,
                [(claim.speaker, "reporter")],
                [claim.evidence],
                "media-report",
            )
        )
    return found


@dataclass(frozen=True)
class Extractor:
    """Rule-based extraction with a schema and a gazetteer; no model, no network."""

    schema: Schema
    gazetteer: Gazetteer

    def __post_init__(self) -> None:
        entity_types(self.schema)  # fail early when the schema lacks a type the rules need
        cues.compile_all()

    def extract(self, doc: Document) -> Draft:
        """Propose entities, incidents, claims and relations for one document.

        The cyclic garbage collector waits until the draft is made: the rules make hundreds of
        thousands of short-lived acyclic objects (freed as they go).
        """
        with gc_paused():
            return self._extract(doc)

    def _extract(self, doc: Document) -> Draft:
        registry, _ = find_entities(doc, self.schema, self.gazetteer)
        ctx = Context(doc, registry)
        for m in registry.mentions:  # groups the entity stage found can be "they" later on
            if registry.entities[m.key].type == registry.types["Group"]:
                ctx.groups.setdefault(m.key, []).append((m.start, m.end))
        incidents, triggers = find_incidents(ctx, self.schema)
        claims = find_claims(ctx, self.schema, triggers)
        claims += transcript_claims(ctx, self.schema, claims)
        incidents += _reports(claims, ctx, self.schema)
        relations = find_relations(ctx, self.schema, ctx.groups)
        known = {(r.type, r.source, r.target) for r in relations}
        relations += [
            r
            for r in event_relations(ctx, self.schema, incidents, claims)
            if (r.type, r.source, r.target) not in known
        ]
        used = {k for i in incidents for k, _ in i.participants} | {
            i.place for i in incidents if i.place
        }
        used |= {c.speaker for c in claims} | {k for c in claims for k in c.about}
        used |= (
            {c.source for c in claims if c.source}
            | {r.source for r in relations}
            | {r.target for r in relations}
        )
        used |= {
            str(e.properties["outlet"])
            for e in registry.entities.values()
            if "outlet" in e.properties
        }
        prune(registry, used)
        about = claim_incidents(self.schema, claims, incidents)
        return assemble(doc, self.schema, registry, incidents, claims, relations, about)


def load_extractor(
    schema: Schema, seeds_dir: Path, gazetteer_file: Path | None = None
) -> Extractor:
    """An extractor for a workspace: its gazetteer plus the curated annotations' entities."""
    gazetteer = load_gazetteer(
        schema, gazetteer_file or seeds_dir / "gazetteer.yaml", seeds_dir / "annotations"
    )
    return Extractor(schema, gazetteer)

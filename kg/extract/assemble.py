"""Turn what the rules found into a Draft: ids, titles, evidence quotes, notes and clean aliases."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from typing import Any

from kg.ids import make_id, stable_hash
from kg.model import Document
from kg.schema import Schema

from .claims import FoundClaim
from .draft import Draft, DraftItem
from .entities import ROLES
from .incidents import FoundIncident
from .registry import DocEntity, Registry, Span
from .relations import FoundRelation
from .tokens import name_key

__all__ = ["assemble"]


class _Quotes:
    """Evidence quotes of one text, with where each quote occurs found once, left to right."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[str, list[int]] = {}
        """Positions of each quote found so far."""
        self._searched: dict[str, int] = {}
        """Where the search for each quote stopped: every occurrence starting before is found."""

    def occurrence(self, quote: str, start: int) -> int:
        """How many times ``quote`` occurs at or before ``start`` (overlaps counted)."""
        found = self._found.setdefault(quote, [])
        searched = self._searched.get(quote, 0)
        if searched <= start:  # look on to ``start`` only, not to the end of a long text
            position = self.text.find(quote, searched, start + len(quote))
            while position >= 0:
                found.append(position)
                position = self.text.find(quote, position + 1, start + len(quote))
            self._searched[quote] = start + 1
        return bisect.bisect_right(found, start)

    def evidence(self, span: Span, source: str | None = None) -> dict[str, Any]:
        quote = self.text[span[0] : span[1]].strip()
        start = span[0] + self.text[span[0] : span[1]].index(quote) if quote else span[0]
        occurrence = self.occurrence(quote, start)
        entry: dict[str, Any] = {"quote": quote}
        if occurrence > 1:
            entry["occurrence"] = occurrence
        if source:
            entry["source"] = source
        return entry


def _note(rule: str, extra: str | None = None) -> str:
    return f"extracted: rule {rule}" + (f"; {extra}" if extra else "")


def _clean_aliases(entities: list[DocEntity]) -> dict[str, list[str]]:
    """Aliases without duplicates: a name claimed by two entities is dropped from the later ones."""
    owner: dict[tuple[str, ...], str] = {}
    for entity in entities:
        owner.setdefault(name_key(entity.name), entity.key)
    cleaned: dict[str, list[str]] = {}
    for entity in entities:
        keep = []
        for alias in entity.aliases:
            key = name_key(alias)
            if not key or "\n" in alias or owner.setdefault(key, entity.key) != entity.key:
                continue
            if key != name_key(entity.name) and alias not in keep:
                keep.append(alias)
        cleaned[entity.key] = keep
    return cleaned


def _link_notes(reg: Registry) -> dict[str, list[str]]:
    """Each entity's link decisions, from the mentions they were made on."""
    notes: dict[str, list[str]] = {}
    last = {(start, end): reason for start, end, reason in reg.decisions}  # the final word
    mentions = reg.mentions
    starts = [m.start for m in mentions]
    ordered = all(a <= b for a, b in itertools.pairwise(starts))
    reach = list(itertools.accumulate((m.end for m in mentions), max))
    for (start, end), reason in last.items():
        if ordered:  # the first mention that reaches ``end``, if it starts early enough
            i = bisect.bisect_left(reach, end)
            i = i if i < bisect.bisect_right(starts, start) else len(mentions)
        else:
            i = next((k for k, m in enumerate(mentions) if m.start <= start and end <= m.end), -1)
            i = i if i >= 0 else len(mentions)
        if i < len(mentions):
            found = notes.setdefault(mentions[i].key, [])
            if reason not in found:
                found.append(reason)
    return notes


def _entity_item(
    quotes: _Quotes, entity: DocEntity, aliases: list[str], schema: Schema, links: list[str]
) -> DraftItem:
    fields: dict[str, Any] = {"id": entity.key, "type": entity.type}
    etype = schema.types[entity.type]
    if entity.kind and etype.kinds and entity.kind in schema.vocabulary(etype.kinds):
        fields["kind"] = entity.kind
    fields["name"] = entity.name
    if aliases:
        fields["aliases"] = aliases
    specs = schema.properties_of(entity.type)
    for key, value in entity.properties.items():
        if not key.startswith("_") and key in specs:
            fields[key] = value
    if entity.evidence:
        fields["evidence"] = [quotes.evidence(span) for span in entity.evidence[:2]]
    source = "gazetteer" if entity.gaz is not None and entity.rule == "gazetteer" else entity.rule
    extra = list(links)
    if entity.gaz is not None and entity.gaz.curated and entity.key == entity.gaz.key:
        extra.insert(0, f"id {entity.key} from the workspace's curated annotations")
    fields["note"] = _note(source, "; ".join(extra) or None)
    return DraftItem(fields)


def _title(label: str, incident: FoundIncident, names: dict[str, str]) -> str:
    actor = next(
        (
            names[k]
            for k, role in incident.participants
            if role in ("initiator", "perpetrator", "organiser") and k in names
        ),
        None,
    )
    title = label[0].upper() + label[1:]
    if actor:
        title += f" by {actor}"
    if incident.place and incident.place in names:
        title += f" in {names[incident.place]}"
    return title


def assemble(
    doc: Document,
    schema: Schema,
    reg: Registry,
    incidents: list[FoundIncident],
    claims: list[FoundClaim],
    relations: list[FoundRelation],
    claim_incidents: Sequence[Sequence[int]] = (),
) -> Draft:
    """The Draft of one document; only items whose references resolve are kept.

    ``claim_incidents`` gives, claim by claim, the indexes of the incidents it is about.
    """
    order = {t: i for i, t in enumerate(ROLES)}
    entities = sorted(reg.entities.values(), key=lambda e: (order.get(e.type, 99), e.key))
    aliases = _clean_aliases(entities)
    names = {e.key: e.name for e in entities}
    links = _link_notes(reg)
    quotes = _Quotes(doc.text)
    entity_items = tuple(
        _entity_item(quotes, e, aliases[e.key], schema, links.get(e.key, [])) for e in entities
    )
    kinds = schema.vocabulary("incident_kinds").terms
    incident_items, used, incident_ids = [], set(), []
    for incident in incidents:
        parts = [p for p in incident.participants if p[0] in names]
        iid = make_id(
            "inc",
            incident.date.isoformat() if incident.date else "",
            incident.kind,
            incident.place.split(":")[-1] if incident.place else "",
            reg.tag,  # one article's incidents never merge with another's by accident
        )
        while iid in used:
            iid += "-2"
        used.add(iid)
        incident_ids.append(iid)
        fields: dict[str, Any] = {
            "id": iid,
            "kind": incident.kind,
            "title": _title(kinds[incident.kind].label, incident, names),
        }
        if incident.date:
            fields["date"] = incident.date
        if incident.place in names:
            fields["place"] = incident.place
        if parts:
            fields["participants"] = [{"entity": k, "role": r} for k, r in dict.fromkeys(parts)]
        fields["evidence"] = [quotes.evidence(span) for span in incident.evidence]
        fields["note"] = _note(incident.rule)
        incident_items.append(DraftItem(fields))
    claim_items = []
    for n, claim in enumerate(claims):
        if claim.speaker not in names:
            continue
        cid = make_id(
            "clm",
            claim.speaker.split(":")[-1],
            stable_hash(doc.id, claim.content, str(claim.evidence), length=8),
        )
        while cid in used:
            cid += "-2"
        used.add(cid)
        fields = {
            "id": cid,
            "speaker": claim.speaker,
            "stance": claim.stance,
            "content": claim.content,
        }
        about = [k for k in claim.about if k in names]
        about += [incident_ids[i] for i in (claim_incidents[n] if n < len(claim_incidents) else ())]
        if about:
            fields["about"] = about
        if claim.date:
            fields["date"] = claim.date
        if claim.source in names:
            fields["source"] = claim.source
        fields["status"] = "reported"
        fields["evidence"] = [
            quotes.evidence(claim.evidence, claim.source if claim.source in names else None)
        ]
        fields["note"] = _note(claim.rule)
        claim_items.append(DraftItem(fields))
    relation_items = []
    for rel in relations:
        if rel.source not in names or rel.target not in names:
            continue
        rid = f"rel:{rel.type}:{stable_hash(doc.id, rel.type, rel.source, rel.target)}"
        fields = {"id": rid, "type": rel.type, "source": rel.source, "target": rel.target}
        fields.update(rel.properties)
        if rel.evidence:
            fields["evidence"] = [quotes.evidence(span) for span in rel.evidence[:2]]
        fields["note"] = _note(rel.rule, rel.note)
        relation_items.append(DraftItem(fields))
    return Draft(
        doc, entity_items, tuple(incident_items), tuple(claim_items), tuple(relation_items)
    )

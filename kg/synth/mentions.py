"""Who an article names and how: entity declarations, mentions and relations they evidence."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from kg.ids import make_id
from kg.schema import Schema
from kg.synth.names import adjective
from kg.synth.world import TYPES, World

__all__ = ["ANALYSTS", "Mentions", "declaration", "relation_key"]

ANALYSTS = "@analysts"
"""Slot value standing for a group of analysts that the article makes when it names them."""
_STATE_KINDS = ("government_body", "security_service", "armed_force", "police")
_LOCAL_KINDS = ("media_outlet", "company", "ngo", "think_tank", "party")


def relation_key(name: str, source: str, target: str, symmetric: bool) -> tuple[str, str, str]:
    """The key of a relation in one article: a symmetric relation's ends in sorted order.

    >>> relation_key("tension_with", "b", "a", True), relation_key("opposes", "b", "a", False)
    (('tension_with', 'a', 'b'), ('opposes', 'b', 'a'))
    """
    if symmetric and target < source:
        source, target = target, source
    return (name, source, target)


class Mentions:
    """The entities an article declares, with their evidence, and the relations it records."""

    def __init__(self, world: World, schema: Schema, rng: random.Random, index: int) -> None:
        self.world, self.schema, self.rng, self.index = world, schema, rng, index
        self.date = dt.date(2001, 1, 1) + dt.timedelta(days=rng.randrange(10 * 365))
        first = world.country_draw.draw(rng)
        second = first
        for _ in range(20):
            second = world.country_draw.draw(rng)
            if second != first:
                break
        self.countries = (first, second)
        self.sentences: list[str] = []
        self.evidence: dict[str, list[dict[str, str]]] = {}
        self.made: dict[str, dict[str, Any]] = {}
        self.seen: set[str] = set()
        self.order: list[str] = []
        """Entities of the world in the order the article first names them."""
        self.incidents: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []
        self.relations: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.incident_refs: dict[str, tuple[str, str]] = {}
        """Incidents claims may refer to: id -> (phrase, title)."""
        self.when: tuple[str, str, str | None] = ("", "", None)
        self.incident_prefix = self._prefix("incident")
        self.claim_prefix = self._prefix("claim")
        self.stem = ""

    def _prefix(self, category: str) -> str:
        return next(t.prefix for t in self.schema.types.values() if t.category == category)

    # -- entities and mentions --------------------------------------------------------------
    def declare(self, entity_id: str, quote: str | None = None) -> None:
        quotes = self.evidence.setdefault(entity_id, [])
        if quote is not None and all(q["quote"] != quote for q in quotes):
            quotes.append({"quote": quote})

    def can_relate(self, name: str, source: str, target: str, quoted: bool) -> bool:
        """Whether the schema has relation ``name``, allows these ends, and its properties
        are known (a post or a family tie of the world); evidence when it is required."""
        rel = self.schema.relations.get(name)
        if rel is None or source == target or ANALYSTS in (source, target):
            return False
        if self.type_of(source) not in rel.source or self.type_of(target) not in rel.target:
            return False
        if not quoted and rel.evidence_required:
            return False
        return self.relation_properties(name, source, target) is not None

    def relate(self, name: str, source: str, target: str, quote: str | None) -> bool:
        """Record a relation (its evidence pooled when the article repeats it)."""
        if not self.can_relate(name, source, target, quote is not None):
            return False
        key = relation_key(name, source, target, self.schema.relations[name].symmetric)
        item = self.relations.get(key)
        if item is None:
            item = {"type": name, "source": key[1], "target": key[2]}
            item.update(self.relation_properties(name, source, target) or {})
            self.relations[key] = item
        if quote is not None:
            quotes = item.setdefault("evidence", [])
            if all(q["quote"] != quote for q in quotes):
                quotes.append({"quote": quote})
        self.declare(source)
        self.declare(target)
        return True

    def relation_properties(self, name: str, source: str, target: str) -> dict[str, str] | None:
        """The properties a relation always has (the same in every article), None if unknown."""
        spec = self.schema.relations[name].properties
        props: dict[str, str] = {}
        if name == "located_in":
            props["note"] = "Background geography."
        actor = self.world.actors.get(source)
        if "title" in spec:
            if actor is None or actor.post is None or actor.post[1] != target:
                return None
            props["title"] = actor.post[0]
        if "relation" in spec:
            if actor is None or actor.family is None or actor.family[1] != target:
                return None
            props["relation"] = actor.family[0]
        return props

    def type_of(self, entity_id: str) -> str:
        if entity_id in self.world.actors:
            return self.world.actors[entity_id].type
        return str(self.made[entity_id]["type"])

    def mention(self, entity_id: str) -> str:
        """How the text names an entity: an introduction the first time, then a short form."""
        if entity_id in self.made:
            return str(self.made[entity_id]["name"])
        actor = self.world.actors[entity_id]
        if entity_id in self.seen:
            return actor.short or actor.name
        self.seen.add(entity_id)
        self.order.append(entity_id)
        self.declare(entity_id, actor.name)
        rng, world = self.rng, self.world
        if actor.type == TYPES["person"]:
            roll = rng.random()
            if actor.post is not None and roll < 0.45:
                title, target = actor.post
                holder = world.actors[target]
                if holder.type == TYPES["country"]:
                    lead = title if title[:1].isupper() else f"{adjective(holder.name)} {title}"
                    phrase = f"{lead} {actor.name}"
                else:
                    self.seen.add(target)
                    self.declare(target, holder.name)
                    phrase = f"{holder.name} {title} {actor.name}"
                self.relate("holds_post", entity_id, target, phrase)
                return phrase
            if actor.country is not None and roll < 0.65:
                phrase = f"{adjective(world.actors[actor.country].name)} citizen {actor.name}"
                self.relate("citizen_of", entity_id, actor.country, phrase)
                return phrase
        elif actor.type == TYPES["organisation"]:
            roll = rng.random()
            country = world.actors.get(actor.country or "")
            if actor.aliases and roll < 0.5:
                phrase = f"{actor.name} ({actor.aliases[0]})"
                if country and actor.kind in _STATE_KINDS and adjective(country.name) in actor.name:
                    self.relate("part_of", entity_id, country.id, phrase)
                return phrase
            if actor.parent and actor.kind in _LOCAL_KINDS and roll < 0.8:
                city = world.actors[actor.parent]
                phrase = f"{actor.name} in {city.name}"
                self.relate("based_in", entity_id, city.id, phrase)
                self.seen.add(city.id)
                self.declare(city.id, city.name)
                return phrase
        elif actor.type == TYPES["place"] and actor.parent and actor.kind == "city":
            parent = world.actors[actor.parent]
            if parent.type == TYPES["place"] and rng.random() < 0.35:
                phrase = f"{actor.name}, {parent.name}"
                self.relate("located_in", entity_id, parent.id, phrase)
                self.seen.add(parent.id)
                self.declare(parent.id, parent.name)
                return phrase
        return actor.name

    def group(self, phrase: str, count: int | None) -> str:
        """A group the article describes (analysts, detainees), made for this article only."""
        number = sum(1 for m in self.made.values() if m["type"] == TYPES["group"]) + 1
        label = phrase[:1].upper() + phrase[1:]
        name = f"{label} ({self.stem}, group {number})"
        group_id = make_id(self.schema.types[TYPES["group"]].prefix, self.stem, str(number))
        item: dict[str, Any] = {
            "id": group_id,
            "type": TYPES["group"],
            "name": name,
            "description": f"{label}, as the article describes them.",
        }
        if count is not None and "count" in self.schema.types[TYPES["group"]].properties:
            item["count"] = count
        self.made[group_id] = item
        self.declare(group_id, phrase)
        return group_id

    def source(self, outlet_id: str, date: dt.date) -> tuple[str, str]:
        """A Source entity for a citation ``(Outlet, Month Day)``; returns (id, citation)."""
        outlet = self.world.actors[outlet_id]
        citation = f"({outlet.name}, {date:%B} {date.day})"
        source_id = make_id(
            self.schema.types[TYPES["source"]].prefix, outlet.name, date.isoformat()
        )
        if source_id not in self.made:
            self.made[source_id] = {
                "id": source_id, "type": TYPES["source"],
                "name": f"{outlet.name}, {date:%B} {date.day}, {date.year}",
                "outlet": outlet_id, "date": date.isoformat(), "citation": citation,
            }  # fmt: skip
            self.declare(outlet_id)
        self.declare(source_id)
        return source_id, citation


def declaration(world: World, entity_id: str) -> dict[str, Any]:
    """The first article naming an entity declares it in full; later ones by id, type, name
    (the build merges declarations, so aliases and description come from the first)."""
    actor = world.actors[entity_id]
    item: dict[str, Any] = {"id": actor.id, "type": actor.type, "name": actor.name}
    if entity_id in world.declared:
        return item
    world.declared.add(entity_id)
    if actor.aliases:
        item["aliases"] = list(actor.aliases)
    if actor.kind:
        item["kind"] = actor.kind
    if actor.description:
        item["description"] = actor.description
    item.update(actor.properties)
    return item

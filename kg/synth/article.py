"""One synthetic article: its text, written first, and the annotation that quotes it."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.ids import slugify
from kg.schema import Schema
from kg.synth.mentions import ANALYSTS, Mentions, declaration, relation_key
from kg.synth.names import adjective, forge_word
from kg.synth.templates import (
    CLAIM_CLAUSES,
    CLAIM_SPEAKERS,
    FILLER,
    GENERIC_INCIDENT,
    INCIDENTS,
    RELATIONS,
    STANCE_WEIGHTS,
    TITLES,
)
from kg.synth.world import TYPES, MajorEvent, World

__all__ = ["Article", "write_article"]

_SLOT = re.compile(r"\{(\w+)(?::([\w|]+))?\}")
_REUSE = 0.55
"""Chance that a slot names an entity the article has already named (articles stay on topic)."""
_STATUS_WEIGHTS = {"reported": 40, "confirmed": 4, "disputed": 5, "retracted": 1}
_PUBLICATIONS = ("Regional Security Monitor", "Steppe Affairs Weekly", "Border Studies Digest")


class _Skip(Exception):
    """Internal: a template cannot be filled in this article (an empty pool); try another."""


@dataclass
class Article:
    """The files of one article: ``stem`` names them, ``annotation`` is the YAML's data."""

    stem: str
    front: dict[str, object]
    text: str
    annotation: dict[str, Any]


@dataclass
class _Filled:
    text: str
    quote: str
    ids: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


class _Writer(Mentions):
    """Fills the templates and writes the facts, sentence by sentence."""

    # -- filling templates: resolve (may skip, no side effects), then render ------------------
    def draw(self, spec: str) -> str:
        options = spec.split("|")
        self.rng.shuffle(options)
        for option in options:
            country = self.countries[0]
            if option in ("country", "country2"):
                return self.countries[option == "country2"]
            if option.endswith("2"):
                option, country = option[:-1], self.countries[1]
            if option == "intl":
                if self.world.global_draw is not None:
                    return self.world.global_draw.draw(self.rng)
                continue
            if option == "analysts":
                return ANALYSTS
            if self.rng.random() < _REUSE:
                known = self.world.pool_set(country, option)
                again = [e for e in self.order if e in known]
                if again:
                    return self.rng.choice(again)
            found = self.world.draw(self.rng, country, option)
            if found is not None:
                return found
        raise _Skip(spec)

    def resolve(self, template: str) -> dict[str, str]:
        """The entity (or incident) of each slot of ``template``; _Skip if one has none."""
        ids: dict[str, str] = {}
        for match in _SLOT.finditer(template):
            name, spec = match.group(1), match.group(2)
            if name in ids:
                continue
            if spec is not None:
                for _ in range(4):  # two slots of one sentence name two different entities
                    ids[name] = self.draw(spec)
                    if ids[name] not in [v for k, v in ids.items() if k != name]:
                        break
                else:
                    raise _Skip(name)
            elif name in ("place", "place2"):
                city = self.world.draw(self.rng, self.countries[name == "place2"], "cities")
                if city is None:
                    raise _Skip(name)
                ids[name] = city
            elif name == "inc":
                if not self.incident_refs:
                    raise _Skip(name)
                ids[name] = self.rng.choice(sorted(self.incident_refs))
        return ids

    def render(
        self, template: str, ids: dict[str, str], groups: Mapping[str, tuple[str, str]] = {}
    ) -> _Filled:
        """The sentence with every slot named (first mentions introduce the entity)."""
        out = _Filled("", "", dict(ids))
        rng, world = self.rng, self.world
        adjectives = [adjective(world.actors[c].name) for c in self.countries]
        number = str(rng.randint(2, 40))
        made: list[str] = []

        def slot(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "inc":
                phrase, title = self.incident_refs[ids[name]]
                out.names[name] = title
                return phrase
            if name in ids:
                if ids[name] == ANALYSTS:
                    out.ids[name] = self.group("some analysts", None)
                    ids[name] = out.ids[name]
                    made.append(ids[name])
                out.names[name] = self.name_of(out.ids[name])
                return self.mention(out.ids[name])
            if name in groups:
                phrase = groups[name][1].format(n=number, adj=adjectives[0], adj2=adjectives[1])
                group_id = self.group(phrase, int(number) if "{n}" in groups[name][1] else None)
                out.ids[name], out.names[name] = group_id, phrase
                made.append(group_id)
                return phrase
            values = {"when": self.when[0], "when_lower": self.when[1], "n": number,
                      "adj": adjectives[0], "adj2": adjectives[1], "year": str(self.date.year),
                      "word": forge_word(rng, 2)}  # fmt: skip
            return values[name]

        text = _SLOT.sub(slot, template)
        first = 1 if text.startswith("[") else 0
        text = text[:first] + text[first : first + 1].upper() + text[first + 1 :]
        start, end = text.index("["), text.index("]")
        out.quote = text[start + 1 : end]
        out.text = text.replace("[", "").replace("]", "")
        for group_id in made:  # a group named first in the sentence is quoted capitalised
            for evidence in self.evidence[group_id]:
                if evidence["quote"] not in out.text:
                    evidence["quote"] = evidence["quote"][:1].upper() + evidence["quote"][1:]
        return out

    def name_of(self, entity_id: str) -> str:
        if entity_id in self.made:
            return str(self.made[entity_id]["name"])
        return self.world.actors[entity_id].name

    def pick_when(self) -> None:
        """The date of the next fact: (sentence start, inside a sentence, annotation value)."""
        rng = self.rng
        date = self.date - dt.timedelta(days=rng.randint(1, 60))
        roll = rng.random()
        if roll < 0.7:
            day = f"{date:%B} {date.day}"
            self.when = (f"On {day}", f"on {day}", day)
        elif roll < 0.82:
            self.when = (f"In {date:%B}", f"in {date:%B}", f"{date:%Y-%m}")
        elif roll < 0.92:
            self.when = ("Earlier this year", "earlier this year", str(self.date.year))
        else:
            self.when = ("Recently", "recently", None)

    def attempt(self, make: Callable[[], None], tries: int = 8) -> None:
        """Run ``make`` until a template fits (a _Skip is raised before any side effect)."""
        for _ in range(tries):
            try:
                make()
                return
            except _Skip:
                continue

    # -- facts --------------------------------------------------------------------------------
    def incident(self) -> None:
        kinds = self.schema.vocabulary("incident_kinds").terms
        names = list(kinds)
        weights = [INCIDENTS[k][1] if k in INCIDENTS else 0.3 for k in names]
        kind = self.rng.choices(names, weights)[0]
        template = self.rng.choice(INCIDENTS[kind][0]) if kind in INCIDENTS else GENERIC_INCIDENT
        label = kinds[kind].label
        text = template.text.replace("{label}", label)
        ids = self.resolve(text)
        self.pick_when()
        filled = self.render(text, ids, template.groups)
        roles = self.schema.vocabulary("roles")
        participants = []
        slots = [*template.roles.items(), *((s, g[0]) for s, g in template.groups.items())]
        for slot, role in slots:
            entity = filled.ids.get(slot)
            if entity is not None and role in roles:
                participants.append({"entity": entity, "role": role})
        title = _SLOT.sub(lambda m: filled.names.get(m.group(1), label), template.title)
        title = title[:1].upper() + title[1:]
        item: dict[str, Any] = {
            "id": f"{self.incident_prefix}:{self.stem}-{len(self.incidents) + 1}",
            "kind": kind,
            "title": title,
        }
        if self.when[2] is not None:
            item["date"] = self.when[2]
        place = filled.ids.get("place") or filled.ids.get("place2")
        if place is not None:
            item["place"] = place
        item["participants"] = participants
        item["evidence"] = [{"quote": filled.quote}]
        self.incidents.append(item)
        where = f" in {self.world.actors[place].name}" if place else ""
        self.incident_refs[item["id"]] = (f"the {label}{where}", title)
        self.sentences.append(filled.text)

    def event(self, event: MajorEvent) -> None:
        label = self.schema.vocabulary("incident_kinds").terms[event.kind].label
        actor = self.rng.choice(event.actors)
        city = self.world.actors[event.place]
        ref = f"the {label} in {city.name} on {event.date:%B} {event.date.day}, {event.date.year}"
        quote = f"{self.mention(actor)} was drawn into {ref}"
        self.declare(event.place)
        self.sentences.append(f"{quote[:1].upper()}{quote[1:]}.")
        self.incidents.append(
            {
                "id": event.id,
                "kind": event.kind,
                "title": event.title,
                "date": event.date.isoformat(),
                "place": event.place,
                "participants": [{"entity": actor, "role": "participant"}],
                "evidence": [{"quote": quote}],
            }
        )
        self.incident_refs[event.id] = (ref, event.title)

    def claim(self) -> None:
        rng = self.rng
        stances = self.schema.vocabulary("stances").terms
        names = list(stances)
        stance = rng.choices(names, [STANCE_WEIGHTS.get(s, 1) for s in names])[0]
        generic = "[{sp:officials} " + stances[stance].label + " that {clause}]{cite}."
        clause = rng.choice(CLAIM_CLAUSES)
        template = rng.choice(CLAIM_SPEAKERS.get(stance, (generic,))).replace("{clause}", clause)
        ids = self.resolve(template)
        cite, source, claim_date = "", None, None
        outlet = self.world.draw(rng, self.countries[0], "media_outlet")
        if rng.random() < 0.55 and outlet is not None:
            when = self.date - dt.timedelta(days=rng.randint(0, 20))
            source, citation = self.source(outlet, when)
            cite, claim_date = f" {citation}", f"{when:%B} {when.day}"
        elif rng.random() < 0.6:
            claim_date = f"{self.date:%Y-%m}"
        filled = self.render(template.replace("{cite}", cite), ids)
        speaker = filled.ids["sp"]
        about = [filled.ids[s] for s in ("s1", "s2", "pl", "c2", "inc") if s in filled.ids]
        about = [a for a in dict.fromkeys(about) if a != speaker]
        content = _SLOT.sub(lambda m: filled.names.get(m.group(1), ""), clause)
        item: dict[str, Any] = {
            "id": f"{self.claim_prefix}:{self.stem}-{len(self.claims) + 1}",
            "speaker": speaker,
            "stance": stance,
            "content": content[:1].upper() + content[1:] + ".",
            "about": about,
        }
        if claim_date:
            item["date"] = claim_date
        if source:
            item["source"] = source
        statuses = [s for s in _STATUS_WEIGHTS if s in self.schema.vocabulary("claim_statuses")]
        if statuses:
            item["status"] = rng.choices(statuses, [_STATUS_WEIGHTS[s] for s in statuses])[0]
        evidence: dict[str, str] = {"quote": filled.quote}
        if source:
            evidence["source"] = source
        item["evidence"] = [evidence]
        self.claims.append(item)
        self.sentences.append(filled.text)

    def relation_sentence(self) -> None:
        template = self.rng.choice(RELATIONS)
        ids = self.resolve(template.text)
        source, target = ids[template.source], ids[template.target]
        rel = self.schema.relations.get(template.relation)
        key = relation_key(template.relation, source, target, rel is not None and rel.symmetric)
        if key in self.relations:
            raise _Skip(template.relation)
        if not self.can_relate(template.relation, source, target, True):
            raise _Skip(template.relation)
        filled = self.render(template.text, ids)
        self.relate(template.relation, source, target, filled.quote)
        self.sentences.append(filled.text)

    def family_sentence(self) -> None:
        people = [p for p in sorted(self.seen) if self.world.actors[p].family is not None]
        if not people:
            raise _Skip("family")
        person = self.world.actors[self.rng.choice(people)]
        assert person.family is not None
        relation, relative = person.family
        if not self.can_relate("family_of", person.id, relative, True):
            raise _Skip("family")
        quote = f"{person.short}, the {relation} of {self.mention(relative)}"
        self.relate("family_of", person.id, relative, quote)
        self.sentences.append(f"{quote}, has kept a low profile.")

    def filler(self) -> None:
        template = "[" + self.rng.choice(FILLER) + "]"
        self.sentences.append(self.render(template, self.resolve(template)).text)


def _title(writer: _Writer) -> str:
    world, rng = writer.world, writer.rng
    first, second = (world.actors[c] for c in writer.countries)
    city = world.draw(rng, first.id, "cities")
    values = {
        "Adj": adjective(first.name),
        "Adj2": adjective(second.name),
        "country": first.name,
        "country2": second.name,
        "city": world.actors[city].name if city else first.name,
    }
    return rng.choice(TITLES).format(**values)


def write_article(world: World, schema: Schema, rng: random.Random, index: int) -> Article:
    """Article number ``index``: about 13 incidents, 11 claims and 35 relations, as the example."""
    writer = _Writer(world, schema, rng, index)
    title = _title(writer)
    writer.stem = f"synth-{index:05d}-{slugify(title)[:48].rstrip('-')}"
    plan = ["incident"] * rng.randint(8, 18) + ["claim"] * rng.randint(6, 16)
    plan += ["relation"] * rng.randint(3, 7) + ["filler"] * rng.randint(4, 8)
    rng.shuffle(plan)
    writer.event(world.event_draw.draw(rng))
    makers = {"incident": writer.incident, "claim": writer.claim,
              "relation": writer.relation_sentence, "filler": writer.filler}  # fmt: skip
    for step in plan:
        writer.attempt(makers[step])
    target = rng.randint(15, 35)
    for _ in range(40):
        if len(writer.relations) >= target:
            break
        writer.attempt(writer.family_sentence if rng.random() < 0.15 else writer.relation_sentence)
    for entity_id in sorted(writer.seen):
        actor = world.actors[entity_id]
        if actor.type == TYPES["place"] and actor.parent is not None:
            writer.relate("located_in", entity_id, actor.parent, None)
    return _assemble(writer, title)


def _assemble(writer: _Writer, title: str) -> Article:
    rng, date = writer.rng, writer.date
    paragraphs: list[str] = []
    sentences = list(writer.sentences)
    while sentences:
        size = rng.randint(3, 6)
        paragraphs.append(" ".join(sentences[:size]))
        del sentences[:size]
    text = "\n\n".join(paragraphs) + "\n"
    front: dict[str, object] = {
        "title": title, "publication": _PUBLICATIONS[writer.index % len(_PUBLICATIONS)],
        "publisher": "kg synthetic corpus", "volume": date.year - 2000,
        "issue": writer.index % 250 + 1, "year": date.year, "date": date.isoformat(),
        "url": f"https://synthetic.example.org/articles/{writer.stem}", "language": "en",
    }  # fmt: skip
    entities = []
    for entity_id, quotes in writer.evidence.items():
        item = dict(writer.made[entity_id]) if entity_id in writer.made else declaration(
            writer.world, entity_id)  # fmt: skip
        if quotes:
            item["evidence"] = quotes
        entities.append(item)
    relations = list(writer.relations.values())
    annotation = {"document": writer.stem, "entities": entities, "incidents": writer.incidents,
                  "claims": writer.claims, "relations": relations}  # fmt: skip
    _check_quotes(text, annotation)
    return Article(writer.stem, front, text, annotation)


def _check_quotes(text: str, annotation: Mapping[str, Any]) -> None:
    """Every quote must be a verbatim part of the text (a generator bug otherwise)."""
    for section in ("entities", "incidents", "claims", "relations"):
        for item in annotation[section]:
            for evidence in item.get("evidence", []):
                if evidence["quote"] not in text:
                    raise AssertionError(f"quote not in the text: {evidence['quote']!r}")

"""The synthetic world: countries, places, organisations and people, drawn from a seed."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.errors import SchemaError
from kg.ids import make_id
from kg.schema import Schema
from kg.synth.names import NameRegistry, Zipf, adjective, forge_word, make_acronym

__all__ = ["TYPES", "Actor", "MajorEvent", "World", "build_world"]

TYPES = {
    "person": "Person",
    "organisation": "Organisation",
    "country": "Country",
    "place": "Place",
    "group": "Group",
    "source": "Source",
}
"""The schema types the generator writes (the default schema's); checked against the schema."""

_ZIPF = 1.05
"""Exponent of the draws: a few actors appear in thousands of articles, most in a handful."""

# Organisation names by kind: {adj} country adjective, {country}, {word} a made-up word,
# {city} a city of the country. Kinds missing from the schema's vocabulary are skipped.
_ORG_NAMES: dict[str, tuple[str, ...]] = {
    "security_service": ("{adj} State Security Committee", "{adj} National Intelligence Service",
                         "{adj} Border Guard Service"),
    "police": ("{city} police", "{city} immigration police", "{adj} National Police"),
    "government_body": ("{adj} Ministry of Interior", "{adj} Ministry of Defence",
                        "{adj} Ministry of Foreign Affairs", "{adj} Prosecutor General's Office",
                        "{adj} Customs Committee", "{adj} Ministry of Justice"),
    "armed_force": ("{adj} Armed Forces", "{adj} Border Troops", "{adj} National Guard"),
    "militant_group": ("{word} Liberation Front", "Movement for a Free {word}",
                       "{word} Brigades", "Army of {word}"),
    "media_outlet": ("{word} TV", "{word} Daily", "{word} News Agency", "Radio {word}",
                     "{word} Herald", "{word}"),
    "bank": ("{adj} National Bank", "{word} Bank"),
    "court": ("{adj} Supreme Court", "{city} Regional Court", "{city} Military Court"),
    "party": ("{adj} People's Party", "{word} Democratic Party", "Party of {word} Unity"),
    "company": ("{word}Oil", "{word} Gas", "{word} Telecom", "{word} Mining"),
    "ngo": ("{word} Human Rights Centre", "{word} Refugee Aid"),
    "think_tank": ("{word} Institute for Strategic Studies", "{word} Policy Centre"),
    "religious_group": ("{adj} Spiritual Administration",),
}  # fmt: skip
_GLOBAL_ORG_NAMES = (
    ("international_organisation", "{word} Security Treaty Organization"),
    ("international_organisation", "{word} Cooperation Council"),
    ("international_organisation", "Union of {word} States"),
    ("bank", "{word} Bank for Reconstruction and Development"),
    ("ngo", "{word} Watch"),
)
_ORG_SHARE = {"government_body": 5, "media_outlet": 5, "security_service": 2, "police": 3,
              "armed_force": 2, "militant_group": 2, "court": 2, "party": 3, "company": 2,
              "bank": 1, "ngo": 1, "think_tank": 1, "religious_group": 1}  # fmt: skip
_TITLES = {
    "government": ("prime minister", "deputy prime minister"),
    "government_body": ("minister", "deputy minister", "spokesman"),
    "security_service": ("chairman", "deputy chairman", "spokesman"),
    "police": ("chief", "spokeswoman"),
    "armed_force": ("commander", "chief of staff"),
    "militant_group": ("leader", "field commander"),
    "media_outlet": ("editor-in-chief", "correspondent"),
    "international_organisation": ("secretary-general", "special envoy"),
    "bank": ("president", "chief economist"),
    "court": ("presiding judge",),
    "party": ("chairman", "deputy"),
    "company": ("chief executive",),
    "ngo": ("director",),
    "think_tank": ("director", "senior analyst"),
    "religious_group": ("mufti",),
}
_COUNTRY_TITLES = ("President", "foreign minister", "ambassador to the United Nations")
_FAMILY = ("daughter", "son", "brother", "wife", "nephew")
_EVENT_KINDS = ("bombing", "attack", "military_exercise", "aid_cut", "trial", "clash",
                "assassination", "protest")  # fmt: skip


@dataclass
class Actor:
    """One entity of the world, declared the same way in every article that mentions it."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    description: str | None = None
    properties: dict[str, object] = field(default_factory=dict)
    country: str | None = None
    """The home country's id (persons: citizenship; organisations and places: location)."""
    short: str = ""
    """How later mentions name it: an acronym, a surname."""
    parent: str | None = None
    """Places: the place or country it is located in. Organisations: the city it is based in."""
    post: tuple[str, str] | None = None
    """Persons: (title, id of the organisation or country)."""
    family: tuple[str, str] | None = None
    """Persons: (relation, id of the relative)."""


@dataclass(frozen=True)
class MajorEvent:
    """An incident many articles refer to (same id, title, date and place everywhere)."""

    id: str
    kind: str
    title: str
    date: dt.date
    place: str
    actors: tuple[str, ...]


@dataclass
class World:
    """Everything the articles draw on, with Zipf-weighted pools."""

    actors: dict[str, Actor]
    countries: list[str]
    by_country: dict[str, dict[str, list[str]]]
    """country id -> pool name (persons, orgs, places, cities, outlets, ...) -> ids by rank."""
    global_orgs: list[str]
    events: list[MajorEvent]
    country_draw: Zipf[str]
    event_draw: Zipf[MajorEvent]
    global_draw: Zipf[str] | None
    draws: dict[tuple[str, str], Zipf[str]] = field(default_factory=dict)
    sets: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)
    """Entities some article has declared in full already (articles are written in order)."""

    def pool_set(self, country: str, pool: str) -> frozenset[str]:
        """The ids of a country's pool, as a set (for membership tests)."""
        key = (country, pool)
        if key not in self.sets:
            self.sets[key] = frozenset(self.by_country[country].get(pool, []))
        return self.sets[key]

    def draw(self, rng: random.Random, country: str, pool: str) -> str | None:
        """An id from a country's pool, Zipf-weighted by rank; None if the pool is empty."""
        key = (country, pool)
        if key not in self.draws:
            items = self.by_country[country].get(pool, [])
            if not items:
                return None
            self.draws[key] = Zipf(items, _ZIPF)
        return self.draws[key].draw(rng)

    def __getitem__(self, actor_id: str) -> Actor:
        return self.actors[actor_id]


def check_schema(schema: Schema) -> None:
    """The generator writes the default schema's types; refuse a schema without them."""
    missing = [name for name in TYPES.values() if name not in schema.types]
    if missing:
        raise SchemaError(f"kg synth needs the schema types {', '.join(missing)}")


class _Builder:
    def __init__(self, rng: random.Random, schema: Schema, articles: int) -> None:
        self.rng, self.schema = rng, schema
        self.names = NameRegistry()
        self.actors: dict[str, Actor] = {}
        self.by_country: dict[str, dict[str, list[str]]] = {}
        self.org_kinds = set(schema.vocabulary("organisation_kinds").terms)
        self.place_kinds = set(schema.vocabulary("place_kinds").terms)
        self.scale = max(1.0, articles / 40)

    def add(self, actor: Actor, country: str | None, *pools: str) -> Actor:
        if actor.id in self.actors:  # ids derive from unique names; a clash gets a number
            actor.id = f"{actor.id}-{sum(1 for k in self.actors if k.startswith(actor.id))}"
        self.actors[actor.id] = actor
        if country is not None:
            for pool in pools:
                self.by_country[country].setdefault(pool, []).append(actor.id)
        return actor

    def prefix(self, key: str) -> str:
        return self.schema.types[TYPES[key]].prefix

    # -- countries and places --------------------------------------------------------------
    def country(self, rank: int) -> Actor:
        ending = self.rng.choice(("ia", "stan", "land", "ova", "ar", "ia", "istan"))
        name = self.names.unique_word(self.rng, 1, 2, ending)
        code = "".join(self.rng.choice("ABCDEFGHIJKLMNOPRSTUVWZ") for _ in range(2))
        actor = Actor(
            make_id(self.prefix("country"), name), TYPES["country"], name,
            aliases=tuple(a for a in [self.names.take_if_free(f"Republic of {name}")] if a),
            description=f"A sovereign state (synthetic), ranked {rank} by prominence.",
            properties={"code": code}, short=name,
        )  # fmt: skip
        self.by_country[actor.id] = {}
        return self.add(actor, None)

    def place(self, country: Actor, kind: str, name: str, parent: str, pool: str) -> Actor:
        name = self.names.take(name)
        description = f"A {kind.replace('_', ' ')} in {country.name}."
        actor = Actor(
            make_id(self.prefix("place"), name), TYPES["place"], name,
            kind=kind if kind in self.place_kinds else None, description=description,
            country=country.id, short=name, parent=parent,
        )  # fmt: skip
        return self.add(actor, country.id, pool, "places")

    def places(self, country: Actor) -> None:
        rng, adj = self.rng, adjective(country.name)
        regions = [
            self.place(country, "region", f"{forge_word(rng, 2)} {label}", country.id, "regions")
            for label in ("Region", "Province", "Oblast")[: rng.randint(2, 3)]
        ]
        regions.append(
            self.place(country, "region", f"North {country.name}", country.id, "regions")
        )
        cities = max(4, int(6 * self.scale**0.35))
        for _ in range(cities):
            region = rng.choice(regions)
            word = self.names.fresh_word(rng, 2, 3)
            self.place(country, "city", word, region.id, "cities")
        for _ in range(max(1, cities // 3)):
            self.place(country, "village", self.names.fresh_word(rng, 2, 3), rng.choice(regions).id,
                       "villages")  # fmt: skip
        base = f"{forge_word(rng, 2)} Air Base"
        self.place(country, "military_base", base, rng.choice(regions).id, "bases")
        self.place(country, "border_area", f"{adj} border region", country.id, "borders")

    # -- organisations ---------------------------------------------------------------------
    def organisation(self, kind: str, template: str, country: Actor | None) -> Actor:
        rng = self.rng
        city = self.actors[rng.choice(self.by_country[country.id]["cities"])] if country else None
        word = forge_word(rng, rng.randint(2, 3))
        name = self.names.take(template.format(
            adj=adjective(country.name) if country else "", country=country.name if country else "",
            word=word, city=city.name if city else "",
        ))  # fmt: skip
        acronym = make_acronym(name)
        alias = self.names.take_if_free(acronym) if len(acronym) >= 3 else None
        where = f" of {country.name}" if country else ""
        actor = Actor(
            make_id(self.prefix("organisation"), name), TYPES["organisation"], name,
            aliases=(alias,) if alias else (), kind=kind if kind in self.org_kinds else None,
            description=f"A {kind.replace('_', ' ')}{where} (synthetic).",
            country=country.id if country else None, short=alias or name,
            parent=city.id if city else None,
        )  # fmt: skip
        return actor

    def organisations(self, country: Actor) -> None:
        government = self.names.take(f"Government of {country.name}")
        alias = self.names.take_if_free(f"{adjective(country.name)} government")
        actor = Actor(
            make_id(self.prefix("organisation"), government), TYPES["organisation"], government,
            aliases=(alias,) if alias else (), kind="government" if "government" in self.org_kinds
            else None, description=f"The national government of {country.name}.",
            country=country.id, short=alias or government,
        )  # fmt: skip
        self.add(actor, country.id, "orgs", "government")
        per_kind = max(1, round(self.scale**0.2))
        for kind, templates in _ORG_NAMES.items():
            if kind not in self.org_kinds:
                continue
            for _ in range(_ORG_SHARE.get(kind, 1) * per_kind):
                org = self.organisation(kind, self.rng.choice(templates), country)
                self.add(org, country.id, "orgs", kind)

    # -- people ----------------------------------------------------------------------------
    def person(self, country: Actor) -> Actor:
        rng = self.rng
        while True:
            first, last = forge_word(rng, rng.randint(1, 2)), forge_word(rng, rng.randint(2, 3))
            last += rng.choice(("ov", "ev", "enko", "ani", "ski", "", "", "ich", "uly"))
            if self.names.free(f"{first} {last}"):
                break
        name = self.names.take(f"{first} {last}")
        variants = [last, f"{first} {last.replace('ov', 'off').replace('kh', 'h')}"]
        aliases = tuple(
            a for a in dict.fromkeys(variants) if a != name and self.names.take_if_free(a)
        )
        actor = Actor(
            make_id(self.prefix("person"), name), TYPES["person"], name, aliases=aliases,
            description=f"A {adjective(country.name)} national (synthetic).",
            country=country.id, short=last,
        )  # fmt: skip
        return self.add(actor, country.id, "persons")

    def posts(self, country: Actor) -> None:
        rng, pool = self.rng, self.by_country[country.id]
        people = [p for p in pool.get("persons", []) if self.actors[p].post is None]
        rng.shuffle(people)
        holders = iter(people[: int(len(people) * 0.7)])
        targets: list[tuple[str, str]] = [(t, country.id) for t in _COUNTRY_TITLES]
        for org_id in pool.get("orgs", []):
            kind = self.actors[org_id].kind or ""
            targets.extend((t, org_id) for t in _TITLES.get(kind, ("spokesman",)))
        for (title, target), person_id in zip(targets, holders, strict=False):
            person = self.actors[person_id]
            person.post = (title, target)
            person.description = f"{title[:1].upper()}{title[1:]} of {self.actors[target].name}."
        pool["officials"] = [p for p in pool.get("persons", []) if self.actors[p].post]
        for person_id in people:
            if rng.random() < 0.08:
                relative = rng.choice(people)
                if relative != person_id:
                    self.actors[person_id].family = (rng.choice(_FAMILY), relative)

    def groups(self, country: Actor) -> None:
        """Collective actors many articles share: a country's security forces, its media."""
        adj = adjective(country.name)
        for label, alias in (("security forces", "security services"), ("national media", None)):
            name = self.names.take(f"{adj} {label}")
            aliases = tuple(a for a in [alias and self.names.take_if_free(f"{adj} {alias}")] if a)
            actor = Actor(
                make_id(self.prefix("group"), name), TYPES["group"], name, aliases=aliases,
                description=f"{country.name}'s {label}, taken together.", country=country.id,
                short=name,
            )  # fmt: skip
            self.add(actor, country.id, "shared_groups")


def _events(builder: _Builder, countries: Sequence[Actor], count: int) -> list[MajorEvent]:
    rng, kinds = builder.rng, builder.schema.vocabulary("incident_kinds").terms
    events: list[MajorEvent] = []
    seen: set[str] = set()
    while len(events) < count:
        kind = rng.choice([k for k in _EVENT_KINDS if k in kinds] or list(kinds))
        country = countries[min(int(rng.paretovariate(1.2)) - 1, len(countries) - 1)]
        city = builder.actors[rng.choice(builder.by_country[country.id]["cities"])]
        date = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(11 * 365))
        label = kinds[kind].label
        title = f"{city.name} {label} of {date:%B} {date.day}, {date.year}"
        event_id = make_id("inc", date.isoformat(), kind, city.name)
        if event_id in seen:
            continue
        seen.add(event_id)
        pool = builder.by_country[country.id]
        actors = tuple(dict.fromkeys(rng.choice(pool["orgs"]) for _ in range(3)))
        events.append(MajorEvent(event_id, kind, title, date, city.id, (country.id, *actors)))
    return events


def build_world(rng: random.Random, schema: Schema, articles: int) -> World:
    """A world sized for ``articles`` articles: pools grow with the corpus."""
    check_schema(schema)
    builder = _Builder(rng, schema, articles)
    countries = [builder.country(rank) for rank in range(1, min(60, 8 + articles // 40) + 1)]
    for country in countries:
        builder.places(country)
        builder.organisations(country)
        builder.groups(country)
    global_orgs = []
    for kind, template in _GLOBAL_ORG_NAMES * max(1, int(builder.scale**0.3)):
        if kind in builder.org_kinds:
            org = builder.organisation(kind, template, None)
            global_orgs.append(builder.add(org, None).id)
    per_country = max(12, int(1.6 * articles / len(countries)))
    for country in countries:
        for _ in range(per_country):
            builder.person(country)
    for index, org_id in enumerate(global_orgs):
        country = countries[index % len(countries)]
        holder = builder.actors[builder.by_country[country.id]["persons"][0]]
        holder.post = (_TITLES["international_organisation"][0], org_id)
        holder.description = f"Secretary-general of the {builder.actors[org_id].name}."
    for country in countries:
        builder.posts(country)
    events = _events(builder, countries, max(8, articles // 25))
    return World(
        actors=builder.actors,
        countries=[c.id for c in countries],
        by_country=builder.by_country,
        global_orgs=global_orgs,
        events=events,
        country_draw=Zipf([c.id for c in countries], 0.9),
        event_draw=Zipf(events, _ZIPF),
        global_draw=Zipf(global_orgs, _ZIPF) if global_orgs else None,
    )

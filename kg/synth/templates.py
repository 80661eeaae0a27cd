"""Sentence templates of synthetic articles: incidents, claims, relations and filler.

Slots: ``{name:pool|pool}`` is an entity drawn from a pool (a pool ending in ``2`` draws from
the article's second country), ``{place}``/``{place2}`` a city, ``{when}``/``{when_lower}`` the
date as the text gives it, ``{n}`` a number, ``{adj}``/``{adj2}`` the countries' adjectives,
``{word}`` a made-up word, ``{year}`` the article's year, ``{inc}`` an incident of the article,
``{cite}`` a source citation. ``[`` and ``]`` mark the quote that evidences the fact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CLAIM_CLAUSES",
    "CLAIM_SPEAKERS",
    "FILLER",
    "INCIDENTS",
    "RELATIONS",
    "STANCE_WEIGHTS",
    "TITLES",
    "IncidentTemplate",
    "RelationTemplate",
]


@dataclass(frozen=True)
class IncidentTemplate:
    """A sentence reporting one incident; ``roles`` maps actor slots to participant roles,
    ``groups`` maps group slots to (role, phrase): a group made for this article."""

    text: str
    title: str
    roles: dict[str, str] = field(default_factory=dict)
    groups: dict[str, tuple[str, str]] = field(default_factory=dict)


_I = IncidentTemplate
INCIDENTS: dict[str, tuple[tuple[IncidentTemplate, ...], int]] = {
    # kind: (templates, weight in the mix of incidents)
    "bombing": ((
        _I("{when}, [a bomb exploded near a market in {place}, killing {g}].",
           "Bombing in {place}", groups={"g": ("victim", "{n} civilians")}),
        _I("[{perp:militant_group} claimed responsibility for the bombing in {place}] "
           "{when_lower}.",
           "Bombing in {place}", roles={"perp": "perpetrator"}),
    ), 3),
    "attack": ((
        _I("{when}, [{perp:militant_group} attacked {target:armed_force|police} in {place}].",
           "Attack on {target} in {place}", roles={"perp": "perpetrator", "target": "target"}),
    ), 3),
    "killing": ((
        _I("{when}, [{victim:persons} was shot dead in {place}].", "Killing of {victim}",
           roles={"victim": "victim"}),
    ), 2),
    "assassination": ((
        _I("[{victim:officials} was assassinated in {place}] {when_lower}.",
           "Assassination of {victim}", roles={"victim": "victim"}),
    ), 1),
    "detention": ((
        _I("{when}, [{init:police} in {place} detained {g}].", "Detention of {g} in {place}",
           roles={"init": "initiator"}, groups={"g": ("detainee", "{n} {adj2} day laborers")}),
    ), 3),
    "arrest": ((
        _I("{when}, [{init:security_service|police} arrested {suspect:persons}] in {place}.",
           "Arrest of {suspect}", roles={"init": "initiator", "suspect": "suspect"}),
    ), 3),
    "deportation": ((
        _I("[{init:police} deported {g}] {when_lower}.", "Deportation of {g}",
           roles={"init": "initiator"}, groups={"g": ("detainee", "{n} {adj2} nationals")}),
    ), 1),
    "trial": ((
        _I("[The trial of {def:persons} opened at the {court:court}] {when_lower}.",
           "Trial of {def}", roles={"def": "defendant", "court": "organiser"}),
    ), 2),
    "sentencing": ((
        _I("{when}, [the {court:court} sentenced {def:persons} to {n} years in prison].",
           "Sentencing of {def}", roles={"def": "defendant", "court": "initiator"}),
    ), 1),
    "investigation": ((
        _I("[{inv:security_service|police} opened an investigation into {suspect:persons}] "
           "{when_lower}.", "Investigation into {suspect}",
           roles={"inv": "investigator", "suspect": "suspect"}),
    ), 3),
    "report": ((
        _I("{when}, [{rep:media_outlet} reported on the unrest in {place}].",
           "{rep} report on unrest in {place}", roles={"rep": "reporter"}),
    ), 2),
    "statement": ((
        _I("{when}, [{sp:officials} issued a statement on the situation in {place}].",
           "Statement by {sp}", roles={"sp": "participant"}),
    ), 1),
    "meeting": ((
        _I("{when}, [{a:officials} met {b:officials2} in {place}] to discuss border security.",
           "Meeting of {a} and {b}", roles={"a": "participant", "b": "participant"}),
    ), 3),
    "agreement": ((
        _I("[{a:country} and {b:country2} signed an agreement on border security in {place}] "
           "{when_lower}.", "Border security agreement of {a} and {b}",
           roles={"a": "participant", "b": "participant"}),
    ), 1),
    "cooperation": ((
        _I("[{a:security_service} and {b:security_service2} agreed to exchange intelligence] "
           "{when_lower}.", "Intelligence exchange of {a} and {b}",
           roles={"a": "participant", "b": "participant"}),
    ), 1),
    "intent_to_cooperate": ((
        _I("[{a:country} and {b:country2} declared their readiness to carry out joint "
           "investigations] {when_lower}.",
           "{a} and {b} declare readiness for joint investigations",
           roles={"a": "participant", "b": "participant"}),
    ), 1),
    "aid_cut": ((
        _I("[{a:intl|country2} slashed economic aid to {b:country}] {when_lower}.",
           "{a} cuts aid to {b}", roles={"a": "initiator", "b": "target"}),
    ), 1),
    "sanctions": ((
        _I("{when}, [{a:country2} imposed sanctions on {b:government_body}].",
           "{a} sanctions {b}", roles={"a": "initiator", "b": "target"}),
    ), 1),
    "border_restriction": ((
        _I("{when}, [{a:country} closed its border with {b:country2}].",
           "{a} closes border with {b}", roles={"a": "initiator", "b": "target"}),
    ), 1),
    "protest": ((
        _I("{when}, [{g} protested outside the {t:government_body} in {place}].",
           "Protest against {t}", roles={"t": "target"},
           groups={"g": ("participant", "hundreds of {adj} traders")}),
    ), 1),
    "military_exercise": ((
        _I("[{org:armed_force|intl} conducted the {word} {year} exercises in {place}] "
           "{when_lower}.",
           "{word} {year} exercises", roles={"org": "organiser"}),
    ), 1),
    "deployment": ((
        _I("{when}, [{a:armed_force} deployed troops to {place}].", "{a} deploys troops to {place}",
           roles={"a": "participant"}),
    ), 1),
    "abduction": ((
        _I("{when}, [{p:militant_group} abducted {v:persons} near {place}].", "Abduction of {v}",
           roles={"p": "perpetrator", "v": "victim"}),
    ), 1),
    "clash": ((
        _I("{when}, [{a:armed_force} clashed with {b:militant_group} near {place}].",
           "Clash between {a} and {b}", roles={"a": "participant", "b": "participant"}),
    ), 2),
    "military_campaign": ((
        _I("[The military campaign of {a:country} against {b:militant_group2}] continued "
           "{when_lower}.", "{a} campaign against {b}", roles={"a": "perpetrator", "b": "target"}),
    ), 1),
    "accusation": ((
        _I("{when}, [{a:officials} accused {b:country2} of harbouring militants].",
           "{a} accuses {b}", roles={"a": "initiator", "b": "target"}),
    ), 1),
    "denial": ((
        _I("{when}, [{a:government_body} denied any involvement in the unrest in {place}].",
           "{a} denies involvement", roles={"a": "participant"}),
    ), 1),
}  # fmt: skip
"""Incident kinds of the default vocabulary; a kind the schema lacks is skipped."""

GENERIC_INCIDENT = _I(
    "{when}, [{a:officials} took part in a {label} in {place}].", "{label} in {place}",
    roles={"a": "participant"},
)  # fmt: skip
"""For an incident kind of the schema that has no template of its own."""

STANCE_WEIGHTS = {"asserts": 2, "alleges": 2, "reports": 2, "speculates": 2, "denies": 2,
                  "declines_to_comment": 1}  # fmt: skip

CLAIM_SPEAKERS: dict[str, tuple[str, ...]] = {
    "asserts": ("[{sp:officials|government_body|country} said that {clause}]{cite}.",
                "According to {sp:officials|security_service}, [{clause}]{cite}."),
    "alleges": ("[{sp:officials|security_service|media_outlet} alleged that {clause}]{cite}.",),
    "reports": ("[{sp:media_outlet} reported that {clause}]{cite}.",),
    "speculates": ("[{sp:analysts} speculate that {clause}]{cite}.",
                   "[{sp:think_tank} suggested that {clause}]{cite}."),
    "denies": ("[{sp:officials|security_service|government} denied that {clause}]{cite}.",
               "[{sp:security_service|government_body} flatly rejected allegations that "
               "{clause}]{cite}."),
    "declines_to_comment": ("[{sp:security_service|government_body|shared_groups} did not comment "
                            "on {inc}]{cite}.",),
}  # fmt: skip
"""Speaker templates by stance; ``{clause}`` is filled from CLAIM_CLAUSES."""

CLAIM_CLAUSES = (
    "{s1:persons} had a hand in {inc}",
    "{s1:militant_group} was behind {inc}",
    "there were no militant training camps in {pl:regions}",
    "{s1:militant_group} had used {pl:borders} as a springboard into {c2:country2}",
    "{s1:security_service} was cooperating fully with the investigation into {inc}",
    "{s1:militant_group2} had received funding from {s2:officials2}",
    "relations with {c2:country2} would improve before the end of the year",
    "{s1:militant_group} was preparing new attacks in {pl:cities}",
    "{s1:persons} had been detained illegally",
    "{s1:officials} might be working for {s2:country2}",
)
"""What claims say; every entity slot and ``{inc}`` becomes an ``about`` of the claim."""

TITLES = (
    "{Adj}-{Adj2} Security Cooperation At An Impasse After {city} Blasts",
    "{country} Tightens Border Controls As Tensions With {country2} Grow",
    "Questions Linger Over {city} Attack",
    "{country} And {country2} Trade Accusations Over Militant Camps",
    "Detentions In {city} Strain {Adj}-{Adj2} Relations",
)


@dataclass(frozen=True)
class RelationTemplate:
    """A sentence evidencing one relation between the entities of two slots."""

    relation: str
    text: str
    source: str
    target: str


_R = RelationTemplate
RELATIONS = (
    _R("tension_with", "[The ever-worsening relations between {a:country} and {b:country2}] "
       "are anything but brotherly.", "a", "b"),
    _R("tension_with", "Diplomats point to [the current standoff between {a:security_service} "
       "and {b:security_service2}].", "a", "b"),
    _R("opposes", "[{a:militant_group} has long opposed {b:government}].", "a", "b"),
    _R("opposes", "[{a:party} openly opposes {b:officials}].", "a", "b"),
    _R("sponsors", "[{a:country2} is widely believed to sponsor {b:militant_group}].", "a", "b"),
    _R("member_of", "[{a:country} is a member of the {b:intl}].", "a", "b"),
    _R("member_of", "[{a:persons} joined {b:party}] several years ago.", "a", "b"),
    _R("patron_of", "[{b:media_outlet} is patronized by {a:officials}].", "a", "b"),
    _R("distanced_from", "[{a:country2} distanced itself from the {b:intl}].", "a", "b"),
    _R("based_in", "[{a:media_outlet} is based in {b:cities}].", "a", "b"),
    _R("part_of", "[{a:armed_force} is part of {b:country}]'s security apparatus.", "a", "b"),
    _R("citizen_of", "[{a:persons} is a citizen of {b:country}].", "a", "b"),
)  # fmt: skip
"""Relation sentences; a relation the schema lacks or whose ends it forbids is skipped."""

FILLER = (
    "Observers note that the security situation in {place} remains tense.",
    "The {adj} side has not commented publicly on the matter.",
    "Analysts expect further incidents before the end of the year.",
    "Any accusation or restrictive measures provoke retaliatory acts.",
    "These efforts have not diffused tensions between the two neighbours.",
    "Residents of {place} say that they cross the frontier to get to jobs or visit relatives.",
    "Given the current standoff, the diplomatic stalemate is unlikely to be overcome soon.",
    "Officials in {place2} declined to discuss the issue with journalists.",
)

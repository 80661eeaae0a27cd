"""Relations and participants of the third round of rules, on invented sentences."""

from __future__ import annotations

import pytest

from kg.extract import lexicon as lx
from kg.extract.pipeline import Extractor
from kg.schema import load_schema
from tests.test_extract_relations2 import ROOT, draft_of, extractor, relations

__all__ = ["extractor"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Estonia's Rescue Board and the State Agency for Roads were told to help.",
            ("part_of", "State Agency for Roads", "Estonia"),
        ),
        (
            "Police killed Tomas Varel, the Crimson Dawn leader, on Monday.",
            ("holds_post", "Tomas Varel", "Crimson Dawn"),
        ),
        (
            "The Green Sun party accuses its rivals of stirring the unrest, but its chairman,"
            " Karl Ost, has stayed silent.",
            ("holds_post", "Karl Ost", "Green Sun"),
        ),
        (
            "The Green Sun party rejects every charge in the case that prosecutors set out at"
            " length in papers filed with the court last week. Its chairman, Karl Ost, who fled"
            " abroad in 2015, called it revenge.",
            ("holds_post", "Karl Ost", "Green Sun"),
        ),
        (
            "Latvia took Estonia's side: its defence minister, Karl Ost, said Lithuania would pay.",
            ("holds_post", "Karl Ost", "Latvia"),
        ),
        (
            'Jaan Kuusk, alias "Wolf", the leader of the Green Sun party, escaped.',
            ("holds_post", "Jaan Kuusk", "Green Sun"),
        ),
        (
            "Anna Kask, an analyst at the Harbour Policy Institute, a research group in Tartu,"
            " said the vote was rigged.",
            ("based_in", "Harbour Policy Institute", "Tartu"),
        ),
        (
            "Estonia launched a military offensive against the Crimson Dawn movement.",
            ("opposes", "Estonia", "Crimson Dawn"),
        ),
        (
            "The Latvian government closed the border. Peter Kalnins accused the national"
            " government of cutting patrols.",
            ("tension_with", "Peter Kalnins", "Government of Latvia"),
        ),
        (
            "Opposition deputies from the Green Sun Party and the Baltic Unity party walked out.",
            ("member_of", "Opposition deputies from the Green Sun Party", "Baltic Unity"),
        ),
        (
            "Latvia's Interior Ministry said two men were held. Interior Minister Karl Ost told"
            " reporters that Estonia had been warned.",
            ("holds_post", "Karl Ost", "Interior Ministry of Latvia"),
        ),
        (
            "Moscow reacted at once. President Ivan Sokolov ordered a ban on imports from"
            " Latvia. President Anna Berzina called Russia an occupier.",
            ("holds_post", "Anna Berzina", "Latvia"),
        ),
        (
            "The Popular Unity Party has been banned. The court jailed Arvo Linn and Pavel Dusk,"
            " the party's deputy chairmen, for life.",
            ("holds_post", "Arvo Linn", "Popular Unity Party"),
        ),
        (
            "Two reporters for the Baltic Wire news agency, Jon Kask and Mart Pihl, were held.",
            ("holds_post", "Mart Pihl", "Baltic Wire"),
        ),
        (
            "The Harbour Review Commission, a regional body chaired by the Swedish lawyer Karl"
            " Ost, reported that guards shot first.",
            ("holds_post", "Karl Ost", "Harbour Review Commission"),
        ),
        (
            "The Popular Unity Party, led by General Anna Kask since 2019, won.",
            ("holds_post", "Anna Kask", "Popular Unity Party"),
        ),
    ],
)
def test_relations_found(extractor: Extractor, text: str, expected: tuple[str, ...]) -> None:
    assert expected in relations(draft_of(extractor, text))


@pytest.mark.parametrize(
    ("text", "unexpected"),
    [
        (
            "General Karl Ost said operations against the Crimson Dawn movement would continue.",
            ("opposes", "Karl Ost", "Crimson Dawn"),
        ),
        (
            "The Parliament of Latvia debated the law on Monday. Deputy director Anna Kask said"
            " the agency was ready.",
            ("member_of", "Anna Kask", "Parliament of Latvia"),
        ),
        (
            "Fighting broke out on the border between Latvia and Estonia on Monday.",
            ("located_in", "border between Latvia and Estonia", "Latvia"),
        ),
        (
            "The Popular Unity Party has been banned. Police held Jon Kask and Mart Pihl, the"
            " party's chairman, on Monday.",
            ("holds_post", "Jon Kask", "Popular Unity Party"),
        ),
        (
            "The communique was presented by Peeter Tamm, president of the Harbour Commission,"
            " at the close of the talks chaired by Latvian President Anna Kask.",
            ("holds_post", "Anna Kask", "Harbour Commission"),
        ),
        (
            "Police detained four men from the Crimson Dawn movement, a group banned in Estonia.",
            ("based_in", "Crimson Dawn", "Estonia"),
        ),
    ],
)
def test_relations_not_found(extractor: Extractor, text: str, unexpected: tuple[str, ...]) -> None:
    assert unexpected not in relations(draft_of(extractor, text))


def _participants(extractor: Extractor, text: str) -> dict[str, set[tuple[str, str]]]:
    draft = draft_of(extractor, text)
    names = {e["id"]: e["name"] for e in draft["entities"]}
    return {
        i["kind"]: {(names[p["entity"]], p["role"]) for p in i.get("participants") or []}
        for i in draft.get("incidents") or []
    }


def test_by_and_of_after_a_trigger_name_participants(extractor: Extractor) -> None:
    found = _participants(
        extractor,
        "On Monday a bombing carried out by the Crimson Dawn movement killed three people in"
        " Tartu. A week later prosecutors charged Ivar Lepp over the killing of a police"
        " officer, Marten Kivi, in a clash near Valga.",
    )
    assert ("Crimson Dawn", "perpetrator") in found["bombing"]
    assert ("Marten Kivi", "victim") in found["killing"]


def test_a_number_with_a_thousands_separator_is_one_count(extractor: Extractor) -> None:
    draft = draft_of(
        extractor, "The court convicted him over the deaths of some 3,500 villagers near Valga."
    )
    counts = {e["name"]: e.get("count") for e in draft["entities"] if e["type"] == "Group"}
    assert 3500 in counts.values()
    assert 3 not in counts.values()


def test_a_denial_is_about_the_incident_it_answers(extractor: Extractor) -> None:
    draft = draft_of(
        extractor,
        "A bomb exploded outside the court in Tartu on Monday. Prosecutors said Karl Ost had"
        " planned the bombing. Karl Ost denied any involvement. Police arrested two men in Valga"
        " on Tuesday.",
    )
    bombing = [i["id"] for i in draft["incidents"] if i["kind"] == "bombing"]
    about = {c["stance"]: c.get("about", []) for c in draft["claims"]}
    assert bombing and bombing[0] in about["denies"]
    assert bombing[0] in about["asserts"]  # both sides name it: the contradictions query pairs them
    assert not any(a.startswith("inc:") and a != bombing[0] for a in about["denies"])


def test_a_denial_of_nothing_in_particular_is_about_no_incident(extractor: Extractor) -> None:
    draft = draft_of(
        extractor,
        "A bomb exploded outside the court in Tartu on Monday. Karl Ost denied the rumours.",
    )
    denials = [c for c in draft["claims"] if c["stance"] == "denies"]
    assert denials and not any(a.startswith("inc:") for a in denials[0].get("about", []))


def test_demonym_group_heads_are_keyed_by_relation_types() -> None:
    schema = load_schema(ROOT / "schema")
    assert set(lx.DEMONYM_GROUP_HEADS.values()) <= set(schema.relations)
    assert "minister" in lx.MINISTER_MODIFIERS and "president" in lx.STATE_POSTS


def test_a_passive_trigger_makes_its_subject_the_detainee(extractor: Extractor) -> None:
    found = _participants(extractor, "Marten Kivi, a lawyer, has been held since May.")
    assert found["detention"] == {("Marten Kivi", "detainee")}

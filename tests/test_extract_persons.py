"""Persons the capitalised-name rules find outside the regional gazetteer (sentences written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.documents import parse_article
from kg.extract.entities import find_entities
from kg.extract.pipeline import Extractor, load_extractor
from kg.schema import load_schema

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return load_extractor(load_schema(ROOT / "schema"), ROOT / "seeds")


def names(extractor: Extractor, text: str, type_name: str) -> set[str]:
    doc = parse_article(f"---\ntitle: Test\ndate: 2015-06-09\n---\n{text}", Path("p.md"))
    reg, _ = find_entities(doc, extractor.schema, extractor.gazetteer)
    return {e.name for e in reg.entities.values() if e.type == type_name}


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Ousted President Tomas Verlaine remains under guard.", "Tomas Verlaine"),
        ("Harbour District Police Commander Jonas Okafor said two men fled.", "Jonas Okafor"),
        (
            "Maj. Gen. Paulo R. Mendes, commander of the division, praised the unit.",
            "Paulo R. Mendes",
        ),
        ("Acting Deputy Secretary of State Ellen Marsh said the talks were frank.", "Ellen Marsh"),
        ("The leader of the band, Oskar Brandt, alias Wolf, was never found.", "Oskar Brandt"),
        ("Ruta Wekesa, MP for a coastal constituency, accused the police.", "Ruta Wekesa"),
    ],
)
def test_a_person_after_a_title_or_before_a_role(
    extractor: Extractor, text: str, person: str
) -> None:
    assert person in names(extractor, text, "Person")


def test_coordinated_names_after_a_plural_role_are_two_persons(extractor: Extractor) -> None:
    text = "Two photographers for a local weekly, Tan Lwin and Hla Myo Aung, were held."
    assert {"Tan Lwin", "Hla Myo Aung"} <= names(extractor, text, "Person")


def test_the_organisation_before_the_title_stays_an_organisation(extractor: Extractor) -> None:
    text = "Harbour District Police Commander Jonas Okafor said two men fled."
    assert "Harbour District Police Commander Jonas Okafor" not in names(
        extractor, text, "Organisation"
    )


def test_an_honorific_inside_a_name_does_not_split_it(extractor: Extractor) -> None:
    text = "Committee chair Amina Sheikh Idris, an MP, opened the hearing."
    found = names(extractor, text, "Person")
    assert "Idris" not in found and "Amina" not in found


def test_a_title_and_surname_link_to_the_full_name(extractor: Extractor) -> None:
    text = "Col. Idris Kamara, a police commander, spoke first. Col. Kamara said more would come."
    assert names(extractor, text, "Person") == {"Idris Kamara"}


def test_names_listed_after_a_plural_organisation_noun_are_organisations(
    extractor: Extractor,
) -> None:
    text = "The ban covers armed groups such as Red Dawn, Black Hand and the Iron Wolves."
    assert {"Red Dawn", "Black Hand", "Iron Wolves"} <= names(extractor, text, "Organisation")


def test_a_name_with_a_lowercase_facility_head(extractor: Extractor) -> None:
    text = "Gunmen attacked the Almeda naval academy in the north."
    assert "Almeda naval academy" in names(extractor, text, "Place")
    assert not names(extractor, "No station has been hit.", "Place")


def test_a_name_apposed_to_a_village_is_a_place(extractor: Extractor) -> None:
    text = "Residents of Oru Hill, a fishing village on the coast, fled on Monday."
    assert "Oru Hill" in names(extractor, text, "Place")
    assert "Oru Hill" not in names(extractor, text, "Person")


def test_the_name_before_a_leader_is_a_group(extractor: Extractor) -> None:
    text = "Troops killed Omar Dalo, the Jund Harith leader, near the river."
    assert "Jund Harith" in names(extractor, text, "Organisation")
    assert "Jund Harith" not in names(extractor, text, "Person")


def test_spanish_connector_and_heading_words(extractor: Extractor) -> None:
    assert "Valle del Norte province" in names(
        extractor, "They fled to the capital of Valle del Norte province.", "Place"
    )
    found = names(extractor, "PRESS RELEASE Office of the Governor of Norland said", "Organisation")
    assert not any(name.startswith("PRESS") for name in found)


def test_both_coordinated_names_before_a_plural_role(extractor: Extractor) -> None:
    text = "Rahim Oston and Bek Sorali, the party's deputy chairmen, were convicted."
    assert {"Rahim Oston", "Bek Sorali"} <= names(extractor, text, "Person")


def test_a_name_given_only_as(extractor: Extractor) -> None:
    text = "A former guard who gave his name only as Tarkan said the gate was open."
    assert "Tarkan" in names(extractor, text, "Person")


def test_an_outlet_or_group_apposed_to_its_name(extractor: Extractor) -> None:
    text = "He ran Steppe Voice, a Russian-language website that closed in 2014."
    assert "Steppe Voice" in names(extractor, text, "Organisation")


def test_a_capitalised_adjective_before_city_of(extractor: Extractor) -> None:
    text = "Talks will be held in the Armenian city of Tavrosk on Thursday."
    assert "Tavrosk" in names(extractor, text, "Place")


def test_names_before_a_plural_head_are_each_a_place(extractor: Extractor) -> None:
    text = "Families were moved out of the Arvel and Dornik districts overnight."
    assert {"Arvel district", "Dornik district"} <= names(extractor, text, "Place")


def test_a_party_named_after_an_adjective(extractor: Extractor) -> None:
    text = "The ruling Civic Union party said the mayor had been expelled."
    assert "Civic Union" in names(extractor, text, "Organisation")


def test_world_bodies_and_seats_of_government_are_known(extractor: Extractor) -> None:
    text = "The White House and the African Union condemned the coup."
    assert {"White House", "African Union"} <= names(extractor, text, "Organisation")


def test_the_army_and_the_presidency_of_the_country_in_focus(extractor: Extractor) -> None:
    text = (
        "Nigeria has freed twenty hostages. The presidency said the army would keep "
        "searching, and the armed forces were placed on alert."
    )
    found = names(extractor, text, "Organisation")
    assert {"Presidency of Nigeria", "Army of Nigeria", "Armed forces of Nigeria"} <= found


def test_each_listed_facility_is_in_the_town(extractor: Extractor) -> None:
    text = "Gunmen opened fire on a mosque, a school and a police post in Harwick on Friday."
    found = names(extractor, text, "Place")
    assert {"Mosque in Harwick", "School in Harwick", "Police post in Harwick"} <= found


def test_a_capitalised_facility_modifier(extractor: Extractor) -> None:
    text = "He was a priest of a Catholic church in Harwick."
    assert "Catholic church in Harwick" in names(extractor, text, "Place")


def test_a_cited_statement_names_the_body_that_issued_it(extractor: Extractor) -> None:
    text = "The siege was over (Ministry of Harbours statement, May 2)."
    found = names(extractor, text, "Organisation")
    assert "Ministry of Harbours" in found and "Ministry of Harbours statement" not in found


def test_descriptions_are_not_names(extractor: Extractor) -> None:
    text = "The Norland-owned company said it asked the Harbour Union to send troops."
    found = names(extractor, text, "Organisation")
    assert not any(name.endswith(("-owned", "send troops")) for name in found)


def test_military_governments_of_two_countries(extractor: Extractor) -> None:
    text = "The military governments of Mali and Chad signed the pact."
    assert {"Military government of Mali", "Military government of Chad"} <= names(
        extractor, text, "Organisation"
    )


def test_a_region_with_its_head_word_is_the_same_region(extractor: Extractor) -> None:
    doc = parse_article(
        "---\ntitle: T\ndate: 2015-06-09\n---\nUnrest spread in the Gorno-Badakhshan region.",
        Path("r.md"),
    )
    reg, _ = find_entities(doc, extractor.schema, extractor.gazetteer)
    places = [e for e in reg.entities.values() if e.type == "Place"]
    assert [p.name for p in places] == ["Gorno-Badakhshan"]
    assert "Gorno-Badakhshan region" in places[0].aliases

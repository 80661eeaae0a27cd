"""Entity rules on sentences written for these tests: datelines, titles, heads, groups, lists."""

from __future__ import annotations

import pytest

from kg.extract import lexicon as lx
from kg.extract.pipeline import Extractor, load_extractor
from kg.schema import load_schema
from tests.test_extract_units import ROOT, draft_of, names_of


@pytest.fixture(scope="module")
def seeded() -> Extractor:
    return load_extractor(load_schema(ROOT / "schema"), ROOT / "seeds")


def groups(draft: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {e["name"]: e for e in draft["entities"] if e["type"] == "Group"}


def test_datelines_name_the_places_reports_were_filed_from(seeded: Extractor) -> None:
    draft = draft_of(
        seeded,
        "LIMA/QUITO - Ministers met on Monday.\n\nVALDORIA, March 3 - Farmers blocked a road.",
    )
    places = names_of(draft, "Place")
    assert {"Lima", "Quito", "Valdoria"} <= places
    assert "Peru" not in names_of(draft, "Country")  # a dateline is where, not who


def test_countries_and_capitals_of_the_world_ship_with_kg(seeded: Extractor) -> None:
    draft = draft_of(seeded, "Officials in Montevideo said Uruguay and Paraguay would talk.")
    assert {"Uruguay", "Paraguay"} <= names_of(draft, "Country")
    assert "Montevideo" in names_of(draft, "Place")


def test_a_capital_stands_for_its_state_only_as_an_actor(seeded: Extractor) -> None:
    draft = draft_of(
        seeded,
        "Lima rejected the claim. The talks between Quito and Bogota ended. "
        "Protesters marched in Lima.",
    )
    peru = next(e for e in draft["entities"] if e["name"] == "Peru")
    assert "metonymy" in peru["note"] and {"quote": "Lima"} in peru["evidence"]
    assert "Lima" in names_of(draft, "Place")  # "marched in Lima" is the city


def test_titles_with_of_initials_and_coordination(seeded: Extractor) -> None:
    draft = draft_of(
        seeded,
        "Minister of Emergency Situations Ardak Velitov arrived. Inspector Pavel R. Lunin "
        "said the road was closed. Tomas Ekberg and Lena Fahl signed the letter.",
    )
    persons = names_of(draft, "Person")
    assert {"Ardak Velitov", "Pavel R. Lunin"} <= persons
    assert not any(p.startswith(("of ", "Situations")) for p in persons)
    assert "Tomas Ekberg and Lena Fahl" not in persons


def test_region_adjectives_and_languages_are_not_persons(seeded: Extractor) -> None:
    draft = draft_of(
        seeded,
        "The Central Asian states met. Reports in Amharic and Tigrinya followed. "
        "Southeast Asian ministers agreed.",
    )
    assert not {"Central Asian", "Southeast Asian"} & names_of(draft, "Person")


def test_lowercase_heads_name_places_and_bodies(seeded: Extractor) -> None:
    draft = draft_of(
        seeded,
        "Troops crossed the Velna river near the Korsk checkpoint in the Dalmor district. "
        "The Dalmor district court fined two men. The Kazakh-Kyrgyz border was closed.",
    )
    places = names_of(draft, "Place")
    assert {"Velna river", "Korsk checkpoint", "Dalmor district", "Kazakh-Kyrgyz border"} <= places
    court = next(e for e in draft["entities"] if e["name"] == "Dalmor district court")
    assert court["type"] == "Organisation" and court["kind"] == "court"


def test_generic_bodies_are_qualified_and_keep_the_texts_wording(seeded: Extractor) -> None:
    draft = draft_of(
        seeded,
        "Kyrgyzstan closed the pass. The Ministry of Health said four people were hurt. "
        "The Armenian Defence Ministry denied it. Congress of the Philippines met.",
    )
    health = next(e for e in draft["entities"] if e["name"].startswith("Ministry of Health"))
    assert health["name"] == "Ministry of Health of Kyrgyzstan"
    assert "Ministry of Health" in health.get("aliases", [])
    defence = next(
        e for e in draft["entities"] if "Armenian Defence Ministry" in e.get("aliases", [])
    )
    assert defence["name"] == "Defence Ministry of Armenia"


def test_a_name_before_gunmen_is_a_militant_group(seeded: Extractor) -> None:
    draft = draft_of(seeded, "Ash-Sahm gunmen attacked a bus. Uighur militants were blamed.")
    orgs = {e["name"]: e for e in draft["entities"] if e["type"] == "Organisation"}
    assert orgs["Ash-Sahm"]["kind"] == "militant_group"
    assert "Uighur" not in orgs


def test_unnamed_groups_are_found_with_counts_and_joined(seeded: Extractor) -> None:
    draft = draft_of(
        seeded,
        "Residents blocked the road to Osh. Twelve people were injured. "
        "Residents of Osh said the police had beaten them. The minister told reporters "
        "nothing.",
    )
    found = groups(draft)
    residents = [g for g in found if g.startswith("Residents")]
    assert len(residents) == 1  # one article's residents are one group
    injured = found["People injured"]
    assert injured["count"] == 12
    assert not [g for g in found if "eporters" in g]  # the audience of a statement


def test_the_word_lists_are_data_keyed_by_schema_terms() -> None:
    schema = load_schema(ROOT / "schema")
    org_kinds = schema.vocabulary("organisation_kinds")
    place_kinds = schema.vocabulary("place_kinds")
    assert set(lx.ORG_HEADS.values()) | set(lx.NATIONAL_BODY_HEADS.values()) <= set(org_kinds.terms)
    assert set(lx.PLACE_HEADS.values()) | set(lx.PLACE_STARTS.values()) <= set(place_kinds.terms)
    assert lx.LEXICON_FILE.suffix == ".yaml" and "minister" in lx.PERSON_TITLES

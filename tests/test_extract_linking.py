"""Linking short mentions to known entities: only when the context does not contradict it."""

from __future__ import annotations

import pytest

from kg.extract.gazetteer import GazEntry, Gazetteer, Post
from kg.extract.linking import decide_link
from kg.extract.pipeline import Extractor, load_extractor
from kg.schema import load_schema
from tests.test_extract_units import ROOT, draft_of, entity_named


@pytest.fixture(scope="module")
def seeded() -> Extractor:
    """The extractor of the seed workspace (its gazetteer and curated annotation)."""
    return load_extractor(load_schema(ROOT / "schema"), ROOT / "seeds")


def persons(draft: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {e["name"]: e for e in draft["entities"] if e["type"] == "Person"}


def test_a_different_given_name_makes_a_new_person_not_the_known_one(
    seeded: Extractor,
) -> None:
    draft = draft_of(
        seeded,
        "Prosecutor-General Rashid Kadyrov told reporters in Grozny that the case was closed. "
        "Kadyrov said more arrests would follow.",
    )
    found = persons(draft)
    assert "Ramzan Kadyrov" not in found and "Rashid" not in found
    rashid = found["Rashid Kadyrov"]
    assert rashid["id"] == "per:rashid-kadyrov"
    assert "the given name 'Rashid' differs" in rashid["note"]
    assert {c["speaker"] for c in draft["claims"]} == {"per:rashid-kadyrov"}


def test_a_bare_surname_still_links_when_nothing_contradicts_it(seeded: Extractor) -> None:
    draft = draft_of(seeded, "Kadyrov said the republic was calm. R. Kadyrov added more.")
    ramzan = entity_named(draft, "Ramzan Kadyrov")
    assert ramzan["id"] == "per:ramzan-kadyrov"
    assert "linked to per:ramzan-kadyrov by 'Kadyrov'" in ramzan["note"]


def test_an_acronym_qualified_by_another_country_links_to_that_countrys_body(
    seeded: Extractor,
) -> None:
    draft = draft_of(
        seeded,
        "Tajikistan's State Committee for National Security (GKNB) detained two men in "
        "Khujand. The GKNB said they planned attacks.",
    )
    ids = {e["id"] for e in draft["entities"]}
    assert "org:state-committee-for-national-security-of-kyrgyzstan" not in ids
    tajik = entity_named(draft, "State Committee for National Security of Tajikistan")
    assert "of Tajikistan, as the text says" in tajik["note"]
    assert {c["speaker"] for c in draft["claims"]} == {tajik["id"]}


def test_a_tajik_security_committee_is_not_kazakhstans_knb(seeded: Extractor) -> None:
    draft = draft_of(
        seeded,
        "The Tajik National Security Committee (KNB) detained two men in Khujand. "
        "The KNB said they planned attacks.",
    )
    ids = {e["id"] for e in draft["entities"]}
    assert "org:knb" not in ids
    assert {c["speaker"] for c in draft["claims"]} <= ids


def test_curated_ids_are_reused_for_recognised_entities(seeded: Extractor) -> None:
    draft = draft_of(seeded, "Kazakhstan's National Security Committee said two men were detained.")
    knb = entity_named(draft, "National Security Committee")
    assert knb["id"] == "org:knb"  # the seed annotation's id, not org:national-security-committee
    assert "from the workspace's curated annotations" in knb["note"]


def test_link_decisions_are_reproducible_and_explained() -> None:
    putin = GazEntry(
        "per:vladimir-putin",
        "Person",
        "Vladimir Putin",
        ("Putin",),
        posts=(Post("president", "Russia", 2000, 2008),),
    )
    assert decide_link(putin, "Putin", titles=("President",), year=2004).linked
    refused = decide_link(putin, "Putin", titles=("Prosecutor-General",), year=2004)
    assert not refused.linked and "matches none of its posts" in refused.reason
    assert decide_link(putin, "Putin", titles=("Mr",), year=2004).linked
    again = decide_link(putin, "Putin", given="Igor", year=2004)
    assert again == decide_link(putin, "Putin", given="Igor", year=2004)
    assert "given name 'Igor' differs" in again.reason


def test_alternative_entry_is_found_by_country_and_words() -> None:
    kyrgyz = GazEntry(
        "org:gknb-kg", "Organisation", "Committee of Kyrgyzstan", ("GKNB",), country="Kyrgyzstan"
    )
    tajik = GazEntry(
        "org:gknb-tj",
        "Organisation",
        "Committee of Tajikistan",
        ("Tajik GKNB",),
        country="Tajikistan",
    )
    gaz = Gazetteer.build([kyrgyz, tajik])
    assert gaz.alternative(kyrgyz, "GKNB", "Tajikistan") == tajik
    assert gaz.alternative(kyrgyz, "GKNB", "Uzbekistan") is None

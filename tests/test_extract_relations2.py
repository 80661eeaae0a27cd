"""Relations and claims of the later rules (posts, belonging, hostility, speakers by description),
on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.documents import parse_article
from kg.extract.draft import render_draft
from kg.extract.pipeline import Extractor, load_extractor
from kg.schema import load_schema
from kg.yamlio import load_yaml_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return load_extractor(load_schema(ROOT / "schema"), ROOT / "seeds")


def draft_of(extractor: Extractor, text: str) -> dict[str, Any]:
    doc = parse_article(f"---\ntitle: Test\ndate: 2015-03-15\n---\n{text}", Path("rel.md"))
    return load_yaml_text(render_draft(extractor.extract(doc)), "draft")  # type: ignore[no-any-return]


def relations(draft: dict[str, Any]) -> set[tuple[str, str, str]]:
    names = {e["id"]: e["name"] for e in draft["entities"]}
    return {
        (r["type"], names[r["source"]], names[r["target"]]) for r in draft.get("relations") or []
    }


def claims(draft: dict[str, Any]) -> list[tuple[str, str, str]]:
    names = {e["id"]: e["name"] for e in draft["entities"]}
    return [(c["stance"], names[c["speaker"]], c["content"]) for c in draft.get("claims") or []]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Former Latvian president Peter Kalnins was detained on Monday.",
            ("holds_post", "Peter Kalnins", "Latvia"),
        ),
        (
            "The Finnish parliamentarian Maria Virtanen chaired the inquiry.",
            ("citizen_of", "Maria Virtanen", "Finland"),
        ),
        (
            "John Berzins, deputy head of the State Border Guard of Latvia, told reporters that"
            " the crossing was closed.",
            ("holds_post", "John Berzins", "State Border Guard of Latvia"),
        ),
        (
            "Anna Kalna, the Latvian ambassador to Estonia, said the talks went well.",
            ("holds_post", "Anna Kalna", "Latvia"),
        ),
        (
            "Judge Maria Liepa of the Riga Regional Court read the verdict.",
            ("holds_post", "Maria Liepa", "Riga Regional Court"),
        ),
        (
            "The Riga Regional Court opened the trial. The court's chief judge, John Liepa, read"
            " the charges.",
            ("holds_post", "John Liepa", "Riga Regional Court"),
        ),
        (
            "The Ministry of Emergency Situations of Latvia said 20 houses burned. Deputy Minister"
            " of Emergency Situations John Popa visited the village.",
            ("holds_post", "John Popa", "Ministry of Emergency Situations of Latvia"),
        ),
        (
            "Floods hit Latvia. The Interior Ministry opened an inquiry. Ministry spokesman Peter Lupu said it would"
            " take a month.",
            ("holds_post", "Peter Lupu", "Interior Ministry of Latvia"),
        ),
    ],
)
def test_posts_around_a_name(extractor: Extractor, text: str, expected: tuple[str, ...]) -> None:
    assert expected in relations(draft_of(extractor, text))


def test_an_envoy_serves_his_own_country_not_the_host(extractor: Extractor) -> None:
    found = relations(
        draft_of(
            extractor, "Anna Kalna, the Latvian ambassador to Estonia, said the talks went well."
        )
    )
    assert ("holds_post", "Anna Kalna", "Estonia") not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Harmony Party of Latvia held a congress.",
            ("based_in", "Harmony Party of Latvia", "Latvia"),
        ),
        (
            "Latvian border guards exchanged fire with smugglers near the river.",
            ("part_of", "Latvian border guards", "Latvia"),
        ),
        (
            "Latvian border guards exchanged fire with smugglers near the river.",
            ("opposes", "Latvian border guards", "Smugglers"),
        ),
        (
            "Opposition leader John Kalnins has accused the Harmony Party of Latvia of rigging the"
            " vote.",
            ("tension_with", "John Kalnins", "Harmony Party of Latvia"),
        ),
        (
            "The dead were named as John Ndegwa, 52, a farmer, and his nephew Peter Otieno, 19.",
            ("family_of", "Peter Otieno", "John Ndegwa"),
        ),
        (
            "John Berzins, a member of the Harmony Party of Latvia, was released.",
            ("member_of", "John Berzins", "Harmony Party of Latvia"),
        ),
        (
            "Police detained four men from the Harmony Party of Latvia, a group banned in Estonia.",
            ("opposes", "Estonia", "Harmony Party of Latvia"),
        ),
        (
            "The Riga Regional Court sentenced three men.",
            ("based_in", "Riga Regional Court", "Riga"),
        ),
        (
            "Police detained two men in Tallinn, in northern Estonia, on Monday.",
            ("located_in", "Tallinn", "Estonia"),
        ),
    ],
)
def test_belonging_and_hostility(
    extractor: Extractor, text: str, expected: tuple[str, ...]
) -> None:
    assert expected in relations(draft_of(extractor, text))


def test_a_groups_demonym_is_read_before_its_place(extractor: Extractor) -> None:
    found = relations(draft_of(extractor, "Police detained three Latvian workers in Tallinn."))
    assert any(t == "citizen_of" and target == "Latvia" for t, _, target in found)
    assert not any(t == "citizen_of" and target == "Estonia" for t, _, target in found)


@pytest.mark.parametrize(
    ("text", "speaker", "stance"),
    [
        (
            "President Peter Kalnins visited the port on Monday. The president said the port would"
            " reopen within a week.",
            "Peter Kalnins",
            "asserts",
        ),
        (
            '"The road is closed until further notice," said Maj. John Berzins of the border guard.',
            "John Berzins",
            "asserts",
        ),
        (
            "Floods hit Latvia. There was no immediate comment from the Interior Ministry.",
            "Interior Ministry of Latvia",
            "declines_to_comment",
        ),
        (
            "Floods hit Latvia. The Interior Ministry opened an inquiry. A ministry spokesman said the inquiry would"
            " take a month.",
            "Interior Ministry of Latvia",
            "asserts",
        ),
        (
            "The Harmony Party of Latvia was banned in May. The party has always denied any"
            " involvement in the riots.",
            "Harmony Party of Latvia",
            "denies",
        ),
        (
            "Deputy Foreign Minister Maria Ozola called Estonia a reliable partner.",
            "Maria Ozola",
            "alleges",
        ),
    ],
)
def test_speakers_by_description(
    extractor: Extractor, text: str, speaker: str, stance: str
) -> None:
    assert any(s == speaker and st == stance for st, s, _ in claims(draft_of(extractor, text)))


def test_a_relative_clause_claim_stops_at_the_clause(extractor: Extractor) -> None:
    found = claims(
        draft_of(
            extractor,
            "Later, Peter Ozols, who condemned the bombing as an act of terrorism, declared three"
            " days of mourning.",
        )
    )
    assert found == [("alleges", "Peter Ozols", "the bombing as an act of terrorism")]


def test_quoted_speech_and_questions_are_not_claims_of_their_own(extractor: Extractor) -> None:
    found = claims(
        draft_of(
            extractor,
            '"He told us never to trust them," John Liepa said. Anna Kalna asked whether the police'
            " had been warned. For weeks the government of Latvia said very little.",
        )
    )
    assert found == [("asserts", "John Liepa", "He told us never to trust them")]


def test_a_transcript_label_names_the_full_named_person(extractor: Extractor) -> None:
    text = (
        "[Interview with John Ndegwa, a teacher in Nairobi.]\n\n"
        "Q: Mr Ndegwa, what happened?\n\n"
        "NDEGWA: The water came at night. Nobody warned the village about the dam.\n"
    )
    found = claims(draft_of(extractor, text))
    assert [s for _, s, _ in found] == ["John Ndegwa"]

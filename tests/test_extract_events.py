"""Incidents, claims and relations of the extractor on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.dates import PartialDate
from kg.documents import parse_article
from kg.extract import cues
from kg.extract.draft import render_draft
from kg.extract.merge import HORIZON, IncidentMention, merge_mentions
from kg.extract.pipeline import Extractor, load_extractor
from kg.schema import Schema, load_schema
from kg.yamlio import load_yaml_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load_schema(ROOT / "schema")


@pytest.fixture(scope="module")
def extractor(schema: Schema) -> Extractor:
    return load_extractor(schema, ROOT / "seeds")


def draft_of(extractor: Extractor, text: str, date: str = "2012-03-15") -> dict[str, Any]:
    doc = parse_article(f"---\ntitle: Test\ndate: {date}\n---\n{text}", Path("events.md"))
    return load_yaml_text(render_draft(extractor.extract(doc)), "draft")  # type: ignore[no-any-return]


def kinds(draft: dict[str, Any]) -> list[str]:
    return [i["kind"] for i in draft["incidents"]]


def speakers(draft: dict[str, Any]) -> list[str]:
    names = {e["id"]: e["name"] for e in draft["entities"]}
    return [names[c["speaker"]] for c in draft["claims"]]


def test_the_cue_lexicon_is_keyed_by_schema_terms(schema: Schema) -> None:
    kinds_ = schema.vocabulary("incident_kinds")
    roles = schema.vocabulary("roles")
    assert all(t.kind in kinds_ and t.role in roles for t in cues.trigger_cues())
    stances = schema.vocabulary("stances")
    assert all(r.stance in stances for r in cues.reporting_cues())
    assert {t.kind for t in cues.trigger_cues()} >= {"attack", "clash", "other"}


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Masked gunmen stormed a radio station in the town of Dervale on Monday.", "attack"),
        ("A suicide bomber detonated a vest outside a bus depot on Monday.", "bombing"),
        ("Fighting between two militias broke out near a river crossing on Monday.", "clash"),
        ("The court handed down prison terms to four former officials on Monday.", "sentencing"),
        ("Rebels took eleven aid workers hostage on Monday.", "abduction"),
        ("A convicted smuggler escaped from a prison near the coast on Monday.", "other"),
    ],
)
def test_triggers_in_their_inflections(extractor: Extractor, sentence: str, kind: str) -> None:
    assert kind in kinds(draft_of(extractor, sentence))


def test_assault_rifles_are_not_an_attack(extractor: Extractor) -> None:
    draft = draft_of(extractor, "Police found two assault rifles in a barn outside the town.")
    assert "attack" not in kinds(draft)


def test_a_participle_after_an_article_is_a_description_not_an_act(extractor: Extractor) -> None:
    draft = draft_of(extractor, "Leaders of the banned movement met in a private house.")
    assert "other" not in kinds(draft)


def test_a_demanded_act_is_not_an_event(extractor: Extractor) -> None:
    draft = draft_of(extractor, "The union called for an independent investigation into the fire.")
    assert "investigation" not in kinds(draft)


def test_institutional_acts_are_other_incidents_named_in_the_note(extractor: Extractor) -> None:
    draft = draft_of(extractor, "The president dismissed the interior minister on Friday.")
    others = [i for i in draft["incidents"] if i["kind"] == "other"]
    assert len(others) == 1 and "dismissed" in others[0]["note"]


def test_an_undated_incident_takes_the_article_month_and_says_so(extractor: Extractor) -> None:
    draft = draft_of(extractor, "Gunmen attacked a police post near the border.", "2012-03-15")
    attack = next(i for i in draft["incidents"] if i["kind"] == "attack")
    assert attack["date"] == "2012-03" and "article's month" in attack["note"]


def test_he_added_goes_to_the_last_speaker(extractor: Extractor) -> None:
    text = (
        "Interior Minister Ravil Osmanov met Governor Petra Lind on Monday. "
        "Osmanov said the roads would reopen soon. "
        "He added that the curfew would be lifted."
    )
    assert speakers(draft_of(extractor, text)).count("Ravil Osmanov") == 2


def test_coordinated_subjects_each_make_the_claim(extractor: Extractor) -> None:
    text = "The United Nations and the European Union condemned the shelling of the market."
    assert {"United Nations", "European Union"} <= set(speakers(draft_of(extractor, text)))


def test_a_transcript_answer_is_a_claim_of_the_labelled_speaker(extractor: Extractor) -> None:
    text = (
        "[Guest: Marta Kovalenko, an economist in Lviv.]\n\n"
        "Q: What happened to the prices?\n\n"
        "KOVALENKO: Prices doubled within a week. The shops ran out of flour.\n\n"
        "Q: Will it last?\n\n"
        "KOVALENKO: I think the worst is over, but nobody can be sure.\n"
    )
    claims = draft_of(extractor, text)["claims"]
    by_marta = [c for c in claims if c["speaker"] == "per:marta-kovalenko"]
    assert len(by_marta) == 2
    assert {c["stance"] for c in by_marta} == {"asserts", "speculates"}
    assert all("What happened" not in c["content"] for c in claims)


def test_merging_looks_back_a_bounded_distance() -> None:
    near = [
        IncidentMention("attack", 10, 16, (0, 40)),
        IncidentMention("attack", 200, 206, (190, 240)),
    ]
    assert len(merge_mentions(near)) == 1
    start = HORIZON + 500
    far = [near[0], IncidentMention("attack", start, start + 6, (start - 10, start + 40))]
    assert len(merge_mentions(far)) == 2


def test_merging_keeps_different_dates_apart() -> None:
    first = IncidentMention("attack", 10, 16, (0, 40), date=PartialDate(2012, 3, 1))
    second = IncidentMention("attack", 60, 66, (50, 90), date=PartialDate(2012, 3, 9))
    assert len(merge_mentions([first, second])) == 2

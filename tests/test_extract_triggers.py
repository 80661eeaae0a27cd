"""Incident triggers added for real-world wording, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

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


def kinds(extractor: Extractor, text: str) -> list[str]:
    doc = parse_article(f"---\ntitle: Test\ndate: 2015-06-09\n---\n{text}", Path("t.md"))
    draft = load_yaml_text(render_draft(extractor.extract(doc)), "draft")
    assert isinstance(draft, dict)
    return [i["kind"] for i in draft.get("incidents") or []]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Two armed men burst into the offices of a local radio station on Monday.", "attack"),
        ("Hundreds of farmers blocked roads around the provincial capital on Monday.", "protest"),
        ("On Monday thousands of students gathered outside the education ministry.", "protest"),
        ("The former mayor was tried in the regional court over three days in May.", "trial"),
        ("The gunmen took a teacher, her assistant and eleven pupils hostage.", "abduction"),
        (
            "Rebel units have since retaken several villages in the hill district.",
            "military_campaign",
        ),
        ("The president spoke to his counterpart by telephone on Monday.", "meeting"),
        ("The opposition leader has been held in a military barracks since May.", "detention"),
        ("The assembly voted in 2009 to recognise the breakaway province.", "other"),
        ("The general took over the chairmanship of the council on Monday.", "other"),
        ("The tribunal, which the assembly set up in 1996, closed its doors.", "other"),
        ("Two village schools were closed until further notice on Monday.", "other"),
    ],
)
def test_real_world_wording_is_an_incident(extractor: Extractor, sentence: str, kind: str) -> None:
    assert kind in kinds(extractor, sentence)


def test_more_people_fled_their_homes_is_a_displacement(extractor: Extractor) -> None:
    assert kinds(extractor, "Some 12,000 people fled their homes in Eastvale in May.") == ["other"]


def test_speaking_by_telephone_is_not_a_meeting(extractor: Extractor) -> None:
    text = "Residents, speaking by telephone, said the road was quiet."
    assert "meeting" not in kinds(extractor, text)


def test_gathering_needs_a_crowd(extractor: Extractor) -> None:
    assert "protest" not in kinds(extractor, "Investigators gathered evidence in Eastvale.")

"""`kg eval` on incidents, claims and relations: one-to-one matches, per-type counts, agreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.evalmatch import one_to_one
from kg.extract.evaluate import EvalResult, evaluate
from kg.schema import Schema, load_schema

ROOT = Path(__file__).resolve().parents[1]

ARTICLE = """title: A test article
date: 2011-05-04
---
Gunmen attacked a police post in Norvale on Monday, killing two officers.

A second attack hit the market of Norvale on Tuesday.

The Interior Ministry said that the gunmen belonged to the Red Hand.
"""

ENTITIES = """
entities:
  - {id: plc:norvale, type: Place, kind: city, name: Norvale}
  - {id: org:interior, type: Organisation, kind: government_body, name: Interior Ministry}
  - {id: org:red-hand, type: Organisation, kind: militant_group, name: Red Hand}
  - {id: cty:xland, type: Country, name: Xland}
"""


def _incident(kind: str, date: str, quote: str) -> str:
    return f"""  - kind: {kind}
    title: {kind} {date}
    date: "{date}"
    place: plc:norvale
    evidence: [{{quote: "{quote}"}}]
"""


GOLD = (
    "document: art\n"
    + ENTITIES
    + "incidents:\n"
    + _incident("attack", "2011-05-02", "Gunmen attacked a police post in Norvale")
    + _incident("attack", "2011-05-03", "A second attack hit the market")
    + """claims:
  - speaker: org:interior
    stance: asserts
    content: The gunmen belonged to the Red Hand.
    evidence: [{quote: "The Interior Ministry said that the gunmen belonged to the Red Hand"}]
relations:
  - {type: located_in, source: plc:norvale, target: cty:xland}
  - {type: based_in, source: org:red-hand, target: plc:norvale, evidence: [{quote: "Red Hand"}]}
"""
)


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load_schema(ROOT / "schema")


def _score(tmp_path: Path, schema: Schema, pred: str) -> EvalResult:
    for name, text in (("gold", GOLD), ("pred", pred)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "art.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "art.txt").write_text(ARTICLE, encoding="utf-8")
    return evaluate(tmp_path / "gold", tmp_path / "pred", schema, [tmp_path / "articles"])


def test_one_prediction_covering_two_incidents_matches_only_one(
    schema: Schema, tmp_path: Path
) -> None:
    both = "Gunmen attacked a police post in Norvale on Monday, killing two officers."
    pred = "document: art\n" + ENTITIES + "incidents:\n" + _incident("bombing", "2011-05-02", both)
    result = _score(tmp_path, schema, pred)
    assert result.totals["incidents"].tp == 1 and result.totals["incidents"].fn == 1
    # bombing and attack share the CAMEO root 18: compatible, but the kind disagrees
    assert result.agreement["incidents kind"].agree == 0
    assert result.agreement["incidents date"].agree == 1
    assert result.breakdown["incidents"]["attack"].tp == 1


def test_an_incompatible_kind_does_not_match(schema: Schema, tmp_path: Path) -> None:
    pred = (
        "document: art\n"
        + ENTITIES
        + "incidents:\n"
        + _incident("protest", "2011-05-03", "A second attack hit the market")
    )
    result = _score(tmp_path, schema, pred)
    assert result.totals["incidents"].tp == 0
    assert result.breakdown["incidents"]["protest"].fp == 1


def test_claims_need_the_speaker_and_the_quote(schema: Schema, tmp_path: Path) -> None:
    pred = (
        "document: art\n"
        + ENTITIES
        + """claims:
  - speaker: org:interior
    stance: alleges
    content: The gunmen belonged to the Red Hand.
    evidence: [{quote: "the gunmen belonged to the Red Hand"}]
  - speaker: org:interior
    stance: asserts
    content: A second attack.
    evidence: [{quote: "A second attack hit the market"}]
"""
    )
    result = _score(tmp_path, schema, pred)
    assert (result.totals["claims"].tp, result.totals["claims"].fp) == (1, 1)
    assert result.agreement["claims stance"].agree == 0


def test_unquoted_relations_are_scored_apart(schema: Schema, tmp_path: Path) -> None:
    pred = (
        "document: art\n"
        + ENTITIES
        + """relations:
  - {type: located_in, source: plc:norvale, target: cty:xland, evidence: [{quote: "Norvale"}]}
  - {type: based_in, source: org:red-hand, target: plc:norvale, evidence: [{quote: "Red Hand"}]}
  - {type: part_of, source: org:red-hand, target: org:interior, evidence: [{quote: "Red Hand"}]}
"""
    )
    result = _score(tmp_path, schema, pred)
    assert not result.problems, result.problems
    relations, background = result.totals["relations"], result.totals["background"]
    # the quoted located_in matches a background one: neither right nor wrong
    assert (relations.tp, relations.fp, relations.fn) == (1, 1, 0)
    assert (background.tp, background.fp, background.fn) == (0, 0, 1)
    assert result.breakdown["relations"]["part_of"].fp == 1


def test_one_to_one_prefers_the_better_pair() -> None:
    pairs = one_to_one(
        ["a", "b"], ["ab", "a"], lambda g, p: (2.0 if g == p else 1.0) if g in p else None
    )
    assert pairs == [(0, 1), (1, 0)]

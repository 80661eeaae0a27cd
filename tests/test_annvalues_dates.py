"""Annotation values read through kg.annvalues' short paths and memos are what the long way
gives: dates against each article's own date, vocabulary terms, references and their lists."""

from __future__ import annotations

import pytest

from kg.annotations import parse_annotation_file
from kg.dates import PartialDate, parse_date
from kg.model import Document
from kg.schema import Schema
from kg.yamlio import load_yaml_text

_TEXT = "Ola Nordmann of the Harbour Guild spoke. The Harbour Guild met in Portvale."


def _file(date: str, stance: str = "denies", about: str = '["per:ola", "org:guild"]') -> str:
    return f"""document: "doc-a"
entities:
  - {{id: "per:ola", type: "Person", name: "Ola Nordmann"}}
  - {{id: "org:guild", type: "Organisation", name: "Harbour Guild"}}
incidents:
  - id: "inc:meeting"
    kind: "meeting"
    title: "Guild meeting"
    date: "{date}"
    evidence:
      - quote: "The Harbour Guild met"
claims:
  - id: "clm:spoke"
    speaker: "Ola Nordmann"
    stance: "{stance}"
    content: "The guild met."
    about: {about}
    date: "{date}"
    evidence:
      - quote: "Ola Nordmann of the Harbour Guild spoke"
"""


def _resolve(ref: str) -> tuple[str, str] | str:
    known = {
        "per:ola": ("per:ola", "Person"),
        "Ola Nordmann": ("per:ola", "Person"),
        "org:guild": ("org:guild", "Organisation"),
    }
    return known.get(ref, f"unknown reference {ref!r}")


def _parse(schema: Schema, text: str, date: PartialDate | None):  # type: ignore[no-untyped-def]
    doc = Document("doc-a", "A", _TEXT, ((0, len(_TEXT)),), date)
    return parse_annotation_file(load_yaml_text(text, "a.yaml"), schema, doc, "a.yaml", _resolve)


@pytest.mark.parametrize("written", ["July 30", "2004-07-30", "on August 6", "2009", "Dec 20"])
def test_each_date_is_read_against_its_own_article(schema: Schema, written: str) -> None:
    # The same text in articles of other years and months, in turn and again: a date without
    # a year takes each article's year (and December in a January article the year before).
    for reference in [PartialDate(2004, 8), PartialDate(2005, 1), PartialDate(2004, 8), None]:
        if reference is None and written in ("July 30", "on August 6", "Dec 20"):
            records = _parse(schema, _file(written), reference)
            assert [p.code for p in records.problems] == ["bad-date", "bad-date"]
            assert "no document date" in records.problems[0].message
            continue
        records = _parse(schema, _file(written), reference)
        assert not records.problems
        expected = parse_date(written, reference)
        assert records.incidents[0][0].date == expected
        assert records.claims[0][0].date == expected


def test_vocabulary_terms_and_reference_lists(schema: Schema) -> None:
    records = _parse(schema, _file("2004-07-30"), PartialDate(2004, 8))
    claim = records.claims[0][0]
    assert (claim.speaker, claim.stance, claim.about) == (
        "per:ola",
        "denies",
        ("per:ola", "org:guild"),
    )
    wrong = _parse(schema, _file("2004-07-30", stance="shrugs"), PartialDate(2004, 8))
    assert [(p.code, p.location.line) for p in wrong.problems] == [("unknown-term", 15)]
    assert wrong.problems[0].message.startswith("'stance': 'shrugs' is not in stances (")
    dangling = _parse(schema, _file("2004", about='["per:ola", "Nobody"]'), None)
    assert [(p.code, p.location.line) for p in dangling.problems] == [("dangling-reference", 17)]
    assert dangling.problems[0].message == "'about': unknown reference 'Nobody'"

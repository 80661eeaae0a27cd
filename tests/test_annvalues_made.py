"""Records made by kg.annvalues.made are the records their class makes."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from kg.annvalues import made
from kg.dates import parse_date
from kg.model import Entity, Evidence, Incident, Participant


def test_made_records_equal_constructed_ones() -> None:
    quote = made(Evidence, document="doc:a", start=3, end=9, quote="ferry", source=None)
    expected = Evidence("doc:a", 3, 9, "ferry")
    assert quote == expected and hash(quote) == hash(expected) and repr(quote) == repr(expected)
    assert pickle.loads(pickle.dumps(quote)) == expected
    assert pickle.dumps(quote) == pickle.dumps(expected)
    fields = {
        "id": "inc:harbour-fire",
        "kind": "attack",
        "title": "Harbour fire",
        "date": parse_date("2011-05-02"),
        "place": "plc:portvale",
        "participants": (made(Participant, entity="grp:wreckers", role="perpetrator"),),
        "evidence": (quote,),
        "description": None,
        "note": "invented",
        "properties": {"casualties": 2},
    }
    built, constructed = made(Incident, **fields), Incident(**fields)  # type: ignore[arg-type]
    assert built == constructed and repr(built) == repr(constructed)
    assert dataclasses.astuple(built) == dataclasses.astuple(constructed)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.kind = "other"  # type: ignore[misc]
    assert sorted([Participant("b", "x"), made(Participant, entity="a", role="y")])[0].entity == "a"
    assert made(Entity, **dataclasses.asdict(Entity("per:ola", "Person", "Ola"))) == Entity(
        "per:ola", "Person", "Ola"
    )

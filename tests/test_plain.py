"""The build store keeps descriptions and statements as plain tuples (kg.plain): they load
back as the same objects, pickle no kg class, and a store of the previous layout is rebuilt."""

from __future__ import annotations

import dataclasses
import pickle
import pickletools

import pytest

import kg.build
import kg.cache
from kg.dates import PartialDate
from kg.errors import Location
from kg.model import Claim, Entity, Evidence, Incident, Participant, Relation, Statement
from kg.plain import (
    description_data,
    description_of,
    descriptions_values,
    from_plain,
    maker,
    parsed_as_description,
    parsed_data,
    plain,
    statements_data,
    statements_of,
)
from kg.schema import load_schema

from .conftest import MINI_ANNOTATION, ScratchWorkspace

_QUOTE = Evidence("doc:a", 3, 9, "ferry", source="src:b")
_RECORDS = [
    _QUOTE,
    Entity("per:ola", "Person", "Ola", ("O.",), None, "a pilot", None, {"born": 1970}, (_QUOTE,)),
    Incident(
        "inc:fire",
        "attack",
        "Fire",
        PartialDate(2011, 5),
        "plc:portvale",
        (Participant("grp:w", "perpetrator"), Participant("per:ola", "victim")),
        (_QUOTE, Evidence("doc:a", 20, 24, "fire")),
        properties={"casualties": 2, "on": PartialDate(2011, 5, 2)},
    ),
    Incident("inc:quiet", "protest", "Quiet"),
    Claim("clm:x", "per:ola", "denies", "No.", ("inc:fire",), evidence=(_QUOTE,)),
    Claim("clm:y", "per:ola", "says", "Yes.", date=PartialDate(2012)),
    Relation("rel:x", "member_of", "per:ola", "grp:w", {"since": "2001"}),
    Statement("per:ola", "aliases", "O.", ("doc:a", "doc:b"), False),
    Location("a.yaml", 12),
    PartialDate(2004, 8, 6),
]


def _globals(data: bytes) -> list[str]:
    """The objects a pickle is made of by calling something (a class, a function)."""
    ops = [op.name for op, _, _ in pickletools.genops(data)]
    return [name for name in ops if name in ("GLOBAL", "STACK_GLOBAL", "REDUCE", "NEWOBJ")]


@pytest.mark.parametrize("record", _RECORDS, ids=lambda r: type(r).__name__)
def test_a_record_as_plain_values_is_made_again_the_same(record: object) -> None:
    values = plain(record)
    assert values[0] == type(record).__name__
    back = from_plain(pickle.loads(pickle.dumps(values, pickle.HIGHEST_PROTOCOL)))
    assert type(back) is type(record) and back == record and repr(back) == repr(record)
    assert list(vars(back).items()) == list(vars(record).items())  # the fields' order
    assert hash(back) == hash(record) if isinstance(record, Evidence) else True


def test_a_description_is_stored_with_no_object_but_a_date_among_properties() -> None:
    where = Location("ann/a.yaml", 7, "incidents[0]")
    for record in _RECORDS[1:7]:
        data = description_data(record, where)
        assert description_of(data) == (record, where)
        found = _globals(data)
        # (a property's date is pickled as itself: by its fields, see pickled_by_fields)
        assert found == (["STACK_GLOBAL", "REDUCE"] if record is _RECORDS[2] else [])
    nested = plain(_RECORDS[2])
    assert nested[4] == (2011, 5, None) and nested[6] == (
        ("grp:w", "perpetrator"),
        ("per:ola", "victim"),
    )


def test_a_records_descriptions_are_read_in_one_call_with_their_documents_and_files() -> None:
    stored = [
        (f"doc:{n}", f"ann/{n}.yaml", parsed_data(record, n))
        for n, record in enumerate(_RECORDS[1:7])
    ]
    found = descriptions_values(stored)
    assert found == [
        (record, (f"ann/{n}.yaml", n, None), f"doc:{n}") for n, record in enumerate(_RECORDS[1:7])
    ]
    assert [type(r) for r, _, _ in found] == [type(r) for r in _RECORDS[1:7]]


def test_a_parsed_description_is_stored_without_its_file() -> None:
    """The file of a parsed description is its row's: not in its data. As a record's data
    (one description), it is the description's data with its file, as if made from the
    objects."""
    shown = "seeds/annotations/a-rather-long-file-name-of-an-annotation-file.yaml"
    for record in _RECORDS[1:7]:
        data = parsed_data(record, 7)
        assert shown.encode() not in data and _globals(data) == _globals(
            description_data(record, Location(shown, 7))
        )
        values, full = parsed_as_description("doc:a", shown, data)
        assert values == (record, (shown, 7, None), "doc:a")
        assert description_of(full) == (record, Location(shown, 7))
        assert full == description_data(record, Location(shown, 7))


def test_statements_are_stored_as_tuples_in_their_order() -> None:
    items = [Statement("r", "p", "b", ("d2",)), Statement("r", "p", "a", ("d1", "d2"), False)]
    data = statements_data(items)
    assert _globals(data) == [] and statements_of(data) == items


def test_a_store_of_the_previous_layout_is_rebuilt_quietly(
    scratch: ScratchWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store written by kg before parsed descriptions were kept without their file (format
    9) is never read: every file is parsed again, with no error and no notice."""
    scratch.annotate(MINI_ANNOTATION)
    schema = load_schema(scratch.root / "schema")
    with monkeypatch.context() as patched:
        patched.setattr(kg.cache, "_FORMAT", 9)
        old = scratch.workspace.build(schema)
    assert old.ok
    parsed: list[object] = []
    real = kg.build.parse_annotation_file

    def spy(*args: object, **kwargs: object) -> object:
        parsed.append(args[3])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.build, "parse_annotation_file", spy)
    new = scratch.workspace.build(schema)
    assert len(parsed) == 2 and new.notices == []
    assert new.graph == old.graph == scratch.workspace.build(schema, cached=False).graph


def test_a_maker_makes_from_values_in_order_what_the_class_makes() -> None:
    """kg.plain.maker: for a class of plain values only (the parse's evidence, participants,
    locations), the object of its values in the fields' order; not for a class holding
    others."""
    for record in (_QUOTE, Participant("grp:w", "perpetrator"), Location("a.yaml", 12)):
        values = tuple(getattr(record, f.name) for f in dataclasses.fields(record))
        made = maker(type(record))(values)
        assert made == record and repr(made) == repr(record) and hash(made) == hash(record)
        assert pickle.dumps(made) == pickle.dumps(record)
    with pytest.raises(AssertionError):
        maker(Entity)

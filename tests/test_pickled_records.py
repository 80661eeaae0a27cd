"""Records pickle as their class name and field values (kg.errors.pickled_by_fields) and
load back as the same objects."""

from __future__ import annotations

import copy
import copyreg
import dataclasses
import io
import pickle
import pickletools

from kg.errors import Location
from kg.model import Evidence
from kg.problems import Problem

from .test_plain import _RECORDS


def _records() -> list[object]:
    return [*_RECORDS, Problem(Location("a.yaml", 12), "bad-date", "no such date", "warning")]


def test_records_load_back_the_same() -> None:
    for record in _records():
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            back = pickle.loads(pickle.dumps(record, protocol))
            assert type(back) is type(record) and back == record and repr(back) == repr(record)
            assert list(vars(back).items()) == list(vars(record).items())  # the fields' order
        assert copy.deepcopy(record) == record and copy.copy(record) == record
        assert dataclasses.astuple(pickle.loads(pickle.dumps(record))) == dataclasses.astuple(
            record
        )
    quote = _records()[0]
    assert hash(pickle.loads(pickle.dumps(quote))) == hash(quote)


def test_a_pickle_names_one_global_and_no_field() -> None:
    entity, location = _records()[1], Location("a.yaml", 3)
    data = pickle.dumps((entity, location), pickle.HIGHEST_PROTOCOL)
    strings = [arg for op, arg, _ in pickletools.genops(data) if isinstance(arg, str)]
    assert strings.count("kg.errors") == 1 and "Evidence" in strings
    assert not {"id", "evidence", "quote", "file", "kg.model"} & set(strings)


class _DefaultPickler(pickle.Pickler):
    """Pickles objects as Python's default does: class, then the ``__dict__``."""

    def reducer_override(self, obj: object) -> object:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return copyreg.__newobj__, (type(obj),), dict(vars(obj))
        return NotImplemented


def test_pickles_of_the_default_form_still_load() -> None:
    """A store written before holds records pickled the default way."""
    for record in _records():
        out = io.BytesIO()
        _DefaultPickler(out, pickle.HIGHEST_PROTOCOL).dump(record)
        assert b"quote" in out.getvalue() or not isinstance(record, Evidence)
        assert pickle.loads(out.getvalue()) == record

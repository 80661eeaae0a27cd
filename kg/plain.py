"""Records as plain tuples of builtins, and back: what the build store keeps of each
description and statement (pickled with no object, class or callback of kg in them).

A record (entity, incident, claim, relation; a statement, a location) is the tuple of its
class's name and its field values, in the fields' order; a field whose type is such a class
(``PartialDate | None``), or a tuple of one (``tuple[Evidence, ...]``), holds that object's
field values as a tuple (no name: the field's type says the class). Any other value is kept
as it is (a mapping of properties, which may hold a date, pickles that date by its fields:
see :func:`kg.errors.pickled_by_fields`).

Both ways are made once per class from its dataclass fields and their types (code made as
:mod:`dataclasses` makes its methods): one call flattens or rebuilds a record, its evidence
and dates with it (a class of plain values only is flattened by ``operator.attrgetter``, at
C speed), where pickling each object by its fields called back once per object. Measured on
30,000 of a 3,000-article build's descriptions: dumped in 573 M instructions instead of
1,000 M, loaded in 679 M instead of 1,043 M (the merge's way, its location left as values),
the pickles a sixth smaller. An object is rebuilt as the pickle of its fields loads it (its
``__post_init__`` not run again: the values were checked when it was made), equal to the one
flattened, with the same fields in the same order.

>>> from kg.errors import Location
>>> plain(Location("a.yaml", 3))
('Location', 'a.yaml', 3, None)
>>> from_plain(plain(Location("a.yaml", 3)))
Location(file='a.yaml', line=3, key=None)
"""

from __future__ import annotations

import operator
import pickle
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import Any, TypeVar

from kg.dates import PartialDate
from kg.errors import Location
from kg.model import Claim, Entity, Evidence, Incident, Participant, Relation, Statement

__all__ = [
    "description_data",
    "description_of",
    "descriptions_values",
    "from_plain",
    "maker",
    "parsed_as_description",
    "parsed_data",
    "plain",
    "statements_data",
    "statements_of",
]

_T = TypeVar("_T")
_CLASSES: tuple[type, ...] = (Location, PartialDate, Evidence, Participant)
_CLASSES += (Entity, Incident, Claim, Relation, Statement)
"""The classes kept as plain tuples, each after those its fields hold."""

_FLAT: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
"""Each class's values as a tuple (no name): of an object held by another's field."""
_PLAIN: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
"""Each class's name and values as a tuple."""
_MAKE: dict[type, Callable[[tuple[Any, ...]], Any]] = {}
"""Each class's object from its values (no name)."""
_MADE: dict[str, Callable[[tuple[Any, ...]], Any]] = {}
"""Each class's object from its name and values, by the name."""


def _held(hint: Any) -> tuple[type | None, bool, bool]:
    """The class of ``_CLASSES`` a field's type holds, if any: (it, optional, a tuple of them)."""
    optional = False
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        kinds = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = len(kinds) < len(typing.get_args(hint))
        if len(kinds) != 1:
            return None, False, False
        hint = kinds[0]
    if hint in _MAKE:
        return hint, optional, False
    args = typing.get_args(hint)
    many = typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis
    if many and args[0] in _MAKE and not optional:
        return args[0], False, True
    return None, False, False


def _codecs(cls: type) -> None:
    """Make the four functions of ``cls`` (see ``_FLAT``, ``_PLAIN``, ``_MAKE``, ``_MADE``)."""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls, "tuple": tuple, "map": map}
    flats, fixes = [], []
    for name in names:
        held, optional, many = _held(hints[name])
        if held is None:
            flats.append(f"o.{name}")
            continue
        scope[f"f_{name}"], scope[f"m_{name}"] = _FLAT[held], _MAKE[held]
        if many:
            flats.append(f"tuple(map(f_{name}, o.{name}))")
            fixes.append(f" d[{name!r}] = tuple(map(m_{name}, d[{name!r}]))\n")
        elif optional:
            flats.append(f"(None if o.{name} is None else f_{name}(o.{name}))")
            fixes.append(f" if d[{name!r}] is not None: d[{name!r}] = m_{name}(d[{name!r}])\n")
        else:
            flats.append(f"f_{name}(o.{name})")
            fixes.append(f" d[{name!r}] = m_{name}(d[{name!r}])\n")
    scope["name"] = cls.__name__
    targets = ", ".join(f"d[{n!r}]" for n in names)
    code = f"def flat(o):\n return ({', '.join(flats)},)\n"
    code += f"def plain(o):\n return (name, {', '.join(flats)})\n"
    for maker, head in (("make", ""), ("made", "_, ")):
        code += f"def {maker}(values):\n o = new(cls)\n d = o.__dict__\n"
        code += f" {head}{targets} = values\n{''.join(fixes)} return o\n"
    exec(code, scope)  # the field names of a dataclass: identifiers
    # A class of plain values only is flattened at C speed.
    _FLAT[cls] = scope["flat"] if fixes else operator.attrgetter(*names)
    _PLAIN[cls], _MAKE[cls], _MADE[cls.__name__] = scope["plain"], scope["make"], scope["made"]


for _cls in _CLASSES:
    _codecs(_cls)


def plain(obj: Any) -> tuple[Any, ...]:
    """An object of one of the classes above as its class's name and its values."""
    return _PLAIN[type(obj)](obj)


def from_plain(values: tuple[Any, ...]) -> Any:
    """The object :func:`plain` made ``values`` of."""
    return _MADE[values[0]](values)


def maker(cls: type[_T]) -> Callable[[tuple[Any, ...]], _T]:
    """An object of ``cls`` from all its field values, in their order, as :func:`from_plain`
    makes it (its ``__post_init__`` not run): twice as fast as keywords, for a class whose
    fields hold no other class of ``_CLASSES`` (Location, Evidence, Participant)."""
    assert _FLAT[cls].__class__ is operator.attrgetter, f"{cls.__name__} holds other objects"
    return _MAKE[cls]


def description_data(record: Any, where: Location) -> bytes:
    """The stored form of a record and where a file gives it (a merged record's: a parsed
    description's is :func:`parsed_data`)."""
    return pickle.dumps((_PLAIN[type(record)](record), _FLAT[Location](where)), _PROTOCOL)


def description_of(data: bytes) -> tuple[Any, Location]:
    """The record and location :func:`description_data` stored as ``data``."""
    record, where = _loads(data)
    return _MADE[record[0]](record), _make_location(where)


def parsed_data(record: Any, line: int | None) -> bytes:
    """The stored form of a description as its file gives it: the record and its line
    (the file is the row's, see :func:`descriptions_values`: not repeated in every row)."""
    return pickle.dumps((_PLAIN[type(record)](record), line), _PROTOCOL)


def parsed_as_description(
    doc: str, shown: str, data: bytes
) -> tuple[tuple[Any, tuple[str, int | None, None], str], bytes]:
    """What :func:`descriptions_values` gives of the one description :func:`parsed_data`
    stored as ``data`` (given by file ``shown``, of document ``doc``), and its
    :func:`description_data` (its plain values dumped again, not made from the objects)."""
    record, line = _loads(data)
    at = (shown, line, None)
    return (_MADE[record[0]](record), at, doc), pickle.dumps((record, at), _PROTOCOL)


def descriptions_values(
    found: Iterable[tuple[str, str, bytes]],
) -> list[tuple[Any, tuple[str, int | None, None], str]]:
    """For each (document, file, ``data``) of ``found``: the record :func:`parsed_data`
    stored as ``data``, the values of its location in that file (``Location(*values)``:
    made by the merge only for a problem it reports), and the document (one call for a
    record's descriptions, not one per description)."""
    loads, made = _loads, _MADE
    out = []
    for doc, shown, data in found:
        record, line = loads(data)
        out.append((made[record[0]](record), (shown, line, None), doc))
    return out


def statements_data(items: Iterable[Statement]) -> bytes:
    """The stored form of statements (in their order)."""
    return pickle.dumps([_flat_statement(s) for s in items], _PROTOCOL)


def statements_of(data: bytes) -> list[Statement]:
    """The statements :func:`statements_data` stored as ``data``."""
    return list(map(_make_statement, _loads(data)))


_PROTOCOL = pickle.HIGHEST_PROTOCOL
_loads = pickle.loads
_make_location = _MAKE[Location]
_flat_statement, _make_statement = _FLAT[Statement], _MAKE[Statement]

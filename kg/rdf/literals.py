"""Typed literals for property values: dates by precision, numbers, booleans, strings."""

from __future__ import annotations

import math

from rdflib import Literal, URIRef

from kg.dates import PartialDate
from kg.errors import DateError, InputError
from kg.rdf.namespaces import XSD

__all__ = [
    "DATE_TYPES",
    "Scalar",
    "datatype_of",
    "date_literal",
    "lexical_form",
    "literal_value",
    "value_literal",
]

Scalar = str | int | float | bool | PartialDate

DATE_TYPES: dict[str, URIRef] = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
"""The XSD datatype for each date precision: a year is never typed as xsd:date."""

_DOUBLE = XSD.double

_DATATYPES_OF_PROPERTY = {
    "string": XSD.string,
    "text": XSD.string,
    "integer": XSD.integer,
    "number": XSD.double,
    "boolean": XSD.boolean,
    "url": XSD.anyURI,
}


def date_literal(date: PartialDate) -> Literal:
    """A date typed by its precision.

    >>> date_literal(PartialDate(2004, 7, 30)).n3()
    '"2004-07-30"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> date_literal(PartialDate(2004)).n3()
    '"2004"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    return Literal(date.isoformat(), datatype=DATE_TYPES[date.precision])


def _double_lexical(value: float) -> str:
    """The xsd:double lexical form of a float (``repr``, with NaN and INF spelled as XSD does).

    >>> _double_lexical(0.5), _double_lexical(float("-inf")), _double_lexical(1e300)
    ('0.5', '-INF', '1e+300')
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(value)


def value_literal(value: Scalar, property_type: str | None = None) -> Literal:
    """The literal for a scalar value; ``property_type`` (the schema's) picks xsd:anyURI for urls.

    >>> value_literal(0.5).n3()
    '"0.5"^^<http://www.w3.org/2001/XMLSchema#double>'
    >>> value_literal(True).n3()
    '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    >>> value_literal(19).n3(), value_literal("x").n3()
    ('"19"^^<http://www.w3.org/2001/XMLSchema#integer>', '"x"')
    """
    if isinstance(value, PartialDate):
        return date_literal(value)
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(_double_lexical(value), datatype=XSD.double)
    if property_type == "url":
        return Literal(value, datatype=XSD.anyURI)
    return Literal(value)


def lexical_form(literal: Literal) -> str:
    """The lexical form to write: rdflib's, except for doubles where it may say ``nan``."""
    if literal.datatype == _DOUBLE:
        return _double_lexical(float(literal.toPython()))
    return str(literal)


def literal_value(literal: Literal) -> Scalar:
    """The Python value of a literal kg wrote; InputError for a datatype kg never writes.

    >>> literal_value(date_literal(PartialDate(2004, 8)))
    PartialDate(year=2004, month=8, day=None)
    >>> literal_value(value_literal(0.25)), literal_value(Literal("x"))
    (0.25, 'x')
    """
    datatype = literal.datatype
    text = str(literal)
    try:
        if datatype in DATE_TYPES.values():
            date = PartialDate.from_iso(text)
            if DATE_TYPES[date.precision] != datatype:
                raise DateError(f"{text!r} does not match its datatype")
            return date
        if datatype is None or datatype in (XSD.string, XSD.anyURI):
            return text
        if datatype == XSD.boolean:
            return bool(literal.toPython())
        if datatype in (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger):
            return int(text)
        if datatype in (XSD.double, XSD.float, XSD.decimal):
            return float(text)
    except (ValueError, DateError) as exc:
        raise InputError(f"bad literal {literal.n3()}: {exc}") from None
    raise InputError(f"unexpected datatype <{datatype}> in literal {literal.n3()}")


def datatype_of(property_type: str) -> URIRef | None:
    """The XSD datatype of a schema property type (None for dates, refs and vocabularies)."""
    return _DATATYPES_OF_PROPERTY.get(property_type)

"""Values of annotation items: typed by the schema, references resolved, quotes located."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from kg.dates import PartialDate, parse_date
from kg.errors import DateError, KgError, Location
from kg.model import Document, Evidence, Value
from kg.plain import maker
from kg.problems import Problem
from kg.schema import PropertySpec, Schema
from kg.text import find_quote, normalise_quotes
from kg.yamlio import LineDict

__all__ = ["Invalid", "Resolver", "ValueParser", "made"]

Resolver = Callable[[str], tuple[str, str] | str]
"""Maps a reference (id, name or alias) to ``(id, type)``, or to an error message."""


_TEXT = frozenset({"string", "text"})
_EVIDENCE_KEYS = {"quote", "occurrence", "start", "end", "source"}
_SINGLE: dict[PropertySpec, PropertySpec] = {}
"""The one-value spec of each list-valued property spec."""
_DATES: dict[str, PartialDate] = {}
"""Dates as written that name their year, parsed: the same few recur in every file."""
_RELATIVE_DATES: dict[tuple[str, int, int | None], PartialDate] = {}
"""Dates as written without a year ("July 30"), parsed, by the year and month of the article's
date (all of it that :func:`kg.dates.parse_date` reads)."""
_TEXT_VALUE, _VOCAB_VALUE, _REF_VALUE, _OTHER_VALUE = range(4)
_PRESENT: dict[
    tuple[int, int, str | None, tuple[str, ...]],
    tuple[object, object, list[tuple[str, PropertySpec, int, Any]]],
] = {}
"""The specs (in their order, less those skipped) of the keys an item gives, each with how its
value is read (one text, a term of a vocabulary with those terms, one reference, else through
``value``), by the ids of the specs and the skipped names, the kinds and the item's keys:
items of one type give the same few sets of keys, so each set is worked out once."""


_EVIDENCE = maker(Evidence)
_T = TypeVar("_T")
_new = object.__new__


def made(cls: type[_T], **fields: Any) -> _T:
    """A frozen dataclass record made from all its ``fields`` (given in their order): the
    same object as ``cls(**fields)`` (fields, equality, repr, pickle), made in half the time
    (the generated ``__init__`` sets each field through ``object.__setattr__``)."""
    record = _new(cls)
    record.__dict__.update(fields)
    return record


def _dated(raw: str, reference: PartialDate | None) -> PartialDate:
    """``parse_date(raw, reference)``, remembered: by ``raw`` alone when it parses without a
    reference (its year is written), else by ``raw`` and the reference's year and month."""
    if reference is None:
        date = _DATES[raw] = parse_date(raw)
        return date
    key = (raw, reference.year, reference.month)
    known = _RELATIVE_DATES.get(key)
    if known is not None:
        return known
    try:
        date = _DATES[raw] = parse_date(raw)
    except DateError:
        date = _RELATIVE_DATES[key] = parse_date(raw, reference)
    return date


class Invalid(Exception):
    """One item is invalid; the problem is already recorded."""


class ValueParser:
    """Typed values, references and located evidence of one file's items; problems collected."""

    def __init__(self, schema: Schema, doc: Document, shown: str, resolve: Resolver) -> None:
        self.schema, self.doc, self.shown, self.resolve = schema, doc, shown, resolve
        self.problems: list[Problem] = []
        self._normalised: str | None = None
        self._resolved: dict[str, tuple[str, str] | str] = {}

    @property
    def normalised_text(self) -> str:
        """The article with quotes and spaces normalised, computed once per file (not per quote)."""
        if self._normalised is None:
            self._normalised = normalise_quotes(self.doc.text)
        return self._normalised

    # -- reporting ------------------------------------------------------------------------------
    def loc(self, item: LineDict, key: str | None = None, path: str | None = None) -> Location:
        return Location(self.shown, item.line_of(key) if key else item.line, path)

    def fail(self, item: LineDict, key: str | None, code: str, message: str) -> Invalid:
        self.problems.append(Problem(self.loc(item, key), code, message))
        return Invalid()

    # -- values ---------------------------------------------------------------------------------
    def resolved(self, ref: str) -> tuple[str, str] | str:
        """``resolve(ref)``, asked once per file for each reference (a file repeats them)."""
        found = self._resolved.get(ref)
        if found is None:
            found = self._resolved[ref] = self.resolve(ref)
        return found

    def check_keys(self, item: LineDict, allowed: set[str], what: str) -> None:
        if allowed.issuperset(item):
            return
        for key in item:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                raise self.fail(
                    item, key, "unknown-key", f"unknown key {key!r} for {what} (allowed: {hint})"
                )

    def ref(self, item: LineDict, key: str, value: object, allowed: tuple[str, ...]) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(
                item, key, "bad-reference", f"'{key}' must be an id, name or alias, not {value!r}"
            )
        ref = value.strip()
        found = self._resolved.get(ref)
        if found is None:
            found = self._resolved[ref] = self.resolve(ref)
        if isinstance(found, str):
            raise self.fail(item, key, "dangling-reference", f"'{key}': {found}")
        ref_id, ref_type = found
        if allowed and ref_type not in allowed:
            raise self.fail(
                item,
                key,
                "forbidden-type",
                f"'{key}' refers to {ref_id} ({ref_type}); allowed: {', '.join(allowed)}",
            )
        return ref_id

    def value(
        self, item: LineDict, spec: PropertySpec, raw: object, vocabulary: str | None = None
    ) -> Value:
        kind = spec.type
        if type(raw) is str and kind in _TEXT and not spec.list:
            return raw.strip()  # the common case, first
        key = spec.name
        if spec.list:
            if kind in _TEXT and type(raw) is list:  # the common case: a list of strings
                texts = [v.strip() for v in raw if type(v) is str]
                if len(texts) == len(raw):
                    return tuple(texts)
            values = raw if isinstance(raw, list) else [raw]
            if kind == "ref":  # as ``value`` reads each one, without the one-value spec
                return tuple([self.ref(item, key, v, spec.range) for v in values])
            single = _SINGLE.get(spec)
            if single is None:
                single = _SINGLE[spec] = PropertySpec(
                    spec.name, spec.type, range=spec.range, vocabulary=spec.vocabulary
                )
            converted = [self.value(item, single, v, vocabulary) for v in values]
            return tuple(str(v) for v in converted)
        try:
            if kind == "ref":
                return self.ref(item, key, raw, spec.range)
            if kind == "vocab" and type(raw) is str:
                terms = self.schema.vocabularies.get(vocabulary or spec.vocabulary or "")
                if terms is not None and raw in terms.terms:
                    return raw
            if kind in ("string", "text"):
                if isinstance(raw, bool) or not isinstance(raw, str | int | float):
                    raise self.fail(
                        item, key, "wrong-type", f"'{key}' must be text, not {type(raw).__name__}"
                    )
                return str(raw).strip()
            if kind == "integer":
                if isinstance(raw, bool) or not isinstance(raw, int):
                    raise self.fail(
                        item, key, "wrong-type", f"'{key}' must be a whole number, not {raw!r}"
                    )
                return raw
            if kind == "number":
                if isinstance(raw, bool) or not isinstance(raw, int | float):
                    raise self.fail(
                        item, key, "wrong-type", f"'{key}' must be a number, not {raw!r}"
                    )
                return raw
            if kind == "boolean":
                if not isinstance(raw, bool):
                    raise self.fail(
                        item, key, "wrong-type", f"'{key}' must be true or false, not {raw!r}"
                    )
                return raw
            if kind == "date":
                if not isinstance(raw, str):
                    return parse_date(raw, self.doc.date)
                known = _DATES.get(raw)
                return known if known is not None else _dated(raw, self.doc.date)
            if kind == "url":
                if not isinstance(raw, str) or not raw.startswith(("http://", "https://")):
                    raise self.fail(
                        item, key, "wrong-type", f"'{key}' must be an http(s) URL, not {raw!r}"
                    )
                return raw
            if kind == "ref":
                return self.ref(item, key, raw, spec.range)
            vocab_name = vocabulary or spec.vocabulary
            assert vocab_name is not None
            vocab = self.schema.vocabulary(vocab_name)
            if raw not in vocab:
                raise self.fail(
                    item,
                    key,
                    "unknown-term",
                    f"'{key}': {raw!r} is not in {vocab_name} ({', '.join(vocab.terms)})",
                )
            return str(raw)
        except KgError as exc:
            raise self.fail(
                item, key, "bad-date" if kind == "date" else "bad-value", f"'{key}': {exc.message}"
            ) from None

    def properties(
        self,
        item: LineDict,
        specs: Mapping[str, PropertySpec],
        skip: frozenset[str],
        kinds: str | None = None,
    ) -> dict[str, Value]:
        result: dict[str, Value] = {}
        cache_key = (id(specs), id(skip), kinds, tuple(item))
        present = _PRESENT.get(cache_key)
        if present is None or present[0] is not specs or present[1] is not skip:
            if len(_PRESENT) > 4096:
                _PRESENT.clear()
            wanted = [
                (n, s, *self.reading(s, kinds if n == "kind" else None))
                for n, s in specs.items()
                if n in item and n not in skip
            ]
            present = _PRESENT[cache_key] = (specs, skip, wanted)
        for name, spec, how, terms in present[2]:
            raw = item[name]
            if type(raw) is str and how != _OTHER_VALUE:  # the common cases, read as ``value``
                if how == _TEXT_VALUE:
                    if raw:
                        result[name] = raw.strip()
                    continue
                if not raw:
                    continue  # required properties are checked on the merged record
                if how == _REF_VALUE:
                    result[name] = self.ref(item, spec.name, raw, spec.range)
                    continue
                if raw in terms:
                    result[name] = raw
                    continue
            if raw is None or raw == "" or (type(raw) is list and not raw):
                continue  # required properties are checked on the merged record
            result[name] = self.value(item, spec, raw, kinds if name == "kind" else None)
        return result

    def reading(self, spec: PropertySpec, vocabulary: str | None) -> tuple[int, Any]:
        """How :meth:`properties` reads a value of ``spec`` (as ``value`` reads it, given
        ``vocabulary``), and a vocabulary's terms."""
        if spec.list:
            return _OTHER_VALUE, None
        if spec.type in _TEXT:
            return _TEXT_VALUE, None
        if spec.type == "ref":
            return _REF_VALUE, None
        if spec.type == "vocab":
            terms = self.schema.vocabularies.get(vocabulary or spec.vocabulary or "")
            if terms is not None:
                return _VOCAB_VALUE, terms.terms
        return _OTHER_VALUE, None

    def _quote_alone(self, entry: object) -> Evidence | None:
        """The evidence of an entry that is a quote alone found in the article (the common
        case); None for any other entry (the checks of :meth:`evidence` say what is wrong)."""
        if type(entry) is not LineDict or len(entry) != 1:
            return None
        quote = entry.get("quote")
        if not isinstance(quote, str) or not quote:
            return None
        position = self.doc.text.find(quote)
        if position < 0:
            return None
        # Evidence(document, start, end, quote, source), as ``made`` makes it
        return _EVIDENCE((self.doc.id, position, position + len(quote), quote, None))

    def evidence(self, item: LineDict, *, required: bool) -> tuple[Evidence, ...]:
        raw = item.get("evidence")
        if raw is None or (type(raw) is list and not raw):
            if required:
                raise self.fail(
                    item,
                    None,
                    "missing-evidence",
                    "evidence is required: add a quote from the article",
                )
            return ()
        entries = raw if isinstance(raw, list) else [raw]
        result = []
        for entry in entries:
            alone = self._quote_alone(entry)
            if alone is not None:
                result.append(alone)
                continue
            where = entry if isinstance(entry, LineDict) else item
            if isinstance(entry, str):
                entry = {"quote": entry}
            if (
                not isinstance(entry, dict)
                or not isinstance(entry.get("quote"), str)
                or not entry["quote"]
            ):
                raise self.fail(
                    where,
                    "evidence" if where is item else None,
                    "bad-evidence",
                    "evidence items need a non-empty 'quote'",
                )
            if isinstance(entry, LineDict):
                self.check_keys(entry, _EVIDENCE_KEYS, "evidence")
            result.append(self.locate(where, entry))
        return tuple(result) if len(result) == 1 else tuple(sorted(set(result)))

    def locate(self, where: LineDict, entry: Mapping[str, Any]) -> Evidence:
        quote, text = entry["quote"], self.doc.text
        occurrence = entry.get("occurrence", 1)
        start = entry.get("start")
        if isinstance(start, int) and not isinstance(start, bool):
            position: int | None = start if text.startswith(quote, start) else None
            if position is None:
                raise self.fail(
                    where, "start", "bad-offset", f"quote is not at offset {start} in {self.doc.id}"
                )
        elif not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1:
            raise self.fail(
                where, "occurrence", "bad-value", "'occurrence' must be a whole number >= 1"
            )
        else:
            position = find_quote(text, quote, occurrence)
        if position is None:
            near = self.normalised_text.find(normalise_quotes(quote))
            hint = (
                " (it matches once quote marks and spaces are normalised: copy the article's exact"
                " characters, e.g. ’ and “ ”)"
                if near >= 0
                else ""
            )
            raise self.fail(
                where,
                "quote",
                "quote-not-found",
                f"quote not found in {self.doc.id}: {quote[:60]!r}{hint}",
            )
        end = position + len(quote)
        if "end" in entry and entry["end"] != end:
            raise self.fail(
                where, "end", "bad-offset", f"'end' is {entry['end']} but the quote ends at {end}"
            )
        source = None
        if entry.get("source") is not None:
            source = self.ref(where, "source", entry["source"], ("Source",))
        return Evidence(self.doc.id, position, end, quote, source)

    def record_id(self, item: LineDict, prefix: str, default: str | None) -> str:
        """The item's ``id`` (``default`` None), or ``default`` (made when it gives none: no
        function made per item, whose closure would slow every use of the values it holds)."""
        given = item["id"] if default is None else default
        if (
            not isinstance(given, str)
            or not given.startswith(prefix + ":")
            or len(given) <= len(prefix) + 1
            or not given.isprintable()
        ):
            raise self.fail(
                item,
                "id",
                "bad-id",
                f"id {given!r} must look like '{prefix}:some-name' (printable, on one line)",
            )
        return given

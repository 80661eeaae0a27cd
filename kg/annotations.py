"""Turn one annotation file into typed records, collecting every problem with its file:line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.dates import PartialDate, parse_date
from kg.errors import KgError, Location
from kg.ids import make_id, stable_hash
from kg.model import Claim, Document, Entity, Evidence, Incident, Participant, Relation, Value
from kg.problems import Problem
from kg.schema import PropertySpec, Schema
from kg.text import find_quote, normalise_quotes
from kg.yamlio import LineDict

__all__ = ["SECTIONS", "FileRecords", "Resolver", "declared_records", "parse_annotation_file"]

SECTIONS = ("entities", "incidents", "claims", "relations")
_ENTITY_KEYS = {"id", "type", "evidence"}
_INCIDENT_KEYS = {"id", "kind", "participants", "evidence", "description", "note"}
_CLAIM_KEYS = {"id", "evidence", "note"}
_RELATION_KEYS = {"id", "type", "source", "target", "evidence", "note"}

Resolver = Callable[[str], tuple[str, str] | str]
"""Maps a reference (id, name or alias) to ``(id, type)``, or to an error message."""


class _Invalid(Exception):
    """Internal: one item is invalid; the problem is already recorded."""


@dataclass
class FileRecords:
    """What one annotation file contributes, and what is wrong with it."""

    shown: str
    document: Document | None = None
    entities: list[tuple[Entity, Location]] = field(default_factory=list)
    incidents: list[tuple[Incident, Location]] = field(default_factory=list)
    claims: list[tuple[Claim, Location]] = field(default_factory=list)
    relations: list[tuple[Relation, Location]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _section(raw: LineDict, name: str) -> list[Any]:
    """The items of a section, or none when it is not a list (parsing reports that)."""
    items = raw.get(name)
    return items if isinstance(items, list) else []


def declared_records(raw: LineDict, schema: Schema) -> list[tuple[str, str, list[str]]]:
    """``(id, type, names)`` of each well-formed entity item and of each incident with an id.

    References are resolved against these before any item is parsed, so files may refer to
    each other's records; an incident can be referred to only through an explicit ``id``.
    """
    found: list[tuple[str, str, list[str]]] = []
    for item in _section(raw, "incidents"):
        if isinstance(item, LineDict) and isinstance(item.get("id"), str):
            found.append((item["id"], "Incident", []))
    for item in _section(raw, "entities"):
        type_name = item.get("type") if isinstance(item, LineDict) else None
        if not isinstance(type_name, str) or type_name not in schema.types:
            continue
        etype = schema.types[type_name]
        name = item.get("name")
        if etype.category != "entity" or not isinstance(name, str) or not name.strip():
            continue
        aliases = item.get("aliases") or []
        names = (
            [name] + [a for a in aliases if isinstance(a, str)]
            if isinstance(aliases, list)
            else [name]
        )
        given = item.get("id")
        entity_id = given if isinstance(given, str) else make_id(etype.prefix, name)
        found.append((entity_id, etype.name, names))
    return found


class _FileParser:
    def __init__(self, schema: Schema, doc: Document, shown: str, resolve: Resolver) -> None:
        self.schema, self.doc, self.shown, self.resolve = schema, doc, shown, resolve
        self.problems: list[Problem] = []
        self._normalised: str | None = None

    @property
    def normalised_text(self) -> str:
        """The article with quotes and spaces normalised, computed once per file (not per quote)."""
        if self._normalised is None:
            self._normalised = normalise_quotes(self.doc.text)
        return self._normalised

    # -- reporting ------------------------------------------------------------------------------
    def loc(self, item: LineDict, key: str | None = None, path: str | None = None) -> Location:
        return Location(self.shown, item.line_of(key) if key else item.line, path)

    def fail(self, item: LineDict, key: str | None, code: str, message: str) -> _Invalid:
        self.problems.append(Problem(self.loc(item, key), code, message))
        return _Invalid()

    # -- values ---------------------------------------------------------------------------------
    def check_keys(self, item: LineDict, allowed: set[str], what: str) -> None:
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
        found = self.resolve(value.strip())
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
        key = spec.name
        if spec.list:
            values = raw if isinstance(raw, list) else [raw]
            single = PropertySpec(
                spec.name, spec.type, range=spec.range, vocabulary=spec.vocabulary
            )
            converted = [self.value(item, single, v, vocabulary) for v in values]
            return tuple(str(v) for v in converted)
        kind = spec.type
        try:
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
                return parse_date(raw, self.doc.date)
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
        skip: set[str],
        kinds: str | None = None,
    ) -> dict[str, Value]:
        result: dict[str, Value] = {}
        for name, spec in specs.items():
            if name in skip:
                continue
            raw = item.get(name)
            if raw is None or raw == [] or raw == "":
                if spec.required:
                    raise self.fail(
                        item, None, "missing-property", f"required property '{name}' is missing"
                    )
                continue
            result[name] = self.value(item, spec, raw, kinds if name == "kind" else None)
        return result

    def evidence(self, item: LineDict, *, required: bool) -> tuple[Evidence, ...]:
        raw = item.get("evidence")
        if raw is None or raw == []:
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
                self.check_keys(
                    entry, {"quote", "occurrence", "start", "end", "source"}, "evidence"
                )
            result.append(self.locate(where, entry))
        return tuple(sorted(set(result)))

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

    def record_id(self, item: LineDict, prefix: str, default: str) -> str:
        given = item.get("id", default)
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

    # -- items ----------------------------------------------------------------------------------
    def entity(self, item: LineDict) -> Entity:
        type_name = item.get("type")
        etype = self.schema.types.get(type_name) if isinstance(type_name, str) else None
        if etype is None or etype.category != "entity":
            known = ", ".join(t.name for t in self.schema.entity_types)
            raise self.fail(
                item, "type", "unknown-type", f"unknown entity type {type_name!r} (known: {known})"
            )
        specs = self.schema.properties_of(etype.name)
        self.check_keys(item, _ENTITY_KEYS | set(specs), etype.name)
        if "kind" in item and not etype.kinds:
            raise self.fail(item, "kind", "unknown-key", f"{etype.name} has no kinds")
        props = self.properties(item, specs, set(), etype.kinds)
        name = str(props.pop("name"))
        raw_aliases = props.pop("aliases", ())
        listed = raw_aliases if isinstance(raw_aliases, tuple) else ()
        aliases = tuple(dict.fromkeys(a for a in listed if a != name))
        entity_id = self.record_id(item, etype.prefix, make_id(etype.prefix, name))
        text = {k: str(props.pop(k)) for k in ("kind", "description", "note") if k in props}
        return Entity(
            entity_id,
            etype.name,
            name,
            aliases,
            text.get("kind"),
            text.get("description"),
            text.get("note"),
            props,
            self.evidence(item, required=False),
        )

    def incident(self, item: LineDict) -> Incident:
        specs = self.schema.properties_of("Incident")
        self.check_keys(item, _INCIDENT_KEYS | set(specs), "Incident")
        kind = self.value(
            item, PropertySpec("kind", "vocab", vocabulary="incident_kinds"), item.get("kind")
        )
        props = self.properties(item, specs, set())
        participants = []
        raw_participants = item.get("participants") or []
        if not isinstance(raw_participants, list):
            raise self.fail(item, "participants", "wrong-type", "'participants' must be a list")
        for entry in raw_participants:
            if not isinstance(entry, LineDict):
                raise self.fail(
                    item, "participants", "wrong-type", "participants are {entity, role} mappings"
                )
            self.check_keys(entry, {"entity", "role"}, "participant")
            entity = self.ref(entry, "entity", entry.get("entity"), self.schema.entity_types_names)
            role = self.value(
                entry, PropertySpec("role", "vocab", vocabulary="roles"), entry.get("role")
            )
            participants.append(Participant(entity, str(role)))
        date, place = _date(props.pop("date", None)), _opt(props.pop("place", None))
        default = make_id("inc", str(date or "undated"), str(kind), str(place or ""))
        return Incident(
            id=self.record_id(item, "inc", default),
            kind=str(kind),
            title=str(props.pop("title")),
            date=date,
            place=place,
            participants=tuple(sorted(set(participants))),
            evidence=self.evidence(item, required=True),
            description=_text(item.get("description")),
            note=_text(item.get("note")),
        )

    def claim(self, item: LineDict) -> Claim:
        specs = self.schema.properties_of("Claim")
        self.check_keys(item, _CLAIM_KEYS | set(specs), "Claim")
        props = self.properties(item, specs, set())
        speaker, content, date = (
            str(props["speaker"]),
            str(props["content"]),
            _date(props.get("date")),
        )
        default = make_id(
            "clm", speaker.split(":")[-1], str(date or ""), stable_hash(content, length=8)
        )
        about = props.get("about", ())
        return Claim(
            id=self.record_id(item, "clm", default),
            speaker=speaker,
            stance=str(props["stance"]),
            content=content,
            about=tuple(about) if isinstance(about, tuple) else (str(about),),
            date=date,
            source=_opt(props.get("source")),
            status=_opt(props.get("status")),
            evidence=self.evidence(item, required=True),
            note=_text(item.get("note")),
        )

    def relation(self, item: LineDict) -> Relation:
        rel_name = item.get("type")
        rel = self.schema.relations.get(rel_name) if isinstance(rel_name, str) else None
        if rel is None:
            raise self.fail(
                item,
                "type",
                "unknown-relation",
                f"unknown relation type {rel_name!r} (known: {', '.join(self.schema.relations)})",
            )
        specs = {**self.schema.relation_properties, **rel.properties}
        self.check_keys(item, _RELATION_KEYS | set(specs), f"relation {rel.name}")
        source = self.ref(item, "source", item.get("source"), ())
        target = self.ref(item, "target", item.get("target"), ())
        for end, ref_id, allowed in (
            ("source", source, rel.source),
            ("target", target, rel.target),
        ):
            found = self.resolve(ref_id)
            ref_type = found[1] if isinstance(found, tuple) else "?"
            if ref_type not in allowed:
                raise self.fail(
                    item,
                    end,
                    "forbidden-pair",
                    f"{rel.name} does not allow {ref_type} as {end} ({ref_id});"
                    f" allowed: {', '.join(allowed)}",
                )
        props = self.properties(item, specs, {"note"})
        ends = sorted((source, target)) if rel.symmetric else [source, target]
        default = f"rel:{rel.name}:{stable_hash(rel.name, *ends)}"
        given = item.get("id", default)
        if not isinstance(given, str) or not given.startswith("rel:") or not given.isprintable():
            raise self.fail(
                item, "id", "bad-id", f"relation id {given!r} must start with 'rel:' (one line)"
            )
        return Relation(
            given,
            rel.name,
            source,
            target,
            props,
            self.evidence(item, required=rel.evidence_required),
            _text(item.get("note")),
        )


def _text(value: object) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _date(value: object) -> PartialDate | None:
    return value if isinstance(value, PartialDate) else None


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def parse_annotation_file(
    raw: LineDict, schema: Schema, doc: Document, shown: str, resolve: Resolver
) -> FileRecords:
    """Parse every item of one annotation file; invalid items become problems, not records."""
    parser = _FileParser(schema, doc, shown, resolve)
    records = FileRecords(shown, doc)
    handlers: dict[str, Callable[[LineDict], Any]] = {
        "entities": parser.entity,
        "incidents": parser.incident,
        "claims": parser.claim,
        "relations": parser.relation,
    }
    for section, handler in handlers.items():
        items = raw.get(section) or []
        if not isinstance(items, list):
            parser.problems.append(
                Problem(
                    Location(shown, raw.line_of(section)),
                    "wrong-type",
                    f"'{section}' must be a list",
                )
            )
            continue
        target: list[Any] = getattr(records, section)
        for item in items:
            if not isinstance(item, LineDict):
                parser.problems.append(
                    Problem(
                        Location(shown, raw.line_of(section)),
                        "wrong-type",
                        f"each item of '{section}' must be a mapping",
                    )
                )
                continue
            try:
                target.append((handler(item), Location(shown, item.line)))
            except _Invalid:
                continue
    records.problems.extend(parser.problems)
    return records

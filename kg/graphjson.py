"""The public ``graph.json`` format: the Graph as plain JSON, and back."""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from kg.dates import PartialDate
from kg.errors import InputError, Location
from kg.gcpause import gc_paused
from kg.model import (
    Claim,
    Document,
    Entity,
    Evidence,
    Graph,
    Incident,
    Participant,
    Relation,
    Statement,
    Value,
)
from kg.schema import PropertySpec, Schema

__all__ = [
    "FORMAT",
    "Sentences",
    "graph_from_dict",
    "graph_to_dict",
    "read_graph_json",
    "record_texts",
    "statement_texts",
    "write_graph_json",
]

FORMAT = {"name": "kg-graph", "version": 1}


def compact_encoder() -> Callable[[Any], str]:
    """``json.JSONEncoder(ensure_ascii=False).encode`` of a JSON-ready value (the same text),
    its C encoder made once, not once per call (a record's text made in three quarters of
    the time: each item of graph.json, and each statement, is encoded on its own)."""
    made = c_make_encoder
    if made is None:  # (a Python without the C accelerator)
        return json.JSONEncoder(ensure_ascii=False).encode
    encoder = json.JSONEncoder(ensure_ascii=False)
    chunks = made(
        None,  # no check for circular references: the values are trees
        encoder.default,
        encode_basestring,
        None,
        encoder.key_separator,
        encoder.item_separator,
        False,
        False,
        True,
    )
    join = "".join
    return lambda value: join(chunks(value, 0))


def _statement(s: Statement) -> dict[str, Any]:
    """A statement as graph.json writes it."""
    return {
        "record": s.record,
        "property": s.property,
        "value": s.value,
        "documents": list(s.documents),
        "chosen": s.chosen,
    }


def _date(date: PartialDate | None) -> dict[str, str | None]:
    return {
        "date": date.isoformat() if date else None,
        "date_precision": date.precision if date else None,
    }


def _value(value: Value) -> Any:
    if isinstance(value, PartialDate):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


class Sentences(dict[str, tuple[list[int], list[tuple[int, int]]] | None]):
    """The sentence starts and spans of each document, listed once (not once per evidence;
    one kept across calls of :func:`record_texts` on the same documents, once per build)."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        super().__init__()
        self.documents = documents

    def __missing__(self, doc_id: str) -> tuple[list[int], list[tuple[int, int]]] | None:
        doc = self.documents.get(doc_id)
        spans = list(doc.sentences) if doc is not None else None
        found = self[doc_id] = ([s for s, _ in spans], spans) if spans is not None else None
        return found


def _evidence(items: tuple[Evidence, ...], sentences: Sentences) -> list[dict[str, Any]]:
    out = []
    for ev in items:
        # The sentence holding the quote's start (as :func:`kg.text.sentence_index`).
        found, sentence, start = sentences[ev.document], None, ev.start
        if found is not None:
            i = _after(found[0], start) - 1
            if i >= 0:
                span = found[1][i]
                if span[0] <= start < span[1]:
                    sentence = i
        entry: dict[str, Any] = {
            "document": ev.document,
            "quote": ev.quote,
            "start": start,
            "end": ev.end,
            "sentence": sentence,
        }
        if ev.source:
            entry["source"] = ev.source
        out.append(entry)
    return out


_after = bisect.bisect_right


def _properties(properties: Mapping[str, Value]) -> dict[str, Any]:
    """A record's properties as graph.json writes them: by name, each value JSON-ready
    (most are text, kept as they are; none at all is the common case)."""
    if not properties:
        return {}
    return {
        k: v if type(v) is str else _value(v)  # (exactly str: a subclass goes through _value)
        for k, v in sorted(properties.items())
    }


def graph_to_dict(graph: Graph, schema: Schema) -> dict[str, Any]:
    """The Graph as JSON-ready data; lists are ordered by id so output is deterministic."""
    return {"format": FORMAT, **{name: list(items) for name, items in _sections(graph, schema)}}


def _sections(
    graph: Graph, schema: Schema, docs: Sentences | None = None
) -> Iterator[tuple[str, Iterable[dict[str, Any]]]]:
    """Each list of graph.json with its items, made one at a time (``docs``: the
    sentences of ``graph.documents``, when already listed)."""
    docs = docs if docs is not None else Sentences(graph.documents)
    kinds = schema.vocabulary("incident_kinds").terms
    yield (
        "documents",
        (
            {
                "id": d.id,
                "title": d.title,
                **_date(d.date),
                "path": d.path,
                "metadata": dict(d.metadata),
                "text": d.text,
                "sentences": [list(s) for s in d.sentences],
            }
            for d in graph.documents.values()
        ),
    )
    yield (
        "entities",
        (
            {
                "id": e.id,
                "type": e.type,
                "name": e.name,
                "aliases": list(e.aliases),
                "kind": e.kind,
                "description": e.description,
                "note": e.note,
                "properties": _properties(e.properties),
                "evidence": _evidence(e.evidence, docs),
            }
            for e in graph.entities.values()
        ),
    )
    yield (
        "incidents",
        (
            {
                "id": i.id,
                "kind": i.kind,
                "cameo": kinds[i.kind].cameo if i.kind in kinds else None,
                "title": i.title,
                **_date(i.date),
                "place": i.place,
                "participants": [{"entity": p.entity, "role": p.role} for p in i.participants],
                "description": i.description,
                "note": i.note,
                "properties": _properties(i.properties),
                "evidence": _evidence(i.evidence, docs),
            }
            for i in graph.incidents.values()
        ),
    )
    yield (
        "claims",
        (
            {
                "id": c.id,
                "speaker": c.speaker,
                "stance": c.stance,
                "content": c.content,
                "about": list(c.about),
                **_date(c.date),
                "source": c.source,
                "status": c.status,
                "note": c.note,
                "properties": _properties(c.properties),
                "evidence": _evidence(c.evidence, docs),
            }
            for c in graph.claims.values()
        ),
    )
    yield (
        "relations",
        (
            {
                "id": r.id,
                "type": r.type,
                "source": r.source,
                "target": r.target,
                "properties": _properties(r.properties),
                "note": r.note,
                "evidence": _evidence(r.evidence, docs),
            }
            for r in graph.relations.values()
        ),
    )
    yield ("statements", map(_statement, graph.statements))


def _read_date(text: object, precision: object = None) -> PartialDate | None:
    if text is None:
        return None
    return PartialDate.from_iso(str(text), str(precision) if precision else None)


def _read_value(spec: PropertySpec | None, raw: Any) -> Value:
    if isinstance(raw, list):
        return tuple(str(v) for v in raw)
    if spec is not None and spec.type == "date":
        date = _read_date(raw)
        assert date is not None
        return date
    return raw  # type: ignore[no-any-return]


def _read_properties(specs: Mapping[str, PropertySpec], raw: Any) -> dict[str, Value]:
    return {k: _read_value(specs.get(k), v) for k, v in (raw or {}).items()}


def _read_evidence(items: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(e["document"], int(e["start"]), int(e["end"]), e["quote"], e.get("source"))
        for e in items
    )


def graph_from_dict(data: Mapping[str, Any], schema: Schema) -> Graph:
    """Rebuild a Graph from ``graph_to_dict`` output (``KeyError``/``ValueError`` if malformed)."""
    with gc_paused():  # hundreds of thousands of acyclic objects: the collector's passes cost half
        return _graph_from_dict(data, schema)


def _graph_from_dict(data: Mapping[str, Any], schema: Schema) -> Graph:
    rel_specs = dict(schema.relation_properties)
    for rel in schema.relations.values():
        rel_specs.update(rel.properties)
    documents = {
        d["id"]: Document(
            d["id"],
            d["title"],
            d["text"],
            tuple((int(s[0]), int(s[1])) for s in d["sentences"]),
            _read_date(d.get("date"), d.get("date_precision")),
            d.get("path"),
            dict(d.get("metadata") or {}),
        )
        for d in data["documents"]
    }
    specs_of = {t: schema.properties_of(t) for t in schema.types}
    incident_specs = next(
        (specs_of[t.name] for t in schema.types.values() if t.category == "incident"), {}
    )
    claim_specs = next(
        (specs_of[t.name] for t in schema.types.values() if t.category == "claim"), {}
    )
    entities = {}
    for e in data["entities"]:
        specs = schema.properties_of(e["type"]) if e["type"] in schema.types else {}
        entities[e["id"]] = Entity(
            e["id"],
            e["type"],
            e["name"],
            tuple(e.get("aliases") or ()),
            e.get("kind"),
            e.get("description"),
            e.get("note"),
            {k: _read_value(specs.get(k), v) for k, v in (e.get("properties") or {}).items()},
            _read_evidence(e.get("evidence") or []),
        )
    incidents = {
        i["id"]: Incident(
            i["id"],
            i["kind"],
            i["title"],
            _read_date(i.get("date"), i.get("date_precision")),
            i.get("place"),
            tuple(Participant(p["entity"], p["role"]) for p in i["participants"]),
            _read_evidence(i["evidence"]),
            i.get("description"),
            i.get("note"),
            _read_properties(incident_specs, i.get("properties")),
        )
        for i in data["incidents"]
    }
    claims = {
        c["id"]: Claim(
            c["id"],
            c["speaker"],
            c["stance"],
            c["content"],
            tuple(c.get("about") or ()),
            _read_date(c.get("date"), c.get("date_precision")),
            c.get("source"),
            c.get("status"),
            _read_evidence(c["evidence"]),
            c.get("note"),
            _read_properties(claim_specs, c.get("properties")),
        )
        for c in data["claims"]
    }
    relations = {
        r["id"]: Relation(
            r["id"],
            r["type"],
            r["source"],
            r["target"],
            {k: _read_value(rel_specs.get(k), v) for k, v in (r.get("properties") or {}).items()},
            _read_evidence(r.get("evidence") or []),
            r.get("note"),
        )
        for r in data["relations"]
    }
    statements = tuple(
        Statement(
            s["record"],
            s["property"],
            str(s["value"]),
            tuple(s["documents"]),
            bool(s.get("chosen", True)),
        )
        for s in data.get("statements") or ()
    )
    return Graph(documents, entities, incidents, claims, relations, statements)


RECORD_SECTIONS = ("entities", "incidents", "claims", "relations")
_ENCODE = compact_encoder()


def record_texts(
    graph: Graph,
    schema: Schema,
    known: Mapping[tuple[str, str], str] | None = None,
    sentences: Sentences | None = None,
) -> dict[tuple[str, str], str]:
    """The graph.json text of each record of ``graph``, by ``(section, id)``.

    ``known`` may give the text of some records, made by this function for these very
    records; only the others are encoded. ``sentences``: :class:`Sentences` of
    ``graph.documents``, kept by a caller that encodes records batch after batch.
    """
    known = known or {}
    texts: dict[tuple[str, str], str] = {}
    left: dict[str, dict[str, Any]] = {}
    for name in RECORD_SECTIONS:
        left[name] = {}
        for record_id, record in getattr(graph, name).items():
            text = known.get((name, record_id))
            if text is None:
                left[name][record_id] = record
            else:
                texts[name, record_id] = text
    rest = replace(
        graph,
        entities=left["entities"],
        incidents=left["incidents"],
        claims=left["claims"],
        relations=left["relations"],
    )
    encode = _ENCODE
    for name, items in _sections(rest, schema, sentences):
        if name in RECORD_SECTIONS:
            texts.update(((name, item["id"]), encode(item)) for item in items)
    return texts


def statement_texts(statements: Iterable[Statement]) -> list[str]:
    """The graph.json text of each statement (as :func:`graph_to_dict` and
    :func:`write_graph_json` write it)."""
    return [_ENCODE(_statement(s)) for s in statements]


def write_graph_json(
    graph: Graph,
    schema: Schema,
    path: Path,
    texts: Mapping[tuple[str, str], str] | None = None,
) -> None:
    """Write ``graph.json`` atomically (a temporary file renamed into place).

    ``texts`` may give the text of some records, as :func:`record_texts` made it for these
    very records; the others are encoded here.
    """
    texts = record_texts(graph, schema, texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    encode = json.JSONEncoder(ensure_ascii=False).encode  # compact: C speed, one item a line
    with tmp.open("w", encoding="utf-8") as out:
        out.write(f'{{"format": {encode(FORMAT)}')
        for name, items in _sections(graph, schema):
            out.write(f',\n"{name}": [')
            if name in RECORD_SECTIONS:
                lines = (texts[name, k] for k in getattr(graph, name))
            else:
                lines = (encode(item) for item in items)
            comma = "\n"
            for line in lines:
                out.write(comma + line)
                comma = ",\n"
            out.write("\n]")
        out.write("}\n")
    tmp.replace(path)


def read_graph_json(path: Path, schema: Schema) -> Graph:
    """Read a ``graph.json`` written by ``kg build`` or ``kg extract --graph``."""
    try:
        with gc_paused():
            data = json.loads(path.read_text("utf-8"))
        if data.get("format", {}).get("name") != FORMAT["name"]:
            raise ValueError("not a kg graph.json (no format.name 'kg-graph')")
        return graph_from_dict(data, schema)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"cannot read graph.json: {exc}", Location(str(path))) from None

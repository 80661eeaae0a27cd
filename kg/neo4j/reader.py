"""Read the graph back from Neo4j into the same typed Graph the loader wrote."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from neo4j import Driver

from kg.dates import PartialDate
from kg.errors import InputError, KgError
from kg.links import link_kinds
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
from kg.neo4j.connection import Neo4jSettings, database_errors, session
from kg.neo4j.cypher import statement
from kg.neo4j.rows import META_PREFIX, read_statements
from kg.schema import ENTITY_LABEL, EVIDENCE, PARTICIPANT, PropertySpec, Schema

__all__ = ["read_graph"]

_Links = dict[str, dict[str, list[tuple[str, dict[str, Any]]]]]
"""record id -> relationship type -> [(target id, relationship properties)]"""
_NOT_PROPERTIES = {"id", "note", "name", "aliases", "kind", "description", "search_names"}


def _date(props: Mapping[str, Any], name: str = "date") -> PartialDate | None:
    value = props.get(name)
    return PartialDate.from_iso(str(value)) if value is not None else None


def _values(props: Mapping[str, Any], specs: Mapping[str, PropertySpec]) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for name, spec in specs.items():
        if name in _NOT_PROPERTIES or spec.type == "ref" or name not in props:
            continue
        raw = props[name]
        if spec.type == "date":
            date = _date(props, name)
            if date is not None:
                out[name] = date
        elif isinstance(raw, list):
            out[name] = tuple(str(v) for v in raw)
        else:
            out[name] = raw
    return out


def _targets(links: _Links, record: str, rel_type: str) -> list[str]:
    found = links.get(record, {}).get(rel_type, [])
    return [t for t, _ in sorted(found, key=lambda item: (item[1].get("position", 0), item[0]))]


def _evidence(links: _Links, record: str) -> tuple[Evidence, ...]:
    items = [
        Evidence(doc, int(p["start"]), int(p["end"]), str(p["quote"]), p.get("source"))
        for doc, p in links.get(record, {}).get(EVIDENCE, [])
    ]
    return tuple(sorted(set(items)))


def _relation_evidence(props: Mapping[str, Any]) -> tuple[Evidence, ...]:
    columns = [props.get(f"evidence_{k}") or [] for k in ("document", "start", "end", "quote")]
    sources = props.get("evidence_source") or [""] * len(columns[0])
    rows = zip(*columns, sources, strict=True)
    return tuple(sorted(Evidence(d, int(s), int(e), q, src or None) for d, s, e, q, src in rows))


def _extra(
    props: Mapping[str, Any],
    links: _Links,
    record_id: str,
    type_name: str,
    cls: type[Incident | Claim],
    schema: Schema,
) -> dict[str, Value]:
    """The schema-declared properties of an incident or claim that are not model fields."""
    named = {f.name for f in fields(cls)}
    specs = {k: v for k, v in schema.properties_of(type_name).items() if k not in named}
    values = _values(props, specs)
    for name, spec in specs.items():
        if spec.type == "ref":
            targets = _targets(links, record_id, name.upper())
            if targets:
                values[name] = tuple(targets) if spec.list else targets[0]
    return dict(sorted(values.items()))


def read_graph(driver: Driver, settings: Neo4jSettings, schema: Schema) -> Graph:
    """Every record and relation the loader wrote, as a Graph equal to the one loaded."""
    link_types = [schema.link_type(kind) for kind in link_kinds(schema)]
    relation_types = {r.neo4j_type: r for r in schema.relations.values()}
    with database_errors(settings), session(driver, settings) as s:
        nodes = s.run(statement("read_nodes"), labels=[*schema.types]).data()
        link_rows = s.run(statement("read_links"), types=sorted(set(link_types))).data()
        relation_rows = s.run(statement("read_links"), types=sorted(relation_types)).data()
    links: _Links = defaultdict(lambda: defaultdict(list))
    for row in link_rows:
        links[row["source"]][row["type"]].append((row["target"], row["props"]))

    documents: dict[str, Document] = {}
    entities: dict[str, Entity] = {}
    incidents: dict[str, Incident] = {}
    claims: dict[str, Claim] = {}
    statements: list[Statement] = []
    where = "?"
    try:
        for node in nodes:
            props = node["props"]
            where = f"node {props.get('id')!r} labelled {', '.join(node['labels'])}"
            type_name = next(x for x in node["labels"] if x in schema.types and x != ENTITY_LABEL)
            record_id = props["id"]
            statements.extend(read_statements(record_id, props))
            category = schema.types[type_name].category
            if category == "document":
                if props.get("load_state") != "complete":
                    continue  # a stub made by evidence of another document; its own load never ran
                documents[record_id] = Document(
                    record_id,
                    props.get("title", ""),
                    props.get("text", ""),
                    tuple(
                        zip(
                            props.get("sentence_starts", []),
                            props.get("sentence_ends", []),
                            strict=True,
                        )
                    ),
                    _date(props),
                    props.get("path"),
                    {
                        k[len(META_PREFIX) :]: str(v)
                        for k, v in props.items()
                        if k.startswith(META_PREFIX)
                    },
                )
            elif category == "incident":
                incidents[record_id] = Incident(
                    record_id,
                    props["kind"],
                    props.get("title", ""),
                    _date(props),
                    next(iter(_targets(links, record_id, schema.link_type("place"))), None),
                    tuple(
                        sorted(Participant(t, p["role"]) for t, p in links[record_id][PARTICIPANT])
                    ),
                    _evidence(links, record_id),
                    props.get("description"),
                    props.get("note"),
                    _extra(props, links, record_id, type_name, Incident, schema),
                )
            elif category == "claim":
                claims[record_id] = Claim(
                    record_id,
                    next(iter(_targets(links, record_id, schema.link_type("speaker"))), ""),
                    props["stance"],
                    props["content"],
                    tuple(_targets(links, record_id, schema.link_type("about"))),
                    _date(props),
                    next(iter(_targets(links, record_id, schema.link_type("source"))), None),
                    props.get("status"),
                    _evidence(links, record_id),
                    props.get("note"),
                    _extra(props, links, record_id, type_name, Claim, schema),
                )
            else:
                specs = schema.properties_of(type_name)
                values = _values(props, specs)
                for name, spec in schema.ref_properties(type_name).items():
                    targets = _targets(links, record_id, name.upper())
                    if targets:
                        values[name] = tuple(targets) if spec.list else targets[0]
                entities[record_id] = Entity(
                    record_id,
                    type_name,
                    props["name"],
                    tuple(props.get("aliases", [])),
                    props.get("kind"),
                    props.get("description"),
                    props.get("note"),
                    dict(sorted(values.items())),
                    _evidence(links, record_id),
                )
        relations: dict[str, Relation] = {}
        for row in relation_rows:
            rel = relation_types[row["type"]]
            props = row["props"]
            where = f"{row['type']} relationship {props.get('id')!r}"
            specs = {**schema.relation_properties, **rel.properties}
            statements.extend(read_statements(props["id"], props))
            relations[props["id"]] = Relation(
                props["id"],
                rel.name,
                row["source"],
                row["target"],
                _values(props, specs),
                _relation_evidence(props),
                props.get("note"),
            )
    except (KeyError, TypeError, ValueError, KgError) as exc:
        raise InputError(
            f"Neo4j holds a record kg cannot read ({where}: {type(exc).__name__} {exc});"
            " was it written by 'kg query --write' rather than 'kg load'? Fix or delete it",
        ) from None
    return Graph(
        dict(sorted(documents.items())),
        dict(sorted(entities.items())),
        dict(sorted(incidents.items())),
        dict(sorted(claims.items())),
        dict(sorted(relations.items())),
        tuple(sorted(statements)),
    )

"""The schema loads into frozen typed objects; a bad schema file fails with file and key."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from kg.errors import SchemaError
from kg.schema import Schema, load_schema

from .conftest import ROOT


def test_core_types_and_categories(schema: Schema) -> None:
    assert {
        "Person",
        "Organisation",
        "Country",
        "Place",
        "Incident",
        "Claim",
        "Document",
        "Source",
    } <= set(schema.types)
    assert schema.types["Incident"].category == "incident"
    assert set(schema.actor_types) == {"Person", "Organisation", "Country"}
    assert schema.types["Organisation"].kinds == "organisation_kinds"
    assert "security_service" in schema.vocabulary("organisation_kinds")


def test_cameo_crosswalk(schema: Schema) -> None:
    kinds = schema.vocabulary("incident_kinds").terms
    assert kinds["bombing"].cameo == "183"
    assert kinds["detention"].cameo == "173"
    assert kinds["aid_cut"].cameo == "162"
    assert kinds["denial"].cameo == "016"
    assert kinds["accusation"].cameo == "112"
    assert kinds["statement"].cameo == "010"
    assert kinds["trial"].cameo is None


def test_vocabularies(schema: Schema) -> None:
    roles = schema.vocabulary("roles")
    for role in [
        "perpetrator",
        "suspect",
        "victim",
        "target",
        "detainee",
        "investigator",
        "organiser",
        "participant",
        "reporter",
    ]:
        assert role in roles
    stances = schema.vocabulary("stances").terms
    assert {"asserts", "denies", "alleges", "speculates", "reports"} <= set(stances)
    assert stances["denies"].polarity == "negative" and stances["asserts"].polarity == "positive"
    assert {"reported", "confirmed", "disputed"} <= set(schema.vocabulary("claim_statuses").terms)


def test_relations_name_allowed_types(schema: Schema) -> None:
    post = schema.relations["holds_post"]
    assert post.source == ("Person",) and "Organisation" in post.target
    assert post.properties["title"].required
    assert schema.relations["located_in"].evidence_required is False
    assert schema.relations["tension_with"].symmetric


def test_objects_are_frozen(schema: Schema) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        schema.types["Person"].prefix = "x"  # type: ignore[misc]


def test_labels_and_types_only_from_the_schema(schema: Schema) -> None:
    assert schema.label("Person") == "Person"
    assert schema.relationship_type("holds_post") == "HOLDS_POST"
    with pytest.raises(SchemaError):
        schema.label("Person) DETACH DELETE n //")
    with pytest.raises(SchemaError):
        schema.relationship_type("KNOWS")


def _broken_schema(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "schema"
    shutil.copytree(ROOT / "schema", folder)
    path = folder / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "entities.yaml",
            "    prefix: per\n",
            "    prefix: per\n    colour: red\n",
            r"entities\.yaml:\d+ \[types\.Person\.colour\]: unknown key 'colour'",
        ),
        (
            "entities.yaml",
            "    category: entity\n    prefix: per",
            "    category: thing\n    prefix: per",
            r"entities\.yaml:\d+ \[types\.Person\.category\]: unknown category 'thing'",
        ),
        (
            "relations.yaml",
            "target: [Organisation, Country]",
            "target: [Organisation, Planet]",
            r"relations\.yaml \[relations\.holds_post\]: unknown type 'Planet'",
        ),
        (
            "entities.yaml",
            "        type: integer",
            "        type: integr",
            r"entities\.yaml:\d+ \[types\.Group\.count\.type\]: unknown property type 'integr'",
        ),
        (
            "vocabularies.yaml",
            "roles:\n",
            "roles:\n  roles: [\n",
            r"vocabularies\.yaml:\d+: malformed YAML",
        ),
        (
            "entities.yaml",
            "    prefix: org\n",
            "    prefix: per\n",
            r"entities\.yaml:\d+ \[types\.Organisation\]: prefix 'per' already used by Person",
        ),
        (
            "entities.yaml",
            "    prefix: org\n",
            "    prefix: rel\n",
            r"entities\.yaml:\d+ \[types\.Organisation\]: prefix 'rel' is kept for relation ids",
        ),
        (
            "relations.yaml",
            "  opposes:\n",
            "  speaker:\n    label: x\n    source: [Person]\n    target: [Person]\n  opposes:\n",
            r"relations\.yaml \[relations\.speaker\]: relation 'speaker' clashes with the link SPEAKER",
        ),
        (
            "entities.yaml",
            "  Person:\n",
            "  Person:\n  Person:\n",
            r"entities\.yaml:\d+: malformed YAML: duplicate key 'Person'",
        ),
    ],
)
def test_bad_schema_names_file_and_key(
    tmp_path: Path, name: str, old: str, new: str, expected: str
) -> None:
    folder = _broken_schema(tmp_path, name, old, new)
    with pytest.raises(SchemaError, match=expected):
        load_schema(folder)


def test_missing_schema_file(tmp_path: Path) -> None:
    folder = tmp_path / "schema"
    shutil.copytree(ROOT / "schema", folder)
    (folder / "relations.yaml").unlink()
    with pytest.raises(SchemaError, match=r"relations\.yaml: schema file missing"):
        load_schema(folder)

"""Cypher statements kept in ``.cypher`` files; labels and types filled in only from the schema."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from kg.errors import SchemaError
from kg.schema import ENTITY_LABEL, Schema

__all__ = ["load_statement", "render", "statement"]

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_REPEATED = re.compile(r"\{\{#(\w+)\}\}(.*?)\{\{/\1\}\}", re.DOTALL)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@cache
def statement(name: str) -> str:
    """The text of ``kg/neo4j/cypher/<name>.cypher`` (comments kept; Neo4j ignores them)."""
    folder = resources.files("kg.neo4j").joinpath("cypher")
    return folder.joinpath(f"{name}.cypher").read_text("utf-8")


def render(name: str, schema: Schema, **names: str) -> str:
    """A statement with its ``{{placeholders}}`` replaced by schema labels or relationship types.

    Values are never interpolated: only names the schema defines pass, back-quoted. A value
    "A|B" stands for any of several names; ``{{#key}}...{{/key}}`` repeats its text once per
    name of ``key``, ``{{key}}`` inside it being that one name.
    """
    allowed = {*schema.types, ENTITY_LABEL, *schema.all_relationship_types()}
    for key, value in names.items():
        for one in value.split("|"):  # "A|B": any of several relationship types
            if one not in allowed or not _NAME.fullmatch(one):
                raise SchemaError(
                    f"{one!r} is not a label or relationship type of the schema ({key})"
                )

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in names:
            raise SchemaError(f"statement {name}: no value for {{{{{key}}}}}")
        return "|".join(f"`{one}`" for one in names[key].split("|"))

    def repeat(match: re.Match[str]) -> str:
        key, text = match.group(1), match.group(2)
        if key not in names:
            raise SchemaError(f"statement {name}: no value for {{{{#{key}}}}}")
        inner = re.compile(r"\{\{" + key + r"\}\}")
        return "".join(inner.sub(f"`{one}`", text) for one in names[key].split("|"))

    # The template is ours and the names passed the whitelist: no value is interpolated.
    return _PLACEHOLDER.sub(fill, _REPEATED.sub(repeat, statement(name)))


def load_statement(name: str, schema: Schema, **names: str) -> str:
    """A loader statement that keeps its cached plan: the server plans each statement once,
    not again when the database has grown (an index seek on ``id`` stays the best plan;
    replanning the 40-odd statements after a first load cost more than writing one article).
    The rows come as ``$batch.rows``, not ``$rows``: Neo4j keys its plan cache on the size
    class of a list parameter, so a batch of 3 rows after batches of 20,000 was planned again
    (0.4 s); inside a map the list has no size class (measured: 15 ms, not 456 ms)."""
    return "CYPHER replan=skip\n" + render(name, schema, **names)

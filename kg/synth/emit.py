"""Write an article and its annotation as text, byte for byte the same for the same input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring  # what json.dumps(str, ensure_ascii=False) calls
from typing import Any

__all__ = ["annotation_yaml", "article_markdown", "scalar"]

_INLINE_KEYS = ("entity", "role")
"""Participants are written on one line each, as the example annotation does."""


def scalar(value: object) -> str:
    """A YAML scalar: numbers as they are, everything else as a double-quoted string.

    JSON string syntax is a subset of YAML's double-quoted style, so escaping is exact.

    >>> scalar(19), scalar("Liter, August 6"), scalar('say "no"')
    ('19', '"Liter, August 6"', '"say \\\\"no\\\\""')
    """
    if value.__class__ is str:
        return encode_basestring(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return encode_basestring(str(value))
    return str(value)


def _item(lines: list[str], item: Mapping[str, Any], indent: str) -> None:
    first = True
    for key, value in item.items():
        lead = f"{indent}- " if first else f"{indent}  "
        first = False
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            lines.append(f"{lead}{key}:")
            for entry in value:
                if tuple(entry) == _INLINE_KEYS:
                    inner = ", ".join(f"{k}: {scalar(v)}" for k, v in entry.items())
                    lines.append(f"{indent}    - {{{inner}}}")
                else:
                    _item(lines, entry, indent + "    ")
        elif isinstance(value, list):
            lines.append(f"{lead}{key}: [{', '.join(scalar(v) for v in value)}]")
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")


def annotation_yaml(annotation: Mapping[str, Any], header: Sequence[str] = ()) -> str:
    """The annotation file: ``document`` then the four sections, items in the order given.

    >>> print(annotation_yaml({"document": "a", "entities": [{"id": "per:x", "name": "X"}],
    ...                        "incidents": [], "claims": [], "relations": []}), end="")
    document: "a"
    <BLANKLINE>
    entities:
      - id: "per:x"
        name: "X"
    <BLANKLINE>
    incidents: []
    <BLANKLINE>
    claims: []
    <BLANKLINE>
    relations: []
    """
    lines = [f"# {line}" for line in header]
    lines.append(f"document: {scalar(annotation['document'])}")
    for section in ("entities", "incidents", "claims", "relations"):
        items = annotation.get(section) or []
        lines.append("")
        if not items:
            lines.append(f"{section}: []")
            continue
        lines.append(f"{section}:")
        for item in items:
            _item(lines, item, "  ")
    return "\n".join(lines) + "\n"


def article_markdown(front: Mapping[str, object], text: str) -> str:
    """The article: YAML front matter between ``---`` lines, then the text.

    >>> print(article_markdown({"title": "T", "year": 2004}, "Body.\\n"), end="")
    ---
    title: "T"
    year: 2004
    ---
    Body.
    """
    header = [f"{key}: {scalar(value)}" for key, value in front.items()]
    return "---\n" + "\n".join(header) + "\n---\n" + text

"""The draft annotation: what the extractor proposes for one article, in the curated YAML format."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kg.dates import PartialDate
from kg.model import Document

__all__ = ["Draft", "DraftItem", "render_draft", "scalar"]

_HEADER = """\
# Draft annotation of {title!r}, proposed by `kg extract` (rule-based, no model).
# Review every item before moving this file to seeds/annotations/: fix or delete wrong items,
# add what is missing. Each item's note names the rule that proposed it.
"""


@dataclass(frozen=True)
class DraftItem:
    """One item of a section, as the mapping written to YAML (keys in annotation order)."""

    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Draft:
    """A draft annotation of one document: entities, incidents, claims and relations."""

    document: Document
    entities: tuple[DraftItem, ...] = ()
    incidents: tuple[DraftItem, ...] = ()
    claims: tuple[DraftItem, ...] = ()
    relations: tuple[DraftItem, ...] = ()

    @property
    def stem(self) -> str:
        """The document reference written as ``document:`` (its id without ``doc:``)."""
        return self.document.id.split(":", 1)[1]

    def counts(self) -> dict[str, int]:
        return {
            "entities": len(self.entities),
            "incidents": len(self.incidents),
            "claims": len(self.claims),
            "relations": len(self.relations),
        }


def _plain(value: Any) -> Any:
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


_PLAIN = re.compile(r"[A-Za-z][\w .,;:()/’'-]*")
_RESERVED = frozenset(
    str.split(
        """
        y n yes no true false on off null
        """
    )
)


def scalar(value: object) -> str:
    """A YAML scalar: plain when unambiguous, else a double-quoted (JSON-compatible) string.

    >>> scalar("Nikolai Bordyuzha"), scalar("2004-07-30"), scalar("No"), scalar(19)
    ('Nikolai Bordyuzha', '"2004-07-30"', '"No"', '19')
    """
    if isinstance(value, str):
        return _scalar_text(value)
    return _scalar(value)


@lru_cache(maxsize=65536)
def _scalar_text(value: str) -> str:
    return _scalar(value)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if (
        _PLAIN.fullmatch(text)
        and text.casefold() not in _RESERVED
        and not text.endswith(" ")
        and ": " not in text
        and not text.endswith(":")
        and " #" not in text
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def _value(value: object) -> str:
    if type(value) is str:
        return _scalar_text(value)
    if isinstance(value, PartialDate):
        return _scalar_text(value.isoformat())
    return _scalar(value)


def _lines(value: dict[str, Any], indent: str, out: list[str]) -> None:
    """Append block YAML lines for a mapping; short lists of names go in flow style."""
    for key, item in value.items():
        if type(item) is list or type(item) is tuple:
            if all(type(v) is str for v in item) and sum(map(len, item)) < 80:
                out.append(f"{indent}{key}: [{', '.join(map(_value, item))}]")
                continue
            out.append(f"{indent}{key}:")
            deeper = indent + "    "
            for element in item:
                if type(element) is dict:
                    first = len(out)
                    _lines(element, deeper, out)
                    out[first] = indent + "  - " + out[first].lstrip()
                else:
                    out.append(f"{indent}  - {_value(element)}")
        else:
            out.append(f"{indent}{key}: {_value(item)}")


def _dump(item: dict[str, Any]) -> str:
    lines: list[str] = []
    _lines(item, "    ", lines)
    lines[0] = "  - " + lines[0].lstrip()
    return "\n".join(lines)


def render_draft(draft: Draft) -> str:
    """The draft as annotation YAML that `kg validate` accepts next to its article."""
    parts = [_HEADER.format(title=draft.document.title), f"document: {draft.stem}\n"]
    for section in ("entities", "incidents", "claims", "relations"):
        items: tuple[DraftItem, ...] = getattr(draft, section)
        if not items:
            parts.append(f"{section}: []\n")
            continue
        parts.append(f"{section}:\n" + "\n\n".join(_dump(item.fields) for item in items) + "\n")
    return "\n".join(parts)

"""The canonical order of multi-valued fields, so RDF keeps only the orders that differ from it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from kg.model import Evidence, Participant

__all__ = ["canonical", "evidence_key", "is_canonical", "participant_key", "value_key"]

T = TypeVar("T")


def value_key(value: object) -> tuple[str, str]:
    """Sort key of a scalar value: by type name, then text.

    >>> sorted(["b", "a", "C"], key=value_key)
    ['C', 'a', 'b']
    """
    return (type(value).__name__, str(value))


def evidence_key(evidence: Evidence) -> tuple[str, int, int, str, str]:
    return (evidence.document, evidence.start, evidence.end, evidence.quote, evidence.source or "")


def participant_key(participant: Participant) -> tuple[str, str]:
    return (participant.entity, participant.role)


def canonical(items: Sequence[T], key: Callable[[T], Any]) -> list[T]:
    """Distinct items in key order: what a field holds when RDF gives no explicit order.

    >>> canonical(["b", "a", "b"], value_key)
    ['a', 'b']
    """
    return sorted(dict.fromkeys(items), key=key)


def is_canonical(items: Sequence[T], key: Callable[[T], Any]) -> bool:
    """Whether ``items`` is already canonical (then no rdf:Seq is written for it).

    >>> is_canonical(("a", "b"), value_key), is_canonical(("b", "a"), value_key)
    (True, False)
    >>> is_canonical(("a", "a"), value_key)
    False
    """
    return list(items) == canonical(items, key)

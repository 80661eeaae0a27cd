"""Cue lexicons: incident trigger words and reporting verbs, read from ``cues.yaml``.

The file is keyed by the schema's vocabulary terms (incident kinds, stances) and names the
role each trigger gives its actor. A term the schema lacks switches its cues off when the
rules are built; a cue naming an unknown field is an error naming the term.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from .caseless import caseless
from .trie import longest_first

__all__ = ["Reporting", "Trigger", "compile_all", "noun_anchors", "reporting_cues", "trigger_cues"]

_TRIGGER_KEYS = {"pattern", "anchors", "noun", "role", "label"}
_REPORTING_KEYS = {"pattern", "anchors", "speaker_after"}


class Trigger:
    """An incident trigger: a regex over a sentence, the incident kind and how to read it."""

    __slots__ = ("anchors", "kind", "label", "noun", "pattern", "role")

    def __init__(
        self, kind: str, pattern: str, *, noun: bool, role: str, anchors: str, label: str = ""
    ) -> None:
        self.kind = kind
        self.label = label or kind
        """What the trigger names within its kind ("release" within ``other``)."""
        self.pattern = re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE)
        self.noun = noun
        self.role = role
        """Role of the grammatical subject (the actor before a verb trigger)."""
        self.anchors = tuple(anchors.split())
        """Lower-case stems; a sentence without any of them cannot match (a fast pre-filter)."""


class Reporting:
    """A reporting or stance verb: its pattern and the stance it signals."""

    __slots__ = ("anchors", "pattern", "speaker_after", "stance")

    def __init__(
        self, stance: str, pattern: str, speaker_after: bool = False, anchors: str = ""
    ) -> None:
        self.stance = stance
        self.anchors = tuple(anchors.split())
        self.pattern = re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE)
        self.speaker_after = speaker_after
        """True when the speaker follows the pattern ("according to X", "cited by X")."""


def _pattern(value: object, where: str) -> str:
    """A pattern, or a list of alternatives joined with ``|``."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "|".join(value)
    if isinstance(value, str):
        return value
    raise ValueError(f"cues.yaml: {where}: 'pattern' must be a string or a list of strings")


def _entries(section: str, allowed: set[str]) -> list[tuple[str, dict[str, Any]]]:
    data = _load()
    terms = data.get(section)
    if not isinstance(terms, dict):
        raise ValueError(f"cues.yaml: no '{section}' mapping")
    out = []
    for term, cues in terms.items():
        for cue in cues or []:
            unknown = set(cue) - allowed
            if unknown or "pattern" not in cue:
                raise ValueError(f"cues.yaml: {section}.{term}: bad cue keys {sorted(cue)}")
            out.append((str(term), cue))
    return out


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    text = resources.files("kg.extract").joinpath("cues.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    if not isinstance(data, dict):
        raise ValueError("cues.yaml: not a mapping")
    return data


@lru_cache(maxsize=1)
def trigger_cues() -> tuple[Trigger, ...]:
    """Every incident trigger, in the file's order (earlier cues win overlaps)."""
    return tuple(
        Trigger(
            kind,
            _pattern(cue["pattern"], f"incident_kinds.{kind}"),
            noun=bool(cue.get("noun", True)),
            role=str(cue.get("role", "perpetrator")),
            anchors=str(cue.get("anchors", kind)),
            label=str(cue.get("label", "")),
        )
        for kind, cue in _entries("incident_kinds", _TRIGGER_KEYS)
    )


@lru_cache(maxsize=1)
def reporting_cues() -> tuple[Reporting, ...]:
    """Every reporting and stance verb, in the file's order."""
    return tuple(
        Reporting(
            stance,
            _pattern(cue["pattern"], f"stances.{stance}"),
            bool(cue.get("speaker_after", False)),
            str(cue.get("anchors", stance)),
        )
        for stance, cue in _entries("stances", _REPORTING_KEYS)
    )


@cache
def noun_anchors() -> tuple[re.Pattern[str], dict[str, list[int]]]:
    """One regex finding, at every offset, the longest anchor of a noun trigger that starts
    there; and for each anchor the noun triggers it shows may match (indexes, file order)."""
    triggers = trigger_cues()
    every = {a for t in triggers if t.noun for a in t.anchors}
    woken = {
        a: [k for k, t in enumerate(triggers) if t.noun and any(b in a for b in t.anchors)]
        for a in every
    }
    return re.compile(f"(?=({longest_first(every)}))"), woken


def compile_all() -> None:
    """Read and compile every cue now rather than at the first document (an extractor does it
    when made, so worker processes inherit the compiled patterns)."""
    for pattern in [t.pattern for t in trigger_cues()] + [r.pattern for r in reporting_cues()]:
        caseless(pattern)
    noun_anchors()

"""Stable IRIs for records and their parts, minted from the deterministic ids under a base."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote

from rdflib import URIRef

from kg.errors import InputError
from kg.ids import stable_hash
from kg.model import Evidence, Participant
from kg.rdf.namespaces import DEFAULT_BASE

__all__ = ["Minter", "check_base", "encode_segment"]

_BASE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*[/#]")
_ANNOTATION_PARTS = ("target", "quote", "position")
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~:-]+")
"""Text ``quote(text, safe=":")`` leaves as it is (checked first: most ids are like this)."""


def check_base(base: str) -> str:
    """``base`` if it is an absolute IRI ending in ``/`` or ``#``, else an InputError.

    >>> check_base("https://example.org/kg/")
    'https://example.org/kg/'
    >>> check_base("example.org")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: base IRI 'example.org' must be absolute and end with '/' or '#'
    """
    if not _BASE.fullmatch(base):
        raise InputError(f"base IRI {base!r} must be absolute and end with '/' or '#'")
    return base


def encode_segment(text: str) -> str:
    """Percent-encode everything but unreserved characters and ``:``; reversible by unquote.

    >>> encode_segment("org:knb"), encode_segment("per:nikolaï <x> \\"y\\"/z")
    ('org:knb', 'per:nikola%C3%AF%20%3Cx%3E%20%22y%22%2Fz')
    >>> encode_segment("..")
    '%2E%2E'
    """
    if not text:
        raise InputError("cannot mint an IRI from an empty id")
    if text in (".", ".."):
        return text.replace(".", "%2E")  # dot segments would be removed by IRI normalisation
    if _UNRESERVED.fullmatch(text):
        return text
    return quote(text, safe=":")


class Minter:
    """Mints every IRI of an export under one base; ids come back with :meth:`id_of`.

    >>> m = Minter("https://kg.example.org/id/")
    >>> str(m.record("inc:2004-07-30-tashkent-bombings"))
    'https://kg.example.org/id/inc:2004-07-30-tashkent-bombings'
    >>> m.id_of(m.record("grp:19 laborers/ä"))
    'grp:19 laborers/ä'
    """

    def __init__(self, base: str = DEFAULT_BASE, *, text: bool = False) -> None:
        self.base = check_base(base)
        self.text = text
        """When True, the parts of records (annotations, sentences, participations...) are
        minted as their N-Triples text ``<...>`` rather than as URIRefs: for writers of lines."""
        self._records: dict[str, URIRef] = {}
        self._graphs: dict[str, URIRef] = {}

    @property
    def dataset(self) -> URIRef:
        """The export as a whole (a void:Dataset): the base itself."""
        return URIRef(self.base)

    def record(self, record_id: str) -> URIRef:
        """The IRI of an entity, incident, claim, document or relation (minted once per id)."""
        iri = self._records.get(record_id)
        if iri is None:
            iri = self._records[record_id] = URIRef(self.base + encode_segment(record_id))
        return iri

    def id_of(self, iri: object) -> str:
        """The record id an IRI was minted from; InputError for any other IRI."""
        text = str(iri)
        rest = text[len(self.base) :]
        if not isinstance(iri, URIRef) or not text.startswith(self.base) or not rest:
            raise InputError(f"<{text}> is not a record IRI under the base <{self.base}>")
        if "/" in rest or "#" in rest:
            raise InputError(f"<{text}> is a part of a record, not a record IRI")
        return unquote(rest)

    def _join(self, owner: URIRef | str, path: str) -> Any:
        """``owner/path`` (``path`` encoded already): a URIRef, or in text mode its text
        (``owner`` may be a part's text already)."""
        if not self.text:
            return URIRef(f"{owner}/{path}")
        return f"<{owner[1:-1] if owner.__class__ is str else owner}/{path}>"

    def _part(self, owner: URIRef | str, *segments: str) -> Any:
        return self._join(owner, "/".join(map(encode_segment, segments)))

    def annotation(self, evidence: Evidence) -> Any:
        """One Web Annotation per distinct quote: same span, quote and source, same IRI."""
        digest = stable_hash(evidence.quote, evidence.source or "", length=8)
        # digits, '-' and hex digits: nothing to encode
        span = f"{evidence.start}-{evidence.end}-{digest}"
        return self._join(self.record(evidence.document), f"annotation/{span}")

    def annotation_part(self, annotation: Any, part: str) -> Any:
        """The annotation's ``target``, ``quote`` or ``position`` node."""
        return self._part(annotation, part)

    def annotation_parts(self, annotation: Any) -> tuple[Any, Any, Any]:
        """The annotation's ``target``, ``quote`` and ``position`` nodes (nothing to encode).

        >>> m = Minter("https://kg.example.org/id/", text=True)
        >>> m.annotation_parts("<https://kg.example.org/id/a>")[0]
        '<https://kg.example.org/id/a/target>'
        """
        if not self.text:
            return tuple(URIRef(f"{annotation}/{p}") for p in _ANNOTATION_PARTS)  # type: ignore[return-value]
        owner = annotation[1:-1] if annotation.__class__ is str else annotation
        return f"<{owner}/target>", f"<{owner}/quote>", f"<{owner}/position>"

    def participation(self, incident_id: str, participant: Participant) -> Any:
        return self._part(
            self.record(incident_id), "participant", participant.entity, participant.role
        )

    def sentence(self, document_id: str, index: int) -> Any:
        return self._join(self.record(document_id), f"sentence/{index:d}")

    def metadata(self, document_id: str, key: str) -> Any:
        return self._part(self.record(document_id), "metadata", key)

    def sequence(self, owner: URIRef, field: str) -> Any:
        """The rdf:Seq that keeps the order of a record's multi-valued ``field``."""
        return self._part(owner, "order", field)

    def document_graph(self, document_id: str) -> URIRef:
        """The named graph holding the facts one document supports (TriG, N-Quads)."""
        found = self._graphs.get(document_id)
        if found is None:
            found = self._graphs[document_id] = URIRef(f"{self.record(document_id)}/graph")
            # a URIRef in text mode too (few, and sorted with other graphs' IRIs)
        return found

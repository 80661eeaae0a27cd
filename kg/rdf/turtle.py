"""Streamed Turtle: the N-Triples terms kg writes, as prefixed names, grouped by subject.

Each record's triples (``kg.rdf.triples.QuadMaker``, as for N-Triples) are written apart:
distinct, sorted, one subject's predicates joined by ``;`` and one predicate's objects by
``,``. A term under a declared namespace becomes a prefixed name when its local part can be
one (``/``, ``~``, ``%`` and a leading ``-`` or ``.`` escaped, as Oxigraph does; one ending
with ``.`` stays an IRI: rdflib cannot read it escaped), integers and booleans are written
bare and other datatypes as prefixed names; everything else keeps its N-Triples text. After
the prefixes, the layout of Oxigraph's Turtle of the same lines. The bytes depend on the
graph only, not on how many processes wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from rdflib.namespace import RDF

from kg.model import Graph
from kg.rdf.export import write_parts
from kg.rdf.namespaces import PREFIXES, XSD
from kg.rdf.triples import Chunk, QuadMaker
from kg.schema import Schema

__all__ = ["TurtleTerms", "prefixes", "turtle_texts", "write_turtle"]

_LOCAL = re.compile(r"[A-Za-z0-9_:./~%-]*(?<!\.)")
"""Local parts written as prefixed names, escaped as Oxigraph escapes them (others, and one
ending with ``.``, which rdflib cannot read escaped, stay full IRIs)."""
_ID_LOCAL = re.compile(r"[A-Za-z0-9_:/%][A-Za-z0-9_:/%-]*")
"""Local parts of record IRIs that need no escaping but of ``/`` and ``%`` (most)."""
_BARE = {
    f"<{XSD.integer}>": re.compile(r"[+-]?[0-9]+"),
    f"<{XSD.boolean}>": re.compile(r"true|false"),
}
"""Datatypes whose literals Turtle writes without quotes, with the lexical forms it reads."""
_KEPT = 200_000
"""Terms a writer remembers the Turtle text of at most (records' IRIs mostly)."""


def prefixes(base_iri: str) -> dict[str, str]:
    """The prefixes a Turtle export declares: kg's (``kg.rdf.namespaces.PREFIXES``) and ``id:``
    for the records under ``base_iri``."""
    found = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    found["id"] = base_iri
    return found


class TurtleTerms:
    """N-Triples term text -> Turtle term text under some prefixes.

    >>> t = TurtleTerms({"id": "https://kg.example.org/id/", "rdf": str(RDF)})
    >>> t("<https://kg.example.org/id/doc:a/sentence/1>"), t(f"<{RDF.type}>", predicate=True)
    ('id:doc:a\\\\/sentence\\\\/1', 'a')
    >>> t('"7"^^<http://www.w3.org/2001/XMLSchema#integer>'), t('"x"@en'), t("<urn:x>")
    ('7', '"x"@en', '<urn:x>')
    """

    def __init__(self, spaces: Mapping[str, str], records: str = "id") -> None:
        ordered = sorted(spaces.items(), key=lambda item: (-len(item[1]), item[0]))
        self._head = min(12, *(len(space) for space in spaces.values()))
        self._spaces: dict[str, list[tuple[str, str]]] = {}
        """The namespaces by their first characters, the longest first."""
        for prefix, space in ordered:
            self._spaces.setdefault(space[: self._head], []).append((prefix, space))
        base = spaces.get(records, "")
        alone = base and not any(s != base and s.startswith(base) for s in spaces.values())
        self._base, self._id = (f"<{base}", f"{records}:") if alone else ("\0", "")
        """The text of record IRIs start with (under no other namespace), and their prefix."""
        self.found: dict[str, str] = {}
        """Texts made (a record's IRIs repeat): a miss is :meth:`make`'s."""
        self.predicates: dict[str, str] = {f"<{RDF.type}>": "a"}
        """Texts made of predicates (few, kept): a miss is :meth:`predicate`'s."""

    def __call__(self, text: str, *, predicate: bool = False) -> str:
        if predicate:
            return self.predicates.get(text) or self.predicate(text)
        if text[-1] == '"':  # a plain string: as it is (and too many to remember)
            return text
        return self.found.get(text) or self.make(text)

    def predicate(self, text: str) -> str:
        found = self.predicates[text] = self._make(text)
        return found

    def make(self, text: str) -> str:
        """The Turtle text of a term, remembered."""
        if len(self.found) >= _KEPT:
            self.found.clear()
        found = self.found[text] = self._make(text)
        return found

    def _make(self, text: str) -> str:
        if text.startswith(self._base):  # most: records and their parts
            local = text[len(self._base) : -1]
            if _ID_LOCAL.fullmatch(local):
                if "/" in local:
                    local = local.replace("/", "\\/")
                if "%" in local:
                    local = local.replace("%", "\\%")
                return self._id + local
        if text[0] == "<":
            return self.name(text[1:-1])
        quote = text.rindex('"')
        if not text.startswith("^^<", quote + 1):  # a language tag
            return text
        datatype = text[quote + 3 :]
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(text, 1, quote):
            return text[1:quote]
        return f"{text[: quote + 3]}{self.name(datatype[1:-1])}"

    def name(self, iri: str) -> str:
        """A prefixed name for ``iri`` if it has one, else ``<iri>``."""
        for prefix, space in self._spaces.get(iri[: self._head], ()):
            if iri.startswith(space):
                local = iri[len(space) :]
                if _LOCAL.fullmatch(local):
                    for char in "/~%":
                        if char in local:
                            local = local.replace(char, "\\" + char)
                    if local.startswith(("-", ".")):
                        local = "\\" + local
                    return f"{prefix}:{local}"
        return f"<{iri}>"


class _TripleChunk(Chunk):
    """The triples of one record, each term given as its N-Triples text (once per triple,
    whatever its graphs: Turtle has none)."""

    def add(self, s: Any, p: Any, o: Any, graphs: Sequence[Any]) -> None:
        self.out.append((s, p, o))

    def add_all(self, triples: Any, graphs: Sequence[Any]) -> None:
        self.out.extend(triples)


def _record_text(triples: list[tuple[str, str, str]], terms: TurtleTerms) -> str:
    """One record's triples as Turtle statements: distinct, sorted, grouped by subject."""
    parts: list[str] = []
    last_s = last_p = end = ""
    found, make = terms.found.get, terms.make  # inlined TurtleTerms.__call__: most of the cost
    predicates, predicate = terms.predicates.get, terms.predicate
    for s, p, o in sorted(set(triples)):
        if o[-1] != '"':
            o = found(o) or make(o)
        if s != last_s:
            subject = found(s) or make(s)
            parts.append(f"{end}{subject} {predicates(p) or predicate(p)} {o}")
            end = " .\n"
        elif p != last_p:
            parts.append(f" ;\n\t{predicates(p) or predicate(p)} {o}")
        else:
            parts.append(f" , {o}")
        last_s, last_p = s, p
    parts.append(end)
    return "".join(parts)


def turtle_texts(maker: QuadMaker, start: int, stop: int, terms: TurtleTerms) -> Iterator[str]:
    """The Turtle statements of each record from the ``start``-th to before the ``stop``-th
    (``maker`` made with ``text=True``)."""
    index = start
    for triples in maker.text_chunks(_TripleChunk, start):
        if index >= stop:
            return
        yield _record_text(triples, terms)
        index += 1


def write_turtle(
    graph: Graph,
    schema: Schema,
    base_iri: str,
    stream: IO[bytes],
    jobs: int = 1,
    folder: Path | None = None,
) -> None:
    """Write ``graph`` as Turtle to ``stream``: the prefixes, then each record's statements,
    in ``jobs`` processes (as ``kg.rdf.export.write_parts``: the same bytes)."""
    spaces = prefixes(base_iri)

    def write(start: int, stop: int, out: IO[bytes]) -> None:
        if start == 0:
            head = "".join(f"@prefix {p}: <{spaces[p]}> .\n" for p in sorted(spaces))
            out.write(head.encode("utf-8"))
        maker, terms = QuadMaker(graph, schema, base_iri, text=True), TurtleTerms(spaces)
        batch: list[str] = []
        for text in turtle_texts(maker, start, stop, terms):
            batch.append(text)
            if len(batch) >= 256:
                out.write("".join(batch).encode("utf-8"))
                batch.clear()
        out.write("".join(batch).encode("utf-8"))

    write_parts(stream, QuadMaker.count(graph), jobs, write, folder=folder)

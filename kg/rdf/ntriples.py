"""N-Triples and N-Quads lines written by hand (canonical escaping), for streaming output."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError
from kg.rdf.literals import lexical_form
from kg.rdf.namespaces import XSD

__all__ = ["LineWriter", "escape_string", "nquads_line", "ntriples_line", "term"]

_ECHAR = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_SPECIAL = re.compile('["\\\\\x00-\x1f\x7f]')
_BAD_IRI = re.compile('[\x00-\x20<>"{}|^`\\\\]')
_XSD_STRING = XSD.string


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ECHAR.get(char) or f"\\u{ord(char):04X}"


def escape_string(text: str) -> str:
    """The body of an N-Triples string literal: quotes, backslashes and controls escaped.

    >>> print(escape_string('say "hi"\\n\\\\ ok\\x00 ü'))
    say \\"hi\\"\\n\\\\ ok\\u0000 ü
    """
    return _SPECIAL.sub(_escape_char, text)


def term(node: Node) -> str:
    """A term in N-Triples syntax; plain strings carry no datatype (canonical form).

    >>> term(URIRef("https://kg.example.org/id/org:knb"))
    '<https://kg.example.org/id/org:knb>'
    >>> term(Literal("2004", datatype=XSD.gYear)), term(Literal("Tashkent"))
    ('"2004"^^<http://www.w3.org/2001/XMLSchema#gYear>', '"Tashkent"')
    """
    if isinstance(node, URIRef):
        text = str(node)
        if _BAD_IRI.search(text):
            raise InputError(f"cannot write IRI {text!r}: it holds characters IRIs may not")
        return f"<{text}>"
    if isinstance(node, Literal):
        body = f'"{escape_string(lexical_form(node))}"'
        if node.language:
            return f"{body}@{node.language}"
        if node.datatype is not None and node.datatype != _XSD_STRING:
            return f"{body}^^<{node.datatype}>"
        return body
    if isinstance(node, BNode):
        raise InputError("kg writes no blank nodes in data exports")
    raise InputError(f"cannot write {node!r} as an RDF term")


def ntriples_line(s: Node, p: Node, o: Node) -> str:
    return f"{term(s)} {term(p)} {term(o)} .\n"


def nquads_line(s: Node, p: Node, o: Node, graph: URIRef | None) -> str:
    if graph is None:
        return ntriples_line(s, p, o)
    return f"{term(s)} {term(p)} {term(o)} {term(graph)} .\n"


class LineWriter:
    """N-Triples or N-Quads lines with each term's text made once per term object (the same
    IRI objects recur on most lines: predicates, classes, the record's own); the memory is
    bounded."""

    LIMIT = 200_000
    """Terms remembered at most; the memory is emptied when it holds more."""

    def __init__(self) -> None:
        self._texts: dict[int, str] = {}  # id(node) -> its text
        self._nodes: list[Node | str] = []  # holding the nodes keeps their ids from being reused

    def _add(self, node: Node | str) -> str:
        # a plain str is a term's text already (QuadMaker(text=True))
        text = self._texts[id(node)] = node if type(node) is str else term(node)  # type: ignore[arg-type]
        self._nodes.append(node)
        return text

    def lines(
        self, quads: Iterable[tuple[Node, Node, Node, URIRef | None]], graphs: bool
    ) -> set[str]:
        """The distinct lines of ``quads``; N-Quads lines when ``graphs``, else N-Triples."""
        if len(self._nodes) >= self.LIMIT:
            self._texts.clear()
            self._nodes.clear()
        get, add, out = self._texts.get, self._add, set()
        last, head = None, ""  # consecutive quads mostly share their subject
        for s, p, o, g in quads:
            if s is not last:
                last, head = s, get(id(s)) or add(s)
            text = f"{head} {get(id(p)) or add(p)} {get(id(o)) or add(o)}"
            if graphs and g is not None:
                out.add(f"{text} {get(id(g)) or add(g)} .\n")
            else:
                out.add(f"{text} .\n")
        return out

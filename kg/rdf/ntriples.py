"""N-Triples and N-Quads lines written by hand (canonical escaping), for streaming output."""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError
from kg.rdf.literals import lexical_form
from kg.rdf.namespaces import XSD

__all__ = ["TermTexts", "escape_string", "nquads_line", "ntriples_line", "term"]

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


class TermTexts:
    """Each term's N-Triples text, made once per term object (the same IRI objects recur on
    most lines: predicates, classes, the record's own) and looked up by the object's id; a
    plain ``str`` is a term's text already. The memory is bounded."""

    LIMIT = 200_000
    """Terms remembered at most; :meth:`trim` empties the memory when it holds more."""

    def __init__(self) -> None:
        self.texts: dict[int, str] = {}  # id(node) -> its text
        self._nodes: list[Node] = []  # holding the nodes keeps their ids from being reused

    def add(self, node: Node) -> str:
        """The text of a node not seen yet (remembered)."""
        text = self.texts[id(node)] = term(node)
        self._nodes.append(node)
        return text

    def trim(self) -> None:
        """Forget every term if the memory holds more than LIMIT (between records)."""
        if len(self._nodes) >= self.LIMIT:
            self.texts.clear()
            self._nodes.clear()

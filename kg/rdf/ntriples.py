"""N-Triples and N-Quads lines written by hand (canonical escaping), for streaming output."""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError
from kg.rdf.literals import lexical_form
from kg.rdf.namespaces import XSD

__all__ = ["escape_string", "nquads_line", "ntriples_line", "term"]

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

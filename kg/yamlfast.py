"""A fast reader for the plain block YAML that annotation files are written in.

It reads only a common subset: block mappings and sequences, keys that are simple words,
double- or single-quoted one-line strings without escapes, simple plain scalars, and flow
lists of quoted strings and flow mappings of quoted strings (``["a", "b"]``,
``{entity: "x", role: "y"}``), with comments and blank lines anywhere. For such a text it
gives exactly what :func:`kg.yamlio.load_yaml_text` gives through libyaml (the same values,
:class:`~kg.yamlio.LineDict` lines and key lines); for anything else, including every
malformed text, it gives up (``None``) and the full loader reads the text and reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

__all__ = ["fast_load"]


class _GiveUp(Exception):
    """The text uses YAML this reader does not read: the full loader reads it."""


# Characters YAML reads as themselves on one line: no tab, CR, other line breaks (NEL, LS,
# PS), byte-order mark or control characters (the full loader explains those).
_UNUSUAL = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_ASCII_USUAL = bytes([10, *range(0x20, 0x7F)])  # the ASCII characters _UNUSUAL allows
# Each line: indent, a dash and the spaces after it, a key, what a double-quoted value holds
# when it ends the line (not empty: an empty one, or one followed by spaces or a comment, is
# left to the rest), the rest (possessive repeats: the last group matches anything, so no
# other split is ever tried). Each optional part is an alternative with nothing, ``(?:X|)``,
# not ``(?:X)?`` (a repeat, which the regex engine runs with more bookkeeping): with the
# quoted value read only when it ends the line, a quarter fewer instructions per line.
_LINE = re.compile(
    r"^( *+)(?:(-)( ++|$)|)(?:([A-Za-z_][A-Za-z0-9_-]*+):(?: ++|$)|)"
    r'(?:"([^"\\\n]++)"$|)(.*+)',
    re.MULTILINE,
)
_END = r"(?: +#.*)? *$"  # what may follow a value: spaces, a comment
_DOUBLE = re.compile(r'"([^"\\]*)"' + _END)
_SINGLE = re.compile(r"'([^']*)'" + _END)
_PLAIN = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9 _.,;()/+'!?-]*[A-Za-z0-9_.,;()/+'!?-])?)" + _END)
_QUOTED = r'"[^"\\]*"'
_FLOW_LIST = re.compile(rf"(\[ *(?:{_QUOTED}(?: *, *{_QUOTED})*)? *\])" + _END)
_PAIR = rf"[A-Za-z_][A-Za-z0-9_-]*: *{_QUOTED}"
_FLOW_MAP = re.compile(rf"(\{{ *(?:{_PAIR}(?: *, *{_PAIR})*)? *\}})" + _END)
_ITEM = re.compile(r'"([^"\\]*)"')
_PAIRS = re.compile(r'([A-Za-z_][A-Za-z0-9_-]*): *"([^"\\]*)"')
_EMPTY = object()  # a key with no value on its line: a block follows, or it is null
_MAX_DEPTH = 64


class _Reader:
    def __init__(
        self,
        line_dict: type[dict[str, Any]],
        resolve: Callable[[str], str],
        constructors: dict[str, Any],
    ) -> None:
        self.line_dict, self.resolve, self.constructors = line_dict, resolve, constructors
        self.str_tag = "tag:yaml.org,2002:str"
        self.words: set[str] = set()  # plain words already known to be strings
        self.constructor = yaml.constructor.SafeConstructor()

    def read(self, text: str) -> Any:
        """The mapping ``text`` holds, read line by line in one pass (``_GiveUp`` if outside
        the subset, ``None`` if not a mapping).

        ``stack`` holds the open blocks (column, container, "-" for a sequence, key lines),
        innermost last. A line continues the innermost block at its column (a dash in a sequence, a
        key in a mapping); a line indented deeper than that block may only open the value
        of a key left empty on the line before.
        """
        line_dict: Any = self.line_dict
        words, word, scalar = self.words, self.word, self.scalar
        stack: list[tuple[int, Any, str, Any]] = []
        root: Any = None
        top: Any = None
        top_lines: Any = None
        top_col, top_dash = -1, ""
        pending = ""  # the last key of ``top`` when it had no value on its line
        for number, (indent, dash, gap, key, quoted, rest) in enumerate(_LINE.findall(text), 1):
            column = len(indent)
            if quoted and key and column == top_col and not (dash or top_dash):
                # the most common line: one more key and its quoted value in the same mapping
                if key in top or (key not in words and word(key) != key):
                    raise _GiveUp
                top[key] = quoted
                top_lines[key] = number
                pending = ""
                continue
            if dash:
                if not (key or quoted) and (
                    not rest or rest[0] == "#" or (rest[0] == "-" and rest[1:2] in ("", " "))
                ):
                    raise _GiveUp
            elif not key:
                if quoted or (rest and rest[0] != "#"):
                    raise _GiveUp  # a scalar on a line of its own (a multi-line scalar...)
                continue
            value = quoted if quoted else scalar(rest, number) if rest else _EMPTY
            if not key and value is _EMPTY:
                raise _GiveUp
            if root is None:  # the first line: a key at column 0
                if dash or column:
                    return None
                root = top = line_dict()
                root.line, root.key_lines, top_col = number, {}, 0
                top_lines = root.key_lines
                stack.append((0, root, "", top_lines))
            elif pending and (column > top_col or (column == top_col and dash)):
                if len(stack) > _MAX_DEPTH:
                    raise _GiveUp
                block: Any = [] if dash else line_dict()
                top_lines = None
                if not dash:
                    block.line, block.key_lines = number, {}
                    top_lines = block.key_lines
                top[pending] = block
                top_col, top, top_dash = column, block, dash
                stack.append((column, block, dash, top_lines))
            else:
                while column != top_col or top_dash != dash:
                    if column > top_col:
                        raise _GiveUp
                    stack.pop()
                    if not stack:
                        raise _GiveUp
                    top_col, top, top_dash, top_lines = stack[-1]
            pending = ""
            if dash:
                if not key:
                    top.append(value)
                    continue
                mapping: Any = line_dict()
                mapping.line, mapping.key_lines = number, {}
                top.append(mapping)
                if len(stack) > _MAX_DEPTH:
                    raise _GiveUp
                top_col, top, top_dash, top_lines = (
                    column + 1 + len(gap),
                    mapping,
                    "",
                    mapping.key_lines,
                )
                stack.append((top_col, mapping, "", top_lines))
            if key in top or (key not in words and word(key) != key):
                raise _GiveUp
            if value is _EMPTY:
                value, pending = None, key
            top[key] = value
            top_lines[key] = number
        return root

    def word(self, text: str) -> str:
        """A plain key, refused unless YAML reads it as a string."""
        if text not in self.words:
            if self.resolve(text) != self.str_tag:
                raise _GiveUp
            self.words.add(text)
        return text

    def scalar(self, text: str, line: int) -> Any:
        first = text[:1]
        if not first or first == "#":
            return _EMPTY
        if first == '"':
            found = _DOUBLE.match(text)
        elif first == "'":
            found = _SINGLE.match(text)
        elif first == "[":
            found = _FLOW_LIST.match(text)
            if not found:
                raise _GiveUp
            return _ITEM.findall(found[1])
        elif first == "{":
            return self.flow_map(text, line)
        else:
            found = _PLAIN.match(text)
            if found:
                return self.plain(found[1])
        if not found:
            raise _GiveUp
        return found[1]

    def plain(self, text: str) -> Any:
        if text in self.words:
            return text
        tag = self.resolve(text)
        if tag == self.str_tag:
            return text
        construct = self.constructors.get(tag)
        if construct is None:
            raise _GiveUp
        return construct(self.constructor, yaml.ScalarNode(tag, text))

    def flow_map(self, text: str, line: int) -> Any:
        found = _FLOW_MAP.match(text)
        if not found:
            raise _GiveUp
        result = self.line_dict()
        result.line = line  # type: ignore[attr-defined]
        lines: dict[str, int] = {}
        result.key_lines = lines  # type: ignore[attr-defined]
        for key, value in _PAIRS.findall(found[1]):
            if key in result:
                raise _GiveUp
            result[self.word(key)] = value
            lines[key] = line
        return result


_READERS: dict[type, _Reader] = {}


def fast_load(text: str, loader: type[yaml.SafeLoader], line_dict: type[dict[str, Any]]) -> Any:
    """The mapping ``text`` holds, or ``None`` when the text is not in the subset read here.

    ``loader`` is the full loader (its tag resolution and scalar constructors are used);
    ``line_dict`` the mapping type it makes (with ``line`` and ``key_lines``).
    """
    if text.isascii():  # the same test, many times faster (a constant-time check, then C)
        if text.encode("ascii").translate(None, _ASCII_USUAL):
            return None
    elif _UNUSUAL.search(text):
        return None
    reader = _READERS.get(loader)
    if reader is None:
        resolver = loader("")  # its tag resolution, as the full loader resolves plain scalars

        def tag(value: str) -> str:
            return str(resolver.resolve(yaml.ScalarNode, value, (True, False)))  # type: ignore[no-untyped-call]

        constructors = {str(k): v for k, v in loader.yaml_constructors.items()}
        reader = _READERS[loader] = _Reader(line_dict, tag, constructors)
    try:
        return reader.read(text)
    except _GiveUp:
        return None

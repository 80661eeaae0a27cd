"""A regex alternation of many words, written as a trie so the regex engine tries one path."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["longest_first"]

_Trie = dict[str, "_Trie"]


def longest_first(words: Iterable[str]) -> str:
    """A regex (no groups) matching the same as ``"|".join`` of the escaped ``words`` sorted
    longest first, but with shared prefixes factored out: at each position the engine follows
    one path of the trie instead of trying every word, and prefers the longest word there.

    Case-sensitive: under ``re.IGNORECASE`` two words differing only in case would be two paths.

    >>> longest_first(["report", "reported", "rift", "a.b"])
    '(?:a\\\\.b|r(?:eport(?:ed)?|ift))'
    >>> re.findall(longest_first(["report", "reported"]), "reported, report")
    ['reported', 'report']
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node(trie) or "(?!)"


def _node(node: _Trie) -> str:
    branches = [re.escape(char) + _node(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"

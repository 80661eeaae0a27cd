"""Scanning a whole text with a slow regex, tried only where a fast one says a match can start."""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["finditer_from"]


def finditer_from(
    pattern: re.Pattern[str], starts: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, trying ``pattern`` only where ``starts`` matches.

    ``starts`` must match wherever a match of ``pattern`` can begin, and ``pattern`` must never
    match the empty string. A pattern opening with ``\\b``, a lookbehind or an optional part
    makes the regex engine try it at every offset of the text; one opening with a literal or a
    character class (``the\\s``, ``[Tt]he\\s``) lets it skip ahead to where that occurs.

    >>> slow, fast = re.compile(r"\\b(?:the\\s+)?border\\b"), re.compile(r"the\\s|border")
    >>> [m.group() for m in finditer_from(slow, fast, "the border; bathe borders, border")]
    ['the border', 'border']
    """
    position = 0
    while (candidate := starts.search(text, position)) is not None:
        at = candidate.start()
        match = pattern.match(text, at)
        if match is None:
            position = at + 1
        else:
            yield match
            position = match.end()

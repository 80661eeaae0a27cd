"""Case-insensitive cue patterns run as case-sensitive ones over the lower-cased text.

``re.IGNORECASE`` makes the regex engine fold every character it compares: the cue patterns
(incident triggers, reporting verbs) run several times faster without it, over ``text.lower()``.
That finds the same matches when the pattern is plain ASCII with no upper-case letter of its
own, and the text holds none of the four characters whose lower case and whose
``re.IGNORECASE`` match disagree. Each match is then taken again with the original pattern at
the same offset, so callers get the match objects (and the original letters) they always got.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["FOLDS_APART", "Folded", "caseless", "finditer"]

FOLDS_APART = frozenset("\u0130\u0131\u017f\u212a")
"""The characters whose ``lower()`` is not one character that ``re.IGNORECASE`` treats alike
(dotted I, dotless i, long s, Kelvin sign); tests/test_extract_caseless.py finds them again
by going through every code point."""

_UNSAFE = re.compile(
    r"""\\[0-9xuUN]  # escapes naming a character by number or name, back-references
    | \(\?[aiLmsux-]  # inline flags ((?i), (?-i:...))
    | (?<!\\)[A-Z]  # an upper-case letter of the pattern's own""",
    re.VERBOSE,
)


def caseless(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` without ``re.IGNORECASE``, for lower-cased text, or None when that could
    match differently (not case-insensitive, not ASCII, inline flags, upper-case letters)."""
    known = _CASELESS.get(id(pattern))
    if known is not None and known[0] is pattern:
        return known[1]
    source, flags = pattern.pattern, pattern.flags
    fast = None
    # an escaped backslash would hide the next character from the check: give up on it
    if (
        flags == re.IGNORECASE | re.UNICODE
        and source.isascii()
        and "\\\\" not in source
        and not _UNSAFE.search(source)
    ):
        fast = re.compile(source, flags & ~re.IGNORECASE)
    _CASELESS[id(pattern)] = (pattern, fast)
    return fast


_CASELESS: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}
"""Each pattern's case-sensitive twin, by identity (hashing a compiled pattern is slow)."""
_LAST: list[object] = [None, False]
"""The last text asked about, and whether its lower case may stand in for it."""


def finditer(
    pattern: re.Pattern[str], text: str, lowered: str, start: int, end: int
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text, start, end)``; ``lowered`` is ``text.lower()``."""
    fast = caseless(pattern)
    if _LAST[0] is not text:
        _LAST[:] = [text, len(text) == len(lowered) and FOLDS_APART.isdisjoint(text)]
    if fast is None or not _LAST[1]:
        return pattern.finditer(text, start, end)
    found = []
    for hit in fast.finditer(lowered, start, end):
        match = pattern.match(text, hit.start(), end)
        if match is None or match.end() != hit.end():  # cannot happen; the plain way if it does
            return pattern.finditer(text, start, end)
        found.append(match)
    return iter(found)


class Folded:
    """A text and its lower case, which stands in for it when it may (see the module doc)."""

    _last: Folded | None = None

    def __init__(self, text: str, lowered: str) -> None:
        self.text = text
        self.lowered = (
            lowered if len(text) == len(lowered) and FOLDS_APART.isdisjoint(text) else None
        )

    @classmethod
    def of(cls, text: str, lowered: str) -> Folded:
        """The Folded of ``text``, made once for the last text asked about."""
        last = cls._last
        if last is None or last.text is not text:
            last = cls._last = cls(text, lowered)
        return last

    def search(self, pattern: re.Pattern[str], start: int, end: int) -> re.Match[str] | None:
        """``pattern.search(text, start, end)``; the match may be one over the lower-cased
        text: its offsets are the text's, its letters perhaps not."""
        fast = caseless(pattern) if self.lowered is not None else None
        if fast is None or self.lowered is None:
            return pattern.search(self.text, start, end)
        return fast.search(self.lowered, start, end)

    def search_in(self, pattern: re.Pattern[str], start: int, end: int) -> bool:
        """Whether ``pattern.search(text[start:end])`` finds a match (nothing before ``start``
        is seen, so a ``\\b`` or a lookbehind there reads the start as the edge of the text)."""
        fast = caseless(pattern) if self.lowered is not None else None
        if fast is None or self.lowered is None:
            return pattern.search(self.text[start:end]) is not None
        return fast.search(self.lowered[start:end]) is not None

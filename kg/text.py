"""Sentence spans with character offsets, and quote lookup in article text."""

from __future__ import annotations

import bisect
import itertools
import re

__all__ = [
    "find_quote",
    "normalise_invisible",
    "normalise_quotes",
    "sentence_index",
    "split_sentences",
]

_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s)(?:(?=\s*(\S))|)")
_OPENING = "\"“‘'("
_PARAGRAPH = re.compile(r"\n\s*\n")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "no",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "gov",
        "sen",
        "rep",
        "adm",
        "cmdr",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_LONGEST = max(map(len, _ABBREVIATIONS))
_INVISIBLE_TABLE = str.maketrans(
    {
        **dict.fromkeys(
            "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
            "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff",
            "",
        ),
        "\u2028": "\n",
        "\u2029": "\n\n",
        "\r": "",
    }
)
_INVISIBLE = re.compile("[" + re.escape("".join(map(chr, _INVISIBLE_TABLE))) + "]")
_QUOTE_TABLE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period ending at ``end`` closes an abbreviation or an initial."""
    start = end
    while start > 0 and text[start - 1] == ".":
        start -= 1
    # The word (the letters and periods before, less the periods ending it): an abbreviation
    # has at most _LONGEST characters (casefolding never shortens a word), so the scan stops
    # one past that, not at the start of a long word.
    stop = max(start - _LONGEST - 1, 0)
    word_end = start
    while start > stop and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    if word_end - start > _LONGEST:
        return False
    word = text[start:end].rstrip(".").casefold()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentence spans ``(start, end)``, trimmed of surrounding whitespace.

    >>> text = "Gen. Smith left. He said “no.” Then Dr. Who came.\\n\\nNew paragraph"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['Gen. Smith left.', 'He said “no.”', 'Then Dr. Who came.', 'New paragraph']
    """
    cuts: set[int] = {0, len(text)}
    for match in _PARAGRAPH.finditer(text):
        cuts.add(match.start())
        cuts.add(match.end())
    for match in _END.finditer(text):
        # The first character after the spaces (the regex's lookahead; none at the end).
        following = match[1]
        if following is None or not (
            following.isupper() or following.isdigit() or following in _OPENING
        ):
            continue
        if match.group() == "." and _is_abbreviation(text, match.start()):
            continue  # (a period alone, after an abbreviation)
        cuts.add(match.end())
    spans = []
    points = sorted(cuts)
    for start, end in itertools.pairwise(points):
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            offset = start + len(chunk) - len(chunk.lstrip())
            spans.append((offset, offset + len(stripped)))
    return spans


def sentence_index(spans: list[tuple[int, int]], offset: int) -> int | None:
    """Index of the sentence span containing ``offset``, or None.

    >>> sentence_index([(0, 5), (6, 10)], 7)
    1
    """
    starts = [s for s, _ in spans]
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return i
    return None


def normalise_quotes(text: str) -> str:
    """Straight quotes, plain spaces and single spacing, for forgiving comparisons.

    >>> normalise_quotes("Borduzha’s  “denial”")
    'Borduzha\\'s "denial"'
    """
    return re.sub(r"\s+", " ", text.translate(_QUOTE_TABLE))


def find_quote(text: str, quote: str, occurrence: int = 1) -> int | None:
    """Start offset of the ``occurrence``-th exact occurrence of ``quote`` in ``text``.

    >>> find_quote("a b a b", "a b", 2)
    4
    """
    position = -1
    for _ in range(occurrence):
        position = text.find(quote, position + 1)
        if position < 0:
            return None
    return position


def normalise_invisible(text: str) -> str:
    r"""Drop characters a reader cannot see (soft hyphens, zero-width characters, direction
    marks, byte-order marks, carriage returns) and turn Unicode line and paragraph separators
    into newlines, so that names match and offsets refer to the text as stored.

    >>> normalise_invisible("Tash\u00adkent\u200b is\u2028here")
    'Tashkent is\nhere'
    """
    # translate() copies the text character by character: most texts need none of it
    return text.translate(_INVISIBLE_TABLE) if _INVISIBLE.search(text) else text

"""Cue patterns run case-sensitively over the lower-cased text find what the case-insensitive
patterns find over the text itself (kg/extract/caseless.py)."""

from __future__ import annotations

import random
import re
import string

from kg.extract import claims, cues, incidents, speakers
from kg.extract.caseless import FOLDS_APART, Folded, caseless, finditer


def test_the_characters_that_fold_apart_are_all_known() -> None:
    # a character is safe when it lowers to one non-ASCII character of the same classes and
    # re.IGNORECASE does not take it for an ASCII letter
    letter = re.compile(r"[a-z]", re.IGNORECASE)
    classes = [re.compile(r"\w"), re.compile(r"\s"), re.compile(r"\d")]
    apart = set()
    for code in range(0x80, 0x110000):
        char = chr(code)
        low = char.lower()
        if (
            len(low) != 1
            or low.isascii()
            or letter.fullmatch(char)
            or any(bool(c.fullmatch(char)) != bool(c.fullmatch(low)) for c in classes)
        ):
            apart.add(char)
    assert apart == FOLDS_APART


def test_patterns_that_could_match_otherwise_keep_the_plain_way() -> None:
    assert caseless(re.compile(r"\bsaid\b", re.I)) is not None
    assert caseless(re.compile(r"\bsaid\b")) is None  # case-sensitive already
    assert caseless(re.compile(r"\bSaid\b", re.I)) is None  # an upper-case letter
    assert caseless(re.compile(r"call(?=(?-i:[A-Z]))", re.I)) is None  # inline flags
    assert caseless(re.compile(r"d.\x41tat", re.I)) is None  # a letter by number
    assert caseless(re.compile(r"d.état", re.I)) is None  # not ASCII
    assert caseless(re.compile(r"\\S", re.I)) is None  # an escaped backslash
    assert caseless(re.compile(r"\S+\s+\w", re.I)) is not None  # classes are not letters


_WORDS = str.split(
    "said SAID Said says told the police Detained detained attacks AID aid cuts clash "
    "with Kelvin denied Accused blamed were HELD held hostage Ünal Émile Straße Σίσυφος "
    "über, “quoted” — said: according to 12 exploded bombers Fighting"
)


def test_cue_patterns_find_the_same_matches_as_the_plain_way() -> None:
    patterns = [c.pattern for c in cues.trigger_cues()] + [c.pattern for c in cues.reporting_cues()]
    assert sum(caseless(p) is not None for p in patterns) > len(patterns) // 2
    rng = random.Random(5)
    for _ in range(400):
        text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 30)))
        if rng.random() < 0.3:
            text = "".join(rng.choice((c, c.upper())) for c in text)
        if rng.random() < 0.2:
            text += rng.choice(string.punctuation)
        if rng.random() < 0.1:  # a character that folds apart: the plain way
            text += " " + rng.choice(["ſaid", "İstanbul", "ıt", "\u212a"])
        lowered = text.lower()
        start = rng.randint(0, len(text) // 2)
        end = rng.randint(start, len(text))
        for pattern in patterns:
            plain = [(m.span(), m.group()) for m in pattern.finditer(text, start, end)]
            fast = [(m.span(), m.group()) for m in finditer(pattern, text, lowered, start, end)]
            assert fast == plain, (pattern.pattern, text)


def test_searches_over_the_folded_text_agree_with_the_plain_ones() -> None:
    patterns = [
        v
        for module in (incidents, claims, speakers)
        for v in vars(module).values()
        if isinstance(v, re.Pattern)
    ]
    assert sum(caseless(p) is not None for p in patterns) > 10
    rng = random.Random(8)
    for _ in range(300):
        text = " ".join(rng.choice(_WORDS + _BEFORE) for _ in range(rng.randint(1, 25)))
        if rng.random() < 0.3:
            text = text.upper()
        if rng.random() < 0.1:
            text = rng.choice(["ſ", "İ", "ı", "\u212a"]) + text
        folded = Folded(text, text.lower())
        start = rng.randint(0, len(text) // 2)
        end = rng.randint(start, len(text))
        for pattern in patterns:
            plain_match = pattern.search(text, start, end)
            fast = folded.search(pattern, start, end)
            assert (fast and fast.span()) == (plain_match and plain_match.span()), text
            plain = pattern.search(text[start:end]) is not None
            assert folded.search_in(pattern, start, end) == plain, (pattern.pattern, text)


_BEFORE = str.split(
    "The THE these his planned Plotting a an several new any no possible future was WERE "
    "been Being called for Urged must should would and he She, which who , Who has "
    "spokesman Press Service official"
)

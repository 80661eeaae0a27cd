"""Deterministic, readable ids: a type prefix and a slug, or a short stable hash."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

__all__ = ["make_id", "slugify", "stable_hash"]

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


@functools.lru_cache(maxsize=1 << 16)  # names recur in every file that mentions them
def slugify(text: str) -> str:
    """Lower-case, accent-free, hyphen-joined words; unicode letters are kept.

    >>> slugify("Kazakhstan’s National Security Committee (KNB)")
    'kazakhstan-s-national-security-committee-knb'
    >>> slugify("Nikolaï  Bordyuzha"), slugify("Назарбаев")
    ('nikolai-bordyuzha', 'назарбаев')
    """
    stripped = text
    if not text.isascii():  # ASCII has no accents to take off
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub("-", stripped.casefold()).replace("_", "-").strip("-")


def stable_hash(*parts: str, length: int = 10) -> str:
    """A short hex digest of the parts, the same on every machine and run.

    >>> stable_hash("a", "b") == stable_hash("a", "b") != stable_hash("ab")
    True
    """
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8"), usedforsecurity=False)
    return digest.hexdigest()[:length]


def make_id(prefix: str, *parts: str) -> str:
    """``prefix:slug`` from the parts; a hash stands in when the slug would be empty or long.

    >>> make_id("org", "KNB"), make_id("inc", "2004-07-30", "bombing", "plc:tashkent")
    ('org:knb', 'inc:2004-07-30-bombing-plc-tashkent')
    """
    slug = slugify("-".join(p for p in parts if p))
    if not slug or len(slug) > 80:
        slug = (slug[:60].rstrip("-") + "-" if slug else "") + stable_hash(*parts)
    return f"{prefix}:{slug}"

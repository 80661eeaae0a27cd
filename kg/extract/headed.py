"""Names made of a capitalised word and a lowercase head: "Isfara river", "Osh regional court".

Also borders named by two demonyms ("the Kyrgyz-Tajik border").
"""

from __future__ import annotations

import re

from . import lexicon as lx
from .registry import DocEntity, Registry

__all__ = ["find_headed"]

_ORG_LOWER_HEADS = {
    "court": "court",
    "police": "police",
    "administration": "government_body",
    "council": "government_body",
    "assembly": "government_body",
    "akimat": "government_body",
    "hokimiyat": "government_body",
    "department": "government_body",
    "prosecutor's office": "government_body",
}
_NOT_NAMES = frozenset(("No", "Any", "Every", "Each", "Another", "Which", "What", "Whichever"))
"""Capitalised words that open a sentence, not a name: "No group has claimed it"."""
_MODIFIERS = (
    r"(?:(?:regional|district|city|county|municipal|provincial|oblast|criminal|military|appeals"
    r"|railway|gold|water|bus|border|police|central|main|old|new|naval|social)\s+){0,2}"
)
# "[A-Z](?<![\w-].)": a capital with no word character before it, written capital first so that
# the regex engine skips ahead to capitals instead of trying the lookbehind at every offset.
_NAME = r"(?P<name>[A-Z](?<![\w’'-].)[\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2})"
_HEADS = "|".join(
    sorted(
        [re.escape(h) for h in _ORG_LOWER_HEADS] + [re.escape(h) for h in lx.PLACE_HEADS],
        key=len,
        reverse=True,
    )
)
_HEADED = re.compile(_NAME + r"\s+(?P<mods>" + _MODIFIERS + r")(?P<head>" + _HEADS + r")\b")
_FACILITIES = (
    r"building|station|prison|jail|hospital|market|restaurant|hotel|church|cathedral"
    r"|synagogue|mosque|school|compound|headquarters|residence|warehouse|post|court"
)
_FACILITY_IN = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?P<name>(?:(?-i:[A-Z][a-z]+|[a-z][\w-]*)\s+){0,3}?"
    r"(?P<head>" + _FACILITIES + r")\s+(?:in|at)\s+)(?=[A-Z])"
)
_FACILITY_LIST = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?P<items>(?:"
    + _FACILITIES
    + r")(?:,\s+(?:an?|the)\s+(?:"
    + _FACILITIES
    + r"))*),?\s+and\s+(?:an?|the)\s+(?:[a-z][\w-]*\s+){0,3}?(?:"
    + _FACILITIES
    + r")\s+(?:in|at)\s+(?=[A-Z])"
)  # "a synagogue, a church and a police post in Harwick": each item is in the town
_FACILITY_AT = re.compile(r"(?:" + _FACILITIES + r")\s+(?:in|at)\s")
"""What every match of the two facility patterns holds: a text without it needs neither scan."""
_PLURAL_HEADS = {"districts": "district", "townships": "township", "provinces": "province"}
_PLURAL = re.compile(
    r"(?P<names>[A-Z](?<![\w-].)[\w’'-]+(?:,\s+[A-Z][\w’'-]+)*\s+and\s+[A-Z][\w’'-]+)\s+"
    r"(?P<head>" + "|".join(_PLURAL_HEADS) + r")\b"
)  # "the Arvel and Dornik districts": two districts
_BORDER = re.compile(r"(?P<a>[A-Z](?<![\w-].)[a-z]+)-(?P<b>[A-Z][a-z]+)\s+border\b")


def _demonym(reg: Registry, word: str) -> str | None:
    for hit in reg.gazetteer.index.get((word.casefold(),), ()):
        if hit.demonym:
            return reg.gazetteer.entries[hit.entry].name
    return None


def _headed(reg: Registry, match: re.Match[str]) -> None:
    text, types = reg.doc.text, reg.types
    words = match.group("name").split()
    start = match.start("name")
    while words and words[0].casefold() in lx.SENTENCE_STARTERS | lx.DETERMINERS:
        start = text.index(words[0], start) + len(words[0])
        while start < len(text) and text[start].isspace():
            start += 1
        words = words[1:]
    if not words or any(w.casefold() in lx.MONTHS for w in words) or words[0] in _NOT_NAMES:
        return
    end = match.end("head")
    head = match.group("head")
    inner = reg.between(start, match.end("name"))
    inner_types = {reg.entities[m.key].type for m in inner}
    if inner_types - {types["Place"]}:
        return  # a person, an organisation or a country: "the Kazakh police", "Smith court"
    if _demonym(reg, words[-1]) is not None or (
        len(words) == 1 and words[0].isupper() and words[0].isalpha()
    ):
        return  # "the Chinese embassy" is a national body; "KNB department" is a part of it
    if any(m.start == start and m.end == end for m in reg.between(start, end)):
        return
    name = text[start:end]
    org = head in _ORG_LOWER_HEADS
    known = reg.named(" ".join(words))
    if (
        not org
        and known is not None
        and known.type == types["Place"]
        and (known.gaz is None or known.kind == lx.PLACE_HEADS[head])
    ):
        reg.alias(known, name)  # "in Tovuz" ... "the Tovuz district": one place
        reg.mention(start, end, known, "lowercase-head")
        return
    entity: DocEntity = reg.add(
        types["Organisation"] if org else types["Place"],
        name,
        "lowercase-head",
        (start, end),
        kind=_ORG_LOWER_HEADS[head] if org else lx.PLACE_HEADS[head],
    )
    if org and inner:
        entity.properties.setdefault("_based_in", inner[0].key)  # "Osh regional court"
    reg.mention(start, end, entity, "lowercase-head")


def _facility(reg: Registry, match: re.Match[str]) -> None:
    """ "a police station in Vahdat": a Place (a court: an Organisation) named with its town."""
    located = reg.at(match.end())
    if located is None:
        return
    place = reg.entities[located.key]
    if place.type not in (reg.types["Place"], reg.types["Country"]):
        return
    start, end = match.start("name"), located.end
    name = reg.doc.text[start:end]
    name = name[0].upper() + name[1:]
    court = match.group("head") == "court"
    entity = reg.add(
        reg.types["Organisation"] if court else reg.types["Place"],
        name,
        "facility-in-place",
        (start, end),
        kind="court" if court else "facility",
    )
    if court:
        entity.properties.setdefault("_based_in", place.key)
    # the mention covers the facility words only, so the town stays the place events happen in
    reg.forget(start, match.end("head"))  # "Orthodox church" read alone before: this is better
    reg.mention(start, match.end("head"), entity, "facility-in-place")


def _plural(reg: Registry, match: re.Match[str]) -> None:
    """Each name before a plural head is a place of that kind: "X and Y districts"."""
    head = _PLURAL_HEADS[match.group("head")]
    for name in re.finditer(r"[A-Z][\w’'-]+", match.group("names")):
        start, end = match.start("names") + name.start(), match.start("names") + name.end()
        inner = reg.between(start, end)
        if any(reg.entities[m.key].type != reg.types["Place"] for m in inner):
            continue  # a country or a person: not a district's name
        entity = reg.add(
            reg.types["Place"], f"{name.group()} {head}", "plural-head", (start, end), kind=head
        )
        if not inner:
            reg.mention(start, end, entity, "plural-head")


def find_headed(reg: Registry) -> None:
    """Add places and organisations named by a lowercase head after a capitalised name.

    Reads the mentions as the phrase stage left them (sorted); the next stage sorts again.
    """
    text = reg.doc.text
    for match in _HEADED.finditer(text):
        _headed(reg, match)
    facilities = _FACILITY_AT.search(text) is not None
    for match in _FACILITY_IN.finditer(text) if facilities else ():
        _facility(reg, match)
    for match in _FACILITY_LIST.finditer(text) if facilities else ():
        located = reg.at(match.end())
        if located is None or reg.entities[located.key].type != reg.types["Place"]:
            continue
        for item in re.finditer(r"[a-z]+", match.group("items")):
            if item.group() in ("a", "an", "the"):
                continue
            start = match.start("items") + item.start()
            name = f"{item.group().capitalize()} in {reg.entities[located.key].name}"
            entity = reg.add(reg.types["Place"], name, "facility-in-place", kind="facility")
            reg.mention(start, start + len(item.group()), entity, "facility-in-place")
    plural = any(head in text for head in _PLURAL_HEADS)
    for match in _PLURAL.finditer(text) if plural else ():
        _plural(reg, match)
    for match in _BORDER.finditer(text) if "border" in text else ():
        first, second = _demonym(reg, match.group("a")), _demonym(reg, match.group("b"))
        if first and second and first != second:
            entity = reg.add(
                reg.types["Place"],
                match.group(0),
                "border-phrase",
                (match.start(), match.end()),
                kind="border_area",
            )
            reg.mention(match.start(), match.end(), entity, "border-phrase")

"""The structures that keep extraction linear in the length of an article give the answers the
plain ones gave: mentions added late, evidence sets, acronym uses found in one scan."""

from __future__ import annotations

import bisect
import random
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from kg.documents import parse_article
from kg.extract.datefind import _DATE, _START
from kg.extract.draft import render_draft
from kg.extract.entities import entity_types
from kg.extract.gazetteer import Gazetteer, NameHit, TrieNode
from kg.extract.groups import _QUANTITY, _count, _quantity
from kg.extract.headed import _BORDER, _FACILITY_AT, _FACILITY_IN, _FACILITY_LIST, _HEADED, _PLURAL
from kg.extract.names import NameFinder
from kg.extract.phrases import _MEDIA_AFTER, _NEEDS, _STARTS, _scan
from kg.extract.pipeline import Extractor, load_extractor
from kg.extract.registry import _END as _MENTION_END
from kg.extract.registry import _START as _MENTION_START
from kg.extract.registry import Mention, Registry
from kg.extract.scan import finditer_from
from kg.extract.tokens import tokenize
from kg.extract.trie import longest_first
from kg.schema import Schema

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "fixtures" / "corpus" / "articles"


@pytest.fixture(scope="module")
def extractor(schema: Schema) -> Extractor:
    return load_extractor(schema, ROOT / "seeds")


def _registry(schema: Schema, text: str) -> Registry:
    doc = parse_article(f"---\ntitle: T\ndate: 2010-06-15\n---\n{text}", Path("linear.md"))
    return Registry(doc, schema, Gazetteer(), entity_types(schema))


def test_mentions_added_after_finish_read_as_if_inserted_in_order(schema: Schema) -> None:
    reg = _registry(schema, "word " * 4000)
    rng = random.Random(3)
    entity = reg.add("Place", "Osh", "test")
    for _ in range(300):
        start = rng.randrange(0, 19000)
        reg.mention(start, start + rng.randint(1, 30), entity, "early")
    reg.finish()
    expected = list(reg.mentions)
    starts = [m.start for m in expected]
    for n in range(9000):  # past the size at which the late ones are merged in
        start = rng.randrange(0, 19000)
        mention = Mention(start, start + rng.randint(1, 30), entity.key, f"late-{n}")
        reg.mention(mention.start, mention.end, entity, mention.rule)
        i = bisect.bisect_right(starts, start)  # what inserting each one in place gives
        expected.insert(i, mention)
        starts.insert(i, start)
        if n % 97 == 0:
            a = rng.randrange(0, 19000)
            b = a + rng.randint(0, 400)
            assert reg.between(a, b) == [m for m in expected if a <= m.start and m.end <= b]
    assert reg.mentions == expected
    assert reg.between(0, 20000) == expected


def test_evidence_is_kept_once_however_often_a_name_recurs(schema: Schema) -> None:
    reg = _registry(schema, "Osh. " * 100)
    for k in (0, 5, 0, 10, 5, 15):
        entity = reg.add("Place", "Osh", "test", (k, k + 3))
    entity.evidence.append((20, 23))  # rules may append directly
    reg.add("Place", "Osh", "test", (20, 23))
    reg.add("Place", "Osh", "test", (25, 28))
    assert entity.evidence == [(0, 3), (5, 8), (10, 13), (15, 18), (20, 23), (25, 28)]


def test_acronym_uses_in_one_scan_are_those_of_one_scan_per_acronym(schema: Schema) -> None:
    text = (
        "The Committee for Security (KNB) met. KNB-linked men and KNBs left; KNB agents and "
        "(KNB) came. Radio Free Europe/Radio Liberty (RFE/RL) and RFE/RL staff, RFE and RL, "
        "AT&T (AT&T) and AT, the CSTO (CSTO)."
    )
    finder = NameFinder(_registry(schema, text), tokenize(text))
    acronyms = {"KNB", "RFE/RL", "RFE", "RL", "AT&T", "AT", "CSTO"}
    found = finder.acronym_uses(acronyms)
    for acronym in acronyms:
        pattern = re.compile(r"(?<![\w-])" + re.escape(acronym) + r"(?![\w-])")
        assert found[acronym] == [
            (m.start(), m.end(), finder.token_index(m.start())) for m in pattern.finditer(text)
        ], acronym
    assert len(found["KNB"]) == 3 and len(found["RFE"]) == 3 and len(found["AT"]) == 3


def test_an_acronym_defined_many_times_names_every_use(extractor: Extractor) -> None:
    paragraph = (
        "The Agency for Border Control (ABC) said on Monday that ABC officers had seen nothing. "
        "Officials of ABC declined to comment."
    )
    doc = parse_article(
        "---\ntitle: T\ndate: 2010-06-15\n---\n" + "\n\n".join([paragraph] * 30),
        Path("acronyms.md"),
    )
    draft = render_draft(extractor.extract(doc))
    assert draft.count("name: Agency for Border Control") == 1
    assert "aliases: [ABC]" in draft and "the text defines the acronym" in draft


def test_a_trie_alternation_matches_as_the_longest_first_one() -> None:
    rng = random.Random(5)
    for _ in range(200):
        words = {"".join(rng.choice("ab.c") for _ in range(rng.randint(1, 5))) for _ in range(9)}
        plain = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
        trie = re.compile(longest_first(words))
        text = "".join(rng.choice("ab.c ") for _ in range(300))
        assert trie.findall(text) == plain.findall(text)
        followed = re.compile("(?:" + trie.pattern + ")c")  # backtracks to a shorter word
        assert followed.findall(text) == re.findall("(?:" + plain.pattern + ")c", text)


@pytest.mark.parametrize(
    ("pattern", "starts"), [(_DATE, _START), *_STARTS.items()], ids=lambda p: p.pattern[:20]
)
def test_a_pattern_tried_where_it_can_start_finds_what_one_full_scan_finds(
    pattern: re.Pattern[str], starts: re.Pattern[str]
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*"))]
    rng = random.Random(8)
    pieces = ["May", "4", "1999", "the", "in", "On", "Tuesday", "last", "week", "٣", "x", "-"]
    pieces += ["The", "border", "between", "air", "base", "in", "northern", "city", "police"]
    pieces += ["news", "agency", "Tass", "government", "of", "rights", "group", "Ailana", ","]
    texts.append("".join(rng.choice(pieces) + rng.choice(" " * 5 + "x") for _ in range(5000)))
    for text in texts:
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in finditer_from(pattern, starts, text)] == expected


@pytest.mark.parametrize("pattern", [_HEADED, _PLURAL, _BORDER, _MEDIA_AFTER])
def test_a_capital_checked_before_its_lookbehind_matches_as_the_other_order(
    pattern: re.Pattern[str],
) -> None:
    plain = re.compile(
        re.sub(r"\[A-Z\]\(\?<!(\[[^]]+\]|\\w)\.\)", r"(?<!\1)[A-Z]", pattern.pattern)
    )
    assert plain.pattern != pattern.pattern
    rng = random.Random(9)
    pieces = ["Osh", "x", "-", "Arvel", "and", ",", "Kyrgyz-Tajik", "border", "river", "’", " "]
    pieces += ["Tass", "news", "agency", "newspaper", "_"]
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*"))]
    texts.append("".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(3000)))
    for text in texts:
        expected = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in pattern.finditer(text)] == expected


def test_a_quantity_read_from_the_last_word_is_the_one_read_from_the_whole_text() -> None:
    rng = random.Random(4)
    pieces = ["about", "some", "at least", "19", "1,200", "twenty-one", "of", "the", "x-two"]
    pieces += ["dozens", "Ten", "a19", ",", " ", "\n", "-"]
    for _ in range(2000):
        before = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(6))[-40:]
        text = before.replace(" of the ", " ").replace(" of ", " ")
        plain = _QUANTITY.search(text)
        assert _quantity(before) == (_count(plain.group(0).split()[-1]) if plain else None)


def test_the_mention_at_an_offset_is_the_first_one_between_it_and_400_on(schema: Schema) -> None:
    reg = _registry(schema, "word " * 2000)
    rng = random.Random(6)
    entity = reg.add("Place", "Osh", "test")
    for late in (False, True):  # before and after finish(): the late ones are a second list
        for _ in range(400):
            start = rng.randrange(0, 9000)
            reg.mention(start, start + rng.choice([1, 5, 30, 399, 400, 401, 900]), entity, "x")
        if not late:
            reg.finish()
        for start in range(0, 9000, 7):
            found = reg.between(start, start + 400)
            assert reg.at(start) == (found[0] if found and found[0].start == start else None)


def test_the_gazetteer_trie_holds_the_index_key_by_key(extractor: Extractor) -> None:
    gazetteer = extractor.gazetteer
    walked: dict[tuple[str, ...], tuple[NameHit, ...]] = {}
    stack: list[tuple[tuple[str, ...], Mapping[str, TrieNode]]] = [((), gazetteer.trie)]
    while stack:
        key, nodes = stack.pop()
        for token, (children, hits) in nodes.items():
            if hits:
                walked[(*key, token)] = hits
            stack.append(((*key, token), children))
    assert walked == dict(gazetteer.index) and len(walked) > 1000


def test_a_text_without_a_facility_before_in_or_at_has_no_facility_match() -> None:
    rng = random.Random(10)
    pieces = ["a", "the", "An", "police", "post", "station", "court", ",", "and", "in", "at"]
    pieces += ["Harwick", "hotel", "posted", "inside", "\n"]
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*"))]
    texts += [
        "".join(rng.choice(pieces) + rng.choice(" " * 4 + ",") for _ in range(12))
        for _ in range(3000)
    ]
    matched = 0
    for text in texts:
        found = list(_FACILITY_IN.finditer(text)) + list(_FACILITY_LIST.finditer(text))
        matched += bool(found)
        assert not found or _FACILITY_AT.search(text) is not None
    assert matched > 10


@pytest.mark.parametrize("pattern", list(_NEEDS), ids=lambda p: p.pattern[:20])
def test_a_text_without_the_words_of_a_pattern_has_no_match_of_it(pattern: re.Pattern[str]) -> None:
    rng = random.Random(11)
    pieces = ["the", "border", "between", "air", "base", "in", "Osh", "city", "police", "news"]
    pieces += ["agency", "Tass", "newspaper", "Kabar", "weekly", "riot", "militia", "bases"]
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*"))]
    texts += ["".join(rng.choice(pieces) + " " for _ in range(8)) for _ in range(3000)]
    matched = 0
    for text in texts:
        expected = [m.span() for m in pattern.finditer(text)]
        matched += bool(expected)
        assert [m.span() for m in _scan(pattern, text)] == expected
    assert matched > 10


def test_two_stable_sorts_order_mentions_as_one_by_start_then_length() -> None:
    rng = random.Random(12)
    for _ in range(300):
        mentions = [
            Mention(s, s + rng.randint(1, 4), rng.choice("abc"), rng.choice("xy"))
            for s in (rng.randrange(0, 12) for _ in range(30))
        ]
        rng.shuffle(mentions)
        ordered = sorted(mentions, key=_MENTION_END, reverse=True)
        ordered.sort(key=_MENTION_START)
        assert ordered == sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
        assert [id(m) for m in ordered] == [
            id(m) for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
        ]

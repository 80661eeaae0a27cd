"""Property tests: any input gives a result or a KgError (never another exception).

Readers fuzzed: the article header and front matter (``parse_article``), the date parser
(``parse_date``), the annotation reader and validator (``build_graph`` on a generated
annotation file, as text and as raw bytes) and IRI minting (``kg.rdf.iris``).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.build import BuildResult, build_graph
from kg.dates import PartialDate, parse_date
from kg.documents import parse_article
from kg.errors import KgError
from kg.model import Graph
from kg.rdf.iris import Minter, check_base, encode_segment
from kg.schema import Schema, load_schema

from .conftest import MINI_ARTICLE, ROOT

FUZZ = settings(
    max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SCHEMA = load_schema(ROOT / "schema")

# -- strategies ---------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
"""Any YAML value: what a careless or hostile annotator might write anywhere."""

MONTHS = ["January", "Feb", "march", "Sept.", "AUGUST", "dec"]
DATE_TEXT = st.one_of(
    st.text(max_size=25),
    st.builds(
        lambda filler, month, day, year, sep: f"{filler}{month}{sep}{day}{sep}{year}",
        st.sampled_from(["", "on ", "in ", "the ", "since "]),
        st.sampled_from(MONTHS),
        st.one_of(st.integers(0, 40).map(str), st.just(""), st.sampled_from(["1st", "31st"])),
        st.one_of(st.integers(0, 10000).map(str), st.just("")),
        st.sampled_from([" ", ", ", "-", "/", "  "]),
    ),
    st.builds(
        lambda a, b, c, sep: f"{a}{sep}{b}{sep}{c}",
        st.integers(0, 10000),
        st.integers(0, 40),
        st.integers(0, 10000),
        st.sampled_from(["-", "/", ".", "–"]),
    ),
)
PARTIAL_DATES = st.builds(
    lambda d, precision: PartialDate(
        d.year, *(d.month, d.day)[: {"year": 0, "month": 1, "day": 2}[precision]]
    ),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["year", "month", "day"]),
)


def _vocab(name: str) -> list[str]:
    return list(SCHEMA.vocabulary(name).terms)


MINI_BODY = MINI_ARTICLE.split("---\n", 2)[2]
QUOTES = st.one_of(
    st.builds(
        lambda i, n: MINI_BODY[i : i + n], st.integers(0, len(MINI_BODY)), st.integers(0, 40)
    ),
    st.text(max_size=12),
)
REFS = st.one_of(
    st.sampled_from(
        ["plc:osh", "Osh", "cty:kyrgyzstan", "Kirghizia", "inc:border-closure", "org:x", "src:y"]
    ),
    st.text(max_size=8),
)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, JUNK)


EVIDENCE = _maybe(
    st.lists(
        st.one_of(
            QUOTES,
            st.fixed_dictionaries(
                {"quote": _maybe(QUOTES)},
                optional={
                    "occurrence": _maybe(st.integers(-1, 3)),
                    "start": _maybe(st.integers(-1, len(MINI_BODY) + 1)),
                    "end": _maybe(st.integers(-1, len(MINI_BODY) + 1)),
                    "source": _maybe(REFS),
                },
            ),
        ),
        max_size=2,
    )
)
ENTITY = st.fixed_dictionaries(
    {"type": _maybe(st.sampled_from(list(SCHEMA.types))), "name": _maybe(REFS)},
    optional={
        "id": _maybe(REFS),
        "aliases": _maybe(st.lists(REFS, max_size=3)),
        "kind": _maybe(st.sampled_from(_vocab("organisation_kinds") + _vocab("place_kinds"))),
        "evidence": EVIDENCE,
        "outlet": _maybe(REFS),
        "date": _maybe(DATE_TEXT),
        "count": JUNK,
        "code": JUNK,
    },
)
INCIDENT = st.fixed_dictionaries(
    {"kind": _maybe(st.sampled_from(_vocab("incident_kinds"))), "title": _maybe(REFS)},
    optional={
        "id": _maybe(REFS),
        "date": _maybe(DATE_TEXT),
        "place": _maybe(REFS),
        "participants": _maybe(
            st.lists(
                st.fixed_dictionaries(
                    {"entity": _maybe(REFS), "role": _maybe(st.sampled_from(_vocab("roles")))}
                ),
                max_size=2,
            )
        ),
        "evidence": EVIDENCE,
    },
)
CLAIM = st.fixed_dictionaries(
    {
        "speaker": _maybe(REFS),
        "stance": _maybe(st.sampled_from(_vocab("stances"))),
        "content": _maybe(st.text(max_size=20)),
    },
    optional={
        "about": _maybe(st.lists(REFS, max_size=2)),
        "date": _maybe(DATE_TEXT),
        "source": _maybe(REFS),
        "status": _maybe(st.sampled_from(_vocab("claim_statuses"))),
        "evidence": EVIDENCE,
    },
)
RELATION = st.fixed_dictionaries(
    {
        "type": _maybe(st.sampled_from(list(SCHEMA.relations))),
        "source": _maybe(REFS),
        "target": _maybe(REFS),
    },
    optional={"title": JUNK, "start": _maybe(DATE_TEXT), "evidence": EVIDENCE, "id": JUNK},
)
ANNOTATION = _maybe(
    st.fixed_dictionaries(
        {"document": _maybe(st.sampled_from(["mini", "other", "doc:mini"]))},
        optional={
            "entities": _maybe(st.lists(ENTITY, max_size=3)),
            "incidents": _maybe(st.lists(INCIDENT, max_size=2)),
            "claims": _maybe(st.lists(CLAIM, max_size=2)),
            "relations": _maybe(st.lists(RELATION, max_size=2)),
        },
    )
)

# -- a small workspace: "other" is valid and independent, "mini" is what the fuzzer writes ------

OTHER_ARTICLE = """\
---
title: Border closed
date: 2005-03-20
---
Kyrgyzstan closed its border on March 18, officials said.
"""
OTHER_ANNOTATION = """\
document: other
entities:
  - id: cty:kyrgyzstan
    type: Country
    name: Kyrgyzstan
    aliases: [Kirghizia]
    evidence: [{quote: Kyrgyzstan}]
incidents:
  - id: inc:border-closure
    kind: border_restriction
    title: Kyrgyzstan closes its border
    date: March 18
    participants: [{entity: cty:kyrgyzstan, role: initiator}]
    evidence: [{quote: "Kyrgyzstan closed its border on March 18"}]
"""


class FuzzWorkspace:
    """Two articles; ``other.yaml`` is valid, ``mini.yaml`` is rewritten by every example."""

    def __init__(self, root: Path, schema: Schema) -> None:
        self.schema = schema
        (root / "articles").mkdir(parents=True)
        (root / "annotations").mkdir()
        self.articles = [root / "articles" / "mini.md", root / "articles" / "other.md"]
        self.articles[0].write_text(MINI_ARTICLE, encoding="utf-8")
        self.articles[1].write_text(OTHER_ARTICLE, encoding="utf-8")
        self.other = root / "annotations" / "other.yaml"
        self.other.write_text(OTHER_ANNOTATION, encoding="utf-8")
        self.mini = root / "annotations" / "mini.yaml"
        baseline = build_graph(schema, self.articles[1:], [self.other])
        assert baseline.ok, [str(p) for p in baseline.problems]
        self.baseline: Graph = baseline.graph

    def build(self, content: str | bytes) -> BuildResult:
        if isinstance(content, str):
            content = content.encode("utf-8")
        self.mini.write_bytes(content)
        return build_graph(self.schema, self.articles, [self.mini, self.other])

    def check(self, content: str | bytes) -> BuildResult:
        """Build must not raise; a rejected mini.yaml leaves exactly the graph of ``other``."""
        result = self.build(content)
        rejected = any(r.endswith("mini.yaml") for r in result.rejected)
        assert rejected == (not result.ok), [str(p) for p in result.problems]
        # A file refused before its values are read (bad encoding, broken YAML) names no document.
        unread = any(
            p.code == "bad-yaml" and str(p.location).startswith(str(self.mini))
            for p in result.problems
        )
        if rejected and _names_other(content) and not unread:
            # Two files annotate doc:other: neither is trusted, and mini has no annotation.
            assert "doc:other" not in result.graph.documents
            assert not result.graph.entities and not result.graph.incidents
        elif rejected:
            assert result.graph == self.baseline
        else:
            assert "doc:mini" in result.graph.documents
            assert (
                result.graph.incidents["inc:border-closure"]
                == (self.baseline.incidents["inc:border-closure"])
            )
        for problem in result.problems:
            assert "\n" not in str(problem)
        return result


def _names_other(content: str | bytes) -> bool:
    try:
        raw = yaml.safe_load(content)
    except (yaml.YAMLError, ValueError):
        return False
    return isinstance(raw, dict) and str(raw.get("document")) in ("other", "doc:other")


@pytest.fixture(scope="module")
def fuzz_ws() -> Iterator[FuzzWorkspace]:
    with tempfile.TemporaryDirectory() as tmp:
        yield FuzzWorkspace(Path(tmp), SCHEMA)


# -- properties ---------------------------------------------------------------------------------


@FUZZ
@given(value=st.one_of(DATE_TEXT, JUNK, st.dates()), reference=st.none() | PARTIAL_DATES)
def test_parse_date_gives_a_date_or_a_date_error(
    value: object, reference: PartialDate | None
) -> None:
    try:
        date = parse_date(value, reference)
    except KgError:
        return
    assert PartialDate.from_iso(date.isoformat()) == date
    assert date.first_day() <= date.last_day()


@FUZZ
@given(
    meta=st.dictionaries(
        st.sampled_from(["title", "date", "year", "date_precision", "id", "publication", "x"]),
        _maybe(st.one_of(DATE_TEXT, st.sampled_from(["year", "month", "day"]))),
        max_size=5,
    ),
    body=st.text(max_size=200),
    plain=st.text(max_size=200),
    framed=st.booleans(),
)
def test_parse_article_gives_a_document_or_an_input_error(
    meta: dict[str, Any], body: str, plain: str, framed: bool
) -> None:
    text = f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n{body}" if framed else plain
    try:
        doc = parse_article(text, Path("fuzzed.md"))
    except KgError:
        return
    assert doc.id.startswith("doc:") and doc.text.strip()
    previous_end = 0
    for start, end in doc.sentences:
        assert previous_end <= start < end <= len(doc.text)
        assert doc.text[start:end] == doc.text[start:end].strip()
        previous_end = end


@FUZZ
@given(annotation=ANNOTATION)
def test_generated_annotations_are_accepted_whole_or_rejected_whole(
    fuzz_ws: FuzzWorkspace, annotation: object
) -> None:
    fuzz_ws.check(yaml.safe_dump(annotation, allow_unicode=True, sort_keys=False))


@FUZZ
@given(content=st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_arbitrary_annotation_files_never_crash_the_build(
    fuzz_ws: FuzzWorkspace, content: str | bytes
) -> None:
    fuzz_ws.check(content)


def test_fuzz_workspace_accepts_a_valid_file(fuzz_ws: FuzzWorkspace) -> None:
    """The properties above can see both outcomes: a valid mini.yaml is accepted."""
    result = fuzz_ws.check(
        "document: mini\nentities:\n  - {type: Place, name: Osh, kind: city}\n"
        "incidents:\n  - kind: attack\n    title: Attack\n    place: Osh\n"
        "    participants: [{entity: Kirghizia, role: target}]\n"
        "    evidence: [{quote: Gunmen attacked a border post}]\n"
    )
    assert result.ok and "plc:osh" in result.graph.entities


@FUZZ
@given(
    record_id=st.text(max_size=40), base=st.sampled_from(["https://kg.example.org/id/", "urn:x:#"])
)
def test_minted_iris_give_back_their_id(record_id: str, base: str) -> None:
    minter = Minter(base)
    try:
        iri = minter.record(record_id)
    except KgError:
        assert record_id == ""
        return
    assert str(iri).startswith(base) and " " not in str(iri)
    assert minter.id_of(iri) == record_id
    assert encode_segment(record_id) == str(iri)[len(base) :]


@FUZZ
@given(base=st.text(max_size=40))
def test_check_base_accepts_or_refuses_with_input_error(base: str) -> None:
    try:
        assert check_base(base) == base
    except KgError:
        return
    assert base.endswith(("/", "#"))

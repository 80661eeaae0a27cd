"""Unit tests of the extractor's parts: reading, gazetteer, names, incidents, claims, relations."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.documents import parse_article
from kg.errors import InputError
from kg.extract.draft import render_draft
from kg.extract.gazetteer import GazEntry, Gazetteer, load_gazetteer
from kg.extract.pipeline import Extractor, load_extractor
from kg.extract.reader import html_to_article, read_input
from kg.extract.tokens import name_key, tokenize
from kg.schema import Schema, load_schema
from kg.yamlio import load_yaml_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load_schema(ROOT / "schema")


@pytest.fixture(scope="module")
def extractor(schema: Schema) -> Extractor:
    return load_extractor(schema, ROOT / "seeds")


def draft_of(extractor: Extractor, text: str, date: str = "2010-06-15") -> dict:  # type: ignore[type-arg]
    doc = parse_article(f"---\ntitle: Test\ndate: {date}\n---\n{text}", Path("unit-test.md"))
    rendered = render_draft(extractor.extract(doc))
    return load_yaml_text(rendered, "draft")  # type: ignore[no-any-return]


def names_of(draft: dict, type_name: str) -> set[str]:  # type: ignore[type-arg]
    found = set()
    for item in draft["entities"]:
        if item["type"] == type_name:
            found |= {item["name"], *item.get("aliases", [])}
    return found


def entity_named(draft: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(e for e in draft["entities"] if name == e["name"] or name in e.get("aliases", []))


# -- reading ----------------------------------------------------------------------------------
def test_html_keeps_article_text_and_drops_page_furniture(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Blast In Osh</title><meta name='date' content='2016-10-05T08:00:00Z'>"
        "<style>p {color: red}</style><script>track('Tashkent')</script></head><body>"
        "<header>Site name</header><nav><a>Home</a> <a>Almaty</a></nav><h1>Blast In Osh</h1>"
        "<p>A bomb exploded in Osh &amp; injured two.</p><p>Police&nbsp;said so.</p>"
        "<footer>Copyright Bishkek</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc, article = read_input(path)
    assert doc.text == "A bomb exploded in Osh & injured two.\n\nPolice said so."
    assert doc.title == "Blast In Osh"
    assert str(doc.date) == "2016-10-05"
    assert doc.id == "doc:page"
    assert article is not None and article.endswith(doc.text)
    for hidden in ("track", "Home", "Site name", "Copyright"):
        assert hidden not in doc.text


def test_html_with_unknown_declared_encoding_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "odd.html"
    path.write_bytes(
        b"<html><head><meta charset='x-no-such-codec'></head><body><p>Hi</p></body></html>"
    )
    with pytest.raises(InputError, match="unknown encoding") as info:
        read_input(path)
    assert "odd.html" in str(info.value)


def test_html_in_a_declared_legacy_encoding_is_read(tmp_path: Path) -> None:
    path = tmp_path / "legacy.html"
    path.write_bytes("<meta charset='windows-1251'><p>Назарбаев said.</p>".encode("windows-1251"))
    doc, _ = read_input(path)
    assert doc.text == "Назарбаев said."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.md", b"", "empty"),
        ("blank.html", b"   \n", "empty"),
        ("binary.txt", b"abc\x00def", "binary"),
        ("latin.txt", "café".encode("latin-1"), "UTF-8"),
        ("broken.md", b"---\ntitle: [oops\n---\nBody.", "malformed YAML"),
        ("nothing.html", b"<html><script>x()</script></html>", "no visible text"),
    ],
)
def test_bad_inputs_raise_input_errors_naming_the_file(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_input(path)
    assert name in str(info.value)


def test_html_to_article_output_is_read_back_as_the_same_text() -> None:
    article = html_to_article("<title>T</title><p>One “two”.</p><div>Three</div>", "x.html")
    doc = parse_article(article, Path("x.md"))
    assert doc.text == "One “two”.\n\nThree"


# -- tokens and gazetteer -----------------------------------------------------------------------
def test_tokens_keep_offsets_and_split_possessives() -> None:
    text = "Kazakhstan’s KNB met al-Qaeda."
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == [t.text for t in tokens]
    assert [t.text for t in tokens] == ["Kazakhstan", "s", "KNB", "met", "al-Qaeda"]
    assert name_key("Workers’ Party") == name_key("Workers' Party")


def test_gazetteer_resolves_transliterations_and_acronyms(schema: Schema) -> None:
    gazetteer = load_gazetteer(schema, ROOT / "seeds" / "gazetteer.yaml", None)
    assert gazetteer.by_name("Borduzha") is gazetteer.by_name("Bordyuzha")
    assert gazetteer.by_name("CSO") is gazetteer.by_name("CSTO")
    knb = gazetteer.by_name("KNB")
    assert knb is not None and knb is gazetteer.by_name("National Security Committee")
    assert knb.kind in schema.vocabulary("organisation_kinds")


def test_gazetteer_entities_learnt_from_annotations_skip_their_own_document(schema: Schema) -> None:
    gazetteer = load_gazetteer(schema, None, ROOT / "seeds" / "annotations")
    liter = gazetteer.by_name("Liter")
    assert liter is not None and liter.document == "doc:edm-2004-v1-i75-kazakh-uzbek-security"
    assert all(hit.document == liter.document for hit in gazetteer.index[name_key("Liter")])


def test_bad_gazetteer_reports_file_and_line(tmp_path: Path, schema: Schema) -> None:
    path = tmp_path / "gazetteer.yaml"
    path.write_text("entities:\n  - {name: Atlantis, type: Continent}\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown entity type 'Continent'") as info:
        load_gazetteer(schema, path, None)
    assert "gazetteer.yaml:2" in str(info.value)


def test_schema_without_a_needed_type_is_refused(schema: Schema) -> None:
    from dataclasses import replace

    from kg.errors import SchemaError

    types = {k: v for k, v in schema.types.items() if k != "Group"}
    with pytest.raises(SchemaError, match="Group"):
        Extractor(
            replace(schema, types=types), Gazetteer.build([GazEntry("cty:x", "Country", "X")])
        )


# -- entities -----------------------------------------------------------------------------------
def test_names_aliases_and_short_mentions_resolve_to_one_entity(extractor: Extractor) -> None:
    draft = draft_of(
        extractor,
        (
            "The head of the Tajik opposition, Davron Kurbonov, met officials of the Committee for "
            "Religious Affairs (CRA) in Dushanbe. Kurbonov said the CRA had closed mosques in the town "
            "of Vahdat. Interior Minister Rustam Nazarov denied it."
        ),
    )
    assert {"Davron Kurbonov", "Rustam Nazarov"} <= names_of(draft, "Person")
    assert "Kurbonov" not in {e["name"] for e in draft["entities"]}
    cra = entity_named(draft, "CRA")
    assert cra["type"] == "Organisation" and cra["name"] == "Committee for Religious Affairs"
    assert {"Dushanbe", "Vahdat"} <= names_of(draft, "Place")
    speakers = {c["speaker"] for c in draft["claims"]}
    assert entity_named(draft, "Davron Kurbonov")["id"] in speakers
    assert entity_named(draft, "Rustam Nazarov")["id"] in speakers


def test_gazetteer_variants_resolve_and_capitals_can_stand_for_states(extractor: Extractor) -> None:
    draft = draft_of(
        extractor,
        (
            "CSTO Secretary-General Bordyuzha visited Bishkek. Moscow said the CSO would help, "
            "and the KNB of Kazakhstan agreed."
        ),
    )
    assert entity_named(draft, "Borduzha")["name"] == "Nikolai Bordyuzha"
    russia = entity_named(draft, "Russia")
    assert russia["type"] == "Country" and "Moscow" in russia.get("aliases", [])
    assert "Moscow" not in names_of(draft, "Place")
    assert "Bishkek" in names_of(draft, "Place")


# -- incidents, claims, sources, relations ------------------------------------------------------
def test_incident_gets_kind_date_place_and_participants(extractor: Extractor) -> None:
    draft = draft_of(
        extractor,
        (
            "On May 3, police in the Kyrgyz city of Osh detained five activists. "
            "The detentions were condemned by rights groups."
        ),
        date="2010-06",
    )
    detentions = [i for i in draft["incidents"] if i["kind"] == "detention"]
    assert len(detentions) == 1  # the second sentence refers to the same event
    incident = detentions[0]
    assert incident["date"] == "2010-05-03"
    assert incident["place"] == entity_named(draft, "Osh")["id"]
    roles = {p["role"] for p in incident["participants"]}
    assert "detainee" in roles
    assert entity_named(draft, "Five activists")["count"] == 5
    assert incident["note"].startswith("extracted: rule")


def test_same_event_mentioned_twice_with_more_detail_is_merged(extractor: Extractor) -> None:
    draft = draft_of(
        extractor,
        (
            "Since the March bombings in Tashkent, tension has grown. Officials said the March 29 "
            "bomb attacks in Tashkent were planned abroad."
        ),
        date="2004-04",
    )
    bombings = [i for i in draft["incidents"] if i["kind"] == "bombing"]
    assert len(bombings) == 1
    assert bombings[0]["date"] == "2004-03-29"
    assert len(bombings[0]["evidence"]) == 2


def test_generic_mentions_make_no_incident(extractor: Extractor) -> None:
    draft = draft_of(extractor, "Experts note that terrorist attacks typically follow elections.")
    assert draft["incidents"] == []


def test_claims_get_stance_speaker_and_cited_source(extractor: Extractor) -> None:
    draft = draft_of(
        extractor,
        (
            "The Interior Ministry of Tajikistan denied that any prisoner had died (Asia-Plus, June 3). "
            "Some analysts speculate that the unrest will spread. According to Radio Ozodi, three "
            "people were arrested."
        ),
        date="2010-06",
    )
    by_stance = {c["stance"]: c for c in draft["claims"]}
    denial = by_stance["denies"]
    assert denial["speaker"] == entity_named(draft, "Interior Ministry of Tajikistan")["id"]
    source = next(e for e in draft["entities"] if e["type"] == "Source")
    assert denial["source"] == source["id"] and source["date"] == "2010-06-03"
    assert source["outlet"] == entity_named(draft, "Asia-Plus")["id"]
    assert source["citation"] == "(Asia-Plus, June 3)"
    speculation = by_stance["speculates"]
    assert entity_named(draft, "Some analysts")["id"] == speculation["speaker"]
    assert {c["speaker"] for c in draft["claims"]} >= {entity_named(draft, "Radio Ozodi")["id"]}


def test_relations_from_appositions_possessives_and_places(
    extractor: Extractor, schema: Schema
) -> None:
    draft = draft_of(
        extractor,
        (
            "The chairman of the Islamic Renaissance Party of Tajikistan (IRPT), Muhiddin Kabiri, "
            "spoke in Khujand, Tajikistan. A Kyrgyz citizen, Azamat Beishenov, was detained."
        ),
    )
    relations = {(r["type"], r["source"], r["target"]) for r in draft["relations"]}
    kabiri, irpt = entity_named(draft, "Muhiddin Kabiri")["id"], entity_named(draft, "IRPT")["id"]
    khujand, tajikistan = (
        entity_named(draft, "Khujand")["id"],
        entity_named(draft, "Tajikistan")["id"],
    )
    beishenov = entity_named(draft, "Azamat Beishenov")["id"]
    assert ("holds_post", kabiri, irpt) in relations
    assert ("located_in", khujand, tajikistan) in relations
    assert ("citizen_of", beishenov, entity_named(draft, "Kyrgyzstan")["id"]) in relations
    post = next(
        r for r in draft["relations"] if r["type"] == "holds_post" and r["source"] == kabiri
    )
    assert post["title"] == "chairman"
    types = {e["id"]: e["type"] for e in draft["entities"]}
    for rel in draft["relations"]:
        spec = schema.relations[rel["type"]]
        assert types[rel["source"]] in spec.source and types[rel["target"]] in spec.target


def test_mentions_added_after_finish_are_kept_in_order_and_found(
    extractor: Extractor, schema: Schema
) -> None:
    from kg.extract.entities import entity_types
    from kg.extract.registry import Registry

    text = "Alpha met Beta and Gamma in Delta. " * 3
    doc = parse_article(f"---\ntitle: Test\ndate: 2010-06-15\n---\n{text}", Path("order.md"))
    reg = Registry(doc, schema, extractor.gazetteer, entity_types(schema))
    org = reg.add(reg.types["Organisation"], "Alpha", "test")
    for word in ("Alpha", "Delta"):
        start = doc.text.index(word)
        reg.mention(start, start + len(word), org)
    reg.finish()
    late = [doc.text.index(w) for w in ("Gamma", "Beta")]  # added after finish, out of order
    for start in late:
        reg.mention(start, start + 5, org, "late")
    assert [m.start for m in reg.mentions] == sorted(m.start for m in reg.mentions)
    for start in late:
        assert [m.start for m in reg.between(start, start + 5)] == [start]
        assert reg.at(start) is not None
    everything = reg.between(0, len(doc.text))
    assert [m.start for m in everything] == sorted([*late, doc.text.index("Alpha"), 28])

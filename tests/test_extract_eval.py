"""Quality of `kg extract`, measured with the eval library, and the eval library itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import build_graph
from kg.dates import PartialDate
from kg.extract.evaluate import Score, _date_fits, evaluate, group_match
from kg.extract.files import extract_files
from kg.extract.pipeline import Extractor, load_extractor
from kg.extract.reader import read_input
from kg.model import Entity
from kg.schema import Schema, load_schema
from kg.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
SEED_ARTICLES = ROOT / "seeds" / "articles"


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load_schema(ROOT / "schema")


@pytest.fixture(scope="module")
def extractor(schema: Schema) -> Extractor:
    return load_extractor(schema, ROOT / "seeds")


def _extract_all(extractor: Extractor, folder: Path, out: Path) -> None:
    for outcome in extract_files(sorted(folder.glob("*")), extractor, out):
        assert outcome.ok, outcome.error


# -- thresholds ---------------------------------------------------------------------------------
def test_seed_article_meets_the_quality_bar(
    extractor: Extractor, schema: Schema, tmp_path: Path
) -> None:
    _extract_all(extractor, SEED_ARTICLES, tmp_path)
    result = evaluate(ROOT / "seeds" / "annotations", tmp_path, schema, [SEED_ARTICLES])
    assert not result.problems
    assert len(result.documents) == 1
    assert result.totals["entities"].f1 >= 0.90
    assert result.totals["incidents"].recall >= 0.80
    assert result.totals["claims"].recall >= 0.70


def test_the_seed_is_not_read_from_its_own_annotation(extractor: Extractor, tmp_path: Path) -> None:
    """Entities that only the seed's curated annotation knows must be found by rules."""
    doc, _ = read_input(next(SEED_ARTICLES.glob("*.md")))
    draft = extractor.extract(doc)
    notes = {item.fields["name"]: item.fields["note"] for item in draft.entities}
    assert notes["Liter"] == "extracted: rule citation"
    assert notes["Abbas Shayusupov"] == "extracted: rule person-cue"
    assert "immigration police in Pavlodar" in notes  # a phrase rule, not the annotation's name
    assert all(
        not note.endswith("gazetteer")
        for name, note in notes.items()
        if name in ("Liter", "Kontinent", "Abbas Shayusupov")
    )


def test_held_out_fixtures_meet_the_entity_bar(
    extractor: Extractor, schema: Schema, tmp_path: Path
) -> None:
    _extract_all(extractor, CORPUS / "articles", tmp_path)
    result = evaluate(CORPUS / "annotations", tmp_path, schema, [CORPUS / "articles"])
    assert not result.problems
    assert len(result.documents) == len(list((CORPUS / "annotations").glob("*.yaml"))) >= 6
    assert result.totals["entities"].f1 >= 0.75


# -- the fixtures themselves --------------------------------------------------------------------
def _fixture_stems() -> list[str]:
    return sorted(p.stem for p in (CORPUS / "annotations").glob("*.yaml"))


@pytest.mark.parametrize("stem", _fixture_stems())
def test_fixture_gold_annotation_validates_with_its_article(
    stem: str, schema: Schema, tmp_path: Path
) -> None:
    article = next((CORPUS / "articles").glob(f"{stem}.*"))
    doc, converted = read_input(article)
    text = converted if converted is not None else article.read_text(encoding="utf-8")
    words = len(doc.text.split())
    assert 300 <= words <= 600, f"{stem} has {words} words"
    assert (
        "fixture" in text.split("---", 2)[1 if text.startswith("---") else 0]
        or "fixture" in text[:600]
    )
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "schema", workspace / "schema")
    (workspace / "seeds" / "articles").mkdir(parents=True)
    (workspace / "seeds" / "annotations").mkdir()
    (workspace / "seeds" / "articles" / f"{stem}.md").write_text(text, encoding="utf-8")
    shutil.copy(CORPUS / "annotations" / f"{stem}.yaml", workspace / "seeds" / "annotations")
    result = Workspace(workspace).build()
    assert result.ok, [str(p) for p in result.errors]
    graph = result.graph
    assert graph.entities and graph.incidents and graph.claims and graph.relations


def test_drafts_validate_when_placed_in_a_workspace(
    extractor: Extractor, schema: Schema, tmp_path: Path
) -> None:
    out = tmp_path / "drafts"
    outcomes = list(
        extract_files(
            [*sorted((CORPUS / "articles").glob("*")), *SEED_ARTICLES.glob("*.md")], extractor, out
        )
    )
    assert all(o.ok for o in outcomes)
    articles = [o.article_path for o in outcomes if o.article_path]
    drafts = [o.draft_path for o in outcomes if o.draft_path]
    result = build_graph(schema, articles, drafts)  # type: ignore[arg-type]
    assert result.ok, [str(p) for p in result.errors]
    assert len(result.graph.documents) == len(outcomes)
    assert all(i.evidence for i in result.graph.incidents.values())
    assert all(c.evidence for c in result.graph.claims.values())


def test_drafts_of_articles_about_the_same_events_build_together(
    extractor: Extractor, schema: Schema, tmp_path: Path
) -> None:
    """Two articles proposing the same incidents, claims and relations must not conflict."""
    seed = next(SEED_ARTICLES.glob("*.md"))
    other = tmp_path / "retold.md"
    other.write_text(
        seed.read_text(encoding="utf-8").replace("flatly rejected", "rejected"), "utf-8"
    )
    outcomes = list(extract_files([seed, other], extractor, tmp_path / "drafts"))
    articles = [o.article_path for o in outcomes if o.article_path]
    drafts = [o.draft_path for o in outcomes if o.draft_path]
    result = build_graph(schema, articles, drafts)  # type: ignore[arg-type]
    assert result.ok, [str(p) for p in result.errors]
    bombings = [i for i in result.graph.incidents.values() if i.kind == "bombing"]
    assert len(bombings) == 2  # one per article until a reviewer merges them
    assert len({e.id for e in result.graph.entities.values() if e.name == "Tashkent"}) == 1


# -- the eval library ---------------------------------------------------------------------------
def test_gold_against_itself_is_perfect(schema: Schema) -> None:
    result = evaluate(CORPUS / "annotations", CORPUS / "annotations", schema, [CORPUS / "articles"])
    for category, score in result.totals.items():
        assert score.fn == 0 and score.fp == 0, category
        assert score.f1 == 1.0
    assert not result.findings


def test_a_removed_item_shows_as_a_miss(schema: Schema, tmp_path: Path) -> None:
    gold = ROOT / "seeds" / "annotations"
    pred = tmp_path / "pred"
    pred.mkdir()
    text = next(gold.glob("*.yaml")).read_text(encoding="utf-8")
    start = text.index("  - id: per:abbas-shayusupov")
    end = text.index("  - id: per:dariga-nazarbayeva")
    text = text[:start] + text[end:]
    text = text.replace("per:abbas-shayusupov", "per:nikolai-borduzha")  # keep references valid
    (pred / "seed.yaml").write_text(text, encoding="utf-8")
    result = evaluate(gold, pred, schema, [SEED_ARTICLES])
    assert result.totals["entities"].fn == 1
    misses = [f for f in result.findings if f.kind == "miss" and f.category == "entities"]
    assert [f.item for f in misses] == ["Person 'Abbas Shayusupov'"]


def test_score_rates() -> None:
    score = Score(tp=3, fp=1, fn=2)
    assert score.precision == 0.75 and score.recall == 0.6
    assert round(score.f1, 4) == round(2 * 0.75 * 0.6 / 1.35, 4)
    assert Score().f1 == 1.0 and Score(fp=2).precision == 0.0


def test_group_matching_is_lenient_on_wording_not_on_the_head() -> None:
    def group(name: str, *aliases: str) -> Entity:
        return Entity(f"grp:{name}", "Group", name, aliases)

    assert group_match(group("some analysts"), group("Some analysts"))
    assert group_match(
        group("security authorities"),
        group("Kazakh security forces", "Kazakh security authorities"),
    )
    assert group_match(
        group("two defendants in the Uzbek trial"), group("Two defendants in the Uzbek trial")
    )
    assert not group_match(group("some analysts"), group("Observers"))
    assert not group_match(group("Kazakh security forces"), group("Uzbek day laborers"))


def test_date_compatibility_rules() -> None:
    assert _date_fits(None, None)
    assert _date_fits(PartialDate(2004), None)  # an annotator's year for an undated event
    assert not _date_fits(PartialDate(2004, 7), None)
    assert _date_fits(PartialDate(2004, 7, 30), PartialDate(2004, 7))
    assert not _date_fits(PartialDate(2004, 7, 30), PartialDate(2004, 7, 31))
    assert not _date_fits(PartialDate(2004, 8), PartialDate(2004, 7, 30))

"""kg synth: deterministic synthetic workspaces that validate, build and reuse actors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import kg.synth as synth_module
from kg.build import BuildResult
from kg.cli import main
from kg.errors import InputError, WorkspaceError
from kg.synth import synth_workspace
from kg.synth.emit import annotation_yaml, scalar
from kg.workspace import Workspace


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = tmp_path_factory.mktemp("synth") / "ws"
    synth_workspace(root, 60, seed=3)
    return root, Workspace(root).build()


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    synth_workspace(tmp_path / "a", 8, seed=11)
    synth_workspace(tmp_path / "b", 8, seed=11)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first == second
    assert any(name.startswith("seeds/annotations/") for name in first)


@pytest.mark.parametrize("jobs", [2, 3])
def test_processes_write_the_same_files(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Later ranges first declare in full entities an earlier range declared: cut back."""
    synth_workspace(tmp_path / "one", 40, seed=5, jobs=1)
    cut: list[str] = []
    short = synth_module._short_declarations
    monkeypatch.setattr(
        synth_module, "_short_declarations", lambda path, ids: (cut.extend(ids), short(path, ids))
    )
    synth_workspace(tmp_path / "many", 40, seed=5, jobs=jobs)
    assert _files(tmp_path / "one") == _files(tmp_path / "many")
    assert cut  # the later ranges did declare again what an earlier one had


def test_another_seed_gives_other_articles(tmp_path: Path) -> None:
    synth_workspace(tmp_path / "a", 3, seed=1)
    synth_workspace(tmp_path / "b", 3, seed=2)
    articles = [sorted((tmp_path / w / "seeds" / "articles").iterdir()) for w in ("a", "b")]
    assert [p.read_bytes() for p in articles[0]] != [p.read_bytes() for p in articles[1]]


def test_workspace_has_schema_queries_and_validates(built: tuple[Path, BuildResult]) -> None:
    root, result = built
    assert (root / "schema" / "entities.yaml").is_file()
    assert any((root / "queries").glob("*.cypher"))
    assert result.ok, [str(p) for p in result.errors[:5]]
    assert not result.warnings, [str(p) for p in result.warnings[:5]]
    assert len(result.graph.documents) == 60
    assert CliRunner().invoke(main, ["--workspace", str(root), "validate"]).exit_code == 0


def test_every_quote_is_verbatim_text_of_its_article(built: tuple[Path, BuildResult]) -> None:
    graph = built[1].graph
    evidence = list(graph.all_evidence())
    assert len(evidence) > 1000
    for ev in evidence:
        assert graph.documents[ev.document].text[ev.start : ev.end] == ev.quote


def test_proportions_follow_the_example_article(built: tuple[Path, BuildResult]) -> None:
    root, result = built
    per_file = Counter[str]()
    for path in (root / "seeds" / "annotations").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("entities", "incidents", "claims", "relations"):
            per_file[section] += len(data[section])
    # the example: 45 entities, 13 incidents, 11 claims, 35 relations
    assert 8 <= per_file["incidents"] / 60 <= 18
    assert 6 <= per_file["claims"] / 60 <= 16
    assert 20 <= per_file["relations"] / 60 <= 50
    assert 30 <= per_file["entities"] / 60 <= 80
    kinds = {i.kind for i in result.graph.incidents.values()}
    assert len(kinds) >= 10


def test_actors_are_reused_with_a_heavy_tail(built: tuple[Path, BuildResult]) -> None:
    graph = built[1].graph
    documents_per_entity = sorted(
        len({ev.document for ev in e.evidence}) for e in graph.entities.values() if e.evidence
    )
    most = documents_per_entity[-1]
    median = documents_per_entity[len(documents_per_entity) // 2]
    assert most >= 30  # some actor is named in half of the 60 articles
    assert median <= 3  # most are named in a few
    shared = [r for r in graph.relations.values() if len({e.document for e in r.evidence}) > 1]
    assert shared, "some relations should be corroborated by several articles"


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    synth_workspace(tmp_path / "ws", 2, seed=1)
    with pytest.raises(WorkspaceError, match="--force"):
        synth_workspace(tmp_path / "ws", 2, seed=1)
    synth_workspace(tmp_path / "ws", 3, seed=1, force=True)
    assert len(list((tmp_path / "ws" / "seeds" / "articles").iterdir())) == 3


def test_refuses_a_folder_with_foreign_articles(tmp_path: Path) -> None:
    articles = tmp_path / "ws" / "seeds" / "articles"
    articles.mkdir(parents=True)
    (articles / "mine.md").write_text("---\ntitle: x\n---\nText.\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"mine\.md"):
        synth_workspace(tmp_path / "ws", 2, seed=1, force=True)


def test_needs_at_least_one_article(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        synth_workspace(tmp_path / "ws", 0)


def test_cli_writes_a_workspace(tmp_path: Path) -> None:
    out = tmp_path / "ws"
    result = CliRunner().invoke(
        main, ["synth", "--articles", "3", "--seed", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "3 articles" in result.output
    assert len(list((out / "seeds" / "annotations").glob("*.yaml"))) == 3
    again = CliRunner().invoke(main, ["synth", "--articles", "3", "--out", str(out)])
    assert again.exit_code == 1
    assert "kg: error:" in again.output


@pytest.mark.parametrize("text", ['say "no"', "back\\slash", "Zürich – ‘quoted’", "a: b # c", ""])
def test_scalars_read_back_as_written(text: str) -> None:
    assert yaml.safe_load(f"key: {scalar(text)}") == {"key": text}


def test_annotation_yaml_reads_back() -> None:
    data = {
        "document": "d",
        "entities": [{"id": "per:x", "type": "Person", "name": "X", "aliases": ["Y", "Z"]}],
        "incidents": [
            {
                "id": "inc:a",
                "kind": "attack",
                "title": "T",
                "participants": [{"entity": "per:x", "role": "victim"}],
                "evidence": [{"quote": 'he said "go"'}],
            }
        ],
        "claims": [],
        "relations": [],
    }
    assert yaml.safe_load(annotation_yaml(data, ["header"])) == data

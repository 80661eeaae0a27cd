"""`kg extract` and `kg eval` on the command line, and the benchmark's quick mode."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT / "seeds" / "articles").glob("*.md"))
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
HTML = CORPUS / "articles" / "fx-2021-aktau-protest.html"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--workspace", str(ROOT), *args])
    return result.exit_code, result.stdout, result.stderr


def test_extract_writes_valid_drafts_that_kg_validate_accepts(tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    code, stdout, _ = run("extract", str(SEED), str(HTML), "--out", str(out), "--format", "json")
    assert code == 0
    rows = json.loads(stdout)
    assert [r["status"] for r in rows] == ["ok", "ok"]
    assert {Path(r["draft"]).name for r in rows} == {
        f"{SEED.stem}.yaml",
        "fx-2021-aktau-protest.yaml",
    }
    assert (out / "fx-2021-aktau-protest.md").is_file()  # the text the HTML draft quotes
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "schema", workspace / "schema")
    (workspace / "seeds" / "annotations").mkdir(parents=True)
    (workspace / "seeds" / "articles").mkdir()
    shutil.copy(SEED, workspace / "seeds" / "articles")
    shutil.copy(out / "fx-2021-aktau-protest.md", workspace / "seeds" / "articles")
    for draft in out.glob("*.yaml"):
        shutil.copy(draft, workspace / "seeds" / "annotations")
    result = CliRunner().invoke(main, ["--workspace", str(workspace), "validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 2 documents")


def test_bad_files_are_reported_by_name_and_the_rest_still_processed(tmp_path: Path) -> None:
    empty, binary, broken = tmp_path / "empty.md", tmp_path / "binary.txt", tmp_path / "broken.md"
    empty.write_text("", encoding="utf-8")
    binary.write_bytes(b"\x00\x01\x02")
    broken.write_text("---\ntitle: [unclosed\n---\nText.", encoding="utf-8")
    out = tmp_path / "drafts"
    code, stdout, stderr = run(
        "extract", str(empty), str(SEED), str(binary), str(broken), "--out", str(out)
    )
    assert code == 1
    for path in (empty, binary, broken):
        assert f"kg: error: {path}" in stderr
    assert "Traceback" not in stderr
    assert (out / f"{SEED.stem}.yaml").is_file()
    assert len(list(out.glob("*.yaml"))) == 1
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert lines[0].split()[:3] == ["file", "document", "status"]
    assert sum(" error" in line for line in lines[2:]) == 3


def test_graph_option_writes_public_graph_json(tmp_path: Path) -> None:
    target = tmp_path / "graph.json"
    code, _, stderr = run(
        "extract", str(SEED), "--out", str(tmp_path / "d"), "--graph", str(target)
    )
    assert code == 0, stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == {"name": "kg-graph", "version": 1}
    assert [d["id"] for d in data["documents"]] == [f"doc:{SEED.stem}"]
    assert data["documents"][0]["path"].endswith(SEED.name)
    types = {e["type"] for e in data["entities"]}
    assert {"Person", "Organisation", "Country", "Place", "Source"} <= types
    assert all(i["evidence"] for i in data["incidents"])
    assert f"wrote {target}" in stderr


def test_eval_prints_totals_documents_and_findings(tmp_path: Path) -> None:
    out = tmp_path / "pred"
    assert (
        run("extract", *map(str, sorted((CORPUS / "articles").glob("*"))), "--out", str(out))[0]
        == 0
    )
    code, stdout, _ = run("eval", "--gold", str(CORPUS / "annotations"), "--pred", str(out))
    assert code == 0
    assert stdout.splitlines()[0].split() == [
        "category",
        "tp",
        "fp",
        "fn",
        "precision",
        "recall",
        "f1",
    ]
    assert "doc:fx-2019-georgia-boundary-detentions" in stdout
    assert "false_positive" in stdout or "miss" in stdout
    code, stdout, _ = run(
        "eval", "--gold", str(CORPUS / "annotations"), "--pred", str(out), "--format", "json"
    )
    data = json.loads(stdout)
    assert set(data["totals"]) == {
        "entities",
        "groups",
        "sources",
        "incidents",
        "claims",
        "relations",
        "background",
    }
    assert data["by_type"]["incidents"] and data["agreement"]["incidents kind"]["compared"] > 0
    assert len(data["documents"]) == 6
    assert data["totals"]["entities"]["f1"] >= 0.75


def test_commands_have_help_with_examples() -> None:
    for command in ("extract", "eval"):
        code, stdout, _ = run(command, "--help")
        assert code == 0
        assert "Example:" in stdout and f"kg {command}" in stdout


def test_eval_of_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run("eval", "--gold", str(tmp_path / "nope"), "--pred", str(tmp_path))
    assert code == 2 and "nope" in stderr


def test_benchmark_quick_mode_prints_a_markdown_table() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_extract.py"), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    lines = done.stdout.strip().splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| what | wall seconds | words/s | CPU words/s | vs spaCy tokenizer (CPU) |"
    assert table[1].startswith("| ---")
    assert table[2].startswith("| kg extract")
    cells = [c.strip() for c in table[2].split("|")[1:-1]]
    assert len(cells) == 5
    assert float(cells[2].replace(",", "")) > 0 and float(cells[3].replace(",", "")) > 0
    assert lines[0].startswith("Corpus: ") and "words" in lines[0]
    linear = [line for line in table if line.split("|")[1].strip().endswith(" MB")]
    assert len(linear) == 3  # the quick lengths, each with its seconds per MB
    assert all(float(row.split("|")[4].replace(",", "")) > 0 for row in linear)

"""Nothing lost, nothing hangs: kg extract on folders, in processes, on hostile and odd files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.yamlio import load_yaml_text, read_bytes, read_text

HTML_SET = Path(__file__).resolve().parent / "fixtures" / "html"
ARTICLE = (
    "title: Detentions in Shymkent\ndate: Fri, 6 Aug 2004 10:00:00 +0500\n---\n"
    "Kazakhstan's KNB detained nineteen Uzbek citizens in Shymkent on August 3, officials in "
    "Tashkent said. The National Security Committee said the men had links to a banned group.\n"
)


def kg(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    assert "Traceback" not in result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    code, _, err = kg("init", str(tmp_path / "ws"))
    assert code == 0, err
    return tmp_path / "ws"


# -- a gazetteer in every workspace ----------------------------------------------------------------


def test_a_new_workspace_types_countries_places_and_organisations(workspace: Path) -> None:
    assert (workspace / "seeds" / "gazetteer.yaml").is_file()  # editable, in the workspace
    (workspace / "new").mkdir()
    (workspace / "new" / "a.txt").write_text(ARTICLE, "utf-8")
    code, _, err = kg("extract", "new/a.txt", "--out", "drafts", cwd=workspace)
    assert code == 0, err
    assert "gazetteer: seeds/gazetteer.yaml" in err
    draft = load_yaml_text((workspace / "drafts" / "a.yaml").read_text("utf-8"), "a.yaml")
    types = {e["name"]: e["type"] for e in draft["entities"]}
    aliases = {a: e["type"] for e in draft["entities"] for a in e.get("aliases", [])}
    assert types.get("Kazakhstan") == "Country"
    assert types.get("Tashkent") == "Place"
    assert {**types, **aliases}.get("KNB") == "Organisation"


def test_a_workspace_without_gazetteer_is_told_which_one_is_used(workspace: Path) -> None:
    (workspace / "seeds" / "gazetteer.yaml").unlink()
    (workspace / "a.txt").write_text(ARTICLE, "utf-8")
    code, _, err = kg("extract", "a.txt", "--out", "drafts", cwd=workspace)
    assert code == 0
    assert "warning: the workspace has no seeds/gazetteer.yaml: using kg's default" in err


# -- never overwrite ------------------------------------------------------------------------------


def test_a_reviewed_draft_is_never_overwritten_without_force(workspace: Path) -> None:
    (workspace / "a.txt").write_text(ARTICLE, "utf-8")
    assert kg("extract", "a.txt", "--out", "d", cwd=workspace)[0] == 0
    draft = workspace / "d" / "a.yaml"
    draft.write_text(draft.read_text("utf-8") + "# reviewed by me\n", "utf-8")
    code, _, err = kg("extract", "a.txt", "--out", "d", cwd=workspace)
    assert code == 0
    assert draft.read_text("utf-8").endswith("# reviewed by me\n")
    assert (workspace / "d" / "a.1.yaml").is_file()
    assert "d/a.yaml exists: wrote d/a.1.yaml beside it" in err
    # An unchanged rerun writes no third copy; --force replaces.
    kg("extract", "a.txt", "--out", "d", cwd=workspace)
    assert not (workspace / "d" / "a.2.yaml").exists()
    kg("extract", "a.txt", "--out", "d", "--force", cwd=workspace)
    assert "# reviewed by me" not in draft.read_text("utf-8")


def test_converting_a_page_keeps_the_users_article_of_the_same_name(workspace: Path) -> None:
    mine = workspace / "x.md"
    mine.write_text("---\ntitle: mine\n---\nMy own notes on Tashkent.\n", "utf-8")
    (workspace / "x.html").write_text(
        "<html><head><title>T</title></head><body><p>Bombs hit Tashkent on Friday.</p></body></html>",
        "utf-8",
    )
    code, _, err = kg("extract", "x.html", "--out", ".", cwd=workspace)
    assert code == 0, err
    assert mine.read_text("utf-8").startswith("---\ntitle: mine")
    beside = workspace / "x.1.md"
    assert beside.read_text("utf-8").startswith("---\nid: x\n")  # the document id is kept


# -- folders, processes --------------------------------------------------------------------------


def test_a_folder_is_read_recursively_and_jobs_give_the_same_drafts(
    workspace: Path, tmp_path: Path
) -> None:
    corpus = workspace / "corpus"
    for i, place in enumerate(["Shymkent", "Tashkent", "Almaty", "Osh", "Bishkek", "Pavlodar"]):
        folder = corpus / ("deep" if i % 2 else "") / ("deeper" if i % 3 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"n{i}.txt").write_text(ARTICLE.replace("Shymkent", place), "utf-8")
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")  # not an article type: skipped
    code1, out1, err1 = kg("extract", "corpus", "--out", "one", "--format", "json", cwd=workspace)
    code2, out2, _ = kg(
        "extract", "corpus", "--out", "two", "-j", "2", "--format", "json", cwd=workspace
    )
    assert (code1, code2) == (0, 0), err1
    assert len(json.loads(out1)) == 6
    assert [r["document"] for r in json.loads(out1)] == [r["document"] for r in json.loads(out2)]
    one = {p.name: p.read_bytes() for p in (workspace / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (workspace / "two").iterdir()}
    assert one == two and len(one) == 6


# -- hostile files: one line each, the others go on ----------------------------------------------


def test_links_devices_fifos_and_huge_files_are_refused_one_line_each(workspace: Path) -> None:
    bad = workspace / "bad"
    bad.mkdir()
    (bad / "loop.txt").symlink_to(bad / "loop.txt")
    (bad / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(bad / "pipe.txt")
    (bad / "good.txt").write_text(ARTICLE, "utf-8")
    files = ["bad/loop.txt", "bad/zero.txt", "bad/pipe.txt", "bad/good.txt"]
    code, out, err = kg("extract", *files, "--out", "d", "--format", "json", cwd=workspace)
    assert code == 1
    rows = {r["file"]: r for r in json.loads(out)}
    assert rows["bad/good.txt"]["status"] == "ok"
    assert "symlink loop" in rows["bad/loop.txt"]["error"]
    assert "not a regular file (a device)" in rows["bad/zero.txt"]["error"]
    assert "not a regular file (a FIFO)" in rows["bad/pipe.txt"]["error"]
    assert all(line.startswith("kg: error: bad/") for line in err.splitlines() if "error" in line)


def test_huge_files_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(InputError, match=r"big\.txt: too large"):
        read_bytes(big, limit=1024)


class _Grown(type(Path())):  # type: ignore[misc]
    """A path whose file grows to ``now`` bytes between its stat and its read."""

    now = 0

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:
        info: os.stat_result = super().stat(follow_symlinks=follow_symlinks)
        self.write_bytes(b"a" * self.now)
        return info


@pytest.mark.parametrize(("size", "limit"), [(0, 1024), (10, 1024), (1024, 1024)])
def test_a_file_that_grows_while_read_is_read_whole(tmp_path: Path, size: int, limit: int) -> None:
    """read_bytes reads as many bytes as the file held when it looked, then the rest."""
    grown = _Grown(tmp_path / "grown.txt")
    grown.write_bytes(b"a" * size)
    grown.now = 1000
    assert read_bytes(grown, limit=limit) == b"a" * 1000
    grown.write_bytes(b"a" * size)
    grown.now = 1025
    with pytest.raises(InputError, match=r"grown\.txt: too large \(over"):
        read_bytes(grown, limit=limit)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_read_not_called_binary(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "a.txt"
    text = "title: Ташкент\n---\nBombs hit Tashkent.\n"
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    path.write_bytes(raw)
    assert read_text(path) == text


def test_utf16_without_a_mark_and_wrong_charsets_are_one_line_errors(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Bombs hit Tashkent.".encode("utf-16-le"))
    with pytest.raises(InputError, match=r"a\.txt:1: binary file .*byte-order mark"):
        read_text(path)
    path.write_bytes("Caf\u00e9 in Tashkent".encode("cp1252"))
    with pytest.raises(InputError, match=r"a\.txt:1: not valid UTF-8 \(byte 0xe9\)"):
        read_text(path)


def test_a_page_with_a_wrong_declared_charset_gives_a_draft_validate_accepts(
    workspace: Path,
) -> None:
    page = (
        "<html><head><meta charset='iso-8859-1'><title>Bombs in Tashkent</title></head><body>"
        "<p>Bombs hit the embassies in Tashkent on Friday, said Nodira Xo‘jayeva.</p>"
        "<p>The KNB in Kazakhstan raised its alert level on Saturday.</p></body></html>"
    )
    (workspace / "p.html").write_bytes(page.encode("utf-8"))
    code, _, err = kg("extract", "p.html", "--out", "seeds/annotations", cwd=workspace)
    assert code == 0, err
    converted = (workspace / "seeds" / "annotations" / "p.md").read_text("utf-8")
    assert "Xo‘jayeva" in converted
    (workspace / "seeds" / "annotations" / "p.md").rename(workspace / "seeds" / "articles" / "p.md")
    code, out, err = kg("validate", cwd=workspace)
    assert code == 0, out + err


# -- YAML aliases -----------------------------------------------------------------------------------

BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
)


def test_a_yaml_alias_bomb_in_front_matter_is_refused_at_once(workspace: Path) -> None:
    assert len(BOMB) < 1500
    (workspace / "bomb.md").write_text(f"---\n{BOMB}---\nBombs hit Tashkent.\n", "utf-8")
    (workspace / "good.txt").write_text(ARTICLE, "utf-8")
    code, out, _ = kg(
        "extract", "bomb.md", "good.txt", "--out", "d", "--format", "json", cwd=workspace
    )
    assert code == 1
    rows = {r["file"]: r for r in json.loads(out)}
    assert "aliases expand the file to more than" in rows["bomb.md"]["error"]
    assert rows["good.txt"]["status"] == "ok"


def test_yaml_aliases_in_annotations_are_bounded_and_recursion_refused() -> None:
    with pytest.raises(InputError, match="aliases expand"):
        load_yaml_text(BOMB, "a.yaml")
    with pytest.raises(InputError, match="recursive alias"):
        load_yaml_text("a: &a [1, *a]\n", "a.yaml")
    merged = load_yaml_text("base: &b {x: 1}\nc: {<<: *b, y: 2}\nd: [*b, *b]\n", "a.yaml")
    assert merged["c"] == {"x": 1, "y": 2}  # modest aliases still work


# -- dates never refuse an article -------------------------------------------------------------------


def test_an_unreadable_date_is_one_warning_and_the_article_is_extracted(workspace: Path) -> None:
    (workspace / "a.txt").write_text(ARTICLE.replace("Fri, 6 Aug 2004 10:00:00 +0500", "unknown"))
    code, _, err = kg("extract", "a.txt", "--out", "d", cwd=workspace)
    assert code == 0
    warnings = [line for line in err.splitlines() if "undated" in line]
    assert warnings == [
        "kg: warning: a.txt: undated: date 'unknown' not read (no date given); "
        "relative dates stay unresolved"
    ]


def test_validate_warns_about_an_impossible_date_without_refusing(workspace: Path) -> None:
    (workspace / "seeds" / "articles" / "a.md").write_text(
        "---\ntitle: A\ndate: 2005-02-30\n---\nGunmen attacked.\n", "utf-8"
    )
    code, out, err = kg("validate", cwd=workspace)
    assert code == 0, out + err
    assert "a.md [date]: warning: undated: date '2005-02-30' not read" in out + err


def test_the_workspace_date_order_reads_ambiguous_dates(workspace: Path) -> None:
    toml = workspace / "kg.toml"
    toml.write_text(toml.read_text("utf-8").replace('# order = "DMY"', 'order = "DMY"'), "utf-8")
    (workspace / "a.txt").write_text(
        ARTICLE.replace("Fri, 6 Aug 2004 10:00:00 +0500", "06/08/2004")
    )
    code, _, err = kg("extract", "a.txt", "--out", "d", "--graph", "g.json", cwd=workspace)
    assert code == 0, err
    assert "undated" not in err
    assert '"date": "2004-08-06"' in (workspace / "g.json").read_text("utf-8")
    toml.write_text(toml.read_text("utf-8").replace('order = "DMY"', 'order = "YMD"'), "utf-8")
    code, _, err = kg("extract", "a.txt", "--out", "d", cwd=workspace)
    assert code != 0 and "dates.order must be DMY or MDY" in err


@pytest.mark.slow
def test_the_jobs_benchmark_runs_and_finds_identical_drafts() -> None:
    bench = Path(__file__).resolve().parents[1] / "bench" / "bench_jobs.py"
    done = subprocess.run(
        [sys.executable, str(bench), "--quick"], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert "drafts identical: True" in done.stdout
    assert "| 2 |" in done.stdout


def test_a_page_in_seeds_is_read_by_validate_as_extract_read_it(workspace: Path) -> None:
    page = (HTML_SET / "wire-service.html").read_bytes()
    (workspace / "seeds" / "articles" / "wire.html").write_bytes(page)
    code, _, err = kg("extract", "seeds/articles/wire.html", "--out", "d", cwd=workspace)
    assert code == 0, err
    (workspace / "d" / "wire.yaml").rename(workspace / "seeds" / "annotations" / "wire.yaml")
    code, out, err = kg("validate", cwd=workspace)
    assert code == 0, out + err
    assert out.startswith("ok: 1 document")

"""Listing a workspace's inputs: which files, in which order, shown under which names."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from kg import build
from kg.build import find_inputs
from kg.documents import ARTICLE_SUFFIXES


def _seeds(root: Path) -> Path:
    seeds = root / "seeds"
    (seeds / "articles" / "folder.md").mkdir(parents=True)
    (seeds / "annotations" / "folder.yaml").mkdir(parents=True)
    for name in ("b.md", "A.MD", ".hidden.md", "notes.txt", "page.html", "..md", "x.md.", "y.doc"):
        (seeds / "articles" / name).write_text("x", "utf-8")
    for name in ("b.yaml", "a.yml", "C.YAML", ".h.yaml", "sp ace.yaml", "z.json", "é.yaml"):
        (seeds / "annotations" / name).write_text("x", "utf-8")
    (seeds / "annotations" / "link.yaml").symlink_to("b.yaml")
    (seeds / "annotations" / "broken.yaml").symlink_to("nowhere.yaml")
    (seeds / "annotations" / "loop.yaml").symlink_to("loop.yaml")
    (seeds / "articles" / "outside.md").symlink_to(seeds / "annotations" / "b.yaml")
    return seeds


def _globbed(seeds: Path) -> tuple[list[Path], list[Path]]:
    """What find_inputs always listed: sorted pathlib globs, filtered by suffix."""
    articles = sorted(
        p for p in (seeds / "articles").glob("*") if p.suffix.lower() in ARTICLE_SUFFIXES
    )
    annotations = sorted(
        p for p in (seeds / "annotations").glob("*") if p.suffix in (".yaml", ".yml")
    )
    return articles, annotations


def _old_shown(paths: list[Path], base: Path | None) -> dict[str, Path]:
    """What _shown always gave: each path's display_path."""
    return {build.display_path(p, base): p for p in paths}


@pytest.mark.parametrize("where", ["root", "seeds", "annotations", "elsewhere"])
def test_listing_and_names_as_globbed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    seeds = _seeds(tmp_path / "ws")
    (tmp_path / "elsewhere").mkdir()
    cwd = {
        "root": tmp_path / "ws",
        "seeds": seeds,
        "annotations": seeds / "annotations",
        "elsewhere": tmp_path / "elsewhere",
    }[where]
    monkeypatch.chdir(cwd)
    for given in (seeds, Path(os.path.relpath(seeds, cwd))):
        listed = find_inputs(given)
        assert [list(x) for x in listed] == [list(x) for x in _globbed(given)]
        for paths, base in itertools.product(listed, (None, tmp_path / "ws")):
            shown = build._shown(paths, base)
            assert list(shown.items()) == list(_old_shown(list(paths), base).items())
            # A plain list of the same paths is shown the same.
            assert list(build._shown(list(paths), base).items()) == list(shown.items())
            if base is not None:  # named from the workspace wherever kg runs
                assert all(name.startswith("seeds/") for name in shown)


def test_missing_or_not_a_folder(tmp_path: Path) -> None:
    assert find_inputs(tmp_path / "nowhere") == ([], [])
    (tmp_path / "file").write_text("x", "utf-8")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "articles").write_text("not a folder", "utf-8")
    assert find_inputs(tmp_path / "seeds") == ([], [])


def test_listed_inputs_not_statted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The names, order and symlink flags come from one pass over each folder: showing the
    listed files takes no lstat per file (only the folder and the symlink are resolved)."""
    seeds = tmp_path / "seeds"
    (seeds / "annotations").mkdir(parents=True)
    for i in range(100):
        (seeds / "annotations" / f"{i:02}.yaml").write_text("x", "utf-8")
    (tmp_path / "other.yaml").write_text("x", "utf-8")
    (seeds / "annotations" / "link.yaml").symlink_to(tmp_path / "other.yaml")
    monkeypatch.chdir(tmp_path)
    _, annotations = find_inputs(seeds)
    calls: list[object] = []
    real_lstat, real_stat = os.lstat, os.stat

    def lstat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        calls.append(path)
        return real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        calls.append(path)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "lstat", lstat)
    monkeypatch.setattr(os, "stat", stat)
    shown = build._shown(annotations, None)
    names = [f"seeds/annotations/{i:02}.yaml" for i in range(100)]
    assert list(shown) == [*names, "other.yaml"]  # a symlink: shown as what it points to
    assert len(calls) < 100, calls  # resolving the folder and the symlink: ~30

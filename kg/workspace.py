"""The workspace: the folder holding ``schema/`` and ``seeds/`` (and ``queries/``, ``exports/``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kg.build import BuildResult, build_graph, find_inputs
from kg.config import load_toml
from kg.dates import date_order
from kg.errors import WorkspaceError
from kg.schema import Schema, load_schema

__all__ = ["Workspace", "find_workspace"]


@dataclass(frozen=True)
class Workspace:
    """A folder laid out as kg expects; every command works inside one."""

    root: Path

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    @property
    def config_file(self) -> Path:
        return self.root / "kg.toml"

    def file_config(self) -> dict[str, str]:
        """Settings from ``kg.toml`` (empty when the workspace has none)."""
        return load_toml(self.config_file) if self.config_file.is_file() else {}

    def load_schema(self) -> Schema:
        return load_schema(self.schema_dir)

    @property
    def cache_dir(self) -> Path:
        return self.root / ".kg"

    def build(
        self, schema: Schema | None = None, *, cached: bool = True, jobs: int = 0
    ) -> BuildResult:
        """Build the graph from this workspace's seeds, reusing the cache under ``.kg/``."""
        from kg.cache import BuildCache, tree_digest

        schema = schema or self.load_schema()
        cache = None
        if cached:
            salt = tree_digest(p for p in self.schema_dir.glob("*.yaml") if p.is_file())
            cache = BuildCache(self.cache_dir, salt)
        order = date_order(self.file_config().get("dates.order"))
        inputs = find_inputs(self.seeds_dir)
        return build_graph(
            schema, *inputs, cache=cache, date_order=order, jobs=jobs, base=self.root
        )

    def _written(self) -> dict[str, list[object]]:
        try:
            data = json.loads((self.cache_dir / "written.json").read_text("utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def is_written(self, target: Path, result: BuildResult) -> bool:
        """Whether ``target`` is the graph.json of this very build, untouched since written."""
        if result.key is None or not target.is_file():
            return False
        stat = target.stat()
        return self._written().get(str(target.resolve())) == [
            result.key,
            stat.st_size,
            stat.st_mtime_ns,
        ]

    def mark_written(self, target: Path, result: BuildResult) -> None:
        """Remember that ``target`` holds the graph.json of this build."""
        if result.key is None:
            return
        stat = target.stat()
        written = self._written()
        written[str(target.resolve())] = [result.key, stat.st_size, stat.st_mtime_ns]
        self.cache_dir.mkdir(exist_ok=True)
        tmp = self.cache_dir / "written.json.tmp"
        tmp.write_text(json.dumps(written), "utf-8")
        tmp.replace(self.cache_dir / "written.json")


def _is_workspace(path: Path) -> bool:
    return (path / "kg.toml").is_file() or (
        (path / "schema").is_dir() and (path / "seeds").is_dir()
    )


def find_workspace(start: Path, explicit: Path | None = None) -> Workspace:
    """The workspace at ``explicit``, or the nearest one at or above ``start``."""
    if explicit is not None:
        if not _is_workspace(explicit):
            raise WorkspaceError(
                f"{explicit} is not a kg workspace (no kg.toml, or no schema/ and seeds/)"
            )
        return Workspace(explicit.resolve())
    here = start.resolve()
    for folder in (here, *here.parents):
        if _is_workspace(folder):
            return Workspace(folder)
    raise WorkspaceError(
        f"no kg workspace at or above {here}: run inside one, pass --workspace DIR,"
        " or create one with 'kg init DIR'"
    )

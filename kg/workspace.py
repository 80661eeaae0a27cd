"""The workspace: the folder holding ``schema/`` and ``seeds/`` (and ``queries/``, ``exports/``)."""

from __future__ import annotations

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

    def build(self, schema: Schema | None = None) -> BuildResult:
        """Build the graph from this workspace's seeds."""
        order = date_order(self.file_config().get("dates.order"))
        return build_graph(
            schema or self.load_schema(), *find_inputs(self.seeds_dir), date_order=order
        )


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

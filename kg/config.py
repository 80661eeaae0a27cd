"""Configuration: command-line option > environment variable > kg.toml > default, with origins."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.dates import date_order
from kg.errors import DateError, Location, WorkspaceError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["SETTINGS", "Config", "Setting", "Value", "load_toml", "resolve"]


@dataclass(frozen=True)
class Setting:
    """One configurable value: its ``section.name`` in kg.toml, its variable, its default."""

    key: str
    env: str | None
    default: str | None
    description: str
    secret: bool = False
    in_file: bool = True
    """False for credentials: they come only from the environment or a prompt."""


SETTINGS: tuple[Setting, ...] = (
    Setting("neo4j.uri", "NEO4J_URI", None,
            "bolt:// or neo4j:// URI (unset: the server of 'kg neo4j start', else bolt://127.0.0.1:7687)"),
    Setting("neo4j.username", "NEO4J_USERNAME", "neo4j", "Neo4j user"),
    Setting("neo4j.password", "NEO4J_PASSWORD", None,
            "Neo4j password: environment or prompt only", secret=True, in_file=False),
    Setting("neo4j.database", "NEO4J_DATABASE", None, "Neo4j database (unset: server default)"),
    Setting("neo4j.home", "KG_NEO4J_HOME", ".kg/neo4j",
            "state folder of 'kg neo4j start', relative to the workspace"),
    Setting("neo4j.cache", "KG_NEO4J_CACHE", "~/.cache/kg/neo4j", "where Neo4j's jars are cached"),
    Setting("rdf.base_iri", "KG_BASE_IRI", "https://kg.example.org/id/", "base of entity IRIs"),
    Setting("network.projection", "KG_PROJECTION", "actors",
            "projection of kg centrality and kg draw (full, actors, bipartite)"),
    Setting("dates.order", None, None,
            "order of day and month in numeric dates like 03/04/2005: DMY or MDY (unset: refused)"),
    Setting("network.measure", "KG_MEASURE", "pagerank",
            "measure of kg centrality and kg draw (degree, betweenness, pagerank, ..., all)"),
)  # fmt: skip
_BY_KEY = {s.key: s for s in SETTINGS}


@dataclass(frozen=True)
class Value:
    """An effective setting and where it came from: option, environment, kg.toml or default."""

    setting: Setting
    value: str | None
    origin: str

    def shown(self) -> str:
        """The value for display: secrets masked, unset as ``(unset)``."""
        if self.value is None:
            return "(unset)"
        return "********" if self.setting.secret else self.value


Config = Mapping[str, Value]


def load_toml(path: Path) -> dict[str, Any]:
    """Read kg.toml; unknown sections or keys and credentials in the file are errors."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"cannot read: {exc}", Location(str(path))) from None
    except tomllib.TOMLDecodeError as exc:
        raise WorkspaceError(f"malformed TOML: {exc}", Location(str(path))) from None
    flat: dict[str, Any] = {}
    for section, values in data.items():
        if not isinstance(values, dict):
            raise WorkspaceError(
                f"'{section}' must be a [section]", Location(str(path), None, section)
            )
        for name, value in values.items():
            key = f"{section}.{name}"
            setting = _BY_KEY.get(key)
            if setting is None:
                known = ", ".join(s.key for s in SETTINGS if s.in_file)
                raise WorkspaceError(
                    f"unknown setting (known: {known})", Location(str(path), None, key)
                )
            if not setting.in_file:
                raise WorkspaceError(
                    f"{key} must not be stored in a file: set {setting.env} or answer the prompt",
                    Location(str(path), None, key),
                )
            flat[key] = ",".join(map(str, value)) if isinstance(value, list) else str(value)
            if key == "dates.order":
                try:
                    date_order(flat[key])
                except DateError as exc:
                    raise WorkspaceError(exc.message, Location(str(path), None, key)) from None
    return flat


def resolve(
    options: Mapping[str, str | None], environ: Mapping[str, str], file_values: Mapping[str, str]
) -> dict[str, Value]:
    """Every setting's effective value; the first of option, environment, file, default wins.

    >>> cfg = resolve({"neo4j.database": None}, {"NEO4J_DATABASE": "news"}, {"neo4j.database": "x"})
    >>> cfg["neo4j.database"].value, cfg["neo4j.database"].origin
    ('news', 'environment (NEO4J_DATABASE)')
    """
    result: dict[str, Value] = {}
    for setting in SETTINGS:
        option = options.get(setting.key)
        if option is not None:
            result[setting.key] = Value(setting, option, "command-line option")
        elif setting.env and environ.get(setting.env):
            result[setting.key] = Value(
                setting, environ[setting.env], f"environment ({setting.env})"
            )
        elif setting.key in file_values:
            result[setting.key] = Value(setting, file_values[setting.key], "kg.toml")
        else:
            result[setting.key] = Value(setting, setting.default, "default")
    return result

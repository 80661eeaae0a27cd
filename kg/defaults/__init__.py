"""The defaults shipped with kg: schema, named queries and gazetteer (from the repository)."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

__all__ = ["gazetteer", "queries", "schema"]


def _folder(name: str) -> Traversable:
    try:
        return resources.files(f"kg.defaults.{name}")
    except ModuleNotFoundError:
        # An editable install or a source checkout: the repository's own top-level folder.
        source = Path(__file__).resolve().parents[2] / name
        if source.is_dir():
            return source
        raise


def schema() -> Traversable:
    """The default ``schema/`` folder (``kg.defaults.schema`` in the wheel)."""
    return _folder("schema")


def gazetteer() -> Traversable:
    """The default gazetteer, ``seeds/gazetteer.yaml`` (``kg.defaults.seeds`` in the wheel)."""
    return _folder("seeds") / "gazetteer.yaml"


def queries() -> Traversable:
    """The default ``queries/`` folder (``kg.defaults.queries`` in the wheel)."""
    return _folder("queries")

"""kg: news and analysis articles -> a knowledge graph, every fact traced to its sentence."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]

"""Draft annotations from raw articles: rule-based entities, incidents, claims and relations.

Library entry points: :func:`load_extractor` (or :class:`Extractor`) turns a Document into a
:class:`Draft`, :func:`render_draft` writes it in the annotation YAML format,
:func:`extract_files` processes many files, :func:`evaluate` scores drafts against gold.
"""

from __future__ import annotations

from .draft import Draft, render_draft
from .evaluate import EvalResult, Score, evaluate
from .files import FileOutcome, build_drafts_graph, extract_files
from .gazetteer import Gazetteer, load_gazetteer
from .pipeline import Extractor, load_extractor
from .reader import read_input

__all__ = [
    "Draft",
    "EvalResult",
    "Extractor",
    "FileOutcome",
    "Gazetteer",
    "Score",
    "build_drafts_graph",
    "evaluate",
    "extract_files",
    "load_extractor",
    "load_gazetteer",
    "read_input",
    "render_draft",
]

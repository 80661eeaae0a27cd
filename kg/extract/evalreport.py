"""The eval result as tables and JSON: totals, entity types, documents, findings."""

from __future__ import annotations

from .evaluate import EvalResult, Score

__all__ = ["document_rows", "result_to_dict", "score_rows"]


def _score_dict(score: Score) -> dict[str, float | int]:
    return {
        "tp": score.tp,
        "fp": score.fp,
        "fn": score.fn,
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f1": round(score.f1, 4),
    }


def result_to_dict(result: EvalResult) -> dict[str, object]:
    """The result as JSON-ready data."""
    return {
        "totals": {c: _score_dict(s) for c, s in result.totals.items()},
        "entities_by_type": {t: _score_dict(s) for t, s in result.by_type.items()},
        "documents": [
            {"document": d.document, **{c: _score_dict(s) for c, s in d.scores.items()}}
            for d in result.documents
        ],
        "findings": [
            {"document": f.document, "category": f.category, "kind": f.kind, "item": f.item}
            for f in result.findings
        ],
        "problems": list(result.problems),
        "unmatched_documents": list(result.unmatched),
    }


def score_rows(result: EvalResult) -> list[dict[str, object]]:
    """One row per category (and per entity type): counts and rates, for a table."""
    rows: list[dict[str, object]] = []
    for name, score in [
        *result.totals.items(),
        *((f"  {t}", s) for t, s in result.by_type.items()),
    ]:
        rows.append(
            {
                "category": name,
                **{
                    k: (f"{v:.2f}" if isinstance(v, float) else v)
                    for k, v in _score_dict(score).items()
                },
            }
        )
    return rows


def document_rows(result: EvalResult) -> list[dict[str, object]]:
    """One row per document: the F1 of each category."""
    return [
        {"document": d.document, **{c: f"{s.f1:.2f}" for c, s in d.scores.items()}}
        for d in result.documents
    ]

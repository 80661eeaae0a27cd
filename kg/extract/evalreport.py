"""The eval result as tables and JSON: totals, per-type counts, agreement, documents, findings."""

from __future__ import annotations

from .evaluate import CATEGORIES, EvalResult, Score

__all__ = [
    "AGREEMENT_COLUMNS",
    "DOCUMENT_COLUMNS",
    "SCORE_COLUMNS",
    "agreement_rows",
    "document_rows",
    "result_to_dict",
    "score_rows",
]

SCORE_COLUMNS = ["category", "tp", "fp", "fn", "precision", "recall", "f1"]
DOCUMENT_COLUMNS = ["document", *CATEGORIES]
AGREEMENT_COLUMNS = ["matched pairs", "agree", "compared", "rate"]


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
        "by_type": {
            c: {t: _score_dict(s) for t, s in per_type.items()}
            for c, per_type in result.breakdown.items()
        },
        "agreement": {
            what: {"agree": a.agree, "compared": a.total, "rate": round(a.rate, 4)}
            for what, a in result.agreement.items()
        },
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


def _row(name: str, score: Score) -> dict[str, object]:
    return {
        "category": name,
        **{k: (f"{v:.2f}" if isinstance(v, float) else v) for k, v in _score_dict(score).items()},
    }


def score_rows(result: EvalResult) -> list[dict[str, object]]:
    """One row per category, then per entity type, incident kind, claim stance, relation type."""
    rows = [_row(name, score) for name, score in result.totals.items()]
    rows += [_row(f"  {t}", s) for t, s in result.by_type.items()]
    for category, per_type in result.breakdown.items():
        rows += [_row(f"  {category}: {t}", s) for t, s in per_type.items()]
    return rows


def agreement_rows(result: EvalResult) -> list[dict[str, object]]:
    """How often matched incidents agree on kind, date and place, and claims on stance."""
    return [
        {"matched pairs": what, "agree": a.agree, "compared": a.total, "rate": f"{a.rate:.2f}"}
        for what, a in result.agreement.items()
    ]


def document_rows(result: EvalResult) -> list[dict[str, object]]:
    """One row per document: the F1 of each category."""
    return [
        {"document": d.document, **{c: f"{s.f1:.2f}" for c, s in d.scores.items()}}
        for d in result.documents
    ]

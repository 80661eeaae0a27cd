"""Claims of interview transcripts: the answers of a speaker labelled ``NAME:`` are their claims.

In a transcript the attribution is the paragraph's label, not a reporting verb::

    Q: What happened in the capital?
    KARIMOV: The army was not there. I believe the police stood aside.

Each run of sentences (three at most) of a labelled answer that no reporting verb already
attributes becomes a claim of the person whose name ends with the label; questions (``Q:``,
``INTERVIEWER:``) are not claims.
"""

from __future__ import annotations

import re

from kg.schema import Schema

from .claims import FoundClaim
from .context import Context
from .registry import DocEntity, Span

__all__ = ["transcript_claims"]

_LABEL = re.compile(r"(?m)^(?P<label>[A-Z][A-Z'’-]{2,}(?:\s+[A-Z][A-Z'’-]{2,}){0,2}):\s+")
_QUESTIONER = frozenset({"Q", "QUESTION", "INTERVIEWER", "HOST", "ANCHOR", "MODERATOR", "REPORTER"})
_SPECULATIVE = re.compile(
    r"\b(?:I\s+(?:think|believe|suspect|guess)|my\s+guess|perhaps|probably|maybe|may\s+have|"
    r"might|likely|can\s+draw\s+your\s+own)\b",
    re.IGNORECASE,
)
_LONGEST = 3
"""Sentences of an answer read as one claim at most."""
_NEGATIVE = re.compile(r"^(?:no\b|nobody\b|none\b|there\s+(?:was|were|is|are)\s+no\b)", re.I)


def _speaker(ctx: Context, label: str) -> DocEntity | None:
    """The person whose name ends with the label ("SARSENBAYEV" -> "Daniyar Sarsenbayev")."""
    wanted = label.casefold()
    person = ctx.reg.types["Person"]
    found = [
        e
        for e in ctx.reg.entities.values()
        if e.type == person and e.name.casefold().split()[-1:] == wanted.split()[-1:]
    ]
    full = [e for e in found if len(e.name.split()) > 1]
    if len(found) > 1 and len(full) == 1:
        return full[0]  # "Bello" and "Musa Bello": the full name is the speaker
    return found[0] if len(found) == 1 else None


def _stance(sentence: str, stances: set[str]) -> str:
    if "speculates" in stances and _SPECULATIVE.search(sentence):
        return "speculates"
    if "denies" in stances and _NEGATIVE.match(sentence):
        return "denies"
    return "asserts"


def transcript_claims(ctx: Context, schema: Schema, claims: list[FoundClaim]) -> list[FoundClaim]:
    """Claims of labelled answers, for the sentences no claim in ``claims`` already covers."""
    stances = set(schema.vocabulary("stances").terms)
    if "asserts" not in stances:
        return []
    taken = {c.evidence for c in claims}
    out: list[FoundClaim] = []
    for match in _LABEL.finditer(ctx.text):
        label = match.group("label")
        if label in _QUESTIONER:
            continue
        speaker = _speaker(ctx, label)
        if speaker is None:
            continue
        end = ctx.text.find("\n\n", match.end())
        end = len(ctx.text) if end < 0 else end
        runs: list[list[Span]] = [[]]
        for start, stop in ctx.sentences:
            if stop <= match.end() or start >= end:
                continue
            if (start, stop) in taken:
                runs.append([])  # another speaker's claim splits the answer
                continue
            if len(runs[-1]) >= _LONGEST:
                runs.append([])  # a long answer makes several statements
            runs[-1].append((max(start, match.end()), stop))
        for run in runs:
            if not run:
                continue
            span: Span = (run[0][0], run[-1][1])
            text = re.sub(r"\([^()]*\)\s*", "", " ".join(ctx.text[span[0] : span[1]].split()))
            if len(text.split()) < 4:
                continue
            out.append(
                FoundClaim(
                    speaker.key,
                    _stance(text, stances),
                    text.strip(' "“”'),
                    evidence=span,
                    rule=f"transcript label {label}",
                )
            )
    return out
